import type {
  BinaryOp, CompareOp, OutputInfo, PrimitiveImpl, PrimitiveTable, ReduceOp, TensorInfo, UnaryOp,
} from '@plexus/tensor';
import { DTypeError } from '@plexus/tensor';
import { BINARY_CODE, COMPARE_CODE, REDUCE_CODE, UNARY_CODE, dtypeCode } from './codes.js';
import type { NativeContext, NativeHandle } from './native.js';

/** The native handle of an input (the addon checks it is one of this backend's, still alive). */
const h = (t: TensorInfo): NativeHandle => t.dataId;

/**
 * The primitive table: each entry hands its inputs' handles, attributes and the output shape to
 * the addon, which validates all of them, runs the kernel and returns the output's handle.
 * reshape, permute, expand, slice and same-dtype cast return views (no copy).
 */
export function createPrimitiveTable(ctx: NativeContext): PrimitiveTable {
  const unary = (op: UnaryOp): PrimitiveImpl<UnaryOp> => ([x], _attrs, out) => ctx.unary(UNARY_CODE[op], h(x), out.shape);
  const binary = (op: BinaryOp): PrimitiveImpl<BinaryOp> => ([a, b], _attrs, out) =>
    ctx.binary(BINARY_CODE[op], h(a), h(b), out.shape, dtypeCode(op, out.dtype));
  const compare = (op: CompareOp): PrimitiveImpl<CompareOp> => ([a, b], _attrs, out) => {
    if (out.dtype !== 'bool') throw new DTypeError(`${op}: comparisons give bool, got an output of ${out.dtype}`);
    return ctx.compare(COMPARE_CODE[op], h(a), h(b), out.shape);
  };
  const reduce = (op: ReduceOp): PrimitiveImpl<ReduceOp> => ([x], { axes }, out) =>
    ctx.reduce(REDUCE_CODE[op], h(x), axes, out.shape, dtypeCode(op, out.dtype));
  const arg = (op: 'argmax' | 'argmin'): PrimitiveImpl<'argmax' | 'argmin'> => ([x], { axis }, out: OutputInfo) => {
    if (out.dtype !== 'int32') throw new DTypeError(`${op}: gives int32, got an output of ${out.dtype}`);
    return ctx.argreduce(op === 'argmax' ? 0 : 1, h(x), axis, out.shape);
  };

  return {
    neg: unary('neg'),
    abs: unary('abs'),
    sign: unary('sign'),
    exp: unary('exp'),
    log: unary('log'),
    log1p: unary('log1p'),
    expm1: unary('expm1'),
    sqrt: unary('sqrt'),
    rsqrt: unary('rsqrt'),
    sin: unary('sin'),
    cos: unary('cos'),
    tanh: unary('tanh'),
    sigmoid: unary('sigmoid'),
    erf: unary('erf'),
    floor: unary('floor'),
    ceil: unary('ceil'),
    round: unary('round'),

    add: binary('add'),
    sub: binary('sub'),
    mul: binary('mul'),
    div: binary('div'),
    pow: binary('pow'),
    maximum: binary('maximum'),
    minimum: binary('minimum'),

    equal: compare('equal'),
    notEqual: compare('notEqual'),
    less: compare('less'),
    lessEqual: compare('lessEqual'),
    greater: compare('greater'),
    greaterEqual: compare('greaterEqual'),

    where: ([c, a, b], _attrs, out) => ctx.where(h(c), h(a), h(b), out.shape, dtypeCode('where', out.dtype)),
    cast: ([x], { dtype }, out) => {
      if (dtype !== out.dtype) throw new DTypeError(`cast: attrs.dtype ${String(dtype)} differs from the output dtype ${out.dtype}`);
      return ctx.cast(h(x), dtypeCode('cast', dtype), out.shape);
    },

    sum: reduce('sum'),
    prod: reduce('prod'),
    max: reduce('max'),
    min: reduce('min'),
    argmax: arg('argmax'),
    argmin: arg('argmin'),

    reshape: ([x], _attrs, out) => ctx.reshape(h(x), out.shape),
    permute: ([x], { perm }, out) => ctx.permute(h(x), perm, out.shape),
    expand: ([x], _attrs, out) => ctx.expand(h(x), out.shape),
    slice: ([x], { begin, end, step }, out) => ctx.slice(h(x), begin, end, step, out.shape),
    pad: ([x], { pads, value }, out) => ctx.pad(h(x), pads.flat(), value, out.shape),
    concat: (inputs, { axis }, out) => ctx.concat(inputs.map(h), axis, out.shape),
    gather: ([x, index], { axis }, out) => ctx.gather(h(x), h(index), axis, out.shape),
    scatterAdd: ([x, index, src], { axis }, out) => ctx.scatterAdd(h(x), h(index), h(src), axis, out.shape),
    matmul: ([a, b], _attrs, out) => ctx.matmul(h(a), h(b), out.shape, dtypeCode('matmul', out.dtype)),
  };
}

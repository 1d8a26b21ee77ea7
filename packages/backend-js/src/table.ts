import { allocArray, sizeOf } from '@plexus/tensor';
import type {
  BinaryOp, CompareOp, DataArray, DataId, OutputInfo, PrimitiveImpl, PrimitiveTable, ReduceOp,
  TensorInfo, UnaryOp,
} from '@plexus/tensor';
import { argReduce } from './argreduce.js';
import { binaryKernel, COMPARE_KERNELS, runBinary, runWhere } from './binary.js';
import { castInto } from './cast.js';
import { gather, scatterAdd } from './gather.js';
import { matmul } from './matmul.js';
import { concat, expand, pad, permute, slice } from './movement.js';
import { reduce } from './reduce.js';
import type { Storage } from './storage.js';
import { unary } from './unary.js';

/**
 * The primitive table: each entry resolves its input handles to arrays (naming the primitive if
 * one was disposed), allocates the output for `out`, runs a kernel and returns a new handle.
 */
export function createPrimitiveTable(storage: Storage): PrimitiveTable {
  const input = (op: string, t: TensorInfo): DataArray => storage.values(op, t.dataId);
  const alloc = (out: OutputInfo): DataArray => allocArray(out.dtype, sizeOf(out.shape));
  const emit = (values: DataArray, out: OutputInfo): DataId => storage.create(values, out.dtype);

  const unaryImpl = (op: UnaryOp): PrimitiveImpl<UnaryOp> => ([x], _attrs, out) => {
    const o = alloc(out);
    unary(op, input(op, x), o, out.dtype);
    return emit(o, out);
  };

  const binaryImpl = (op: BinaryOp): PrimitiveImpl<BinaryOp> => ([a, b], _attrs, out) => {
    const o = alloc(out);
    runBinary(binaryKernel(op, out.dtype), input(op, a), a.shape, input(op, b), b.shape, o, out.shape);
    return emit(o, out);
  };

  const compareImpl = (op: CompareOp): PrimitiveImpl<CompareOp> => ([a, b], _attrs, out) => {
    const o = alloc(out);
    runBinary(COMPARE_KERNELS[op], input(op, a), a.shape, input(op, b), b.shape, o, out.shape);
    return emit(o, out);
  };

  const reduceImpl = (op: ReduceOp): PrimitiveImpl<ReduceOp> => ([x], { axes }, out) => {
    const o = alloc(out);
    reduce(op, input(op, x), x.shape, axes, o, out.dtype);
    return emit(o, out);
  };

  const argImpl = (op: 'argmax' | 'argmin'): PrimitiveImpl<'argmax' | 'argmin'> => ([x], { axis }, out) => {
    const o = alloc(out);
    argReduce(op, input(op, x), x.shape, axis, o as Int32Array);
    return emit(o, out);
  };

  return {
    neg: unaryImpl('neg'),
    abs: unaryImpl('abs'),
    sign: unaryImpl('sign'),
    exp: unaryImpl('exp'),
    log: unaryImpl('log'),
    log1p: unaryImpl('log1p'),
    expm1: unaryImpl('expm1'),
    sqrt: unaryImpl('sqrt'),
    rsqrt: unaryImpl('rsqrt'),
    sin: unaryImpl('sin'),
    cos: unaryImpl('cos'),
    tanh: unaryImpl('tanh'),
    sigmoid: unaryImpl('sigmoid'),
    erf: unaryImpl('erf'),
    floor: unaryImpl('floor'),
    ceil: unaryImpl('ceil'),
    round: unaryImpl('round'),

    add: binaryImpl('add'),
    sub: binaryImpl('sub'),
    mul: binaryImpl('mul'),
    div: binaryImpl('div'),
    pow: binaryImpl('pow'),
    maximum: binaryImpl('maximum'),
    minimum: binaryImpl('minimum'),

    equal: compareImpl('equal'),
    notEqual: compareImpl('notEqual'),
    less: compareImpl('less'),
    lessEqual: compareImpl('lessEqual'),
    greater: compareImpl('greater'),
    greaterEqual: compareImpl('greaterEqual'),

    where: ([cond, a, b], _attrs, out) => {
      const o = alloc(out);
      runWhere(
        input('where', cond), cond.shape, input('where', a), a.shape, input('where', b), b.shape,
        o, out.shape,
      );
      return emit(o, out);
    },

    cast: ([x], _attrs, out) => {
      const values = input('cast', x);
      // Same dtype: share the (immutable) array rather than copy it.
      if (x.dtype === out.dtype) return emit(values, out);
      const o = alloc(out);
      castInto(values, o, out.dtype);
      return emit(o, out);
    },

    sum: reduceImpl('sum'),
    prod: reduceImpl('prod'),
    max: reduceImpl('max'),
    min: reduceImpl('min'),
    argmax: argImpl('argmax'),
    argmin: argImpl('argmin'),

    // Same elements in the same order: a new handle over the same array.
    reshape: ([x], _attrs, out) => emit(input('reshape', x), out),

    permute: ([x], { perm }, out) => {
      const o = alloc(out);
      permute(input('permute', x), x.shape, perm, o, out.shape);
      return emit(o, out);
    },

    expand: ([x], _attrs, out) => {
      const o = alloc(out);
      expand(input('expand', x), x.shape, o, out.shape);
      return emit(o, out);
    },

    slice: ([x], { begin, step }, out) => {
      const o = alloc(out);
      slice(input('slice', x), x.shape, begin, step, o, out.shape);
      return emit(o, out);
    },

    pad: ([x], { pads, value }, out) => {
      const o = alloc(out);
      pad(input('pad', x), x.shape, pads, value, out.dtype === 'bool', o, out.shape);
      return emit(o, out);
    },

    concat: (inputs, { axis }, out) => {
      const o = alloc(out);
      concat(inputs.map((t) => input('concat', t)), inputs.map((t) => t.shape), axis, o, out.shape);
      return emit(o, out);
    },

    gather: ([x, index], { axis }, out) => {
      const o = alloc(out);
      gather(input('gather', x), x.shape, input('gather', index) as Int32Array, index.shape, axis, o);
      return emit(o, out);
    },

    scatterAdd: ([x, index, src], { axis }, out) => {
      const o = alloc(out);
      scatterAdd(
        input('scatterAdd', x), x.shape, input('scatterAdd', index) as Int32Array, index.shape,
        input('scatterAdd', src), axis, o, out.dtype === 'bool',
      );
      return emit(o, out);
    },

    matmul: ([a, b], _attrs, out) => {
      const o = alloc(out);
      matmul(input('matmul', a), a.shape, input('matmul', b), b.shape, o, out.shape);
      return emit(o, out);
    },
  };
}

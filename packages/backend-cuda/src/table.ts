import type {
  AcceleratedTable, BinaryOp, CompareOp, DataId, OutputInfo, PrimitiveTable, ReduceOp, Shape, TensorInfo, UnaryOp,
} from '@plexus/tensor';
import { BackendError, fmtShape, isFloating, sizeOf } from '@plexus/tensor';
import * as A from './accelerated.js';
import { binary, cast, compare, unary } from './elementwise.js';
import { matmul } from './matmul.js';
import { concat, gather, pad, scatterAdd, slice } from './movement.js';
import { argReduce, reduce } from './reduce.js';
import type { TfStorage } from './storage.js';
import type { Tfjs, TfTensor } from './tfjs.js';
import { tfDType } from './tfjs.js';

/** A kernel: tf tensors of the inputs in, one tf tensor out (its temporaries are tidied away). */
type Kernel<A> = (xs: TfTensor[], attrs: A, out: OutputInfo, inputs: readonly TensorInfo[]) => TfTensor;
type Impl<A> = (inputs: readonly TensorInfo[], attrs: A, out: OutputInfo) => DataId;

/**
 * Wraps kernels into primitive/accelerated implementations. Every call resolves its input handles
 * (naming the op if one was disposed), runs the kernel inside tf.tidy so that every temporary tf
 * tensor is freed, makes sure the result is a new tensor of exactly `out`'s shape and dtype, and
 * stores it as a new handle. A zero-size output never reaches a kernel.
 */
export function createTables(tf: Tfjs, storage: TfStorage, backendName: string): { primitives: PrimitiveTable; accelerated: Partial<AcceleratedTable> } {
  function wrap<A>(op: string, kernel: Kernel<A>): Impl<A> {
    return (inputs, attrs, out) => {
      const xs = inputs.map((t) => storage.tensor(op, t.dataId));
      const dtype = tfDType(out.dtype, backendName);
      const result = tf.tidy(() => {
        if (sizeOf(out.shape) === 0) return tf.zeros(out.shape as number[], dtype);
        let r = kernel(xs, attrs, out, inputs);
        // The handle must own its tensor: never hand back an input itself.
        if (xs.includes(r)) r = tf.clone(r);
        if (r.dtype !== dtype) r = tf.cast(r, dtype);
        if (!sameShape(r.shape, out.shape)) {
          throw new BackendError(`${op}: backend '${backendName}' computed shape ${fmtShape(r.shape)}, expected ${fmtShape(out.shape)} (an adapter bug)`);
        }
        return r;
      });
      return storage.create(result, out.dtype, out.shape);
    };
  }

  const unaryImpl = (op: UnaryOp) => wrap<object>(op, ([x], _a, out) => unary(tf, op, x, out.dtype));
  const binaryImpl = (op: BinaryOp) => wrap<object>(op, ([a, b], _a, out) => binary(tf, op, a, b, out.dtype));
  const compareImpl = (op: CompareOp) => wrap<object>(op, ([a, b]) => compare(tf, op, a, b));
  const reduceImpl = (op: ReduceOp) =>
    wrap<{ axes: number[] }>(op, ([x], { axes }, out, [info]) => reduce(tf, op, x, info.shape, axes, info.dtype, out.shape));
  const argImpl = (op: 'argmax' | 'argmin') =>
    wrap<{ axis: number }>(op, ([x], { axis }, _out, [info]) => argReduce(tf, op, x, info.shape, axis, info.dtype));

  const primitives: PrimitiveTable = {
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
    where: wrap('where', ([c, a, b]) => tf.where(c, a, b)),
    cast: wrap('cast', ([x], { dtype }, _out, [info]) => cast(tf, x, info.dtype, dtype)),
    sum: reduceImpl('sum'),
    prod: reduceImpl('prod'),
    max: reduceImpl('max'),
    min: reduceImpl('min'),
    argmax: argImpl('argmax'),
    argmin: argImpl('argmin'),
    reshape: wrap('reshape', ([x], { shape }) => tf.reshape(x, shape)),
    permute: wrap('permute', ([x], { perm }) => tf.transpose(x, perm)),
    expand: wrap('expand', ([x], { shape }) => tf.broadcastTo(x, shape)),
    slice: wrap('slice', ([x], { begin, step }, out) => slice(tf, x, begin, step, out.shape)),
    pad: wrap('pad', ([x], { pads, value }, out, [info]) => pad(tf, x, info.shape, pads, value, out.dtype, out.shape)),
    concat: wrap('concat', (xs, { axis }, _out, infos) => concat(tf, xs, infos.map((t) => t.shape), axis)),
    gather: wrap('gather', ([x, index], { axis }, _out, [xi, ii]) => gather(tf, x, xi.shape, index, ii.shape, axis)),
    scatterAdd: wrap('scatterAdd', ([x, index, src], { axis }, out, [xi, ii]) => scatterAdd(tf, x, xi.shape, index, ii.shape, src, axis, out.dtype)),
    matmul: wrap('matmul', ([a, b], _a, out, [ai, bi]) => matmul(tf, a, ai.shape, b, bi.shape, out.dtype, out.shape)),
  };

  // Inputs of accelerated ops are cast to the output dtype first (an int32 conv2d runs in float32).
  const asFloat = (x: TfTensor): TfTensor => (x.dtype === 'float32' ? x : tf.cast(x, 'float32'));
  const accelerated: Partial<AcceleratedTable> = {
    softmax: wrap('softmax', ([x], { axis }) => A.softmax(tf, asFloat(x), axis)),
    logSoftmax: wrap('logSoftmax', ([x], { axis }) => A.logSoftmax(tf, asFloat(x), axis)),
    logsumexp: wrap('logsumexp', ([x], { axis }) => A.logsumexp(tf, asFloat(x), axis)),
    conv2d: wrap('conv2d', (xs, attrs, out, infos) => A.conv2d(tf, xs.map(asFloat), infos.map((t) => t.shape), attrs, out.shape)),
    maxPool2d: wrap('maxPool2d', ([x], attrs, out) => A.maxPool2d(tf, x, attrs, isFloating(out.dtype))),
    avgPool2d: wrap('avgPool2d', ([x], attrs) => A.avgPool2d(tf, asFloat(x), attrs)),
  };
  return { primitives, accelerated };
}

function sameShape(a: readonly number[], b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

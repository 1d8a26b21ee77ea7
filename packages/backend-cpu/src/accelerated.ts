import type { AcceleratedTable, OutputInfo, TensorInfo } from '@plexus/tensor';
import { BINARY_CODE, POOL_CODE, SOFTMAX_CODE, UNARY_CODE, dtypeCode } from './codes.js';
import type { NativeContext, NativeHandle } from './native.js';

const h = (t: TensorInfo): NativeHandle => t.dataId;

/**
 * GELU as the decomposition's elementwise ops, deferred: one fused pass over x when the values
 * are needed. (The gain is in the backward pass: autograd's rule for the accelerated op is one
 * expression of x, where differentiating the decomposition would store its intermediates.)
 */
function gelu(ctx: NativeContext, x: NativeHandle, approximate: 'none' | 'tanh', out: OutputInfo): NativeHandle {
  const dtype = dtypeCode('gelu', out.dtype);
  const temps: NativeHandle[] = [];
  const temp = (t: NativeHandle): NativeHandle => {
    temps.push(t);
    return t;
  };
  const scalar = (v: number): NativeHandle => temp(ctx.write(out.dtype === 'float64' ? Float64Array.of(v) : Float32Array.of(v), [], dtype));
  const mul = (a: NativeHandle, b: NativeHandle): NativeHandle => temp(ctx.binary(BINARY_CODE.mul, a, b, out.shape, dtype));
  const add = (a: NativeHandle, b: NativeHandle): NativeHandle => temp(ctx.binary(BINARY_CODE.add, a, b, out.shape, dtype));
  try {
    // The same ops in the same order as the decomposition in @plexus/tensor, so the same values.
    const s =
      approximate === 'tanh'
        ? ctx.unary(UNARY_CODE.tanh, mul(add(x, mul(mul(mul(x, x), x), scalar(0.044715))), scalar(Math.sqrt(2 / Math.PI))), out.shape)
        : ctx.unary(UNARY_CODE.erf, mul(x, scalar(Math.SQRT1_2)), out.shape);
    return ctx.binary(BINARY_CODE.mul, mul(x, scalar(0.5)), add(temp(s), scalar(1)), out.shape, dtype);
  } finally {
    // Deferred results keep what they read; the handles can go.
    for (const t of temps) ctx.dispose(t);
  }
}

/**
 * Native versions of the accelerated ops: fused softmax/logSoftmax/logsumexp (one pass per row,
 * SIMD exp), GELU (deferred elementwise ops), im2col + GEMM convolutions (and conv2d's weight
 * gradient, accumulated over the batch in the GEMM), and direct pooling and its backward scatter. Their gradients are autograd's
 * rules, which call these same ops (conv2d's input gradient is a convTranspose2d, and so on).
 */
export function createAcceleratedTable(ctx: NativeContext): AcceleratedTable {
  return {
    softmax: ([x], { axis }, out) => ctx.softmax(SOFTMAX_CODE.softmax, h(x), axis, out.shape),
    logSoftmax: ([x], { axis }, out) => ctx.softmax(SOFTMAX_CODE.logSoftmax, h(x), axis, out.shape),
    logsumexp: ([x], { axis }, out) => ctx.softmax(SOFTMAX_CODE.logsumexp, h(x), axis, out.shape),
    gelu: ([x], { approximate }, out) => gelu(ctx, h(x), approximate, out),
    conv2d: ([x, w, bias], a, out) =>
      ctx.conv2d(h(x), h(w), bias ? h(bias) : null, [...a.stride, ...a.padding, ...a.dilation, a.groups], out.shape),
    convTranspose2d: ([x, w, bias], a, out) =>
      ctx.convTranspose2d(h(x), h(w), bias ? h(bias) : null, [...a.stride, ...a.padding, ...a.dilation, a.groups, ...a.outputPadding], out.shape),
    maxPool2d: ([x], a, out) => ctx.pool2d(POOL_CODE.maxPool2d, h(x), [...a.kernel, ...a.stride, ...a.padding], out.shape),
    avgPool2d: ([x], a, out) => ctx.pool2d(POOL_CODE.avgPool2d, h(x), [...a.kernel, ...a.stride, ...a.padding], out.shape),
    conv2dWeightGrad: ([x, g], a, out) =>
      ctx.conv2dWeightGrad(h(x), h(g), [...a.stride, ...a.padding, ...a.dilation, a.groups, ...a.kernel], out.shape),
    maxPool2dBackward: ([x, g], a, out) =>
      ctx.pool2dBackward(POOL_CODE.maxPool2d, h(x), h(g), [...a.kernel, ...a.stride, ...a.padding], out.shape),
    avgPool2dBackward: ([g], a, out) =>
      ctx.pool2dBackward(POOL_CODE.avgPool2d, null, h(g), [...a.kernel, ...a.stride, ...a.padding], out.shape),
  };
}

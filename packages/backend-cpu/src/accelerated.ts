import type { AcceleratedTable, TensorInfo } from '@plexus/tensor';
import { POOL_CODE, SOFTMAX_CODE } from './codes.js';
import type { NativeContext, NativeHandle } from './native.js';

const h = (t: TensorInfo): NativeHandle => t.dataId;

/**
 * Native versions of the accelerated ops: fused softmax/logSoftmax/logsumexp (one pass per row,
 * SIMD exp), im2col + GEMM convolutions (and conv2d's weight gradient, accumulated over the
 * batch in the GEMM), and direct pooling and its backward scatter. Their gradients are autograd's
 * rules, which call these same ops (conv2d's input gradient is a convTranspose2d, and so on).
 */
export function createAcceleratedTable(ctx: NativeContext): AcceleratedTable {
  return {
    softmax: ([x], { axis }, out) => ctx.softmax(SOFTMAX_CODE.softmax, h(x), axis, out.shape),
    logSoftmax: ([x], { axis }, out) => ctx.softmax(SOFTMAX_CODE.logSoftmax, h(x), axis, out.shape),
    logsumexp: ([x], { axis }, out) => ctx.softmax(SOFTMAX_CODE.logsumexp, h(x), axis, out.shape),
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

import type { Conv2dAttrs, Pool2dAttrs, Shape } from '@plexus/tensor';
import type { Tfjs, TfTensor, TfTensor4D } from './tfjs.js';

/**
 * Optional accelerated ops. softmax/logSoftmax/logsumexp use the same "safe shift" as the
 * decompositions in @plexus/tensor (the max, with ±∞ replaced by 0), so they agree with them on
 * masked and infinite rows too. Convolution and pooling run in TensorFlow.js's NHWC layout
 * (the only one its CPU kernels take) with explicit padding, transposing around the op.
 */

function safeShift(tf: Tfjs, x: TfTensor, axis: number): TfTensor {
  const m = tf.max(x, axis, true);
  return tf.where(tf.isFinite(m), m, tf.scalar(0));
}

export function softmax(tf: Tfjs, x: TfTensor, axis: number): TfTensor {
  const e = tf.exp(tf.sub(x, safeShift(tf, x, axis)));
  return tf.div(e, tf.sum(e, axis, true));
}

export function logSoftmax(tf: Tfjs, x: TfTensor, axis: number): TfTensor {
  const shifted = tf.sub(x, safeShift(tf, x, axis));
  return tf.sub(shifted, tf.log(tf.sum(tf.exp(shifted), axis, true)));
}

/** log Σ exp over `axis`, which is removed; a row of −∞ gives −∞ (tf.logSumExp gives NaN). */
export function logsumexp(tf: Tfjs, x: TfTensor, axis: number): TfTensor {
  const m = safeShift(tf, x, axis);
  return tf.add(tf.log(tf.sum(tf.exp(tf.sub(x, m)), axis)), tf.squeeze(m, [axis]));
}

const TO_NHWC = [0, 2, 3, 1];
const TO_NCHW = [0, 3, 1, 2];
type Pair = [number, number];
/** The rank-4 view tfjs's conv and pool signatures ask for (shapes are checked by the frontend). */
const nhwc = (t: TfTensor): TfTensor4D => t as TfTensor4D;

function padSpatial(tf: Tfjs, x: TfTensor, padding: Pair, value: number): TfTensor {
  if (padding[0] === 0 && padding[1] === 0) return x;
  return tf.pad(x, [[0, 0], [padding[0], padding[0]], [padding[1], padding[1]], [0, 0]], value);
}

/**
 * x [N, C, H, W], w [O, C/groups, kH, kW], bias [O] -> [N, O, oH, oW]. groups = 1 is tf.conv2d,
 * groups = C is tf.depthwiseConv2d, anything between is one conv2d per group. TensorFlow.js
 * refuses stride > 1 together with dilation > 1, so that case convolves with stride 1 and then
 * keeps every stride-th output.
 */
export function conv2d(tf: Tfjs, inputs: TfTensor[], shapes: readonly Shape[], attrs: Conv2dAttrs, outShape: Shape): TfTensor {
  const [x, w, bias] = inputs;
  const [, C] = shapes[0];
  const [O, Cg, kH, kW] = shapes[1];
  const { stride, padding, dilation, groups } = attrs;
  const both = (stride[0] > 1 || stride[1] > 1) && (dilation[0] > 1 || dilation[1] > 1);
  const convStride: Pair = both ? [1, 1] : stride;
  const xt = padSpatial(tf, tf.transpose(x, TO_NHWC), padding, 0);
  let y: TfTensor;
  if (groups === 1) {
    y = tf.conv2d(nhwc(xt), nhwc(tf.transpose(w, [2, 3, 1, 0])), convStride, 'valid', 'NHWC', dilation);
  } else if (groups === C && Cg === 1) {
    // PyTorch's output channel c·mult + j reads input channel c, as depthwiseConv2d's does.
    const filter = tf.transpose(tf.reshape(w, [C, O / C, kH, kW]), [2, 3, 0, 1]);
    y = tf.depthwiseConv2d(nhwc(xt), nhwc(filter), convStride, 'valid', 'NHWC', dilation);
  } else {
    const xs = tf.split(xt, groups, 3);
    const ws = tf.split(w, groups, 0);
    y = tf.concat(xs.map((xg, g) => tf.conv2d(nhwc(xg), nhwc(tf.transpose(ws[g], [2, 3, 1, 0])), convStride, 'valid', 'NHWC', dilation)), 3);
  }
  if (both) {
    const [, , oH, oW] = outShape;
    y = tf.stridedSlice(y, [0, 0, 0, 0], [y.shape[0], (oH - 1) * stride[0] + 1, (oW - 1) * stride[1] + 1, O], [1, stride[0], stride[1], 1]);
  }
  if (bias) y = tf.add(y, tf.reshape(bias, [1, 1, 1, O]));
  return tf.transpose(y, TO_NCHW);
}

/** Max over windows, padding with −∞; NaN propagates (TensorFlow's pooling skips it). */
export function maxPool2d(tf: Tfjs, x: TfTensor, attrs: Pool2dAttrs, isFloat: boolean): TfTensor {
  const { kernel, stride, padding } = attrs;
  // int32 is pooled as float32: exact for |x| < 2²⁴, and TensorFlow has no int32 pooling on GPUs.
  const xt = padSpatial(tf, tf.transpose(isFloat ? x : tf.cast(x, 'float32'), TO_NHWC), padding, -Infinity);
  const y = tf.maxPool(nhwc(xt), kernel, stride, 'valid');
  if (!isFloat) return tf.transpose(y, TO_NCHW);
  const hasNaN = tf.greater(tf.maxPool(nhwc(tf.cast(tf.isNaN(xt), 'float32')), kernel, stride, 'valid'), 0);
  return tf.transpose(tf.where<TfTensor>(hasNaN, tf.scalar(NaN), y), TO_NCHW);
}

/** Mean over windows; padding counts as zeros (count_include_pad), so pad first and pool 'valid'. */
export function avgPool2d(tf: Tfjs, x: TfTensor, attrs: Pool2dAttrs): TfTensor {
  const xt = padSpatial(tf, tf.transpose(x, TO_NHWC), attrs.padding, 0);
  return tf.transpose(tf.avgPool(nhwc(xt), attrs.kernel, attrs.stride, 'valid'), TO_NCHW);
}

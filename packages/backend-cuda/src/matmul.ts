import type { DType, Shape } from '@plexus/tensor';
import { mulInt32 } from './elementwise.js';
import type { Tfjs, TfTensor } from './tfjs.js';

/**
 * x [..., r, c] broadcast to the output's batch dims. TensorFlow.js's CPU BatchMatMul flattens
 * each operand's batch dims and only broadcasts a batch of 1, so [2,1,…] @ [3,…] must be
 * expanded here; operands whose batch already matches (or is all ones) pass unchanged.
 */
function toBatch(tf: Tfjs, x: TfTensor, shape: Shape, batch: Shape): TfTensor {
  const own = [...new Array<number>(batch.length + 2 - shape.length).fill(1), ...shape.slice(0, -2)];
  const mat = shape.slice(-2);
  const y = own.length + 2 === shape.length ? x : tf.reshape(x, [...own, ...mat]);
  if (own.every((d, i) => d === batch[i]) || own.every((d) => d === 1)) return y;
  return tf.broadcastTo(y, [...batch, ...mat]);
}

/**
 * Batched matmul a [...batch, m, k] @ b [...batch, k, n] with broadcast batch dims. float32 goes to
 * tf.matMul; int32 is computed exactly (and wrapping) as a broadcast product summed over k, since
 * TensorFlow has no exact int32 GEMM on every device.
 */
export function matmul(tf: Tfjs, a: TfTensor, aShape: Shape, b: TfTensor, bShape: Shape, dtype: DType, outShape: Shape): TfTensor {
  const rank = outShape.length;
  const k = aShape[aShape.length - 1];
  if (k === 0) return tf.zeros(outShape as number[], dtype === 'int32' ? 'int32' : 'float32');
  const batch = outShape.slice(0, -2);
  const a2 = toBatch(tf, a, aShape, batch);
  const b2 = toBatch(tf, b, bShape, batch);
  if (dtype !== 'int32') return tf.matMul(a2, b2);
  const lhs = tf.reshape(a2, [...a2.shape, 1]); // [..., m, k, 1]
  const rhs = tf.reshape(b2, [...b2.shape.slice(0, -2), 1, ...b2.shape.slice(-2)]); // [..., 1, k, n]
  return tf.sum(mulInt32(tf, lhs, rhs), rank - 1);
}

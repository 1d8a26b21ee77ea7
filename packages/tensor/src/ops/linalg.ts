import { DTypeError, ShapeError, fmtShape } from '../errors.js';
import { runPrimitive } from '../dispatch.js';
import { broadcastShapes } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { promote } from './elementwise.js';
import { reshape } from './movement.js';
import { assertTensor } from './util.js';

/**
 * Matrix product with PyTorch's rules: 1-D operands are promoted to a row/column and the added
 * dim removed after; leading (batch) dims broadcast.
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  assertTensor('matmul', a);
  assertTensor('matmul', b, 'other');
  if (a.rank === 0 || b.rank === 0) {
    throw new ShapeError(`matmul: both operands need at least one dimension, got ${fmtShape(a.shape)} @ ${fmtShape(b.shape)}`);
  }
  if (a.dtype === 'bool' || b.dtype === 'bool') throw new DTypeError(`matmul: bool operands are not supported, got ${a.dtype} @ ${b.dtype}`);
  const [x0, y0, dtype] = promote('matmul', a, b);
  const x = a.rank === 1 ? reshape(x0, [1, a.shape[0]]) : x0;
  const y = b.rank === 1 ? reshape(y0, [b.shape[0], 1]) : y0;
  const [m, k] = x.shape.slice(-2);
  const [k2, n] = y.shape.slice(-2);
  if (k !== k2) {
    throw new ShapeError(`matmul: inner dimensions differ: ${fmtShape(a.shape)} @ ${fmtShape(b.shape)}`);
  }
  const batch = broadcastShapes('matmul', x.shape.slice(0, -2), y.shape.slice(0, -2));
  const out = runPrimitive('matmul', [x, y], {}, { shape: [...batch, m, n], dtype });
  if (a.rank === 1 && b.rank === 1) return reshape(out, []);
  if (a.rank === 1) return reshape(out, [...batch, n]);
  if (b.rank === 1) return reshape(out, [...batch, m]);
  return out;
}

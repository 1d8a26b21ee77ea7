import { ArgumentError, DTypeError, ShapeError, fmtShape } from '../errors.js';
import { runPrimitive } from '../dispatch.js';
import { normalizeAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { arange } from './creation.js';
import { cast, equal } from './elementwise.js';
import { expand, reshape, unsqueeze } from './movement.js';
import { assertTensor } from './util.js';

function checkIndexDType(op: string, index: Tensor): void {
  if (index.dtype !== 'int32') throw new DTypeError(`${op}: index must be int32, got ${index.dtype}`);
}

/**
 * Checks every index is in [0, n) when the backend can read synchronously (backend-js and the
 * native backend can, cheaply); other backends check in their own kernels.
 */
export function checkIndexRange(op: string, index: Tensor, n: number): void {
  if (!index.backend.readSync || index.size === 0) return;
  const data = index.dataSync();
  for (let i = 0; i < data.length; i++) {
    if (data[i] < 0 || data[i] >= n) {
      throw new ArgumentError(`${op}: index ${data[i]} is out of range for a dimension of size ${n} (at flat position ${i})`);
    }
  }
}

/** out[..i..] = x[.. index[..i..] ..] along `dim` (torch.gather). */
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  assertTensor('gather', x);
  assertTensor('gather', index, 'index');
  checkIndexDType('gather', index);
  const axis = normalizeAxis('gather', dim, x.rank);
  if (index.rank !== x.rank || index.shape.some((d, i) => i !== axis && d > x.shape[i])) {
    throw new ShapeError(
      `gather: index ${fmtShape(index.shape)} must have the rank of input ${fmtShape(x.shape)} and no larger size outside dimension ${axis}`,
    );
  }
  checkIndexRange('gather', index, x.shape[axis]);
  return runPrimitive('gather', [x, index], { axis }, { shape: index.shape, dtype: x.dtype });
}

/** A copy of x with src added at the positions index names along `dim` (torch.scatter_add). */
export function scatterAdd(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  assertTensor('scatterAdd', x);
  assertTensor('scatterAdd', index, 'index');
  assertTensor('scatterAdd', src, 'src');
  checkIndexDType('scatterAdd', index);
  const axis = normalizeAxis('scatterAdd', dim, x.rank);
  if (index.rank !== x.rank || index.shape.some((d, i) => d !== src.shape[i] || (i !== axis && d > x.shape[i]))) {
    throw new ShapeError(
      `scatterAdd: index ${fmtShape(index.shape)} and src ${fmtShape(src.shape)} must share a shape of the rank of input ${fmtShape(x.shape)}, no larger outside dimension ${axis}`,
    );
  }
  checkIndexRange('scatterAdd', index, x.shape[axis]);
  return runPrimitive('scatterAdd', [x, index, cast(src, x.dtype)], { axis }, { shape: x.shape, dtype: x.dtype });
}

/** Picks the entries listed by a 1-D int32 `index` along `dim`. */
export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  assertTensor('indexSelect', x);
  assertTensor('indexSelect', index, 'index');
  checkIndexDType('indexSelect', index);
  if (index.rank !== 1) throw new ShapeError(`indexSelect: index must be 1-D, got ${fmtShape(index.shape)}`);
  const axis = normalizeAxis('indexSelect', dim, x.rank);
  checkIndexRange('indexSelect', index, x.shape[axis]);
  const shape = [...x.shape];
  shape[axis] = index.size;
  const idx = expand(reshape(index, x.shape.map((_, i) => (i === axis ? index.size : 1))), shape);
  return runPrimitive('gather', [x, idx], { axis }, { shape, dtype: x.dtype });
}

/** int32 one-hot encoding with a new last dim of size numClasses. */
export function oneHot(indices: Tensor, numClasses: number): Tensor {
  assertTensor('oneHot', indices);
  checkIndexDType('oneHot', indices);
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new ArgumentError(`oneHot: numClasses must be a positive integer, got ${numClasses}`);
  }
  checkIndexRange('oneHot', indices, numClasses);
  return cast(equal(unsqueeze(indices, -1), arange(numClasses, undefined, 1, { backend: indices.backend })), 'int32');
}

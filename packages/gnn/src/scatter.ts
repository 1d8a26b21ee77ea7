import type { Tensor } from '@plexus/tensor';
import { ArgumentError, DTypeError, ShapeError, concat, fmtShape, fromData, full, indexSelect, isTensor, where, zeros } from '@plexus/tensor';
import { hostData } from './host.js';

/** Host view of a segment index: which rows of src belong to each output row. */
interface Segments {
  dataId: object;
  dimSize: number;
  counts: Float64Array;
  /** Rows of each segment laid out in a [dimSize, maxCount] grid; empty slots hold `padRow`. */
  grid: Int32Array;
  maxCount: number;
}

const segmentCache = new WeakMap<Tensor, Segments>();

/** Validates a 1-D int32 index into [0, dimSize) with one entry per row of src. */
function checkIndex(op: string, src: Tensor, index: Tensor, dimSize: number): void {
  if (!isTensor(src)) throw new ArgumentError(`${op}: src must be a Tensor, got ${String(src)}`);
  if (!isTensor(index)) throw new ArgumentError(`${op}: index must be a Tensor, got ${String(index)}`);
  if (index.dtype !== 'int32') throw new DTypeError(`${op}: index must be int32, got ${index.dtype}`);
  if (index.rank !== 1) throw new ShapeError(`${op}: index must be 1-D, got ${fmtShape(index.shape)}`);
  if (src.rank < 1 || src.shape[0] !== index.shape[0]) throw new ShapeError(`${op}: src ${fmtShape(src.shape)} must have one row per index entry (${index.shape[0]})`);
  if (!Number.isInteger(dimSize) || dimSize < 0) throw new ArgumentError(`${op}: dimSize must be an integer >= 0, got ${String(dimSize)}`);
}

function segmentsOf(op: string, index: Tensor, dimSize: number): Segments {
  const hit = segmentCache.get(index);
  if (hit && hit.dataId === index.dataId && hit.dimSize === dimSize) return hit;
  const data = hostData(op, 'index', index);
  const counts = new Float64Array(dimSize);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v < 0 || v >= dimSize) throw new ArgumentError(`${op}: index ${v} at position ${i} is out of range for dimSize ${dimSize} (expected [0, ${dimSize}))`);
    counts[v]++;
  }
  const maxCount = counts.reduce((a, b) => Math.max(a, b), 0);
  const grid = new Int32Array(dimSize * maxCount).fill(data.length); // data.length: the pad row
  const fill = new Int32Array(dimSize);
  for (let i = 0; i < data.length; i++) grid[data[i] * maxCount + fill[data[i]]++] = i;
  const s: Segments = { dataId: index.dataId, dimSize, counts, grid, maxCount };
  segmentCache.set(index, s);
  return s;
}

/** index [E] broadcast to src's shape, as scatterAdd wants. */
function expandIndex(index: Tensor, src: Tensor): Tensor {
  return index.reshape([index.shape[0], ...src.shape.slice(1).map(() => 1)]).expand(src.shape);
}

/**
 * out[i] = Σ src[e] over the e with index[e] = i (torch_scatter's scatter sum along dim 0):
 * the aggregation step of message passing. out has dimSize rows; empty rows are 0.
 */
export function scatterSum(src: Tensor, index: Tensor, dimSize: number): Tensor {
  checkIndex('scatterSum', src, index, dimSize);
  segmentsOf('scatterSum', index, dimSize);
  const out = zeros([dimSize, ...src.shape.slice(1)], { dtype: src.dtype, backend: src.backend });
  return index.shape[0] === 0 ? out : out.scatterAdd(0, expandIndex(index, src), src);
}

/** Per-row counts of an index, as a [dimSize, 1, …] tensor of src's dtype (for means). */
export function segmentCounts(src: Tensor, index: Tensor, dimSize: number, op = 'segmentCounts'): Tensor {
  const { counts } = segmentsOf(op, index, dimSize);
  const data = src.dtype === 'float64' ? Float64Array.from(counts) : Float32Array.from(counts);
  return fromData(op, data, [dimSize, ...src.shape.slice(1).map(() => 1)], { backend: src.backend });
}

/** Mean of the rows of src sent to each index (0 for an empty row). */
export function scatterMean(src: Tensor, index: Tensor, dimSize: number): Tensor {
  checkIndex('scatterMean', src, index, dimSize);
  const count = segmentCounts(src, index, dimSize, 'scatterMean').clamp(1);
  return scatterSum(src, index, dimSize).div(count);
}

/**
 * Maximum of the rows of src sent to each index (0 for an empty row, as in PyG). Built from
 * gather and a max reduction over a padded [dimSize, maxCount, …] grid, so it needs no scatter-max
 * primitive and its gradient goes to the maximal entries.
 */
export function scatterMax(src: Tensor, index: Tensor, dimSize: number): Tensor {
  checkIndex('scatterMax', src, index, dimSize);
  const s = segmentsOf('scatterMax', index, dimSize);
  const tail = src.shape.slice(1);
  if (s.maxCount === 0) return zeros([dimSize, ...tail], { dtype: src.dtype, backend: src.backend });
  const padded = concat([src, full([1, ...tail], -Infinity, { dtype: src.dtype, backend: src.backend })], 0);
  const grid = fromData('scatterMax', s.grid, [s.grid.length], { backend: src.backend });
  const m = indexSelect(padded, 0, grid).reshape([dimSize, s.maxCount, ...tail]).max(1);
  const empty = segmentCounts(src, index, dimSize, 'scatterMax').eq(0);
  return where(empty, 0, m);
}

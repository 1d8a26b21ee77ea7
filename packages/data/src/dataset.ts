import type { Backend, Tensor } from '@plexus/tensor';
import { ArgumentError, ShapeError, fromData, indexSelect, isTensor, reshape, narrow } from '@plexus/tensor';
import type { Collated } from './collate.js';
import { defaultCollate } from './collate.js';

/**
 * A map-style dataset: `length` samples, the i-th from `get(i)`. `getBatch(indices)` is an
 * optional fast path returning an already collated batch (what `defaultCollate` would make of
 * the samples); DataLoader uses it when present.
 */
export interface Dataset<T> {
  readonly length: number;
  get(index: number): T;
  getBatch?(indices: readonly number[]): Collated<T>;
}

export function checkIndex(op: string, index: number, length: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= length) {
    throw new ArgumentError(`${op}: index ${index} is out of range for a dataset of length ${length}`);
  }
}

/** An int32 index tensor on `backend` (the batch gather's argument). */
function indexTensor(indices: readonly number[], backend: Backend): Tensor {
  return fromData('TensorDataset.getBatch', Int32Array.from(indices), [indices.length], { backend });
}

/**
 * Tensors sharing their first dimension; sample i is the list of their i-th slices. A batch is
 * one indexSelect per tensor, not one slice per sample.
 */
export class TensorDataset implements Dataset<Tensor[]> {
  readonly tensors: readonly Tensor[];

  constructor(...tensors: Tensor[]) {
    if (tensors.length === 0) throw new ArgumentError('TensorDataset: expected at least one tensor');
    tensors.forEach((t, i) => {
      if (!isTensor(t)) throw new ArgumentError(`TensorDataset: argument ${i} is not a Tensor`);
      if (t.rank === 0) throw new ShapeError(`TensorDataset: tensor ${i} is a scalar; expected a first (sample) dimension`);
      if (t.shape[0] !== tensors[0].shape[0]) {
        throw new ShapeError(
          `TensorDataset: all tensors must share the first dimension; tensor 0 is [${tensors[0].shape.join(',')}], tensor ${i} is [${t.shape.join(',')}]`,
        );
      }
    });
    this.tensors = [...tensors];
  }

  get length(): number {
    return this.tensors[0].shape[0];
  }

  get(index: number): Tensor[] {
    checkIndex('TensorDataset.get', index, this.length);
    return this.tensors.map((t) => reshape(narrow(t, 0, index, 1), t.shape.slice(1)));
  }

  getBatch(indices: readonly number[]): Tensor[] {
    for (const i of indices) checkIndex('TensorDataset.getBatch', i, this.length);
    const byBackend = new Map<Backend, Tensor>();
    return this.tensors.map((t) => {
      let idx = byBackend.get(t.backend);
      if (!idx) byBackend.set(t.backend, (idx = indexTensor(indices, t.backend)));
      return indexSelect(t, 0, idx);
    });
  }
}

/** The samples of `dataset` at `indices`, in that order. */
export class Subset<T> implements Dataset<T> {
  readonly dataset: Dataset<T>;
  readonly indices: readonly number[];

  constructor(dataset: Dataset<T>, indices: readonly number[] | Int32Array) {
    const list = Array.from(indices);
    for (const i of list) checkIndex('Subset', i, dataset.length);
    this.dataset = dataset;
    this.indices = list;
  }

  get length(): number {
    return this.indices.length;
  }

  get(index: number): T {
    checkIndex('Subset.get', index, this.indices.length);
    return this.dataset.get(this.indices[index]);
  }

  getBatch(indices: readonly number[]): Collated<T> {
    const mapped = indices.map((i) => {
      checkIndex('Subset.getBatch', i, this.indices.length);
      return this.indices[i];
    });
    if (this.dataset.getBatch) return this.dataset.getBatch(mapped);
    return defaultCollate(mapped.map((i) => this.dataset.get(i)));
  }
}

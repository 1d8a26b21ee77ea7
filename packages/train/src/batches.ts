import type { Tensor } from '@plexus/tensor';
import { ArgumentError, isTensor } from '@plexus/tensor';

/** A batch: [x, y] (what a DataLoader over a TensorDataset yields), { x, y }, or just x (predict). */
export type Batch = readonly Tensor[] | Tensor | { readonly x: Tensor; readonly y?: Tensor };

/** A DataLoader, or any iterable or async iterable of batches. */
export type BatchSource = Iterable<Batch> | AsyncIterable<Batch>;

export function checkSource(op: string, name: string, source: unknown): asserts source is BatchSource {
  const ok = source !== null && typeof source === 'object' && (Symbol.asyncIterator in source || Symbol.iterator in source);
  if (!ok || isTensor(source)) {
    throw new ArgumentError(`${op}: ${name} must be a DataLoader or an iterable of [x, y] batches, got ${isTensor(source) ? 'a Tensor' : source === null ? 'null' : typeof source}`);
  }
}

/** Iterates a source asynchronously (prefetching DataLoaders prepare the next batch meanwhile). */
export async function* batchesOf(source: BatchSource): AsyncGenerator<Batch> {
  if (Symbol.asyncIterator in source) yield* source as AsyncIterable<Batch>;
  else yield* source as Iterable<Batch>;
}

/** The number of batches a source will yield, when it says (a DataLoader's or an array's length). */
export function lengthOf(source: BatchSource): number | undefined {
  const n = (source as { length?: unknown }).length;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** [x, y] of a training or evaluation batch. */
export function inputAndTarget(op: string, batch: Batch, index: number): [Tensor, Tensor] {
  if (Array.isArray(batch) && batch.length >= 2 && isTensor(batch[0]) && isTensor(batch[1])) return [batch[0], batch[1]];
  if (batch !== null && typeof batch === 'object' && !Array.isArray(batch) && !isTensor(batch)) {
    const { x, y } = batch as { x?: unknown; y?: unknown };
    if (isTensor(x) && isTensor(y)) return [x, y];
  }
  throw new ArgumentError(`${op}: batch ${index} must be [x, y] tensors (or { x, y }), got ${describe(batch)}`);
}

/** The input of a prediction batch: x, [x, ...] or { x }. */
export function inputOf(op: string, batch: Batch, index: number): Tensor {
  if (isTensor(batch)) return batch;
  if (Array.isArray(batch) && batch.length >= 1 && isTensor(batch[0])) return batch[0];
  if (batch !== null && typeof batch === 'object' && isTensor((batch as { x?: unknown }).x)) return (batch as { x: Tensor }).x;
  throw new ArgumentError(`${op}: batch ${index} must be a tensor, [x, ...] or { x }, got ${describe(batch)}`);
}

function describe(v: unknown): string {
  if (isTensor(v)) return `a tensor ${v.describe()}`;
  if (Array.isArray(v)) return `an array of ${v.length} (${v.map((e) => (isTensor(e) ? e.describe() : typeof e)).join(', ')})`;
  return v === null ? 'null' : typeof v;
}

/** Samples in a batch: the first dimension of its input. */
export function batchSize(x: Tensor): number {
  return x.rank > 0 ? x.shape[0] : 1;
}

/** The value of a one-element tensor, read on any backend. */
export async function scalar(t: Tensor): Promise<number> {
  if (t.size !== 1) throw new ArgumentError(`expected a one-element loss, got ${t.describe()}; use reduction 'mean'`);
  return Number((await t.data())[0]);
}

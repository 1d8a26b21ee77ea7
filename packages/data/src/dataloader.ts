import type { Generator } from '@plexus/tensor';
import { ArgumentError, getDefaultGenerator } from '@plexus/tensor';
import type { Collated } from './collate.js';
import { defaultCollate } from './collate.js';
import type { Dataset } from './dataset.js';
import { permutation } from './random.js';

export interface DataLoaderOptions<T, B> {
  /** Samples per batch (default 1). */
  batchSize?: number;
  /** A fresh random order every epoch (default false). */
  shuffle?: boolean;
  /** Skip the last batch when it would be smaller than batchSize (default false). */
  dropLast?: boolean;
  /**
   * Builds a batch from a list of samples. When given, samples are fetched one by one with
   * `get`; without it, the dataset's `getBatch` fast path is used if it has one, else
   * `defaultCollate`.
   */
  collate?: (samples: T[]) => B;
  /** The generator for shuffling (default: @plexus/tensor's default generator at epoch start). */
  generator?: Generator;
  /** In `for await`, prepare the next batch while the consumer works on the current one (default true). */
  prefetch?: boolean;
}

/** Runs `fn` in a later macrotask, so the consumer of the current batch runs first. */
function later<R>(fn: () => R): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    const run = (): void => {
      try {
        resolve(fn());
      } catch (e) {
        reject(e);
      }
    };
    if (typeof setImmediate === 'function') setImmediate(run);
    else setTimeout(run, 0);
  });
}

/**
 * Batches of a dataset, as in PyTorch: `for (const batch of loader)` or
 * `for await (const batch of loader)`. Each iteration is one epoch; with `shuffle` each epoch
 * draws a new permutation from the generator, so a seeded generator gives a reproducible run.
 */
export class DataLoader<T, B = Collated<T>> implements Iterable<B>, AsyncIterable<B> {
  readonly dataset: Dataset<T>;
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  readonly prefetch: boolean;
  private readonly collate: ((samples: T[]) => B) | undefined;
  private readonly generator: Generator | undefined;

  constructor(dataset: Dataset<T>, options: DataLoaderOptions<T, B> = {}) {
    if (!dataset || typeof dataset.get !== 'function' || !Number.isInteger(dataset.length) || dataset.length < 0) {
      throw new ArgumentError('DataLoader: expected a dataset with an integer length and a get(i) method');
    }
    const { batchSize = 1, shuffle = false, dropLast = false, collate, generator, prefetch = true } = options;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new ArgumentError(`DataLoader: batchSize must be a positive integer, got ${batchSize}`);
    }
    if (collate !== undefined && typeof collate !== 'function') throw new ArgumentError('DataLoader: collate must be a function');
    this.dataset = dataset;
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.dropLast = dropLast;
    this.prefetch = prefetch;
    this.collate = collate;
    this.generator = generator;
  }

  /** The number of batches in one epoch. */
  get length(): number {
    const n = this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** The sample order of one epoch. The default generator is looked up now, after any manualSeed. */
  private epochOrder(): Int32Array {
    const n = this.dataset.length;
    if (this.shuffle) return permutation(n, this.generator ?? getDefaultGenerator());
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    return order;
  }

  private batchAt(order: Int32Array, b: number): B {
    const start = b * this.batchSize;
    const indices = Array.from(order.subarray(start, Math.min(start + this.batchSize, order.length)));
    if (this.collate) return this.collate(indices.map((i) => this.dataset.get(i)));
    if (this.dataset.getBatch) return this.dataset.getBatch(indices) as B;
    return defaultCollate(indices.map((i) => this.dataset.get(i))) as B;
  }

  *[Symbol.iterator](): Iterator<B> {
    const order = this.epochOrder();
    const count = this.length;
    for (let b = 0; b < count; b++) yield this.batchAt(order, b);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<B> {
    const order = this.epochOrder();
    const count = this.length;
    if (!this.prefetch) {
      for (let b = 0; b < count; b++) yield this.batchAt(order, b);
      return;
    }
    const start = (b: number): Promise<B> | null => {
      if (b >= count) return null;
      const p = later(() => this.batchAt(order, b));
      // If the consumer stops early, a failure of the prefetched batch must not go unhandled.
      p.catch(() => undefined);
      return p;
    };
    let next = start(0);
    for (let b = 0; b < count; b++) {
      const batch = await (next as Promise<B>);
      // Batch b+1 is built in a macrotask that runs while the consumer awaits its own work on b.
      next = start(b + 1);
      yield batch;
    }
  }
}

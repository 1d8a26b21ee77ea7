import { describe, expect, it } from 'vitest';
import type { Tensor } from '@plexus/tensor';
import { ArgumentError, Generator, arange, manualSeed, tensor } from '@plexus/tensor';
import { DataLoader, TensorDataset } from '../src/index.js';
import { expectError, values } from './helpers.js';

const dataset = (n: number) => new TensorDataset(arange(n).float(), arange(n).mul(10));
const firstColumn = (batches: Tensor[][]) => batches.map(([x]) => values(x));

describe('DataLoader batching', () => {
  it('counts batches with and without dropLast', () => {
    expect(new DataLoader(dataset(10), { batchSize: 3 }).length).toBe(4);
    expect(new DataLoader(dataset(10), { batchSize: 3, dropLast: true }).length).toBe(3);
    expect(new DataLoader(dataset(9), { batchSize: 3, dropLast: true }).length).toBe(3);
    expect(new DataLoader(dataset(10)).length).toBe(10);
    expect(new DataLoader(dataset(0), { batchSize: 4 }).length).toBe(0);
  });

  it('yields the samples in order without shuffle; the last batch is short unless dropped', () => {
    const batches = [...new DataLoader(dataset(7), { batchSize: 3 })];
    expect(firstColumn(batches)).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    expect(values(batches[2][1])).toEqual([60]);
    expect(firstColumn([...new DataLoader(dataset(7), { batchSize: 3, dropLast: true })])).toEqual([[0, 1, 2], [3, 4, 5]]);
  });

  it('uses getBatch when the dataset has it, and never get()', () => {
    const ds = dataset(6);
    let gets = 0;
    const spied = { length: ds.length, get: (i: number) => (gets++, ds.get(i)), getBatch: (ix: readonly number[]) => ds.getBatch(ix) };
    const out = [...new DataLoader(spied, { batchSize: 4 })];
    expect(out.length).toBe(2);
    expect(gets).toBe(0);
  });

  it('passes get() samples to a custom collate', () => {
    const loader = new DataLoader(dataset(5), { batchSize: 2, collate: (samples) => samples.map(([x]) => values(x)[0]) });
    expect([...loader]).toEqual([[0, 1], [2, 3], [4]]);
  });

  it('collates plain samples with defaultCollate', () => {
    const ds = { length: 4, get: (i: number) => ({ x: [i, i + 0.5], label: tensor(i % 2, { dtype: 'int32' }) }) };
    const [b] = [...new DataLoader(ds, { batchSize: 4 })];
    expect(values(b.x[1])).toEqual([0.5, 1.5, 2.5, 3.5]);
    expect(b.label.dtype).toBe('int32');
  });

  it('rejects a bad batch size and a non-dataset', () => {
    expectError(() => new DataLoader(dataset(3), { batchSize: 0 }), ArgumentError, 'batchSize', '0');
    expectError(() => new DataLoader(dataset(3), { batchSize: 1.5 }), ArgumentError, 'batchSize');
    expectError(() => new DataLoader({} as never), ArgumentError, 'dataset');
  });
});

describe('DataLoader shuffling', () => {
  it('covers every sample once per epoch, in a new order each epoch', () => {
    const loader = new DataLoader(dataset(20), { batchSize: 6, shuffle: true, generator: new Generator(1) });
    const e1 = firstColumn([...loader]).flat();
    const e2 = firstColumn([...loader]).flat();
    expect([...e1].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect([...e2].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(e1).not.toEqual(e2);
  });

  it('is reproducible: the same seed gives the same epochs', () => {
    const run = () => {
      const loader = new DataLoader(dataset(20), { batchSize: 6, shuffle: true, generator: new Generator(42) });
      return [firstColumn([...loader]), firstColumn([...loader])];
    };
    expect(run()).toEqual(run());
  });

  it('draws from the default generator at epoch start, so manualSeed governs it', () => {
    const loader = new DataLoader(dataset(12), { batchSize: 12, shuffle: true });
    manualSeed(5);
    const a = firstColumn([...loader]);
    manualSeed(5);
    const b = firstColumn([...loader]);
    manualSeed(6);
    const c = firstColumn([...loader]);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('keeps x and y rows together', () => {
    for (const [x, y] of new DataLoader(dataset(10), { batchSize: 4, shuffle: true, generator: new Generator(3) })) {
      expect(values(y)).toEqual(values(x).map((v) => v * 10));
    }
  });
});

describe('DataLoader async iteration', () => {
  it('gives the same batches as sync iteration', async () => {
    const sync = firstColumn([...new DataLoader(dataset(10), { batchSize: 4, shuffle: true, generator: new Generator(9) })]);
    const got: number[][] = [];
    for await (const [x] of new DataLoader(dataset(10), { batchSize: 4, shuffle: true, generator: new Generator(9) })) got.push(values(x));
    expect(got).toEqual(sync);
  });

  it('prepares batch k+1 while the consumer is still working on batch k', async () => {
    const log: string[] = [];
    const ds = dataset(6);
    const traced = { length: 6, get: (i: number) => ds.get(i), getBatch: (ix: readonly number[]) => (log.push(`build ${ix[0] / 2}`), ds.getBatch(ix)) };
    for await (const [x] of new DataLoader(traced, { batchSize: 2 })) {
      const k = values(x)[0] / 2;
      log.push(`start ${k}`);
      await new Promise((r) => setTimeout(r, 5)); // the consumer's own async work (e.g. a GPU read)
      log.push(`end ${k}`);
    }
    expect(log).toEqual(['build 0', 'start 0', 'build 1', 'end 0', 'start 1', 'build 2', 'end 1', 'start 2', 'end 2']);
  });

  it('builds on demand with prefetch off', async () => {
    const log: string[] = [];
    const ds = dataset(4);
    const traced = { length: 4, get: (i: number) => ds.get(i), getBatch: (ix: readonly number[]) => (log.push(`build ${ix[0] / 2}`), ds.getBatch(ix)) };
    for await (const [x] of new DataLoader(traced, { batchSize: 2, prefetch: false })) {
      const k = values(x)[0] / 2;
      await new Promise((r) => setTimeout(r, 1));
      log.push(`end ${k}`);
    }
    expect(log).toEqual(['build 0', 'end 0', 'build 1', 'end 1']);
  });

  it('reports a failing batch at that batch, and an early break leaves nothing unhandled', async () => {
    const ds = dataset(6);
    const failing = {
      length: 6,
      get: (i: number) => ds.get(i),
      getBatch: (ix: readonly number[]) => {
        if (ix[0] === 4) throw new ArgumentError('broken sample 4');
        return ds.getBatch(ix);
      },
    };
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const [x] of new DataLoader(failing, { batchSize: 2 })) seen.push(values(x)[0]);
      })(),
    ).rejects.toThrow('broken sample 4');
    expect(seen).toEqual([0, 2]);
    // Break after batch 1 while batch 2 (which fails) is being prefetched.
    for await (const [x] of new DataLoader(failing, { batchSize: 2 })) if (values(x)[0] === 2) break;
    await new Promise((r) => setTimeout(r, 5));
  });
});

import { describe, expect, it } from 'vitest';
import { ArgumentError, DTypeError, Generator, ShapeError, arange, tensor } from '@plexus/tensor';
import { Subset, TensorDataset, kFold, randomSplit, trainValTestSplit } from '../src/index.js';
import { roundMatrix } from '../src/rounding.js';
import { expectError, values } from './helpers.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const sorted = (a: readonly number[]) => [...a].sort((x, y) => x - y);
const countBy = (idx: readonly number[], labels: readonly number[]) => {
  const m = new Map<number, number>();
  for (const i of idx) m.set(labels[i], (m.get(labels[i]) ?? 0) + 1);
  return m;
};

describe('roundMatrix', () => {
  it('rounds each entry to floor or ceiling while keeping the row and column sums', () => {
    // Rows of 3 classes (5, 3, 2 samples) over splits of 4, 3, 3.
    const a = [5, 3, 2].map((r) => [4, 3, 3].map((c) => (r * c) / 10));
    const out = roundMatrix(a, [5, 3, 2], [4, 3, 3]);
    out.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - a[i][j])).toBeLessThan(1)));
    expect(out.map((r) => r.reduce((x, y) => x + y))).toEqual([5, 3, 2]);
    expect([0, 1, 2].map((j) => out.reduce((s, r) => s + r[j], 0))).toEqual([4, 3, 3]);
  });

  it('holds for many random class sizes and splits', () => {
    const g = new Generator(11);
    for (let trial = 0; trial < 200; trial++) {
      const u = g.nextUniform(12);
      const rows = Array.from({ length: 2 + Math.floor(u[0] * 8) }, (_, i) => 1 + Math.floor(u[1 + i] * 50));
      const n = rows.reduce((a, b) => a + b);
      const s1 = Math.floor(u[10] * n * 0.5);
      const s2 = Math.floor(u[11] * (n - s1));
      const cols = [n - s1 - s2, s1, s2];
      const a = rows.map((r) => cols.map((c) => (r * c) / n));
      const out = roundMatrix(a, rows, cols);
      out.forEach((row, i) => {
        expect(row.reduce((x, y) => x + y)).toBe(rows[i]);
        row.forEach((v, j) => expect(v === Math.floor(a[i][j] + 1e-9) || v === Math.ceil(a[i][j] - 1e-9)).toBe(true));
      });
      cols.forEach((c, j) => expect(out.reduce((s, r) => s + r[j], 0)).toBe(c));
    }
  });
});

describe('randomSplit', () => {
  const ds = new TensorDataset(arange(10).float());

  it('splits by counts into disjoint Subsets covering the dataset', () => {
    const parts = randomSplit(ds, [6, 4], { generator: new Generator(0) });
    expect(parts.map((p) => p.length)).toEqual([6, 4]);
    expect(parts[0]).toBeInstanceOf(Subset);
    expect(sorted([...parts[0].indices, ...parts[1].indices])).toEqual(range(10));
  });

  it('splits by fractions, giving the remainder to the first parts (as PyTorch)', () => {
    expect(randomSplit(ds, [0.33, 0.33, 0.34], { generator: new Generator(0) }).map((p) => p.length)).toEqual([4, 3, 3]);
  });

  it('is determined by the generator', () => {
    const a = randomSplit(ds, [5, 5], { generator: new Generator(3) }).map((p) => p.indices);
    const b = randomSplit(ds, [5, 5], { generator: new Generator(3) }).map((p) => p.indices);
    expect(a).toEqual(b);
  });

  it('rejects lengths that neither count the dataset nor sum to 1', () => {
    expectError(() => randomSplit(ds, [5, 4]), ArgumentError, 'randomSplit', 'length 10');
    expectError(() => randomSplit(ds, [0.5, 0.2]), ArgumentError, 'randomSplit');
  });
});

describe('trainValTestSplit', () => {
  it('gives disjoint index arrays covering 0..n-1 with rounded fraction sizes', () => {
    const { train, val, test } = trainValTestSplit(103, { val: 0.15, test: 0.1 });
    expect([train.length, val.length, test.length]).toEqual([78, 15, 10]);
    expect(sorted([...train, ...val, ...test])).toEqual(range(103));
  });

  it('takes integer counts, and defaults to 10% / 10%', () => {
    const s = trainValTestSplit(50, { val: 7, test: 3 });
    expect([s.train.length, s.val.length, s.test.length]).toEqual([40, 7, 3]);
    const d = trainValTestSplit(50);
    expect([d.train.length, d.val.length, d.test.length]).toEqual([40, 5, 5]);
  });

  it('is the same for the same seed and different for another', () => {
    expect(trainValTestSplit(40, { seed: 1 })).toEqual(trainValTestSplit(40, { seed: 1 }));
    expect(trainValTestSplit(40, { seed: 1 }).train).not.toEqual(trainValTestSplit(40, { seed: 2 }).train);
  });

  it('keeps each class within ±1 of its share in every split when stratified', () => {
    // Unbalanced classes: 50 of class 0, 30 of class 1, 17 of class 2, 3 of class 3.
    const labels = [...Array(50).fill(0), ...Array(30).fill(1), ...Array(17).fill(2), ...Array(3).fill(3)] as number[];
    for (const seed of [0, 1, 2]) {
      const s = trainValTestSplit(100, { val: 0.2, test: 0.1, stratify: labels, seed });
      expect([s.train.length, s.val.length, s.test.length]).toEqual([70, 20, 10]);
      expect(sorted([...s.train, ...s.val, ...s.test])).toEqual(range(100));
      for (const [part, frac] of [[s.train, 0.7], [s.val, 0.2], [s.test, 0.1]] as const) {
        const counts = countBy(part, labels);
        for (const [cls, size] of [[0, 50], [1, 30], [2, 17], [3, 3]]) {
          expect(Math.abs((counts.get(cls) ?? 0) - size * frac)).toBeLessThanOrEqual(1);
        }
      }
    }
    // Exact shares are integers for class 0 and 1 here, so those are exact.
    const s = trainValTestSplit(100, { val: 0.2, test: 0.1, stratify: labels });
    expect(countBy(s.val, labels).get(0)).toBe(10);
    expect(countBy(s.test, labels).get(1)).toBe(3);
  });

  it('interleaves the classes in each split rather than grouping them', () => {
    const labels = range(200).map((i) => (i < 100 ? 0 : 1));
    const { train } = trainValTestSplit(200, { stratify: labels });
    const firstHalf = train.slice(0, 80).map((i) => labels[i]);
    expect(firstHalf.includes(0) && firstHalf.includes(1)).toBe(true);
  });

  it('accepts an int32 tensor of labels and returns Subsets for a dataset', () => {
    const ds = new TensorDataset(arange(20).float());
    const labels = tensor(range(20).map((i) => i % 2), { dtype: 'int32' });
    const { train, val, test } = trainValTestSplit(ds, { val: 4, test: 4, stratify: labels });
    expect(train).toBeInstanceOf(Subset);
    expect([train.length, val.length, test.length]).toEqual([12, 4, 4]);
    expect(values(val.getBatch([0, 1, 2, 3])[0]).filter((v) => v % 2 === 0).length).toBe(2);
  });

  it('rejects bad shares and labels', () => {
    expectError(() => trainValTestSplit(10, { val: 0.6, test: 0.5 }), ArgumentError, 'need more than the 10 samples');
    expectError(() => trainValTestSplit(10, { val: 1.5 }), ArgumentError, 'val', '1.5');
    expectError(() => trainValTestSplit(10, { stratify: [0, 1] }), ShapeError, 'expected 10 stratify labels', 'got 2');
    expectError(() => trainValTestSplit(3, { stratify: [0, 1.5, 1] }), ArgumentError, 'integers', '1.5');
    expectError(() => trainValTestSplit(2, { stratify: tensor([0, 1]) }), DTypeError, 'int32', 'float32');
  });
});

describe('kFold', () => {
  it('puts every index in exactly one test fold, with sizes differing by at most one', () => {
    for (const shuffle of [false, true]) {
      const folds = kFold(23, 5, { shuffle, seed: 4 });
      expect(folds.map((f) => f.test.length)).toEqual([5, 5, 5, 4, 4]);
      expect(sorted(folds.flatMap((f) => f.test))).toEqual(range(23));
      for (const f of folds) expect(sorted([...f.train, ...f.test])).toEqual(range(23));
    }
  });

  it('makes contiguous folds without shuffle (as sklearn KFold)', () => {
    expect(kFold(7, 3).map((f) => f.test)).toEqual([[0, 1, 2], [3, 4], [5, 6]]);
    expect(kFold(7, 3)[1].train).toEqual([0, 1, 2, 5, 6]);
  });

  it('balances each class across folds when stratified', () => {
    const labels = range(40).map((i) => (i < 25 ? 0 : i < 37 ? 1 : 2));
    const folds = kFold(40, 4, { stratify: labels, shuffle: true, seed: 1 });
    expect(sorted(folds.flatMap((f) => f.test))).toEqual(range(40));
    for (const f of folds) {
      const c = countBy(f.test, labels);
      expect(Math.abs((c.get(0) ?? 0) - 25 / 4)).toBeLessThan(1);
      expect(Math.abs((c.get(1) ?? 0) - 12 / 4)).toBeLessThan(1);
      expect(Math.abs((c.get(2) ?? 0) - 3 / 4)).toBeLessThan(1);
      expect(Math.abs(f.test.length - 10)).toBeLessThanOrEqual(1);
    }
  });

  it('is seeded', () => {
    expect(kFold(30, 3, { shuffle: true, seed: 8 })).toEqual(kFold(30, 3, { shuffle: true, seed: 8 }));
    expect(kFold(30, 3, { shuffle: true, seed: 8 })[0].test).not.toEqual(kFold(30, 3, { shuffle: true, seed: 9 })[0].test);
  });

  it('rejects k outside [2, n]', () => {
    expectError(() => kFold(5, 1), ArgumentError, 'k must be', 'got 1');
    expectError(() => kFold(5, 6), ArgumentError, 'n=5');
  });
});

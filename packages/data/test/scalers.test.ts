import { describe, expect, it } from 'vitest';
import { ArgumentError, DTypeError, ShapeError, tensor } from '@plexus/tensor';
import { MinMaxScale, Standardize, oneHot } from '../src/index.js';
import { expectClose, expectError, values } from './helpers.js';

// Train rows: feature 0 = 1, 2, 3, 6 (mean 3, population std √3.5); feature 1 constant 5.
const train = tensor([[1, 5], [2, 5], [3, 5], [6, 5]]);
const test = tensor([[4, 5], [0, 7]]);

describe('Standardize', () => {
  it('fits mean and population std per feature on the training split only', () => {
    const s = new Standardize().fit(train);
    expectClose(values(s.mean!), [3, 5]);
    expectClose(values(s.std!), [Math.sqrt(3.5), 1]); // the constant feature gets std 1
    // Test rows use the training statistics, not their own.
    expectClose(values(s.transform(test)), [1 / Math.sqrt(3.5), 0, -3 / Math.sqrt(3.5), 2], 1e-6);
  });

  it('maps a zero-variance feature to 0, never NaN, and the training data to mean 0 and std 1', () => {
    const z = new Standardize().fitTransform(train);
    expect(values(z).every(Number.isFinite)).toBe(true);
    expectClose(values(z.mean(0)), [0, 0]);
    expectClose(values(z.std(0, { correction: 0 })), [1, 0], 1e-6);
    const constant = new Standardize().fitTransform(tensor([[0.1], [0.1], [0.1]]));
    expect(values(constant)).toEqual([0, 0, 0]);
  });

  it('inverseTransform undoes transform', () => {
    const s = new Standardize().fit(train);
    expectClose(values(s.inverseTransform(s.transform(test))), values(test), 1e-5);
  });

  it('round-trips through JSON', () => {
    const s = new Standardize().fit(train);
    const json = JSON.parse(JSON.stringify(s)) as ReturnType<Standardize['toJSON']>;
    expect(json.kind).toBe('Standardize');
    expect(json.featureShape).toEqual([2]);
    const restored = Standardize.fromJSON(json);
    expectClose(values(restored.transform(test)), values(s.transform(test)));
  });

  it('scales each position of multi-dimensional features', () => {
    const x = tensor([[[0, 2]], [[2, 2]]]); // [2, 1, 2]
    const s = new Standardize().fit(x);
    expect(s.mean!.shape).toEqual([1, 2]);
    expectClose(values(s.transform(x)), [-1, 0, 1, 0]);
  });

  it('rejects use before fit, wrong feature shapes and int input', () => {
    expectError(() => new Standardize().transform(train), ArgumentError, 'call fit() first');
    expectError(() => new Standardize().fit(train).transform(tensor([[1, 2, 3]])), ShapeError, '[2]', '[1,3]');
    expectError(() => new Standardize().fit(tensor([1, 2], { dtype: 'int32' })), DTypeError, 'int32');
    expectError(() => Standardize.fromJSON({ kind: 'MinMaxScale' } as never), ArgumentError, "kind 'Standardize'");
    expectError(() => Standardize.fromJSON({ kind: 'Standardize', featureShape: [2], dtype: 'float32', mean: [1], std: [1, 1] }), ArgumentError, 'expected 2 numbers');
  });
});

describe('MinMaxScale', () => {
  it('maps the training min and max to the range and applies them to other splits', () => {
    const s = new MinMaxScale().fit(train);
    expectClose(values(s.transform(train)), [0, 0, 0.2, 0, 0.4, 0, 1, 0]);
    // Outside the training range stays linear (sklearn does not clip); the constant feature shifts.
    expectClose(values(s.transform(test)), [0.6, 0, -0.2, 2]);
  });

  it('supports another range, inverts, and round-trips through JSON', () => {
    const s = new MinMaxScale({ range: [-1, 1] }).fit(train);
    expectClose(values(s.transform(tensor([[6, 5]]))), [1, -1]);
    expectClose(values(s.inverseTransform(s.transform(test))), values(test), 1e-5);
    const r = MinMaxScale.fromJSON(JSON.parse(JSON.stringify(s)) as ReturnType<MinMaxScale['toJSON']>);
    expect(r.range).toEqual([-1, 1]);
    expectClose(values(r.transform(test)), values(s.transform(test)));
  });

  it('rejects a bad range and use before fit', () => {
    expectError(() => new MinMaxScale({ range: [1, 1] }), ArgumentError, 'low < high');
    expectError(() => new MinMaxScale().inverseTransform(train), ArgumentError, 'call fit() first');
  });
});

describe('oneHot', () => {
  it('encodes an array or tensor, int32 by default and float32 on request', () => {
    const a = oneHot([2, 0], 3);
    expect(a.dtype).toBe('int32');
    expect(values(a)).toEqual([0, 0, 1, 1, 0, 0]);
    const f = oneHot(tensor([1], { dtype: 'int32' }), 2, { dtype: 'float32' });
    expect(f.dtype).toBe('float32');
    expect(f.shape).toEqual([1, 2]);
    expect(values(f)).toEqual([0, 1]);
  });

  it('rejects out-of-range and non-integer classes', () => {
    expectError(() => oneHot([3], 3), ArgumentError, 'index 3');
    expectError(() => oneHot([0.5], 3), ArgumentError, '0.5');
  });
});

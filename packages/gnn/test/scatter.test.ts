import './helpers.js';
import { describe, expect, it } from 'vitest';
import { ArgumentError, DTypeError, ShapeError, tensor } from '@plexus/tensor';
import { globalAddPool, globalMaxPool, globalMeanPool, scatterMax, scatterMean, scatterSum, segmentSoftmax } from '../src/index.js';
import { expectClose, expectGradOk, f64, i32, randn64 } from './helpers.js';

const src = f64([[1, -1], [2, 5], [3, 0], [4, 2]]);
const idx = i32([0, 2, 0, 2]);

describe('scatter ops', () => {
  it('sum, mean and max per index; empty rows are 0', () => {
    expectClose(scatterSum(src, idx, 3), [4, -1, 0, 0, 6, 7]);
    expectClose(scatterMean(src, idx, 3), [2, -0.5, 0, 0, 3, 3.5]);
    expectClose(scatterMax(src, idx, 3), [3, 0, 0, 0, 4, 5]);
    expectClose(scatterMax(f64([[-3], [-1]]), i32([1, 1]), 2), [0, -1]);
  });

  it('have correct gradients (float64 gradCheck)', () => {
    const x = randn64(1, [5, 3]);
    const index = i32([1, 0, 1, 3, 1]);
    expectGradOk((s) => scatterSum(s, index, 4), [x]);
    expectGradOk((s) => scatterMean(s, index, 4), [x]);
    expectGradOk((s) => scatterMax(s, index, 4), [x]);
  });

  it('check the index', () => {
    expect(() => scatterSum(src, i32([0, 3, 0, 1]), 3)).toThrow(ArgumentError);
    expect(() => scatterSum(src, i32([0, 3, 0, 1]), 3)).toThrow('scatterSum: index 3 at position 1 is out of range for dimSize 3 (expected [0, 3))');
    expect(() => scatterMean(src, tensor([0, 1, 0, 1]), 3)).toThrow(DTypeError);
    expect(() => scatterMax(src, i32([0, 1]), 3)).toThrow(ShapeError);
    expect(() => scatterMax(src, i32([0, 1]), 3)).toThrow('scatterMax: src [4,2] must have one row per index entry (2)');
  });
});

describe('segmentSoftmax', () => {
  it('normalises within each segment and matches a softmax by hand', () => {
    const s = segmentSoftmax(f64([[1], [2], [3], [0.5]]), i32([0, 0, 1, 0]), 2);
    const z = Math.exp(1) + Math.exp(2) + Math.exp(0.5);
    expectClose(s, [Math.exp(1) / z, Math.exp(2) / z, 1, Math.exp(0.5) / z]);
  });

  it('is numerically stable for large logits and per segment', () => {
    // Segment 0 around 1000, segment 1 around -1000: a single global shift would underflow one of them.
    const s = segmentSoftmax(f64([[1000], [1001], [-1000], [-1001]]), i32([0, 0, 1, 1]), 2);
    const a = 1 / (1 + Math.E);
    expectClose(s, [a, 1 - a, 1 - a, a]);
  });

  it('passes gradCheck in float64', () => {
    expectGradOk((x) => segmentSoftmax(x, i32([2, 0, 2, 2, 0, 1]), 3), [randn64(3, [6, 2])]);
  });
});

describe('global pooling', () => {
  const x = f64([[1, 2], [3, -4], [5, 6], [7, 8]]);
  const batch = i32([0, 0, 1, 1]);
  it('pools each graph of a batch, or everything without one', () => {
    expectClose(globalAddPool(x, batch), [4, -2, 12, 14]);
    expectClose(globalMeanPool(x, batch), [2, -1, 6, 7]);
    expectClose(globalMaxPool(x, batch), [3, 2, 7, 8]);
    expectClose(globalMeanPool(x), [4, 3]);
    expect(globalMaxPool(x, batch, 3).shape).toEqual([3, 2]); // an explicit graph count
  });

  it('pass gradCheck and reject bad input', () => {
    const xr = randn64(2, [5, 3]);
    const b = i32([0, 0, 1, 1, 1]);
    for (const pool of [globalAddPool, globalMeanPool, globalMaxPool]) expectGradOk((v) => pool(v, b), [xr]);
    expect(() => globalMeanPool(f64([1, 2, 3]), batch)).toThrow('globalMeanPool: expected node features x [N, F], got [3]');
    expect(() => globalAddPool(x, i32([0, 1]))).toThrow('scatterSum: src [4,2] must have one row per index entry (2)');
  });
});

import './helpers.js';
import { describe, expect, it } from 'vitest';
import { ArgumentError, DTypeError, ShapeError, randn, zeros } from '@plexus/tensor';
import { LearnedPositionalEmbedding, SinusoidalPositionalEncoding } from '../src/index.js';
import { expectClose, expectLayerGradOk, f64, randn64, values } from './helpers.js';

describe('SinusoidalPositionalEncoding', () => {
  it('adds sin/cos of pos / 10000^(2i/d) to each position', () => {
    const pe = new SinusoidalPositionalEncoding(4, 10, { dtype: 'float64' });
    const y = pe.forward(zeros([3, 4], { dtype: 'float64' }));
    const row = (p: number) => [Math.sin(p), Math.cos(p), Math.sin(p / 100), Math.cos(p / 100)];
    expectClose(y, [...row(0), ...row(1), ...row(2)], 1e-12);
    // Odd dModel: the last column is a sine.
    const odd = new SinusoidalPositionalEncoding(3, 4, { dtype: 'float64' }).forward(zeros([2, 3], { dtype: 'float64' }));
    expectClose(odd.narrow(0, 1, 1), [Math.sin(1), Math.cos(1), Math.sin(1 / 10000 ** (2 / 3))], 1e-12);
    expect(pe.parameters()).toHaveLength(0);
    expect(Object.keys(pe.stateDict())).toEqual([]);
  });

  it('follows the layout ([L, N, d] by default, [N, L, d] with batchFirst) and an offset', () => {
    const x = randn64(1, [3, 2, 4]);
    const pe = new SinusoidalPositionalEncoding(4, 8, { dtype: 'float64' });
    const table = pe.forward(zeros([8, 4], { dtype: 'float64' }));
    expectClose(pe.forward(x), x.add(table.narrow(0, 0, 3).unsqueeze(1)), 1e-12);
    expectClose(pe.forward(x, 5), x.add(table.narrow(0, 5, 3).unsqueeze(1)), 1e-12);
    const bf = new SinusoidalPositionalEncoding(4, 8, { dtype: 'float64', batchFirst: true });
    expectClose(bf.forward(x), x.add(table.narrow(0, 0, 2)), 1e-12);
    // A float32 input with a float64 table gives float32.
    expect(pe.forward(randn([3, 2, 4])).dtype).toBe('float32');
  });

  it('rejects positions beyond maxLen and wrong shapes', () => {
    const pe = new SinusoidalPositionalEncoding(4, 5);
    expect(() => pe.forward(randn([6, 1, 4]))).toThrow(ShapeError);
    expect(() => pe.forward(randn([3, 1, 4]), 3)).toThrow('SinusoidalPositionalEncoding: positions 3..5 exceed maxLen 5 (input [3,1,4], offset 3)');
    expect(() => pe.forward(randn([3, 1, 5]))).toThrow('SinusoidalPositionalEncoding: expected input [L, N, 4] or [L, 4], got [3,1,5]');
    expect(() => pe.forward(randn([1, 3, 1, 4]))).toThrow(ShapeError);
    expect(() => pe.forward(zeros([3, 4], { dtype: 'int32' }))).toThrow(DTypeError);
    expect(() => pe.forward(randn([3, 4]), -1)).toThrow(ArgumentError);
    expect(() => new SinusoidalPositionalEncoding(0)).toThrow(ArgumentError);
  });
});

describe('LearnedPositionalEmbedding', () => {
  it('adds a learned row per position, with an offset', () => {
    const pe = new LearnedPositionalEmbedding(5, 2, { dtype: 'float64', batchFirst: true });
    pe.loadStateDict({ weight: f64([[0, 1], [2, 3], [4, 5], [6, 7], [8, 9]]) });
    const x = f64([[[1, 1], [1, 1]], [[0, 0], [0, 0]]]);
    expect(values(pe.forward(x))).toEqual([1, 2, 3, 4, 0, 1, 2, 3]);
    expect(values(pe.forward(x, 3))).toEqual([7, 8, 9, 10, 6, 7, 8, 9]);
    expect(pe.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([['weight', [5, 2]]]);
  });

  it('initialises from N(0, std²)', () => {
    const w = values(new LearnedPositionalEmbedding(200, 50, { std: 0.02 }).weight);
    const mean = w.reduce((a, b) => a + b, 0) / w.length;
    const sd = Math.sqrt(w.reduce((a, b) => a + (b - mean) ** 2, 0) / w.length);
    expect(Math.abs(mean)).toBeLessThan(0.002);
    expect(sd).toBeGreaterThan(0.019);
    expect(sd).toBeLessThan(0.021);
  });

  it('passes gradCheck in float64 w.r.t. input and weight', () => {
    const pe = new LearnedPositionalEmbedding(6, 3, { dtype: 'float64' });
    expectLayerGradOk(pe, [randn64(2, [4, 2, 3])], (x) => pe.forward(x, 1).square());
  });

  it('rejects positions beyond maxLen and bad options', () => {
    const pe = new LearnedPositionalEmbedding(4, 3, { batchFirst: true });
    expect(() => pe.forward(randn([2, 5, 3]))).toThrow('LearnedPositionalEmbedding: positions 0..4 exceed maxLen 4 (input [2,5,3], offset 0)');
    expect(() => pe.forward(randn([2, 4, 2]))).toThrow('LearnedPositionalEmbedding: expected input [N, L, 3] or [L, 3], got [2,4,2]');
    expect(() => new LearnedPositionalEmbedding(4, 3, { std: -1 })).toThrow(ArgumentError);
  });
});

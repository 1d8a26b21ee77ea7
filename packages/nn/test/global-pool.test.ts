import './helpers.js';
import { describe, expect, it } from 'vitest';
import { DTypeError, ArgumentError, ShapeError, randn, tensor, zeros } from '@plexus/tensor';
import { AdaptiveAvgPool2d, Flatten, GlobalAvgPool2d } from '../src/index.js';
import { expectClose, expectInputGradOk, f64, randn64, values } from './helpers.js';

describe('GlobalAvgPool2d', () => {
  it('averages each channel plane: [N, C, H, W] -> [N, C]', () => {
    // Sample 0: channel 0 is 1..6 (mean 3.5), channel 1 is 10·(1..6) (mean 35); sample 1 negated.
    const plane = [[1, 2, 3], [4, 5, 6]];
    const x = f64([
      [plane, plane.map((r) => r.map((v) => 10 * v))],
      [plane.map((r) => r.map((v) => -v)), plane.map((r) => r.map((v) => -10 * v))],
    ]);
    const y = new GlobalAvgPool2d().forward(x);
    expect(y.shape).toEqual([2, 2]);
    expectClose(y, [3.5, 35, -3.5, -35], 1e-15);
  });

  it('keepDim gives [N, C, 1, 1]; an unbatched [C, H, W] gives [C]', () => {
    const x = randn64(1, [2, 3, 4, 5]);
    const kept = new GlobalAvgPool2d({ keepDim: true }).forward(x);
    expect(kept.shape).toEqual([2, 3, 1, 1]);
    const flat = new GlobalAvgPool2d().forward(x);
    expectClose(kept.reshape([2, 3]), flat, 1e-15);
    const one = new GlobalAvgPool2d().forward(f64([[[1, 3], [5, 7]], [[0, 0], [0, 4]]]));
    expect(one.shape).toEqual([2]);
    expectClose(one, [4, 1], 1e-15);
  });

  it('equals AdaptiveAvgPool2d(1) followed by Flatten', () => {
    const x = randn64(2, [3, 4, 7, 5]);
    const reference = new Flatten().forward(new AdaptiveAvgPool2d(1).forward(x));
    expectClose(new GlobalAvgPool2d().forward(x), reference, 1e-12);
  });

  it('passes gradCheck in float64 (each input gets 1/(H·W) of its channel gradient)', () => {
    const pool = new GlobalAvgPool2d();
    expectInputGradOk((x) => pool.forward(x).square().sum(), [randn64(3, [2, 3, 3, 4])]);
    const x = randn64(4, [1, 2, 2, 3]).requiresGrad_();
    pool.forward(x).mul(f64([[1, 2]])).sum().backward();
    expectClose(x.grad!, [...Array(6).fill(1 / 6), ...Array(6).fill(2 / 6)], 1e-15);
  });

  it('rejects inputs that are not image batches, empty planes, integer inputs and bad options', () => {
    const pool = new GlobalAvgPool2d();
    expect(() => pool.forward(randn([4, 8]))).toThrow(ShapeError);
    expect(() => pool.forward(randn([4, 8]))).toThrow('GlobalAvgPool2d: expected non-empty input [N, C, H, W] or [C, H, W], got [4,8]');
    expect(() => pool.forward(zeros([2, 3, 0, 4]))).toThrow(ShapeError);
    expect(() => pool.forward(tensor([[[[1, 2]]]], { dtype: 'int32' }))).toThrow(DTypeError);
    expect(() => pool.forward(tensor([[[[1, 2]]]], { dtype: 'int32' }))).toThrow('GlobalAvgPool2d: expected a float32 or float64 input, got int32');
    expect(() => new GlobalAvgPool2d({ keepDim: 1 as unknown as boolean })).toThrow(ArgumentError);
    expect(values(pool.forward(randn([1, 1, 2, 2])))).toHaveLength(1);
  });
});

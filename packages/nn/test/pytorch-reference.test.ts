import './helpers.js';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '@plexus/tensor';
import { arange } from '@plexus/tensor';
import {
  AdaptiveAvgPool2d, BatchNorm1d, ConvTranspose2d, LayerNorm, bceWithLogits, binaryCrossEntropy, calculateGain, crossEntropy,
  huberLoss, klDiv, nllLoss, smoothL1Loss,
} from '../src/index.js';
import { expectClose, f64, i32 } from './helpers.js';

/**
 * PyTorch's own outputs for the same inputs, written by fixtures/pytorch_reference.py (run by
 * hand; these tests need no PyTorch). They pin the semantics that are easy to get subtly wrong:
 * weighted means, label smoothing, the BCE log clamp, running variance, adaptive bins.
 */
type Nested = number | Nested[];
const ref = JSON.parse(readFileSync(new URL('./fixtures/pytorch-reference.json', import.meta.url), 'utf8')) as Record<string, Nested> & {
  crossEntropy: Record<string, Nested>;
};
const flat = (v: Nested): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v]);
const near = (got: Tensor | number, want: Nested, tol = 1e-12) => expectClose(typeof got === 'number' ? [got] : got, flat(want), tol);
const range = (n: number, shape: number[]) => arange(n).cast('float64').reshape(shape);

const logits = f64([[1, 2, 3], [1, 0, -1], [0.5, -2, 2], [0, 0.3, -0.7]]);
const labels = i32([2, -100, 1, 0]);
const weight = f64([0.2, 0.3, 0.5]);
const probs = f64([[0.2, 0.3, 0.5], [1, 0, 0], [0.1, 0.1, 0.8], [0.3, 0.3, 0.4]]);

describe('agreement with PyTorch', () => {
  it('crossEntropy: class indices, weights, ignoreIndex, label smoothing, every reduction', () => {
    for (const reduction of ['mean', 'sum', 'none'] as const) {
      near(crossEntropy(logits, labels, { reduction }), ref.crossEntropy[`plain_${reduction}`]);
      near(crossEntropy(logits, labels, { weight, labelSmoothing: 0.15, reduction }), ref.crossEntropy[`weighted_smooth_${reduction}`]);
      near(crossEntropy(logits, probs, { weight, labelSmoothing: 0.15, reduction }), ref.crossEntropy[`probs_weighted_smooth_${reduction}`]);
    }
    const spatial = f64([[[1, 1, 0], [2, 0, 1], [3, 0.5, -1]], [[0, 1, 2], [-1, 0, 1], [0.5, 0.5, 0.5]]]);
    const spatialT = i32([[2, 0, 1], [1, -100, 0]]);
    near(crossEntropy(spatial, spatialT, { weight }), ref.crossEntropy.spatial_weighted_mean);
    near(crossEntropy(spatial, spatialT, { labelSmoothing: 0.1, reduction: 'none' }), ref.crossEntropy.spatial_smooth_none);
    near(nllLoss(logits.logSoftmax(1), i32([2, 7, 1, 0]), { weight, ignoreIndex: 7 }), ref.nllLoss);
  });

  it('binaryCrossEntropy (log clamped at −100) and bceWithLogits (weight, posWeight)', () => {
    near(binaryCrossEntropy(f64([0.9, 0, 1, 0.3, 1e-50]), f64([1, 1, 0, 0.25, 1]), { weight: f64([1, 2, 0.5, 1, 1]), reduction: 'none' }), ref.bce_none);
    const z = f64([[2, -1, 0, 30], [-40, 0.5, 1, -3]]);
    const t = f64([[1, 0, 1, 0], [1, 0.5, 0, 1]]);
    near(bceWithLogits(z, t, { weight: f64([1, 2, 1, 0.5]), posWeight: f64([3, 1, 0.5, 2]), reduction: 'none' }), ref.bceWithLogits_none);
  });

  it('klDiv, huberLoss, smoothL1Loss', () => {
    const lq = f64([[0.1, 0.2, 0.7], [1, -1, 0]]).logSoftmax(1);
    near(klDiv(lq, f64([[0.4, 0.6, 0], [0.2, 0.2, 0.6]]), { reduction: 'batchmean' }), ref.klDiv_batchmean);
    near(klDiv(lq, f64([[0.4, 0.5, 0.1], [0.2, 0.2, 0.6]]).log(), { logTarget: true }), ref.klDiv_mean_logTarget);
    const a = f64([0.5, -1, 2, 3, 0, -0.25]);
    const b = f64([1, 1, 1, 0, 0.5, -3]);
    near(huberLoss(a, b, { delta: 0.8, reduction: 'none' }), ref.huber);
    near(smoothL1Loss(a, b, { beta: 0.8, reduction: 'none' }), ref.smoothL1);
  });

  it('BatchNorm1d: training output, running statistics after two steps, eval output', () => {
    const bn = new BatchNorm1d(3, { dtype: 'float64' });
    bn.loadStateDict({ ...bn.stateDict(), weight: f64([1, 2, 0.5]), bias: f64([0, -1, 3]) });
    const x1 = range(24, [2, 3, 4]).sin().mul(3);
    const x2 = range(24, [2, 3, 4]).cos().add(1);
    near(bn.forward(x1), ref.bn_train_out);
    bn.forward(x2);
    near(bn.runningMean!, ref.bn_running_mean);
    near(bn.runningVar!, ref.bn_running_var);
    near(bn.eval().forward(x1), ref.bn_eval_out);
  });

  it('AdaptiveAvgPool2d bins (5 → 3, 7×6 → 3×4, 3 → 5)', () => {
    near(new AdaptiveAvgPool2d(3).forward(range(25, [1, 1, 5, 5])), ref.adaptive_5_3);
    near(new AdaptiveAvgPool2d([3, 4]).forward(range(42, [1, 1, 7, 6]).sin()), ref.adaptive_7x6_3x4);
    near(new AdaptiveAvgPool2d(5).forward(range(9, [1, 1, 3, 3])), ref.adaptive_3_5);
  });

  it('ConvTranspose2d with groups, dilation, stride and outputPadding (weight layout [in, out/groups, kH, kW])', () => {
    const up = new ConvTranspose2d(4, 2, [3, 2], { stride: [2, 1], padding: [1, 0], outputPadding: [1, 0], groups: 2, dilation: [1, 2], dtype: 'float64' });
    up.loadStateDict({ weight: range(24, [4, 1, 3, 2]).div(10).cos(), bias: f64([0.1, -0.2]) });
    const y = up.forward(range(48, [2, 4, 2, 3]).div(7).sin());
    expect(y.shape).toEqual(flat(ref.convTranspose2d_shape));
    near(y, ref.convTranspose2d);
  });

  it('LayerNorm over two trailing dims and calculateGain', () => {
    const ln = new LayerNorm([2, 3], { dtype: 'float64' });
    ln.loadStateDict({ weight: f64([[1, 2, 1], [0.5, 1, 1]]), bias: f64([[0, 0, 1], [-1, 0, 0]]) });
    near(ln.forward(f64([[1, 2, 3, 4, 5, 7], [2, 2, 2, 6, -1, 0]]).reshape([2, 2, 3])), ref.layerNorm);
    near(calculateGain('leaky_relu', Math.sqrt(5)), ref.gain_leaky_sqrt5, 1e-15);
    near(calculateGain('tanh'), ref.gain_tanh, 1e-15);
  });
});

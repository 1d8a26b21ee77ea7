import './helpers.js';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '@plexus/tensor';
import { ArgumentError, DTypeError, ShapeError, tensor } from '@plexus/tensor';
import { CrossEntropyLoss, crossEntropy, nllLoss } from '../src/index.js';
import { expectClose, expectInputGradOk, f64, i32, randn64, values } from './helpers.js';

const LOGITS = [[1, 2, 3], [1, 0, -1], [0.5, -2, 2]];
const lse = (row: number[]): number => Math.log(row.reduce((s, v) => s + Math.exp(v), 0));
const logp = (row: number[]): number[] => row.map((v) => v - lse(row));
/** −log p[y] per sample. */
const nll = LOGITS.map((row, i) => -logp(row)[[2, 0, 1][i]]);

describe('crossEntropy with class indices', () => {
  it('of [[1, 2, 3]] with target 2 is log(e¹ + e² + e³) − 3', () => {
    const loss = crossEntropy(f64([[1, 2, 3]]), i32([2]));
    expect(loss.shape).toEqual([]);
    expectClose(loss, Math.log(Math.E + Math.E ** 2 + Math.E ** 3) - 3, 1e-14);
  });

  it('reduces by mean, sum or none', () => {
    const x = f64(LOGITS);
    const t = i32([2, 0, 1]);
    expectClose(crossEntropy(x, t), (nll[0] + nll[1] + nll[2]) / 3, 1e-14);
    expectClose(crossEntropy(x, t, { reduction: 'sum' }), nll[0] + nll[1] + nll[2], 1e-14);
    expectClose(crossEntropy(x, t, { reduction: 'none' }), nll, 1e-14);
  });

  it('weighted mean divides by the summed weights of the targets', () => {
    const w = [0.2, 0.3, 0.5];
    const x = f64(LOGITS);
    const t = i32([2, 0, 1]);
    const weighted = [w[2] * nll[0], w[0] * nll[1], w[1] * nll[2]];
    const opts = { weight: f64(w) };
    expectClose(crossEntropy(x, t, opts), (weighted[0] + weighted[1] + weighted[2]) / (w[2] + w[0] + w[1]), 1e-14);
    expectClose(crossEntropy(x, t, { ...opts, reduction: 'sum' }), weighted[0] + weighted[1] + weighted[2], 1e-14);
    expectClose(crossEntropy(x, t, { ...opts, reduction: 'none' }), weighted, 1e-14);
  });

  it('ignoreIndex drops targets from the loss and from the denominator', () => {
    const x = f64(LOGITS);
    const w = [0.2, 0.3, 0.5];
    expectClose(crossEntropy(x, i32([2, -100, 1])), (nll[0] + nll[2]) / 2, 1e-14);
    expectClose(crossEntropy(x, i32([2, -100, 1]), { reduction: 'none' }), [nll[0], 0, nll[2]], 1e-14);
    expectClose(crossEntropy(x, i32([2, -100, 1]), { weight: f64(w) }), (w[2] * nll[0] + w[1] * nll[2]) / (w[2] + w[1]), 1e-14);
    // A class can itself be the ignored index.
    expectClose(crossEntropy(x, i32([2, 0, 1]), { ignoreIndex: 0 }), (nll[0] + nll[2]) / 2, 1e-14);
    // Everything ignored: the mean is 0/0, as in PyTorch.
    expect(Number.isNaN(crossEntropy(x, i32([-100, -100, -100])).item())).toBe(true);
  });

  it('label smoothing: (1 − ε)·nll + ε·mean over classes of −log p', () => {
    const eps = 0.1;
    const x = f64(LOGITS);
    const smooth = LOGITS.map((row) => -logp(row).reduce((a, b) => a + b, 0) / 3);
    const per = nll.map((v, i) => (1 - eps) * v + eps * smooth[i]);
    expectClose(crossEntropy(x, i32([2, 0, 1]), { labelSmoothing: eps, reduction: 'none' }), per, 1e-14);
    expectClose(crossEntropy(x, i32([2, 0, 1]), { labelSmoothing: eps }), (per[0] + per[1] + per[2]) / 3, 1e-14);
    expectClose(crossEntropy(x, i32([2, -100, 1]), { labelSmoothing: eps, reduction: 'sum' }), per[0] + per[2], 1e-14);
  });

  it('label smoothing with weights and ignoreIndex weighs the smoothing term by class, over the same denominator', () => {
    const eps = 0.2;
    const w = [0.2, 0.3, 0.5];
    const x = f64(LOGITS);
    const t = [2, -100, 1];
    const wsmooth = LOGITS.map((row) => -logp(row).reduce((a, v, c) => a + w[c] * v, 0));
    const per = [0, 2].map((i) => (1 - eps) * w[t[i]] * nll[i] + (eps / 3) * wsmooth[i]);
    const opts = { weight: f64(w), labelSmoothing: eps };
    expectClose(crossEntropy(x, i32(t), opts), (per[0] + per[1]) / (w[2] + w[1]), 1e-14);
    expectClose(crossEntropy(x, i32(t), { ...opts, reduction: 'none' }), [per[0], 0, per[1]], 1e-14);
  });

  it('handles [N, C, d1, ...] inputs with [N, d1, ...] targets, and unbatched [C] inputs', () => {
    // [1, 3, 2]: position 0 has logits (1, 1, 0.5)ᵀ column-wise, i.e. x[0, :, j].
    const x = f64([[[1, 1], [2, 0], [3, 0.5]]]);
    const col0 = [1, 2, 3];
    const col1 = [1, 0, 0.5];
    const want = [-logp(col0)[2], -logp(col1)[0]];
    expectClose(crossEntropy(x, i32([[2, 0]]), { reduction: 'none' }), want, 1e-14);
    expect(crossEntropy(x, i32([[2, 0]]), { reduction: 'none' }).shape).toEqual([1, 2]);
    expectClose(crossEntropy(f64([1, 2, 3]), i32(2)), Math.log(Math.E + Math.E ** 2 + Math.E ** 3) - 3, 1e-14);
  });

  it('is stable for huge logits', () => {
    const x = tensor([[1000, 0, -1000]]);
    expect(crossEntropy(x, i32([0])).item()).toBe(0);
    expect(crossEntropy(x, i32([2])).item()).toBe(2000);
  });

  it('passes gradCheck in float64 (weights, ignoreIndex, smoothing)', () => {
    const x = randn64(1, [4, 3]);
    const opts = { weight: f64([0.5, 1, 2]), labelSmoothing: 0.1 };
    expectInputGradOk((v: Tensor) => crossEntropy(v, i32([0, 2, -100, 1]), opts), [x]);
    expectInputGradOk((v: Tensor) => crossEntropy(v, i32([[0, 2], [1, 1]])), [randn64(2, [2, 3, 2])]);
  });

  it('matches nllLoss of logSoftmax', () => {
    const x = f64(LOGITS);
    const t = i32([2, 0, -100]);
    const w = f64([1, 2, 3]);
    expectClose(crossEntropy(x, t, { weight: w }), nllLoss(x.logSoftmax(1), t, { weight: w }), 1e-14);
  });
});

describe('crossEntropy with probability targets', () => {
  const probs = [[0.2, 0.3, 0.5], [1, 0, 0], [0.1, 0.1, 0.8]];
  const soft = (p: number[][], w = [1, 1, 1]) => LOGITS.map((row, i) => -logp(row).reduce((a, v, c) => a + w[c] * p[i][c] * v, 0));

  it('is −Σ t·log p, the mean over samples', () => {
    const per = soft(probs);
    expectClose(crossEntropy(f64(LOGITS), f64(probs), { reduction: 'none' }), per, 1e-14);
    expectClose(crossEntropy(f64(LOGITS), f64(probs)), (per[0] + per[1] + per[2]) / 3, 1e-14);
  });

  it('with weights divides by the number of samples, not the weights', () => {
    const w = [0.2, 0.3, 0.5];
    const per = soft(probs, w);
    expectClose(crossEntropy(f64(LOGITS), f64(probs), { weight: f64(w) }), (per[0] + per[1] + per[2]) / 3, 1e-14);
  });

  it('label smoothing mixes the target with the uniform distribution', () => {
    const eps = 0.3;
    const mixed = probs.map((r) => r.map((p) => (1 - eps) * p + eps / 3));
    const per = soft(mixed);
    expectClose(crossEntropy(f64(LOGITS), f64(probs), { labelSmoothing: eps, reduction: 'sum' }), per[0] + per[1] + per[2], 1e-14);
  });

  it('passes gradCheck in float64 w.r.t. logits and targets', () => {
    expectInputGradOk((x: Tensor, t: Tensor) => crossEntropy(x, t, { labelSmoothing: 0.1 }), [randn64(3, [2, 3]), f64(probs.slice(0, 2))]);
  });
});

describe('crossEntropy errors', () => {
  it('names the loss, the bad label and the number of classes', () => {
    const x = f64(LOGITS);
    expect(() => crossEntropy(x, i32([2, 3, 0]))).toThrow(ArgumentError);
    expect(() => crossEntropy(x, i32([2, 3, 0]))).toThrow(/crossEntropy: target label 3 is out of range for 3 classes \(at flat position 1\)/);
    expect(() => crossEntropy(x, i32([2, -1, 0]))).toThrow(/crossEntropy: target label -1 is out of range for 3 classes/);
    expect(() => nllLoss(x, i32([2, 7, 0]))).toThrow(/nllLoss: target label 7 is out of range for 3 classes/);
  });

  it('rejects mismatched shapes and dtypes', () => {
    const x = f64(LOGITS);
    expect(() => crossEntropy(x, i32([1, 2]))).toThrow(ShapeError);
    expect(() => crossEntropy(x, i32([1, 2]))).toThrow('crossEntropy: class-index target must have shape [3] for input [3,3], got [2]');
    expect(() => crossEntropy(x, f64([[0.5, 0.5]]))).toThrow(ShapeError);
    expect(() => crossEntropy(x, i32([0, 1, 2]), { weight: f64([1, 2]) })).toThrow('crossEntropy: weight must have shape [3], got [2]');
    expect(() => crossEntropy(x, tensor([true, false, true]))).toThrow(DTypeError);
    expect(() => crossEntropy(i32([[1, 2]]), i32([0]))).toThrow(DTypeError);
  });

  it('rejects bad options', () => {
    const x = f64(LOGITS);
    const t = i32([0, 1, 2]);
    expect(() => crossEntropy(x, t, { labelSmoothing: 1.5 })).toThrow(/labelSmoothing must be a number in \[0, 1\], got 1.5/);
    expect(() => crossEntropy(x, t, { reduction: 'avg' as never })).toThrow(/reduction must be 'mean', 'sum', 'none', got 'avg'/);
    expect(() => crossEntropy(x, f64(LOGITS), { ignoreIndex: 1 })).toThrow(/not supported with probability targets/);
  });
});

describe('CrossEntropyLoss module', () => {
  it('applies crossEntropy with fixed options and keeps the weight as a buffer', () => {
    const loss = new CrossEntropyLoss({ weight: f64([0.2, 0.3, 0.5]), reduction: 'sum' });
    expect(loss.namedBuffers().map(([n]) => n)).toEqual(['weight']);
    const x = f64(LOGITS);
    const t = i32([2, 0, 1]);
    expect(values(loss.forward(x, t))).toEqual(values(crossEntropy(x, t, { weight: f64([0.2, 0.3, 0.5]), reduction: 'sum' })));
  });
});

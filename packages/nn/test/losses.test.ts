import './helpers.js';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '@plexus/tensor';
import { ArgumentError, DTypeError, ShapeError, tensor } from '@plexus/tensor';
import {
  BCELoss, BCEWithLogitsLoss, HuberLoss, KLDivLoss, L1Loss, MSELoss, NLLLoss, SmoothL1Loss, bceWithLogits, binaryCrossEntropy,
  huberLoss, klDiv, l1Loss, mseLoss, nllLoss, smoothL1Loss,
} from '../src/index.js';
import { expectClose, expectInputGradOk, f64, i32, randn64, values } from './helpers.js';

const X = [[0.5, -1, 2], [3, 0, -0.25]];
const Y = [[1, 1, 1], [0, 0.5, -3]];
const D = X.flat().map((v, i) => v - Y.flat()[i]); // −0.5, −2, 1, 3, −0.5, 2.75
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const sum = (v: number[]) => v.reduce((a, b) => a + b, 0);

describe('mseLoss, l1Loss, huberLoss, smoothL1Loss', () => {
  it('mseLoss is the mean of squared differences', () => {
    const sq = D.map((d) => d * d);
    expectClose(mseLoss(f64(X), f64(Y)), mean(sq), 1e-15);
    expectClose(mseLoss(f64(X), f64(Y), { reduction: 'sum' }), sum(sq), 1e-15);
    expectClose(mseLoss(f64(X), f64(Y), { reduction: 'none' }), sq, 1e-15);
    expectClose(mseLoss(f64([1, 2]), f64([3, 5])), (4 + 9) / 2, 1e-15);
  });

  it('l1Loss is the mean of absolute differences', () => {
    expectClose(l1Loss(f64(X), f64(Y)), mean(D.map(Math.abs)), 1e-15);
    expectClose(l1Loss(f64(X), f64(Y), { reduction: 'sum' }), 0.5 + 2 + 1 + 3 + 0.5 + 2.75, 1e-15);
  });

  it('huberLoss is quadratic inside delta and linear outside', () => {
    const huber = (d: number, delta: number) => (Math.abs(d) < delta ? 0.5 * d * d : delta * (Math.abs(d) - 0.5 * delta));
    expectClose(huberLoss(f64(X), f64(Y)), mean(D.map((d) => huber(d, 1))), 1e-15);
    expectClose(huberLoss(f64(X), f64(Y), { delta: 2, reduction: 'none' }), D.map((d) => huber(d, 2)), 1e-15);
    // d = 3, delta = 2: 2·(3 − 1) = 4; d = −0.5: 0.125.
    expectClose(huberLoss(f64([3, -0.5]), f64([0, 0]), { delta: 2, reduction: 'none' }), [4, 0.125], 1e-15);
    expect(() => huberLoss(f64(X), f64(Y), { delta: 0 })).toThrow(ArgumentError);
  });

  it('smoothL1Loss is huberLoss / beta, and l1Loss at beta 0', () => {
    expectClose(smoothL1Loss(f64(X), f64(Y), { beta: 2 }), values(huberLoss(f64(X), f64(Y), { delta: 2 })).map((v) => v / 2), 1e-15);
    expectClose(smoothL1Loss(f64(X), f64(Y), { beta: 0 }), l1Loss(f64(X), f64(Y)), 1e-15);
  });

  it('pass gradCheck in float64', () => {
    const [a, b] = [randn64(1, [2, 3]), randn64(2, [2, 3])];
    expectInputGradOk((x: Tensor, y: Tensor) => mseLoss(x, y), [a, b]);
    expectInputGradOk((x: Tensor, y: Tensor) => l1Loss(x, y, { reduction: 'sum' }), [a, b]);
    expectInputGradOk((x: Tensor, y: Tensor) => huberLoss(x, y, { delta: 0.7 }), [a, b]);
    expectInputGradOk((x: Tensor, y: Tensor) => smoothL1Loss(x, y, { beta: 0.7 }), [a, b]);
  });

  it('reject different shapes instead of broadcasting', () => {
    expect(() => mseLoss(f64([[1], [2]]), f64([1, 2]))).toThrow(ShapeError);
    expect(() => mseLoss(f64([[1], [2]]), f64([1, 2]))).toThrow('mseLoss: input [2,1] and target [2] must have the same shape');
    expect(() => l1Loss(i32([1]), i32([1]))).toThrow(DTypeError);
  });
});

describe('nllLoss', () => {
  const LP = [[-0.5, -1.5, -2], [-3, -0.1, -2.5], [-1, -1, -1.2]];

  it('picks −input[y], with weights and ignoreIndex like PyTorch', () => {
    const t = i32([0, 2, 1]);
    expectClose(nllLoss(f64(LP), t), (0.5 + 2.5 + 1) / 3, 1e-15);
    expectClose(nllLoss(f64(LP), t, { reduction: 'none' }), [0.5, 2.5, 1], 1e-15);
    const w = f64([2, 1, 0.5]);
    // Weighted: (2·0.5 + 0.5·2.5 + 1·1) / (2 + 0.5 + 1).
    expectClose(nllLoss(f64(LP), t, { weight: w }), (1 + 1.25 + 1) / 3.5, 1e-15);
    expectClose(nllLoss(f64(LP), t, { weight: w, reduction: 'sum' }), 3.25, 1e-15);
    expectClose(nllLoss(f64(LP), i32([0, 5, 1]), { weight: w, ignoreIndex: 5 }), (1 + 1) / 3, 1e-15);
  });

  it('passes gradCheck in float64', () => {
    expectInputGradOk((x: Tensor) => nllLoss(x, i32([0, 2, -100]), { weight: f64([2, 1, 0.5]) }), [randn64(3, [3, 3])]);
  });

  it('NLLLoss module', () => {
    expectClose(new NLLLoss({ reduction: 'sum' }).forward(f64(LP), i32([0, 2, 1])), 4, 1e-15);
  });
});

describe('binaryCrossEntropy', () => {
  const P = [0.9, 0.2, 0.5, 0.99];
  const T = [1, 0, 1, 0];
  const per = P.map((p, i) => -(T[i] * Math.log(p) + (1 - T[i]) * Math.log(1 - p)));

  it('is −(y·log p + (1 − y)·log(1 − p))', () => {
    expectClose(binaryCrossEntropy(f64(P), f64(T)), mean(per), 1e-14);
    expectClose(binaryCrossEntropy(f64(P), f64(T), { reduction: 'none' }), per, 1e-14);
    const w = [1, 2, 0.5, 0];
    expectClose(binaryCrossEntropy(f64(P), f64(T), { weight: f64(w), reduction: 'sum' }), sum(per.map((v, i) => v * w[i])), 1e-14);
    // Soft targets work too.
    expectClose(binaryCrossEntropy(f64([0.25]), f64([0.5])), -(0.5 * Math.log(0.25) + 0.5 * Math.log(0.75)), 1e-14);
  });

  it('clamps the logs at −100, so certain mistakes cost 100, and gradients stay finite', () => {
    expectClose(binaryCrossEntropy(f64([0, 1, 1, 0]), f64([1, 0, 1, 0]), { reduction: 'none' }), [100, 100, 0, 0], 1e-15);
    const x = f64([0, 1, 0.5]).requiresGrad_();
    binaryCrossEntropy(x, f64([1, 0, 1])).backward();
    expect(values(x.grad as Tensor).every(Number.isFinite)).toBe(true);
  });

  it('passes gradCheck in float64', () => {
    expectInputGradOk((p: Tensor) => binaryCrossEntropy(p, f64([[1, 0], [0.3, 1]])), [f64([[0.7, 0.2], [0.4, 0.9]])]);
  });

  it('rejects values outside [0, 1]', () => {
    expect(() => binaryCrossEntropy(f64([1.5]), f64([1]))).toThrow(/input must hold probabilities in \[0, 1\], got 1.5 at flat position 0; for logits use bceWithLogits/);
    expect(() => binaryCrossEntropy(f64([0.5]), f64([1, 0]))).toThrow(ShapeError);
  });
});

describe('bceWithLogits', () => {
  const Z = [2, -1, 0, 30];
  const T = [1, 0, 1, 0];
  // −log σ(z) = softplus(−z) and −log(1 − σ(z)) = softplus(z), written without cancellation.
  const softplus = (z: number) => (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z)));
  const per = (pw = [1, 1, 1, 1]) => Z.map((z, i) => pw[i] * T[i] * softplus(-z) + (1 - T[i]) * softplus(z));

  it('equals binaryCrossEntropy of sigmoid, without overflow', () => {
    expectClose(bceWithLogits(f64(Z), f64(T), { reduction: 'none' }), per(), 1e-12);
    expectClose(bceWithLogits(f64(Z), f64(T)), mean(per()), 1e-12);
    // z = 1000 with target 0 costs 1000 (sigmoid would round to 1 and the log to −∞).
    expectClose(bceWithLogits(f64([1000, -1000]), f64([0, 1]), { reduction: 'none' }), [1000, 1000], 1e-12);
    // A confident right answer costs log1p(e^−100) ≈ 3.7e−44, not NaN.
    expect(bceWithLogits(tensor([100]), tensor([1])).item()).toBeCloseTo(Math.exp(-100), 44); // float32 subnormal
  });

  it('weights positives by posWeight (per class, last dim) and elements by weight', () => {
    const x = f64([Z, Z]);
    const y = f64([T, T]);
    const pw = [3, 1, 0.5, 2];
    const w = [[1, 1, 1, 1], [2, 2, 2, 2]];
    const want = [...per(pw), ...per(pw).map((v) => 2 * v)];
    expectClose(bceWithLogits(x, y, { posWeight: f64(pw), weight: f64(w), reduction: 'none' }), want, 1e-12);
  });

  it('passes gradCheck in float64', () => {
    expectInputGradOk((z: Tensor, t: Tensor) => bceWithLogits(z, t, { posWeight: f64([2, 0.5]) }), [randn64(4, [3, 2]), f64([[1, 0], [0.5, 1], [0, 0]])]);
  });

  it('BCELoss and BCEWithLogitsLoss modules', () => {
    expectClose(new BCEWithLogitsLoss({ posWeight: f64([3, 1, 0.5, 2]) }).forward(f64(Z), f64(T)), mean(per([3, 1, 0.5, 2])), 1e-12);
    expectClose(new BCELoss().forward(f64([0.9]), f64([1])), -Math.log(0.9), 1e-14);
  });
});

describe('klDiv', () => {
  const logq = [[Math.log(0.5), Math.log(0.25), Math.log(0.25)], [Math.log(0.1), Math.log(0.6), Math.log(0.3)]];
  const p = [[0.4, 0.6, 0], [0.2, 0.2, 0.6]];
  const pointwise = p.flat().map((t, i) => (t === 0 ? 0 : t * (Math.log(t) - logq.flat()[i])));

  it('is target·(log target − input), 0 where target is 0', () => {
    expectClose(klDiv(f64(logq), f64(p), { reduction: 'none' }), pointwise, 1e-14);
    expectClose(klDiv(f64(logq), f64(p), { reduction: 'sum' }), sum(pointwise), 1e-14);
    expectClose(klDiv(f64(logq), f64(p)), mean(pointwise), 1e-14);
    expectClose(klDiv(f64(logq), f64(p), { reduction: 'batchmean' }), sum(pointwise) / 2, 1e-14);
  });

  it('accepts log-probability targets (a target of −∞, i.e. probability 0, adds 0)', () => {
    const logp = p.map((r) => r.map((v) => (v === 0 ? -Infinity : Math.log(v))));
    expectClose(klDiv(f64(logq), f64(logp), { logTarget: true, reduction: 'batchmean' }), sum(pointwise) / 2, 1e-14);
  });

  it('passes gradCheck in float64 and rejects bad reductions', () => {
    expectInputGradOk((x: Tensor) => klDiv(x, f64(p), { reduction: 'batchmean' }), [f64(logq)]);
    expectInputGradOk((x: Tensor, t: Tensor) => klDiv(x, t, { logTarget: true }), [f64(logq), randn64(5, [2, 3])]);
    expect(() => klDiv(f64(logq), f64(p), { reduction: 'max' as never })).toThrow(ArgumentError);
    expect(new KLDivLoss({ reduction: 'batchmean' }).forward(f64(logq), f64(p)).item()).toBeCloseTo(sum(pointwise) / 2, 14);
  });
});

describe('regression loss modules', () => {
  it('MSELoss, L1Loss, HuberLoss, SmoothL1Loss apply their functions', () => {
    const [x, y] = [f64(X), f64(Y)];
    expect(values(new MSELoss({ reduction: 'sum' }).forward(x, y))).toEqual(values(mseLoss(x, y, { reduction: 'sum' })));
    expect(values(new L1Loss().forward(x, y))).toEqual(values(l1Loss(x, y)));
    expect(values(new HuberLoss({ delta: 0.5 }).forward(x, y))).toEqual(values(huberLoss(x, y, { delta: 0.5 })));
    expect(values(new SmoothL1Loss({ beta: 0.5 }).forward(x, y))).toEqual(values(smoothL1Loss(x, y, { beta: 0.5 })));
  });
});

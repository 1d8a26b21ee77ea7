import '@plexus/backend-js';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '@plexus/tensor';
import { ArgumentError, ShapeError, manualSeed, randn, tensor } from '@plexus/tensor';
import type { Module } from '@plexus/nn';
import { GRU, LSTM, RNN, crossEntropy, gradCheckModule } from '@plexus/nn';
import { Adam } from '@plexus/optim';
import { SequenceClassifier, SequenceRegressor, SequenceToSequence, chronoInit_ } from '../src/index.js';

const values = (t: Tensor): number[] => Array.from(t.dataSync() as ArrayLike<number>);
function expectClose(got: Tensor, want: Tensor | number[], tol = 1e-10): void {
  const g = values(got);
  const w = Array.isArray(want) ? want : values(want);
  expect(g.length).toBe(w.length);
  g.forEach((v, i) => expect(Math.abs(v - w[i])).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(w[i]))));
}

/** gradCheck in float64 w.r.t. the input and every parameter. */
function expectGradOk(model: Module, x: Tensor, call: (x: Tensor) => Tensor): void {
  expect(gradCheckModule(model, [x], call).message).toBe('ok');
}

describe('SequenceClassifier', () => {
  it('maps [N, T, inputSize] to logits [N, numClasses] for every cell type', () => {
    manualSeed(0);
    for (const cell of ['rnn', 'lstm', 'gru'] as const) {
      const m = new SequenceClassifier({ cell, inputSize: 3, hiddenSize: 5, numLayers: 2, numClasses: 4, bidirectional: true });
      expect(m.rnn.constructor.name).toBe(cell === 'rnn' ? 'RNN' : cell.toUpperCase());
      expect(m.featureSize).toBe(10);
      expect(m.forward(randn([2, 6, 3])).shape).toEqual([2, 4]);
    }
  });

  it("'last' pooling reads the last layer's final states of both directions; 'mean' averages the valid steps", () => {
    manualSeed(1);
    const m = new SequenceClassifier({ cell: 'gru', inputSize: 2, hiddenSize: 3, numLayers: 2, numClasses: 2, bidirectional: true, dtype: 'float64' });
    const x = randn([2, 4, 2], { dtype: 'float64' });
    const [out, h] = (m.rnn as GRU).forward(x);
    // Forward direction ends at step T−1, backward at step 0.
    const fwd = h.slice(0, 2, 3).reshape([2, 3]);
    const bwd = h.slice(0, 3, 4).reshape([2, 3]);
    expectClose(fwd, out.slice(1, 3, 4).slice(2, 0, 3).reshape([2, 3]));
    expectClose(bwd, out.slice(1, 0, 1).slice(2, 3, 6).reshape([2, 3]));
    const features = tensor([[...values(fwd).slice(0, 3), ...values(bwd).slice(0, 3)], [...values(fwd).slice(3), ...values(bwd).slice(3)]], { dtype: 'float64' });
    expectClose(m.forward(x), m.head.forward(features));

    const mean = new SequenceClassifier({ cell: 'lstm', inputSize: 2, hiddenSize: 3, numClasses: 2, pooling: 'mean', dtype: 'float64' });
    const [o2] = (mean.rnn as LSTM).forward(x, null, { lengths: [4, 2] });
    const pooled = tensor([0, 1].map((n) => {
      const len = [4, 2][n];
      return [0, 1, 2].map((j) => values(o2.slice(0, n, n + 1).slice(1, 0, len).slice(2, j, j + 1)).reduce((a, b) => a + b, 0) / len);
    }), { dtype: 'float64' });
    expectClose(mean.forward(x, { lengths: [4, 2] }), mean.head.forward(pooled));
  });

  it('passes gradCheck in float64 (input and all parameters), with both poolings', () => {
    manualSeed(2);
    const x = randn([2, 3, 2], { dtype: 'float64' });
    const a = new SequenceClassifier({ cell: 'lstm', inputSize: 2, hiddenSize: 2, numClasses: 3, bidirectional: true, dtype: 'float64' });
    expectGradOk(a, x, (xx) => a.forward(xx));
    const b = new SequenceClassifier({ cell: 'gru', inputSize: 2, hiddenSize: 2, numClasses: 2, pooling: 'mean', dtype: 'float64' });
    expectGradOk(b, x, (xx) => b.forward(xx, { lengths: [3, 2] }));
  });

  it('learns a toy task: is the first step positive? (needs memory across the sequence)', () => {
    manualSeed(3);
    const n = 64;
    const x = randn([n, 6, 1]);
    const y = tensor(values(x.slice(1, 0, 1).reshape([n])).map((v) => (v > 0 ? 1 : 0)), { dtype: 'int32' });
    const m = new SequenceClassifier({ cell: 'gru', inputSize: 1, hiddenSize: 8, numClasses: 2 });
    const opt = new Adam(m.parameters(), { lr: 0.03 });
    let first = 0;
    let loss = 0;
    for (let step = 0; step < 60; step++) {
      opt.zeroGrad();
      const l = crossEntropy(m.forward(x), y);
      l.backward();
      opt.step();
      loss = l.item() as number;
      if (step === 0) first = loss;
    }
    expect(first).toBeGreaterThan(0.5);
    expect(loss).toBeLessThan(0.2);
  });

  it('rejects bad options and input', () => {
    expect(() => new SequenceClassifier({ cell: 'tcn' as never, inputSize: 2, hiddenSize: 2, numClasses: 2 })).toThrow("SequenceClassifier: cell must be 'rnn', 'lstm' or 'gru', got 'tcn'");
    expect(() => new SequenceClassifier({ inputSize: 2, hiddenSize: 2, numClasses: 0 })).toThrow(ArgumentError);
    expect(() => new SequenceClassifier({ inputSize: 2, hiddenSize: 2, numClasses: 2, pooling: 'max' as never })).toThrow(/pooling must be 'last' or 'mean'/);
    expect(() => new SequenceClassifier(null as never)).toThrow(/expected an options object/);
    const m = new SequenceClassifier({ inputSize: 2, hiddenSize: 2, numClasses: 2 });
    expect(() => m.forward(randn([4, 2]))).toThrow(ShapeError);
    expect(() => m.forward(randn([4, 2]))).toThrow('SequenceClassifier: expected input [N, T, 2] (batch first), got [4,2]');
    expect(() => m.forward(randn([1, 4, 3]))).toThrow(/last dim 2/);
    expect(() => m.forward(randn([2, 4, 2]), { lengths: [5, 1] })).toThrow(/lengths must be integers in \[1, 4\]/);
  });
});

describe('SequenceRegressor and SequenceToSequence', () => {
  it('sequence-to-one [N, outputSize] and per-step [N, T, outputSize]', () => {
    manualSeed(4);
    const r = new SequenceRegressor({ cell: 'rnn', inputSize: 2, hiddenSize: 4, outputSize: 3 });
    expect(r.forward(randn([5, 7, 2])).shape).toEqual([5, 3]);
    expect(new SequenceRegressor({ inputSize: 2, hiddenSize: 4 }).forward(randn([5, 7, 2])).shape).toEqual([5, 1]);
    const s = new SequenceToSequence({ cell: 'gru', inputSize: 2, hiddenSize: 4, outputSize: 2, bidirectional: true, numLayers: 2 });
    expect(s.forward(randn([5, 7, 2])).shape).toEqual([5, 7, 2]);
    expect(() => new SequenceRegressor({ inputSize: 2, hiddenSize: 4, outputSize: 1.5 })).toThrow(/outputSize must be a positive integer/);
  });

  it('the per-step head is the same Linear at every step', () => {
    manualSeed(5);
    const s = new SequenceToSequence({ cell: 'lstm', inputSize: 2, hiddenSize: 3, dtype: 'float64' });
    const x = randn([2, 4, 2], { dtype: 'float64' });
    const [out] = (s.rnn as LSTM).forward(x);
    expectClose(s.forward(x), s.head.forward(out));
  });

  it('pass gradCheck in float64', () => {
    manualSeed(6);
    const x = randn([2, 3, 2], { dtype: 'float64' });
    const r = new SequenceRegressor({ cell: 'rnn', inputSize: 2, hiddenSize: 2, numLayers: 2, outputSize: 2, dtype: 'float64' });
    expectGradOk(r, x, (xx) => r.forward(xx));
    const s = new SequenceToSequence({ cell: 'gru', inputSize: 2, hiddenSize: 2, bidirectional: true, dtype: 'float64' });
    expectGradOk(s, x, (xx) => s.forward(xx));
  });
});

describe('chronoInit_', () => {
  it('LSTM: b_f = log(u), u in [1, T − 1], b_i = −b_f, in every layer and direction; the rest untouched', () => {
    manualSeed(7);
    const lstm = new LSTM(2, 3, { numLayers: 2, bidirectional: true });
    const before = lstm.stateDict();
    chronoInit_(lstm, 50);
    const after = lstm.stateDict();
    for (const suffix of ['_l0', '_l0_reverse', '_l1', '_l1_reverse']) {
      const ih = values(after[`biasIh${suffix}`]);
      const hh = values(after[`biasHh${suffix}`]);
      const old = values(before[`biasIh${suffix}`]);
      for (let j = 0; j < 3; j++) {
        const bf = ih[3 + j];
        expect(bf).toBeGreaterThanOrEqual(0);
        expect(bf).toBeLessThanOrEqual(Math.log(49) + 1e-6);
        expect(ih[j]).toBeCloseTo(-bf, 6);
        expect(hh[j]).toBe(0);
        expect(hh[3 + j]).toBe(0);
      }
      // g and o biases keep their values.
      expect(ih.slice(6)).toEqual(old.slice(6));
      expect(values(after[`weightHh${suffix}`])).toEqual(values(before[`weightHh${suffix}`]));
    }
  });

  it('GRU: the update gate z (block 1) only', () => {
    manualSeed(8);
    const gru = new GRU(2, 4);
    const before = values(gru.stateDict().biasIh_l0);
    chronoInit_(gru, 100);
    const ih = values(gru.stateDict().biasIh_l0);
    expect(ih.slice(0, 4)).toEqual(before.slice(0, 4));
    expect(ih.slice(8)).toEqual(before.slice(8));
    expect(ih.slice(4, 8).every((b) => b >= 0 && b <= Math.log(99) + 1e-6)).toBe(true);
    expect(values(gru.stateDict().biasHh_l0).slice(4, 8)).toEqual([0, 0, 0, 0]);
  });

  it('rejects an RNN, a layer without bias and a bad length', () => {
    expect(() => chronoInit_(new RNN(2, 3), 10)).toThrow('chronoInit_: needs an LSTM or a GRU (gated), got RNN');
    expect(() => chronoInit_(new LSTM(2, 3, { bias: false }), 10)).toThrow(/no biases/);
    expect(() => chronoInit_(new GRU(2, 3), 1)).toThrow(/maxLength must be a number > 2/);
  });
});

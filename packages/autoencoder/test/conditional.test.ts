import { describe, expect, it } from 'vitest';
import type { Tensor } from '@plexus/tensor';
import { ArgumentError, DTypeError, Generator, ShapeError, manualSeed, rand, tensor } from '@plexus/tensor';
import {
  ConditionalAutoencoder, FiLM, bestLabels, conditionalReconstructionErrors, inEvalMode, labelReconstructionErrors, rocAuc, scoreLabelErrors,
  trainConditionalAutoencoder,
} from '../src/index.js';
import { expectClose, expectGradOk, f64, randn64, values } from './helpers.js';

/**
 * Images of 16 values (4×4): a bright column at position `label` (0..3) with random brightness
 * and a dimmer halo; `n` of them with labels cycling through `classes`.
 */
function bars(n: number, classes: number[], seed: number): { x: Tensor; labels: number[] } {
  const u = new Generator(seed).nextUniform(n);
  const data: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const pos = classes[i % classes.length];
    const bright = 0.6 + 0.4 * u[i];
    for (let r = 0; r < 4; r++) for (let c = 0; c < 4; c++) data.push(c === pos ? bright : Math.abs(c - pos) === 1 ? 0.2 * bright : 0);
    labels.push(pos);
  }
  return { x: tensor(data).reshape([n, 1, 4, 4]), labels };
}

describe('FiLM', () => {
  it('computes γ(c) ⊙ h + β(c) with linear γ and β', () => {
    const film = new FiLM(2, 3, { dtype: 'float64' });
    film.gamma.weight.assign(f64([[1, 0], [0, 1], [1, 1]]));
    film.gamma.bias!.assign(f64([0, 0.5, 0]));
    film.beta.weight.assign(f64([[0, 0], [1, 0], [0, -1]]));
    film.beta.bias!.assign(f64([1, 0, 0]));
    const h = f64([[2, 3, 4]]);
    const c = f64([[1, -1]]);
    // γ = [1, −1 + 0.5, 0] = [1, −0.5, 0]; β = [1, 1, 1].
    expectClose(film.forward(h, c), [2 * 1 + 1, 3 * -0.5 + 1, 4 * 0 + 1]);
    expect(film.numParameters()).toBe(2 * (2 * 3 + 3));
  });

  it('passes gradCheck in float64 w.r.t. features, condition and parameters', () => {
    manualSeed(4);
    const film = new FiLM(3, 4, { dtype: 'float64' });
    expectGradOk(film, [randn64(1, [2, 4]), randn64(2, [2, 3])], (h, c) => film.forward(h, c));
  });

  it('rejects bad sizes and shapes with typed errors', () => {
    expect(() => new FiLM(0, 3)).toThrow('FiLM: condDim must be a positive integer, got 0');
    const film = new FiLM(2, 3);
    expect(() => film.forward(rand([4, 5]), rand([4, 2]))).toThrow('FiLM: expected features [N, 3], got [4,5]');
    expect(() => film.forward(rand([4, 3]), rand([3, 2]))).toThrow('FiLM: expected cond [4, 2] for features [4,3], got [3,2]');
    expect(() => film.forward(rand([4, 3]), null as unknown as Tensor)).toThrow(ArgumentError);
  });
});

describe('ConditionalAutoencoder', () => {
  it('encodes, classifies, builds ±1 condition vectors and reconstructs per label', () => {
    manualSeed(0);
    const model = new ConditionalAutoencoder({ inputDim: 16, numClasses: 3, latentDim: 4, hidden: [8] });
    const x = rand([5, 1, 4, 4]);
    expect(model.encode(x).shape).toEqual([5, 4]);
    expect(model.classify(x).shape).toEqual([5, 3]);
    expect(values(model.conditionVectors([2, 0]))).toEqual([-1, -1, 1, 1, -1, -1]);
    expect(values(model.conditionVectors(tensor([1], { dtype: 'int32' })))).toEqual([-1, 1, -1]);
    const out = model.forward(x, [0, 1, 2, 0, 1]);
    expect(out.shape).toEqual([5, 1, 4, 4]);
    const v = values(out);
    expect(Math.min(...v)).toBeGreaterThan(0);
    expect(Math.max(...v)).toBeLessThan(1);
    // The label changes the reconstruction of the same code.
    const z = model.encode(x.narrow(0, 0, 1));
    expect(values(model.decode(z, [0]))).not.toEqual(values(model.decode(z, [1])));
    // Encoder 16→8→4, classifier 4→3, decoder 4→8→16 with one FiLM (3→8 twice).
    expect(model.numParameters()).toBe((16 * 8 + 8) + (8 * 4 + 4) + (4 * 3 + 3) + (4 * 8 + 8) + (8 * 16 + 16) + 2 * (3 * 8 + 8));
  });

  it('passes gradCheck in float64 w.r.t. the input and every parameter (dense encoder)', () => {
    manualSeed(1);
    const model = new ConditionalAutoencoder({ inputDim: 6, numClasses: 3, latentDim: 2, hidden: [4, 3], activation: 'tanh', dtype: 'float64' });
    expectGradOk(model, [randn64(2, [3, 6])], (x) => model.forward(x, [2, 0, 1]).add(model.classify(x).sum(1, true)));
  });

  it('passes gradCheck in float64 for the conditional decoder w.r.t. codes and parameters', () => {
    manualSeed(2);
    const model = new ConditionalAutoencoder({ inputDim: 5, numClasses: 2, latentDim: 3, hidden: [4], activation: 'leakyRelu', dtype: 'float64' });
    expectGradOk(model, [randn64(3, [2, 3])], (z) => model.decode(z, [1, 0]));
  });

  it('passes gradCheck in float64 with the conv encoder', () => {
    manualSeed(3);
    const model = new ConditionalAutoencoder({ inputDim: 16, numClasses: 2, latentDim: 2, hidden: [3], encoder: 'conv', channels: [2, 2], activation: 'tanh', dtype: 'float64' });
    expect(model.encode(randn64(4, [2, 1, 4, 4])).shape).toEqual([2, 2]);
    expectGradOk(model, [randn64(5, [2, 16])], (x) => model.forward(x, [1, 0]));
  });

  it('rejects bad options, inputs and labels with typed errors', () => {
    expect(() => new ConditionalAutoencoder({ inputDim: 16, numClasses: 1, latentDim: 2 })).toThrow('ConditionalAutoencoder: numClasses must be at least 2 (a wrong label must exist), got 1');
    expect(() => new ConditionalAutoencoder({ inputDim: 16, numClasses: 3, latentDim: 0 })).toThrow(ArgumentError);
    expect(() => new ConditionalAutoencoder({ inputDim: 12, numClasses: 3, latentDim: 2, encoder: 'conv' })).toThrow('the conv encoder needs square images');
    expect(() => new ConditionalAutoencoder({ inputDim: 16, numClasses: 3, latentDim: 2, encoder: 'rnn' as 'dense' })).toThrow(ArgumentError);
    expect(() => new ConditionalAutoencoder({ inputDim: 16, numClasses: 3, latentDim: 2, encoder: 'conv', channels: [2] as unknown as [number, number] })).toThrow('channels must be a pair');
    expect(() => new ConditionalAutoencoder({ inputDim: 16, numClasses: 3, latentDim: 2, dtype: 'int32' })).toThrow(DTypeError);
    expect(() => new ConditionalAutoencoder(null as unknown as { inputDim: number; numClasses: number; latentDim: number })).toThrow(ArgumentError);
    const model = new ConditionalAutoencoder({ inputDim: 16, numClasses: 3, latentDim: 2, hidden: [4] });
    const x = rand([2, 16]);
    expect(() => model.forward(x, [0])).toThrow(ShapeError);
    expect(() => model.forward(x, [0])).toThrow('ConditionalAutoencoder: expected 2 labels (one per sample), got 1');
    expect(() => model.forward(x, [0, 3])).toThrow('ConditionalAutoencoder: label 3 at index 1 is out of range; labels must be integers in [0, 2]');
    expect(() => model.forward(x, [0, -1])).toThrow(ArgumentError);
    expect(() => model.forward(x, [0, 1.5])).toThrow(ArgumentError);
    expect(() => model.forward(x, tensor([0, 1]))).toThrow('ConditionalAutoencoder: labels must be int32, got float32');
    expect(() => model.forward(x, tensor([[0, 1]], { dtype: 'int32' }))).toThrow('ConditionalAutoencoder: labels must be 1-D [N], got [1,2]');
    expect(() => model.forward(x, 'ab' as unknown as number[])).toThrow(ArgumentError);
    expect(() => model.forward(rand([2, 15]), [0, 1])).toThrow('ConditionalAutoencoder: expected input [N, 16] (or [N, ...] with 16 values per sample), got [2,15]');
    expect(() => model.decode(rand([2, 3]), [0, 1])).toThrow('ConditionalAutoencoder.decode: expected codes [N, 2], got [2,3]');
  });
});

describe('labelReconstructionErrors and scores', () => {
  it('scores by the smallest error and by smallest / second smallest (hand-computed)', () => {
    const errors = { errors: Float64Array.of(1, 2, 3, 4, 4, 8, 0, 0, 1), numSamples: 3, numClasses: 3 };
    expect(Array.from(scoreLabelErrors(errors, 'min'))).toEqual([1, 4, 0]);
    expect(Array.from(scoreLabelErrors(errors, 'ratio'))).toEqual([0.5, 1, 1]);
    expect(Array.from(bestLabels(errors))).toEqual([0, 0, 0]);
    expect(() => scoreLabelErrors(errors, 'max' as 'min')).toThrow(ArgumentError);
    expect(() => scoreLabelErrors({ ...errors, numSamples: 4 }, 'min')).toThrow('scoreLabelErrors: 9 errors for 4 samples × 3 classes');
  });

  it("equals each label's mean squared (or absolute) error of forward(x, label), in batches", async () => {
    manualSeed(5);
    const model = new ConditionalAutoencoder({ inputDim: 16, numClasses: 3, latentDim: 2, hidden: [6] });
    const x = rand([5, 1, 4, 4]);
    for (const metric of ['mse', 'l1'] as const) {
      const got = await labelReconstructionErrors(model, x, { batchSize: 2, metric });
      expect([got.numSamples, got.numClasses]).toEqual([5, 3]);
      for (let c = 0; c < 3; c++) {
        const diff = inEvalMode(model, () => model.forward(x, [c, c, c, c, c])).sub(x).flatten(1);
        const want = values((metric === 'mse' ? diff.square() : diff.abs()).mean(1));
        expectClose(Array.from({ length: 5 }, (_, i) => got.errors[i * 3 + c]), want, 1e-5);
      }
    }
    const mins = await conditionalReconstructionErrors(model, x);
    const all = await labelReconstructionErrors(model, x);
    expect(Array.from(mins)).toEqual(Array.from(scoreLabelErrors(all, 'min')));
    await expect(labelReconstructionErrors(model, rand([2, 9]))).rejects.toThrow(ShapeError);
    await expect(labelReconstructionErrors(model, x, { metric: 'l3' as 'l1' })).rejects.toThrow(ArgumentError);
    await expect(conditionalReconstructionErrors(model, x, { score: 'avg' as 'min' })).rejects.toThrow(ArgumentError);
    await expect(labelReconstructionErrors({} as ConditionalAutoencoder, x)).rejects.toThrow('labelReconstructionErrors: model must be a ConditionalAutoencoder');
  });
});

describe('trainConditionalAutoencoder', () => {
  it('trains the classifier, then a decoder that reconstructs under the right label and flags an unseen class', async () => {
    manualSeed(0);
    // Known classes: bars at columns 0, 1, 2 (relabelled 0..2); the unseen class: column 3.
    const { x, labels } = bars(96, [0, 1, 2], 1);
    const model = new ConditionalAutoencoder({ inputDim: 16, numClasses: 3, latentDim: 4, hidden: [16] });
    const logs: string[] = [];
    const { history } = await trainConditionalAutoencoder(model, x, labels, {
      classifierEpochs: 15, decoderEpochs: 60, batchSize: 16, lr: 1e-2, seed: 1, onEpochEnd: (l) => void logs.push(l.stage),
    });
    expect(history.length).toBe(75);
    expect(logs.filter((s) => s === 'classifier').length).toBe(15);
    const lastClassifier = history[14];
    expect(lastClassifier.accuracy).toBe(1);
    const decoder = history.filter((h) => h.stage === 'decoder');
    expect(decoder[59].match!).toBeLessThan(decoder[0].match! / 3);
    expect(decoder[59].loss).toBeCloseTo(0.9 * decoder[59].match! + 0.1 * decoder[59].nonMatch!, 6);
    expect(model.training).toBe(true);

    const test = bars(24, [0, 1, 2, 3], 2);
    const errors = await labelReconstructionErrors(model, test.x);
    // Each known test bar is reconstructed best under its own label.
    const best = bestLabels(errors);
    test.labels.forEach((l, i) => {
      if (l < 3) expect(best[i]).toBe(l);
    });
    const isUnseen = test.labels.map((l) => (l === 3 ? 1 : 0));
    expect(rocAuc(scoreLabelErrors(errors, 'min'), isUnseen)).toBeGreaterThan(0.9);
    expect(rocAuc(scoreLabelErrors(errors, 'ratio'), isUnseen)).toBeGreaterThan(0.9);
  });

  it('is reproducible from its seed and can stop a stage early', async () => {
    const { x, labels } = bars(24, [0, 1], 3);
    const once = async (): Promise<number[]> => {
      manualSeed(7);
      const model = new ConditionalAutoencoder({ inputDim: 16, numClasses: 2, latentDim: 2, hidden: [4] });
      const r = await trainConditionalAutoencoder(model, x, tensor(labels, { dtype: 'int32' }), {
        classifierEpochs: 3, decoderEpochs: 5, batchSize: 8, seed: 2, onEpochEnd: (l) => !(l.stage === 'decoder' && l.epoch === 1),
      });
      return r.history.map((h) => h.loss);
    };
    const a = await once();
    expect(a.length).toBe(5);
    expect(await once()).toEqual(a);
  });

  it('rejects bad data and options with typed errors', async () => {
    const { x, labels } = bars(8, [0, 1], 4);
    const model = new ConditionalAutoencoder({ inputDim: 16, numClasses: 2, latentDim: 2, hidden: [4] });
    const opts = { classifierEpochs: 1, decoderEpochs: 1 };
    await expect(trainConditionalAutoencoder(model, x, labels.slice(1), opts)).rejects.toThrow('trainConditionalAutoencoder: expected 8 labels (one per sample), got 7');
    await expect(trainConditionalAutoencoder(model, x, labels.map(() => 0), opts)).rejects.toThrow('trainConditionalAutoencoder: class 1 has no training images');
    await expect(trainConditionalAutoencoder(model, x, labels.map((l) => l + 1), opts)).rejects.toThrow('label 2 at index 1 is out of range');
    await expect(trainConditionalAutoencoder(model, x, labels, { ...opts, alpha: 1.5 })).rejects.toThrow('trainConditionalAutoencoder: alpha must be a number in [0, 1], got 1.5');
    await expect(trainConditionalAutoencoder(model, x, labels, { ...opts, loss: 'bce' as 'l1' })).rejects.toThrow(ArgumentError);
    await expect(trainConditionalAutoencoder(model, x, labels, { classifierEpochs: 0, decoderEpochs: 1 })).rejects.toThrow(ArgumentError);
    await expect(trainConditionalAutoencoder(model, x.cast('int32'), labels, opts)).rejects.toThrow(ArgumentError);
    await expect(trainConditionalAutoencoder(model, rand([8, 15]), labels, opts)).rejects.toThrow(ShapeError);
    await expect(trainConditionalAutoencoder({} as ConditionalAutoencoder, x, labels, opts)).rejects.toThrow('trainConditionalAutoencoder: model must be a ConditionalAutoencoder');
  });
});

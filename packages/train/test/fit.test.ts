import '@plexus/backend-js';
import { describe, expect, it } from 'vitest';
import { DataLoader, TensorDataset } from '@plexus/data';
import { Dropout, Linear, Sequential, crossEntropy, mseLoss } from '@plexus/nn';
import { Adam, OneCycleLR, ReduceLROnPlateau, SGD, StepLR } from '@plexus/optim';
import { ArgumentError, isGradEnabled, manualSeed, randn, tensor } from '@plexus/tensor';
import type { Tensor } from '@plexus/tensor';
import { Callback, evaluate, fit, predict } from '../src/index.js';
import type { BatchLogs, EpochLogs } from '../src/index.js';
import { moonsLoaders, moonsModel } from './helpers.js';

describe('fit / evaluate / predict', () => {
  it('learns two moons to high accuracy and records a History', async () => {
    manualSeed(0);
    const { train, val, x, y } = moonsLoaders();
    const model = moonsModel();
    const optimizer = new Adam(model.parameters(), { lr: 0.01 });
    const history = await fit(model, { train, val, epochs: 30, optimizer, loss: crossEntropy, metrics: ['accuracy'], verbose: 0 });
    expect(history.length).toBe(30);
    expect(history.epochs).toEqual(Array.from({ length: 30 }, (_, i) => i));
    const loss = history.get('loss');
    expect(loss[29]).toBeLessThan(loss[0] / 5);
    expect(history.get('val_accuracy')[29]).toBeGreaterThan(0.97);
    expect(Object.keys(history.last!)).toEqual(['loss', 'accuracy', 'valLoss', 'valAccuracy', 'lr', 'seconds']);
    expect(history.get('lr').every((v) => v === 0.01)).toBe(true);

    const r = await evaluate(model, val, { loss: crossEntropy, metrics: ['accuracy'] });
    expect(r.loss).toBeCloseTo(history.last!.valLoss, 6);
    expect(r.accuracy).toBe(history.last!.valAccuracy);

    const out = await predict(model, x, { batchSize: 50 });
    expect(out.shape).toEqual([256, 2]);
    const pred = Array.from(out.argmax(1).dataSync());
    const truth = y.dataSync();
    const acc = pred.reduce((a, p, i) => a + (p === truth[i] ? 1 : 0), 0) / 256;
    expect(acc).toBeGreaterThan(0.97);
    // predict on a loader gives the same outputs
    const viaLoader = await predict(model, new DataLoader(new TensorDataset(x, y), { batchSize: 100 }));
    expect(Array.from(viaLoader.dataSync())).toEqual(Array.from(out.dataSync()));
  });

  it('averages the loss over samples, not batches (uneven last batch)', async () => {
    manualSeed(0);
    const model = new Sequential(new Linear(1, 1));
    const x = tensor([[1], [2], [3]]);
    const y = tensor([[0], [0], [0]]);
    // Batches of 2 and 1: the epoch loss must weight the second batch by 1 sample, not 1/2.
    const loader = new DataLoader(new TensorDataset(x, y), { batchSize: 2 });
    const r = await evaluate(model, loader, { loss: mseLoss });
    const out = model.forward(x).dataSync();
    const expected = (out[0] ** 2 + out[1] ** 2 + out[2] ** 2) / 3;
    expect(r.loss).toBeCloseTo(expected, 6);
  });

  it('trains in training mode, validates in eval mode without recording gradients, and restores modes', async () => {
    manualSeed(0);
    const seen: { training: boolean; grad: boolean }[] = [];
    class Probe extends Sequential {
      override forward(x: Tensor): Tensor {
        seen.push({ training: this.training, grad: isGradEnabled() });
        return super.forward(x);
      }
    }
    const model = new Probe(new Linear(2, 2), new Dropout(0.5));
    model.eval();
    const { train, val } = moonsLoaders(64, 32);
    await fit(model, { train, val, epochs: 1, optimizer: new SGD(model.parameters(), { lr: 0.1 }), loss: crossEntropy, verbose: 0 });
    // 2 training batches then 2 validation batches.
    expect(seen).toEqual([
      { training: true, grad: true },
      { training: true, grad: true },
      { training: false, grad: false },
      { training: false, grad: false },
    ]);
    expect(model.training).toBe(false);
    expect(model.at(1).training).toBe(false);
  });

  it('calls zeroGrad, backward and step once per batch, and callbacks in order', async () => {
    manualSeed(0);
    const model = moonsModel();
    const optimizer = new SGD(model.parameters(), { lr: 0.1 });
    const calls: string[] = [];
    const zero = optimizer.zeroGrad.bind(optimizer);
    const step = optimizer.step.bind(optimizer);
    optimizer.zeroGrad = (s?: boolean) => (calls.push('zeroGrad'), zero(s));
    optimizer.step = (<L>(c?: () => L) => (calls.push('step'), step(c))) as typeof optimizer.step;
    class Recorder extends Callback {
      override onTrainBegin(): void { calls.push('trainBegin'); }
      override onEpochBegin(e: number): void { calls.push(`epochBegin ${e}`); }
      override onBatchEnd(b: number, logs: BatchLogs): void { calls.push(`batchEnd ${b} step ${logs.step} size ${logs.size}`); }
      override onEpochEnd(e: number, logs: EpochLogs): void { calls.push(`epochEnd ${e} ${Object.keys(logs).join(',')}`); }
      override onTrainEnd(): void { calls.push('trainEnd'); }
    }
    const { train } = moonsLoaders(40, 32);
    await fit(model, { train, epochs: 2, optimizer, loss: crossEntropy, callbacks: [new Recorder()], verbose: 0 });
    expect(calls).toEqual([
      'trainBegin',
      'epochBegin 0', 'zeroGrad', 'step', 'batchEnd 0 step 1 size 32', 'zeroGrad', 'step', 'batchEnd 1 step 2 size 8', 'epochEnd 0 loss,lr,seconds',
      'epochBegin 1', 'zeroGrad', 'step', 'batchEnd 0 step 3 size 32', 'zeroGrad', 'step', 'batchEnd 1 step 4 size 8', 'epochEnd 1 loss,lr,seconds',
      'trainEnd',
    ]);
  });

  it('accepts plain arrays of [x, y] and { x, y } batches, and async iterables', async () => {
    manualSeed(0);
    const model = new Sequential(new Linear(3, 1));
    const x = randn([8, 3]);
    const y = x.sum(1, true);
    async function* gen(): AsyncGenerator<{ x: Tensor; y: Tensor }> {
      yield { x, y };
    }
    const h1 = await fit(model, { train: [[x, y]], val: gen(), epochs: 1, optimizer: new SGD(model.parameters(), { lr: 0.01 }), loss: mseLoss, metrics: ['mse', 'mae', 'r2'], verbose: 0 });
    expect(Object.keys(h1.last!)).toEqual(['loss', 'mse', 'mae', 'r2', 'valLoss', 'valMse', 'valMae', 'valR2', 'lr', 'seconds']);
    // The mse metric equals the loss for an MSE loss.
    expect(h1.last!.mse).toBeCloseTo(h1.last!.loss, 5);
  });

  it('steps epoch schedulers per epoch and OneCycleLR per batch', async () => {
    manualSeed(0);
    const { train } = moonsLoaders(64, 16); // 4 batches
    let model = moonsModel();
    let optimizer = new SGD(model.parameters(), { lr: 0.1 });
    const step = new StepLR(optimizer, { stepSize: 1, gamma: 0.5 });
    const h = await fit(model, { train, epochs: 3, optimizer, loss: crossEntropy, scheduler: step, verbose: 0 });
    expect(h.get('lr')).toEqual([0.1, 0.05, 0.025]);

    model = moonsModel();
    optimizer = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
    const cycle = new OneCycleLR(optimizer, { maxLr: 0.5, epochs: 2, stepsPerEpoch: 4 });
    const lrs: number[] = [];
    class LrProbe extends Callback {
      override onBatchEnd(_b: number, logs: BatchLogs): void { lrs.push(logs.lr); }
    }
    await fit(model, { train, epochs: 2, optimizer, loss: crossEntropy, scheduler: cycle, callbacks: [new LrProbe()], verbose: 0 });
    expect(cycle.lastEpoch).toBe(8);
    expect(lrs.length).toBe(8);
    expect(lrs[0]).toBeCloseTo(0.5 / 25, 12);
    expect(Math.max(...lrs)).toBeGreaterThan(0.4);
  });

  it('feeds ReduceLROnPlateau the monitored value', async () => {
    manualSeed(0);
    const model = new Sequential(new Linear(2, 2));
    const optimizer = new SGD(model.parameters(), { lr: 0 }); // lr 0: the loss never improves
    const plateau = new ReduceLROnPlateau(optimizer, { patience: 0, factor: 0.5 });
    const fed: number[] = [];
    const stepFn = plateau.step.bind(plateau);
    plateau.step = (m: number | Tensor) => (fed.push(m as number), stepFn(m));
    optimizer.paramGroups[0].lr = 0;
    const { train, val } = moonsLoaders(32, 16);
    const h = await fit(model, { train, val, epochs: 3, optimizer, loss: crossEntropy, scheduler: plateau, verbose: 0 });
    expect(fed).toEqual(h.get('valLoss'));
    await expect(fit(model, { train, epochs: 1, optimizer, loss: crossEntropy, scheduler: plateau, monitor: 'valAccuracy', verbose: 0 })).rejects.toThrow(/ReduceLROnPlateau monitors 'valAccuracy'/);
  });

  it('clips the gradient norm before each step when asked', async () => {
    manualSeed(0);
    const model = moonsModel();
    const norms: number[] = [];
    class GradNorm extends Callback {
      override onBatchEnd(): void {
        let sq = 0;
        for (const p of this.context.model.parameters()) for (const g of p.grad!.dataSync()) sq += g * g;
        norms.push(Math.sqrt(sq));
      }
    }
    const { train } = moonsLoaders(64, 16);
    await fit(model, { train, epochs: 1, optimizer: new SGD(model.parameters(), { lr: 0.1 }), loss: crossEntropy, clipGradNorm: 0.05, callbacks: [new GradNorm()], verbose: 0 });
    expect(norms.length).toBe(4);
    for (const n of norms) expect(n).toBeLessThanOrEqual(0.05 + 1e-6);
    await expect(fit(model, { train, epochs: 1, optimizer: new SGD(model.parameters(), { lr: 0.1 }), loss: crossEntropy, clipGradNorm: -1, verbose: 0 })).rejects.toThrow(/clipGradNorm must be a positive number/);
  });

  it('checks schedulerStep', async () => {
    const model = moonsModel();
    const optimizer = new SGD(model.parameters(), { lr: 0.1 });
    const { train } = moonsLoaders(32, 16);
    const base = { train, epochs: 1, optimizer, loss: crossEntropy, verbose: 0 as const };
    await expect(fit(model, { ...base, scheduler: new ReduceLROnPlateau(optimizer), schedulerStep: 'batch' })).rejects.toThrow(/ReduceLROnPlateau steps once per epoch/);
    await expect(fit(model, { ...base, scheduler: new StepLR(optimizer, { stepSize: 1 }), schedulerStep: 'often' as never })).rejects.toThrow(/schedulerStep must be 'epoch' or 'batch'/);
    await expect(fit(model, { ...base, scheduler: {} as never })).rejects.toThrow(/scheduler must be an LRScheduler/);
    // Forcing a per-batch step on an epoch schedule steps it once per batch.
    const step = new StepLR(optimizer, { stepSize: 1, gamma: 0.5 });
    await fit(model, { ...base, scheduler: step, schedulerStep: 'batch' });
    expect(step.lastEpoch).toBe(2);
  });

  it('resumes the epoch count from initialEpoch', async () => {
    manualSeed(0);
    const model = moonsModel();
    const { train } = moonsLoaders(32, 16);
    const h = await fit(model, { train, epochs: 5, initialEpoch: 3, optimizer: new SGD(model.parameters(), { lr: 0.1 }), loss: crossEntropy, verbose: 0 });
    expect(h.epochs).toEqual([3, 4]);
  });

  it('rejects bad arguments with clear errors', async () => {
    const model = moonsModel();
    const optimizer = new SGD(model.parameters(), { lr: 0.1 });
    const { train } = moonsLoaders(32, 16);
    const base = { train, epochs: 1, optimizer, loss: crossEntropy, verbose: 0 as const };
    await expect(fit(model, { ...base, epochs: 1.5 })).rejects.toThrow(ArgumentError);
    await expect(fit(model, { ...base, train: randn([2, 2]) as never })).rejects.toThrow(/train must be a DataLoader or an iterable/);
    await expect(fit(model, { ...base, metrics: ['accuracy', 'acc'] })).rejects.toThrow(/two metrics .* named 'accuracy'/);
    await expect(fit(model, { ...base, metrics: ['auc'] })).rejects.toThrow(/unknown metric 'auc'/);
    await expect(fit(model, { ...base, train: [[randn([2, 2])]] as never })).rejects.toThrow(/batch 0 must be \[x, y\] tensors/);
    await expect(fit(model, { ...base, loss: (o: Tensor) => o })).rejects.toThrow(/expected one value, the batch mean/);
    await expect(fit(model, { ...base, train: [] })).rejects.toThrow(/yielded no batches in epoch 1/);
    await expect(fit(model, { ...base, optimizer: {} as never })).rejects.toThrow(/optimizer must be an Optimizer/);
    await expect(evaluate(model, train)).rejects.toThrow(/give a loss, metrics, or both/);
  });
});

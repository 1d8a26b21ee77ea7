import '@plexus/backend-js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Linear, Sequential, crossEntropy, mseLoss } from '@plexus/nn';
import { SGD, StepLR } from '@plexus/optim';
import { ArgumentError, manualSeed, tensor } from '@plexus/tensor';
import type { Tensor } from '@plexus/tensor';
import {
  CSVLogger, Callback, EarlyStopping, JSONLogger, LearningRateScheduler, ModelCheckpoint, OverfittingWarning, ProgressBar, TerminateOnNaN,
  fit, load,
} from '../src/index.js';
import type { EpochLogs } from '../src/index.js';
import { moonsLoaders, moonsModel, sink, tempDir, weightsOf } from './helpers.js';

/** Replays given logs through fit: a callback that overwrites each epoch's logs before the others see them. */
class ScriptedLogs extends Callback {
  constructor(private readonly script: EpochLogs[]) {
    super();
  }
  override onEpochEnd(epoch: number, logs: EpochLogs): void {
    Object.assign(logs, this.script[epoch]);
  }
}

const lossScript = (values: [number, number][]): EpochLogs[] => values.map(([loss, valLoss]) => ({ loss, valLoss }));

async function runScripted(script: EpochLogs[], callbacks: Callback[], epochs = script.length) {
  manualSeed(0);
  const model = moonsModel();
  const optimizer = new SGD(model.parameters(), { lr: 0.05 });
  const { train, val } = moonsLoaders(32, 16);
  const history = await fit(model, { train, val, epochs, optimizer, loss: crossEntropy, callbacks: [new ScriptedLogs(script), ...callbacks], verbose: 0 });
  return { model, optimizer, history };
}

describe('EarlyStopping', () => {
  it('stops after patience epochs without improvement and restores the best weights', async () => {
    const snapshots: Record<string, number[]>[] = [];
    class Snap extends Callback {
      override onEpochEnd(): void { snapshots.push(weightsOf(this.context.model)); }
    }
    const out = sink();
    // valLoss: best at epoch index 1, then no improvement of more than minDelta 0.01.
    const es = new EarlyStopping({ monitor: 'val_loss', patience: 2, minDelta: 0.01, restoreBestWeights: true, log: out.log });
    const { model, history } = await runScripted(lossScript([[1, 0.9], [0.8, 0.5], [0.7, 0.495], [0.6, 0.6], [0.5, 0.4], [0.4, 0.3]]), [new Snap(), es]);
    expect(history.length).toBe(4); // epochs 0..3: stopped after the 2nd epoch without improvement
    expect(es.stoppedEpoch).toBe(3);
    expect(es.bestEpoch).toBe(1);
    expect(es.best).toBe(0.5);
    expect(weightsOf(model)).toEqual(snapshots[1]);
    expect(weightsOf(model)).not.toEqual(snapshots[3]);
    expect(out.lines).toEqual(['EarlyStopping: valLoss has not improved on 0.5 (epoch 2) for 2 epochs; stopping after epoch 4, restored the weights of epoch 2']);
    expect(history.stopReason).toBe(out.lines[0]);
  });

  it("in 'max' mode (auto for accuracy) and without restoring", async () => {
    const script = [0.5, 0.7, 0.6, 0.65].map((a) => ({ valAccuracy: a }));
    const es = new EarlyStopping({ monitor: 'valAccuracy', patience: 1, log: () => {} });
    const { history } = await runScripted(script, [es]);
    expect(history.length).toBe(3);
    expect(es.best).toBe(0.7);
    expect(() => new EarlyStopping({ patience: -1 })).toThrow(ArgumentError);
    expect(() => new EarlyStopping({ mode: 'up' as never })).toThrow(/mode must be 'min', 'max' or 'auto'/);
  });
});

describe('ModelCheckpoint', () => {
  it('keeps the best and the last epoch in a directory, with optimizer, scheduler and epoch', async () => {
    const dir = tempDir();
    const ckpt = new ModelCheckpoint({ dir, monitor: 'valLoss', extra: { arch: 'mlp' } });
    const bestWeights: Record<string, number[]>[] = [];
    class Snap extends Callback {
      override onEpochEnd(): void { bestWeights.push(weightsOf(this.context.model)); }
    }
    manualSeed(0);
    const model = moonsModel();
    const optimizer = new SGD(model.parameters(), { lr: 0.05, momentum: 0.9 });
    const scheduler = new StepLR(optimizer, { stepSize: 1, gamma: 0.9 });
    const { train, val } = moonsLoaders(32, 16);
    await fit(model, { train, val, epochs: 4, optimizer, scheduler, loss: crossEntropy, verbose: 0, callbacks: [new ScriptedLogs(lossScript([[1, 0.9], [0.8, 0.4], [0.7, 0.6], [0.6, 0.5]])), new Snap(), ckpt] });
    expect(ckpt.bestEpoch).toBe(1);
    expect(ckpt.saved).toEqual([ckpt.bestPath, ckpt.lastPath, ckpt.bestPath, ckpt.lastPath, ckpt.lastPath, ckpt.lastPath]);
    const best = await load(join(dir, 'best.safetensors'));
    const last = await load(join(dir, 'last.safetensors'));
    expect(best.epoch).toBe(2);
    expect(last.epoch).toBe(4);
    expect(Array.from(best.model['0.weight'].dataSync())).toEqual(bestWeights[1]['0.weight']);
    expect(Array.from(last.model['0.weight'].dataSync())).toEqual(bestWeights[3]['0.weight']);
    expect(last.optimizer?.type).toBe('SGD');
    expect(last.scheduler?.type).toBe('StepLR');
    expect((last.extra as { logs: EpochLogs }).logs.valLoss).toBe(0.5);
    expect((last.extra as { arch: string }).arch).toBe('mlp');
  });

  it('writes a path with {epoch} every epoch when saveBest is false, or only on improvement', async () => {
    const dir = tempDir();
    const every = new ModelCheckpoint({ path: join(dir, 'e{epoch}.safetensors'), saveBest: false });
    const best = new ModelCheckpoint({ path: join(dir, 'best.safetensors'), monitor: 'valLoss', saveOptimizer: false });
    await runScripted(lossScript([[1, 0.9], [0.8, 1.0], [0.7, 0.8]]), [every, best]);
    expect(every.saved.map((p) => p.slice(dir.length + 1))).toEqual(['e1.safetensors', 'e2.safetensors', 'e3.safetensors']);
    expect(best.saved.length).toBe(2);
    const ck = await load(join(dir, 'best.safetensors'));
    expect(ck.epoch).toBe(3);
    expect(ck.optimizer).toBeUndefined();
    expect(() => new ModelCheckpoint({})).toThrow(/exactly one of dir or path/);
    expect(() => new ModelCheckpoint({ dir, saveBest: false, saveLast: false })).toThrow(/nothing would be saved/);
  });
});

describe('TerminateOnNaN', () => {
  it('stops at the first non-finite loss with a message naming the epoch and batch', async () => {
    manualSeed(0);
    const model = new Sequential(new Linear(1, 1));
    const x = tensor([[1], [2], [3], [4], [5], [6]]);
    const good = tensor([[1], [2], [3], [4], [5], [6]]);
    const bad = tensor([[1], [2], [NaN], [4], [5], [6]]);
    // Epoch 1 is clean; epoch 2's second batch (rows 2-3) holds a NaN target.
    let epoch = 0;
    const train = {
      *[Symbol.iterator]() {
        const y = epoch++ === 0 ? good : bad;
        for (let i = 0; i < 6; i += 2) yield [x.narrow(0, i, 2), y.narrow(0, i, 2)] as Tensor[];
      },
      length: 3,
    };
    const out = sink();
    const nan = new TerminateOnNaN({ log: out.log });
    const after: number[] = [];
    class Count extends Callback {
      override onBatchEnd(b: number): void { after.push(b); }
    }
    const history = await fit(model, { train, epochs: 5, optimizer: new SGD(model.parameters(), { lr: 0.001 }), loss: mseLoss, callbacks: [nan, new Count()], verbose: 0 });
    expect(out.lines).toEqual(['TerminateOnNaN: the loss is NaN at epoch 2/5, batch 2/3 (step 5); stopping training']);
    expect(history.length).toBe(1); // the interrupted epoch is not recorded
    expect(history.stopReason).toBe(out.lines[0]);
    expect(after).toEqual([0, 1, 2, 0, 1]); // no batch after the NaN one
  });
});

describe('OverfittingWarning', () => {
  it('warns once when the val loss rises for N epochs while the train loss falls', async () => {
    const out = sink();
    const w = new OverfittingWarning({ patience: 3, warn: out.log });
    await runScripted(lossScript([[1, 0.8], [0.9, 0.7], [0.8, 0.75], [0.7, 0.8], [0.6, 0.9], [0.5, 1.0], [0.4, 0.5]]), [w]);
    expect(out.lines.length).toBe(1);
    expect(out.lines[0]).toMatch(/^OverfittingWarning: at epoch 5, valLoss has risen for 3 epochs \(0\.7000 → 0\.9000\) while loss fell \(0\.9000 → 0\.6000\)/);
  });

  it('does not warn when both losses rise, or for a shorter streak', async () => {
    const out = sink();
    await runScripted(lossScript([[1, 0.8], [1.1, 0.9], [1.2, 1.0], [1.3, 1.1], [0.5, 1.2], [0.4, 1.3], [0.3, 0.2]]), [new OverfittingWarning({ patience: 3, warn: out.log })]);
    expect(out.lines).toEqual([]);
  });
});

describe('LearningRateScheduler', () => {
  it('sets each epoch’s lr from the function, recorded in the logs', async () => {
    const { history } = await runScripted([{}, {}, {}], [new LearningRateScheduler((epoch) => 0.1 / (epoch + 1))]);
    expect(history.get('lr')).toEqual([0.1, 0.05, 0.1 / 3]);
    const bad = new LearningRateScheduler(() => NaN);
    await expect(runScripted([{}], [bad])).rejects.toThrow(/returned NaN for epoch 0/);
  });
});

describe('CSVLogger and JSONLogger', () => {
  it('write one row / object per epoch with every log key', async () => {
    const dir = tempDir();
    const csv = join(dir, 'logs', 'train.csv');
    const jsonl = join(dir, 'logs', 'train.jsonl');
    const { history } = await runScripted([{ valLoss: 0.5 }, { valLoss: NaN }], [new CSVLogger(csv), new JSONLogger(jsonl)]);
    const rows = readFileSync(csv, 'utf8').trimEnd().split('\n');
    expect(rows[0]).toBe('epoch,loss,valLoss,lr,seconds');
    expect(rows.length).toBe(3);
    const [e, loss, valLoss, lr, seconds] = rows[1].split(',');
    expect([e, Number(loss), Number(valLoss), Number(lr), Number(seconds)]).toEqual(['1', history.logs[0].loss, 0.5, 0.05, history.logs[0].seconds]);
    expect(rows[2].split(',')[2]).toBe('NaN');
    const objects = readFileSync(jsonl, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(objects).toEqual([
      { epoch: 1, ...history.logs[0], valLoss: 0.5 },
      { epoch: 2, ...history.logs[1], valLoss: null },
    ]);
    // append: no second header
    await runScripted([{ valLoss: 0.4 }], [new CSVLogger(csv, { append: true })]);
    const again = readFileSync(csv, 'utf8').trimEnd().split('\n');
    expect(again.length).toBe(4);
    expect(again.filter((l) => l.startsWith('epoch')).length).toBe(1);
    expect(existsSync(jsonl)).toBe(true);
  });
});

describe('ProgressBar', () => {
  it('falls back to one plain line per epoch when the stream is not a terminal', async () => {
    const out = sink();
    const stream = { write: out.write, isTTY: false };
    const bar = new ProgressBar({ stream });
    expect(bar.mode).toBe('lines');
    const { history } = await runScripted([{ valLoss: 0.5 }, { valLoss: 0.25 }], [bar]);
    expect(out.lines.length).toBe(2);
    expect(out.lines[0]).toMatch(/^Epoch 1\/2 - 2 batches - \d+\.\ds - \d+ samples\/s - loss \d\.\d{4} - valLoss 0\.5000 - lr 0\.0500\n$/);
    expect(out.lines[1]).toContain(`loss ${history.logs[1].loss.toFixed(4)} - valLoss 0.2500`);
  });

  it('uses lines in CI even on a terminal, and the bar on a terminal otherwise', () => {
    const tty = { write: () => true, isTTY: true };
    expect(new ProgressBar({ stream: tty, env: { CI: 'true' } }).mode).toBe('lines');
    expect(new ProgressBar({ stream: tty, env: {} }).mode).toBe('bar');
  });

  it('fit adds one by default (verbose 1) and verbose 2 forces lines', async () => {
    const written: string[] = [];
    const original = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => (written.push(String(chunk)), true)) as typeof process.stdout.write;
    try {
      manualSeed(0);
      const model = moonsModel();
      const { train } = moonsLoaders(32, 16);
      await fit(model, { train, epochs: 2, optimizer: new SGD(model.parameters(), { lr: 0.1 }), loss: crossEntropy, verbose: 2 });
    } finally {
      process.stdout.write = original;
    }
    expect(written.filter((l) => l.startsWith('Epoch ')).length).toBe(2);
  });
});

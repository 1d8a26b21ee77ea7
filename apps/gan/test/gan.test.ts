import '@plexus/backend-js';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '@plexus/app-kit';
import { setBackend } from '@plexus/tensor';
import type { GanAppOptions } from '../src/options.js';
import { parseOptions } from '../src/options.js';
import { run } from '../src/run.js';

const out = mkdtempSync(join(tmpdir(), 'plexus-gan-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const tiny: GanAppOptions = {
  model: 'dcgan', latentDim: 8, features: 4, discFeatures: 2, discBatchNorm: true, labelSmoothing: 0.1, emaDecay: 0.9, emaBuffers: 'copy', epochs: 2, batchSize: 16, lr: 2e-4, seed: 0, out,
  sampleEvery: 1, samples: 40, classifierEpochs: 1, sampleMode: 'eval', retrainClassifier: false, resume: false, limit: 64, plots: true,
};

describe('gan demo', () => {
  it('trains a tiny DCGAN, writes sample grids from fixed noise and scores the samples', async () => {
    setBackend('js');
    const logs: string[] = [];
    const r = await run(tiny, (l) => logs.push(l));
    expect(r.backend).toBe('js');
    expect(r.trainImages).toBe(64);
    expect(r.model).toBe('dcgan');
    expect(r.params.generator).toBeGreaterThan(0);
    expect(r.classifier.cached).toBe(false);
    expect(r.quality.samples).toBe(40);
    expect(r.quality.classCounts.reduce((a, b) => a + b, 0)).toBe(40);
    expect(r.quality.inceptionScore).toBeGreaterThanOrEqual(1);
    expect(r.quality.inceptionScore).toBeLessThanOrEqual(10);
    expect(r.quality.effectiveClasses).toBeGreaterThanOrEqual(1);
    expect(typeof r.quality.modeCollapse).toBe('boolean');
    expect(r.realQuality.samples).toBe(40);
    expect(r.progress.map((p) => p.epoch)).toEqual([1, 2]);
    expect(r.progress[1].inceptionScore).toBeGreaterThanOrEqual(1);
    // Samples come from the generator's weight average; the trained weights are scored beside it.
    expect(r.emaDecay).toBe(0.9);
    expect(r.emaBuffers).toBe('copy');
    expect(r.progress[1].rawInceptionScore).toBeGreaterThanOrEqual(1);
    expect(r.rawQuality?.samples).toBe(40);
    expect(r.rawQuality?.classCounts.reduce((a, b) => a + b, 0)).toBe(40);
    expect(r.classifier.testAccuracy).toBeGreaterThan(0);
    expect(r.classifier.testAccuracy).toBeLessThanOrEqual(1);
    expect(r.realQuality.inceptionScore).toBeGreaterThanOrEqual(1);
    expect(Number.isFinite(r.gan.last.dLoss) && Number.isFinite(r.gan.last.gLoss)).toBe(true);
    for (const f of ['samples-epoch-001.png', 'samples-epoch-002.png', 'samples-final.png', 'gan-losses.png']) {
      expect(r.files).toContain(join(out, f));
      expect(readFileSync(join(out, f)).subarray(1, 4).toString()).toBe('PNG');
    }
    expect(logs.some((l) => l.startsWith('quality of 40 generated digits'))).toBe(true);
    expect(logs.some((l) => l.includes("the trained generator's own weights, same noise"))).toBe(true);
  }, 120_000); // a whole (tiny) training run: 20 s on a busy machine

  it('runs the MLP GAN without plots, and resumes an interrupted run exactly from its checkpoint', async () => {
    setBackend('js');
    const mlp: GanAppOptions = { ...tiny, model: 'mlp', epochs: 2, sampleEvery: 2, sampleMode: 'batch' };
    const straight = await run({ ...mlp, plots: false, out: join(out, 'none') }, () => undefined);
    expect(straight.model).toBe('mlp');
    expect(straight.sampleMode).toBe('batch');
    expect(straight.features).toBeUndefined();
    expect(straight.files).toEqual([]);
    const plain = await run({ ...mlp, emaDecay: 0, plots: false, out: join(out, 'none') }, () => undefined);
    expect(plain.rawQuality).toBeUndefined();
    expect(plain.progress[0].rawInceptionScore).toBeUndefined();
    expect(plain.gan.last).toEqual(straight.gan.last); // the average never changes the training
    expect(existsSync(join(out, 'none'))).toBe(false);
    const dir = join(out, 'resume');
    await run({ ...mlp, epochs: 1, out: dir }, () => undefined);
    expect(existsSync(join(dir, 'gan-checkpoint-generator.safetensors'))).toBe(true);
    expect(existsSync(join(dir, 'gan-checkpoint-generator-ema.safetensors'))).toBe(true);
    const logs: string[] = [];
    const resumed = await run({ ...mlp, out: dir, resume: true }, (l) => logs.push(l));
    expect(logs).toContain(`resume: continuing after epoch 1 from ${join(dir, 'gan-checkpoint-generator.safetensors')}`);
    expect(resumed.gan.last).toEqual(straight.gan.last);
    expect(resumed.quality.classCounts).toEqual(straight.quality.classCounts);
    expect(resumed.rawQuality).toEqual(straight.rawQuality);
    expect(resumed.quality).toEqual(straight.quality); // the weight average resumed exactly too
    await expect(run({ ...mlp, latentDim: 4, out: dir, resume: true }, () => undefined)).rejects.toThrow(/resume: the checkpoint in .* was made with/);
  }, 120_000); // four runs of the demo: ~12 s on an idle machine, 38 s on a busy one

  it('parses the command line with defaults, and rejects bad values with a UsageError', () => {
    const { options, backend } = parseOptions([]);
    expect(options).toMatchObject({ model: 'dcgan', latentDim: 64, features: 32, labelSmoothing: 0.1, emaDecay: 0.999, samples: 1000, out: 'out/gan', seed: 0 });
    expect(parseOptions(['--ema-decay', '0']).options.emaDecay).toBe(0);
    expect(parseOptions([]).options.emaBuffers).toBe('copy');
    expect(parseOptions(['--ema-buffers', 'average']).options.emaBuffers).toBe('average');
    expect(() => parseOptions(['--ema-buffers', 'mean'])).toThrow(UsageError);
    expect(() => parseOptions(['--ema-decay', '1'])).toThrow('--ema-decay must be a number in [0, 1), got \'1\'');
    expect(() => parseOptions(['--ema-decay', ''])).toThrow(UsageError);
    expect(backend).toBe('auto');
    expect(parseOptions(['--model', 'mlp', '--label-smoothing', '0', '--retrain-classifier', '--sample-mode', 'batch', '--resume', '--disc-batch-norm', 'true']).options).toMatchObject({ model: 'mlp', labelSmoothing: 0, retrainClassifier: true, sampleMode: 'batch', resume: true, discBatchNorm: true });
    expect(() => parseOptions(['--disc-batch-norm', 'maybe'])).toThrow(UsageError);
    expect(() => parseOptions(['--sample-mode', 'train'])).toThrow(UsageError);
    expect(() => parseOptions(['--model', 'vae'])).toThrow(UsageError);
    expect(() => parseOptions(['--label-smoothing', '1'])).toThrow('--label-smoothing must be a number in [0, 1), got \'1\'');
    expect(() => parseOptions(['--samples', '0'])).toThrow(UsageError);
    expect(() => parseOptions(['--bogus'])).toThrow(UsageError);
  });
});

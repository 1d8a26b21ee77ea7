import '@plexus/backend-js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '@plexus/app-kit';
import { setBackend } from '@plexus/tensor';
import type { AutoencoderAppOptions } from '../src/options.js';
import { parseOptions } from '../src/options.js';
import { run } from '../src/run.js';

const out = mkdtempSync(join(tmpdir(), 'plexus-ae-app-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const tiny: AutoencoderAppOptions = {
  model: 'dense', latentDim: 4, noise: 'masking', noiseLevel: 0.3, anomalyLatentDim: 4, anomalyDigit: 9,
  c2aeLatentDim: 4, decoderEpochs: 1, alpha: 0.9, score: 'ratio', only: 'all',
  epochs: 1, batchSize: 32, lr: 1e-3, seed: 0, out, limit: 120, plots: true,
};

describe('autoencoder demo', () => {
  it('trains the three models on a few digits, reports the metrics and writes the pictures', async () => {
    setBackend('js');
    const logs: string[] = [];
    const r = await run(tiny, (l) => logs.push(l));
    expect(r.backend).toBe('js');
    expect(r.trainImages).toBe(120);
    expect(r.testImages).toBe(120);
    expect(r.reconstruction?.testMse).toBeGreaterThan(0);
    expect(r.reconstruction?.testMse).toBeLessThan(0.5);
    expect(r.reconstruction?.denoisedMse).toBeGreaterThan(0);
    expect(r.reconstruction?.noise).toBe('masking 0.3');
    expect(r.vae?.testBce).toBeGreaterThan(0);
    expect(r.vae?.testKl).toBeGreaterThanOrEqual(0);
    const a = r.anomaly;
    expect(a.testAnomalous).toBeGreaterThan(0);
    expect(a.testNormal + a.testAnomalous).toBe(120);
    // The first 120 training digits without their 9s.
    expect(a.trainImages).toBeLessThan(120);
    expect(a.trainImages).toBeGreaterThan(90);
    expect(a.score).toBe('ratio');
    // The reported AUC is the ratio score's; each AUC is a probability.
    expect(a.rocAuc).toBe(a.c2ae.rocAucRatio);
    for (const auc of [a.c2ae.rocAucMin, a.c2ae.rocAucRatio, a.baseline.rocAuc, a.baseline.rocAucRelative]) {
      expect(auc).toBeGreaterThanOrEqual(0);
      expect(auc).toBeLessThanOrEqual(1);
    }
    expect(a.c2ae).toMatchObject({ latentDim: 4, classifierEpochs: 1, decoderEpochs: 1, alpha: 0.9 });
    expect(a.c2ae.params).toBeGreaterThan(0);
    expect(a.c2ae.knownAccuracy).toBeGreaterThanOrEqual(0);
    expect(a.c2ae.knownAccuracy).toBeLessThanOrEqual(1);
    expect(a.baseline.latentDim).toBe(4);
    expect(a.baseline.meanErrorNormal).toBeGreaterThan(0);
    for (const f of ['reconstructions.png', 'vae-latent.png', 'vae-latent.svg', 'vae-manifold.png', 'anomalies.png']) {
      expect(r.files).toContain(join(out, f));
    }
    expect(readFileSync(join(out, 'reconstructions.png')).subarray(1, 4).toString()).toBe('PNG');
    expect(logs.some((l) => l.includes('ROC-AUC'))).toBe(true);
  });

  it('runs only the anomaly detection with --only anomaly, scored by the smallest error', async () => {
    setBackend('js');
    const r = await run({ ...tiny, only: 'anomaly', score: 'min', plots: false, limit: 60 }, () => undefined);
    expect(r.reconstruction).toBeUndefined();
    expect(r.vae).toBeUndefined();
    expect(r.anomaly.score).toBe('min');
    expect(r.anomaly.rocAuc).toBe(r.anomaly.c2ae.rocAucMin);
    expect(r.files).toEqual([]);
  });

  it('parses the command line with defaults, and rejects bad values with a UsageError', () => {
    const { options, backend } = parseOptions([]);
    expect(options).toMatchObject({
      model: 'conv', latentDim: 16, noise: 'none', anomalyDigit: 9, epochs: 10, out: 'out/autoencoder',
      c2aeLatentDim: 32, decoderEpochs: 40, alpha: 0.9, score: 'ratio', only: 'all',
    });
    expect(parseOptions(['--c2ae-latent', '16', '--decoder-epochs', '5', '--alpha', '0.5', '--score', 'min', '--only', 'anomaly']).options)
      .toMatchObject({ c2aeLatentDim: 16, decoderEpochs: 5, alpha: 0.5, score: 'min', only: 'anomaly' });
    expect(() => parseOptions(['--alpha', '1.5'])).toThrow('--alpha must be in (0, 1], got 1.5');
    expect(() => parseOptions(['--score', 'max'])).toThrow(UsageError);
    expect(() => parseOptions(['--only', 'vae'])).toThrow(UsageError);
    expect(backend).toBe('auto');
    expect(parseOptions(['--noise', 'gaussian', '--noise-level', '0.5', '--anomaly-digit', '3']).options).toMatchObject({ noise: 'gaussian', noiseLevel: 0.5, anomalyDigit: 3 });
    expect(() => parseOptions(['--noise', 'masking', '--noise-level', '1'])).toThrow('--noise-level must be below 1 for masking, got 1');
    expect(() => parseOptions(['--anomaly-digit', '10'])).toThrow(UsageError);
    expect(() => parseOptions(['--model', 'vae'])).toThrow(UsageError);
  });
});

import '@plexus/backend-js';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '@plexus/app-kit';
import { setBackend } from '@plexus/tensor';
import { parseOptions } from '../src/options.js';
import type { CnnOptions } from '../src/options.js';
import { run } from '../src/run.js';

const out = mkdtempSync(join(tmpdir(), 'plexus-cnn-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const tiny: CnnOptions = {
  model: 'resnet', depth: 8, width: 4, plainInit: 'default', epochs: 1, batchSize: 32, lr: 0.05, augment: true, seed: 0, out,
  gradientsOnly: false, gradientBatches: 1, limit: 96, verbose: 0, plots: true,
};

describe('cnn demo', () => {
  it('trains a tiny ResNet, tests it on held-out digits and writes the plots and gradient summary', async () => {
    setBackend('js');
    const logs: string[] = [];
    const r = await run(tiny, (l) => logs.push(l));
    expect(r.mode).toBe('train');
    expect(r.backend).toBe('js');
    expect(r.trainImages).toBe(96);
    expect(r.testImages).toBe(96);
    expect(r.testAccuracy).toBeGreaterThanOrEqual(0);
    expect(r.testAccuracy).toBeLessThanOrEqual(1);
    expect(Number.isFinite(r.trainLoss)).toBe(true);
    expect(r.params).toBeGreaterThan(0);
    expect(r.gradients.depth).toBe(8);
    expect(r.gradients.resnet.norms).toHaveLength(8);
    expect(r.gradients.plain.norms).toHaveLength(8);
    expect(r.gradients.plain.firstToLast).toBeLessThan(r.gradients.resnet.firstToLast);
    for (const f of ['gradient-norms.png', 'learning-curves.png', 'confusion-matrix.png', 'gradient-norms.svg']) {
      expect(r.files).toContain(join(out, f));
      expect(existsSync(join(out, f))).toBe(true);
    }
    expect(readFileSync(join(out, 'gradient-norms.png')).subarray(1, 4).toString()).toBe('PNG');
    expect(logs.some((l) => l.startsWith('test accuracy'))).toBe(true);
  }, 120_000); // a whole (tiny) training run: 26 s on a busy machine

  it('--gradients only compares gradient norms at init: the plain net\'s vanish, the ResNet\'s do not', async () => {
    setBackend('js');
    const r = await run({ ...tiny, gradientsOnly: true, depth: 14, plots: false }, () => undefined);
    expect(r.mode).toBe('gradients');
    expect(r.testAccuracy).toBeUndefined();
    expect(r.gradients.depth).toBe(14);
    expect(r.gradients.plain.firstToLast).toBeLessThan(1e-3);
    expect(r.gradients.resnet.firstToLast).toBeGreaterThan(1e-2);
  });

  it('parses the command line with defaults, and rejects bad values with a UsageError', () => {
    const { options, backend } = parseOptions([]);
    expect(options).toMatchObject({ model: 'resnet', depth: undefined, width: 16, augment: true, gradientsOnly: false, seed: 0, out: 'out/cnn' });
    expect(backend).toBe('auto');
    const custom = parseOptions(['--model', 'plain', '--depth', '20', '--gradients', '--augment', 'false', '--backend', 'cpu', '--epochs', '3']);
    expect(custom.options).toMatchObject({ model: 'plain', depth: 20, gradientsOnly: true, augment: false, epochs: 3, plainInit: 'default' });
    expect(parseOptions(['--init', 'kaiming']).options.plainInit).toBe('kaiming');
    expect(() => parseOptions(['--init', 'xavier'])).toThrow(UsageError);
    expect(custom.backend).toBe('cpu');
    expect(() => parseOptions(['--model', 'alexnet'])).toThrow(UsageError);
    expect(() => parseOptions(['--depth', '9'])).toThrow('--depth must be 6n+2 (8, 14, 20, 26, 32, …), got 9');
    expect(() => parseOptions(['--augment', 'maybe'])).toThrow(UsageError);
    expect(() => parseOptions(['--width', '0'])).toThrow(UsageError);
    expect(() => parseOptions(['--nope'])).toThrow(UsageError);
  });
});

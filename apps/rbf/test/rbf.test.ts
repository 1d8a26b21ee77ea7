import '@plexus/backend-js';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '@plexus/app-kit';
import { setBackend } from '@plexus/tensor';
import { parseOptions } from '../src/options.js';
import type { RbfOptions } from '../src/options.js';
import { run } from '../src/run.js';

const out = mkdtempSync(join(tmpdir(), 'plexus-rbf-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const tiny: RbfOptions = {
  task: 'all', kernel: 'gaussian', readout: 'lstsq', centers: 12, samples: 120, ridge: 1e-8, widthRule: 'nearest', widthScale: 1.5, epochs: 20, lr: 0.02, noise: 0.1, seed: 0, out, plots: true,
};

describe('rbf demo', () => {
  it('fits the 1-D and 2-D functions, classifies the moons and writes the plots', async () => {
    setBackend('js');
    const logs: string[] = [];
    const r = await run(tiny, (l) => logs.push(l));
    expect(r.backend).toBe('js');
    expect(r.fit1d!.rmse).toBeLessThan(0.1);
    expect(r.fit1d!.testPoints).toBe(1001);
    expect(r.fit2d!.rmse).toBeLessThan(0.3);
    expect(r.moons!.testAccuracy).toBeGreaterThan(0.9);
    expect(r.moons!.trainSamples + r.moons!.testSamples).toBe(120);
    for (const f of ['fit1d.png', 'fit2d.png', 'moons.png', 'moons.svg', 'result.json']) expect(existsSync(join(out, f))).toBe(true);
    expect(JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')).moons.testAccuracy).toBe(r.moons!.testAccuracy);
    expect(logs.some((l) => l.startsWith('[moons]'))).toBe(true);
  });

  it('trains the readout, centres and widths by gradient descent with --readout gd', async () => {
    setBackend('js');
    const r = await run({ ...tiny, task: 'fit1d', readout: 'gd', kernel: 'inverse_multiquadric', plots: false }, () => {});
    expect(Number.isFinite(r.fit1d!.rmse)).toBe(true);
    expect(r.fit2d).toBeUndefined();
  });

  it('parses the command line and rejects bad values', () => {
    const p = parseOptions(['--task', 'moons', '--kernel', 'multiquadric', '--centers', '30', '--noise', '0.2', '--seed', '4']);
    expect(p.options).toMatchObject({ task: 'moons', kernel: 'multiquadric', centers: 30, noise: 0.2, seed: 4, readout: 'lstsq', out: 'out/rbf' });
    expect(() => parseOptions(['--kernel', 'cubic'])).toThrow(UsageError);
    expect(() => parseOptions(['--ridge=-1'])).toThrow(/--ridge must be a number >= 0/);
    expect(() => parseOptions(['--centers', '0'])).toThrow(UsageError);
  });
});

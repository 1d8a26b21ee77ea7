import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseResult } from '@plexus/app-kit';
import { main } from '../src/index.js';
import type { RunIO } from '../src/index.js';

const out = mkdtempSync(join(tmpdir(), 'plexus-mnist-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function capture(): { io: RunIO; stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: RunIO = {
    log: (l) => void stdout.push(l),
    error: (l) => void stderr.push(l),
    progress: { write: (t: string) => void stdout.push(t.replace(/\n$/, '')), isTTY: false },
  };
  return { io, stdout, stderr };
}

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

describe('mnist app', () => {
  it('trains a tiny MLP end to end, writes its files, and --eval reproduces the test accuracy', async () => {
    const run = capture();
    const code = await main(['--model', 'mlp', '--backend', 'js', '--epochs', '1', '--train-size', '320', '--batch-size', '32', '--lr', '0.01', '--seed', '1', '--out', out], run.io);
    expect(run.stderr).toEqual([]);
    expect(code).toBe(0);
    const last = run.stdout[run.stdout.length - 1];
    expect(last.startsWith('result: ')).toBe(true);
    const result = parseResult(last);
    expect(result).toMatchObject({ epochs: 1, backend: 'js', model: 'mlp', seed: 1, lr: 0.01, trainSamples: 320, augment: false });
    expect(result.finalLoss as number).toBeLessThan(result.initialLoss as number);
    expect(result.testAccuracy as number).toBeGreaterThan(0.5);
    expect(run.stdout).toContain('backend: js (pure TypeScript)');
    expect(run.stdout.some((l) => /^Epoch 1\/1 - 10 batches - /.test(l))).toBe(true);
    expect(run.stdout.some((l) => l.startsWith('Confusion matrix on the test split'))).toBe(true);

    const checkpoint = join(out, 'mnist-mlp.safetensors');
    expect(result.checkpoint).toBe(checkpoint);
    for (const f of ['mnist-mlp.safetensors', 'learning-curves.svg', 'confusion-matrix.svg', 'history.csv']) expect(existsSync(join(out, f))).toBe(true);
    for (const f of ['learning-curves.png', 'confusion-matrix.png']) expect(Array.from(readFileSync(join(out, f)).subarray(0, 8))).toEqual(PNG);

    const again = capture();
    expect(await main(['--eval', checkpoint, '--backend', 'js'], again.io)).toBe(0);
    const evaluated = parseResult(again.stdout[again.stdout.length - 1]);
    expect(evaluated).toMatchObject({ mode: 'eval', model: 'mlp', seed: 1, epochs: 1, testAccuracy: result.testAccuracy, testLoss: result.testLoss });
  }, 120_000);

  it('prints usage and exits with 2 on a bad command line', async () => {
    const run = capture();
    expect(await main(['--model', 'rnn'], run.io)).toBe(2);
    expect(run.stderr[0]).toBe("mnist: --model must be one of mlp, cnn, got 'rnn'");
    expect(run.stderr[1]).toMatch(/^Usage: pnpm demo mnist/);
    const help = capture();
    expect(await main(['--help'], help.io)).toBe(0);
    expect(help.stdout[0]).toMatch(/--eval PATH/);
  });

  it('--eval refuses a file it did not write', async () => {
    const run = capture();
    expect(await main(['--eval', join(out, 'missing.safetensors'), '--backend', 'js'], run.io)).toBe(1);
    expect(run.stderr.join('\n')).toMatch(/load: cannot read .*missing\.safetensors/);
  });
});

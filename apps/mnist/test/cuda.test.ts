import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseResult } from '@plexus/app-kit';
import { registerCudaBackend } from '@plexus/backend-cuda';
import { main } from '../src/index.js';

const out = mkdtempSync(join(tmpdir(), 'plexus-mnist-cuda-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

// `--backend cuda` runs through @plexus/backend-cuda's TensorFlow.js adapter. Without a GPU the
// adapter gets TensorFlow.js's CPU build injected: the same code path as tfjs-node-gpu.
describe('mnist app with --backend cuda (tfjs CPU build injected)', () => {
  it('trains a few steps and the loss falls', async () => {
    await tf.setBackend('cpu');
    await registerCudaBackend({ tf });
    const lines: string[] = [];
    const io = { log: (l: string) => void lines.push(l), error: (l: string) => void lines.push(`ERR ${l}`), progress: { write: () => undefined, isTTY: false } };
    const code = await main(['--model', 'mlp', '--backend', 'cuda', '--epochs', '1', '--train-size', '256', '--batch-size', '32', '--lr', '0.01', '--seed', '2', '--out', out], io);
    expect(lines.filter((l) => l.startsWith('ERR'))).toEqual([]);
    expect(code).toBe(0);
    const result = parseResult(lines[lines.length - 1]);
    expect(result.backend).toBe('cuda');
    expect(result.finalLoss as number).toBeLessThan(result.initialLoss as number);
  }, 180_000);
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { DataLoader, TensorDataset, makeMoons } from '@plexus/data';
import type { Module } from '@plexus/nn';
import { Linear, ReLU, Sequential } from '@plexus/nn';
import type { Tensor } from '@plexus/tensor';

const made: string[] = [];

/** A fresh temporary directory, removed when the test file ends. */
export function tempDir(prefix = 'plexus-train-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

// Registered on the importing test file's suite.
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A 2-16-16-2 MLP. */
export function moonsModel(): Sequential {
  return new Sequential(new Linear(2, 16), new ReLU(), new Linear(16, 16), new ReLU(), new Linear(16, 2));
}

/** Train and validation loaders over two noisy moons (seeded). */
export function moonsLoaders(n = 256, batchSize = 32): { train: DataLoader<Tensor[]>; val: DataLoader<Tensor[]>; x: Tensor; y: Tensor } {
  const { x, y } = makeMoons(n, { noise: 0.1, seed: 1 });
  const valSet = makeMoons(128, { noise: 0.1, seed: 2 });
  return {
    train: new DataLoader(new TensorDataset(x, y), { batchSize, shuffle: true }),
    val: new DataLoader(new TensorDataset(valSet.x, valSet.y), { batchSize: 64 }),
    x,
    y,
  };
}

/** The parameters' values as plain arrays, for exact comparison. */
export function weightsOf(model: Module): Record<string, number[]> {
  return Object.fromEntries(Object.entries(model.stateDict()).map(([k, t]) => [k, Array.from(t.dataSync())]));
}

/** Collects what a callback or logger prints. */
export function sink(): { lines: string[]; log: (m: string) => void; write: (m: string) => boolean } {
  const lines: string[] = [];
  return { lines, log: (m) => void lines.push(m), write: (m) => (lines.push(m), true) };
}


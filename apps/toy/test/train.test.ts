import '@plexus/backend-js';
import { describe, expect, it } from 'vitest';
import { trainToy } from '../src/train.js';

describe('toy demo', () => {
  it('drives the loss down by more than 10x', () => {
    const losses: number[] = [];
    const r = trainToy({ epochs: 300, lr: 0.05, hidden: 16, seed: 0, logEvery: 50, onLog: (_, l) => losses.push(l) });
    expect(r.finalLoss).toBeLessThan(r.initialLoss / 10);
    expect(losses.length).toBe(6);
    for (let i = 1; i < losses.length; i++) expect(losses[i]).toBeLessThan(losses[i - 1]);
  });
  it('is reproducible with the same seed', () => {
    const a = trainToy({ epochs: 20, lr: 0.1, hidden: 8, seed: 3 });
    const b = trainToy({ epochs: 20, lr: 0.1, hidden: 8, seed: 3 });
    expect(a.finalLoss).toBe(b.finalLoss);
  });
});

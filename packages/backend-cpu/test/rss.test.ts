import '@plexus/autograd';
import type { Tensor } from '@plexus/tensor';
import { gather, logSoftmax, manualSeed, matmul, noGrad, randint, randn, relu, setBackend, zeros } from '@plexus/tensor';
import { describe, expect, it } from 'vitest';
import '../src/index.js';

// The W2 workload (MLP 784-512-256-10, ReLU, logSoftmax + gather cross-entropy, SGD by assign,
// batch 128) with no manual dispose: the garbage collector must release every step's tensors,
// even in a synchronous loop that never lets the event loop turn (the handles' finalizers run
// inside the GC). bench/rss-soak.mjs runs 10,000 steps.

function mlp() {
  manualSeed(0);
  const sizes = [784, 512, 256, 10];
  const params: Tensor[] = [];
  for (let i = 0; i < 3; i++) {
    params.push(randn([sizes[i], sizes[i + 1]]).mul(Math.sqrt(2 / sizes[i])).requiresGrad_());
    params.push(zeros([sizes[i + 1]]).requiresGrad_());
  }
  const batches = Array.from({ length: 4 }, () => [randn([128, 784]), randint(0, 10, [128, 1])] as const);
  return (i: number): number => {
    const [x, y] = batches[i % batches.length];
    let h = x;
    for (let l = 0; l < 3; l++) {
      h = matmul(h, params[2 * l]).add(params[2 * l + 1]);
      if (l < 2) h = relu(h);
    }
    const loss = gather(logSoftmax(h, 1), 1, y).mean().neg();
    loss.backward();
    noGrad(() => {
      for (const p of params) {
        p.assign(p.sub((p.grad as Tensor).mul(0.01)));
        p.grad = null;
      }
    });
    return loss.item() as number;
  };
}

describe('memory over a training loop without dispose', () => {
  it('keeps RSS and live handles flat over 300 synchronous W2 steps', () => {
    const backend = setBackend('cpu');
    const step = mlp();
    let first = 0;
    for (let i = 0; i < 50; i++) {
      const l = step(i);
      if (i === 0) first = l;
    }
    (globalThis as { gc?: () => void }).gc?.();
    const rss0 = process.memoryUsage().rss;
    const handles0 = backend.memory().numHandles;
    let last = 0;
    let peakHandles = 0;
    for (let i = 50; i < 350; i++) {
      last = step(i);
      peakHandles = Math.max(peakHandles, backend.memory().numHandles);
    }
    (globalThis as { gc?: () => void }).gc?.();
    const grown = process.memoryUsage().rss - rss0;
    // Training works (the loss falls on these 4 fixed batches)...
    expect(last, `loss ${first} -> ${last}`).toBeLessThan(first);
    // ...and memory does not accumulate: a leak of one step's tensors (~3 MB) per step would be ~1 GB.
    const detail = `rss grew ${(grown / 2 ** 20).toFixed(1)} MB; handles ${handles0} -> ${backend.memory().numHandles}, peak ${peakHandles}`;
    expect(grown, detail).toBeLessThan(64 * 1024 * 1024);
    expect(backend.memory().numHandles, detail).toBeLessThan(handles0 + 200);
    expect(peakHandles, detail).toBeLessThan(5000);
  }, 120_000);
});

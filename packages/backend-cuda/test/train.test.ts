import { grad } from '@plexus/autograd';
import { createJsBackend } from '@plexus/backend-js';
import { getBackend, manualSeed, noGrad, randn, setBackend, tensor, zeros } from '@plexus/tensor';
import type { Backend, Tensor } from '@plexus/tensor';
import { describe, expect, it } from 'vitest';
import { registerCudaBackend } from '../src/index.js';
import { tf } from './tfjs-cpu.js';

/**
 * A 2-16-3 MLP classifying three Gaussian blobs, trained with plain tensor ops and autograd's
 * grad(): matmul, relu, logSoftmax (accelerated), gather and mean, then SGD. Returns the loss
 * before training and after each step.
 */
function train(steps: number, backend: Backend): number[] {
  manualSeed(42);
  const o = { backend };
  const centers = [[0, 2], [-2, -1], [2, -1]];
  const labels = Array.from({ length: 60 }, (_, i) => i % 3);
  const noise = randn([60, 2], o).mul(0.6);
  const x = tensor(labels.map((c) => centers[c]), o).add(noise);
  const y = tensor(labels.map((c) => [c]), { ...o, dtype: 'int32' });
  let params: Tensor[] = [randn([2, 16], o).mul(0.5), zeros([16], o), randn([16, 3], o).mul(0.25), zeros([3], o)];
  const loss = (w1: Tensor, b1: Tensor, w2: Tensor, b2: Tensor): Tensor => {
    const logits = x.matmul(w1).add(b1).relu().matmul(w2).add(b2);
    return logits.logSoftmax(1).gather(1, y).mean().neg();
  };
  const lossGrad = grad(loss, [0, 1, 2, 3]);
  const losses = [loss(...(params as [Tensor, Tensor, Tensor, Tensor])).item() as number];
  for (let step = 0; step < steps; step++) {
    const grads = lossGrad(...params);
    params = noGrad(() => params.map((p, i) => p.sub(grads[i].mul(0.5))));
    losses.push(loss(...(params as [Tensor, Tensor, Tensor, Tensor])).item() as number);
  }
  return losses;
}

describe("training on backend 'cuda' (tfjs-backend-cpu injected)", () => {
  it('an MLP trained with grad() and SGD: the loss falls, as on the reference backend', async () => {
    await registerCudaBackend({ tf });
    setBackend('cuda');
    expect(getBackend().name).toBe('cuda');
    const losses = train(40, getBackend());
    expect(losses[0]).toBeGreaterThan(0.9); // about log 3 for an untrained 3-class model
    expect(losses[40]).toBeLessThan(0.3 * losses[0]);
    expect(losses[40]).toBeLessThan(losses[20]);
    // Same seed, same data, same steps: the float32 reference run gives the same curve.
    const reference = train(40, createJsBackend());
    losses.forEach((l, i) => expect(Math.abs(l - reference[i])).toBeLessThan(1e-4 * (1 + reference[i])));
  });
});

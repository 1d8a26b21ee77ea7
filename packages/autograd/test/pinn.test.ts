import { describe, expect, it } from 'vitest';
import type { Tensor } from '@plexus/tensor';
import { linspace, onesLike } from '@plexus/tensor';
import { grad } from '../src/index.js';
import { expectClose, expectGradOk, randn64, values } from './helpers.js';

// u(x) = W2 · tanh(W1 · x + b1) + b2 on a column of collocation points x [N, 1].
const N = 5;
const H = 4;

function mlp(x: Tensor, W1: Tensor, b1: Tensor, W2: Tensor, b2: Tensor): Tensor {
  return x.matmul(W1.t()).add(b1).tanh().matmul(W2.t()).add(b2); // [N, 1]
}

/** u, u_x and u_xx by autograd: u_x and u_xx stay differentiable (createGraph). */
function derivatives(x0: Tensor, W1: Tensor, b1: Tensor, W2: Tensor, b2: Tensor) {
  const x = x0.detach().requiresGrad_();
  const u = mlp(x, W1, b1, W2, b2);
  const [ux] = grad(u, x, { gradOutputs: onesLike(u), createGraph: true });
  const [uxx] = grad(ux, x, { gradOutputs: onesLike(ux), createGraph: true });
  return { x, u, ux, uxx };
}

/** The same derivatives by hand: tanh' = 1 − tanh², tanh'' = −2·tanh·(1 − tanh²). */
function byHand(x: number[], W1: number[], b1: number[], W2: number[]) {
  return x.map((xn) => {
    let ux = 0;
    let uxx = 0;
    for (let h = 0; h < H; h++) {
      const t = Math.tanh(W1[h] * xn + b1[h]);
      ux += W2[h] * (1 - t * t) * W1[h];
      uxx += W2[h] * -2 * t * (1 - t * t) * W1[h] * W1[h];
    }
    return { ux, uxx };
  });
}

describe('physics-informed derivatives of a tanh MLP', () => {
  const x = linspace(-1, 1, N, { dtype: 'float64' }).reshape([N, 1]);
  const [W1, b1, W2, b2] = randn64(42, [H, 1], [H], [1, H], [1]);

  it('u_x and u_xx match the analytic derivatives', () => {
    const { ux, uxx } = derivatives(x, W1, b1, W2, b2);
    expect(ux.shape).toEqual([N, 1]);
    expect(uxx.shape).toEqual([N, 1]);
    const want = byHand(values(x), values(W1), values(b1), values(W2));
    expectClose(ux, want.map((w) => w.ux), 1e-12);
    expectClose(uxx, want.map((w) => w.uxx), 1e-12);
  });

  it('the gradient of a loss built from u_xx with respect to the weights passes gradCheck', () => {
    const loss = (w1: Tensor, c1: Tensor, w2: Tensor, c2: Tensor): Tensor => {
      const { x: xs, uxx } = derivatives(x, w1, c1, w2, c2);
      return uxx.add(xs.sin()).square().mean();
    };
    // b2 does not reach u_xx: its gradient is 0, which gradCheck also checks.
    expectGradOk(loss, [W1, b1, W2, b2]);
  });

  it('loss.backward() fills the weights’ .grad (third order overall) and agrees with grad()', () => {
    const w1 = W1.detach().requiresGrad_();
    const c1 = b1.detach().requiresGrad_();
    const w2 = W2.detach().requiresGrad_();
    const { x: xs, u, ux, uxx } = derivatives(x, w1, c1, w2, b2);
    const residual = uxx.add(xs.sin()).square().mean();
    const boundary = u.slice(0, 0, 1).square().add(ux.slice(0, -1).square()).sum();
    const total = residual.add(boundary);
    const viaGrad = grad(total, [w1, c1, w2], { retainGraph: true });
    total.backward();
    expectClose(w1.grad as Tensor, viaGrad[0], 1e-12);
    expectClose(c1.grad as Tensor, viaGrad[1], 1e-12);
    expectClose(w2.grad as Tensor, viaGrad[2], 1e-12);
    expect(b2.grad).toBeNull();
  });
});

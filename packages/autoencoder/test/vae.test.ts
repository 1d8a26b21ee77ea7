import { describe, expect, it } from 'vitest';
import { ArgumentError, Generator, ShapeError, manualSeed, rand, randn, tensor } from '@plexus/tensor';
import { gradCheck, gradients } from '@plexus/autograd';
import { VAE, gaussianKL, reparameterize, vaeLoss } from '../src/index.js';
import { expectClose, expectGradOk, f64, randn64, values } from './helpers.js';

describe('gaussianKL', () => {
  it('matches −0.5·Σ(1 + logVar − mu² − exp(logVar)) computed by hand', () => {
    const mu = f64([[0.5, -1], [0, 0], [2, 0]]);
    const logVar = f64([[0, Math.log(2)], [0, 0], [-1, 1]]);
    // Sample 0: −0.5·[(1 + 0 − 0.25 − 1) + (1 + ln 2 − 1 − 2)] = −0.5·(ln 2 − 2.25).
    // Sample 1: N(0, 1) itself: 0. Sample 2: −0.5·[(1 − 1 − 4 − e⁻¹) + (1 + 1 − 0 − e)].
    const want = [-0.5 * (Math.log(2) - 2.25), 0, -0.5 * (-4 - Math.exp(-1) + 2 - Math.E)];
    expectClose(gaussianKL(mu, logVar, 'none'), want, 1e-12);
    expectClose(gaussianKL(mu, logVar), (want[0] + want[1] + want[2]) / 3, 1e-12);
    expectClose(gaussianKL(mu, logVar, 'sum'), want[0] + want[1] + want[2], 1e-12);
  });

  it('is the closed form of E_q[log q(z) − log p(z)] (Monte Carlo check)', () => {
    const mu = 0.7;
    const logVar = -0.4;
    const sd = Math.exp(0.5 * logVar);
    const eps = new Generator(5).nextNormal(200_000);
    let sum = 0;
    for (const e of eps) {
      const z = mu + sd * e;
      sum += -0.5 * e * e - Math.log(sd) + 0.5 * z * z; // log q(z) − log p(z), the 2π terms cancel
    }
    expectClose(gaussianKL(f64([[mu]]), f64([[logVar]]), 'none'), sum / eps.length, 5e-3);
  });

  it('rejects mismatched shapes, vectors and bad reductions', () => {
    expect(() => gaussianKL(f64([[0, 0]]), f64([[0]]))).toThrow('gaussianKL: mu [1,2] and logVar [1,1] must have the same shape');
    expect(() => gaussianKL(tensor([0, 0]), tensor([0, 0]))).toThrow(ShapeError);
    expect(() => gaussianKL(f64([[0]]), f64([[0]]), 'max' as 'sum')).toThrow(ArgumentError);
  });
});

describe('reparameterize', () => {
  it('computes mu + exp(0.5·logVar)·ε with the given ε', () => {
    const mu = f64([[1, -2]]);
    const logVar = f64([[0, Math.log(4)]]);
    const eps = f64([[0.5, -1.5]]);
    expectClose(reparameterize(mu, logVar, { eps }), [1.5, -2 - 2 * 1.5], 1e-12);
  });

  it('passes the gradient to mu and logVar (gradCheck in float64 with a fixed ε; analytic values)', () => {
    const eps = randn64(7, [3, 2]);
    const r = gradCheck((mu, logVar) => reparameterize(mu, logVar, { eps }), [randn64(8, [3, 2]), randn64(9, [3, 2])]);
    expect(r.message).toBe('ok');
    const mu = randn64(10, [3, 2]).requiresGrad_();
    const logVar = randn64(11, [3, 2]).requiresGrad_();
    const [dMu, dLogVar] = gradients([reparameterize(mu, logVar, { eps }).sum()], [mu, logVar]);
    expect(values(dMu)).toEqual([1, 1, 1, 1, 1, 1]);
    expectClose(dLogVar, values(logVar.detach().mul(0.5).exp().mul(eps).mul(0.5)), 1e-12);
  });

  it('draws ε from the seeded generator: same seed same z, moments of N(mu, exp(logVar))', () => {
    const mu = tensor([[0.3, -1]]).expand([20000, 2]);
    const logVar = tensor([[Math.log(0.25), Math.log(4)]]).expand([20000, 2]);
    const a = reparameterize(mu, logVar, { generator: new Generator(42) });
    const b = reparameterize(mu, logVar, { generator: new Generator(42) });
    expect(values(a)).toEqual(values(b));
    expectClose(a.mean(0), [0.3, -1], 0.04);
    expectClose(a.std(0), [0.5, 2], 0.04);
    manualSeed(3);
    const c = reparameterize(mu.narrow(0, 0, 4), logVar.narrow(0, 0, 4));
    manualSeed(3);
    expect(values(reparameterize(mu.narrow(0, 0, 4), logVar.narrow(0, 0, 4)))).toEqual(values(c));
  });

  it('rejects mismatched shapes', () => {
    expect(() => reparameterize(f64([[0, 0]]), f64([[0, 0, 0]]))).toThrow(ShapeError);
    expect(() => reparameterize(f64([[0, 0]]), f64([[0, 0]]), { eps: f64([[0]]) })).toThrow('reparameterize: eps [1,1] must have mu\'s shape [1,2]');
  });
});

describe('VAE', () => {
  it('returns reconstruction and logits with the input shape, and mu, logVar, z [N, latentDim]', () => {
    manualSeed(0);
    const vae = new VAE({ inputDim: 784, hidden: [32], latentDim: 2 });
    const out = vae.forward(rand([3, 1, 28, 28]));
    expect(out.reconstruction.shape).toEqual([3, 1, 28, 28]);
    expect(out.logits.shape).toEqual([3, 1, 28, 28]);
    expect(out.mu.shape).toEqual([3, 2]);
    expect(out.logVar.shape).toEqual([3, 2]);
    expect(out.z.shape).toEqual([3, 2]);
    expect(vae.decode(randn([4, 2])).shape).toEqual([4, 784]);
    expectClose(out.reconstruction, values(out.logits.sigmoid()), 1e-7);
  });

  it('samples z in training mode and uses z = mu in evaluation mode', () => {
    const vae = new VAE({ inputDim: 4, hidden: [3], latentDim: 2, dtype: 'float64', generator: new Generator(1) });
    const x = randn64(2, [5, 4]);
    const train = vae.forward(x);
    expect(values(train.z)).not.toEqual(values(train.mu));
    vae.eval();
    const test = vae.forward(x);
    expect(values(test.z)).toEqual(values(test.mu));
    expect(values(vae.forward(x, { sample: true }).z)).not.toEqual(values(test.mu));
    const eps = randn64(3, [5, 2]);
    expectClose(vae.forward(x, { eps }).z, values(test.mu.add(test.logVar.mul(0.5).exp().mul(eps))), 1e-12);
  });

  it('seeded generators make the training forward pass reproducible', () => {
    manualSeed(4);
    const vae = new VAE({ inputDim: 4, latentDim: 2, generator: new Generator(9) });
    const x = rand([3, 4]);
    const a = values(vae.forward(x).z);
    vae.generator = new Generator(9);
    expect(values(vae.forward(x).z)).toEqual(a);
  });

  it('vaeLoss = per-sample summed reconstruction + β·KL, averaged over the batch (hand-computed)', () => {
    const logits = f64([[0, 2], [-1, 0.5]]);
    const target = f64([[1, 0], [0.25, 1]]);
    const mu = f64([[0.5], [-1]]);
    const logVar = f64([[0], [Math.log(2)]]);
    const out = { logits, reconstruction: logits.sigmoid(), mu, logVar };
    const sig = (v: number) => 1 / (1 + Math.exp(-v));
    const bce = (l: number, y: number) => -(y * Math.log(sig(l)) + (1 - y) * Math.log(1 - sig(l)));
    const recon = (bce(0, 1) + bce(2, 0) + bce(-1, 0.25) + bce(0.5, 1)) / 2;
    const kl = (-0.5 * (1 + 0 - 0.25 - 1) + -0.5 * (1 + Math.log(2) - 1 - 2)) / 2;
    const r = vaeLoss(out, target, { beta: 0.5 });
    expectClose(r.reconstruction, recon, 1e-12);
    expectClose(r.kl, kl, 1e-12);
    expectClose(r.loss, recon + 0.5 * kl, 1e-12);
    const mse = ((sig(0) - 1) ** 2 + sig(2) ** 2 + (sig(-1) - 0.25) ** 2 + (sig(0.5) - 1) ** 2) / 2;
    const m = vaeLoss(out, target, { reconstruction: 'mse' });
    expectClose(m.reconstruction, mse, 1e-12);
    expectClose(m.loss, mse + kl, 1e-12);
  });

  it('the loss passes gradCheck in float64 w.r.t. input and every parameter with a fixed ε (BCE and MSE)', () => {
    manualSeed(5);
    const vae = new VAE({ inputDim: 5, hidden: [4], latentDim: 2, activation: 'tanh', dtype: 'float64' });
    const eps = randn64(6, [3, 2]);
    const target = rand([3, 5], { dtype: 'float64' });
    expectGradOk(vae, [randn64(7, [3, 5])], (x) => vaeLoss(vae.forward(x, { eps }), target, { beta: 2 }).loss);
    expectGradOk(vae, [randn64(8, [3, 5])], (x) => vaeLoss(vae.forward(x, { eps }), target, { reconstruction: 'mse' }).loss);
  });

  it('rejects bad options and inputs with typed errors', () => {
    expect(() => new VAE({ inputDim: 4, latentDim: 0 })).toThrow('VAE: latentDim must be a positive integer, got 0');
    expect(() => new VAE({ inputDim: 4, latentDim: 2, hidden: [0] })).toThrow(ArgumentError);
    const vae = new VAE({ inputDim: 4, latentDim: 2 });
    expect(() => vae.forward(rand([2, 5]))).toThrow('VAE: expected input [N, 4] (or [N, ...] with 4 values per sample), got [2,5]');
    expect(() => vae.decode(rand([2, 4]))).toThrow('VAE.decode: expected codes [N, 2], got [2,4]');
    expect(() => vae.forward(rand([2, 4]), { eps: rand([2, 3]) })).toThrow(ShapeError);
    const out = vae.forward(rand([2, 4]));
    expect(() => vaeLoss(out, rand([2, 5]))).toThrow('vaeLoss: target [2,5] must have the reconstruction\'s shape [2,4]');
    expect(() => vaeLoss(out, rand([2, 4]), { beta: -1 })).toThrow(ArgumentError);
    expect(() => vaeLoss(out, rand([2, 4]), { reconstruction: 'l1' as 'mse' })).toThrow(ArgumentError);
    expect(() => vaeLoss(null as unknown as typeof out, rand([2, 4]))).toThrow(ArgumentError);
  });
});

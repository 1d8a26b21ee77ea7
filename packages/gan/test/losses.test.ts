import { describe, expect, it } from 'vitest';
import { ArgumentError } from '@plexus/tensor';
import { gradients } from '@plexus/autograd';
import { discriminatorLoss, generatorLoss } from '../src/index.js';
import { expectClose, f64 } from './helpers.js';

const sig = (l: number) => 1 / (1 + Math.exp(-l));

describe('GAN losses', () => {
  it('an undecided discriminator (logits 0, D = ½) costs 2·ln 2 for D and ln 2 for G', () => {
    expectClose(discriminatorLoss(f64([[0], [0]]), f64([[0], [0]])), 2 * Math.LN2, 1e-12);
    expectClose(generatorLoss(f64([[0], [0]])), Math.LN2, 1e-12);
    expectClose(generatorLoss(f64([[0]]), { nonSaturating: false }), -Math.LN2, 1e-12);
  });

  it('discriminatorLoss = mean −log D(x) + mean −log(1 − D(G(z))), real targets 1 − s with one-sided smoothing', () => {
    const real = [2, -1];
    const fake = [0.5, -3, 1];
    const plain = (-Math.log(sig(2)) - Math.log(sig(-1))) / 2 + (-Math.log(1 - sig(0.5)) - Math.log(1 - sig(-3)) - Math.log(1 - sig(1))) / 3;
    expectClose(discriminatorLoss(f64([[2], [-1]]), f64([[0.5], [-3], [1]])), plain, 1e-12);
    const s = 0.1;
    const smoothReal = real.map((l) => -((1 - s) * Math.log(sig(l)) + s * Math.log(1 - sig(l)))).reduce((a, b) => a + b) / 2;
    const fakePart = fake.map((l) => -Math.log(1 - sig(l))).reduce((a, b) => a + b) / 3;
    expectClose(discriminatorLoss(f64([[2], [-1]]), f64([[0.5], [-3], [1]]), { labelSmoothing: s }), smoothReal + fakePart, 1e-12);
  });

  it('generatorLoss: −mean log D(G(z)) (non-saturating) or mean log(1 − D(G(z))) (minimax)', () => {
    expectClose(generatorLoss(f64([[0.5], [-2]])), (-Math.log(sig(0.5)) - Math.log(sig(-2))) / 2, 1e-12);
    expectClose(generatorLoss(f64([[0.5], [-2]]), { nonSaturating: false }), (Math.log(1 - sig(0.5)) + Math.log(1 - sig(-2))) / 2, 1e-12);
  });

  it('the non-saturating loss keeps a strong gradient where the discriminator rejects the fakes', () => {
    // d/dl of −log σ(l) is σ(l) − 1 ≈ −1 at l = −5; d/dl of log(1 − σ(l)) is −σ(l) ≈ −0.0067.
    const l = f64([[-5]]).requiresGrad_();
    const [ns] = gradients([generatorLoss(l)], [l]);
    const [mm] = gradients([generatorLoss(l, { nonSaturating: false })], [l]);
    expectClose(ns, sig(-5) - 1, 1e-12);
    expectClose(mm, -sig(-5), 1e-12);
    expect(Math.abs(ns.item() as number)).toBeGreaterThan(100 * Math.abs(mm.item() as number));
  });

  it('reject bad arguments', () => {
    expect(() => discriminatorLoss(f64([[0]]), f64([[0]]), { labelSmoothing: 1 })).toThrow('discriminatorLoss: labelSmoothing must be a number in [0, 1), got 1');
    expect(() => discriminatorLoss(null as unknown as ReturnType<typeof f64>, f64([[0]]))).toThrow(ArgumentError);
    expect(() => generatorLoss(f64([[0]]), { nonSaturating: 'yes' as unknown as boolean })).toThrow(ArgumentError);
  });
});

import { describe, expect, it } from 'vitest';
import { ArgumentError, ShapeError, manualSeed, randn, tensor } from '@plexus/tensor';
import { gradCheckModule } from '@plexus/nn';
import { MLP, derivative, gradient, partials } from '../src/index.js';
import { values } from './helpers.js';

/** Points (t, x) as a float64 leaf that requires grad. */
const points = (): ReturnType<typeof tensor> => tensor([[0.1, 0.3], [0.5, -0.7], [0.9, 1.2]], { dtype: 'float64' }).requiresGrad_();

describe('PDE derivatives', () => {
  // u(t, x) = sin(t)·x³: u_t = cos(t)·x³, u_x = 3 sin(t)·x², u_xx = 6 sin(t)·x, u_tx = 3 cos(t)·x².
  const u = (x: ReturnType<typeof points>) => x.narrow(1, 0, 1).sin().mul(x.narrow(1, 1, 1).pow(3));
  const at = (f: (t: number, x: number) => number) => [[0.1, 0.3], [0.5, -0.7], [0.9, 1.2]].map(([t, x]) => f(t, x));

  it('gradient gives every first derivative per row', () => {
    const x = points();
    const g = gradient(u(x), x);
    expect(g.shape).toEqual([3, 2]);
    const want = at((t, s) => Math.cos(t) * s ** 3).flatMap((ut, i) => [ut, at((t, s) => 3 * Math.sin(t) * s * s)[i]]);
    values(g).forEach((v, i) => expect(v).toBeCloseTo(want[i], 12));
  });

  it('derivative takes an order along column 0 or a list of columns', () => {
    const x = points();
    const y = u(x);
    values(derivative(y, x, [1, 1])).forEach((v, i) => expect(v).toBeCloseTo(at((t, s) => 6 * Math.sin(t) * s)[i], 12));
    values(derivative(y, x, [0, 1])).forEach((v, i) => expect(v).toBeCloseTo(at((t, s) => 3 * Math.cos(t) * s * s)[i], 12));
    values(derivative(y, x, 2)).forEach((v, i) => expect(v).toBeCloseTo(at((t, s) => -Math.sin(t) * s ** 3)[i], 12));
    // Third order: u_xxx = 6 sin(t).
    values(derivative(y, x, [1, 1, 1])).forEach((v, i) => expect(v).toBeCloseTo(at((t) => 6 * Math.sin(t))[i], 12));
    // A 1-D u of shape [N] works too.
    values(derivative(y.reshape([3]), x, [1])).forEach((v, i) => expect(v).toBeCloseTo(at((t, s) => 3 * Math.sin(t) * s * s)[i], 12));
  });

  it('partials names several derivatives and matches derivative', () => {
    const x = points();
    const y = u(x);
    const d = partials(y, x, { t: [0], x: [1], xx: [1, 1], tx: [0, 1] });
    expect(values(d.t)).toEqual(values(derivative(y, x, [0])));
    expect(values(d.x)).toEqual(values(derivative(y, x, [1])));
    expect(values(d.xx)).toEqual(values(derivative(y, x, [1, 1])));
    values(d.tx).forEach((v, i) => expect(v).toBeCloseTo(at((t, s) => 3 * Math.cos(t) * s * s)[i], 12));
  });

  it('a residual built from u_xx of a network trains: its parameter gradient passes gradCheck in float64', () => {
    manualSeed(4);
    const net = new MLP([2, 5, 1], { dtype: 'float64', lower: [0, -1], upper: [1, 1] });
    const x = randn([4, 2], { dtype: 'float64' });
    const r = gradCheckModule(net, [], () => {
      const xl = x.detach().requiresGrad_();
      const v = net.forward(xl);
      const d = partials(v, xl, { t: [0], x: [1], xx: [1, 1] });
      // Burgers' residual: third order overall (u_xx, then the parameters).
      return d.t.add(v.mul(d.x)).sub(d.xx.mul(0.01 / Math.PI)).square().mean();
    });
    expect(r.message).toBe('ok');
  });

  it('forward-mode derivatives of an MLP equal the reverse-mode ones, and partials picks them up', () => {
    for (const activation of ['tanh', 'sin', 'sigmoid'] as const) {
      manualSeed(7);
      const net = new MLP([2, 6, 5, 1], { dtype: 'float64', activation, lower: [0, -1], upper: [1, 1] });
      const x = randn([6, 2], { dtype: 'float64' }).requiresGrad_();
      const fast = net.forwardWithDerivatives(x, { second: [[1, 1], [1, 0]] });
      const slow = net.forward(x);
      expect(values(fast)).toEqual(values(slow));
      const spec = { t: [0], x: [1], xx: [1, 1], tx: [0, 1] };
      const a = partials(fast, x, spec);
      const b = partials(slow, x, spec);
      for (const k of Object.keys(spec) as (keyof typeof spec)[]) {
        values(a[k]).forEach((v, i) => expect(Math.abs(v - values(b[k])[i])).toBeLessThan(1e-12));
      }
      // Not precomputed (u_tt): falls back to autograd and still agrees.
      values(derivative(fast, x, [0, 0])).forEach((v, i) => expect(Math.abs(v - values(derivative(slow, x, [0, 0]))[i])).toBeLessThan(1e-12));
    }
    expect(() => new MLP([2, 3, 1], { activation: 'gelu' }).forwardWithDerivatives(randn([2, 2]))).toThrow(/no forward-mode rule/);
    expect(() => new MLP([2, 3, 1]).forwardWithDerivatives(randn([2, 2]), { second: [[0, 2]] })).toThrow(/column 2 is out of range/);
  });

  it('the forward-mode residual loss has correct parameter gradients (gradCheck, float64)', () => {
    manualSeed(8);
    const net = new MLP([2, 4, 4, 1], { dtype: 'float64', lower: [0, -1], upper: [1, 1] });
    const x = randn([5, 2], { dtype: 'float64' });
    const loss = () => {
      const xl = x.detach().requiresGrad_();
      const v = net.forwardWithDerivatives(xl, { second: [[1, 1]] });
      const d = partials(v, xl, { t: [0], x: [1], xx: [1, 1] });
      return d.t.add(v.mul(d.x)).sub(d.xx.mul(0.01 / Math.PI)).square().mean();
    };
    expect(gradCheckModule(net, [], loss).message).toBe('ok');
  });

  it('rejects inputs that do not fit', () => {
    const x = points();
    const y = u(x);
    expect(() => gradient(y, x.detach())).toThrow(/x must require grad/);
    expect(() => gradient(y.reshape([1, 3]), x)).toThrow(ShapeError);
    expect(() => gradient(y, x.reshape([6]))).toThrow(/expected inputs x of shape \[N, d\], got \[6\]/);
    expect(() => derivative(y, x, 0)).toThrow(/order must be a positive integer, got 0/);
    expect(() => derivative(y, x, [2])).toThrow(/column 2 is out of range for inputs with 2 columns/);
    expect(() => partials(y, x, { bad: [] })).toThrow(ArgumentError);
  });
});

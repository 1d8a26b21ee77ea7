import { describe, expect, it } from 'vitest';
import type { Tensor } from '@plexus/tensor';
import { ArgumentError, DTypeError, ShapeError, scope, tensor } from '@plexus/tensor';
import type { AnyOptimizer, BaseOptions, ParamGroup, Params, Update } from '../src/index.js';
import { Adagrad, Adam, AdamW, Optimizer, RMSprop, SGD, resolveDefaults } from '../src/index.js';
import { expectClose, f64, param, run, values } from './helpers.js';

describe('parameter groups', () => {
  it('each group uses its own lr; options left out take the defaults', () => {
    const a = param([1]);
    const b = param([1]);
    const opt = new SGD([{ params: [a] }, { params: [b], lr: 0.01 }], { lr: 0.1, momentum: 0.9 });
    expect(opt.paramGroups.map((g) => g.lr)).toEqual([0.1, 0.01]);
    expect(opt.paramGroups[1].momentum).toBe(0.9);
    a.grad = f64([1]);
    b.grad = f64([1]);
    opt.step();
    expectClose([...values(a), ...values(b)], [0.9, 0.99]);
  });

  it('a group option changed between steps (as a schedule does) takes effect', () => {
    const p = param([1]);
    const opt = new SGD([p], { lr: 0.1 });
    run(opt, p, [[1]]);
    opt.paramGroups[0].lr = 0.5;
    run(opt, p, [[1]]);
    expectClose(values(p), [1 - 0.1 - 0.5]);
  });

  it('addParamGroup adds parameters later, with their own options', () => {
    const a = param([1]);
    const b = param([2]);
    const opt = new Adam([a], { lr: 0.1 });
    opt.addParamGroup({ params: [b], lr: 0.2, betas: [0.5, 0.9] });
    expect(opt.paramGroups[1]).toMatchObject({ lr: 0.2, betas: [0.5, 0.9], eps: 1e-8 });
    b.grad = f64([3]);
    opt.step();
    expectClose(values(b), [2 - (0.2 * 3) / (3 + 1e-8)]);
    expect(values(a)).toEqual([1]); // no grad: skipped
  });

  it('a single tensor may be a group', () => {
    const p = param([1]);
    const opt = new SGD([{ params: p, lr: 1 }]);
    expect(opt.paramGroups[0].params).toEqual([p]);
  });

  it('accepts any iterable of tensors (a Map, a generator)', () => {
    const ps = new Map([['w', param([1])], ['b', param([2])]]);
    const opt = new SGD(ps.values(), { lr: 1 });
    expect(opt.paramGroups[0].params).toHaveLength(2);
  });

  it('defaults are not shared with groups (betas is copied)', () => {
    const opt = new Adam([param([1])]);
    (opt.paramGroups[0].betas as unknown as number[])[0] = 0.5;
    expect(opt.defaults.betas[0]).toBe(0.9);
  });

  it('rejects bad params and groups with clear errors', () => {
    const p = param([1]);
    expect(() => new SGD([])).toThrow('SGD: got an empty parameter list');
    // @ts-expect-error a bare tensor is not an iterable of tensors
    expect(() => new SGD(p)).toThrow(/SGD: params must be an iterable of tensors or of parameter groups, got a single tensor \[1\] float64; wrap it in an array/);
    expect(() => new Adam([p.mul(2)])).toThrow(/Adam: can't optimize a non-leaf tensor/);
    expect(() => new Adam([tensor([1, 2], { dtype: 'int32' })])).toThrow(DTypeError);
    expect(() => new Adam([tensor([1, 2], { dtype: 'int32' })])).toThrow('Adam: can only optimize floating tensors, got params[0] [2] int32');
    expect(() => new SGD([{ params: [p] }, { params: [p] }])).toThrow('SGD: some parameters appear in more than one parameter group');
    expect(() => new SGD([p, p])).toThrow(/the same tensor twice/);
    // @ts-expect-error mixing tensors and groups
    expect(() => new SGD([p, { params: [param([2])] }])).toThrow(/not a mix/);
    // @ts-expect-error unknown group option
    expect(() => new SGD([{ params: [p], learningRate: 0.1 }])).toThrow("SGD: unknown parameter group option 'learningRate'");
    expect(() => new SGD([{ params: [p], lr: -1 }])).toThrow('SGD: lr must be >= 0, got -1');
    const opt = new SGD([p]);
    expect(() => opt.addParamGroup({ params: [p] })).toThrow(ArgumentError);
  });
});

describe('step() and zeroGrad()', () => {
  it('skips parameters whose grad is null (their state is not created)', () => {
    const a = param([1]);
    const b = param([1]);
    const opt = new Adam([a, b], { lr: 0.1 });
    a.grad = f64([1]);
    opt.step();
    expect(values(b)).toEqual([1]);
    expect(opt.state.has(b)).toBe(false);
    expect(opt.state.get(a)?.step).toBe(1);
  });

  it('zeroGrad() sets grads to null; zeroGrad(false) to zeros', () => {
    const p = param([1, 2]);
    const opt = new SGD([p]);
    p.grad = f64([3, 4]);
    opt.zeroGrad(false);
    expect(values(p.grad as Tensor)).toEqual([0, 0]);
    expect(p.grad?.dtype).toBe('float64');
    opt.zeroGrad();
    expect(p.grad).toBeNull();
  });

  it('updates parameters in place: the same tensor object, still a leaf that requires grad', () => {
    const p = param([1]);
    const opt = new SGD([p], { lr: 0.5 });
    p.square().sum().backward();
    opt.step();
    expect(values(p)).toEqual([0]);
    expect(p.isLeaf).toBe(true);
    expect(p.requiresGrad).toBe(true);
    expect(p.grad).not.toBeNull(); // step does not clear grads
  });

  it('a closure re-evaluates the loss with gradients on and its value is returned', () => {
    const p = param([3]);
    const opt = new SGD([p], { lr: 0.25 });
    const loss = opt.step(() => {
      opt.zeroGrad();
      const l = p.square().sum();
      l.backward();
      return l;
    });
    expect(values(loss as Tensor)).toEqual([9]);
    expectClose(values(p), [3 - 0.25 * 6]);
  });

  it('works inside a caller scope(): state tensors survive it', () => {
    const p = param([1, 2]);
    const opt = new Adam([p], { lr: 0.1 });
    for (let i = 0; i < 3; i++) {
      scope(() => {
        opt.zeroGrad();
        p.square().sum().backward();
        opt.step();
      });
    }
    expect(opt.state.get(p)?.step).toBe(3);
    expect(values(opt.state.get(p)!.expAvg)).toHaveLength(2);
    expect(values(p)[0]).toBeLessThan(1);
  });

  it('a gradient of the wrong shape or dtype is a clear error', () => {
    const p = param([1, 2]);
    const opt = new Adam([p]);
    p.grad = f64([1, 2, 3]);
    expect(() => opt.step()).toThrow(ShapeError);
    expect(() => opt.step()).toThrow('Adam.step: gradient of shape [3] does not match its parameter\'s shape [2]');
    p.grad = tensor([1, 2]);
    expect(() => opt.step()).toThrow('Adam.step: gradient is float32 but its parameter is float64');
  });
});

// ---- state dict --------------------------------------------------------------------------------

type Factory = (ps: Tensor[]) => AnyOptimizer;
const factories: [string, Factory][] = [
  ['SGD (nesterov, weight decay)', (ps) => new SGD(ps, { lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.01 })],
  ['Adam (amsgrad)', (ps) => new Adam(ps, { lr: 0.05, amsgrad: true })],
  ['AdamW', (ps) => new AdamW(ps, { lr: 0.05, weightDecay: 0.1 })],
  ['RMSprop (centered, momentum)', (ps) => new RMSprop(ps, { lr: 0.01, centered: true, momentum: 0.9 })],
  ['Adagrad (lrDecay)', (ps) => new Adagrad(ps, { lr: 0.1, lrDecay: 0.01, initialAccumulatorValue: 0.1 })],
];

/** Fixed gradients for step k of a two-parameter model (a matrix and a vector). */
const gradsAt = (k: number): number[][] => [
  [Math.sin(k + 1), Math.cos(2 * k), -0.5 + 0.1 * k, 0.3 * (k % 3) - 0.2],
  [1 / (k + 1), -Math.sin(k)],
];

function setGrads(ps: Tensor[], k: number): void {
  const g = gradsAt(k);
  ps[0].grad = f64(g[0]).reshape([2, 2]);
  ps[1].grad = f64(g[1]);
}

describe('stateDict / loadStateDict', () => {
  for (const [name, make] of factories) {
    it(`${name}: 3 steps, save, 2 more equals fresh optimizer + load + 2 steps, exactly`, () => {
      const ps = [param([[0.5, -1], [2, 0.25]]), param([1, -3])];
      const opt = make(ps);
      for (let k = 0; k < 3; k++) {
        setGrads(ps, k);
        opt.step();
      }
      const saved = opt.stateDict();
      const snapshot = ps.map(values);
      const firstStateTensor = Object.values(saved.state[0]).find((v) => typeof v !== 'number') as Tensor;
      const firstStateValues = values(firstStateTensor);
      for (let k = 3; k < 5; k++) {
        setGrads(ps, k);
        opt.step();
      }

      const qs = [param([[0, 0], [0, 0]]), param([0, 0])];
      qs[0].assign(f64(snapshot[0]).reshape([2, 2]));
      qs[1].assign(f64(snapshot[1]));
      const resumed = make(qs);
      resumed.loadStateDict(saved);
      for (let k = 3; k < 5; k++) {
        setGrads(qs, k);
        resumed.step();
      }

      expect(values(qs[0])).toEqual(values(ps[0]));
      expect(values(qs[1])).toEqual(values(ps[1]));
      // The saved dict is a snapshot: later steps replaced, not mutated, its tensors.
      expect(values(firstStateTensor)).toEqual(firstStateValues);
    });
  }

  it('has PyTorch\'s shape: state by parameter index, groups with options and indices', () => {
    const a = param([1]);
    const b = param([2, 3]);
    const c = param([4]);
    const opt = new Adam([{ params: [a, b] }, { params: [c], lr: 0.5 }], { lr: 0.1 });
    b.grad = f64([1, 1]);
    c.grad = f64([1]);
    opt.step();
    const sd = opt.stateDict();
    expect(Object.keys(sd.state)).toEqual(['1', '2']);
    expect(sd.state[1].step).toBe(1);
    expect(Object.keys(sd.state[1]).sort()).toEqual(['expAvg', 'expAvgSq', 'step']);
    expect(sd.paramGroups).toEqual([
      { lr: 0.1, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false, params: [0, 1] },
      { lr: 0.5, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false, params: [2] },
    ]);
  });

  it('restores group options (lr) and copies state onto the parameter\'s dtype', () => {
    const p = param([1, 2]);
    const opt = new SGD([p], { lr: 0.1, momentum: 0.9 });
    run(opt, p, [[1, 1]]);
    opt.paramGroups[0].lr = 0.05;
    const sd = opt.stateDict();
    const q = tensor([1, 2], { requiresGrad: true }); // float32 this time
    const other = new SGD([q], { lr: 1, momentum: 0.9 });
    other.loadStateDict(sd);
    expect(other.paramGroups[0].lr).toBe(0.05);
    expect(other.paramGroups[0].params[0]).toBe(q);
    const buf = other.state.get(q)?.momentumBuffer;
    expect(buf?.dtype).toBe('float32');
    expect(values(buf as Tensor)).toEqual([1, 1]);
  });

  it('mismatches are clear errors, and nothing changes when one is found', () => {
    const a = param([1]);
    const b = param([1, 2]);
    const src = new Adam([{ params: [a] }, { params: [b], lr: 0.3 }]);
    run(src, b, [[1, 1]]);
    const sd = src.stateDict();
    const one = new Adam([param([1]), param([1, 2])]);
    expect(() => one.loadStateDict(sd)).toThrow('Adam.loadStateDict: the state dict has 2 parameter groups but this optimizer has 1');
    const sizes = new Adam([{ params: [param([1])] }, { params: [param([1, 2]), param([3])] }]);
    expect(() => sizes.loadStateDict(sd)).toThrow('Adam.loadStateDict: parameter group 1 has 1 parameters in the state dict but 2 in this optimizer');
    const shapes = new Adam([{ params: [param([1])] }, { params: [param([1, 2, 3])] }]);
    expect(() => shapes.loadStateDict(sd)).toThrow(ShapeError);
    expect(() => shapes.loadStateDict(sd)).toThrow('Adam.loadStateDict: state[1].expAvg has shape [2] but its parameter has shape [3]');
    const target = new Adam([{ params: [param([1])] }, { params: [param([1, 2])], lr: 0.7 }]);
    const { expAvgSq: _drop, ...partial } = sd.state[1];
    expect(() => target.loadStateDict({ ...sd, state: { 1: partial } })).toThrow("Adam.loadStateDict: state[1] lacks 'expAvgSq' (a tensor) that Adam needs");
    expect(() => target.loadStateDict({ ...sd, state: { 5: sd.state[1] } })).toThrow('Adam.loadStateDict: the state dict has state for parameter 5, which no parameter group lists');
    expect(() => target.loadStateDict({ ...sd, state: { 1: { ...sd.state[1], momentumBuffer: sd.state[1].expAvg } } })).toThrow(/'momentumBuffer' that Adam does not keep/);
    const badLr = { ...sd, paramGroups: [sd.paramGroups[0], { ...sd.paramGroups[1], lr: -1 }] };
    expect(() => target.loadStateDict(badLr)).toThrow('Adam: lr must be >= 0, got -1');
    expect(target.paramGroups[1].lr).toBe(0.7); // untouched by the failed loads
    expect(target.state.size).toBe(0);
    // @ts-expect-error not a state dict
    expect(() => target.loadStateDict({ foo: 1 })).toThrow('Adam.loadStateDict: expected { state, paramGroups } as returned by stateDict()');
  });

  it('a state dict survives a JSON-like round trip of its numbers (tensors rebuilt)', () => {
    const p = param([1, 2]);
    const opt = new Adam([p], { lr: 0.1 });
    run(opt, p, [[1, -1], [0.5, 2]]);
    const sd = opt.stateDict();
    const plain = JSON.parse(JSON.stringify({ ...sd, state: {} }));
    const rebuilt = {
      paramGroups: plain.paramGroups,
      state: { 0: { step: sd.state[0].step, expAvg: f64(values(sd.state[0].expAvg as Tensor)), expAvgSq: f64(values(sd.state[0].expAvgSq as Tensor)) } },
    };
    const q = param(values(p));
    const other = new Adam([q]);
    other.loadStateDict(rebuilt);
    run(opt, p, [[1, 1]]);
    run(other, q, [[1, 1]]);
    expect(values(q)).toEqual(values(p));
  });
});

describe('custom optimizers', () => {
  // signSGD with a step counter: p ← p − lr·sign(g). Shows the extension points of the base class.
  interface SignOptions extends BaseOptions {
    lr: number;
  }
  type SignState = { step: number; lastSign: Tensor };
  class SignSGD extends Optimizer<SignOptions, SignState> {
    constructor(params: Params<SignOptions>, options?: Partial<SignOptions>) {
      super(params, resolveDefaults('SignSGD', { lr: 0.01 }, options), 'SignSGD');
    }
    protected update(p: Tensor, grad: Tensor, state: SignState | undefined, group: ParamGroup<SignOptions>): Update<SignState> {
      const s = grad.sign();
      return { param: p.sub(s.mul(group.lr)), state: { step: (state?.step ?? 0) + 1, lastSign: s } };
    }
  }

  it('a subclass only writes update(); groups, lr checks and state dicts come from the base', () => {
    const p = param([1, -1, 0.5]);
    const opt = new SignSGD([p], { lr: 0.25 });
    run(opt, p, [[3, -0.1, 0], [1, 1, 1]]);
    expect(values(p)).toEqual([0.5, -1, 0.25]);
    const q = param(values(p));
    const other = new SignSGD([q]);
    other.loadStateDict(opt.stateDict());
    expect(other.paramGroups[0].lr).toBe(0.25);
    expect(other.state.get(q)?.step).toBe(2);
    expect(() => new SignSGD([p], { lr: -1 })).toThrow('SignSGD: lr must be >= 0, got -1');
  });
});

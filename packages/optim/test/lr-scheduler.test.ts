import { describe, expect, it } from 'vitest';
import { ArgumentError, tensor } from '@plexus/tensor';
import type { LRScheduler } from '../src/index.js';
import {
  Adagrad, Adam, CosineAnnealingLR, ExponentialLR, LinearLR, MultiStepLR, OneCycleLR, ReduceLROnPlateau, SGD,
  SequentialLR, StepLR,
} from '../src/index.js';
import { expectClose, param } from './helpers.js';

const sgd = (lr = 0.1, extra: object = {}) => new SGD([param([1])], { lr, ...extra });

/** The lr after construction (epoch 0) and after each of `n` further steps. */
function lrs(s: { step(): void; getLastLr(): number[] }, n: number): number[] {
  const out = [s.getLastLr()[0]];
  for (let i = 0; i < n; i++) {
    s.step();
    out.push(s.getLastLr()[0]);
  }
  return out;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('StepLR', () => {
  it('lr = base·gamma^⌊epoch/stepSize⌋', () => {
    const opt = sgd(0.1);
    const got = lrs(new StepLR(opt, { stepSize: 3, gamma: 0.5 }), 9);
    expectClose(got, [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.0125]);
    expect(opt.paramGroups[0].lr).toBe(got[9]);
  });

  it('default gamma is 0.1; each group decays from its own lr', () => {
    const opt = new SGD([{ params: [param([1])], lr: 1 }, { params: [param([1])], lr: 0.5 }]);
    const s = new StepLR(opt, { stepSize: 2 });
    s.step();
    s.step();
    expectClose(s.getLastLr(), [0.1, 0.05]);
  });
});

describe('MultiStepLR', () => {
  it('decays at each milestone; a repeated milestone decays twice', () => {
    const got = lrs(new MultiStepLR(sgd(1), { milestones: [5, 2, 5], gamma: 0.1 }), 7);
    expectClose(got, [1, 1, 0.1, 0.1, 0.1, 0.001, 0.001, 0.001]);
  });
});

describe('ExponentialLR', () => {
  it('lr = base·gammaᵉ', () => {
    const got = lrs(new ExponentialLR(sgd(0.2), { gamma: 0.9 }), 6);
    expectClose(got, range(7).map((e) => 0.2 * 0.9 ** e), 1e-14);
  });
});

describe('CosineAnnealingLR', () => {
  it('closed form, from base to etaMin over tMax epochs and back up', () => {
    const base = 0.1;
    const etaMin = 0.001;
    const got = lrs(new CosineAnnealingLR(sgd(base), { tMax: 10, etaMin }), 20);
    expectClose(got, range(21).map((e) => etaMin + ((base - etaMin) * (1 + Math.cos((Math.PI * e) / 10))) / 2), 1e-14);
    expectClose([got[5], got[10], got[20]], [(base + etaMin) / 2, etaMin, base], 1e-14);
  });
});

describe('LinearLR', () => {
  it('warm-up factors move linearly from startFactor to endFactor, then hold', () => {
    const got = lrs(new LinearLR(sgd(0.4), { startFactor: 0.25, endFactor: 1, totalIters: 4 }), 6);
    expectClose(got, [0.25, 0.4375, 0.625, 0.8125, 1, 1, 1].map((f) => 0.4 * f), 1e-14);
  });

  it('defaults: 1/3 → 1 over 5 epochs; decay when endFactor < startFactor', () => {
    expectClose(lrs(new LinearLR(sgd(0.3)), 6), [0.1, 0.14, 0.18, 0.22, 0.26, 0.3, 0.3], 1e-13);
    expectClose(lrs(new LinearLR(sgd(1), { startFactor: 1, endFactor: 0.5, totalIters: 2 }), 3), [1, 0.75, 0.5, 0.5], 1e-14);
  });
});

describe('OneCycleLR', () => {
  // Hand-derived with PyTorch's phases: up over pctStart·T − 1 steps, down to the end at T − 1.
  const cos = (start: number, end: number, pct: number) => end + ((start - end) / 2) * (1 + Math.cos(Math.PI * pct));

  it('first, peak and last lr and momentum (SGD, cos)', () => {
    const opt = sgd(0.5, { momentum: 0.9 });
    const s = new OneCycleLR(opt, { maxLr: 1, totalSteps: 100 });
    expect(opt.paramGroups[0].momentum).toBe(0.95);
    const got = lrs(s, 99);
    expectClose([got[0], got[29], got[99]], [1 / 25, 1, 1 / 25 / 1e4], 1e-14);
    expectClose([got[10]], [cos(0.04, 1, 10 / 29)], 1e-14);
    expectClose([got[60]], [cos(1, 0.04 / 1e4, (60 - 29) / 70)], 1e-14);
    expect(Math.max(...got)).toBe(got[29]);
    expectClose([opt.paramGroups[0].momentum], [0.95], 1e-14);
    expect(opt.paramGroups[0].initialLr).toBe(0.04);
  });

  it('momentum cycles 0.95 → 0.85 → 0.95, opposite to the lr', () => {
    const opt = sgd(0.5, { momentum: 0.9 });
    const s = new OneCycleLR(opt, { maxLr: 1, totalSteps: 10, pctStart: 0.5 });
    const mom = [opt.paramGroups[0].momentum];
    for (let i = 0; i < 9; i++) {
      s.step();
      mom.push(opt.paramGroups[0].momentum);
    }
    // phase 1 ends at step 4, phase 2 at step 9
    expectClose([mom[0], mom[2], mom[4], mom[9]], [0.95, cos(0.95, 0.85, 2 / 4), 0.85, 0.95], 1e-14);
  });

  it('cycles beta1 for Adam and leaves beta2', () => {
    const opt = new Adam([param([1])], { betas: [0.9, 0.99] });
    const s = new OneCycleLR(opt, { maxLr: 0.01, totalSteps: 10 });
    expect(opt.paramGroups[0].betas).toEqual([0.95, 0.99]);
    for (let i = 0; i < 2; i++) s.step(); // step 2 = end of phase 1 (0.3·10 − 1)
    expectClose([...opt.paramGroups[0].betas], [0.85, 0.99], 1e-14);
  });

  it('linear annealing, three phases, per-group maxLr', () => {
    const opt = new SGD([{ params: [param([1])] }, { params: [param([1])] }], { lr: 1, momentum: 0.9 });
    const s = new OneCycleLR(opt, { maxLr: [1, 2], totalSteps: 20, annealStrategy: 'linear', threePhase: true, pctStart: 0.25, divFactor: 10, finalDivFactor: 100 });
    const got: number[][] = [s.getLastLr()];
    for (let i = 0; i < 19; i++) {
      s.step();
      got.push(s.getLastLr());
    }
    // phases end at 4, 8 and 19: up 0.1 → 1, back to 0.1, then to 0.1/100
    expectClose(got[0], [0.1, 0.2], 1e-14);
    expectClose(got[2], [0.1 + 0.9 * 0.5, 0.2 + 1.8 * 0.5], 1e-14);
    expectClose(got[4], [1, 2], 1e-14);
    expectClose(got[6], [1 - 0.9 * 0.5, 2 - 1.8 * 0.5], 1e-14);
    expectClose(got[8], [0.1, 0.2], 1e-14);
    expectClose(got[19], [0.001, 0.002], 1e-14);
  });

  it('epochs × stepsPerEpoch, and stepping past the end is an error', () => {
    const s = new OneCycleLR(sgd(1, { momentum: 0.9 }), { maxLr: 1, epochs: 2, stepsPerEpoch: 3 });
    expect(s.totalSteps).toBe(6);
    for (let i = 0; i < 6; i++) s.step();
    expect(() => s.step()).toThrow('OneCycleLR: tried to step 7 times, but totalSteps is 6');
  });

  it('without momentum or betas (Adagrad), momentum is not cycled unless asked, which is an error', () => {
    const opt = new Adagrad([param([1])]);
    const s = new OneCycleLR(opt, { maxLr: 1, totalSteps: 10 });
    expect(s.cycleMomentum).toBe(false);
    expect(() => new OneCycleLR(opt, { maxLr: 1, totalSteps: 10, cycleMomentum: true })).toThrow(/cycleMomentum needs an optimizer with momentum or betas; Adagrad has neither/);
  });

  it('rejects bad options', () => {
    const opt = sgd(1, { momentum: 0.9 });
    expect(() => new OneCycleLR(opt, { maxLr: 1 })).toThrow('OneCycleLR: give totalSteps, or epochs and stepsPerEpoch');
    expect(() => new OneCycleLR(opt, { maxLr: 1, totalSteps: 0 })).toThrow('OneCycleLR: totalSteps must be an integer >= 1, got 0');
    expect(() => new OneCycleLR(opt, { maxLr: 1, totalSteps: 10, pctStart: 1.5 })).toThrow('OneCycleLR: pctStart must be in [0, 1], got 1.5');
    // @ts-expect-error not a strategy
    expect(() => new OneCycleLR(opt, { maxLr: 1, totalSteps: 10, annealStrategy: 'exp' })).toThrow("OneCycleLR: annealStrategy must be one of 'cos', 'linear', got 'exp'");
    expect(() => new OneCycleLR(opt, { maxLr: [1, 2], totalSteps: 10 })).toThrow('OneCycleLR: expected maxLr to have one value per parameter group (1), got 2');
    expect(() => new OneCycleLR(opt, { maxLr: 1, totalSteps: 10, pctStart: 0.1 })).toThrow(/phase 1 of the cycle has no steps/);
  });
});

describe('ReduceLROnPlateau', () => {
  it('reduces after more than `patience` epochs without improvement', () => {
    const opt = sgd(0.1);
    const s = new ReduceLROnPlateau(opt, { patience: 2, factor: 0.5 });
    const seen: number[] = [];
    for (const m of [1, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9]) {
      s.step(m);
      seen.push(s.getLastLr()[0]);
    }
    // best 1, 0.9; bad epochs 1, 2, 3 → reduce at the 5th metric; again 3 epochs later
    expectClose(seen, [0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025]);
  });

  it('cooldown: bad epochs right after a reduction do not count', () => {
    const opt = sgd(0.1);
    const s = new ReduceLROnPlateau(opt, { patience: 1, factor: 0.5, cooldown: 2 });
    const seen: number[] = [];
    for (let i = 0; i < 9; i++) {
      s.step(1);
      seen.push(s.getLastLr()[0]);
    }
    // epoch 1 sets best; 2: bad 1; 3: bad 2 > 1 → reduce, cooldown 2; 4, 5: cooldown (bad reset);
    // 6: bad 1; 7: bad 2 → reduce; 8, 9: cooldown
    expectClose(seen, [0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025]);
  });

  it('relative and absolute thresholds; max mode', () => {
    const rel = new ReduceLROnPlateau(sgd(), { threshold: 1e-3 });
    rel.step(1);
    rel.step(0.9995); // needs < 1·(1 − 1e-3)
    expect([rel.best, rel.numBadEpochs]).toEqual([1, 1]);
    rel.step(0.998);
    expect([rel.best, rel.numBadEpochs]).toEqual([0.998, 0]);
    const abs = new ReduceLROnPlateau(sgd(), { threshold: 0.1, thresholdMode: 'abs' });
    abs.step(1);
    abs.step(0.95);
    expect(abs.numBadEpochs).toBe(1);
    abs.step(0.85);
    expect(abs.best).toBe(0.85);
    const max = new ReduceLROnPlateau(sgd(), { mode: 'max', threshold: 0.01, patience: 0 });
    max.step(0.5);
    max.step(0.504); // needs > 0.5·1.01
    expectClose(max.getLastLr(), [0.1 * 0.1]);
    expect(max.best).toBe(0.5);
  });

  it('minLr bounds the reduction; tiny reductions (< eps) are skipped; tensor metrics work', () => {
    const s = new ReduceLROnPlateau(sgd(0.1), { patience: 0, factor: 0.1, minLr: 0.005 });
    s.step(tensor(1));
    s.step(tensor([1]));
    expectClose(s.getLastLr(), [0.01]);
    s.step(1);
    expect(s.getLastLr()).toEqual([0.005]);
    const tiny = new ReduceLROnPlateau(sgd(1e-8), { patience: 0, factor: 0.5 });
    tiny.step(1);
    tiny.step(1);
    expect(tiny.getLastLr()).toEqual([1e-8]); // 1e-8 − 5e-9 is not > eps
  });

  it('state dict round trip resumes the counters', () => {
    const a = new ReduceLROnPlateau(sgd(), { patience: 3 });
    for (const m of [1, 2, 2]) a.step(m);
    const b = new ReduceLROnPlateau(sgd(), { patience: 3 });
    b.loadStateDict(JSON.parse(JSON.stringify(a.stateDict())));
    expect([b.best, b.numBadEpochs, b.lastEpoch]).toEqual([1, 2, 3]);
  });

  it('rejects bad options', () => {
    expect(() => new ReduceLROnPlateau(sgd(), { factor: 1 })).toThrow('ReduceLROnPlateau: factor must be in [0, 1), got 1');
    // @ts-expect-error not a mode
    expect(() => new ReduceLROnPlateau(sgd(), { mode: 'lowest' })).toThrow("ReduceLROnPlateau: mode must be one of 'min', 'max', got 'lowest'");
    expect(() => new ReduceLROnPlateau(sgd(), { patience: -1 })).toThrow('ReduceLROnPlateau: patience must be an integer >= 0, got -1');
    expect(() => new ReduceLROnPlateau(sgd(), { minLr: [0, 0] })).toThrow(/one value per parameter group/);
  });
});

describe('SequentialLR', () => {
  it('linear warm-up then cosine, restarting the cosine at the milestone', () => {
    const opt = sgd(1);
    const warm = new LinearLR(opt, { startFactor: 0.1, totalIters: 2 });
    const cosine = new CosineAnnealingLR(opt, { tMax: 4 });
    const got = lrs(new SequentialLR(opt, { schedulers: [warm, cosine], milestones: [2] }), 6);
    const c = (e: number) => (1 + Math.cos((Math.PI * e) / 4)) / 2;
    expectClose(got, [0.1, 0.55, c(0), c(1), c(2), c(3), c(4)], 1e-14);
  });

  it('rejects mismatched milestones', () => {
    const opt = sgd(1);
    const s = [new StepLR(opt, { stepSize: 1 }), new ExponentialLR(opt, { gamma: 0.9 })];
    expect(() => new SequentialLR(opt, { schedulers: s, milestones: [] })).toThrow('SequentialLR: expected 1 milestones for 2 schedules, got 0');
    expect(() => new SequentialLR(sgd(), { schedulers: s, milestones: [3] })).toThrow(/schedulers\[0\] \(StepLR\) is bound to another optimizer/);
  });
});

describe('schedules: shared behaviour', () => {
  it('a second schedule starts from the first one\'s initialLr', () => {
    const opt = sgd(1);
    new StepLR(opt, { stepSize: 1, gamma: 0.5 }).step();
    expect(opt.paramGroups[0].lr).toBe(0.5);
    const s = new CosineAnnealingLR(opt, { tMax: 2 });
    expect(s.baseLrs).toEqual([1]);
  });

  it('stateDict round trip with the optimizer resumes the lr sequence exactly', () => {
    const make = () => {
      const opt = sgd(1, { momentum: 0.9 });
      return { opt, s: new OneCycleLR(opt, { maxLr: 1, totalSteps: 20 }) };
    };
    const a = make();
    for (let i = 0; i < 7; i++) a.s.step();
    const saved = { opt: a.opt.stateDict(), s: JSON.parse(JSON.stringify(a.s.stateDict())) };
    const b = make();
    b.opt.loadStateDict(saved.opt);
    b.s.loadStateDict(saved.s);
    expect(b.opt.paramGroups[0].momentum).toBe(a.opt.paramGroups[0].momentum);
    expect(lrs(b.s, 5)).toEqual(lrs(a.s, 5));
    const step = (sch: LRScheduler) => (sch.step(), sch.getLastLr());
    const c = new StepLR(sgd(), { stepSize: 2 });
    step(c);
    const d = new StepLR(sgd(), { stepSize: 5 });
    d.loadStateDict(c.stateDict());
    expect([d.stepSize, d.lastEpoch]).toEqual([2, 1]);
    expect(() => d.loadStateDict({ ...c.stateDict(), baseLrs: [1, 2] })).toThrow('StepLR.loadStateDict: baseLrs must hold one number per parameter group (1)');
  });

  it('rejects bad options with errors naming the schedule', () => {
    expect(() => new StepLR(sgd(), { stepSize: 0 })).toThrow('StepLR: stepSize must be an integer >= 1, got 0');
    expect(() => new MultiStepLR(sgd(), { milestones: [1.5] })).toThrow('MultiStepLR: milestones[0] must be an integer >= 0, got 1.5');
    expect(() => new ExponentialLR(sgd(), { gamma: NaN })).toThrow('ExponentialLR: gamma must be a finite number, got NaN');
    expect(() => new CosineAnnealingLR(sgd(), { tMax: 0 })).toThrow('CosineAnnealingLR: tMax must be an integer >= 1, got 0');
    expect(() => new LinearLR(sgd(), { startFactor: 0 })).toThrow('LinearLR: startFactor must be in (0, 1], got 0');
    expect(() => new LinearLR(sgd(), { endFactor: 1.5 })).toThrow('LinearLR: endFactor must be in [0, 1], got 1.5');
    // @ts-expect-error not an optimizer
    expect(() => new StepLR({ paramGroups: [] }, { stepSize: 1 })).toThrow(ArgumentError);
    expect(() => new StepLR(sgd(), { stepSize: 1, lastEpoch: 3 })).toThrow(/resuming at lastEpoch 3 needs initialLr in parameter group 0/);
  });
});

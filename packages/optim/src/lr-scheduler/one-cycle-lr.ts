import { ArgumentError } from '@plexus/tensor';
import type { ParamGroup } from '../optimizer.js';
import type { AnyOptimizer, SchedulerOptions } from './scheduler.js';
import { LRScheduler, checkOptimizer, perGroup } from './scheduler.js';
import { checkBoolean, checkInteger, checkOneOf, checkPositive, checkRange } from '../validate.js';

export interface OneCycleLROptions extends SchedulerOptions {
  /** The peak lr, or one per group. */
  maxLr: number | readonly number[];
  /** Steps (batches) in the cycle; or give epochs and stepsPerEpoch. */
  totalSteps?: number;
  epochs?: number;
  stepsPerEpoch?: number;
  /** Fraction of the cycle spent increasing the lr (default 0.3). */
  pctStart?: number;
  /** 'cos' (default) or 'linear' interpolation within a phase. */
  annealStrategy?: 'cos' | 'linear';
  /**
   * Cycle momentum (SGD, RMSprop) or beta1 (Adam, AdamW) inversely to the lr between
   * baseMomentum and maxMomentum. Default: when the optimizer has momentum or betas.
   */
  cycleMomentum?: boolean;
  baseMomentum?: number | readonly number[];
  maxMomentum?: number | readonly number[];
  /** Starting lr = maxLr / divFactor (default 25). */
  divFactor?: number;
  /** Final lr = starting lr / finalDivFactor (default 1e4). */
  finalDivFactor?: number;
  /** Three phases (up, back down to the start, then to the final lr) as in fast.ai's paper. */
  threePhase?: boolean;
}

interface Phase {
  endStep: number;
  startLr: 'initial' | 'max' | 'min';
  endLr: 'initial' | 'max' | 'min';
  startMomentum: 'max' | 'base';
  endMomentum: 'max' | 'base';
}

type MomentumGroup = ParamGroup & { momentum?: number; betas?: readonly [number, number] };

const annealCos = (start: number, end: number, pct: number): number => end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1);
const annealLinear = (start: number, end: number, pct: number): number => (end - start) * pct + start;

/**
 * The 1cycle policy (Smith & Topin, 2018), as torch.optim.lr_scheduler.OneCycleLR. Call
 * `step()` after every batch. The lr rises from maxLr/divFactor to maxLr over pctStart of the
 * steps, then anneals to maxLr/(divFactor·finalDivFactor); momentum moves the opposite way.
 */
export class OneCycleLR extends LRScheduler {
  readonly totalSteps: number;
  readonly annealStrategy: 'cos' | 'linear';
  readonly cycleMomentum: boolean;
  readonly initialLrs: number[];
  readonly maxLrs: number[];
  readonly minLrs: number[];
  readonly baseMomentums: number[];
  readonly maxMomentums: number[];
  private readonly phases: Phase[];
  private readonly useBeta1: boolean;

  constructor(optimizer: AnyOptimizer, options: OneCycleLROptions) {
    const name = 'OneCycleLR';
    checkOptimizer(name, optimizer);
    const o = options;
    const groups = optimizer.paramGroups;
    let totalSteps: number;
    if (o.totalSteps !== undefined) {
      checkInteger(name, 'totalSteps', o.totalSteps, 1);
      totalSteps = o.totalSteps;
    } else if (o.epochs !== undefined && o.stepsPerEpoch !== undefined) {
      checkInteger(name, 'epochs', o.epochs, 1);
      checkInteger(name, 'stepsPerEpoch', o.stepsPerEpoch, 1);
      totalSteps = o.epochs * o.stepsPerEpoch;
    } else {
      throw new ArgumentError(`${name}: give totalSteps, or epochs and stepsPerEpoch`);
    }
    const pctStart = o.pctStart ?? 0.3;
    checkRange(name, 'pctStart', pctStart, 0, 1, true);
    const annealStrategy = o.annealStrategy ?? 'cos';
    checkOneOf(name, 'annealStrategy', annealStrategy, ['cos', 'linear'] as const);
    const divFactor = o.divFactor ?? 25;
    const finalDivFactor = o.finalDivFactor ?? 1e4;
    checkPositive(name, 'divFactor', divFactor);
    checkPositive(name, 'finalDivFactor', finalDivFactor);
    const threePhase = o.threePhase ?? false;
    checkBoolean(name, 'threePhase', threePhase);
    const maxLrs = perGroup(name, 'maxLr', o.maxLr, groups.length);

    const phases: Phase[] = threePhase
      ? [
          { endStep: pctStart * totalSteps - 1, startLr: 'initial', endLr: 'max', startMomentum: 'max', endMomentum: 'base' },
          { endStep: 2 * pctStart * totalSteps - 2, startLr: 'max', endLr: 'initial', startMomentum: 'base', endMomentum: 'max' },
          { endStep: totalSteps - 1, startLr: 'initial', endLr: 'min', startMomentum: 'max', endMomentum: 'max' },
        ]
      : [
          { endStep: pctStart * totalSteps - 1, startLr: 'initial', endLr: 'max', startMomentum: 'max', endMomentum: 'base' },
          { endStep: totalSteps - 1, startLr: 'max', endLr: 'min', startMomentum: 'base', endMomentum: 'max' },
        ];
    // A phase of zero length would divide by zero (PyTorch raises ZeroDivisionError there).
    phases.forEach((p, i) => {
      const start = i === 0 ? 0 : phases[i - 1].endStep;
      if (p.endStep === start) {
        throw new ArgumentError(`${name}: phase ${i + 1} of the cycle has no steps (totalSteps ${totalSteps}, pctStart ${pctStart}); use more steps or another pctStart`);
      }
    });

    const hasBetas = 'betas' in optimizer.defaults;
    const hasMomentum = 'momentum' in optimizer.defaults;
    const cycleMomentum = o.cycleMomentum ?? (hasBetas || hasMomentum);
    checkBoolean(name, 'cycleMomentum', cycleMomentum);
    if (cycleMomentum && !hasBetas && !hasMomentum) {
      throw new ArgumentError(`${name}: cycleMomentum needs an optimizer with momentum or betas; ${optimizer.name} has neither (pass cycleMomentum: false)`);
    }
    const baseMomentums = perGroup(name, 'baseMomentum', o.baseMomentum ?? 0.85, groups.length);
    const maxMomentums = perGroup(name, 'maxMomentum', o.maxMomentum ?? 0.95, groups.length);
    const lastEpoch = o.lastEpoch ?? -1;
    if (cycleMomentum && lastEpoch === -1) {
      // PyTorch starts the cycle at maxMomentum, set before the first step.
      (groups as MomentumGroup[]).forEach((g, i) => {
        if (hasBetas && g.betas) g.betas = [maxMomentums[i], g.betas[1]];
        else g.momentum = maxMomentums[i];
      });
    }
    const initialLrs = maxLrs.map((m) => m / divFactor);
    // The base class records initialLr; PyTorch sets it to maxLr/divFactor for this schedule.
    if (lastEpoch === -1) groups.forEach((g, i) => (g.initialLr = initialLrs[i]));
    super(name, optimizer, { lastEpoch });
    this.totalSteps = totalSteps;
    this.annealStrategy = annealStrategy;
    this.cycleMomentum = cycleMomentum;
    this.useBeta1 = hasBetas;
    this.initialLrs = initialLrs;
    this.maxLrs = maxLrs;
    this.minLrs = initialLrs.map((l) => l / finalDivFactor);
    this.baseMomentums = baseMomentums;
    this.maxMomentums = maxMomentums;
    this.phases = phases;
    this.initialStep();
  }

  protected getLr(): number[] {
    const stepNum = this.lastEpoch;
    if (stepNum > this.totalSteps) {
      this.lastEpoch -= 1;
      throw new ArgumentError(`${this.name}: tried to step ${stepNum} times, but totalSteps is ${this.totalSteps}`);
    }
    const anneal = this.annealStrategy === 'cos' ? annealCos : annealLinear;
    return (this.groups as MomentumGroup[]).map((group, i) => {
      const lrOf = { initial: this.initialLrs[i], max: this.maxLrs[i], min: this.minLrs[i] };
      const momOf = { max: this.maxMomentums[i], base: this.baseMomentums[i] };
      let startStep = 0;
      let lr = 0;
      let momentum = 0;
      for (let k = 0; k < this.phases.length; k++) {
        const phase = this.phases[k];
        if (stepNum <= phase.endStep || k === this.phases.length - 1) {
          const pct = (stepNum - startStep) / (phase.endStep - startStep);
          lr = anneal(lrOf[phase.startLr], lrOf[phase.endLr], pct);
          momentum = anneal(momOf[phase.startMomentum], momOf[phase.endMomentum], pct);
          break;
        }
        startStep = phase.endStep;
      }
      if (this.cycleMomentum) {
        if (this.useBeta1 && group.betas) group.betas = [momentum, group.betas[1]];
        else group.momentum = momentum;
      }
      return lr;
    });
  }

  protected override extraState(): Record<string, unknown> {
    return { totalSteps: this.totalSteps };
  }

  protected override loadExtraState(s: Record<string, unknown>): void {
    if (s.totalSteps !== this.totalSteps) {
      throw new ArgumentError(`${this.name}.loadStateDict: the state dict is for a cycle of ${String(s.totalSteps)} steps, this schedule has ${this.totalSteps}`);
    }
  }
}

import type { AnyOptimizer, SchedulerOptions } from './scheduler.js';
import { LRScheduler } from './scheduler.js';
import { checkInteger, checkNumber } from '../validate.js';

export interface StepLROptions extends SchedulerOptions {
  /** Epochs between decays. */
  stepSize: number;
  /** Multiplicative factor at each decay (default 0.1). */
  gamma?: number;
}

/** Multiplies each group's lr by gamma every `stepSize` epochs: lr = base·gamma^⌊epoch/stepSize⌋. */
export class StepLR extends LRScheduler {
  stepSize: number;
  gamma: number;

  constructor(optimizer: AnyOptimizer, options: StepLROptions) {
    super('StepLR', optimizer, options);
    const { stepSize, gamma = 0.1 } = options;
    checkInteger(this.name, 'stepSize', stepSize, 1);
    checkNumber(this.name, 'gamma', gamma);
    this.stepSize = stepSize;
    this.gamma = gamma;
    this.initialStep();
  }

  // PyTorch's chainable form: scale the current lr, so it composes with other schedules.
  protected getLr(): number[] {
    const decay = this.lastEpoch !== 0 && this.lastEpoch % this.stepSize === 0;
    return this.groups.map((g) => (decay ? g.lr * this.gamma : g.lr));
  }

  protected override closedFormLr(epoch: number): number[] {
    return this.baseLrs.map((base) => base * this.gamma ** Math.floor(epoch / this.stepSize));
  }

  protected override extraState(): Record<string, unknown> {
    return { stepSize: this.stepSize, gamma: this.gamma };
  }

  protected override loadExtraState(s: Record<string, unknown>): void {
    checkInteger(`${this.name}.loadStateDict`, 'stepSize', s.stepSize, 1);
    checkNumber(`${this.name}.loadStateDict`, 'gamma', s.gamma);
    this.stepSize = s.stepSize;
    this.gamma = s.gamma;
  }
}

import type { AnyOptimizer, SchedulerOptions } from './scheduler.js';
import { LRScheduler } from './scheduler.js';
import { checkNumber } from '../validate.js';

export interface ExponentialLROptions extends SchedulerOptions {
  /** Multiplicative factor per epoch. */
  gamma: number;
}

/** Multiplies each group's lr by gamma every epoch: lr = base·gammaᵉᵖᵒᶜʰ. */
export class ExponentialLR extends LRScheduler {
  gamma: number;

  constructor(optimizer: AnyOptimizer, options: ExponentialLROptions) {
    super('ExponentialLR', optimizer, options);
    checkNumber(this.name, 'gamma', options.gamma);
    this.gamma = options.gamma;
    this.initialStep();
  }

  protected getLr(): number[] {
    return this.groups.map((g) => (this.lastEpoch === 0 ? g.lr : g.lr * this.gamma));
  }

  protected override closedFormLr(epoch: number): number[] {
    return this.baseLrs.map((base) => base * this.gamma ** epoch);
  }

  protected override extraState(): Record<string, unknown> {
    return { gamma: this.gamma };
  }

  protected override loadExtraState(s: Record<string, unknown>): void {
    checkNumber(`${this.name}.loadStateDict`, 'gamma', s.gamma);
    this.gamma = s.gamma;
  }
}

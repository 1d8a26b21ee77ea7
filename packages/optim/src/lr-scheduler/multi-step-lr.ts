import { ArgumentError } from '@plexus/tensor';
import type { AnyOptimizer, SchedulerOptions } from './scheduler.js';
import { LRScheduler } from './scheduler.js';
import { checkInteger, checkNumber } from '../validate.js';

export interface MultiStepLROptions extends SchedulerOptions {
  /** Epochs at which the lr decays (a milestone listed twice decays twice). */
  milestones: readonly number[];
  /** Multiplicative factor at each milestone (default 0.1). */
  gamma?: number;
}

function checkMilestones(owner: string, milestones: unknown): asserts milestones is number[] {
  if (!Array.isArray(milestones)) throw new ArgumentError(`${owner}: milestones must be an array of epochs, got ${typeof milestones}`);
  milestones.forEach((m, i) => checkInteger(owner, `milestones[${i}]`, m, 0));
}

/** Multiplies each group's lr by gamma at each milestone epoch. */
export class MultiStepLR extends LRScheduler {
  milestones: number[];
  gamma: number;

  constructor(optimizer: AnyOptimizer, options: MultiStepLROptions) {
    super('MultiStepLR', optimizer, options);
    const { milestones, gamma = 0.1 } = options;
    checkMilestones(this.name, milestones);
    checkNumber(this.name, 'gamma', gamma);
    this.milestones = [...milestones].sort((a, b) => a - b);
    this.gamma = gamma;
    this.initialStep();
  }

  protected getLr(): number[] {
    const hits = this.milestones.filter((m) => m === this.lastEpoch).length;
    return this.groups.map((g) => (hits === 0 ? g.lr : g.lr * this.gamma ** hits));
  }

  protected override closedFormLr(epoch: number): number[] {
    const passed = this.milestones.filter((m) => m <= epoch).length;
    return this.baseLrs.map((base) => base * this.gamma ** passed);
  }

  protected override extraState(): Record<string, unknown> {
    return { milestones: [...this.milestones], gamma: this.gamma };
  }

  protected override loadExtraState(s: Record<string, unknown>): void {
    checkMilestones(`${this.name}.loadStateDict`, s.milestones);
    checkNumber(`${this.name}.loadStateDict`, 'gamma', s.gamma);
    this.milestones = [...s.milestones].sort((a, b) => a - b);
    this.gamma = s.gamma;
  }
}

import type { AnyOptimizer, SchedulerOptions } from './scheduler.js';
import { LRScheduler } from './scheduler.js';
import { checkInteger, checkRange } from '../validate.js';
import { ArgumentError } from '@plexus/tensor';

export interface LinearLROptions extends SchedulerOptions {
  /** Factor of the base lr at epoch 0, in (0, 1] (default 1/3). */
  startFactor?: number;
  /** Factor reached at `totalIters`, in [0, 1] (default 1). */
  endFactor?: number;
  /** Epochs of the ramp (default 5). */
  totalIters?: number;
}

/**
 * Scales the lr by a factor moving linearly from startFactor to endFactor over totalIters
 * epochs, then holds it (linear warm-up): lr = base·(start + (end − start)·min(epoch, T)/T).
 */
export class LinearLR extends LRScheduler {
  startFactor: number;
  endFactor: number;
  totalIters: number;

  constructor(optimizer: AnyOptimizer, options: LinearLROptions = {}) {
    super('LinearLR', optimizer, options);
    const { startFactor = 1 / 3, endFactor = 1, totalIters = 5 } = options;
    LinearLR.check(this.name, startFactor, endFactor, totalIters);
    this.startFactor = startFactor;
    this.endFactor = endFactor;
    this.totalIters = totalIters;
    this.initialStep();
  }

  private static check(owner: string, start: unknown, end: unknown, total: unknown): asserts start is number {
    checkRange(owner, 'startFactor', start, 0, 1, true);
    if (start === 0) throw new ArgumentError(`${owner}: startFactor must be in (0, 1], got 0`);
    checkRange(owner, 'endFactor', end, 0, 1, true);
    checkInteger(owner, 'totalIters', total, 1);
  }

  // PyTorch's chainable form: the ratio of consecutive factors times the current lr.
  protected getLr(): number[] {
    const { startFactor: s, endFactor: e, totalIters: t, lastEpoch: k } = this;
    if (k === 0) return this.groups.map((g) => g.lr * s);
    if (k > t) return this.groups.map((g) => g.lr);
    return this.groups.map((g) => g.lr * (1 + (e - s) / (t * s + (k - 1) * (e - s))));
  }

  protected override closedFormLr(epoch: number): number[] {
    const { startFactor: s, endFactor: e, totalIters: t } = this;
    return this.baseLrs.map((base) => base * (s + ((e - s) * Math.min(t, epoch)) / t));
  }

  protected override extraState(): Record<string, unknown> {
    return { startFactor: this.startFactor, endFactor: this.endFactor, totalIters: this.totalIters };
  }

  protected override loadExtraState(s: Record<string, unknown>): void {
    LinearLR.check(`${this.name}.loadStateDict`, s.startFactor, s.endFactor, s.totalIters);
    this.startFactor = s.startFactor;
    this.endFactor = s.endFactor as number;
    this.totalIters = s.totalIters as number;
  }
}

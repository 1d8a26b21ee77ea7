import type { AnyOptimizer, SchedulerOptions } from './scheduler.js';
import { LRScheduler } from './scheduler.js';
import { checkInteger, checkNumber } from '../validate.js';

export interface CosineAnnealingLROptions extends SchedulerOptions {
  /** Epochs from the base lr down to etaMin (the curve then rises again, period 2·tMax). */
  tMax: number;
  /** The lowest lr (default 0). */
  etaMin?: number;
}

/**
 * Cosine annealing (SGDR without restarts), in closed form:
 * lr = etaMin + (base − etaMin)·(1 + cos(π·epoch/tMax))/2.
 */
export class CosineAnnealingLR extends LRScheduler {
  tMax: number;
  etaMin: number;

  constructor(optimizer: AnyOptimizer, options: CosineAnnealingLROptions) {
    super('CosineAnnealingLR', optimizer, options);
    const { tMax, etaMin = 0 } = options;
    checkInteger(this.name, 'tMax', tMax, 1);
    checkNumber(this.name, 'etaMin', etaMin);
    this.tMax = tMax;
    this.etaMin = etaMin;
    this.initialStep();
  }

  protected getLr(): number[] {
    const cos = Math.cos((Math.PI * this.lastEpoch) / this.tMax);
    return this.baseLrs.map((base) => this.etaMin + ((base - this.etaMin) * (1 + cos)) / 2);
  }

  protected override extraState(): Record<string, unknown> {
    return { tMax: this.tMax, etaMin: this.etaMin };
  }

  protected override loadExtraState(s: Record<string, unknown>): void {
    checkInteger(`${this.name}.loadStateDict`, 'tMax', s.tMax, 1);
    checkNumber(`${this.name}.loadStateDict`, 'etaMin', s.etaMin);
    this.tMax = s.tMax;
    this.etaMin = s.etaMin;
  }
}

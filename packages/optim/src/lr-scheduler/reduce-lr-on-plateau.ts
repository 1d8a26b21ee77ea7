import { ArgumentError, isTensor } from '@plexus/tensor';
import type { Tensor } from '@plexus/tensor';
import type { AnyOptimizer } from './scheduler.js';
import { checkOptimizer, perGroup } from './scheduler.js';
import { checkInteger, checkNonNegative, checkOneOf, checkRange } from '../validate.js';

export interface ReduceLROnPlateauOptions {
  /** 'min': the metric should fall (a loss); 'max': it should rise (an accuracy). */
  mode?: 'min' | 'max';
  /** The lr is multiplied by factor on a plateau (default 0.1, must be < 1). */
  factor?: number;
  /** Epochs without improvement tolerated before reducing (default 10). */
  patience?: number;
  /** How much better counts as an improvement (default 1e-4). */
  threshold?: number;
  /** 'rel': better than best·(1 ∓ threshold); 'abs': better than best ∓ threshold. */
  thresholdMode?: 'rel' | 'abs';
  /** Epochs to wait after a reduction before counting bad epochs again (default 0). */
  cooldown?: number;
  /** Lower bound of the lr, or one per group (default 0). */
  minLr?: number | readonly number[];
  /** Reductions smaller than eps are skipped (default 1e-8). */
  eps?: number;
}

export interface PlateauStateDict {
  mode: 'min' | 'max';
  factor: number;
  patience: number;
  threshold: number;
  thresholdMode: 'rel' | 'abs';
  cooldown: number;
  minLrs: number[];
  eps: number;
  best: number;
  numBadEpochs: number;
  cooldownCounter: number;
  lastEpoch: number;
  lastLr: number[];
}

/**
 * Reduces the lr when a metric stops improving, as torch.optim.lr_scheduler.ReduceLROnPlateau.
 * Call `step(metric)` once per epoch with the validation loss (or accuracy in 'max' mode).
 */
export class ReduceLROnPlateau {
  readonly name = 'ReduceLROnPlateau';
  readonly optimizer: AnyOptimizer;
  mode: 'min' | 'max';
  factor: number;
  patience: number;
  threshold: number;
  thresholdMode: 'rel' | 'abs';
  cooldown: number;
  minLrs: number[];
  eps: number;
  /** The best metric seen so far. */
  best: number;
  numBadEpochs = 0;
  cooldownCounter = 0;
  lastEpoch = 0;
  private lastLrs: number[];

  constructor(optimizer: AnyOptimizer, options: ReduceLROnPlateauOptions = {}) {
    checkOptimizer(this.name, optimizer);
    this.optimizer = optimizer;
    const { mode = 'min', factor = 0.1, patience = 10, threshold = 1e-4, thresholdMode = 'rel', cooldown = 0, minLr = 0, eps = 1e-8 } = options;
    checkOneOf(this.name, 'mode', mode, ['min', 'max'] as const);
    checkRange(this.name, 'factor', factor, 0, 1);
    checkInteger(this.name, 'patience', patience, 0);
    checkNonNegative(this.name, 'threshold', threshold);
    checkOneOf(this.name, 'thresholdMode', thresholdMode, ['rel', 'abs'] as const);
    checkInteger(this.name, 'cooldown', cooldown, 0);
    checkNonNegative(this.name, 'eps', eps);
    this.minLrs = perGroup(this.name, 'minLr', minLr, optimizer.paramGroups.length);
    this.mode = mode;
    this.factor = factor;
    this.patience = patience;
    this.threshold = threshold;
    this.thresholdMode = thresholdMode;
    this.cooldown = cooldown;
    this.eps = eps;
    this.best = mode === 'min' ? Infinity : -Infinity;
    this.lastLrs = optimizer.paramGroups.map((g) => g.lr);
  }

  get inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  /** Whether `a` improves on `best` by more than the threshold. */
  isBetter(a: number, best: number): boolean {
    const t = this.threshold;
    if (this.mode === 'min') return this.thresholdMode === 'rel' ? a < best * (1 - t) : a < best - t;
    return this.thresholdMode === 'rel' ? a > best * (t + 1) : a > best + t;
  }

  /** Records one epoch's metric (a number or a one-element tensor) and reduces the lr on a plateau. */
  step(metric: number | Tensor): void {
    const current = isTensor(metric) ? Number(metric.item()) : metric;
    if (typeof current !== 'number') throw new ArgumentError(`${this.name}.step: expected the metric as a number or a one-element tensor, got ${typeof metric}`);
    this.lastEpoch += 1;
    if (this.isBetter(current, this.best)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.inCooldown) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0; // bad epochs in cooldown do not count
    }
    if (this.numBadEpochs > this.patience) {
      this.reduceLr();
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.lastLrs = this.optimizer.paramGroups.map((g) => g.lr);
  }

  private reduceLr(): void {
    this.optimizer.paramGroups.forEach((g, i) => {
      const newLr = Math.max(g.lr * this.factor, this.minLrs[i]);
      if (g.lr - newLr > this.eps) g.lr = newLr;
    });
  }

  getLastLr(): number[] {
    return [...this.lastLrs];
  }

  stateDict(): PlateauStateDict {
    const { mode, factor, patience, threshold, thresholdMode, cooldown, eps, best, numBadEpochs, cooldownCounter, lastEpoch } = this;
    return { mode, factor, patience, threshold, thresholdMode, cooldown, minLrs: [...this.minLrs], eps, best, numBadEpochs, cooldownCounter, lastEpoch, lastLr: [...this.lastLrs] };
  }

  loadStateDict(s: PlateauStateDict): void {
    const who = `${this.name}.loadStateDict`;
    if (s === null || typeof s !== 'object') throw new ArgumentError(`${who}: expected the object returned by stateDict()`);
    checkOneOf(who, 'mode', s.mode, ['min', 'max'] as const);
    checkOneOf(who, 'thresholdMode', s.thresholdMode, ['rel', 'abs'] as const);
    checkRange(who, 'factor', s.factor, 0, 1);
    for (const k of ['threshold', 'eps'] as const) checkNonNegative(who, k, s[k]);
    for (const k of ['patience', 'cooldown', 'numBadEpochs', 'cooldownCounter', 'lastEpoch'] as const) checkInteger(who, k, s[k], 0);
    if (typeof s.best !== 'number' || Number.isNaN(s.best)) throw new ArgumentError(`${who}: best must be a number, got ${String(s.best)}`);
    const n = this.optimizer.paramGroups.length;
    const minLrs = perGroup(who, 'minLrs', s.minLrs, n);
    const lastLr = perGroup(who, 'lastLr', s.lastLr, n);
    this.mode = s.mode;
    this.factor = s.factor;
    this.patience = s.patience;
    this.threshold = s.threshold;
    this.thresholdMode = s.thresholdMode;
    this.cooldown = s.cooldown;
    this.eps = s.eps;
    this.best = s.best;
    this.numBadEpochs = s.numBadEpochs;
    this.cooldownCounter = s.cooldownCounter;
    this.lastEpoch = s.lastEpoch;
    this.minLrs = minLrs;
    this.lastLrs = lastLr;
  }
}

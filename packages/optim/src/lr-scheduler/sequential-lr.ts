import { ArgumentError } from '@plexus/tensor';
import type { AnyOptimizer, SchedulerStateDict } from './scheduler.js';
import { LRScheduler, checkOptimizer } from './scheduler.js';
import { checkInteger } from '../validate.js';

export interface SequentialLROptions {
  /** The schedules, in order, all built on this optimizer. */
  schedulers: readonly LRScheduler[];
  /** The epochs at which the next schedule takes over (one fewer than schedulers, increasing). */
  milestones: readonly number[];
}

export interface SequentialLRStateDict {
  lastEpoch: number;
  milestones: number[];
  lastLr: number[];
  schedulers: SchedulerStateDict[];
}

/**
 * Runs schedules one after another, as torch.optim.lr_scheduler.SequentialLR: e.g. a LinearLR
 * warm-up for 5 epochs, then CosineAnnealingLR. Each schedule after the first starts over from
 * the base lr at its milestone.
 */
export class SequentialLR {
  readonly name = 'SequentialLR';
  readonly optimizer: AnyOptimizer;
  readonly schedulers: readonly LRScheduler[];
  milestones: number[];
  lastEpoch: number;
  private lastLrs: number[];

  constructor(optimizer: AnyOptimizer, options: SequentialLROptions) {
    checkOptimizer(this.name, optimizer);
    const { schedulers, milestones } = options;
    if (!Array.isArray(schedulers) || schedulers.length === 0) throw new ArgumentError(`${this.name}: expected at least one schedule in schedulers`);
    schedulers.forEach((s, i) => {
      if (!(s instanceof LRScheduler)) throw new ArgumentError(`${this.name}: schedulers[${i}] is not an epoch-based LRScheduler (ReduceLROnPlateau cannot be sequenced)`);
      if (s.optimizer !== optimizer) throw new ArgumentError(`${this.name}: schedulers[${i}] (${s.name}) is bound to another optimizer`);
    });
    this.checkMilestones(this.name, milestones, schedulers.length);
    this.optimizer = optimizer;
    this.schedulers = [...schedulers];
    this.milestones = [...milestones];
    this.lastEpoch = 0;
    // Undo the lr changes the schedules made on construction, then start the first one.
    for (const g of optimizer.paramGroups) g.lr = g.initialLr ?? g.lr;
    for (const s of this.schedulers) s.lastEpoch -= 1;
    this.schedulers[0].step();
    this.lastLrs = this.schedulers[0].getLastLr();
  }

  private checkMilestones(owner: string, milestones: unknown, n: number): asserts milestones is number[] {
    if (!Array.isArray(milestones) || milestones.length !== n - 1) {
      throw new ArgumentError(`${owner}: expected ${n - 1} milestones for ${n} schedules, got ${Array.isArray(milestones) ? milestones.length : typeof milestones}`);
    }
    milestones.forEach((m, i) => {
      checkInteger(owner, `milestones[${i}]`, m, 1);
      if (i > 0 && m <= milestones[i - 1]) throw new ArgumentError(`${owner}: milestones must increase, got [${milestones.join(', ')}]`);
    });
  }

  step(): void {
    this.lastEpoch += 1;
    const idx = this.milestones.filter((m) => m <= this.lastEpoch).length;
    const scheduler = this.schedulers[idx];
    if (idx > 0 && this.milestones[idx - 1] === this.lastEpoch) scheduler.restart();
    else scheduler.step();
    this.lastLrs = scheduler.getLastLr();
  }

  getLastLr(): number[] {
    return [...this.lastLrs];
  }

  stateDict(): SequentialLRStateDict {
    return {
      lastEpoch: this.lastEpoch,
      milestones: [...this.milestones],
      lastLr: [...this.lastLrs],
      schedulers: this.schedulers.map((s) => s.stateDict()),
    };
  }

  loadStateDict(s: SequentialLRStateDict): void {
    const who = `${this.name}.loadStateDict`;
    if (s === null || typeof s !== 'object' || !Array.isArray(s.schedulers)) throw new ArgumentError(`${who}: expected the object returned by stateDict()`);
    if (s.schedulers.length !== this.schedulers.length) {
      throw new ArgumentError(`${who}: the state dict has ${s.schedulers.length} schedules, this SequentialLR has ${this.schedulers.length}`);
    }
    checkInteger(who, 'lastEpoch', s.lastEpoch, 0);
    this.checkMilestones(who, s.milestones, this.schedulers.length);
    if (!Array.isArray(s.lastLr) || s.lastLr.length !== this.optimizer.paramGroups.length) {
      throw new ArgumentError(`${who}: lastLr must hold one number per parameter group`);
    }
    this.schedulers.forEach((sch, i) => sch.loadStateDict(s.schedulers[i]));
    this.lastEpoch = s.lastEpoch;
    this.milestones = [...s.milestones];
    this.lastLrs = [...s.lastLr];
  }
}

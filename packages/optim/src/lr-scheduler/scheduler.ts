import { ArgumentError } from '@plexus/tensor';
import type { BaseOptions, ParamGroup, ParamState } from '../optimizer.js';
import { Optimizer } from '../optimizer.js';
import { checkInteger, checkNumber } from '../validate.js';

/** Any optimizer: schedules only read and write each group's `lr` (and momentum/betas). */
export type AnyOptimizer = Optimizer<BaseOptions, ParamState>;

/** `stateDict()` of a schedule: plain numbers and arrays (JSON-friendly). */
export interface SchedulerStateDict {
  lastEpoch: number;
  baseLrs: number[];
  lastLr: number[];
  [key: string]: unknown;
}

export interface SchedulerOptions {
  /** The index of the last epoch when resuming (default −1: start fresh). */
  lastEpoch?: number;
}

export function checkOptimizer(owner: string, optimizer: unknown): asserts optimizer is AnyOptimizer {
  if (!(optimizer instanceof Optimizer)) {
    throw new ArgumentError(`${owner}: expected an Optimizer, got ${optimizer === null ? 'null' : typeof optimizer}`);
  }
}

/** A number, or one per parameter group. */
export function perGroup(owner: string, name: string, value: number | readonly number[], groups: number): number[] {
  if (Array.isArray(value)) {
    if (value.length !== groups) {
      throw new ArgumentError(`${owner}: expected ${name} to have one value per parameter group (${groups}), got ${value.length}`);
    }
    value.forEach((v, i) => checkNumber(owner, `${name}[${i}]`, v));
    return [...value];
  }
  checkNumber(owner, name, value);
  return new Array<number>(groups).fill(value as number);
}

/**
 * Base of the epoch-based schedules, as torch.optim.lr_scheduler.LRScheduler. The constructor
 * records each group's starting lr (`initialLr`, kept on the group so a second schedule starts
 * from the same base) and takes the initial step, which sets the lr for epoch 0. Each `step()`
 * then advances one epoch (or one batch for OneCycleLR).
 *
 * Subclasses set their fields after `super()` and then call `this.initialStep()`, because
 * `getLr()` needs them (PyTorch sets them before calling the base constructor).
 */
export abstract class LRScheduler {
  readonly optimizer: AnyOptimizer;
  /** The schedule's name in error messages. */
  readonly name: string;
  /** Each group's lr when the schedule started. */
  baseLrs: number[];
  /** The epoch (step count − 1) the current lrs belong to. */
  lastEpoch: number;
  protected lastLrs: number[] = [];

  protected constructor(name: string, optimizer: AnyOptimizer, options: SchedulerOptions = {}) {
    this.name = name;
    checkOptimizer(name, optimizer);
    this.optimizer = optimizer;
    const lastEpoch = options.lastEpoch ?? -1;
    checkInteger(name, 'lastEpoch', lastEpoch, -1);
    optimizer.paramGroups.forEach((group, i) => {
      if (lastEpoch === -1) group.initialLr ??= group.lr;
      else if (group.initialLr === undefined) {
        throw new ArgumentError(`${name}: resuming at lastEpoch ${lastEpoch} needs initialLr in parameter group ${i}; load the optimizer's state dict first`);
      }
    });
    this.baseLrs = optimizer.paramGroups.map((g) => g.initialLr as number);
    this.lastEpoch = lastEpoch;
  }

  /** The lr of each group for `lastEpoch`. */
  protected abstract getLr(): number[];

  protected get groups(): ParamGroup[] {
    return this.optimizer.paramGroups;
  }

  /**
   * The lr of each group at `epoch` computed from `baseLrs` alone, where the schedule has such a
   * form (all here do); SequentialLR uses it to start a schedule over at epoch 0.
   */
  protected closedFormLr(_epoch: number): number[] | undefined {
    return undefined;
  }

  /** Starts the schedule over at epoch 0 (PyTorch's `step(0)`), as SequentialLR does at a milestone. */
  restart(): void {
    this.lastEpoch = 0;
    const lrs = this.closedFormLr(0) ?? this.getLr();
    this.groups.forEach((g, i) => {
      g.lr = lrs[i];
    });
    this.lastLrs = this.groups.map((g) => g.lr);
  }

  /** The step every schedule takes on construction (sets the epoch-0 lr). */
  protected initialStep(): void {
    this.step();
  }

  /** Advances one epoch and writes the new lr into each group. */
  step(): void {
    this.lastEpoch += 1;
    const lrs = this.getLr();
    this.groups.forEach((g, i) => {
      g.lr = lrs[i];
    });
    this.lastLrs = this.groups.map((g) => g.lr);
  }

  /** The lr of each group after the last step. */
  getLastLr(): number[] {
    return [...this.lastLrs];
  }

  /** The schedule's own settings and counters; subclasses add theirs. */
  protected extraState(): Record<string, unknown> {
    return {};
  }

  /** Restores what `extraState` saved (already known to be an object). */
  protected loadExtraState(_state: Record<string, unknown>): void {}

  stateDict(): SchedulerStateDict {
    return { ...this.extraState(), lastEpoch: this.lastEpoch, baseLrs: [...this.baseLrs], lastLr: [...this.lastLrs] };
  }

  /** Restores a `stateDict()`; load the optimizer's state dict too, which holds the lrs. */
  loadStateDict(state: SchedulerStateDict): void {
    const who = `${this.name}.loadStateDict`;
    if (state === null || typeof state !== 'object') throw new ArgumentError(`${who}: expected the object returned by stateDict()`);
    checkInteger(who, 'lastEpoch', state.lastEpoch, -1);
    const n = this.groups.length;
    for (const key of ['baseLrs', 'lastLr'] as const) {
      const v: unknown = state[key];
      if (!Array.isArray(v) || v.length !== n || !v.every((x) => typeof x === 'number')) {
        throw new ArgumentError(`${who}: ${key} must hold one number per parameter group (${n})`);
      }
    }
    this.loadExtraState(state);
    this.lastEpoch = state.lastEpoch;
    this.baseLrs = [...state.baseLrs];
    this.lastLrs = [...state.lastLr];
  }
}

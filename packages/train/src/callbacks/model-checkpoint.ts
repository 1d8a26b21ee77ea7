import { join } from 'node:path';
import { ArgumentError } from '@plexus/tensor';
import { save } from '../checkpoint/checkpoint.js';
import type { EpochLogs } from '../history.js';
import { Callback } from './callback.js';
import type { MonitorMode } from './monitor.js';
import { Monitor, missingKeyWarning } from './monitor.js';

export interface ModelCheckpointOptions {
  /** A directory: the best epoch goes to `best.safetensors`, the latest to `last.safetensors`. */
  dir?: string;
  /**
   * Or one file; `{epoch}` in it is replaced by the 1-based epoch. With saveBest it is written
   * when the monitored value improves, otherwise after every epoch.
   */
  path?: string;
  /** The log key that decides the best epoch (default 'valLoss'). */
  monitor?: string;
  mode?: MonitorMode;
  /** Keep the best epoch's checkpoint (default true). */
  saveBest?: boolean;
  /** Keep the latest epoch's checkpoint, for resuming (default true; with `dir` only). */
  saveLast?: boolean;
  /** Include the optimizer, scheduler and generator state, so training can resume (default true). */
  saveOptimizer?: boolean;
  /** JSON saved in every checkpoint's `extra` next to the logs: the model's configuration, say. */
  extra?: Record<string, unknown>;
  /** Where messages go (default: none). */
  log?: (message: string) => void;
}

/**
 * Saves checkpoints during training (Keras's ModelCheckpoint) with `save`: the model, and unless
 * `saveOptimizer` is false the optimizer, the scheduler and the random generators, with the
 * number of completed epochs, so that `loadCheckpoint` + `fit({ initialEpoch })` resumes.
 */
export class ModelCheckpoint extends Callback {
  readonly saveBest: boolean;
  readonly saveLast: boolean;
  private readonly monitor: Monitor;
  private readonly options: ModelCheckpointOptions;
  private warned = false;
  /** The 0-based epoch of the best checkpoint so far, -1 before any. */
  bestEpoch = -1;
  /** Paths written so far, in order. */
  readonly saved: string[] = [];

  constructor(options: ModelCheckpointOptions) {
    super();
    if (!options || (options.dir === undefined) === (options.path === undefined)) {
      throw new ArgumentError('ModelCheckpoint: give exactly one of dir or path');
    }
    this.options = options;
    this.saveBest = options.saveBest ?? true;
    this.saveLast = options.saveLast ?? true;
    if (!this.saveBest && !this.saveLast) throw new ArgumentError('ModelCheckpoint: saveBest and saveLast are both false; nothing would be saved');
    this.monitor = new Monitor('ModelCheckpoint', options.monitor ?? 'valLoss', options.mode);
  }

  /** The best monitored value so far. */
  get best(): number {
    return this.monitor.best;
  }

  /** The file of the best checkpoint (with `dir`). */
  get bestPath(): string | undefined {
    return this.options.dir !== undefined ? join(this.options.dir, 'best.safetensors') : undefined;
  }

  /** The file of the latest checkpoint (with `dir`). */
  get lastPath(): string | undefined {
    return this.options.dir !== undefined ? join(this.options.dir, 'last.safetensors') : undefined;
  }

  override onTrainBegin(): void {
    this.monitor.reset();
    this.bestEpoch = -1;
  }

  override async onEpochEnd(epoch: number, logs: EpochLogs): Promise<void> {
    let improved = false;
    if (this.saveBest) {
      const value = logs[this.monitor.key];
      if (value === undefined) {
        if (!this.warned) console.warn(missingKeyWarning('ModelCheckpoint', this.monitor.key, logs));
        this.warned = true;
      } else if (this.monitor.isImprovement(value)) {
        this.monitor.best = value;
        this.bestEpoch = epoch;
        improved = true;
      }
    }
    if (this.options.dir !== undefined) {
      if (improved) await this.write(this.bestPath as string, epoch, logs);
      if (this.saveLast) await this.write(this.lastPath as string, epoch, logs);
    } else if (improved || !this.saveBest) {
      await this.write((this.options.path as string).replaceAll('{epoch}', String(epoch + 1)), epoch, logs);
    }
  }

  private async write(path: string, epoch: number, logs: EpochLogs): Promise<void> {
    const { model, optimizer, scheduler } = this.context;
    const full = this.options.saveOptimizer ?? true;
    await save(model, path, {
      optimizer: full ? optimizer : undefined,
      scheduler: full ? scheduler : undefined,
      rng: full,
      epoch: epoch + 1,
      extra: { ...this.options.extra, logs, monitor: this.monitor.key, best: this.monitor.best },
    });
    this.saved.push(path);
    this.options.log?.(`ModelCheckpoint: epoch ${epoch + 1}: saved ${path}`);
  }
}

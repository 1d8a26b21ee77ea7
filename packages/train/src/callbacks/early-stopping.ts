import type { Tensor } from '@plexus/tensor';
import { ArgumentError } from '@plexus/tensor';
import type { EpochLogs } from '../history.js';
import { Callback } from './callback.js';
import type { MonitorMode } from './monitor.js';
import { Monitor, missingKeyWarning } from './monitor.js';

export interface EarlyStoppingOptions {
  /** The log key to watch (default 'valLoss'; 'val_loss' works too). */
  monitor?: string;
  /** 'min', 'max', or 'auto' (default: 'max' for accuracy-like names, else 'min'). */
  mode?: MonitorMode;
  /** Epochs without improvement before stopping (default 0: stop at the first). */
  patience?: number;
  /** The smallest change that counts as an improvement (default 0). */
  minDelta?: number;
  /** On stopping, put back the weights of the best epoch (default false). */
  restoreBestWeights?: boolean;
  /** Where messages go (default console.log). */
  log?: (message: string) => void;
}

/**
 * Stops training when the monitored value has not improved for `patience` epochs (Keras's
 * EarlyStopping), optionally restoring the best epoch's weights.
 */
export class EarlyStopping extends Callback {
  readonly patience: number;
  readonly restoreBestWeights: boolean;
  private readonly monitor: Monitor;
  private readonly log: (message: string) => void;
  private wait = 0;
  private bestWeights: Record<string, Tensor> | undefined;
  private warned = false;
  /** The 0-based epoch of the best value so far, -1 before any. */
  bestEpoch = -1;
  /** The 0-based epoch at which training was stopped, -1 if it was not. */
  stoppedEpoch = -1;

  constructor(options: EarlyStoppingOptions = {}) {
    super();
    const patience = options.patience ?? 0;
    if (!Number.isInteger(patience) || patience < 0) throw new ArgumentError(`EarlyStopping: patience must be a non-negative integer, got ${patience}`);
    this.patience = patience;
    this.restoreBestWeights = options.restoreBestWeights ?? false;
    this.monitor = new Monitor('EarlyStopping', options.monitor ?? 'valLoss', options.mode, options.minDelta ?? 0);
    this.log = options.log ?? console.log;
  }

  /** The best monitored value so far. */
  get best(): number {
    return this.monitor.best;
  }

  override onTrainBegin(): void {
    this.monitor.reset();
    this.wait = 0;
    this.bestWeights = undefined;
    this.bestEpoch = -1;
    this.stoppedEpoch = -1;
  }

  override onEpochEnd(epoch: number, logs: EpochLogs): void {
    const value = logs[this.monitor.key];
    if (value === undefined) {
      if (!this.warned) console.warn(missingKeyWarning('EarlyStopping', this.monitor.key, logs));
      this.warned = true;
      return;
    }
    if (this.monitor.isImprovement(value)) {
      this.monitor.best = value;
      this.bestEpoch = epoch;
      this.wait = 0;
      // stateDict() is a snapshot: later optimizer steps replace the parameters' storage.
      if (this.restoreBestWeights) this.bestWeights = this.context.model.stateDict();
      return;
    }
    this.wait += 1;
    if (this.wait < this.patience) return;
    this.stoppedEpoch = epoch;
    this.stopTraining = true;
    let message = `EarlyStopping: ${this.monitor.key} has not improved on ${formatBest(this.monitor.best)} (epoch ${this.bestEpoch + 1}) for ${this.wait} epochs; stopping after epoch ${epoch + 1}`;
    if (this.restoreBestWeights && this.bestWeights) {
      this.context.model.loadStateDict(this.bestWeights);
      message += `, restored the weights of epoch ${this.bestEpoch + 1}`;
    }
    this.context.stopReason = message;
    this.log(message);
  }
}

const formatBest = (v: number): string => (Number.isFinite(v) ? String(Number(v.toPrecision(6))) : String(v));

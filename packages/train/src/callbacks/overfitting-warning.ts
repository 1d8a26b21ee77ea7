import { ArgumentError } from '@plexus/tensor';
import { normalizeKey } from '../history.js';
import type { EpochLogs } from '../history.js';
import { Callback } from './callback.js';
import { formatValue } from './format.js';

export interface OverfittingWarningOptions {
  /** Consecutive epochs of rising validation loss with falling training loss before warning (default 3). */
  patience?: number;
  /** The validation key (default 'valLoss'). */
  monitor?: string;
  /** The training key (default 'loss'). */
  trainMonitor?: string;
  /** Where the warning goes (default console.warn). */
  warn?: (message: string) => void;
}

/**
 * Warns when the validation loss has risen for `patience` epochs in a row while the training loss
 * kept falling: the model is memorising the training set. Once per such streak.
 */
export class OverfittingWarning extends Callback {
  readonly patience: number;
  private readonly valKey: string;
  private readonly trainKey: string;
  private readonly warn: (message: string) => void;
  private previous: { train: number; val: number } | undefined;
  private streak: { train: number; val: number; epochs: number } | undefined;
  private warnedThisStreak = false;
  /** Every warning given, in order. */
  readonly warnings: string[] = [];

  constructor(options: OverfittingWarningOptions = {}) {
    super();
    const patience = options.patience ?? 3;
    if (!Number.isInteger(patience) || patience < 1) throw new ArgumentError(`OverfittingWarning: patience must be a positive integer, got ${patience}`);
    this.patience = patience;
    this.valKey = normalizeKey(options.monitor ?? 'valLoss');
    this.trainKey = normalizeKey(options.trainMonitor ?? 'loss');
    this.warn = options.warn ?? console.warn;
  }

  override onTrainBegin(): void {
    this.previous = undefined;
    this.streak = undefined;
    this.warnedThisStreak = false;
  }

  override onEpochEnd(epoch: number, logs: EpochLogs): void {
    const train = logs[this.trainKey];
    const val = logs[this.valKey];
    if (train === undefined || val === undefined) return;
    const prev = this.previous;
    this.previous = { train, val };
    if (!prev) return;
    if (val > prev.val && train < prev.train) {
      // The streak starts from the values before its first bad epoch.
      this.streak = this.streak ? { ...this.streak, epochs: this.streak.epochs + 1 } : { train: prev.train, val: prev.val, epochs: 1 };
    } else {
      this.streak = undefined;
      this.warnedThisStreak = false;
      return;
    }
    if (this.streak.epochs < this.patience || this.warnedThisStreak) return;
    this.warnedThisStreak = true;
    const message =
      `OverfittingWarning: at epoch ${epoch + 1}, ${this.valKey} has risen for ${this.streak.epochs} epochs ` +
      `(${formatValue(this.streak.val)} → ${formatValue(val)}) while ${this.trainKey} fell (${formatValue(this.streak.train)} → ${formatValue(train)}): ` +
      'the model is fitting the training set at the expense of new data; consider EarlyStopping, more data, augmentation, dropout or weight decay';
    this.warnings.push(message);
    this.warn(message);
  }
}

import { ArgumentError } from '@plexus/tensor';
import { normalizeKey } from '../history.js';

export type MonitorMode = 'min' | 'max' | 'auto';

/** Metrics that are better when larger; everything else (losses, errors) when smaller. */
const HIGHER_IS_BETTER = /acc|precision|recall|f1|r2|auc/i;

/** Resolves 'auto' from the metric's name, as Keras does. */
export function resolveMode(owner: string, monitor: string, mode: MonitorMode = 'auto'): 'min' | 'max' {
  if (mode !== 'min' && mode !== 'max' && mode !== 'auto') throw new ArgumentError(`${owner}: mode must be 'min', 'max' or 'auto', got '${String(mode)}'`);
  if (mode !== 'auto') return mode;
  return HIGHER_IS_BETTER.test(monitor) ? 'max' : 'min';
}

/** Tracks the best value of a monitored log key. */
export class Monitor {
  readonly key: string;
  readonly mode: 'min' | 'max';
  readonly minDelta: number;
  best: number;

  constructor(owner: string, monitor: string, mode: MonitorMode = 'auto', minDelta = 0) {
    if (typeof monitor !== 'string' || monitor === '') throw new ArgumentError(`${owner}: monitor must be a log key such as 'valLoss', got ${String(monitor)}`);
    if (!Number.isFinite(minDelta) || minDelta < 0) throw new ArgumentError(`${owner}: minDelta must be a non-negative number, got ${minDelta}`);
    this.key = normalizeKey(monitor);
    this.mode = resolveMode(owner, this.key, mode);
    this.minDelta = minDelta;
    this.best = this.mode === 'min' ? Infinity : -Infinity;
  }

  reset(): void {
    this.best = this.mode === 'min' ? Infinity : -Infinity;
  }

  /** Whether `value` beats the best by more than minDelta (NaN never does). */
  isImprovement(value: number): boolean {
    if (Number.isNaN(value)) return false;
    return this.mode === 'min' ? value < this.best - this.minDelta : value > this.best + this.minDelta;
  }
}

/** Warns once per callback when the monitored key is missing from the logs. */
export function missingKeyWarning(owner: string, key: string, logs: Record<string, number>): string {
  return `${owner}: the logs have no '${key}' (they have ${Object.keys(logs).join(', ')}); ${key.startsWith('val') ? 'pass a val loader to fit, or ' : ''}choose another monitor`;
}

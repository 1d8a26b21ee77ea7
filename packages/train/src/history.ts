/** The logs of one epoch: 'loss', metrics, 'valLoss', 'valAccuracy'…, 'lr' and 'seconds'. */
export type EpochLogs = Record<string, number>;

/** The key of a validation value: 'loss' → 'valLoss', 'accuracy' → 'valAccuracy'. */
export function valKey(name: string): string {
  return `val${name[0].toUpperCase()}${name.slice(1)}`;
}

/** Keras-style names ('val_loss', 'val_accuracy') → the camelCase keys used here ('valLoss'). */
export function normalizeKey(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * What `fit` returns (Keras's History): one entry per completed epoch. `epochs[i]` is the
 * (0-based) epoch index of entry i and `history.loss[i]` its training loss.
 */
export class History {
  readonly epochs: number[] = [];
  readonly logs: EpochLogs[] = [];
  /** Each key's values, epoch by epoch ('loss', 'valAccuracy', 'lr', …). */
  readonly history: Record<string, number[]> = {};
  /** Why training stopped before `epochs`, when a callback stopped it. */
  stopReason: string | undefined;

  append(epoch: number, logs: EpochLogs): void {
    this.epochs.push(epoch);
    this.logs.push({ ...logs });
    const known = new Set([...Object.keys(this.history), ...Object.keys(logs)]);
    for (const key of known) {
      const values = (this.history[key] ??= new Array<number>(this.epochs.length - 1).fill(NaN));
      values.push(key in logs ? logs[key] : NaN);
    }
  }

  /** The values of `key` ('val_loss' works too), one per epoch. */
  get(key: string): number[] {
    return [...(this.history[normalizeKey(key)] ?? [])];
  }

  /** The logs of the last epoch, if any. */
  get last(): EpochLogs | undefined {
    return this.logs[this.logs.length - 1];
  }

  get length(): number {
    return this.logs.length;
  }

  toJSON(): { epochs: number[]; history: Record<string, number[]> } {
    return { epochs: [...this.epochs], history: Object.fromEntries(Object.entries(this.history).map(([k, v]) => [k, [...v]])) };
  }
}

import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ArgumentError } from '@plexus/tensor';
import type { EpochLogs } from '../history.js';
import { Callback } from './callback.js';

/**
 * Writes one JSON object per epoch, one per line (JSON Lines): `{"epoch":1,"loss":…}`. NaN and
 * infinite values, which JSON cannot hold, are written as null.
 */
export class JSONLogger extends Callback {
  private readonly append: boolean;

  constructor(readonly path: string, options: { append?: boolean } = {}) {
    super();
    if (typeof path !== 'string' || path === '') throw new ArgumentError('JSONLogger: expected a file path');
    this.append = options.append ?? false;
  }

  override onTrainBegin(): void {
    mkdirSync(dirname(this.path), { recursive: true });
    if (!this.append) writeFileSync(this.path, '');
  }

  override onEpochEnd(epoch: number, logs: EpochLogs): void {
    appendFileSync(this.path, `${JSON.stringify({ epoch: epoch + 1, ...logs })}\n`);
  }
}

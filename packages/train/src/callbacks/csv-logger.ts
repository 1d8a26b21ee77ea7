import { appendFileSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ArgumentError } from '@plexus/tensor';
import type { EpochLogs } from '../history.js';
import { Callback } from './callback.js';

/**
 * Writes one CSV row per epoch (Keras's CSVLogger): `epoch` (1-based) and every log key, full
 * precision. Each row is appended as soon as its epoch ends, so the file is useful mid-run.
 */
export class CSVLogger extends Callback {
  private readonly separator: string;
  private readonly append: boolean;
  private columns: string[] | undefined;

  constructor(readonly path: string, options: { separator?: string; append?: boolean } = {}) {
    super();
    if (typeof path !== 'string' || path === '') throw new ArgumentError('CSVLogger: expected a file path');
    this.separator = options.separator ?? ',';
    this.append = options.append ?? false;
  }

  override onTrainBegin(): void {
    mkdirSync(dirname(this.path), { recursive: true });
    this.columns = undefined;
    if (!this.append) writeFileSync(this.path, '');
  }

  override onEpochEnd(epoch: number, logs: EpochLogs): void {
    if (!this.columns) {
      this.columns = Object.keys(logs);
      const hasContent = existsSync(this.path) && statSync(this.path).size > 0;
      if (!hasContent) appendFileSync(this.path, `${['epoch', ...this.columns].join(this.separator)}\n`);
    }
    const row = [String(epoch + 1), ...this.columns.map((k) => (k in logs ? String(logs[k]) : ''))];
    appendFileSync(this.path, `${row.join(this.separator)}\n`);
  }
}

import cliProgress from 'cli-progress';
import type { EpochLogs } from '../history.js';
import type { BatchLogs } from './callback.js';
import { Callback } from './callback.js';
import { formatLogs, formatValue } from './format.js';

/** Where progress goes: a stream with `write` (process.stdout by default). */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface ProgressBarOptions {
  /** Default process.stdout. */
  stream?: ProgressStream;
  /**
   * 'bar': a live bar per epoch (needs a terminal); 'lines': one plain line per epoch; 'auto'
   * (default): the bar when the stream is a TTY and the environment variable CI is not set.
   */
  mode?: 'auto' | 'bar' | 'lines';
  /** Environment to read CI from (default process.env). */
  env?: Record<string, string | undefined>;
}

/**
 * Shows training progress (Keras's ProgbarLogger), with cli-progress: per epoch a bar of the
 * batches with the running loss, the speed in samples/s and the time left, then a line with the
 * epoch's logs. In logs and CI, where a bar would print garbage, it writes only the line.
 */
export class ProgressBar extends Callback {
  readonly mode: 'bar' | 'lines';
  private readonly stream: ProgressStream;
  private bar: cliProgress.SingleBar | undefined;
  private epochStart = 0;
  private lastBatchAt = 0;
  private seen = 0;
  private batches = 0;

  constructor(options: ProgressBarOptions = {}) {
    super();
    this.stream = options.stream ?? process.stdout;
    const env = options.env ?? process.env;
    const mode = options.mode ?? 'auto';
    this.mode = mode === 'auto' ? (this.stream.isTTY && !env.CI ? 'bar' : 'lines') : mode;
  }

  private prefix(epoch: number): string {
    const { epochs } = this.context;
    return `Epoch ${String(epoch + 1).padStart(String(epochs).length)}/${epochs}`;
  }

  override onEpochBegin(epoch: number): void {
    this.epochStart = performance.now();
    this.seen = 0;
    this.batches = 0;
    if (this.mode !== 'bar') return;
    const total = this.context.stepsPerEpoch ?? 0;
    this.bar = new cliProgress.SingleBar(
      {
        format: `${this.prefix(epoch)} {bar} {value}/{total} | loss {loss} | {speed} samples/s | ETA {eta_formatted}`,
        stream: this.stream as NodeJS.WritableStream,
        barsize: 24,
        hideCursor: true,
        clearOnComplete: true,
        etaBuffer: 20,
      },
      cliProgress.Presets.shades_classic,
    );
    this.bar.start(total, 0, { loss: '-', speed: '-' });
  }

  override onBatchEnd(_batch: number, logs: BatchLogs): void {
    this.seen += logs.size;
    this.batches += 1;
    this.lastBatchAt = performance.now();
    if (!this.bar) return;
    const seconds = (this.lastBatchAt - this.epochStart) / 1000;
    // Sources without a length grow the bar's total as they go.
    if (this.batches > this.bar.getTotal()) this.bar.setTotal(this.batches);
    this.bar.update(this.batches, { loss: formatValue(logs.running.loss), speed: seconds > 0 ? Math.round(this.seen / seconds) : '-' });
  }

  override onEpochEnd(epoch: number, logs: EpochLogs): void {
    this.stopBar();
    const seconds = logs.seconds ?? (performance.now() - this.epochStart) / 1000;
    // Training speed: the time of the batches, without validation.
    const trainSeconds = (this.lastBatchAt - this.epochStart) / 1000;
    const speed = trainSeconds > 0 ? `${Math.round(this.seen / trainSeconds)} samples/s` : '';
    const parts = [this.prefix(epoch), `${this.batches} batches`, `${seconds.toFixed(1)}s`, speed, formatLogs(logs)].filter((p) => p !== '');
    this.stream.write(`${parts.join(' - ')}\n`);
  }

  override onTrainEnd(): void {
    this.close();
  }

  /** Stops a live bar and gives the terminal its cursor back (fit calls it when training fails, too). */
  close(): void {
    this.stopBar();
  }

  private stopBar(): void {
    if (!this.bar) return;
    this.bar.stop();
    this.bar = undefined;
  }
}

import type { BatchLogs } from './callback.js';
import { Callback } from './callback.js';

/**
 * Stops training at the first batch whose loss is NaN or infinite (Keras's TerminateOnNaN), with a
 * message naming the epoch and the batch, so a diverging run ends instead of wasting time.
 */
export class TerminateOnNaN extends Callback {
  private readonly log: (message: string) => void;
  /** The message of the stop, if it happened. */
  message: string | undefined;

  constructor(options: { log?: (message: string) => void } = {}) {
    super();
    this.log = options.log ?? console.error;
  }

  override onTrainBegin(): void {
    this.message = undefined;
  }

  override onBatchEnd(batch: number, logs: BatchLogs): void {
    if (Number.isFinite(logs.loss)) return;
    const { epochs, stepsPerEpoch } = this.context;
    const of = stepsPerEpoch !== undefined ? `/${stepsPerEpoch}` : '';
    this.message = `TerminateOnNaN: the loss is ${logs.loss} at epoch ${logs.epoch + 1}/${epochs}, batch ${batch + 1}${of} (step ${logs.step}); stopping training`;
    this.context.stopReason = this.message;
    this.stopTraining = true;
    this.log(this.message);
  }
}

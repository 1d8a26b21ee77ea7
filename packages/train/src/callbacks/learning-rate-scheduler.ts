import { ArgumentError } from '@plexus/tensor';
import { Callback } from './callback.js';

/** `(epoch, lr) => newLr`; epoch is 0-based and lr the group's current value. */
export type LrSchedule = (epoch: number, lr: number) => number;

/**
 * Sets the learning rate at the start of every epoch from a function (Keras's
 * LearningRateScheduler); each parameter group gets schedule(epoch, its lr).
 */
export class LearningRateScheduler extends Callback {
  private readonly log: ((message: string) => void) | undefined;

  constructor(private readonly schedule: LrSchedule, options: { log?: (message: string) => void } = {}) {
    super();
    if (typeof schedule !== 'function') throw new ArgumentError(`LearningRateScheduler: expected a function (epoch, lr) => lr, got ${typeof schedule}`);
    this.log = options.log;
  }

  override onEpochBegin(epoch: number): void {
    for (const group of this.context.optimizer.paramGroups) {
      const lr = this.schedule(epoch, group.lr);
      if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0) {
        throw new ArgumentError(`LearningRateScheduler: the schedule returned ${String(lr)} for epoch ${epoch}; expected a finite number >= 0`);
      }
      group.lr = lr;
    }
    this.log?.(`LearningRateScheduler: epoch ${epoch + 1}: lr ${this.context.optimizer.paramGroups.map((g) => g.lr).join(', ')}`);
  }
}

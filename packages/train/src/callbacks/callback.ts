import type { UnaryModule } from '@plexus/nn';
import type { AnyOptimizer } from '@plexus/optim';
import { PlexusError } from '@plexus/tensor';
import type { EpochLogs, History } from '../history.js';
import type { Scheduler } from '../scheduler.js';

/** What `fit` shares with its callbacks. */
export interface TrainContext {
  model: UnaryModule;
  optimizer: AnyOptimizer;
  scheduler?: Scheduler;
  /** The epoch count fit runs to (exclusive, 0-based indices). */
  epochs: number;
  initialEpoch: number;
  /** Batches per epoch, when the training source says. */
  stepsPerEpoch?: number;
  history: History;
  /** Set to true to stop after the current batch (see `Callback.stopTraining`). */
  stopTraining: boolean;
  /** Why training stopped early, for the user. */
  stopReason?: string;
}

/** What `onBatchEnd` receives. */
export interface BatchLogs {
  /** This batch's loss (the batch mean). */
  loss: number;
  /** Samples in this batch. */
  size: number;
  /** 0-based epoch. */
  epoch: number;
  /** Optimizer steps taken since fit started (1 after the first batch). */
  step: number;
  /** Samples seen so far in this epoch. */
  seen: number;
  /** The lr of the first parameter group for this batch. */
  lr: number;
  /** The epoch's running means so far: 'loss' and each metric that is cheap to compute. */
  running: EpochLogs;
}

/**
 * Base class of the callbacks (Keras's Callback): override the hooks you need; each may return a
 * promise, which fit awaits. `this.context` holds the model, the optimizer and the history; set
 * `this.stopTraining = true` to end training after the current batch or epoch.
 */
export abstract class Callback {
  private ctx: TrainContext | undefined;

  /** Called by fit before onTrainBegin. */
  setContext(context: TrainContext): void {
    this.ctx = context;
  }

  get context(): TrainContext {
    if (!this.ctx) throw new PlexusError(`${this.constructor.name}: no training context; a callback's hooks run inside fit()`);
    return this.ctx;
  }

  get stopTraining(): boolean {
    return this.context.stopTraining;
  }

  set stopTraining(value: boolean) {
    this.context.stopTraining = value;
  }

  onTrainBegin(_logs: EpochLogs): void | Promise<void> {}
  onTrainEnd(_logs: EpochLogs): void | Promise<void> {}
  /** `epoch` is 0-based. */
  onEpochBegin(_epoch: number, _logs: EpochLogs): void | Promise<void> {}
  /** `logs` has 'loss', metrics, 'valLoss'…, 'lr' and 'seconds'. */
  onEpochEnd(_epoch: number, _logs: EpochLogs): void | Promise<void> {}
  /** `batch` is the 0-based index within the epoch. */
  onBatchEnd(_batch: number, _logs: BatchLogs): void | Promise<void> {}
}

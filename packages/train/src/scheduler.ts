import type { LRScheduler, ReduceLROnPlateau } from '@plexus/optim';

/** What fit and checkpoints accept as a learning-rate schedule. */
export type Scheduler = LRScheduler | ReduceLROnPlateau;

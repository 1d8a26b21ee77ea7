/** One workload set up on one runner: `step()` runs one iteration and returns a value read back
 * from the device (the loss, or a checksum), which also makes the timing include the sync. */
export interface Cell {
  step(): number;
  /** A short remark for the table (e.g. the backend's settings). */
  note?: string;
}

/** A runner cannot run this workload at all; the message goes in the table cell. */
export class UnsupportedError extends Error {
  override readonly name = 'UnsupportedError';
}

import { ArgumentError } from '@plexus/tensor';

/** ‖pred − exact‖₂ / ‖exact‖₂ over the points: the error PINN papers report. */
export function relativeL2(pred: ArrayLike<number>, exact: ArrayLike<number>): number {
  if (pred.length !== exact.length || pred.length === 0) {
    throw new ArgumentError(`relativeL2: expected two non-empty arrays of the same length, got ${pred.length} and ${exact.length}`);
  }
  let num = 0;
  let den = 0;
  for (let i = 0; i < pred.length; i++) {
    num += (pred[i] - exact[i]) ** 2;
    den += exact[i] ** 2;
  }
  if (den === 0) throw new ArgumentError('relativeL2: the exact values are all zero; the relative error is undefined');
  return Math.sqrt(num / den);
}

/** max |pred − exact|. */
export function maxAbsError(pred: ArrayLike<number>, exact: ArrayLike<number>): number {
  if (pred.length !== exact.length) throw new ArgumentError(`maxAbsError: lengths differ (${pred.length} and ${exact.length})`);
  let m = 0;
  for (let i = 0; i < pred.length; i++) m = Math.max(m, Math.abs(pred[i] - exact[i]));
  return m;
}

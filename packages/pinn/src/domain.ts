import { ArgumentError } from '@plexus/tensor';

/** An axis-aligned box [lower₀, upper₀] × … × [lower_{d−1}, upper_{d−1}]: the domain of a PDE. */
export interface Box {
  readonly lower: readonly number[];
  readonly upper: readonly number[];
}

/** Builds a box, checking lower[i] < upper[i] (finite) in every dimension. */
export function box(lower: readonly number[], upper: readonly number[]): Box {
  checkBox('box', { lower, upper });
  return { lower: [...lower], upper: [...upper] };
}

export function checkBox(op: string, domain: Box): number {
  if (domain === null || typeof domain !== 'object' || !Array.isArray(domain.lower) || !Array.isArray(domain.upper)) {
    throw new ArgumentError(`${op}: the domain must be a box { lower: number[], upper: number[] }`);
  }
  const { lower, upper } = domain;
  if (lower.length === 0 || lower.length !== upper.length) {
    throw new ArgumentError(`${op}: the box's lower and upper corners must have the same, non-zero number of entries, got ${lower.length} and ${upper.length}`);
  }
  lower.forEach((lo, i) => {
    const hi = upper[i];
    if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi)) {
      throw new ArgumentError(`${op}: the box needs finite lower[${i}] < upper[${i}], got ${lo} and ${hi}`);
    }
  });
  return lower.length;
}

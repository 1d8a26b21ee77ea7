import { ArgumentError } from '@plexus/tensor';

// Option checks shared by the optimizers and schedules. Each message names the owner (the
// optimizer or schedule), the option, what it got and what it accepts.

const show = (v: unknown): string => (Array.isArray(v) ? `[${v.map(show).join(', ')}]` : typeof v === 'string' ? `'${v}'` : String(v));

/** A finite number (NaN, ±Infinity and non-numbers rejected). */
export function checkNumber(owner: string, name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ArgumentError(`${owner}: ${name} must be a finite number, got ${show(value)}`);
  }
}

export function checkNonNegative(owner: string, name: string, value: unknown): asserts value is number {
  checkNumber(owner, name, value);
  if (value < 0) throw new ArgumentError(`${owner}: ${name} must be >= 0, got ${show(value)}`);
}

export function checkPositive(owner: string, name: string, value: unknown): asserts value is number {
  checkNumber(owner, name, value);
  if (value <= 0) throw new ArgumentError(`${owner}: ${name} must be > 0, got ${show(value)}`);
}

/** A number in [lo, hi) or [lo, hi] (`closed`). */
export function checkRange(owner: string, name: string, value: unknown, lo: number, hi: number, closed = false): asserts value is number {
  checkNumber(owner, name, value);
  if (value < lo || (closed ? value > hi : value >= hi)) {
    throw new ArgumentError(`${owner}: ${name} must be in [${lo}, ${hi}${closed ? ']' : ')'}, got ${show(value)}`);
  }
}

export function checkInteger(owner: string, name: string, value: unknown, min: number): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new ArgumentError(`${owner}: ${name} must be an integer >= ${min}, got ${show(value)}`);
  }
}

export function checkBoolean(owner: string, name: string, value: unknown): asserts value is boolean {
  if (typeof value !== 'boolean') throw new ArgumentError(`${owner}: ${name} must be true or false, got ${show(value)}`);
}

/** Adam-style betas: a pair, each in [0, 1). */
export function checkBetas(owner: string, value: unknown): asserts value is readonly [number, number] {
  if (!Array.isArray(value) || value.length !== 2) {
    throw new ArgumentError(`${owner}: betas must be a pair [beta1, beta2], got ${show(value)}`);
  }
  checkRange(owner, 'betas[0]', value[0], 0, 1);
  checkRange(owner, 'betas[1]', value[1], 0, 1);
}

export function checkOneOf<T extends string>(owner: string, name: string, value: unknown, allowed: readonly T[]): asserts value is T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new ArgumentError(`${owner}: ${name} must be one of ${allowed.map(show).join(', ')}, got ${show(value)}`);
  }
}

/**
 * Rejects keys not in `known`: a PyTorch-style `weight_decay` or a typo would otherwise be
 * silently ignored and the run would train with the default.
 */
export function checkKnownKeys(owner: string, what: string, options: object, known: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new ArgumentError(`${owner}: unknown ${what} '${key}' (expected one of ${known.join(', ')})`);
    }
  }
}

/** Drops keys whose value is undefined, so `{ lr: undefined }` keeps the default like omitting it. */
export function definedEntries<T extends object>(options: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(options)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

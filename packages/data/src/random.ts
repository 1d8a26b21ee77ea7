import type { Generator } from '@plexus/tensor';
import { ArgumentError, Generator as PlexusGenerator, getDefaultGenerator } from '@plexus/tensor';

/**
 * A permutation of 0..n-1 drawn exactly as `randperm(n, { generator })` draws it (n uniforms,
 * then Fisher–Yates), but kept on the host: loaders need the indices in JS anyway, and this
 * avoids a round trip through a backend that may not read synchronously.
 */
export function permutation(n: number, generator: Generator = getDefaultGenerator()): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return shuffleInPlace(out, generator);
}

/** Shuffles `values` in place with the same Fisher–Yates walk as `permutation`. */
export function shuffleInPlace<A extends Int32Array | number[]>(values: A, generator: Generator = getDefaultGenerator()): A {
  const n = values.length;
  const u = generator.nextUniform(n);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(u[i] * (i + 1));
    const t = values[i];
    values[i] = values[j];
    values[j] = t;
  }
  return values;
}

export interface SeedOptions {
  /** Seed of a private generator (default 0), so the result does not depend on other draws. */
  seed?: number;
  /** A generator to draw from instead of a seeded private one. */
  generator?: Generator;
}

/** The generator a seeded helper draws from: the given one, else a fresh one from `seed`. */
export function seededGenerator(op: string, options: SeedOptions): Generator {
  if (options.generator) return options.generator;
  const seed = options.seed ?? 0;
  if (!Number.isSafeInteger(seed)) throw new ArgumentError(`${op}: seed must be a safe integer, got ${seed}`);
  return new PlexusGenerator(seed);
}

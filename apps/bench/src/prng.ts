/**
 * A small seeded generator (mulberry32) for the benchmark data. Every runner gets its data from
 * here (the Python runner through a file), so all of them start from the same numbers.
 */
export class Mulberry32 {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** The next 32-bit value. */
  nextUint32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in [0, 1) with 24 random bits, so the value is exact in float32. */
  next(): number {
    return (this.nextUint32() >>> 8) / 16777216;
  }
}

/** FNV-1a of a string: gives each tensor its own stream, independent of generation order. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** n values uniform in [low, high), as float32. */
export function uniform(seed: number, n: number, low: number, high: number): Float32Array {
  const g = new Mulberry32(seed);
  const out = new Float32Array(n);
  const span = high - low;
  for (let i = 0; i < n; i++) out[i] = low + span * g.next();
  return out;
}

/** n integers uniform in [0, classes). */
export function labels(seed: number, n: number, classes: number): Int32Array {
  const g = new Mulberry32(seed);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(g.next() * classes);
  return out;
}

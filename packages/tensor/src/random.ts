import type { DType } from './dtype.js';
import { allocArray, isFloating } from './dtype.js';
import { ArgumentError } from './errors.js';
import type { CreateOptions } from './ops/creation.js';
import { fromData } from './ops/creation.js';
import { cast, less } from './ops/elementwise.js';
import type { TensorLike } from './ops/util.js';
import { assertValidShape, sizeOf } from './shape.js';
import type { Tensor } from './tensor.js';

/**
 * Counter-based random numbers (Philox4x32-10, as in PyTorch's CUDA generator and JAX). The
 * numbers are made on the host from (seed, counter), so one seed gives the same values on every
 * backend, and a generator's state is just two integers that a checkpoint can store.
 */
const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

/** High 32 bits of the 64-bit product of two uint32 (exact in doubles by 16-bit halves). */
function mulhi(a: number, b: number): number {
  const aLo = a & 0xffff;
  const aHi = a >>> 16;
  const bLo = b & 0xffff;
  const bHi = b >>> 16;
  const cross = ((aLo * bLo) >>> 16) + (aHi * bLo & 0xffff) + aLo * bHi;
  return (aHi * bHi + ((aHi * bLo) >>> 16) + Math.floor(cross / 65536)) >>> 0;
}

/** One Philox4x32-10 block: 4 random uint32 for counter (c0..c3) under key (k0, k1). */
export function philox4x32(c: [number, number, number, number], k0: number, k1: number): Uint32Array {
  let [c0, c1, c2, c3] = c;
  for (let r = 0; r < 10; r++) {
    const hi0 = mulhi(M0, c0);
    const lo0 = Math.imul(M0, c0) >>> 0;
    const hi1 = mulhi(M1, c2);
    const lo1 = Math.imul(M1, c2) >>> 0;
    c0 = (hi1 ^ c1 ^ k0) >>> 0;
    c1 = lo1;
    c2 = (hi0 ^ c3 ^ k1) >>> 0;
    c3 = lo0;
    k0 = (k0 + W0) >>> 0;
    k1 = (k1 + W1) >>> 0;
  }
  return Uint32Array.of(c0, c1, c2, c3);
}

export interface GeneratorState {
  seed: number;
  /** Number of 128-bit blocks consumed so far. */
  offset: number;
}

export class Generator {
  private seedValue: number;
  private offset = 0;

  constructor(seed = 0) {
    this.seedValue = 0;
    this.manualSeed(seed);
  }

  manualSeed(seed: number): this {
    if (!Number.isSafeInteger(seed)) throw new ArgumentError(`manualSeed: seed must be a safe integer, got ${seed}`);
    this.seedValue = seed;
    this.offset = 0;
    return this;
  }

  get seed(): number {
    return this.seedValue;
  }

  getState(): GeneratorState {
    return { seed: this.seedValue, offset: this.offset };
  }

  setState(state: GeneratorState): void {
    this.manualSeed(state.seed);
    this.offset = state.offset;
  }

  /** `n` uniform uint32 values; advances the counter by ceil(n / 4) blocks. */
  nextUint32(n: number): Uint32Array {
    const out = new Uint32Array(n);
    const k0 = this.seedValue >>> 0;
    const k1 = Math.floor(this.seedValue / 4294967296) >>> 0;
    for (let i = 0; i < n; i += 4) {
      const block = philox4x32([this.offset >>> 0, Math.floor(this.offset / 4294967296) >>> 0, 0, 0], k0, k1);
      this.offset++;
      for (let j = 0; j < 4 && i + j < n; j++) out[i + j] = block[j];
    }
    return out;
  }

  /** `n` uniform doubles in [0, 1) with 32 random bits each (enough for float32 and initialisers). */
  nextUniform(n: number): Float64Array {
    const bits = this.nextUint32(n);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = bits[i] / 4294967296;
    return out;
  }

  /** `n` standard normal doubles by Box–Muller. */
  nextNormal(n: number): Float64Array {
    const u = this.nextUniform(n + (n % 2));
    const out = new Float64Array(n);
    for (let i = 0; i < n; i += 2) {
      const r = Math.sqrt(-2 * Math.log(1 - u[i]));
      const theta = 2 * Math.PI * u[i + 1];
      out[i] = r * Math.cos(theta);
      if (i + 1 < n) out[i + 1] = r * Math.sin(theta);
    }
    return out;
  }
}

let defaultGenerator = new Generator(0);

/** Seeds the default generator: initialisers, dropout, shuffling and augmentation all draw from it. */
export function manualSeed(seed: number): Generator {
  defaultGenerator = new Generator(seed);
  return defaultGenerator;
}

export function getDefaultGenerator(): Generator {
  return defaultGenerator;
}

export interface RandomOptions extends CreateOptions {
  generator?: Generator;
}

function floatData(op: string, shape: readonly number[], options: RandomOptions, values: (n: number) => Float64Array) {
  assertValidShape(op, shape);
  const dtype: DType = options.dtype ?? 'float32';
  if (!isFloating(dtype)) throw new ArgumentError(`${op}: dtype must be float32 or float64, got ${dtype}`);
  const data = allocArray(dtype, sizeOf(shape));
  data.set(values(data.length));
  return fromData(op, data, shape, options);
}

/** The largest float32 below 1. */
const BELOW_ONE_F32 = 1 - 2 ** -24;

/** Uniform values in [0, 1). */
export function rand(shape: readonly number[], options: RandomOptions = {}): Tensor {
  const g = options.generator ?? defaultGenerator;
  return floatData('rand', shape, options, (n) => {
    const u = g.nextUniform(n);
    // float32 would round the top 2^-25 of [0, 1) up to 1; keep the interval half-open.
    if ((options.dtype ?? 'float32') === 'float32') for (let i = 0; i < n; i++) if (u[i] > BELOW_ONE_F32) u[i] = BELOW_ONE_F32;
    return u;
  });
}

/** Standard normal values. */
export function randn(shape: readonly number[], options: RandomOptions = {}): Tensor {
  const g = options.generator ?? defaultGenerator;
  return floatData('randn', shape, options, (n) => g.nextNormal(n));
}

/** Integers uniform in [low, high), int32 by default. */
export function randint(low: number, high: number, shape: readonly number[], options: RandomOptions = {}): Tensor {
  if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low) {
    throw new ArgumentError(`randint: expected integers low < high, got (${low}, ${high})`);
  }
  assertValidShape('randint', shape);
  const g = options.generator ?? defaultGenerator;
  const u = g.nextUniform(sizeOf(shape));
  const data = allocArray(options.dtype ?? 'int32', u.length);
  for (let i = 0; i < u.length; i++) data[i] = low + Math.floor(u[i] * (high - low));
  return fromData('randint', data, shape, options);
}

/** A random permutation of 0..n-1 (int32), by Fisher–Yates. */
export function randperm(n: number, options: RandomOptions = {}): Tensor {
  if (!Number.isInteger(n) || n < 0) throw new ArgumentError(`randperm: n must be a non-negative integer, got ${n}`);
  const g = options.generator ?? defaultGenerator;
  const u = g.nextUniform(n);
  const data = new Int32Array(n);
  for (let i = 0; i < n; i++) data[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(u[i] * (i + 1));
    const t = data[i];
    data[i] = data[j];
    data[j] = t;
  }
  return fromData('randperm', data, [n], options);
}

/** 1 with probability p, else 0 (float32 by default); `p` is a number or a tensor of probabilities. */
export function bernoulli(p: TensorLike, shape?: readonly number[], options: RandomOptions = {}): Tensor {
  const probs = typeof p === 'object' ? p : undefined;
  if (typeof p === 'number' && !(p >= 0 && p <= 1)) throw new ArgumentError(`bernoulli: p must be in [0, 1], got ${p}`);
  const outShape = shape ?? probs?.shape;
  if (!outShape) throw new ArgumentError('bernoulli: give a shape when p is a number');
  const u = rand(outShape, { ...options, dtype: probs && isFloating(probs.dtype) ? probs.dtype : 'float32', backend: options.backend ?? probs?.backend, requiresGrad: false });
  return cast(less(u, p), options.dtype ?? u.dtype);
}

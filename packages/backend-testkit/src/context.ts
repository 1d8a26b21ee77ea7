import type { Backend, DType, Tensor } from '@plexus/tensor';
import { Generator, fromData, isFloating, sizeOf, toDataArray } from '@plexus/tensor';

/**
 * What a case builds its inputs with. Values are drawn on the host from a generator seeded by the
 * case's name, so the backend under test and the reference receive identical inputs.
 */
export interface CaseContext {
  readonly backend: Backend;
  /** The dtype this run of the case is about. */
  readonly dtype: DType;
  /** Typical values of `dtype` (default: the case's): standard normal floats, int32 in [−9, 9], random bools. */
  input(shape: readonly number[], dtype?: DType): Tensor;
  /** Floats uniform in [low, high); for int32, integers in [low, high). */
  uniform(shape: readonly number[], low: number, high: number, dtype?: DType): Tensor;
  /** int32 values in [low, high) (indices, counts). */
  ints(shape: readonly number[], low: number, high: number): Tensor;
  /** Random bools, true with probability `p`; both values appear once there are two elements. */
  bools(shape: readonly number[], p?: number): Tensor;
  /** Exactly these values. */
  tensor(values: readonly (number | boolean)[], shape: readonly number[], dtype?: DType): Tensor;
  /** `n` standard normal doubles from the case's generator (for building values by hand). */
  normal(n: number): Float64Array;
  /** `n` uniform doubles in [0, 1) from the case's generator. */
  random(n: number): Float64Array;
}

/** A 32-bit FNV-1a hash: each case's seed comes from its name. */
export function seedOf(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export function createContext(backend: Backend, dtype: DType, seed: number): CaseContext {
  const gen = new Generator(seed);
  const make = (values: ArrayLike<number | boolean>, shape: readonly number[], dt: DType): Tensor =>
    fromData('conformance', toDataArray(values, dt), shape, { backend });
  const uniform = (shape: readonly number[], low: number, high: number, dt: DType = dtype): Tensor => {
    const u = gen.nextUniform(sizeOf(shape));
    const v = new Float64Array(u.length);
    for (let i = 0; i < u.length; i++) {
      v[i] = isFloating(dt) ? low + (high - low) * u[i] : Math.floor(low + (high - low) * u[i]);
    }
    return make(v, shape, dt);
  };
  const bools = (shape: readonly number[], p = 0.5): Tensor => {
    const b = Array.from(gen.nextUniform(sizeOf(shape)), (x) => x < p);
    // Both values appear (from 2 elements on), so no bool case degenerates to a constant.
    if (b.length >= 2 && p > 0 && p < 1 && b.every((x) => x === b[0])) b[0] = !b[0];
    return make(b, shape, 'bool');
  };
  return {
    backend,
    dtype,
    input(shape, dt = dtype) {
      if (dt === 'bool') return bools(shape);
      if (dt === 'int32') return uniform(shape, -9, 10, 'int32');
      return make(gen.nextNormal(sizeOf(shape)), shape, dt);
    },
    uniform,
    ints: (shape, low, high) => uniform(shape, low, high, 'int32'),
    bools,
    tensor: (values, shape, dt = dtype) => make(values, shape, dt),
    normal: (n) => gen.nextNormal(n),
    random: (n) => gen.nextUniform(n),
  };
}

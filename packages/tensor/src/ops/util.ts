import type { DType } from '../dtype.js';
import { scalarDTypeFor, toDataArray } from '../dtype.js';
import { ArgumentError } from '../errors.js';
import type { Backend } from '../backend.js';
import { scopedScalar } from '../memory.js';
import { getBackend } from '../registry.js';
import { Tensor } from '../tensor.js';

/** A tensor, or a JS number/boolean that becomes a scalar tensor next to it. */
export type TensorLike = Tensor | number | boolean;

export function assertTensor(op: string, value: unknown, what = 'input'): asserts value is Tensor {
  if (!(value instanceof Tensor)) {
    throw new ArgumentError(`${op}: expected ${what} to be a Tensor, got ${value === null ? 'null' : typeof value}`);
  }
}

/** A scalar (shape []) tensor on `backend`; within a scope, one per value (see scopedScalar). */
export function scalarOn(backend: Backend, value: number | boolean, dtype: DType): Tensor {
  const make = (): Tensor => new Tensor(backend.write(toDataArray([value], dtype), [], dtype), [], dtype, backend);
  return scopedScalar(backend, `${dtype}:${Object.is(value, -0) ? '-0' : value}`, make);
}

/** Turns a TensorLike into a tensor; numbers take a dtype that suits `like`. */
export function toTensor(op: string, value: TensorLike, like?: Tensor): Tensor {
  if (value instanceof Tensor) return value;
  if (typeof value !== 'number' && typeof value !== 'boolean') {
    throw new ArgumentError(`${op}: expected a Tensor or a number, got ${value === null ? 'null' : typeof value}`);
  }
  const backend = like?.backend ?? getBackend();
  // A lone JS number becomes float32, like torch.tensor(2.0); next to a tensor it suits that tensor.
  const dtype = like ? scalarDTypeFor(value, like.dtype) : typeof value === 'boolean' ? 'bool' : 'float32';
  return scalarOn(backend, value, dtype);
}

export function checkInt(op: string, name: string, value: number, min = -Infinity): void {
  if (!Number.isInteger(value) || value < min) {
    throw new ArgumentError(`${op}: ${name} must be an integer${min > -Infinity ? ` >= ${min}` : ''}, got ${value}`);
  }
}

export function pair(op: string, name: string, v: number | readonly number[], min: number): [number, number] {
  const p: [number, number] = typeof v === 'number' ? [v, v] : [v[0], v[1]];
  if (typeof v !== 'number' && v.length !== 2) throw new ArgumentError(`${op}: ${name} must be a number or a pair, got [${v.join(',')}]`);
  checkInt(op, name, p[0], min);
  checkInt(op, name, p[1], min);
  return p;
}

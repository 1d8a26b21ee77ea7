import type { Tensor } from '@plexus/tensor';
import { ArgumentError, ShapeError, isTensor, stack, tensor } from '@plexus/tensor';

/**
 * What `defaultCollate` makes of a list of samples of type T: tensors and numbers are stacked
 * into one tensor with a new leading batch dimension, arrays and plain objects are collated
 * field by field, anything else (strings, null) is gathered into an array.
 */
export type Collated<T> = T extends Tensor
  ? Tensor
  : T extends number | boolean | Float32Array | Float64Array | Int32Array
    ? Tensor
    : T extends readonly unknown[]
      ? { -readonly [K in keyof T]: Collated<T[K]> }
      : T extends string | null | undefined
        ? T[]
        : T extends object
          ? { [K in keyof T]: Collated<T[K]> }
          : T[];

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function collate(samples: readonly unknown[], path: string): unknown {
  const first = samples[0];
  const where = path === '' ? '' : ` at ${path}`;
  if (isTensor(first)) {
    samples.forEach((s, i) => {
      if (!isTensor(s)) throw new ArgumentError(`defaultCollate: sample ${i}${where} is not a Tensor (sample 0 is)`);
      if (!sameShape(s.shape, first.shape) || s.dtype !== first.dtype) {
        throw new ShapeError(`defaultCollate: sample ${i}${where} is ${s.describe()}, expected ${first.describe()} like sample 0`);
      }
    });
    return stack(samples as Tensor[], 0);
  }
  if (typeof first === 'number' || typeof first === 'boolean') {
    const kind = typeof first;
    samples.forEach((s, i) => {
      if (typeof s !== kind) throw new ArgumentError(`defaultCollate: sample ${i}${where} is ${typeof s}, expected ${kind} like sample 0`);
    });
    // JS cannot tell 1 from 1.0, so numbers always become float32; give int32 labels as int32 tensors.
    return kind === 'boolean' ? tensor(samples as boolean[], { dtype: 'bool' }) : tensor(Float32Array.from(samples as number[]));
  }
  if (first instanceof Float32Array || first instanceof Float64Array || first instanceof Int32Array) {
    const ctor = first.constructor as Float32ArrayConstructor | Float64ArrayConstructor | Int32ArrayConstructor;
    const out = new ctor(samples.length * first.length);
    samples.forEach((s, i) => {
      if (!(s instanceof ctor) || s.length !== first.length) {
        throw new ShapeError(`defaultCollate: sample ${i}${where} is not a ${ctor.name} of length ${first.length} like sample 0`);
      }
      out.set(s, i * first.length);
    });
    return tensor(out, [samples.length, first.length]);
  }
  if (Array.isArray(first)) {
    samples.forEach((s, i) => {
      if (!Array.isArray(s) || s.length !== first.length) {
        throw new ShapeError(`defaultCollate: sample ${i}${where} is not an array of length ${first.length} like sample 0`);
      }
    });
    return first.map((_, j) => collate(samples.map((s) => (s as unknown[])[j]), `${path}[${j}]`));
  }
  if (isPlainObject(first)) {
    const keys = Object.keys(first);
    const out: Record<string, unknown> = {};
    samples.forEach((s, i) => {
      if (!isPlainObject(s) || Object.keys(s).length !== keys.length || keys.some((k) => !(k in s))) {
        throw new ArgumentError(`defaultCollate: sample ${i}${where} does not have the keys of sample 0 (${keys.join(', ')})`);
      }
    });
    for (const k of keys) out[k] = collate(samples.map((s) => (s as Record<string, unknown>)[k]), path === '' ? k : `${path}.${k}`);
    return out;
  }
  return [...samples];
}

/**
 * Turns a list of samples into a batch (PyTorch's default_collate): tensors of one shape are
 * stacked along a new first dimension, numbers become a float32 tensor, booleans a bool tensor,
 * Float32/Float64/Int32 arrays a [batch, length] tensor, arrays and plain objects are collated
 * element by element, and anything else is returned as an array.
 */
export function defaultCollate<T>(samples: readonly T[]): Collated<T> {
  if (!Array.isArray(samples) || samples.length === 0) {
    throw new ArgumentError(`defaultCollate: expected a non-empty array of samples, got ${Array.isArray(samples) ? 'an empty array' : typeof samples}`);
  }
  return collate(samples, '') as Collated<T>;
}

import type { Backend } from '../backend.js';
import type { DataArray, DType } from '../dtype.js';
import { allocArray, dtypeOfArray, isDType, toDataArray } from '../dtype.js';
import { ArgumentError, DTypeError, ShapeError } from '../errors.js';
import { getBackend } from '../registry.js';
import type { Shape } from '../shape.js';
import { assertValidShape, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';

export interface CreateOptions {
  dtype?: DType;
  requiresGrad?: boolean;
  /** The backend to create on (default: the current one). */
  backend?: Backend;
}

type Nested = number | boolean | readonly Nested[];

function checkDType(op: string, dtype: DType | undefined): void {
  if (dtype !== undefined && !isDType(dtype)) {
    throw new DTypeError(`${op}: unknown dtype '${String(dtype)}' (expected float32, float64, int32 or bool)`);
  }
}

/** Wraps host data in a tensor (the shared path of every creation function). */
export function fromData(op: string, data: DataArray, shape: Shape, options: CreateOptions = {}): Tensor {
  const backend = options.backend ?? getBackend();
  const dtype = dtypeOfArray(data);
  if (!backend.dtypes.includes(dtype)) {
    throw new DTypeError(`${op}: backend '${backend.name}' does not support ${dtype} (it supports ${backend.dtypes.join(', ')})`);
  }
  const t = new Tensor(backend.write(data, shape, dtype), shape, dtype, backend);
  if (options.requiresGrad) t.requiresGrad = true;
  return t;
}

function inferNested(op: string, value: Nested): { shape: number[]; flat: (number | boolean)[] } {
  const shape: number[] = [];
  let probe: Nested = value;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    probe = probe[0] as Nested;
    if (probe === undefined) break;
  }
  const flat: (number | boolean)[] = [];
  const walk = (v: Nested, depth: number): void => {
    if (depth === shape.length) {
      if (typeof v !== 'number' && typeof v !== 'boolean') {
        throw new ShapeError(`${op}: ragged nested array: expected a number at depth ${depth}, got ${Array.isArray(v) ? 'an array' : typeof v}`);
      }
      flat.push(v);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) {
      throw new ShapeError(`${op}: ragged nested array: expected length ${shape[depth]} at depth ${depth}, got ${Array.isArray(v) ? v.length : typeof v}`);
    }
    for (const x of v) walk(x, depth + 1);
  };
  walk(value, 0);
  return { shape, flat };
}

/**
 * A tensor from nested arrays, a flat typed array or array with `shape`, or a number.
 * dtype defaults to float32 for numbers, bool for booleans, and the typed array's own type.
 */
export function tensor(
  values: Nested | DataArray | readonly number[],
  shapeOrOptions?: readonly number[] | CreateOptions,
  maybeOptions: CreateOptions = {},
): Tensor {
  const options = Array.isArray(shapeOrOptions) || ArrayBuffer.isView(shapeOrOptions) ? maybeOptions : ((shapeOrOptions as CreateOptions | undefined) ?? {});
  const explicitShape = Array.isArray(shapeOrOptions) ? (shapeOrOptions as number[]) : undefined;
  checkDType('tensor', options.dtype);
  let flat: ArrayLike<number | boolean>;
  let shape: number[];
  if (ArrayBuffer.isView(values)) {
    flat = values as DataArray;
    shape = explicitShape ?? [flat.length];
  } else {
    const inferred = inferNested('tensor', values as Nested);
    flat = inferred.flat;
    shape = explicitShape ?? inferred.shape;
  }
  assertValidShape('tensor', shape);
  if (sizeOf(shape) !== flat.length) {
    throw new ShapeError(`tensor: ${flat.length} values do not fill shape [${shape.join(',')}] (${sizeOf(shape)} elements)`);
  }
  const dtype: DType =
    options.dtype ??
    (ArrayBuffer.isView(values) ? dtypeOfArray(values as DataArray) : typeof flat[0] === 'boolean' ? 'bool' : 'float32');
  return fromData('tensor', toDataArray(flat, dtype), shape, options);
}

/** A 0-d tensor. */
export function scalar(value: number | boolean, options: CreateOptions = {}): Tensor {
  return tensor(value, [], options);
}

export function full(shape: readonly number[], value: number | boolean, options: CreateOptions = {}): Tensor {
  assertValidShape('full', shape);
  checkDType('full', options.dtype);
  const dtype = options.dtype ?? (typeof value === 'boolean' ? 'bool' : 'float32');
  const data = allocArray(dtype, sizeOf(shape));
  const v = dtype === 'bool' ? (value ? 1 : 0) : dtype === 'int32' ? Math.trunc(Number(value)) : Number(value);
  if (v !== 0) data.fill(v);
  return fromData('full', data, shape, options);
}

export const zeros = (shape: readonly number[], options: CreateOptions = {}): Tensor => full(shape, 0, options);
export const ones = (shape: readonly number[], options: CreateOptions = {}): Tensor => full(shape, 1, options);

function likeOptions(x: Tensor, options: CreateOptions): CreateOptions {
  return { dtype: x.dtype, backend: x.backend, ...options };
}
export const zerosLike = (x: Tensor, options: CreateOptions = {}): Tensor => full(x.shape, 0, likeOptions(x, options));
export const onesLike = (x: Tensor, options: CreateOptions = {}): Tensor => full(x.shape, 1, likeOptions(x, options));
export const fullLike = (x: Tensor, value: number, options: CreateOptions = {}): Tensor => full(x.shape, value, likeOptions(x, options));

/**
 * Values from start (inclusive) to end (exclusive) by step, like torch.arange. One argument is the
 * end. dtype is int32 when all arguments are integers, else float32.
 */
export function arange(start: number, end?: number, step = 1, options: CreateOptions = {}): Tensor {
  if (end === undefined) [start, end] = [0, start];
  if (![start, end, step].every(Number.isFinite) || step === 0) {
    throw new ArgumentError(`arange: start, end and step must be finite and step non-zero, got (${start}, ${end}, ${step})`);
  }
  const n = Math.max(0, Math.ceil((end - start) / step));
  const dtype = options.dtype ?? ([start, end, step].every(Number.isInteger) ? 'int32' : 'float32');
  const data = allocArray(dtype, n);
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  return fromData('arange', data, [n], options);
}

/** `steps` evenly spaced values from start to end inclusive. */
export function linspace(start: number, end: number, steps: number, options: CreateOptions = {}): Tensor {
  if (!Number.isInteger(steps) || steps < 0) throw new ArgumentError(`linspace: steps must be a non-negative integer, got ${steps}`);
  const dtype = options.dtype ?? 'float32';
  const data = allocArray(dtype, steps);
  const delta = steps > 1 ? (end - start) / (steps - 1) : 0;
  for (let i = 0; i < steps; i++) data[i] = i === steps - 1 && steps > 1 ? end : start + i * delta;
  return fromData('linspace', data, [steps], options);
}

/** Identity matrix of n rows and m (default n) columns. */
export function eye(n: number, m = n, options: CreateOptions = {}): Tensor {
  if (!Number.isInteger(n) || !Number.isInteger(m) || n < 0 || m < 0) {
    throw new ArgumentError(`eye: sizes must be non-negative integers, got (${n}, ${m})`);
  }
  const data = allocArray(options.dtype ?? 'float32', n * m);
  for (let i = 0; i < Math.min(n, m); i++) data[i * m + i] = 1;
  return fromData('eye', data, [n, m], options);
}

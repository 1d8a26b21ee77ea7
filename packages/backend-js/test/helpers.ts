import { stridesOf, toDataArray } from '@plexus/tensor';
import type { DataArray, DType, PrimitiveAttrs, PrimitiveName, Shape, TensorInfo } from '@plexus/tensor';
import { JsBackend } from '../src/backend.js';

/** Unit tests drive the backend directly, the way `@plexus/tensor`'s dispatch does. */
export const backend = new JsBackend();

export function t(values: ArrayLike<number | boolean>, shape: Shape, dtype: DType = 'float32'): TensorInfo {
  return { dataId: backend.write(toDataArray(values, dtype), shape, dtype), shape, dtype };
}

/** Runs one primitive and returns the output tensor info. */
export function runInfo<K extends PrimitiveName>(
  op: K, inputs: readonly TensorInfo[], attrs: PrimitiveAttrs[K], shape: Shape, dtype: DType,
): TensorInfo {
  const dataId = backend.primitives[op](inputs, attrs, { shape, dtype });
  return { dataId, shape, dtype };
}

/** Runs one primitive and reads its result as a plain array. */
export function run<K extends PrimitiveName>(
  op: K, inputs: readonly TensorInfo[], attrs: PrimitiveAttrs[K], shape: Shape, dtype: DType,
): number[] {
  return Array.from(backend.readSync(runInfo(op, inputs, attrs, shape, dtype)));
}

export function read(info: TensorInfo): DataArray {
  return backend.readSync(info);
}

/** Deterministic pseudo-random values in [-1, 1) (a tiny LCG: tests must not depend on Math.random). */
export function randomValues(n: number, seed = 1): number[] {
  let s = seed >>> 0;
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** Row-major multi-index of flat position `p`. */
export function unravel(p: number, shape: Shape): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = p % shape[d];
    p = Math.floor(p / shape[d]);
  }
  return idx;
}

export function ravel(idx: readonly number[], shape: Shape): number {
  const s = stridesOf(shape);
  return idx.reduce((acc, i, d) => acc + i * s[d], 0);
}

export function sizeOfShape(shape: Shape): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Rounds like a float32 store. */
export const f32 = Math.fround;

import type { DataArray, Shape } from '@plexus/tensor';
import { broadcastStrides } from './strided.js';
import { gemmPacked, gemmScratch } from './gemm.js';

/**
 * Batched matmul: a [...ba, m, k] @ b [...bb, k, n] -> out [...batch, m, n], batch dims
 * broadcast. Floats go through the packed kernel (gemm.ts) unless the problem is tiny or thin,
 * where packing costs more than it saves; int32 and bool use the plain loops with int32 wrap.
 */

/** Below this many multiply-adds, or with m or n under 4, the plain loops win. */
const PACKED_MIN_WORK = 32 * 32 * 32;

export function matmul(
  a: DataArray, aShape: Shape,
  b: DataArray, bShape: Shape,
  out: DataArray, outShape: Shape,
): void {
  const rank = outShape.length;
  const m = outShape[rank - 2];
  const n = outShape[rank - 1];
  const k = aShape[aShape.length - 1];
  if (out.length === 0 || k === 0) return; // a fresh output is already zero
  const batchShape = outShape.slice(0, rank - 2);
  let batches = out.length / (m * n);
  const aStrides = broadcastStrides(aShape.slice(0, -2), batchShape).map((s) => s * m * k);
  const bStrides = broadcastStrides(bShape.slice(0, -2), batchShape).map((s) => s * k * n);

  // Shared B (no batch dims of its own) and an unbroadcast A: stack the batches into one tall
  // product, [batches·m, k] @ [k, n], which packs B once.
  let rows = m;
  if (bStrides.every((s) => s === 0) && sizeOfShape(aShape) === batches * m * k) {
    rows = batches * m;
    batches = 1;
  }

  const offsets = batchOffsets(batches, batchShape, aStrides, bStrides);
  const size = rows * n;

  if (out instanceof Int32Array || out instanceof Uint8Array) {
    const acc = new Int32Array(size);
    for (const [t, aOff, bOff] of offsets) {
      acc.fill(0);
      gemmInt(a, aOff, b, bOff, acc, rows, k, n);
      // int32 stores wrap; bool is "any product was true".
      if (out instanceof Int32Array) out.set(acc, t * size);
      else for (let i = 0; i < size; i++) out[t * size + i] = acc[i] !== 0 ? 1 : 0;
    }
    return;
  }

  const fa = a as FloatArray;
  const fb = b as FloatArray;
  const packed = rows >= 4 && n >= 4 && rows * n * k >= PACKED_MIN_WORK;
  const scratch = packed ? gemmScratch(rows, k, n) : undefined;
  // float64 outputs accumulate in place; float32 ones through a double accumulator.
  const acc = out instanceof Float64Array ? undefined : new Float64Array(size);
  for (const [t, aOff, bOff] of offsets) {
    const c = acc ?? (out as Float64Array);
    const cOff = acc ? 0 : t * size;
    if (acc) acc.fill(0);
    if (scratch) gemmPacked(fa, aOff, fb, bOff, c, cOff, rows, k, n, scratch);
    else gemmSimple(fa, aOff, fb, bOff, c, cOff, rows, k, n);
    if (acc) out.set(acc, t * size);
  }
}

type FloatArray = Float32Array | Float64Array;

/** [batch index, offset into a, offset into b] per output batch. */
function batchOffsets(
  batches: number, batchShape: Shape, aStrides: readonly number[], bStrides: readonly number[],
): [number, number, number][] {
  const list: [number, number, number][] = [];
  for (let t = 0; t < batches; t++) {
    let aOff = 0;
    let bOff = 0;
    let rest = t;
    for (let d = batchShape.length - 1; d >= 0; d--) {
      const i = rest % batchShape[d];
      rest = (rest - i) / batchShape[d];
      aOff += i * aStrides[d];
      bOff += i * bStrides[d];
    }
    list.push([t, aOff, bOff]);
  }
  return list;
}

function sizeOfShape(shape: Shape): number {
  let s = 1;
  for (const d of shape) s *= d;
  return s;
}

/** Small or thin float products: row-times-matrix (i-p-j) or, for n < 4, dot products. */
function gemmSimple(a: FloatArray, aOff: number, b: FloatArray, bOff: number, c: Float64Array, cOff: number, m: number, k: number, n: number): void {
  if (n < 4) {
    for (let i = 0; i < m; i++) {
      const ar = aOff + i * k;
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += a[ar + p] * b[bOff + p * n + j];
        c[cOff + i * n + j] += s;
      }
    }
    return;
  }
  for (let i = 0; i < m; i++) {
    const cr = cOff + i * n;
    for (let p = 0; p < k; p++) {
      const s = a[aOff + i * k + p];
      const br = bOff + p * n;
      for (let j = 0; j < n; j++) c[cr + j] += s * b[br + j];
    }
  }
}

/** int32 (and bool, as 0/1) products with two's-complement wrap: Math.imul, then a wrapping store.
 * Skipping zero rows is safe here: integers have no NaN or infinity to propagate. */
function gemmInt(a: DataArray, aOff: number, b: DataArray, bOff: number, c: Int32Array, m: number, k: number, n: number): void {
  for (let i = 0; i < m; i++) {
    const cr = i * n;
    for (let p = 0; p < k; p++) {
      const s = a[aOff + i * k + p];
      if (s === 0) continue;
      const br = bOff + p * n;
      for (let j = 0; j < n; j++) c[cr + j] += Math.imul(s, b[br + j]);
    }
  }
}

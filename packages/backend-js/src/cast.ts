import type { DataArray, DType } from '@plexus/tensor';

/**
 * Converts `x` into `out` (of `dtype`). The typed-array stores already do most of the work:
 * Float32Array rounds to nearest, Int32Array truncates toward zero (NaN and ±∞ become 0, and
 * values beyond int32 wrap, which PyTorch leaves undefined). Only bool needs `x != 0` by hand,
 * where NaN, being unequal to 0, is true.
 */
export function castInto(x: DataArray, out: DataArray, dtype: DType): void {
  const n = x.length;
  if (dtype === 'bool') {
    for (let i = 0; i < n; i++) out[i] = x[i] !== 0 ? 1 : 0;
    return;
  }
  out.set(x);
}

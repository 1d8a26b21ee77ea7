import { ArgumentError, PlexusError } from '@plexus/tensor';

/**
 * Cholesky factor L (lower triangular, row-major n×n) of a symmetric positive definite matrix A,
 * A = L·Lᵀ. Throws naming the pivot when A is not positive definite.
 */
export function cholesky(a: Float64Array, n: number): Float64Array {
  if (a.length !== n * n) throw new ArgumentError(`cholesky: expected ${n}×${n} = ${n * n} values, got ${a.length}`);
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let s = a[j * n + j];
    for (let k = 0; k < j; k++) s -= l[j * n + k] * l[j * n + k];
    if (!(s > 0)) {
      throw new PlexusError(`cholesky: the matrix is not positive definite (pivot ${j} is ${s}); add ridge regularisation (λ > 0) or use fewer centres`);
    }
    const d = Math.sqrt(s);
    l[j * n + j] = d;
    for (let i = j + 1; i < n; i++) {
      let t = a[i * n + j];
      for (let k = 0; k < j; k++) t -= l[i * n + k] * l[j * n + k];
      l[i * n + j] = t / d;
    }
  }
  return l;
}

/** Solves A·X = B for X (n×m, row-major) given A's Cholesky factor, by two triangular solves. */
export function choleskySolve(l: Float64Array, n: number, b: Float64Array, m: number): Float64Array {
  if (b.length !== n * m) throw new ArgumentError(`choleskySolve: expected ${n}×${m} right-hand sides, got ${b.length} values`);
  const y = Float64Array.from(b);
  // L·Y = B
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < m; c++) {
      let s = y[i * m + c];
      for (let k = 0; k < i; k++) s -= l[i * n + k] * y[k * m + c];
      y[i * m + c] = s / l[i * n + i];
    }
  }
  // Lᵀ·X = Y
  for (let i = n - 1; i >= 0; i--) {
    for (let c = 0; c < m; c++) {
      let s = y[i * m + c];
      for (let k = i + 1; k < n; k++) s -= l[k * n + i] * y[k * m + c];
      y[i * m + c] = s / l[i * n + i];
    }
  }
  return y;
}

/**
 * Ridge regression on the host in float64: W = (ΦᵀΦ + λ·P)⁻¹ Φᵀ Y by Cholesky, Φ [N, p]
 * row-major, Y [N, m]; P is the identity except that columns listed in `unpenalized` (a bias
 * column) get no penalty. Returns W as [p, m].
 */
export function ridgeSolve(phi: Float64Array, n: number, p: number, y: Float64Array, m: number, lambda: number, unpenalized: readonly number[] = []): Float64Array {
  if (!(lambda >= 0 && Number.isFinite(lambda))) throw new ArgumentError(`ridgeSolve: λ must be a finite number >= 0, got ${lambda}`);
  if (phi.length !== n * p || y.length !== n * m) throw new ArgumentError(`ridgeSolve: expected Φ of ${n}×${p} and Y of ${n}×${m} values, got ${phi.length} and ${y.length}`);
  const a = new Float64Array(p * p);
  const b = new Float64Array(p * m);
  for (let r = 0; r < n; r++) {
    const row = r * p;
    for (let i = 0; i < p; i++) {
      const v = phi[row + i];
      if (v === 0) continue;
      for (let j = 0; j <= i; j++) a[i * p + j] += v * phi[row + j];
      for (let c = 0; c < m; c++) b[i * m + c] += v * y[r * m + c];
    }
  }
  const free = new Set(unpenalized);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < i; j++) a[j * p + i] = a[i * p + j];
    if (!free.has(i)) a[i * p + i] += lambda;
  }
  return choleskySolve(cholesky(a, p), p, b, m);
}

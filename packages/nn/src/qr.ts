// Host linear algebra for orthogonal_ (float64, no tensors involved).

/**
 * Householder QR of an m×n row-major matrix (m >= n), in float64: the thin Q (m×n) and the
 * diagonal of R.
 */
export function householderQR(a: Float64Array, m: number, n: number): { q: Float64Array; rDiag: Float64Array } {
  const r = Float64Array.from(a);
  const reflectors: (Float64Array | null)[] = [];
  const rDiag = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let norm = 0;
    for (let i = k; i < m; i++) norm += r[i * n + k] ** 2;
    norm = Math.sqrt(norm);
    // Reflect onto −sign(x₀)·|x|·e₀, which avoids cancellation in v = x − alpha·e₀.
    const alpha = r[k * n + k] >= 0 ? -norm : norm;
    const v = new Float64Array(m - k);
    for (let i = k; i < m; i++) v[i - k] = r[i * n + k];
    v[0] -= alpha;
    let vNorm = 0;
    for (let i = 0; i < v.length; i++) vNorm += v[i] * v[i];
    vNorm = Math.sqrt(vNorm);
    if (vNorm === 0) {
      reflectors.push(null);
      rDiag[k] = r[k * n + k];
      continue;
    }
    for (let i = 0; i < v.length; i++) v[i] /= vNorm;
    for (let j = k; j < n; j++) {
      let s = 0;
      for (let i = 0; i < v.length; i++) s += v[i] * r[(k + i) * n + j];
      for (let i = 0; i < v.length; i++) r[(k + i) * n + j] -= 2 * v[i] * s;
    }
    reflectors.push(v);
    rDiag[k] = r[k * n + k];
  }
  // Q = H₀·H₁·…·Hₙ₋₁ applied to the first n columns of the identity.
  const q = new Float64Array(m * n);
  for (let i = 0; i < n; i++) q[i * n + i] = 1;
  for (let k = n - 1; k >= 0; k--) {
    const v = reflectors[k];
    if (!v) continue;
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let i = 0; i < v.length; i++) s += v[i] * q[(k + i) * n + j];
      for (let i = 0; i < v.length; i++) q[(k + i) * n + j] -= 2 * v[i] * s;
    }
  }
  return { q, rDiag };
}

import type { DataArray, DType, UnaryOp } from '@plexus/tensor';
import { erf } from './erf.js';

/**
 * Elementwise unary math. Inputs and output share a shape (no broadcasting) and a dtype; the
 * scalar functions run in double and the typed-array store rounds (float32) or wraps (int32,
 * so neg/abs of −2³¹ give −2³¹ as in two's complement).
 */

/** sigmoid that never overflows: exp is only taken of a non-positive number. */
function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** Round half to even (NumPy/PyTorch), keeping the sign of zero. */
function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  let r: number;
  if (d > 0.5) r = f + 1;
  else if (d < 0.5) r = f;
  else r = f % 2 === 0 ? f : f + 1;
  return r === 0 && (x < 0 || Object.is(x, -0)) ? -0 : r;
}

/** sign with sign(0) = 0 and sign(NaN) = NaN. */
function sign(x: number): number {
  return x > 0 ? 1 : x < 0 ? -1 : x;
}

const FUNCTIONS: { readonly [K in UnaryOp]: (x: number) => number } = {
  neg: (x) => -x,
  abs: Math.abs,
  sign,
  exp: Math.exp,
  log: Math.log,
  log1p: Math.log1p,
  expm1: Math.expm1,
  sqrt: Math.sqrt,
  rsqrt: (x) => 1 / Math.sqrt(x),
  sin: Math.sin,
  cos: Math.cos,
  tanh: Math.tanh,
  sigmoid,
  erf,
  floor: Math.floor,
  ceil: Math.ceil,
  round: roundHalfEven,
};

/** out[i] = op(x[i]). */
export function unary(op: UnaryOp, x: DataArray, out: DataArray, dtype: DType): void {
  const n = x.length;
  if (dtype === 'bool') {
    // Only neg/abs/sign are meant for bool; the result of each is still "x != 0".
    const f = FUNCTIONS[op];
    for (let i = 0; i < n; i++) out[i] = f(x[i]) !== 0 ? 1 : 0;
    return;
  }
  // The cheapest ops get their own loops: a call per element would dominate them.
  switch (op) {
    case 'neg':
      for (let i = 0; i < n; i++) out[i] = -x[i];
      return;
    case 'abs':
      for (let i = 0; i < n; i++) out[i] = Math.abs(x[i]);
      return;
    case 'sqrt':
      for (let i = 0; i < n; i++) out[i] = Math.sqrt(x[i]);
      return;
    case 'exp':
      for (let i = 0; i < n; i++) out[i] = Math.exp(x[i]);
      return;
    case 'log':
      for (let i = 0; i < n; i++) out[i] = Math.log(x[i]);
      return;
    default: {
      const f = FUNCTIONS[op];
      for (let i = 0; i < n; i++) out[i] = f(x[i]);
    }
  }
}

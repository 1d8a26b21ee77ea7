import type { BinaryOp, CompareOp, DType, UnaryOp } from '@plexus/tensor';
import type { Tfjs, TfTensor } from './tfjs.js';

/**
 * Elementwise primitives on tf tensors. Where a TensorFlow.js op differs from the primitive's
 * contract (see @plexus/tensor's primitives.ts), a few more tf ops fix it up; each fix says
 * which case it covers. Everything here runs inside the caller's tf.tidy.
 */

function floatUnary(tf: Tfjs, op: UnaryOp, x: TfTensor): TfTensor {
  switch (op) {
    case 'neg': return tf.neg(x);
    case 'abs': return tf.abs(x);
    // tf.sign(NaN) is 0 and tf.sign(−0) is +0; the contract returns x itself for both (and +0).
    case 'sign': return tf.where(tf.logicalOr(tf.isNaN(x), tf.equal(x, 0)), x, tf.sign(x));
    case 'exp': return tf.exp(x);
    case 'log': return tf.log(x);
    case 'log1p': return tf.log1p(x);
    case 'expm1': return tf.expm1(x);
    case 'sqrt': return tf.sqrt(x);
    case 'rsqrt': return tf.rsqrt(x);
    case 'sin': return tf.sin(x);
    case 'cos': return tf.cos(x);
    case 'tanh': return tf.tanh(x);
    case 'sigmoid': return tf.sigmoid(x);
    case 'erf': return tf.erf(x);
    case 'floor': return tf.floor(x);
    case 'ceil': return tf.ceil(x);
    // tf.round already rounds half to even, as the contract asks.
    case 'round': return tf.round(x);
  }
}

const INTEGER_UNARY = new Set<UnaryOp>(['neg', 'abs', 'sign']);

export function unary(tf: Tfjs, op: UnaryOp, x: TfTensor, dtype: DType): TfTensor {
  if (dtype === 'bool') {
    // neg/abs/sign keep "x != 0"; any other op is computed on 0/1 and stored as "!= 0".
    if (INTEGER_UNARY.has(op)) return tf.clone(x);
    return tf.notEqual(floatUnary(tf, op, tf.cast(x, 'float32')), 0);
  }
  // int32 neg/abs/sign stay integer (wrapping at −2³¹); float-only ops on int32 go via float32.
  if (dtype === 'int32' && !INTEGER_UNARY.has(op)) return floatUnary(tf, op, tf.cast(x, 'float32'));
  return floatUnary(tf, op, x);
}

const int = (tf: Tfjs, v: number): TfTensor => tf.scalar(v, 'int32');

/**
 * a·b mod 2³² for int32. TensorFlow.js's CPU kernels multiply in double and then store, which
 * stops being exact past 2⁵³; splitting a into 16-bit halves keeps every product below 2⁴⁷, so
 * each store wraps exactly. (Builds with native int32 arithmetic give the same result.)
 */
export function mulInt32(tf: Tfjs, a: TfTensor, b: TfTensor): TfTensor {
  const base = int(tf, 65536);
  const hi = tf.floorDiv(a, base);
  const lo = tf.sub(a, tf.mul(hi, base)); // in [0, 65535]
  return tf.add(tf.mul(lo, b), tf.mul(tf.mul(hi, b), base));
}

/** Truncating int32 division with x / 0 = 0. tf.div and tf.floorDiv floor, and some builds throw on 0. */
function divInt32(tf: Tfjs, a: TfTensor, b: TfTensor): TfTensor {
  const zero = tf.equal(b, 0);
  const safe = tf.where(zero, int(tf, 1), b);
  const q = tf.floorDiv(a, safe);
  const inexact = tf.notEqual(tf.sub(a, tf.mul(q, safe)), 0);
  const signsDiffer = tf.notEqual(tf.less(a, 0), tf.less(safe, 0));
  const truncated = tf.where(tf.logicalAnd(inexact, signsDiffer), tf.add(q, int(tf, 1)), q);
  return tf.where(zero, int(tf, 0), truncated);
}

/**
 * Integer power. A negative exponent gives the truncated real power: 1 for base 1, ±1 for base
 * −1, else 0 (TensorFlow's own int32 Pow refuses negative exponents, so they never reach it).
 */
function powInt32(tf: Tfjs, a: TfTensor, b: TfTensor): TfTensor {
  const negative = tf.less(b, 0);
  const p = tf.pow(a, tf.where(negative, int(tf, 0), b));
  const odd = tf.sub(b, tf.mul(tf.floorDiv(b, int(tf, 2)), int(tf, 2))); // 0 or 1, also for b < 0
  const minusOne = tf.sub(int(tf, 1), tf.mul(odd, int(tf, 2))); // (−1)^b
  const special = tf.where(tf.equal(a, 1), int(tf, 1), tf.where(tf.equal(a, -1), minusOne, int(tf, 0)));
  return tf.where(negative, special, p);
}

/** C99 pow: pow(1, y) = 1 and pow(−1, ±∞) = 1, where tf.pow (Math.pow) gives NaN. */
function powFloat(tf: Tfjs, a: TfTensor, b: TfTensor): TfTensor {
  const one = tf.logicalOr(tf.equal(a, 1), tf.logicalAnd(tf.equal(a, -1), tf.isInf(b)));
  return tf.where(one, tf.scalar(1), tf.pow(a, b));
}

/** maximum/minimum propagating NaN from either side (builds differ on this; the contract does not). */
function extremeFloat(tf: Tfjs, f: (a: TfTensor, b: TfTensor) => TfTensor, a: TfTensor, b: TfTensor): TfTensor {
  return tf.where(tf.logicalOr(tf.isNaN(a), tf.isNaN(b)), tf.add(a, b), f(a, b));
}

export function binary(tf: Tfjs, op: BinaryOp, a: TfTensor, b: TfTensor, dtype: DType): TfTensor {
  if (dtype === 'bool') {
    // The frontend promotes bool arithmetic to int32; these keep the reference's logic anyway.
    switch (op) {
      case 'add': case 'maximum': return tf.logicalOr(a, b);
      case 'sub': return tf.logicalXor(a, b);
      case 'mul': case 'div': case 'minimum': return tf.logicalAnd(a, b);
      case 'pow': return tf.logicalOr(a, tf.logicalNot(b));
    }
  }
  const isInt = dtype === 'int32';
  switch (op) {
    case 'add': return tf.add(a, b);
    case 'sub': return tf.sub(a, b);
    case 'mul': return isInt ? mulInt32(tf, a, b) : tf.mul(a, b);
    case 'div': return isInt ? divInt32(tf, a, b) : tf.div(a, b);
    case 'pow': return isInt ? powInt32(tf, a, b) : powFloat(tf, a, b);
    case 'maximum': return isInt ? tf.maximum(a, b) : extremeFloat(tf, tf.maximum, a, b);
    case 'minimum': return isInt ? tf.minimum(a, b) : extremeFloat(tf, tf.minimum, a, b);
  }
}

export function compare(tf: Tfjs, op: CompareOp, a: TfTensor, b: TfTensor): TfTensor {
  switch (op) {
    case 'equal': return tf.equal(a, b);
    case 'notEqual': return tf.notEqual(a, b);
    case 'less': return tf.less(a, b);
    case 'lessEqual': return tf.lessEqual(a, b);
    case 'greater': return tf.greater(a, b);
    case 'greaterEqual': return tf.greaterEqual(a, b);
  }
}

/** Float to int truncates toward zero (tf.cast does); anything to bool is x != 0, NaN included. */
export function cast(tf: Tfjs, x: TfTensor, from: DType, to: DType): TfTensor {
  if (from === to) return tf.clone(x);
  if (to === 'bool') return tf.notEqual(x, 0);
  return tf.cast(x, to === 'int32' ? 'int32' : 'float32');
}

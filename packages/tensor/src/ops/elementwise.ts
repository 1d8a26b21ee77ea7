import type { DType } from '../dtype.js';
import { isDType, isFloating, promoteTypes } from '../dtype.js';
import { DTypeError } from '../errors.js';
import { runPrimitive } from '../dispatch.js';
import type { BinaryOp, CompareOp, UnaryOp } from '../primitives.js';
import { broadcastShapes } from '../shape.js';
import type { Tensor } from '../tensor.js';
import type { TensorLike } from './util.js';
import { assertTensor, scalarOn, toTensor } from './util.js';

export function cast(x: Tensor, dtype: DType): Tensor {
  assertTensor('cast', x);
  if (!isDType(dtype)) throw new DTypeError(`cast: unknown dtype '${String(dtype)}' (expected float32, float64, int32 or bool)`);
  if (x.dtype === dtype) return x;
  return runPrimitive('cast', [x], { dtype }, { shape: x.shape, dtype });
}

/** Ops that are only defined on floats: integer and bool inputs are promoted to float32. */
const FLOAT_ONLY = new Set<UnaryOp>([
  'exp', 'log', 'log1p', 'expm1', 'sqrt', 'rsqrt', 'sin', 'cos', 'tanh', 'sigmoid', 'erf',
]);
const ROUNDING = new Set<UnaryOp>(['floor', 'ceil', 'round']);

function unary(op: UnaryOp, x: Tensor): Tensor {
  assertTensor(op, x);
  let input = x;
  if (FLOAT_ONLY.has(op) && !isFloating(x.dtype)) input = cast(x, 'float32');
  else if (x.dtype === 'bool') input = cast(x, 'int32');
  if (ROUNDING.has(op) && !isFloating(input.dtype)) return input;
  return runPrimitive(op, [input], {}, { shape: input.shape, dtype: input.dtype });
}

export const neg = (x: Tensor): Tensor => unary('neg', x);
export const abs = (x: Tensor): Tensor => unary('abs', x);
export const sign = (x: Tensor): Tensor => unary('sign', x);
export const exp = (x: Tensor): Tensor => unary('exp', x);
export const log = (x: Tensor): Tensor => unary('log', x);
export const log1p = (x: Tensor): Tensor => unary('log1p', x);
export const expm1 = (x: Tensor): Tensor => unary('expm1', x);
export const sqrt = (x: Tensor): Tensor => unary('sqrt', x);
export const rsqrt = (x: Tensor): Tensor => unary('rsqrt', x);
export const sin = (x: Tensor): Tensor => unary('sin', x);
export const cos = (x: Tensor): Tensor => unary('cos', x);
export const tanh = (x: Tensor): Tensor => unary('tanh', x);
export const sigmoid = (x: Tensor): Tensor => unary('sigmoid', x);
export const erf = (x: Tensor): Tensor => unary('erf', x);
export const floor = (x: Tensor): Tensor => unary('floor', x);
export const ceil = (x: Tensor): Tensor => unary('ceil', x);
export const round = (x: Tensor): Tensor => unary('round', x);

/** Converts both operands to tensors of one promoted dtype (numbers take a dtype that suits the tensor). */
export function promote(op: string, a: TensorLike, b: TensorLike, minDType?: DType, ref?: Tensor): [Tensor, Tensor, DType] {
  const like = typeof a === 'object' ? a : typeof b === 'object' ? b : ref;
  const x = toTensor(op, a, like);
  const y = toTensor(op, b, like ?? x);
  let dtype = promoteTypes(x.dtype, y.dtype);
  if (minDType) dtype = promoteTypes(dtype, minDType);
  return [cast(x, dtype), cast(y, dtype), dtype];
}

function binary(op: BinaryOp, a: TensorLike, b: TensorLike): Tensor {
  // Arithmetic on bool works on 0/1 integers; true division of integers gives floats, as in PyTorch.
  const [x, y, dtype] = promote(op, a, b, op === 'div' ? 'float32' : 'int32');
  const shape = broadcastShapes(op, x.shape, y.shape);
  return runPrimitive(op, [x, y], {}, { shape, dtype });
}

export const add = (a: TensorLike, b: TensorLike): Tensor => binary('add', a, b);
export const sub = (a: TensorLike, b: TensorLike): Tensor => binary('sub', a, b);
export const mul = (a: TensorLike, b: TensorLike): Tensor => binary('mul', a, b);
export const div = (a: TensorLike, b: TensorLike): Tensor => binary('div', a, b);
export const pow = (a: TensorLike, b: TensorLike): Tensor => binary('pow', a, b);
export const maximum = (a: TensorLike, b: TensorLike): Tensor => binary('maximum', a, b);
export const minimum = (a: TensorLike, b: TensorLike): Tensor => binary('minimum', a, b);

export const square = (x: Tensor): Tensor => mul(x, x);
export const reciprocal = (x: Tensor): Tensor => div(1, x);

function compare(op: CompareOp, a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = promote(op, a, b);
  const shape = broadcastShapes(op, x.shape, y.shape);
  return runPrimitive(op, [x, y], {}, { shape, dtype: 'bool' });
}

export const equal = (a: TensorLike, b: TensorLike): Tensor => compare('equal', a, b);
export const notEqual = (a: TensorLike, b: TensorLike): Tensor => compare('notEqual', a, b);
export const less = (a: TensorLike, b: TensorLike): Tensor => compare('less', a, b);
export const lessEqual = (a: TensorLike, b: TensorLike): Tensor => compare('lessEqual', a, b);
export const greater = (a: TensorLike, b: TensorLike): Tensor => compare('greater', a, b);
export const greaterEqual = (a: TensorLike, b: TensorLike): Tensor => compare('greaterEqual', a, b);

/** Elementwise choice: `cond ? a : b`, broadcasting all three. */
export function where(cond: TensorLike, a: TensorLike, b: TensorLike): Tensor {
  const ref = [cond, a, b].find((v): v is Tensor => typeof v === 'object');
  const c = cast(toTensor('where', cond, ref), 'bool');
  // cond never decides the value dtype: a bool cond with number branches gives float32.
  // (Numbers are lifted here, on cond's backend, so that cond's dtype is not their reference.)
  const lift = (v: TensorLike): Tensor => (typeof v === 'object' ? v : scalarOn(c.backend, v, typeof v === 'boolean' ? 'bool' : 'float32'));
  const [x, y, dtype] = typeof a === 'object' || typeof b === 'object' ? promote('where', a, b) : promote('where', lift(a), lift(b));
  const shape = broadcastShapes('where', c.shape, x.shape, y.shape);
  return runPrimitive('where', [c, x, y], {}, { shape, dtype });
}

export const logicalNot = (x: Tensor): Tensor => equal(cast(x, 'bool'), false);
export const logicalAnd = (a: TensorLike, b: TensorLike): Tensor => where(a, cast(toTensor('logicalAnd', b, typeof a === 'object' ? a : undefined), 'bool'), false);
export const logicalOr = (a: TensorLike, b: TensorLike): Tensor => where(a, true, cast(toTensor('logicalOr', b, typeof a === 'object' ? a : undefined), 'bool'));
export const isNaN = (x: Tensor): Tensor => notEqual(x, x);
/** True where x is neither infinite nor NaN (x - x is 0 exactly then). */
export const isFinite = (x: Tensor): Tensor => (isFloating(x.dtype) ? equal(sub(x, x), 0) : notEqual(x, x).logicalNot());

/** Limits values to [min, max]; either bound may be omitted. Gradient is 1 inside, 0 outside. */
export function clamp(x: Tensor, min?: number | null, max?: number | null): Tensor {
  assertTensor('clamp', x);
  let y = x;
  if (min !== undefined && min !== null) y = where(less(y, min), min, y);
  if (max !== undefined && max !== null) y = where(greater(y, max), max, y);
  return y;
}

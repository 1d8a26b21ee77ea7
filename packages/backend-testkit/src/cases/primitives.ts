import type { BinaryOp, CompareOp, DType, ReduceOp, Tensor, TensorLike, UnaryOp } from '@plexus/tensor';
import * as T from '@plexus/tensor';
import { runPrimitive, sizeOf } from '@plexus/tensor';
import type { CaseContext } from '../context.js';
import type { PrimitiveCase, PrimitiveCaseTable } from '../types.js';

// dtype sets
const F: readonly DType[] = ['float32', 'float64'];
const FI: readonly DType[] = ['float32', 'float64', 'int32'];
const ALL: readonly DType[] = ['float32', 'float64', 'int32', 'bool'];

/** Inputs of the case's dtype in the domain of an op. */
type Domain = (ctx: CaseContext, shape: readonly number[]) => Tensor;
const anyValue: Domain = (c, s) => c.input(s);
const within = (low: number, high: number): Domain => (c, s) => (c.dtype === 'bool' ? c.bools(s) : c.uniform(s, low, high));

/** Few distinct values, so that comparisons and argmax meet ties. */
function small(c: CaseContext, shape: readonly number[]): Tensor {
  const u = c.random(sizeOf(shape));
  if (c.dtype === 'bool') return c.tensor(Array.from(u, (x) => x < 0.5), shape);
  const scale = c.dtype === 'int32' ? 1 : 0.5;
  return c.tensor(Array.from(u, (x) => (Math.floor(x * 5) - 2) * scale), shape);
}

/** A transposed view of fresh values: catches kernels that assume their input is laid out densely. */
const permuted = (d: Domain, c: CaseContext, rows: number, cols: number): Tensor => T.permute(d(c, [cols, rows]), [1, 0]);

// ---- elementwise unary ------------------------------------------------------------------------

interface UnarySpec {
  domain: Domain;
  /** Edge values for float inputs. */
  special: readonly number[];
}

const ROUNDING_EDGES = [-2.5, -1.5, -0.5, -0.4, -0, 0, 0.4, 0.5, 1.5, 2.5, 3.7, -3.7, 1e7 + 0.5];
const UNARY: { readonly [K in UnaryOp]: UnarySpec } = {
  neg: { domain: anyValue, special: [0, -0, 1.5, -2.5, Infinity, -Infinity, NaN, 1e-30] },
  abs: { domain: anyValue, special: [0, -0, 1.5, -2.5, Infinity, -Infinity, NaN, -1e-30] },
  sign: { domain: anyValue, special: [0, -0, 1.5, -2.5, Infinity, -Infinity, NaN, 1e-30] },
  exp: { domain: within(-10, 10), special: [-Infinity, -100, -10, 0, 1, 10, 80, 100, Infinity] },
  log: { domain: within(0.01, 10), special: [0, 1e-30, 1, 2.718281828459045, 1e30, Infinity, -1] },
  log1p: { domain: within(-0.9, 5), special: [-1, -0.5, -1e-10, 0, 1e-10, 1e10, Infinity] },
  expm1: { domain: within(-3, 3), special: [-Infinity, -20, -1e-10, 0, 1e-10, 1e-5, 5] },
  sqrt: { domain: within(0, 10), special: [0, 1e-20, 4, 2, 1e20, Infinity] },
  rsqrt: { domain: within(0.01, 10), special: [0, 1e-20, 0.25, 4, 1e20, Infinity] },
  sin: { domain: within(-10, 10), special: [0, -0, 1.5707963267948966, 3.141592653589793, -20, 20] },
  cos: { domain: within(-10, 10), special: [0, 1.5707963267948966, 3.141592653589793, -20, 20] },
  tanh: { domain: within(-5, 5), special: [-400, -30, -1e-8, 0, 1e-8, 0.5, 30, 400, Infinity, -Infinity] },
  sigmoid: { domain: within(-10, 10), special: [-800, -100, -30, 0, 1e-8, 30, 100, 800, Infinity, -Infinity] },
  erf: { domain: within(-3, 3), special: [-Infinity, -5, -1, 0, 1e-8, 0.5, 1, 5, Infinity] },
  floor: { domain: within(-5, 5), special: ROUNDING_EDGES },
  ceil: { domain: within(-5, 5), special: ROUNDING_EDGES },
  round: { domain: within(-5, 5), special: ROUNDING_EDGES },
};

function unaryCases(op: UnaryOp): PrimitiveCase[] {
  const f = T[op] as (x: Tensor) => Tensor;
  const { domain, special } = UNARY[op];
  return [
    { name: 'random [2,3,4]', dtypes: ALL, run: (c) => f(domain(c, [2, 3, 4])) },
    { name: 'scalar []', dtypes: ALL, run: (c) => f(domain(c, [])) },
    { name: 'zero-size [0,3]', dtypes: ALL, run: (c) => f(domain(c, [0, 3])) },
    { name: 'transposed input', dtypes: FI, run: (c) => f(permuted(domain, c, 3, 5)) },
    { name: 'edge values', dtypes: F, run: (c) => f(c.tensor(special, [special.length])) },
  ];
}

// ---- elementwise binary ------------------------------------------------------------------------

interface BinarySpec {
  dtypes: readonly DType[];
  a: Domain;
  b: Domain;
  number: (dtype: DType) => number | boolean;
  extra?: PrimitiveCase[];
}

const awayFromZero: Domain = (c, s) => {
  const u = c.random(sizeOf(s));
  return c.tensor(Array.from(u, (x) => (x < 0.5 ? -1 : 1) * (0.5 + 3 * x)), s);
};

const BINARY: { readonly [K in BinaryOp]: BinarySpec } = {
  add: { dtypes: ALL, a: anyValue, b: anyValue, number: (d) => (d === 'bool' ? true : d === 'int32' ? 3 : 2.5) },
  sub: { dtypes: ALL, a: anyValue, b: anyValue, number: (d) => (d === 'bool' ? true : d === 'int32' ? 3 : 2.5) },
  mul: { dtypes: ALL, a: anyValue, b: anyValue, number: (d) => (d === 'bool' ? true : d === 'int32' ? -3 : 2.5) },
  div: {
    dtypes: ALL,
    a: anyValue,
    b: (c, s) => (c.dtype === 'bool' ? c.tensor(new Array<boolean>(sizeOf(s)).fill(true), s) : c.dtype === 'int32' ? c.uniform(s, 1, 9) : awayFromZero(c, s)),
    number: (d) => (d === 'bool' ? true : d === 'int32' ? 4 : 2.5),
    extra: [
      {
        name: 'division by zero',
        dtypes: F,
        run: (c) => T.div(c.tensor([1, -1, 0, 2.5], [4]), c.tensor([0, 0, 0, -0], [4])),
      },
      {
        // Not reachable through div() (which gives floats), but part of the primitive's contract.
        name: 'int32 truncates toward zero (runPrimitive)',
        dtypes: ['int32'],
        run: (c) => {
          const a = c.tensor([7, -7, 7, -7, 0, 9, 1, -1], [8]);
          const b = c.tensor([2, 2, -2, -2, 5, 3, 3, 3], [8]);
          return runPrimitive('div', [a, b], {}, { shape: [8], dtype: 'int32' });
        },
      },
    ],
  },
  pow: {
    dtypes: FI,
    a: (c, s) => (c.dtype === 'int32' ? c.uniform(s, -4, 5) : c.uniform(s, 0.5, 2)),
    b: (c, s) => (c.dtype === 'int32' ? c.uniform(s, 0, 5) : c.uniform(s, -2, 3)),
    number: (d) => (d === 'int32' ? 3 : 2.5),
    extra: [
      {
        name: 'edge values',
        dtypes: F,
        run: (c) =>
          T.pow(
            c.tensor([0, 0, -2, -2, -8, 2, 1, -1, 4, 0, Infinity, 2], [12]),
            c.tensor([0, 2, 3, 2, 1 / 3, -1, NaN, Infinity, 0.5, -1, -1, 100], [12]),
          ),
      },
    ],
  },
  maximum: {
    dtypes: ALL,
    a: small,
    b: small,
    number: (d) => (d === 'bool' ? false : d === 'int32' ? 0 : 0.25),
    extra: [{ name: 'NaN propagates', dtypes: F, run: (c) => T.maximum(c.tensor([NaN, 1, NaN, -Infinity], [4]), c.tensor([1, NaN, NaN, 2], [4])) }],
  },
  minimum: {
    dtypes: ALL,
    a: small,
    b: small,
    number: (d) => (d === 'bool' ? false : d === 'int32' ? 0 : 0.25),
    extra: [{ name: 'NaN propagates', dtypes: F, run: (c) => T.minimum(c.tensor([NaN, 1, NaN, Infinity], [4]), c.tensor([1, NaN, NaN, 2], [4])) }],
  },
};

/** Shape pairs every binary and comparison op is run on. */
const PAIRS: readonly [string, readonly number[], readonly number[]][] = [
  ['same shape [3,4]', [3, 4], [3, 4]],
  ['broadcast [2,1,4] with [3,1]', [2, 1, 4], [3, 1]],
  ['outer broadcast [4,1] with [1,3]', [4, 1], [1, 3]],
  ['rank mismatch [4] with [2,3,4]', [4], [2, 3, 4]],
  ['scalar [] with [2,3]', [], [2, 3]],
  ['scalars', [], []],
  ['zero-size [0,3] with [3]', [0, 3], [3]],
  ['zero-size broadcast [2,0,1] with [3]', [2, 0, 1], [3]],
];

function pairCases(f: (a: TensorLike, b: TensorLike) => Tensor, dtypes: readonly DType[], a: Domain, b: Domain, number: (d: DType) => number | boolean): PrimitiveCase[] {
  return [
    ...PAIRS.map(([name, sa, sb]): PrimitiveCase => ({ name, dtypes, run: (c) => f(a(c, sa), b(c, sb)) })),
    { name: 'tensor with a JS number', dtypes, run: (c) => [f(a(c, [2, 3]), number(c.dtype)), f(number(c.dtype), b(c, [2, 3]))] },
    { name: 'transposed operands', dtypes, run: (c) => f(permuted(a, c, 3, 4), permuted(b, c, 3, 4)) },
  ];
}

function binaryCases(op: BinaryOp): PrimitiveCase[] {
  const s = BINARY[op];
  return [...pairCases(T[op], s.dtypes, s.a, s.b, s.number), ...(s.extra ?? [])];
}

// ---- comparisons -------------------------------------------------------------------------------

const COMPARE_FN: { readonly [K in CompareOp]: (a: TensorLike, b: TensorLike) => Tensor } = {
  equal: T.equal, notEqual: T.notEqual, less: T.less, lessEqual: T.lessEqual, greater: T.greater, greaterEqual: T.greaterEqual,
};

function compareCases(op: CompareOp): PrimitiveCase[] {
  const f = COMPARE_FN[op];
  return [
    ...pairCases(f, ALL, small, small, (d) => (d === 'bool' ? true : d === 'int32' ? 0 : 0.5)),
    {
      name: 'NaN and infinities',
      dtypes: F,
      run: (c) => f(c.tensor([NaN, NaN, 1, Infinity, -Infinity, 0], [6]), c.tensor([NaN, 1, NaN, Infinity, Infinity, -0], [6])),
    },
  ];
}

// ---- where, cast -------------------------------------------------------------------------------

const whereCases: PrimitiveCase[] = [
  { name: 'same shape [3,4]', dtypes: ALL, run: (c) => T.where(c.bools([3, 4]), c.input([3, 4]), c.input([3, 4])) },
  { name: 'broadcast cond [3,1], a [1,4], b [4]', dtypes: ALL, run: (c) => T.where(c.bools([3, 1]), c.input([1, 4]), c.input([4])) },
  { name: 'rank mismatch cond [2,3,4], a [], b [3,1]', dtypes: ALL, run: (c) => T.where(c.bools([2, 3, 4]), c.input([]), c.input([3, 1])) },
  { name: 'scalar cond', dtypes: ALL, run: (c) => [T.where(c.tensor([true], [], 'bool'), c.input([2, 2]), c.input([2, 2])), T.where(c.tensor([false], [], 'bool'), c.input([2, 2]), c.input([2, 2]))] },
  { name: 'zero-size', dtypes: ALL, run: (c) => T.where(c.bools([0, 3]), c.input([3]), c.input([0, 1])) },
  { name: 'NaN in the branch not taken', dtypes: F, run: (c) => T.where(c.tensor([true, false, true], [3], 'bool'), c.tensor([1, NaN, Infinity], [3]), c.tensor([NaN, 2, 3], [3])) },
];

/** Values that exercise each conversion: fractions of both signs, zeros, edges. */
function castSource(c: CaseContext): Tensor {
  if (c.dtype === 'bool') return c.bools([4, 5]);
  if (c.dtype === 'int32') {
    return c.tensor([...Array.from(c.random(14), (u) => Math.floor(u * 2000) - 1000), 0, 1, -1, 2147483647, -2147483648, 7], [4, 5]);
  }
  const n = Array.from(c.normal(12), (v) => v * 5);
  return c.tensor([...n, 0, -0, 0.5, -0.5, 1.9999, -1.9999, 1e6 + 0.25, -16777215], [4, 5]);
}

function castCases(): PrimitiveCase[] {
  const targets: readonly DType[] = ['float32', 'float64', 'int32', 'bool'];
  return [
    ...targets.flatMap((to): PrimitiveCase[] => {
      const requires = to === 'float64' ? ['float64' as const] : undefined;
      return [
        { name: `to ${to}`, dtypes: ALL, requires, run: (c) => T.cast(castSource(c), to) },
        { name: `to ${to}: scalar, zero-size, transposed`, dtypes: ALL, requires, run: (c) => [T.cast(c.input([]), to), T.cast(c.input([2, 0]), to), T.cast(permuted(anyValue, c, 3, 4), to)] },
      ];
    }),
    { name: 'NaN and infinities to bool', dtypes: F, run: (c) => T.cast(c.tensor([NaN, Infinity, -Infinity, 0, -0, 1e-30], [6]), 'bool') },
  ];
}

// ---- reductions --------------------------------------------------------------------------------

type ReduceFn = (x: Tensor, dim?: number | readonly number[], keepdim?: boolean) => Tensor;

function reduceCases(op: ReduceOp): PrimitiveCase[] {
  const f = T[op] as ReduceFn;
  const isProd = op === 'prod';
  const isExtreme = op === 'max' || op === 'min';
  // Products stay small and exact in int32; sums and extremes see ordinary values.
  const dom: Domain = isProd ? (c, s) => (c.dtype === 'bool' ? c.bools(s, 0.8) : c.dtype === 'int32' ? c.uniform(s, -2, 3) : c.uniform(s, 0.5, 1.5)) : isExtreme ? small : anyValue;
  const cases: PrimitiveCase[] = [
    { name: 'axis 1 of [3,4,5]', dtypes: ALL, run: (c) => f(dom(c, [3, 4, 5]), 1) },
    { name: 'axes [0,2] of [3,4,5]', dtypes: ALL, run: (c) => f(dom(c, [3, 4, 5]), [0, 2]) },
    { name: 'last axis, keepdim', dtypes: ALL, run: (c) => f(dom(c, [3, 4, 5]), -1, true) },
    { name: 'all axes', dtypes: ALL, run: (c) => f(dom(c, [2, 3, 2])) },
    { name: 'size-1 axis', dtypes: ALL, run: (c) => f(dom(c, [3, 1, 2]), 1) },
    { name: 'zero-size input, non-empty axis', dtypes: ALL, run: (c) => f(dom(c, [0, 4]), 1) },
    { name: 'transposed input', dtypes: ALL, run: (c) => f(permuted(dom, c, 4, 6), 1) },
    { name: 'long rows [3,1000]', dtypes: FI, run: (c) => f(dom(c, [3, 1000]), 1), toleranceScale: isProd ? 100 : 10 },
  ];
  if (!isExtreme) {
    cases.push({ name: 'empty axis [3,0,2] over 1', dtypes: ALL, run: (c) => f(dom(c, [3, 0, 2]), 1) });
  } else {
    cases.push(
      { name: 'infinities', dtypes: F, run: (c) => f(c.tensor([-Infinity, -Infinity, 1, Infinity, -Infinity, 2], [2, 3]), 1) },
      { name: 'NaN propagates', dtypes: F, run: (c) => f(c.tensor([1, NaN, 3, NaN, 5, 6], [2, 3]), 1) },
    );
  }
  return cases;
}

function argCases(op: 'argmax' | 'argmin'): PrimitiveCase[] {
  const f = T[op];
  return [
    { name: 'axis 1 of [3,4,5] (ties pick the first)', dtypes: ALL, run: (c) => f(small(c, [3, 4, 5]), 1) },
    { name: 'axis 0, keepdim', dtypes: ALL, run: (c) => f(small(c, [4, 3]), 0, true) },
    { name: 'flattened (dim omitted)', dtypes: ALL, run: (c) => f(c.input([3, 4])) },
    { name: 'size-1 axis', dtypes: ALL, run: (c) => f(c.input([3, 1]), 1) },
    { name: 'transposed input', dtypes: ALL, run: (c) => f(permuted(small, c, 4, 6), 1) },
    { name: 'zero-size input, non-empty axis', dtypes: ALL, run: (c) => f(c.input([0, 4]), 1) },
    { name: 'long rows [2,1000]', dtypes: FI, run: (c) => f(c.input([2, 1000]), 1) },
    { name: 'infinities and NaN', dtypes: F, run: (c) => f(c.tensor([-Infinity, -Infinity, Infinity, Infinity, 1, NaN, 2, NaN], [4, 2]), 1) },
  ];
}

// ---- movement ----------------------------------------------------------------------------------

const reshapeCases: PrimitiveCase[] = [
  { name: '[2,3,4] to [6,4]', dtypes: ALL, run: (c) => T.reshape(c.input([2, 3, 4]), [6, 4]) },
  { name: 'inferred -1', dtypes: ALL, run: (c) => T.reshape(c.input([2, 3, 4]), [4, -1, 2]) },
  { name: '[1] to [] and [] to [1,1,1]', dtypes: ALL, run: (c) => [T.reshape(c.input([1]), []), T.reshape(c.input([]), [1, 1, 1])] },
  { name: 'zero-size [0,3] to [3,0,1]', dtypes: ALL, run: (c) => T.reshape(c.input([0, 3]), [3, 0, 1]) },
  { name: 'transposed input', dtypes: ALL, run: (c) => T.reshape(permuted(anyValue, c, 4, 6), [2, 12]) },
];

const permuteCases: PrimitiveCase[] = [
  { name: '[2,3,4] by [2,0,1]', dtypes: ALL, run: (c) => T.permute(c.input([2, 3, 4]), [2, 0, 1]) },
  { name: '2-D transpose', dtypes: ALL, run: (c) => T.permute(c.input([5, 7]), [1, 0]) },
  { name: 'rank 5 with size-1 dims', dtypes: ALL, run: (c) => T.permute(c.input([2, 1, 3, 1, 2]), [4, 2, 0, 3, 1]) },
  { name: 'zero-size [2,0,3]', dtypes: ALL, run: (c) => T.permute(c.input([2, 0, 3]), [2, 1, 0]) },
  { name: 'composed twice', dtypes: ALL, run: (c) => T.permute(T.permute(c.input([2, 3, 4]), [1, 2, 0]), [2, 0, 1]).add(0) },
  { name: 'rank 1 and scalar (identity)', dtypes: ALL, run: (c) => [T.permute(c.input([4]), [0]), T.permute(c.input([]), [])] },
];

const expandCases: PrimitiveCase[] = [
  { name: '[3,1] to [3,4]', dtypes: ALL, run: (c) => T.expand(c.input([3, 1]), [3, 4]) },
  { name: '[1,4] to [3,4]', dtypes: ALL, run: (c) => T.expand(c.input([1, 4]), [3, 4]) },
  { name: 'middle dim [2,1,3] to [2,4,3]', dtypes: ALL, run: (c) => T.expand(c.input([2, 1, 3]), [2, 4, 3]) },
  { name: 'new leading dims [3] to [2,4,3]', dtypes: ALL, run: (c) => T.expand(c.input([3]), [2, 4, 3]) },
  { name: 'scalar to [2,3]', dtypes: ALL, run: (c) => T.expand(c.input([]), [2, 3]) },
  { name: 'to zero size [3,1] to [3,0]', dtypes: ALL, run: (c) => T.expand(c.input([3, 1]), [3, 0]) },
  { name: 'transposed input', dtypes: ALL, run: (c) => T.expand(T.reshape(permuted(anyValue, c, 2, 3), [2, 1, 3]), [2, 4, 3]) },
];

const sliceCases: PrimitiveCase[] = [
  { name: 'range on axis 1', dtypes: ALL, run: (c) => T.slice(c.input([3, 6, 2]), 1, 1, 4) },
  { name: 'step 2 on axis 0', dtypes: ALL, run: (c) => T.slice(c.input([7, 3]), 0, 0, null, 2) },
  { name: 'offset and step 3 on the last axis', dtypes: ALL, run: (c) => T.slice(c.input([2, 10]), 1, 1, 9, 3) },
  { name: 'negative bounds', dtypes: ALL, run: (c) => T.slice(c.input([5, 4]), 0, -3, -1) },
  { name: 'empty result', dtypes: ALL, run: (c) => T.slice(c.input([5, 4]), 1, 2, 2) },
  { name: 'chained on two axes', dtypes: ALL, run: (c) => T.slice(T.slice(c.input([6, 7]), 0, 1, 5, 2), 1, 2, 7, 2) },
  { name: 'transposed input', dtypes: ALL, run: (c) => T.slice(permuted(anyValue, c, 5, 6), 1, 1, 5, 2) },
  {
    // conv2d's decomposition slices four axes at once; the frontend's slice() only ever does one.
    name: 'every axis at once (runPrimitive)',
    dtypes: ALL,
    run: (c) => runPrimitive('slice', [c.input([4, 5, 6])], { begin: [1, 0, 1], end: [3, 5, 6], step: [1, 2, 2] }, { shape: [2, 3, 3], dtype: c.dtype }),
  },
];

const padValue = (d: DType): number => (d === 'bool' ? 1 : d === 'int32' ? 7 : -1.5);
const padCases: PrimitiveCase[] = [
  { name: 'last dim (1,2)', dtypes: ALL, run: (c) => T.pad(c.input([2, 3]), [1, 2]) },
  { name: 'two dims with a value', dtypes: ALL, run: (c) => T.pad(c.input([2, 3]), [0, 1, 2, 1], padValue(c.dtype)) },
  { name: 'middle dim of rank 3', dtypes: ALL, run: (c) => T.pad(c.input([2, 2, 3]), [0, 0, 1, 1], padValue(c.dtype)) },
  { name: 'zero-size input', dtypes: ALL, run: (c) => [T.pad(c.input([0, 2]), [1, 1]), T.pad(c.input([0, 2]), [0, 0, 1, 2], padValue(c.dtype))] },
  { name: 'transposed input', dtypes: ALL, run: (c) => T.pad(permuted(anyValue, c, 3, 4), [1, 0, 0, 2]) },
  { name: 'infinite value', dtypes: F, run: (c) => T.pad(c.input([2, 2]), [1, 1, 1, 1], -Infinity) },
];

const concatCases: PrimitiveCase[] = [
  { name: 'axis 0 of two', dtypes: ALL, run: (c) => T.concat([c.input([2, 3]), c.input([4, 3])], 0) },
  { name: 'axis 1 of three', dtypes: ALL, run: (c) => T.concat([c.input([2, 1, 2]), c.input([2, 3, 2]), c.input([2, 2, 2])], 1) },
  { name: 'last axis', dtypes: ALL, run: (c) => T.concat([c.input([3, 2]), c.input([3, 5])], -1) },
  { name: 'rank 1', dtypes: ALL, run: (c) => T.concat([c.input([3]), c.input([1]), c.input([2])]) },
  { name: 'with a zero-size input', dtypes: ALL, run: (c) => T.concat([c.input([2, 0]), c.input([2, 3]), c.input([2, 0]), c.input([2, 1])], 1) },
  { name: 'all zero-size', dtypes: ALL, run: (c) => T.concat([c.input([0, 3]), c.input([0, 3])], 0) },
  { name: 'transposed inputs', dtypes: ALL, run: (c) => T.concat([permuted(anyValue, c, 3, 2), permuted(anyValue, c, 3, 4)], 1) },
];

const gatherCases: PrimitiveCase[] = [
  { name: 'axis 0', dtypes: ALL, run: (c) => T.gather(c.input([4, 5]), 0, c.ints([3, 5], 0, 4)) },
  { name: 'axis 1 with repeats', dtypes: ALL, run: (c) => T.gather(c.input([4, 5]), 1, c.ints([4, 8], 0, 5)) },
  { name: 'index smaller on other axes', dtypes: ALL, run: (c) => T.gather(c.input([4, 5]), 1, c.ints([2, 3], 0, 5)) },
  { name: 'rank 3, axis 1', dtypes: ALL, run: (c) => T.gather(c.input([2, 4, 3]), 1, c.ints([2, 2, 3], 0, 4)) },
  { name: 'rank 1', dtypes: ALL, run: (c) => T.gather(c.input([6]), 0, c.ints([9], 0, 6)) },
  { name: 'zero-size index', dtypes: ALL, run: (c) => T.gather(c.input([4, 5]), 0, c.ints([0, 5], 0, 4)) },
  { name: 'transposed input', dtypes: ALL, run: (c) => T.gather(permuted(anyValue, c, 4, 5), 1, c.ints([4, 3], 0, 5)) },
];

const scatterAddCases: PrimitiveCase[] = [
  { name: 'axis 0, repeated indices accumulate', dtypes: FI, run: (c) => T.scatterAdd(c.input([4, 5]), 0, c.ints([6, 5], 0, 4), c.input([6, 5])) },
  { name: 'axis 1', dtypes: FI, run: (c) => T.scatterAdd(c.input([3, 4]), 1, c.ints([3, 6], 0, 4), c.input([3, 6])) },
  { name: 'index smaller than the input', dtypes: FI, run: (c) => T.scatterAdd(c.input([4, 5]), 1, c.ints([2, 3], 0, 5), c.input([2, 3])) },
  { name: 'rank 3, last axis', dtypes: FI, run: (c) => T.scatterAdd(c.input([2, 3, 4]), 2, c.ints([2, 3, 5], 0, 4), c.input([2, 3, 5])) },
  { name: 'zero-size index', dtypes: FI, run: (c) => T.scatterAdd(c.input([4, 5]), 0, c.ints([0, 5], 0, 4), c.input([0, 5])) },
  { name: 'transposed operands', dtypes: FI, run: (c) => T.scatterAdd(permuted(anyValue, c, 3, 4), 1, c.ints([3, 4], 0, 4), permuted(anyValue, c, 3, 4)) },
];

const matmulCases: PrimitiveCase[] = [
  { name: '[3,4] @ [4,5]', dtypes: FI, run: (c) => T.matmul(c.input([3, 4]), c.input([4, 5])) },
  { name: 'batched [2,3,4] @ [2,4,5]', dtypes: FI, run: (c) => T.matmul(c.input([2, 3, 4]), c.input([2, 4, 5])) },
  { name: 'batch broadcast [2,1,3,4] @ [3,4,2]', dtypes: FI, run: (c) => T.matmul(c.input([2, 1, 3, 4]), c.input([3, 4, 2])) },
  { name: 'rank mismatch [3,4] @ [2,4,5]', dtypes: FI, run: (c) => T.matmul(c.input([3, 4]), c.input([2, 4, 5])) },
  { name: 'vector @ matrix, matrix @ vector, vector @ vector', dtypes: FI, run: (c) => [T.matmul(c.input([4]), c.input([4, 3])), T.matmul(c.input([3, 4]), c.input([4])), T.matmul(c.input([4]), c.input([4]))] },
  { name: 'inner dimension 0 gives zeros', dtypes: FI, run: (c) => T.matmul(c.input([2, 3, 0]), c.input([2, 0, 4])) },
  { name: 'no rows [0,4] @ [4,3]', dtypes: FI, run: (c) => T.matmul(c.input([0, 4]), c.input([4, 3])) },
  { name: 'transposed operands', dtypes: FI, run: (c) => T.matmul(permuted(anyValue, c, 5, 4), permuted(anyValue, c, 4, 3)) },
  { name: 'larger [17,33] @ [33,9]', dtypes: FI, run: (c) => T.matmul(c.input([17, 33]), c.input([33, 9])), toleranceScale: 4 },
  { name: 'larger batched [3,32,40] @ [40,24]', dtypes: FI, run: (c) => T.matmul(c.input([3, 32, 40]), c.input([40, 24])), toleranceScale: 4 },
  // Thin sides (a few columns, rows or steps of k), plain and transposed: backend-cpu's loops for them.
  {
    name: 'thin: few columns, few rows, short k',
    dtypes: FI,
    run: (c) => [
      T.matmul(c.input([300, 41]), c.input([41, 2])),
      T.matmul(c.input([3, 500]), c.input([500, 37])),
      T.matmul(c.input([600, 1]), c.input([1, 30])),
      T.matmul(c.input([250, 3]), c.input([3, 45])),
      T.matmul(c.input([90, 70]), c.input([70, 8])),
      T.matmul(c.input([40, 50]), c.input([50, 16])),
      T.matmul(c.input([3, 60]), c.input([60, 150])),
    ],
    toleranceScale: 4,
  },
  {
    name: 'thin, transposed operands',
    dtypes: FI,
    run: (c) => [
      T.matmul(permuted(anyValue, c, 300, 41), c.input([41, 2])),
      T.matmul(permuted(anyValue, c, 40, 500), permuted(anyValue, c, 500, 1)),
      T.matmul(c.input([2, 500]), permuted(anyValue, c, 500, 40)),
      T.matmul(permuted(anyValue, c, 3, 200), permuted(anyValue, c, 200, 50)),
      T.matmul(permuted(anyValue, c, 600, 1), permuted(anyValue, c, 1, 30)),
      T.matmul(permuted(anyValue, c, 150, 20), c.input([20, 3])),
    ],
    toleranceScale: 4,
  },
];

/**
 * Every primitive's cases. The mapped type makes a primitive added to `PrimitiveName` without
 * cases here a compile error.
 */
export const primitiveCases: PrimitiveCaseTable = {
  neg: unaryCases('neg'),
  abs: unaryCases('abs'),
  sign: unaryCases('sign'),
  exp: unaryCases('exp'),
  log: unaryCases('log'),
  log1p: unaryCases('log1p'),
  expm1: unaryCases('expm1'),
  sqrt: unaryCases('sqrt'),
  rsqrt: unaryCases('rsqrt'),
  sin: unaryCases('sin'),
  cos: unaryCases('cos'),
  tanh: unaryCases('tanh'),
  sigmoid: unaryCases('sigmoid'),
  erf: unaryCases('erf'),
  floor: unaryCases('floor'),
  ceil: unaryCases('ceil'),
  round: unaryCases('round'),
  add: binaryCases('add'),
  sub: binaryCases('sub'),
  mul: binaryCases('mul'),
  div: binaryCases('div'),
  pow: binaryCases('pow'),
  maximum: binaryCases('maximum'),
  minimum: binaryCases('minimum'),
  equal: compareCases('equal'),
  notEqual: compareCases('notEqual'),
  less: compareCases('less'),
  lessEqual: compareCases('lessEqual'),
  greater: compareCases('greater'),
  greaterEqual: compareCases('greaterEqual'),
  where: whereCases,
  cast: castCases(),
  sum: reduceCases('sum'),
  prod: reduceCases('prod'),
  max: reduceCases('max'),
  min: reduceCases('min'),
  argmax: argCases('argmax'),
  argmin: argCases('argmin'),
  reshape: reshapeCases,
  permute: permuteCases,
  expand: expandCases,
  slice: sliceCases,
  pad: padCases,
  concat: concatCases,
  gather: gatherCases,
  scatterAdd: scatterAddCases,
  matmul: matmulCases,
};

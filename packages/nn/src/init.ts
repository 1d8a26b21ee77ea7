import type { Generator, Tensor } from '@plexus/tensor';
import {
  ArgumentError, DTypeError, ShapeError, allocArray, fmtShape, fromData, getDefaultGenerator, isFloating, isTensor, noGrad,
} from '@plexus/tensor';
import { householderQR } from './qr.js';

/**
 * Initializers (torch.nn.init). Each fills a tensor (usually a Parameter) in place through
 * `assign` and returns it. Random ones draw on the host from the default generator (seeded by
 * `manualSeed`) or from `options.generator`, so one seed gives the same weights on every backend.
 */
export interface InitOptions {
  generator?: Generator;
}

export type Nonlinearity =
  | 'linear' | 'identity' | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu' | 'leakyRelu' | 'selu'
  | 'conv1d' | 'conv2d' | 'conv3d'
  | 'conv_transpose1d' | 'conv_transpose2d' | 'conv_transpose3d'
  | 'convTranspose1d' | 'convTranspose2d' | 'convTranspose3d';

export type FanMode = 'fanIn' | 'fanOut' | 'fan_in' | 'fan_out';

const LINEAR_LIKE = new Set<string>([
  'linear', 'identity', 'sigmoid', 'conv1d', 'conv2d', 'conv3d',
  'conv_transpose1d', 'conv_transpose2d', 'conv_transpose3d', 'convTranspose1d', 'convTranspose2d', 'convTranspose3d',
]);

/**
 * The recommended gain for a nonlinearity, as in PyTorch: 1 for linear layers and sigmoid, 5/3
 * for tanh, √2 for relu, √(2 / (1 + slope²)) for leaky_relu (slope `param`, default 0.01), 3/4
 * for selu.
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  if (LINEAR_LIKE.has(nonlinearity)) return 1;
  switch (nonlinearity) {
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leaky_relu':
    case 'leakyRelu': {
      const slope = param ?? 0.01;
      if (typeof slope !== 'number' || !Number.isFinite(slope)) {
        throw new ArgumentError(`calculateGain: negative slope ${String(param)} is not a finite number`);
      }
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case 'selu':
      return 3 / 4;
    default:
      throw new ArgumentError(`calculateGain: unsupported nonlinearity '${String(nonlinearity)}'`);
  }
}

/**
 * [fanIn, fanOut] of a weight: for [out, in, ...kernel] these are in·k and out·k, with k the
 * product of the kernel dims (PyTorch's rule, also used for Linear's [out, in]).
 */
export function fanInAndFanOut(t: Tensor): [number, number] {
  if (!isTensor(t)) throw new ArgumentError('fanInAndFanOut: expected a Tensor');
  if (t.rank < 2) throw new ShapeError(`fanInAndFanOut: needs a tensor with at least 2 dims, got ${fmtShape(t.shape)}`);
  const receptive = t.shape.slice(2).reduce((a, b) => a * b, 1);
  return [t.shape[1] * receptive, t.shape[0] * receptive];
}

function checkTarget(op: string, t: Tensor, floating = true): void {
  if (!isTensor(t)) throw new ArgumentError(`${op}: expected a Tensor to fill`);
  if (floating && !isFloating(t.dtype)) throw new DTypeError(`${op}: can only fill a float32 or float64 tensor, got ${t.dtype}`);
}

/** Writes host values into `t` in place. */
function fill(op: string, t: Tensor, values: ArrayLike<number>): Tensor {
  const data = allocArray(t.dtype, t.size);
  data.set(values);
  const v = fromData(op, data, t.shape, { backend: t.backend });
  noGrad(() => t.assign(v));
  return t;
}

const generatorOf = (options: InitOptions): Generator => options.generator ?? getDefaultGenerator();

function checkFinite(op: string, values: Record<string, number>): void {
  for (const [name, v] of Object.entries(values)) {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new ArgumentError(`${op}: ${name} must be a finite number, got ${String(v)}`);
  }
}

/** Values uniform in [a, b). */
export function uniform_(t: Tensor, a = 0, b = 1, options: InitOptions = {}): Tensor {
  checkTarget('uniform_', t);
  checkFinite('uniform_', { a, b });
  if (b < a) throw new ArgumentError(`uniform_: expected a <= b, got a=${a}, b=${b}`);
  const u = generatorOf(options).nextUniform(t.size);
  for (let i = 0; i < u.length; i++) u[i] = a + (b - a) * u[i];
  return fill('uniform_', t, u);
}

/** Values from N(mean, std²). */
export function normal_(t: Tensor, mean = 0, std = 1, options: InitOptions = {}): Tensor {
  checkTarget('normal_', t);
  checkFinite('normal_', { mean, std });
  if (std < 0) throw new ArgumentError(`normal_: std must be >= 0, got ${std}`);
  const z = generatorOf(options).nextNormal(t.size);
  for (let i = 0; i < z.length; i++) z[i] = mean + std * z[i];
  return fill('normal_', t, z);
}

export function constant_(t: Tensor, value: number): Tensor {
  checkTarget('constant_', t, false);
  if (typeof value !== 'number' || Number.isNaN(value)) throw new ArgumentError(`constant_: value must be a number, got ${String(value)}`);
  return fill('constant_', t, new Float64Array(t.size).fill(value));
}

export const zeros_ = (t: Tensor): Tensor => constant_(t, 0);
export const ones_ = (t: Tensor): Tensor => constant_(t, 1);

export interface XavierOptions extends InitOptions {
  gain?: number;
}

/** Glorot uniform: U(−a, a) with a = gain·√(6 / (fanIn + fanOut)). */
export function xavierUniform_(t: Tensor, options: XavierOptions = {}): Tensor {
  checkTarget('xavierUniform_', t);
  const [fanIn, fanOut] = fanInAndFanOut(t);
  if (t.size === 0) return t;
  const std = (options.gain ?? 1) * Math.sqrt(2 / (fanIn + fanOut));
  const a = Math.sqrt(3) * std;
  return uniform_(t, -a, a, options);
}

/** Glorot normal: N(0, std²) with std = gain·√(2 / (fanIn + fanOut)). */
export function xavierNormal_(t: Tensor, options: XavierOptions = {}): Tensor {
  checkTarget('xavierNormal_', t);
  const [fanIn, fanOut] = fanInAndFanOut(t);
  if (t.size === 0) return t;
  return normal_(t, 0, (options.gain ?? 1) * Math.sqrt(2 / (fanIn + fanOut)), options);
}

export interface KaimingOptions extends InitOptions {
  /** Negative slope of the leaky_relu that follows (default 0). */
  a?: number;
  /** Preserve the variance of the forward pass ('fanIn', default) or of the backward pass ('fanOut'). */
  mode?: FanMode;
  /** Default 'leaky_relu' (with a = 0 that is relu's gain √2), as in PyTorch. */
  nonlinearity?: Nonlinearity;
}

function kaimingStd(op: string, t: Tensor, options: KaimingOptions): number {
  const mode = options.mode ?? 'fanIn';
  const [fanIn, fanOut] = fanInAndFanOut(t);
  let fan: number;
  if (mode === 'fanIn' || mode === 'fan_in') fan = fanIn;
  else if (mode === 'fanOut' || mode === 'fan_out') fan = fanOut;
  else throw new ArgumentError(`${op}: mode must be 'fanIn' or 'fanOut', got '${String(mode)}'`);
  return calculateGain(options.nonlinearity ?? 'leaky_relu', options.a ?? 0) / Math.sqrt(fan);
}

/** He uniform: U(−bound, bound) with bound = gain·√(3 / fan). */
export function kaimingUniform_(t: Tensor, options: KaimingOptions = {}): Tensor {
  checkTarget('kaimingUniform_', t);
  if (t.size === 0) return t;
  const bound = Math.sqrt(3) * kaimingStd('kaimingUniform_', t, options);
  return uniform_(t, -bound, bound, options);
}

/** He normal: N(0, std²) with std = gain / √fan. */
export function kaimingNormal_(t: Tensor, options: KaimingOptions = {}): Tensor {
  checkTarget('kaimingNormal_', t);
  if (t.size === 0) return t;
  return normal_(t, 0, kaimingStd('kaimingNormal_', t, options), options);
}

/**
 * A (semi-)orthogonal matrix (Saxe et al.), as in PyTorch: the weight viewed as
 * [shape[0], rest] gets orthonormal rows (or columns, when it has more rows than columns),
 * times `gain`. QR of a Gaussian matrix on the host, with the signs fixed by diag(R) so the
 * result is uniformly distributed.
 */
export function orthogonal_(t: Tensor, options: XavierOptions = {}): Tensor {
  checkTarget('orthogonal_', t);
  if (t.rank < 2) throw new ShapeError(`orthogonal_: needs a tensor with at least 2 dims, got ${fmtShape(t.shape)}`);
  if (t.size === 0) return t;
  const gain = options.gain ?? 1;
  checkFinite('orthogonal_', { gain });
  const rows = t.shape[0];
  const cols = t.size / rows;
  const flat = generatorOf(options).nextNormal(rows * cols);
  // Work on the tall orientation (m >= n).
  const tall = rows >= cols;
  const [m, n] = tall ? [rows, cols] : [cols, rows];
  const a = tall ? flat : transpose(flat, rows, cols);
  const { q, rDiag } = householderQR(a, m, n);
  for (let j = 0; j < n; j++) {
    const s = rDiag[j] < 0 ? -gain : gain;
    for (let i = 0; i < m; i++) q[i * n + j] *= s;
  }
  return fill('orthogonal_', t, tall ? q : transpose(q, m, n));
}

function transpose(a: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = a[i * cols + j];
  return out;
}

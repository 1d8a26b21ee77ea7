import type { Backend, DataId } from './backend.js';
import type { BackwardOptions } from './dispatch.js';
import { autogradHooks } from './dispatch.js';
import type { DataArray, DType } from './dtype.js';
import { isFloating } from './dtype.js';
import { ArgumentError, BackendError, DTypeError } from './errors.js';
import { rebind, track, untrack } from './memory.js';
import * as ops from './ops/index.js';
import type { TensorLike } from './ops/index.js';
import { formatTensor } from './format.js';
import type { Shape } from './shape.js';
import { sizeOf } from './shape.js';

/** Nested arrays of numbers or booleans, as returned by `toArray()`. */
export type NestedArray = number | boolean | NestedArray[];

let nextId = 0;

/**
 * An n-dimensional array on a backend. Immutable: every op returns a new tensor. Storage is
 * released when the tensor is garbage collected, on `dispose()`, or at the end of a `scope()`.
 */
export class Tensor {
  /** Unique, increasing: autograd orders its graph by it. */
  readonly id = nextId++;
  readonly shape: Shape;
  readonly dtype: DType;
  readonly backend: Backend;
  /** The accumulated gradient of a leaf after `backward()`. */
  grad: Tensor | null = null;
  /** Autograd's record of the op that produced this tensor (owned by @plexus/autograd). */
  gradNode: unknown = undefined;
  /** Set by `keep()`: survives the enclosing `scope()`. */
  kept = false;
  private _dataId: DataId | undefined;
  private _requiresGrad = false;

  constructor(dataId: DataId, shape: Shape, dtype: DType, backend: Backend) {
    this._dataId = dataId;
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype;
    this.backend = backend;
    track(this, backend, dataId);
  }

  get dataId(): DataId {
    if (this._dataId === undefined) {
      throw new BackendError(`tensor ${this.describe()} was disposed and cannot be used`);
    }
    return this._dataId;
  }

  get isDisposed(): boolean {
    return this._dataId === undefined;
  }

  get rank(): number {
    return this.shape.length;
  }
  /** PyTorch's name for rank. */
  get ndim(): number {
    return this.shape.length;
  }
  get size(): number {
    return sizeOf(this.shape);
  }

  get requiresGrad(): boolean {
    return this._requiresGrad;
  }
  set requiresGrad(value: boolean) {
    if (value && !isFloating(this.dtype)) {
      throw new DTypeError(`requiresGrad: only floating tensors can require gradients, got ${this.dtype}`);
    }
    if (!value && this.gradNode !== undefined) {
      throw new ArgumentError('requiresGrad: cannot turn off gradients of a non-leaf tensor; use detach()');
    }
    this._requiresGrad = value;
  }
  /** A leaf is a tensor not produced by a recorded op (user-created, or a parameter). */
  get isLeaf(): boolean {
    return this.gradNode === undefined;
  }

  /** @internal used by dispatch for op outputs. */
  markRequiresGrad(): void {
    this._requiresGrad = true;
  }

  /** Sets requiresGrad and returns this tensor, for chaining. */
  requiresGrad_(value = true): this {
    this.requiresGrad = value;
    return this;
  }

  /** @internal see the exported `ownedCopy`. */
  static ownedCopy(t: Tensor): [DataId, Shape, DType, Backend] {
    const copy = ops.detach(t);
    const handle = copy.dataId;
    untrack(copy);
    copy._dataId = undefined;
    return [handle, t.shape, t.dtype, t.backend];
  }

  /** Replaces this tensor's storage with `value`'s (same shape and dtype). For optimizers. */
  assign(value: Tensor): this {
    if (value.dtype !== this.dtype || value.shape.length !== this.shape.length || value.shape.some((d, i) => d !== this.shape[i])) {
      throw new ArgumentError(`assign: expected ${this.describe()}, got ${value.describe()}`);
    }
    if (value.backend !== this.backend) throw new BackendError(`assign: value lives on '${value.backend.name}', not '${this.backend.name}'`);
    const [held] = ownedCopy(value);
    const old = this._dataId;
    if (old !== undefined) this.backend.dispose(old);
    this._dataId = held;
    // Only the finalizer moves: a tensor created outside a scope must not join it by assign.
    rebind(this, this.backend, held);
    return this;
  }

  /** Releases the storage now. Further use throws. */
  dispose(): void {
    if (this._dataId === undefined) return;
    untrack(this);
    this.backend.dispose(this._dataId);
    this._dataId = undefined;
  }

  /** Marks this tensor to survive the enclosing `scope()`. */
  keep(): this {
    this.kept = true;
    return this;
  }

  describe(): string {
    return `[${this.shape.join(',')}] ${this.dtype}`;
  }

  // ---- reading ----
  async data(): Promise<DataArray> {
    return this.backend.read({ dataId: this.dataId, shape: this.shape, dtype: this.dtype });
  }
  dataSync(): DataArray {
    const read = this.backend.readSync;
    if (!read) throw new BackendError(`dataSync: backend '${this.backend.name}' cannot read synchronously; use await toArray()`);
    return read.call(this.backend, { dataId: this.dataId, shape: this.shape, dtype: this.dtype });
  }
  async toArray(): Promise<NestedArray> {
    return nest(await this.data(), this.shape, this.dtype);
  }
  toArraySync(): NestedArray {
    return nest(this.dataSync(), this.shape, this.dtype);
  }
  /** The single value of a one-element tensor. */
  item(): number | boolean {
    if (this.size !== 1) throw new ArgumentError(`item: expected a tensor with one element, got ${this.describe()}`);
    const v = this.dataSync()[0];
    return this.dtype === 'bool' ? v !== 0 : v;
  }
  toString(): string {
    return formatTensor(this);
  }

  // ---- autograd ----
  backward(gradient?: Tensor, options: Omit<BackwardOptions, 'gradient'> = {}): void {
    const h = autogradHooks();
    if (!h) throw new BackendError("backward: autograd is not loaded; import '@plexus/autograd'");
    h.backward(this, { ...options, gradient });
  }
  detach(): Tensor {
    return ops.detach(this);
  }
  /** A copy on another backend. */
  to(backendName: string): Tensor {
    return ops.toBackend(this, backendName);
  }
  clone(): Tensor {
    return ops.clone(this);
  }

  // ---- elementwise ----
  add(other: TensorLike): Tensor { return ops.add(this, other); }
  sub(other: TensorLike): Tensor { return ops.sub(this, other); }
  mul(other: TensorLike): Tensor { return ops.mul(this, other); }
  div(other: TensorLike): Tensor { return ops.div(this, other); }
  pow(exponent: TensorLike): Tensor { return ops.pow(this, exponent); }
  maximum(other: TensorLike): Tensor { return ops.maximum(this, other); }
  minimum(other: TensorLike): Tensor { return ops.minimum(this, other); }
  neg(): Tensor { return ops.neg(this); }
  abs(): Tensor { return ops.abs(this); }
  sign(): Tensor { return ops.sign(this); }
  exp(): Tensor { return ops.exp(this); }
  log(): Tensor { return ops.log(this); }
  log1p(): Tensor { return ops.log1p(this); }
  expm1(): Tensor { return ops.expm1(this); }
  sqrt(): Tensor { return ops.sqrt(this); }
  rsqrt(): Tensor { return ops.rsqrt(this); }
  square(): Tensor { return ops.square(this); }
  reciprocal(): Tensor { return ops.reciprocal(this); }
  sin(): Tensor { return ops.sin(this); }
  cos(): Tensor { return ops.cos(this); }
  tanh(): Tensor { return ops.tanh(this); }
  sigmoid(): Tensor { return ops.sigmoid(this); }
  erf(): Tensor { return ops.erf(this); }
  floor(): Tensor { return ops.floor(this); }
  ceil(): Tensor { return ops.ceil(this); }
  round(): Tensor { return ops.round(this); }
  clamp(min?: number | null, max?: number | null): Tensor { return ops.clamp(this, min, max); }
  eq(other: TensorLike): Tensor { return ops.equal(this, other); }
  ne(other: TensorLike): Tensor { return ops.notEqual(this, other); }
  lt(other: TensorLike): Tensor { return ops.less(this, other); }
  le(other: TensorLike): Tensor { return ops.lessEqual(this, other); }
  gt(other: TensorLike): Tensor { return ops.greater(this, other); }
  ge(other: TensorLike): Tensor { return ops.greaterEqual(this, other); }
  logicalNot(): Tensor { return ops.logicalNot(this); }
  logicalAnd(other: TensorLike): Tensor { return ops.logicalAnd(this, other); }
  logicalOr(other: TensorLike): Tensor { return ops.logicalOr(this, other); }
  isNaN(): Tensor { return ops.isNaN(this); }
  isFinite(): Tensor { return ops.isFinite(this); }
  cast(dtype: DType): Tensor { return ops.cast(this, dtype); }
  float(): Tensor { return ops.cast(this, 'float32'); }
  double(): Tensor { return ops.cast(this, 'float64'); }
  int(): Tensor { return ops.cast(this, 'int32'); }
  bool(): Tensor { return ops.cast(this, 'bool'); }

  // ---- activations ----
  relu(): Tensor { return ops.relu(this); }
  leakyRelu(negativeSlope?: number): Tensor { return ops.leakyRelu(this, negativeSlope); }
  elu(alpha?: number): Tensor { return ops.elu(this, alpha); }
  gelu(approximate?: 'none' | 'tanh'): Tensor { return ops.gelu(this, approximate); }
  silu(): Tensor { return ops.silu(this); }
  softplus(beta?: number, threshold?: number): Tensor { return ops.softplus(this, beta, threshold); }
  softmax(dim = -1): Tensor { return ops.softmax(this, dim); }
  logSoftmax(dim = -1): Tensor { return ops.logSoftmax(this, dim); }

  // ---- reductions ----
  sum(dim?: number | number[], keepdim = false): Tensor { return ops.sum(this, dim, keepdim); }
  mean(dim?: number | number[], keepdim = false): Tensor { return ops.mean(this, dim, keepdim); }
  prod(dim?: number | number[], keepdim = false): Tensor { return ops.prod(this, dim, keepdim); }
  max(dim?: number | number[], keepdim = false): Tensor { return ops.max(this, dim, keepdim); }
  min(dim?: number | number[], keepdim = false): Tensor { return ops.min(this, dim, keepdim); }
  argmax(dim?: number, keepdim = false): Tensor { return ops.argmax(this, dim, keepdim); }
  argmin(dim?: number, keepdim = false): Tensor { return ops.argmin(this, dim, keepdim); }
  var(dim?: number | number[], options?: ops.VarianceOptions): Tensor { return ops.variance(this, dim, options); }
  std(dim?: number | number[], options?: ops.VarianceOptions): Tensor { return ops.std(this, dim, options); }
  logsumexp(dim?: number | number[], keepdim = false): Tensor { return ops.logsumexp(this, dim, keepdim); }
  all(dim?: number | number[], keepdim = false): Tensor { return ops.all(this, dim, keepdim); }
  any(dim?: number | number[], keepdim = false): Tensor { return ops.any(this, dim, keepdim); }

  // ---- shape ----
  reshape(shape: readonly number[]): Tensor { return ops.reshape(this, shape); }
  view(shape: readonly number[]): Tensor { return ops.reshape(this, shape); }
  flatten(startDim = 0, endDim = -1): Tensor { return ops.flatten(this, startDim, endDim); }
  squeeze(dim?: number | number[]): Tensor { return ops.squeeze(this, dim); }
  unsqueeze(dim: number): Tensor { return ops.unsqueeze(this, dim); }
  transpose(dim0 = -2, dim1 = -1): Tensor { return ops.transpose(this, dim0, dim1); }
  /** Transpose of a 2-D tensor (PyTorch's .t()). */
  t(): Tensor { return ops.t(this); }
  permute(dims: readonly number[]): Tensor { return ops.permute(this, dims); }
  expand(shape: readonly number[]): Tensor { return ops.expand(this, shape); }
  broadcastTo(shape: readonly number[]): Tensor { return ops.broadcastTo(this, shape); }
  slice(dim: number, start?: number | null, end?: number | null, step = 1): Tensor { return ops.slice(this, dim, start, end, step); }
  narrow(dim: number, start: number, length: number): Tensor { return ops.narrow(this, dim, start, length); }
  pad(pads: readonly number[], value = 0): Tensor { return ops.pad(this, pads, value); }
  tile(reps: readonly number[]): Tensor { return ops.tile(this, reps); }
  flip(dims: number | readonly number[]): Tensor { return ops.flip(this, dims); }
  split(splitSize: number | readonly number[], dim = 0): Tensor[] { return ops.split(this, splitSize, dim); }
  chunk(chunks: number, dim = 0): Tensor[] { return ops.chunk(this, chunks, dim); }
  triu(diagonal = 0): Tensor { return ops.triu(this, diagonal); }
  tril(diagonal = 0): Tensor { return ops.tril(this, diagonal); }

  // ---- indexing ----
  gather(dim: number, index: Tensor): Tensor { return ops.gather(this, dim, index); }
  scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor { return ops.scatterAdd(this, dim, index, src); }
  indexSelect(dim: number, index: Tensor): Tensor { return ops.indexSelect(this, dim, index); }

  // ---- linear algebra and convolution ----
  matmul(other: Tensor): Tensor { return ops.matmul(this, other); }
}

/**
 * A copy of `t`'s storage that no Tensor owns yet, as constructor arguments: lets a subclass
 * (nn's Parameter) be built from an existing tensor: `super(...ownedCopy(t))`.
 */
export function ownedCopy(t: Tensor): [DataId, Shape, DType, Backend] {
  return Tensor.ownedCopy(t);
}

function nest(data: DataArray, shape: Shape, dtype: DType): NestedArray {
  const value = (i: number): number | boolean => (dtype === 'bool' ? data[i] !== 0 : data[i]);
  if (shape.length === 0) return value(0);
  const build = (axis: number, offset: number, stride: number): NestedArray[] => {
    const n = shape[axis];
    const inner = stride / Math.max(n, 1);
    const out: NestedArray[] = new Array(n);
    for (let i = 0; i < n; i++) {
      out[i] = axis === shape.length - 1 ? value(offset + i) : build(axis + 1, offset + i * inner, inner);
    }
    return out;
  };
  return build(0, 0, sizeOf(shape));
}

export function isTensor(v: unknown): v is Tensor {
  return v instanceof Tensor;
}

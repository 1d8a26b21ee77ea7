import type { DataArray, DType } from './dtype.js';
import type { AcceleratedAttrs, AcceleratedName, PrimitiveAttrs, PrimitiveName } from './primitives.js';
import type { Shape } from './shape.js';

/** A backend's handle to one tensor's storage. Opaque to everything but that backend. */
export type DataId = object;

/** What a backend sees of a tensor. */
export interface TensorInfo {
  readonly dataId: DataId;
  readonly shape: Shape;
  readonly dtype: DType;
}

export interface OutputInfo {
  readonly shape: Shape;
  readonly dtype: DType;
}

export type PrimitiveImpl<K extends PrimitiveName> = (
  inputs: readonly TensorInfo[],
  attrs: PrimitiveAttrs[K],
  out: OutputInfo,
) => DataId;

export type AcceleratedImpl<K extends AcceleratedName> = (
  inputs: readonly TensorInfo[],
  attrs: AcceleratedAttrs[K],
  out: OutputInfo,
) => DataId;

/** One implementation per primitive: the compiler rejects a backend that misses one. */
export type PrimitiveTable = { readonly [K in PrimitiveName]: PrimitiveImpl<K> };
export type AcceleratedTable = { readonly [K in AcceleratedName]: AcceleratedImpl<K> };

export interface BackendMemory {
  /** Live (written or computed, not yet disposed) handles. */
  readonly numHandles: number;
  /** Bytes held by those handles. */
  readonly numBytes: number;
}

/**
 * What a backend implements: storage plus the primitives. Shape and dtype logic live in
 * `@plexus/tensor`, so each primitive receives already-checked inputs and its output info.
 */
export interface Backend {
  readonly name: string;
  /** dtypes this backend stores; float32, int32 and bool are required. */
  readonly dtypes: readonly DType[];
  /** Takes ownership of a copy of `values` (length = product of shape). */
  write(values: DataArray, shape: Shape, dtype: DType): DataId;
  /** A copy of the values. Reading a disposed handle rejects with a BackendError. */
  read(t: TensorInfo): Promise<DataArray>;
  /** Synchronous read, where the backend can offer it; throws on a disposed handle. */
  readSync?(t: TensorInfo): DataArray;
  /** Releases the storage. Called at most once per handle; later use of it throws. */
  dispose(dataId: DataId): void;
  memory(): BackendMemory;
  readonly primitives: PrimitiveTable;
  readonly accelerated?: Partial<AcceleratedTable>;
  /**
   * True when a handle's storage is freed by the garbage collector as soon as the handle object
   * is unreachable (JS typed arrays, or native memory behind a Node-API finalizer). Tensors on
   * such a backend do not register for finalization: a finalization callback runs only when the
   * event loop gets a turn, so its held handle would keep every intermediate of a synchronous
   * training loop alive until then.
   */
  readonly freedByGC?: boolean;
}

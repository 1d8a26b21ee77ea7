import { BackendError, bytesPerElement, sizeOf } from '@plexus/tensor';
import type { DataId, DType, Shape } from '@plexus/tensor';
import type { TfTensor } from './tfjs.js';

/**
 * The backend's DataId: one TensorFlow.js tensor plus bookkeeping. Each handle owns its tf tensor
 * (tensors that share data, like reshapes, are separate tf tensors with a shared, refcounted
 * buffer), so disposing a handle releases exactly what it holds.
 */
export class TfHandle {
  /** null once disposed, so that a stale handle fails loudly instead of reading freed memory. */
  tensor: TfTensor | null;
  readonly dtype: DType;
  readonly bytes: number;
  readonly owner: TfStorage;

  constructor(tensor: TfTensor, dtype: DType, shape: Shape, owner: TfStorage) {
    this.tensor = tensor;
    this.dtype = dtype;
    this.bytes = sizeOf(shape) * bytesPerElement(dtype);
    this.owner = owner;
  }
}

interface Held {
  tensor: TfTensor;
  bytes: number;
  storage: TfStorage;
}

/**
 * A handle dropped without `dispose` (a DataId that never reached a Plexus Tensor, whose own
 * finalizer would dispose it) still frees its tf tensor when the garbage collector takes it.
 */
const finalizer = new FinalizationRegistry<Held>((held) => {
  held.storage.release(held.bytes);
  try {
    held.tensor.dispose();
  } catch {
    // A tfjs engine already torn down (process exit) has nothing left to free.
  }
});

/** Creates handles, resolves them back to tf tensors, and counts what is live. */
export class TfStorage {
  private handles = 0;
  private bytes = 0;

  constructor(private readonly backendName: string) {}

  create(tensor: TfTensor, dtype: DType, shape: Shape): TfHandle {
    const h = new TfHandle(tensor, dtype, shape, this);
    this.handles += 1;
    this.bytes += h.bytes;
    finalizer.register(h, { tensor, bytes: h.bytes, storage: this }, h);
    return h;
  }

  /** The live tf tensor behind `dataId`; `op` names the caller in errors. */
  tensor(op: string, dataId: DataId): TfTensor {
    const h = this.handle(op, dataId);
    if (h.tensor === null) throw new BackendError(`${op}: tensor data was already disposed (backend '${this.backendName}')`);
    return h.tensor;
  }

  dispose(dataId: DataId): void {
    const h = this.handle('dispose', dataId);
    if (h.tensor === null) throw new BackendError(`dispose: tensor data was already disposed (backend '${this.backendName}')`);
    finalizer.unregister(h);
    const t = h.tensor;
    h.tensor = null;
    this.release(h.bytes);
    t.dispose();
  }

  /** @internal Accounting for a handle released by dispose or by the finalizer. */
  release(bytes: number): void {
    this.handles -= 1;
    this.bytes -= bytes;
  }

  memory(): { numHandles: number; numBytes: number } {
    return { numHandles: this.handles, numBytes: this.bytes };
  }

  private handle(op: string, dataId: DataId): TfHandle {
    if (!(dataId instanceof TfHandle) || dataId.owner !== this) {
      throw new BackendError(`${op}: the data handle does not belong to backend '${this.backendName}'`);
    }
    return dataId;
  }
}

import { BackendError, bytesPerElement } from '@plexus/tensor';
import type { DataArray, DataId, DType } from '@plexus/tensor';

/**
 * The js backend's DataId: a typed array plus bookkeeping. Several handles may share one typed
 * array (reshape, same-dtype cast): tensors are immutable, so nobody writes into a live array.
 */
export class JsHandle {
  /** null once disposed, so a stale handle fails loudly instead of reading freed data. */
  values: DataArray | null;
  readonly dtype: DType;
  /** Bytes this handle accounts for (its logical size, even when the array is shared). */
  readonly bytes: number;

  constructor(values: DataArray, dtype: DType) {
    this.values = values;
    this.dtype = dtype;
    this.bytes = values.length * bytesPerElement(dtype);
  }
}

/**
 * Creates handles, resolves them back to arrays, and keeps the live-handle accounting. A handle
 * that becomes unreachable is reclaimed by the garbage collector with its array; the registry
 * (whose held value is only the byte count, so it keeps nothing alive) then updates the counts.
 */
export class Storage {
  private handles = 0;
  private bytes = 0;
  private readonly collected = new FinalizationRegistry<number>((bytes) => {
    this.handles -= 1;
    this.bytes -= bytes;
  });

  create(values: DataArray, dtype: DType): JsHandle {
    const h = new JsHandle(values, dtype);
    this.handles += 1;
    this.bytes += h.bytes;
    this.collected.register(h, h.bytes, h);
    return h;
  }

  /** The live array behind `dataId`; `op` names the caller in the error. */
  values(op: string, dataId: DataId): DataArray {
    const h = this.handle(op, dataId);
    if (h.values === null) throw new BackendError(`${op}: tensor data was already disposed (js backend)`);
    return h.values;
  }

  dispose(dataId: DataId): void {
    const h = this.handle('dispose', dataId);
    if (h.values === null) throw new BackendError('dispose: tensor data was already disposed (js backend)');
    h.values = null;
    this.collected.unregister(h);
    this.handles -= 1;
    this.bytes -= h.bytes;
  }

  memory(): { numHandles: number; numBytes: number } {
    return { numHandles: this.handles, numBytes: this.bytes };
  }

  private handle(op: string, dataId: DataId): JsHandle {
    if (!(dataId instanceof JsHandle)) {
      throw new BackendError(`${op}: the data handle does not belong to the js backend`);
    }
    return dataId;
  }
}

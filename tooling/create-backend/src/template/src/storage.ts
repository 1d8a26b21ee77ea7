import { BackendError, bytesPerElement } from '@plexus/tensor';
import type { DataArray, DataId, DType } from '@plexus/tensor';

/**
 * Storage of the __NAME__ backend: a typed array on the host per handle. This is the first
 * thing to replace for a device backend (GPU buffers, a native heap, …): keep the same four
 * methods and the handle accounting, and the rest of the backend follows.
 */
export class __CLASS__Handle {
  /** null once disposed, so that a stale handle fails loudly. */
  values: DataArray | null;
  readonly dtype: DType;
  readonly bytes: number;

  constructor(values: DataArray, dtype: DType) {
    this.values = values;
    this.dtype = dtype;
    this.bytes = values.length * bytesPerElement(dtype);
  }
}

export class __CLASS__Storage {
  private handles = 0;
  private bytes = 0;

  /** Takes ownership of `values` (already a copy, of the dtype's array type). */
  create(values: DataArray, dtype: DType): __CLASS__Handle {
    const h = new __CLASS__Handle(values, dtype);
    this.handles += 1;
    this.bytes += h.bytes;
    return h;
  }

  values(op: string, dataId: DataId): DataArray {
    const h = this.handle(op, dataId);
    if (h.values === null) throw new BackendError(`${op}: tensor data was already disposed (backend '__NAME__')`);
    return h.values;
  }

  dispose(dataId: DataId): void {
    const h = this.handle('dispose', dataId);
    if (h.values === null) throw new BackendError(`dispose: tensor data was already disposed (backend '__NAME__')`);
    h.values = null;
    this.handles -= 1;
    this.bytes -= h.bytes;
  }

  memory(): { numHandles: number; numBytes: number } {
    return { numHandles: this.handles, numBytes: this.bytes };
  }

  private handle(op: string, dataId: DataId): __CLASS__Handle {
    if (!(dataId instanceof __CLASS__Handle)) throw new BackendError(`${op}: the data handle does not belong to backend '__NAME__'`);
    return dataId;
  }
}

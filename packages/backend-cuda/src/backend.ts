import { BackendError, allocArray, dtypeOfArray, sizeOf } from '@plexus/tensor';
import type {
  AcceleratedTable, Backend, BackendMemory, DataArray, DataId, DType, PrimitiveTable, Shape, TensorInfo,
} from '@plexus/tensor';
import { TfStorage } from './storage.js';
import { createTables } from './table.js';
import type { Tfjs } from './tfjs.js';
import { float64Error } from './tfjs.js';

const DTYPES: readonly DType[] = ['float32', 'int32', 'bool'];

export interface TfjsBackendOptions {
  /** The name the backend reports (and is usually registered under). Default 'tfjs'. */
  name?: string;
}

/**
 * A Plexus backend on any TensorFlow.js build: each primitive and accelerated op is a few tf ops
 * run inside tf.tidy, outside TensorFlow.js's gradient tape (Plexus autograd differentiates). The
 * DataId is a handle owning one tf tensor; dispose(), scope() and the garbage collector (through
 * the Tensor's finalizer, and a finalizer on the handle itself) release it. float32, int32 and
 * bool only: TensorFlow.js has no float64.
 */
export class TfjsBackend implements Backend {
  readonly name: string;
  readonly dtypes = DTYPES;
  readonly primitives: PrimitiveTable;
  readonly accelerated: Partial<AcceleratedTable>;
  /** The TensorFlow.js module every op runs on. */
  readonly tf: Tfjs;
  private readonly storage: TfStorage;

  constructor(tf: Tfjs, options: TfjsBackendOptions = {}) {
    this.tf = tf;
    this.name = options.name ?? 'tfjs';
    this.storage = new TfStorage(this.name);
    const tables = createTables(tf, this.storage, this.name);
    this.primitives = tables.primitives;
    this.accelerated = tables.accelerated;
  }

  write(values: DataArray, shape: Shape, dtype: DType): DataId {
    if (dtype === 'float64') throw float64Error('write', this.name);
    const size = sizeOf(shape);
    if (values.length !== size) {
      throw new BackendError(`write: got ${values.length} values for shape [${shape.join(',')}] (${size} elements)`);
    }
    // A copy (TensorFlow.js's CPU build keeps the array it is given), converted to the dtype's
    // array; bool is normalised to 0/1 since any Uint8Array may arrive.
    const copy = allocArray(dtype, size);
    if (dtype === 'bool') for (let i = 0; i < size; i++) copy[i] = values[i] !== 0 ? 1 : 0;
    else copy.set(dtypeOfArray(values) === 'bool' ? Uint8Array.from(values) : values);
    const t = this.tf.tensor(copy as Float32Array | Int32Array | Uint8Array, shape as number[], dtype);
    return this.storage.create(t, dtype, shape);
  }

  /** Rejects with a BackendError for a disposed handle. */
  async read(t: TensorInfo): Promise<DataArray> {
    const values = await this.storage.tensor('read', t.dataId).data();
    return this.owned(values, t);
  }

  readSync(t: TensorInfo): DataArray {
    return this.owned(this.storage.tensor('readSync', t.dataId).dataSync(), t);
  }

  dispose(dataId: DataId): void {
    this.storage.dispose(dataId);
  }

  /** This backend's live handles and their bytes (see `tfMemory()` for TensorFlow.js's own count). */
  memory(): BackendMemory {
    return this.storage.memory();
  }

  /** TensorFlow.js's engine-wide counters: every tf tensor alive in this tfjs module. */
  tfMemory(): { numTensors: number; numBytes: number } {
    const m = this.tf.memory();
    return { numTensors: m.numTensors, numBytes: m.numBytes };
  }

  /** A fresh array of the dtype's type: callers may mutate it, and the CPU build returns its own storage. */
  private owned(values: ArrayLike<number>, t: TensorInfo): DataArray {
    const out = allocArray(t.dtype, values.length);
    out.set(values);
    return out;
  }
}

/** A backend on the given TensorFlow.js module (with its backend already chosen, e.g. 'cpu' or 'webgl'). */
export function createTfjsBackend(tf: Tfjs, options: TfjsBackendOptions = {}): TfjsBackend {
  return new TfjsBackend(tf, options);
}

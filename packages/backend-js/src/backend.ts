import { allocArray, BackendError, dtypeOfArray, sizeOf } from '@plexus/tensor';
import type { Backend, BackendMemory, DataArray, DataId, DType, PrimitiveTable, Shape, TensorInfo } from '@plexus/tensor';
import { castInto } from './cast.js';
import { Storage } from './storage.js';
import { createPrimitiveTable } from './table.js';

const DTYPES: readonly DType[] = ['float32', 'float64', 'int32', 'bool'];

/**
 * The reference backend: typed arrays on the host, every primitive in plain TypeScript, float64
 * included. Synchronous throughout, so `readSync` is always available. No Node APIs: it runs
 * unchanged in browsers and workers.
 */
export class JsBackend implements Backend {
  readonly name = 'js';
  readonly dtypes = DTYPES;
  /** Handles hold plain typed arrays: the garbage collector frees them, no finalizer needed. */
  readonly freedByGC = true;
  readonly primitives: PrimitiveTable;
  private readonly storage = new Storage();

  constructor() {
    this.primitives = createPrimitiveTable(this.storage);
  }

  write(values: DataArray, shape: Shape, dtype: DType): DataId {
    const size = sizeOf(shape);
    if (values.length !== size) {
      throw new BackendError(`write: got ${values.length} values for shape [${shape.join(',')}] (${size} elements)`);
    }
    const copy = allocArray(dtype, size);
    // A mismatched array type is converted like a cast, a matching one copied; bool is always
    // normalised to 0/1, since any Uint8Array may arrive.
    if (dtypeOfArray(values) === dtype && dtype !== 'bool') copy.set(values);
    else castInto(values, copy, dtype);
    return this.storage.create(copy, dtype);
  }

  /** Rejects (rather than throws) with a BackendError for a disposed handle. */
  async read(t: TensorInfo): Promise<DataArray> {
    return this.copyOut('read', t);
  }

  readSync(t: TensorInfo): DataArray {
    return this.copyOut('readSync', t);
  }

  dispose(dataId: DataId): void {
    this.storage.dispose(dataId);
  }

  memory(): BackendMemory {
    return this.storage.memory();
  }

  /** A copy: callers may mutate what they get, and arrays can be shared between handles. */
  private copyOut(op: string, t: TensorInfo): DataArray {
    return this.storage.values(op, t.dataId).slice();
  }
}

export function createJsBackend(): Backend {
  return new JsBackend();
}

import type {
  AcceleratedTable, Backend, BackendMemory, DataArray, DataId, DType, PrimitiveTable, Shape, TensorInfo,
} from '@plexus/tensor';
import { createAcceleratedTable } from './accelerated.js';
import { dtypeCode } from './codes.js';
import type { NativeContext } from './native.js';
import { nativeAddon } from './native.js';
import { createPrimitiveTable } from './table.js';

const DTYPES: readonly DType[] = ['float32', 'float64', 'int32', 'bool'];

/**
 * The native CPU backend. Storage is native memory owned by handles (napi externals): released
 * by `dispose`, or by the garbage collector through the handle's finalizer, with the bytes
 * announced to V8 so that it collects in time. Each instance counts its own handles and bytes.
 */
export class CpuBackend implements Backend {
  readonly name = 'cpu';
  /** Handle finalizers run inside the GC (a basic Node-API finalizer), freeing native memory. */
  readonly freedByGC = true;
  readonly dtypes = DTYPES;
  readonly primitives: PrimitiveTable;
  readonly accelerated: Partial<AcceleratedTable>;
  private readonly ctx: NativeContext;

  /** Throws a BackendError saying why when the native addon is not available. */
  constructor() {
    this.ctx = nativeAddon().createContext();
    this.primitives = createPrimitiveTable(this.ctx);
    this.accelerated = createAcceleratedTable(this.ctx);
  }

  write(values: DataArray, shape: Shape, dtype: DType): DataId {
    return this.ctx.write(values, shape, dtypeCode('write', dtype));
  }

  /** A copy of the values; rejects with a BackendError for a disposed or foreign handle. */
  async read(t: TensorInfo): Promise<DataArray> {
    return this.ctx.read(t.dataId);
  }

  readSync(t: TensorInfo): DataArray {
    return this.ctx.read(t.dataId);
  }

  dispose(dataId: DataId): void {
    this.ctx.dispose(dataId);
  }

  memory(): BackendMemory {
    const [numHandles, numBytes] = this.ctx.memory();
    return { numHandles, numBytes };
  }

  /** How a handle lies on its storage (for tests and debugging: views share storage). */
  describe(dataId: DataId): ReturnType<NativeContext['describe']> {
    return this.ctx.describe(dataId);
  }
}

/** A fresh, unregistered instance (tests create several; each counts its own memory). */
export function createCpuBackend(): CpuBackend {
  return new CpuBackend();
}

import { ACCELERATED_NAMES, PRIMITIVE_NAMES, bytesPerElement, sizeOf } from '@plexus/tensor';
import type {
  AcceleratedName, AcceleratedTable, Backend, BackendMemory, DataArray, DataId, DType, OutputInfo, PrimitiveName,
  PrimitiveTable, Shape, TensorInfo,
} from '@plexus/tensor';
import type { OpStats, TraceRecord } from './stats.js';
import { OpTotals, formatReport } from './stats.js';

export interface TraceOptions {
  /** Name of the backend (default `trace:<inner name>`). */
  name?: string;
  /** Records kept for `records()`; later calls still count in the totals (default 100,000). */
  maxRecords?: number;
  /** Clock in milliseconds (default performance.now). */
  now?: () => number;
  /** Called with each record as it is made. */
  onRecord?: (record: TraceRecord) => void;
}

type AnyImpl = (inputs: readonly TensorInfo[], attrs: object, out: OutputInfo) => DataId;

const bytesOf = (shape: Shape, dtype: DType): number => sizeOf(shape) * bytesPerElement(dtype);

/**
 * A backend that runs every call on another backend and records it: op name, input and output
 * shapes, wall time and output bytes. Storage (DataIds, memory) is the inner backend's own, so a
 * trace can wrap any backend, and it passes the conformance suite whenever the inner one does.
 * The inner backend's accelerated ops are traced as one op each; where it has none, the
 * decomposition's primitives are traced one by one.
 */
export class TraceBackend implements Backend {
  readonly name: string;
  readonly inner: Backend;
  readonly dtypes: readonly DType[];
  readonly primitives: PrimitiveTable;
  readonly accelerated?: Partial<AcceleratedTable>;
  readonly readSync?: (t: TensorInfo) => DataArray;
  private readonly log: TraceRecord[] = [];
  private readonly totals = new OpTotals();
  private readonly maxRecords: number;
  private readonly now: () => number;
  private readonly onRecord?: (record: TraceRecord) => void;
  private dropped = 0;

  constructor(inner: Backend, options: TraceOptions = {}) {
    this.inner = inner;
    this.name = options.name ?? `trace:${inner.name}`;
    this.dtypes = inner.dtypes;
    this.maxRecords = options.maxRecords ?? 100_000;
    this.now = options.now ?? (() => performance.now());
    this.onRecord = options.onRecord;

    const primitives: Partial<Record<PrimitiveName, AnyImpl>> = {};
    for (const op of PRIMITIVE_NAMES) primitives[op] = this.traced(op, 'primitive', inner.primitives[op] as AnyImpl);
    this.primitives = primitives as PrimitiveTable;
    const own = inner.accelerated;
    if (own) {
      const accelerated: Partial<Record<AcceleratedName, AnyImpl>> = {};
      for (const op of ACCELERATED_NAMES) {
        const impl = own[op];
        if (impl) accelerated[op] = this.traced(op, 'accelerated', impl as AnyImpl);
      }
      this.accelerated = accelerated as Partial<AcceleratedTable>;
    }
    const innerSync = inner.readSync;
    if (innerSync) {
      this.readSync = (t) => {
        const start = this.now();
        const values = innerSync.call(inner, t);
        this.record({ op: 'readSync', kind: 'storage', inputShapes: [t.shape], outputShape: t.shape, dtype: t.dtype, ms: this.now() - start, bytes: bytesOf(t.shape, t.dtype) });
        return values;
      };
    }
  }

  write(values: DataArray, shape: Shape, dtype: DType): DataId {
    const start = this.now();
    const id = this.inner.write(values, shape, dtype);
    this.record({ op: 'write', kind: 'storage', inputShapes: [], outputShape: shape, dtype, ms: this.now() - start, bytes: bytesOf(shape, dtype) });
    return id;
  }

  async read(t: TensorInfo): Promise<DataArray> {
    const start = this.now();
    const values = await this.inner.read(t);
    this.record({ op: 'read', kind: 'storage', inputShapes: [t.shape], outputShape: t.shape, dtype: t.dtype, ms: this.now() - start, bytes: bytesOf(t.shape, t.dtype) });
    return values;
  }

  dispose(dataId: DataId): void {
    this.inner.dispose(dataId);
  }

  memory(): BackendMemory {
    return this.inner.memory();
  }

  /** The records kept so far, oldest first (at most `maxRecords`). */
  records(): readonly TraceRecord[] {
    return this.log;
  }

  /** Calls made after `maxRecords` was reached: counted in `stats()`, not kept in `records()`. */
  get droppedRecords(): number {
    return this.dropped;
  }

  /** Totals per op (storage calls included), sorted by total time, most first. */
  stats(): OpStats[] {
    return this.totals.stats();
  }

  /** The table: op, calls, total ms, mean ms, bytes, sorted by total time (`top` rows at most). */
  report(options: { top?: number } = {}): string {
    return formatReport(`Op profile of backend '${this.name}' (wall time of each call on '${this.inner.name}')`, this.stats(), options.top);
  }

  /** Forgets every record and total. */
  reset(): void {
    this.log.length = 0;
    this.totals.clear();
    this.dropped = 0;
  }

  private traced(op: string, kind: TraceRecord['kind'], impl: AnyImpl): AnyImpl {
    return (inputs, attrs, out) => {
      const start = this.now();
      const id = impl(inputs, attrs, out);
      const ms = this.now() - start;
      this.record({ op, kind, inputShapes: inputs.map((t) => t.shape), outputShape: out.shape, dtype: out.dtype, ms, bytes: bytesOf(out.shape, out.dtype) });
      return id;
    };
  }

  private record(r: TraceRecord): void {
    this.totals.add(r);
    if (this.log.length < this.maxRecords) this.log.push(r);
    else this.dropped += 1;
    this.onRecord?.(r);
  }
}

import { grad } from '@plexus/autograd';
import type { Backend, DataArray, DType, Tensor, TensorInfo } from '@plexus/tensor';
import * as T from '@plexus/tensor';
import { ACCELERATED_NAMES, BackendError, DTypeError, PRIMITIVE_NAMES, allocArray, fromData, scope, sizeOf } from '@plexus/tensor';
import { referenceBackend } from './run.js';

/** A failed storage, interface or error check. */
export class ConformanceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConformanceError';
  }
}

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new ConformanceError(message);
}

/** Runs fn and returns what it threw or rejected with (undefined when it did neither). */
async function caught(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (e) {
    return e ?? new Error('threw a nullish value');
  }
  return undefined;
}

/**
 * A check of one property of a backend. `run` gets the backend factory (checks that count
 * handles use a fresh instance) and returns a reason to skip, or nothing when it passed.
 */
export interface BackendCheck {
  group: 'interface' | 'storage' | 'errors';
  name: string;
  run(createBackend: () => Backend): Promise<string | void>;
}

const ARRAY_TYPE: Record<DType, string> = { float32: 'Float32Array', float64: 'Float64Array', int32: 'Int32Array', bool: 'Uint8Array' };

/** Values that must survive a write/read unchanged, per dtype. */
const ROUND_TRIP: Record<DType, readonly number[]> = {
  float32: [0, -0, 1.5, -2.25, 3.4028234663852886e38, -3.4028234663852886e38, 1.401298464324817e-45, Infinity, -Infinity, NaN, 0.1, 16777216],
  float64: [0, -0, 1.5, -2.25, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, Infinity, -Infinity, NaN, 0.1, 9007199254740991],
  int32: [0, 1, -1, 2147483647, -2147483648, 123456789, -987654321, 7, 8, 9, 10, 11],
  bool: [0, 1, 1, 0, 0, 1, 1, 1, 0, 0, 1, 0],
};

function sameValues(got: ArrayLike<number>, want: ArrayLike<number>): string | undefined {
  if (got.length !== want.length) return `${got.length} values, expected ${want.length}`;
  for (let i = 0; i < want.length; i++) {
    const ok = Number.isNaN(want[i]) ? Number.isNaN(got[i]) : got[i] === want[i];
    if (!ok) return `value ${i} is ${got[i]}, expected ${want[i]}`;
  }
  return undefined;
}

function dataOf(dtype: DType, values: readonly number[]): DataArray {
  const a = allocArray(dtype, values.length);
  a.set(values);
  return a;
}

function roundTrip(dtype: DType): BackendCheck {
  return {
    group: 'storage',
    name: `write/read round trip ${dtype}`,
    async run(createBackend) {
      const b = createBackend();
      if (!b.dtypes.includes(dtype)) return `backend '${b.name}' does not list ${dtype}`;
      const values = ROUND_TRIP[dtype];
      const shapes: readonly (readonly number[])[] = [[3, 4], [12], []];
      for (const shape of shapes) {
        const want = dataOf(dtype, values.slice(0, sizeOf(shape)));
        const src = want.slice();
        const info: TensorInfo = { dataId: b.write(src, shape, dtype), shape, dtype };
        src.fill(dtype === 'bool' ? 0 : 5); // the backend must have copied its input
        const got = await b.read(info);
        assert(Object.prototype.toString.call(got) === `[object ${ARRAY_TYPE[dtype]}]`, `read of ${dtype} returned ${Object.prototype.toString.call(got)}, expected a ${ARRAY_TYPE[dtype]}`);
        const bad = sameValues(got, want);
        assert(!bad, `read after write of ${dtype} [${shape.join(',')}]: ${bad}`);
        if (b.readSync) {
          const sync = b.readSync(info);
          assert(Object.prototype.toString.call(sync) === `[object ${ARRAY_TYPE[dtype]}]`, `readSync of ${dtype} returned ${Object.prototype.toString.call(sync)}`);
          const badSync = sameValues(sync, want);
          assert(!badSync, `readSync after write of ${dtype} [${shape.join(',')}]: ${badSync}`);
        }
        b.dispose(info.dataId);
      }
      // Zero-size tensors are stored and read too.
      const empty: TensorInfo = { dataId: b.write(allocArray(dtype, 0), [0, 3], dtype), shape: [0, 3], dtype };
      assert((await b.read(empty)).length === 0, `read of a zero-size ${dtype} tensor returned values`);
      b.dispose(empty.dataId);
    },
  };
}

function handles(b: Backend): number {
  return b.memory().numHandles;
}

function expectCount(b: Backend, want: number, when: string): void {
  const got = handles(b);
  assert(got === want, `memory().numHandles is ${got} ${when}, expected ${want}`);
}

/** A view of `b` that does not offer float64 (for backends that do), to check the refusal. */
function withoutFloat64(b: Backend): Backend {
  return {
    name: b.name,
    dtypes: b.dtypes.filter((d) => d !== 'float64'),
    write: (v, s, d) => b.write(v, s, d),
    read: (t) => b.read(t),
    readSync: b.readSync ? (t) => (b.readSync as (t: TensorInfo) => DataArray).call(b, t) : undefined,
    dispose: (id) => b.dispose(id),
    memory: () => b.memory(),
    primitives: b.primitives,
    accelerated: b.accelerated,
  };
}

/** A handful of ops touching most primitive families, all on `b`. */
function workload(b: Backend): Tensor {
  const o = { backend: b };
  const x = T.tensor([[1, 2, 3], [4, 5, 6]], o);
  const w = T.ones([3, 2], o);
  const y = T.softmax(T.matmul(x, w).add(1), -1);
  const img = T.reshape(T.arange(0, 16, 1, { ...o, dtype: 'float32' }), [1, 1, 4, 4]);
  const c = T.maxPool2d(T.conv2d(img, T.ones([2, 1, 3, 3], o), null, { padding: 1 }), 2);
  const g = T.gather(x, 1, T.tensor([[0, 0], [2, 1]], { ...o, dtype: 'int32' }));
  return T.add(T.sum(y), T.add(T.sum(c), T.sum(g.cast('float32'))));
}

export const backendChecks: readonly BackendCheck[] = [
  {
    group: 'interface',
    name: 'name, dtypes and a function for every primitive',
    async run(createBackend) {
      const b = createBackend();
      assert(typeof b.name === 'string' && b.name.length > 0, 'backend.name must be a non-empty string');
      for (const d of ['float32', 'int32', 'bool'] as const) assert(b.dtypes.includes(d), `backend.dtypes must include ${d}, got [${b.dtypes.join(', ')}]`);
      const missing = PRIMITIVE_NAMES.filter((p) => typeof (b.primitives as unknown as Record<string, unknown>)[p] !== 'function');
      assert(missing.length === 0, `backend.primitives lacks ${missing.join(', ')}`);
      const unknown = Object.keys(b.accelerated ?? {}).filter((k) => !(ACCELERATED_NAMES as readonly string[]).includes(k));
      assert(unknown.length === 0, `backend.accelerated has ops tensor never calls: ${unknown.join(', ')}`);
      for (const m of ['write', 'read', 'dispose', 'memory'] as const) assert(typeof b[m] === 'function', `backend.${m} must be a function`);
    },
  },
  ...(['float32', 'float64', 'int32', 'bool'] as const).map(roundTrip),
  {
    group: 'storage',
    name: 'memory() counts written tensors and returns to the start after dispose',
    async run(createBackend) {
      const b = createBackend();
      const start = b.memory();
      const ts = [
        fromData('check', new Float32Array(6), [2, 3], { backend: b }),
        fromData('check', new Int32Array(4), [4], { backend: b }),
        fromData('check', new Uint8Array(5), [5], { backend: b }),
      ];
      expectCount(b, start.numHandles + 3, 'after writing 3 tensors');
      assert(b.memory().numBytes >= start.numBytes + 24 + 16 + 5, `memory().numBytes grew by ${b.memory().numBytes - start.numBytes} for 45 bytes of data`);
      const sum = T.add(ts[0], ts[0]);
      expectCount(b, start.numHandles + 4, 'after one op');
      sum.dispose();
      ts.forEach((t) => t.dispose());
      expectCount(b, start.numHandles, 'after disposing them');
      assert(b.memory().numBytes === start.numBytes, `memory().numBytes is ${b.memory().numBytes} after disposing everything, expected ${start.numBytes}`);
    },
  },
  {
    group: 'storage',
    name: 'scope() releases everything it does not return',
    async run(createBackend) {
      const b = createBackend();
      const start = handles(b);
      scope(() => {
        workload(b);
      });
      expectCount(b, start, 'after a scope that returned nothing');
      const kept = scope(() => workload(b));
      expectCount(b, start + 1, 'after a scope that returned one tensor');
      assert(Number.isFinite((await kept.data())[0]), 'the tensor a scope returned is unreadable');
      kept.dispose();
      expectCount(b, start, 'after disposing the returned tensor');
    },
  },
  {
    group: 'storage',
    name: 'scope() releases the tensors of a gradient computation',
    async run(createBackend) {
      const b = createBackend();
      const start = handles(b);
      const g = scope(() => {
        const x = T.tensor([[0.5, -1], [2, 0.25]], { backend: b, requiresGrad: true });
        const [gx] = grad(T.sum(T.tanh(T.matmul(x, x))), x);
        return gx;
      });
      expectCount(b, start + 1, 'after a scope that returned one gradient');
      g.dispose();
      expectCount(b, start, 'after disposing it');
    },
  },
  {
    group: 'storage',
    name: 'reading a disposed tensor throws',
    async run(createBackend) {
      const b = createBackend();
      const t = fromData('check', new Float32Array([1, 2]), [2], { backend: b });
      t.dispose();
      assert(await caught(() => t.data()), 'Tensor.data() of a disposed tensor did not throw');
      // The backend itself must refuse a released handle (rather than return stale memory).
      const info: TensorInfo = { dataId: b.write(new Float32Array([1, 2]), [2], 'float32'), shape: [2], dtype: 'float32' };
      b.dispose(info.dataId);
      assert(await caught(() => b.read(info)), 'backend.read of a disposed handle did not throw or reject');
      if (b.readSync) assert(await caught(() => (b.readSync as (t: TensorInfo) => DataArray).call(b, info)), 'backend.readSync of a disposed handle did not throw');
    },
  },
  {
    group: 'storage',
    name: 'an op on a disposed tensor throws a clear error and the backend keeps working',
    async run(createBackend) {
      const b = createBackend();
      const a = T.tensor([1, 2, 3], { backend: b });
      const c = T.tensor([4, 5, 6], { backend: b });
      a.dispose();
      a.dispose(); // disposing twice is harmless
      for (const [what, op] of [['add', () => T.add(a, c)], ['matmul', () => T.matmul(a, c)], ['sum', () => T.sum(a)]] as const) {
        const e = await caught(op);
        assert(e instanceof BackendError && /disposed/.test(e.message), `${what} on a disposed tensor threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}, expected a BackendError saying it was disposed`);
      }
      const d = T.mul(c, 2);
      const values = Array.from(await d.data());
      assert(values.join() === '8,10,12', `after the refused ops, 2·[4,5,6] gave [${values.join(', ')}]`);
    },
  },
  {
    group: 'errors',
    name: 'float64 is refused with a clear error on a backend without it',
    async run(createBackend) {
      const full = createBackend();
      const b = full.dtypes.includes('float64') ? withoutFloat64(full) : full;
      const mentions = (e: unknown) => e instanceof Error && /float64/.test(e.message) && e.message.includes(`'${b.name}'`);
      const attempts: [string, () => unknown][] = [
        ['fromData', () => fromData('check', new Float64Array([1, 2]), [2], { backend: b })],
        ['tensor', () => T.tensor([1, 2], { dtype: 'float64', backend: b })],
        ['zeros', () => T.zeros([2], { dtype: 'float64', backend: b })],
        ['randn', () => T.randn([2], { dtype: 'float64', backend: b })],
        ['cast', () => T.cast(T.tensor([1, 2], { backend: b }), 'float64')],
      ];
      for (const [what, attempt] of attempts) {
        const e = await caught(attempt);
        assert(e instanceof DTypeError || e instanceof BackendError, `${what}: a float64 tensor on a backend without float64 ${e ? `threw ${String(e)}` : 'was accepted'}; expected a DTypeError or BackendError`);
        assert(mentions(e), `${what}: the error should name float64 and the backend '${b.name}', got: ${(e as Error).message}`);
      }
    },
  },
  {
    group: 'errors',
    name: 'ops mixing this backend with another are refused',
    async run(createBackend) {
      // Two instances are two backends: a tensor's handle only means something to its own.
      const b = createBackend();
      let other = createBackend();
      if (other === b) other = referenceBackend(); // a factory that returns one shared instance
      if (other === b) return 'no second backend instance to mix with';
      const a = T.tensor([1, 2], { backend: b });
      const r = T.tensor([3, 4], { backend: other });
      const e = await caught(() => T.add(a, r));
      assert(e instanceof BackendError && /different backends/.test(e.message), `add across backends threw ${String(e)}, expected a BackendError about different backends`);
    },
  },
];

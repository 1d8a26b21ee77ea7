import '@plexus/backend-js';
import type { DataId, TensorInfo } from '@plexus/tensor';
import * as T from '@plexus/tensor';
import { BackendError, fromData, getBackend, listBackends, resetBackendChoice, setBackend } from '@plexus/tensor';
import { describe, expect, it } from 'vitest';
import { CpuBackend, cachedBytes, cpuFeatures, createCpuBackend, isNativeAvailable, setCpuFeatures, setNumThreads } from '../src/index.js';

const gc = (globalThis as { gc?: () => void }).gc;
const turn = () => new Promise((r) => setImmediate(r));

describe('registration', () => {
  it("registers 'cpu' above 'js' and reports its features", () => {
    expect(isNativeAvailable()).toBe(true);
    expect(listBackends()).toContain('cpu');
    resetBackendChoice();
    expect(getBackend()).toBeInstanceOf(CpuBackend);
    expect(setBackend('cpu').name).toBe('cpu');
    const f = cpuFeatures();
    expect(['avx512', 'avx2', 'neon', 'scalar']).toContain(f.isa);
    expect(f.threads).toBeGreaterThanOrEqual(1);
    expect(createCpuBackend().dtypes).toEqual(['float32', 'float64', 'int32', 'bool']);
  });

  it('lowers the instruction set on request, never above the CPU', () => {
    const best = cpuFeatures().detected;
    expect(setCpuFeatures('scalar')).toBe('scalar');
    expect(setCpuFeatures('native')).toBe(best);
    expect(() => setCpuFeatures('sse9' as 'scalar')).toThrow(RangeError);
    expect(setNumThreads(1)).toBe(1);
    expect(setNumThreads(cpuFeatures().threads)).toBeGreaterThanOrEqual(1);
    expect(() => setNumThreads(0)).toThrow();
  });
});

describe('storage', () => {
  it('write copies its input; reads are copies of every dtype', async () => {
    const b = createCpuBackend();
    const src = new Float32Array([1, 2, 3]);
    const t: TensorInfo = { dataId: b.write(src, [3], 'float32'), shape: [3], dtype: 'float32' };
    src[0] = 100;
    const r1 = b.readSync(t);
    r1[1] = 50;
    expect(Array.from(await b.read(t))).toEqual([1, 2, 3]);
    // Mismatched arrays are converted like a cast; bool is normalised to 0/1.
    const i: TensorInfo = { dataId: b.write(new Float32Array([1.9, -2.7, NaN]), [3], 'int32'), shape: [3], dtype: 'int32' };
    expect(Array.from(b.readSync(i))).toEqual([1, -2, 0]);
    const bo: TensorInfo = { dataId: b.write(new Uint8Array([0, 7, 255]), [3], 'bool'), shape: [3], dtype: 'bool' };
    expect(Array.from(b.readSync(bo))).toEqual([0, 1, 1]);
  });

  it('makes permute, expand, slice, reshape and same-dtype cast views of one storage', () => {
    const b = createCpuBackend();
    const x = T.reshape(T.arange(0, 24, 1, { backend: b, dtype: 'float32' }), [2, 3, 4]);
    const start = b.memory();
    const views = [
      T.permute(x, [2, 0, 1]),
      T.expand(T.reshape(x, [2, 3, 4, 1]), [2, 3, 4, 5]),
      T.slice(x, 2, 1, 4, 2),
      T.reshape(x, [6, 4]),
      T.transpose(x, 0, 1),
    ];
    for (const v of views) {
      const layout = b.describe(v.dataId);
      expect(layout.storageBytes).toBe(24 * 4);
    }
    expect(b.describe(views[0].dataId).contiguous).toBe(false);
    expect(b.describe(views[1].dataId).strides).toEqual([12, 4, 1, 0]);
    // Views add handles, not bytes.
    expect(b.memory().numHandles).toBe(start.numHandles + views.length + 1);
    expect(b.memory().numBytes).toBe(start.numBytes);
    // Values through the views are right.
    expect(T.permute(x, [2, 0, 1]).toArraySync()).toEqual(T.permute(T.tensor(Array.from({ length: 24 }, (_, i) => i), [2, 3, 4]).to('js'), [2, 0, 1]).toArraySync());
    expect(views[2].toArraySync()).toEqual([[[1, 3], [5, 7], [9, 11]], [[13, 15], [17, 19], [21, 23]]]);
    // A reshape that strides cannot express copies.
    const merged = T.reshape(views[0], [24]);
    expect(b.describe(merged.dataId).contiguous).toBe(true);
    expect(b.describe(merged.dataId).storageBytes).toBe(24 * 4);
    expect(b.memory().numBytes).toBe(start.numBytes + 24 * 4);
  });

  it('keeps a storage alive while a view of it is', () => {
    const b = createCpuBackend();
    const x = T.tensor([[1, 2], [3, 4]], { backend: b });
    const v = T.transpose(x);
    x.dispose();
    expect(v.toArraySync()).toEqual([[1, 3], [2, 4]]);
    expect(b.memory().numBytes).toBe(16);
    v.dispose();
    expect(b.memory()).toEqual({ numHandles: 0, numBytes: 0 });
  });

  it('matmul reads transposed views without copying them', () => {
    const b = createCpuBackend();
    const a = T.randn([64, 32], { backend: b });
    const w = T.randn([48, 32], { backend: b });
    const before = b.memory().numBytes;
    const y = T.matmul(a, T.transpose(w));
    // Only the output was allocated.
    expect(b.memory().numBytes).toBe(before + 64 * 48 * 4);
    const ref = T.matmul(a.to('js'), T.transpose(w.to('js')));
    const got = y.dataSync();
    const want = ref.dataSync();
    for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThan(1e-4);
  });

  it('releases storage through the garbage collector, without dispose', async () => {
    expect(gc).toBeTypeOf('function');
    const b = createCpuBackend();
    for (let i = 0; i < 200; i++) T.exp(fromData('gc', new Float32Array(4096), [4096], { backend: b }));
    expect(b.memory().numHandles).toBeGreaterThan(0);
    for (let i = 0; i < 5 && b.memory().numHandles > 0; i++) {
      gc?.();
      await turn();
    }
    expect(b.memory()).toEqual({ numHandles: 0, numBytes: 0 });
  });

  it("frees raw handles dropped without a Tensor (the handle's own finalizer)", async () => {
    const b = createCpuBackend();
    let ids: DataId[] = [];
    for (let i = 0; i < 50; i++) ids.push(b.write(new Float64Array(1000), [1000], 'float64'));
    expect(b.memory().numBytes).toBe(50 * 8000);
    ids = [];
    for (let i = 0; i < 5 && b.memory().numHandles > 0; i++) {
      gc?.();
      await turn();
    }
    expect(ids.length + b.memory().numHandles).toBe(0);
    expect(b.memory().numBytes).toBe(0);
  });

  it('caches freed blocks for reuse and returns them on request', () => {
    const b = createCpuBackend();
    const id = b.write(new Float32Array(1 << 16), [1 << 16], 'float32');
    b.dispose(id);
    expect(cachedBytes()).toBeGreaterThanOrEqual(1 << 18);
    expect(cachedBytes(true)).toBe(0);
  });

  it('refuses a disposed handle with a BackendError naming the op', () => {
    const b = createCpuBackend();
    const x = T.tensor([1, 2], { backend: b });
    const y = T.add(x, 1);
    x.dispose();
    expect(() => T.add(x, 1)).toThrow(BackendError);
    expect(() => b.dispose((y as unknown as { dataId: DataId }).dataId)).not.toThrow();
    expect(() => b.dispose((y as unknown as { dataId: DataId }).dataId)).toThrow(/already disposed/);
  });
});

import { BackendError, findBackend, listBackends } from '@plexus/tensor';
import { describe, expect, it } from 'vitest';
import { createJsBackend, JsBackend } from '../src/index.js';

describe('storage', () => {
  it('registers itself as "js" on import', () => {
    expect(listBackends()).toContain('js');
    expect(findBackend('js')).toBeInstanceOf(JsBackend);
  });

  it('offers float32, float64, int32 and bool', () => {
    expect(createJsBackend().dtypes).toEqual(['float32', 'float64', 'int32', 'bool']);
    expect(createJsBackend().name).toBe('js');
  });

  it('write copies its input and reads return copies', async () => {
    const b = new JsBackend();
    const src = new Float32Array([1, 2, 3]);
    const info = { dataId: b.write(src, [3], 'float32'), shape: [3], dtype: 'float32' as const };
    src[0] = 100;
    const r1 = b.readSync(info);
    expect(Array.from(r1)).toEqual([1, 2, 3]);
    r1[1] = 50;
    const r2 = await b.read(info);
    expect(r2).toBeInstanceOf(Float32Array);
    expect(Array.from(r2)).toEqual([1, 2, 3]);
  });

  it('stores each dtype in its typed array and converts mismatched input', () => {
    const b = new JsBackend();
    const cases = [
      ['float32', Float32Array],
      ['float64', Float64Array],
      ['int32', Int32Array],
      ['bool', Uint8Array],
    ] as const;
    for (const [dtype, ctor] of cases) {
      const info = { dataId: b.write(new Float64Array([0, 2.7, -1.5]), [3], dtype), shape: [3], dtype };
      const values = b.readSync(info);
      expect(values).toBeInstanceOf(ctor);
      const expected = { float32: [0, Math.fround(2.7), -1.5], float64: [0, 2.7, -1.5], int32: [0, 2, -1], bool: [0, 1, 1] };
      expect(Array.from(values)).toEqual(expected[dtype]);
    }
    // A Uint8Array written as bool is normalised to 0/1.
    const bools = { dataId: b.write(new Uint8Array([0, 7]), [2], 'bool'), shape: [2], dtype: 'bool' as const };
    expect(Array.from(b.readSync(bools))).toEqual([0, 1]);
  });

  it('rejects a value count that does not match the shape', () => {
    const b = new JsBackend();
    expect(() => b.write(new Float32Array(3), [2, 2], 'float32')).toThrow(BackendError);
  });

  it('counts live handles and bytes, including primitive outputs and shared reshapes', () => {
    const b = new JsBackend();
    expect(b.memory()).toEqual({ numHandles: 0, numBytes: 0 });
    const x = { dataId: b.write(new Float32Array(6), [2, 3], 'float32'), shape: [2, 3], dtype: 'float32' as const };
    const y = { dataId: b.write(new Float64Array(2), [2], 'float64'), shape: [2], dtype: 'float64' as const };
    expect(b.memory()).toEqual({ numHandles: 2, numBytes: 24 + 16 });
    const sum = b.primitives.sum([x], { axes: [1] }, { shape: [2], dtype: 'float32' });
    const reshaped = b.primitives.reshape([x], { shape: [3, 2] }, { shape: [3, 2], dtype: 'float32' });
    expect(b.memory()).toEqual({ numHandles: 4, numBytes: 24 + 16 + 8 + 24 });
    b.dispose(x.dataId);
    // The reshape shares x's array but stays readable after x is gone.
    expect(Array.from(b.readSync({ dataId: reshaped, shape: [3, 2], dtype: 'float32' }))).toEqual([0, 0, 0, 0, 0, 0]);
    b.dispose(reshaped);
    b.dispose(sum);
    b.dispose(y.dataId);
    expect(b.memory()).toEqual({ numHandles: 0, numBytes: 0 });
  });

  it('throws a BackendError naming the op for disposed handles', async () => {
    const b = new JsBackend();
    const x = { dataId: b.write(new Int32Array([1]), [1], 'int32'), shape: [1], dtype: 'int32' as const };
    b.dispose(x.dataId);
    expect(() => b.readSync(x)).toThrow(/readSync/);
    expect(() => b.readSync(x)).toThrow(BackendError);
    await expect(b.read(x)).rejects.toThrow(/read: .*disposed/);
    expect(() => b.dispose(x.dataId)).toThrow(/dispose: .*disposed/);
    expect(() => b.primitives.neg([x], {}, { shape: [1], dtype: 'int32' })).toThrow(/neg: .*disposed/);
    expect(b.memory().numHandles).toBe(0);
  });

  it('refuses handles from elsewhere', () => {
    const b = new JsBackend();
    expect(() => b.readSync({ dataId: {}, shape: [], dtype: 'float32' })).toThrow(BackendError);
  });

  it('handles scalars and zero-size tensors', () => {
    const b = new JsBackend();
    const s = { dataId: b.write(new Float32Array([5]), [], 'float32'), shape: [], dtype: 'float32' as const };
    expect(Array.from(b.readSync(s))).toEqual([5]);
    const z = { dataId: b.write(new Float32Array(0), [0, 3], 'float32'), shape: [0, 3], dtype: 'float32' as const };
    expect(b.readSync(z).length).toBe(0);
    expect(b.memory()).toEqual({ numHandles: 2, numBytes: 4 });
  });

  it('same-dtype cast gives a new handle that outlives its input', () => {
    const b = new JsBackend();
    const x = { dataId: b.write(new Float32Array([1, 2]), [2], 'float32'), shape: [2], dtype: 'float32' as const };
    const y = b.primitives.cast([x], { dtype: 'float32' }, { shape: [2], dtype: 'float32' });
    expect(y).not.toBe(x.dataId);
    b.dispose(x.dataId);
    expect(Array.from(b.readSync({ dataId: y, shape: [2], dtype: 'float32' }))).toEqual([1, 2]);
    expect(b.memory()).toEqual({ numHandles: 1, numBytes: 8 });
  });
});

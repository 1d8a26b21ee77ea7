import { createJsBackend } from '@plexus/backend-js';
import type { Backend, DataId, DType, OutputInfo, TensorInfo } from '@plexus/tensor';
import { ACCELERATED_NAMES, ArgumentError, BackendError, DTypeError, Generator, PRIMITIVE_NAMES, PlexusError, ShapeError } from '@plexus/tensor';
import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '../src/index.js';

// Calls straight into the backend object, bypassing every check of @plexus/tensor: whatever it
// is fed, the native addon must answer with a JS error (never a crash), and stay usable.

type Impl = (inputs: readonly TensorInfo[], attrs: unknown, out: OutputInfo) => DataId;
const impl = (b: Backend, name: string): Impl => {
  const table = { ...(b.primitives as unknown as Record<string, Impl>), ...(b.accelerated as unknown as Record<string, Impl>) };
  return table[name];
};

const info = (dataId: DataId, shape: readonly number[], dtype: DType): TensorInfo => ({ dataId, shape, dtype });

describe('malformed calls raise typed JS errors', () => {
  const b = createCpuBackend();
  const f32 = (shape: number[], values?: number[]) => {
    const n = shape.reduce((x, y) => x * y, 1);
    return info(b.write(new Float32Array(values ?? Array.from({ length: n }, (_, i) => i)), shape, 'float32'), shape, 'float32');
  };
  const i32 = (shape: number[], values: number[]) => info(b.write(new Int32Array(values), shape, 'int32'), shape, 'int32');

  it('rejects handles that are not this backend instance\'s', () => {
    const x = f32([2, 2]);
    const js = createJsBackend();
    const foreign = info(js.write(new Float32Array(4), [2, 2], 'float32'), [2, 2], 'float32');
    const other = createCpuBackend();
    const sibling = info(other.write(new Float32Array(4), [2, 2], 'float32'), [2, 2], 'float32');
    const out = { shape: [2, 2], dtype: 'float32' as const };
    for (const bad of [foreign, sibling, info({}, [2, 2], 'float32'), info(null as unknown as DataId, [2, 2], 'float32'), info(42 as unknown as DataId, [2, 2], 'float32')]) {
      expect(() => b.primitives.add([x, bad], {}, out)).toThrow(BackendError);
    }
    expect(() => b.primitives.add([x, sibling], {}, out)).toThrow(/another cpu backend instance/);
    expect(() => b.readSync(foreign)).toThrow(/does not belong to the cpu backend/);
  });

  it('rejects disposed handles everywhere, including a second dispose', async () => {
    const x = f32([3]);
    b.dispose(x.dataId);
    expect(() => b.primitives.neg([x], {}, { shape: [3], dtype: 'float32' })).toThrow(/already disposed/);
    expect(() => b.dispose(x.dataId)).toThrow(BackendError);
    await expect(b.read(x)).rejects.toThrow(BackendError);
  });

  it('rejects bad shapes: negative, fractional, huge, NaN, wrong rank, mismatched', () => {
    expect(() => b.write(new Float32Array(4), [-1, -4], 'float32')).toThrow(PlexusError);
    expect(() => b.write(new Float32Array(4), [2.5, 2], 'float32')).toThrow(ArgumentError);
    expect(() => b.write(new Float32Array(4), [2 ** 40, 2 ** 40], 'float32')).toThrow(ShapeError);
    expect(() => b.write(new Float32Array(4), [NaN], 'float32')).toThrow(ArgumentError);
    expect(() => b.write(new Float32Array(4), new Array(40).fill(1), 'float32')).toThrow(ShapeError);
    expect(() => b.write(new Float32Array(5), [2, 2], 'float32')).toThrow(BackendError);
    const x = f32([2, 3]);
    expect(() => b.primitives.exp([x], {}, { shape: [3, 2], dtype: 'float32' })).toThrow(ShapeError);
    expect(() => b.primitives.add([x, f32([4])], {}, { shape: [2, 4], dtype: 'float32' })).toThrow(ShapeError);
    expect(() => b.primitives.reshape([x], { shape: [7] }, { shape: [7], dtype: 'float32' })).toThrow(ShapeError);
    expect(() => b.primitives.expand([x], { shape: [2, 3, 4] }, { shape: [2, 3, 4], dtype: 'float32' })).toThrow(ShapeError);
    expect(() => b.primitives.matmul([x, x], {}, { shape: [2, 3], dtype: 'float32' })).toThrow(ShapeError);
    expect(() => b.primitives.slice([x], { begin: [0, 2], end: [2, 9], step: [1, 1] }, { shape: [2, 7], dtype: 'float32' })).toThrow(ArgumentError);
    expect(() => b.primitives.slice([x], { begin: [0, 0], end: [2, 3], step: [0, 1] }, { shape: [2, 3], dtype: 'float32' })).toThrow(ArgumentError);
  });

  it('rejects bad axes and permutations', () => {
    const x = f32([2, 3]);
    expect(() => b.primitives.sum([x], { axes: [2] }, { shape: [2, 3], dtype: 'float32' })).toThrow(ArgumentError);
    expect(() => b.primitives.sum([x], { axes: [1, 0] }, { shape: [], dtype: 'float32' })).toThrow(ArgumentError);
    expect(() => b.primitives.sum([x], { axes: [-1] }, { shape: [2], dtype: 'float32' })).toThrow(ArgumentError);
    expect(() => b.primitives.argmax([x], { axis: 5 }, { shape: [2], dtype: 'int32' })).toThrow(ArgumentError);
    expect(() => b.primitives.permute([x], { perm: [0, 0] }, { shape: [2, 2], dtype: 'float32' })).toThrow(ArgumentError);
    expect(() => b.primitives.concat([x, x], { axis: 3 }, { shape: [4, 3], dtype: 'float32' })).toThrow(ArgumentError);
    expect(() => impl(b, 'softmax')([x], { axis: 2 }, { shape: [2, 3], dtype: 'float32' })).toThrow(ArgumentError);
  });

  it('rejects out-of-range gather and scatterAdd indices without touching memory', () => {
    const x = f32([2, 3]);
    for (const bad of [[0, 3, 1, 2, 0, 1], [0, -1, 1, 2, 0, 1], [0, 1, 2, 0, 1, 2 ** 31 - 1]]) {
      const index = i32([2, 3], bad);
      expect(() => b.primitives.gather([x, index], { axis: 1 }, { shape: [2, 3], dtype: 'float32' })).toThrow(ArgumentError);
      expect(() => b.primitives.scatterAdd([x, index, x], { axis: 1 }, { shape: [2, 3], dtype: 'float32' })).toThrow(ArgumentError);
    }
    const big = i32([3, 3], [0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(() => b.primitives.gather([x, big], { axis: 1 }, { shape: [3, 3], dtype: 'float32' })).toThrow(ShapeError);
  });

  it('rejects mismatched dtypes', () => {
    const x = f32([2]);
    const n = i32([2], [1, 2]);
    expect(() => b.primitives.add([x, n], {}, { shape: [2], dtype: 'float32' })).toThrow(DTypeError);
    expect(() => b.primitives.add([x, x], {}, { shape: [2], dtype: 'int32' })).toThrow(DTypeError);
    expect(() => b.primitives.where([x, x, x], {}, { shape: [2], dtype: 'float32' })).toThrow(DTypeError);
    expect(() => b.primitives.gather([x, x], { axis: 0 }, { shape: [2], dtype: 'float32' })).toThrow(DTypeError);
    expect(() => b.primitives.matmul([info(x.dataId, [1, 2], 'float32'), n], {}, { shape: [1, 1], dtype: 'float32' })).toThrow(PlexusError);
    expect(() => b.write(new Float32Array(2), [2], 'float16' as DType)).toThrow(DTypeError);
    expect(() => b.write([1, 2] as unknown as Float32Array, [2], 'float32')).toThrow(ArgumentError);
  });

  it('survives thousands of random malformed calls to every primitive and accelerated op', () => {
    const gen = new Generator(1234);
    const u = () => gen.nextUniform(1)[0];
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(u() * xs.length)];
    const disposed = f32([2]);
    b.dispose(disposed.dataId);
    const js = createJsBackend();
    const handles: TensorInfo[] = [
      f32([2, 3]), f32([3]), f32([]), f32([0, 3]), f32([1, 1]), disposed,
      i32([2, 3], [0, 1, 2, 0, 1, 9]), i32([2], [5, -3]),
      info(b.write(new Uint8Array([1, 0, 1]), [3], 'bool'), [3], 'bool'),
      info(b.write(new Float64Array(6), [3, 2], 'float64'), [3, 2], 'float64'),
      info(js.write(new Float32Array(2), [2], 'float32'), [2], 'float32'),
      info({}, [2], 'float32'),
    ];
    const garbageNumbers = [0, 1, 2, -1, 3, 1.5, NaN, Infinity, -Infinity, 2 ** 31, 2 ** 53, -(2 ** 40), 17];
    const shape = (): unknown => pick([
      [2, 3], [3], [], [0, 3], [-1], [2 ** 30, 2 ** 30], [1.5], [NaN], 'shape', null, [3, 2], [2, 3, 4], new Array(20).fill(1),
    ]);
    const number = (): unknown => pick([...garbageNumbers, 'x', null, undefined, {}]);
    const list = (): unknown => pick([[0], [1], [0, 1], [1, 0], [2], [-1], [0, 0], [], [5, 5, 5], null, 'axes', [NaN], [0.5]]);
    const attrs = (): unknown => ({
      axes: list(), axis: number(), perm: list(), shape: shape(), begin: list(), end: list(), step: list(),
      pads: pick([[[0, 1], [1, 0]], [[0, 0]], [[-1, 2], [0, 0]], 'pads', null]), value: number(), dtype: pick(['float32', 'int32', 'bool', 'float64', 'int8', 7]),
      stride: pick([[1, 1], [0, 1], [2, 2], null]), padding: pick([[0, 0], [1, 1], [-1, 0], null]), dilation: pick([[1, 1], [0, 0], null]),
      groups: number(), outputPadding: pick([[0, 0], [1, 1], null]), kernel: pick([[2, 2], [0, 1], [9, 9], null]),
    });
    const names = [...PRIMITIVE_NAMES, ...ACCELERATED_NAMES];
    let threw = 0;
    let returned = 0;
    for (let i = 0; i < 4000; i++) {
      const name = pick(names);
      const n = 1 + Math.floor(u() * 3);
      const inputs = Array.from({ length: n }, () => pick(handles));
      const out = { shape: shape(), dtype: pick(['float32', 'int32', 'bool', 'float64', 'complex']) } as unknown as OutputInfo;
      try {
        const id = impl(b, name)(inputs, attrs(), out);
        returned++;
        b.dispose(id);
      } catch (e) {
        // A JS error, never a crash; ours are PlexusErrors, the rest come from destructuring garbage.
        expect(e).toBeInstanceOf(Error);
        threw++;
      }
    }
    expect(threw).toBeGreaterThan(3000);
    // And the backend still computes.
    const x = f32([2, 2], [1, 2, 3, 4]);
    const y = b.primitives.mul([x, x], {}, { shape: [2, 2], dtype: 'float32' });
    expect(Array.from(b.readSync(info(y, [2, 2], 'float32')))).toEqual([1, 4, 9, 16]);
    expect(returned + threw).toBe(4000);
  });
});

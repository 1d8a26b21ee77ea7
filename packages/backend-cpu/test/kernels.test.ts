import '@plexus/autograd';
import '@plexus/backend-js';
import type { Backend, DType, Tensor } from '@plexus/tensor';
import * as T from '@plexus/tensor';
import { Generator, findBackend, fromData, scope } from '@plexus/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { cpuFeatures, createCpuBackend, setCpuFeatures, setNumThreads } from '../src/index.js';

// Shapes larger than the conformance suite's: they reach the packed and multithreaded paths
// (GEMM edge tiles, several threads, long reductions), on every instruction set of this machine.

const cpu = createCpuBackend();
const js = findBackend('js');
const levels = [...new Set(['scalar', 'avx2', cpuFeatures().detected])] as ('scalar' | 'avx2' | 'avx512')[];
afterAll(() => {
  setCpuFeatures('native');
});

/** The same random values on both backends. */
function pair(shape: readonly number[], dtype: DType = 'float32', seed = 1, scale = 1): [Tensor, Tensor] {
  const n = shape.reduce((a, b) => a * b, 1);
  const g = new Generator(seed + n);
  const v = g.nextNormal(n);
  const data = dtype === 'float64' ? Float64Array.from(v, (x) => x * scale) : dtype === 'int32' ? Int32Array.from(v, (x) => Math.round(x * 5)) : Float32Array.from(v, (x) => x * scale);
  return [fromData('test', data, shape, { backend: cpu }), fromData('test', data.slice(), shape, { backend: js })];
}

function expectClose(a: Tensor, b: Tensor, tol: number): void {
  expect(a.shape).toEqual(b.shape);
  expect(a.dtype).toBe(b.dtype);
  const x = a.dataSync();
  const y = b.dataSync();
  let worst = 0;
  for (let i = 0; i < y.length; i++) {
    if (Number.isNaN(y[i])) {
      expect(Number.isNaN(x[i])).toBe(true);
      continue;
    }
    worst = Math.max(worst, Math.abs(x[i] - y[i]) / (1 + Math.abs(y[i])));
  }
  expect(worst).toBeLessThanOrEqual(tol);
}

// The reference results, computed once and reused by every instruction set's run.
const references = new Map<string, Tensor>();
function reference(f: (...xs: Tensor[]) => Tensor, inputs: [Tensor, Tensor][], tag: unknown): Tensor {
  const key = `${f.toString()}|${JSON.stringify(tag)}|${inputs.map(([, j]) => `${j.dtype}[${j.shape}]${j.dataSync().slice(0, 4).join(',')}`).join('|')}`;
  let r = references.get(key);
  if (!r) {
    r = f(...inputs.map((p) => p[1])).keep();
    references.set(key, r);
  }
  return r;
}

/** Runs f on both backends (inputs from pairs) and compares. `tag` names what f captures. */
function same(f: (...xs: Tensor[]) => Tensor, inputs: [Tensor, Tensor][], tol = 1e-5, tag?: unknown): void {
  scope(() => expectClose(f(...inputs.map((p) => p[0])), reference(f, inputs, tag), tol));
}

// 4M float32 values (mean 0.5, so the sum is large and cancellation is mild) and their float64 sum.
const bigSum = (() => {
  const n = 1 << 22;
  const v = new Float32Array(n);
  let seed = 12345;
  for (let i = 0; i < n; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    v[i] = seed / 2 ** 32 + (i % 7) * 1e-3;
  }
  let exact = 0;
  for (let i = 0; i < n; i++) exact += v[i];
  return { tensor: fromData('test', v, [n], { backend: cpu }), exact };
})();

describe.each(levels)('%s kernels', (level) => {
  it('selects the level', () => {
    expect(setCpuFeatures(level)).toBe(level);
  });

  it('matmul: edge tiles, transposed operands, batches, float64, int32', () => {
    setCpuFeatures(level);
    for (const [m, k, n] of [[1, 1, 1], [5, 7, 3], [33, 65, 17], [129, 70, 95], [128, 300, 64], [1, 300, 257], [300, 1, 40]]) {
      const a = pair([m, k]);
      const b = pair([k, n], 'float32', 2);
      same((x, y) => T.matmul(x, y), [a, b], 1e-5 * Math.sqrt(k));
      const at = pair([k, m], 'float32', 3);
      const bt = pair([n, k], 'float32', 4);
      same((x, y) => T.matmul(T.transpose(x), T.transpose(y)), [at, bt], 1e-5 * Math.sqrt(k));
    }
    same((x, y) => T.matmul(x, y), [pair([4, 1, 33, 17]), pair([3, 17, 40], 'float32', 5)], 1e-4);
    same((x, y) => T.matmul(x, y), [pair([2, 70, 90], 'float64'), pair([90, 50], 'float64', 6)], 1e-12);
    same((x, y) => T.matmul(x, T.transpose(y)), [pair([65, 90], 'float64'), pair([33, 90], 'float64', 7)], 1e-12);
    same((x, y) => T.matmul(x, y), [pair([40, 30], 'int32'), pair([30, 20], 'int32', 8)], 0);
    // A small C over a long k: computed in parts along k (gemm_split_k), plain and transposed.
    same((x, y) => T.matmul(x, y), [pair([40, 1500], 'float64'), pair([1500, 36], 'float64', 9)], 1e-11);
    same((x, y) => T.matmul(T.transpose(x), y), [pair([1500, 40]), pair([1500, 36], 'float32', 10)], 1e-5 * Math.sqrt(1500));
  });

  it('matmul, convolution weight gradients and long sums on one thread and on all agree, bit for bit', () => {
    setCpuFeatures(level);
    // C split between threads; and a small C with a long k (xᵀ·g over 1,500 samples), which is
    // split along k into a fixed number of parts whatever the thread count.
    const [a] = pair([200, 150]);
    const [b] = pair([150, 180], 'float32', 9);
    const [x] = pair([1500, 40]);
    const [g] = pair([1500, 36], 'float32', 10);
    // And convolution weight gradients over a batch: C's tiles shared between threads (288 taps ×
    // 64 output channels), and a small C split along k (one input channel, 25 taps).
    const [cx] = pair([8, 32, 12, 12]);
    const [cg] = pair([8, 64, 12, 12], 'float32', 11);
    const [cx1] = pair([8, 1, 16, 16]);
    const [long] = pair([262144], 'float64');
    const products = () =>
      [
        T.matmul(a, b),
        T.matmul(T.transpose(x), g),
        T.conv2dWeightGrad(cx, cg, 3, { padding: 1 }),
        T.conv2dWeightGrad(cx1, cg, 5, { padding: 0 }),
        T.sum(T.mul(x, 0.5), 0), // a deferred expression summed over its rows, in parts
        // Long float64 sums, stored and deferred, over everything and over rows: fixed pieces.
        T.sum(long),
        T.sum(T.tanh(long)),
        T.sum(T.reshape(long, [4, 65536]), 1),
        T.sum(T.mul(T.reshape(long, [4, 65536]), 3), 1),
      ].map((t) =>
        Array.from(t.dataSync()),
      );
    setNumThreads(1);
    const one = products();
    setNumThreads(cpuFeatures().detected === 'scalar' ? 2 : Math.max(2, cpuFeatures().threads));
    expect(products()).toEqual(one);
  });

  it('elementwise ops with broadcasting over many elements (threaded)', () => {
    setCpuFeatures(level);
    const a = pair([200, 500]);
    const row = pair([500], 'float32', 2);
    const col = pair([200, 1], 'float32', 3);
    same((x, y) => T.add(x, y), [a, row]);
    same((x, y) => T.mul(y, x), [a, col]);
    same((x, y) => T.div(x, T.add(T.abs(y), 0.5)), [a, row]);
    same((x, y) => T.maximum(x, y), [a, col]);
    same((x) => T.where(T.greater(x, 0), x, 0), [a]);
    same((x, y) => T.where(T.less(x, y), T.transpose(T.transpose(x)), T.expand(y, [200, 500])), [a, col]);
    for (const f of [T.exp, T.tanh, T.sigmoid, T.erf, T.abs, T.neg, T.sqrt, T.floor, T.round] as ((x: Tensor) => Tensor)[]) same(f, [a]);
    same((x) => T.log(T.add(T.abs(x), 0.1)), [a]);
    same((x) => T.exp(T.transpose(x)), [a]);
    same((x) => T.tanh(x), [pair([200, 500], 'float64')], 1e-12);
    same((x, y) => T.add(x, y), [pair([200, 500], 'int32'), pair([500], 'int32', 5)], 0);
  });

  it('float32 erf (a rational approximation) within 5e-7 of the exact value, tiny and special inputs included', () => {
    setCpuFeatures(level);
    const grid = Float32Array.from({ length: 24001 }, (_, i) => (i - 12000) / 2000); // -6 … 6
    same((x) => T.erf(x), [[fromData('test', grid, [grid.length], { backend: cpu }), fromData('test', grid.slice(), [grid.length], { backend: js })]], 5e-7);
    const special = [0, -0, 1e-30, -3e-20, 1e-8, 4, -4, 9, Infinity, -Infinity, NaN];
    const got = T.erf(fromData('test', Float32Array.from(special), [special.length], { backend: cpu })).dataSync();
    expect(Array.from(got.slice(5), (v) => Number(v))).toEqual([1, -1, 1, 1, -1, NaN]);
    expect(Object.is(got[0], 0) && Object.is(got[1], -0)).toBe(true);
    // erf(x) = 2x/√π to float precision for tiny x: relative, not absolute, accuracy.
    [1e-30, -3e-20, 1e-8].forEach((x, i) => expect(Math.abs(Number(got[2 + i]) / ((2 / Math.sqrt(Math.PI)) * Math.fround(x)) - 1)).toBeLessThan(1e-6));
  });

  it('reductions: long, strided, over several axes; a float32 sum of 4M values accurate to 1e-6', () => {
    setCpuFeatures(level);
    const x = pair([32, 200, 40]);
    for (const axes of [[0], [1], [2], [0, 2], [0, 1, 2], [1, 2]]) {
      same((t) => T.sum(t, axes), [x], 1e-5, axes);
      same((t) => T.max(t, axes), [x], 0, axes);
    }
    same((t) => T.sum(T.permute(t, [2, 0, 1]), [1]), [x], 1e-5);
    same((t) => T.mean(t, 0), [pair([3000, 40])], 1e-5);
    same((t) => T.prod(t, 1), [pair([30, 200], 'float32', 1, 0.05)], 1e-5);
    same((t) => T.argmax(t, 1), [x], 0);
    same((t) => T.sum(t, 1), [pair([100, 3000], 'float64')], 1e-12);
    same((t) => T.sum(t), [pair([500, 500], 'int32')], 0);
    // 4M float32 values: compare with the float64 sum of the same values.
    const s = T.sum(bigSum.tensor).item() as number;
    expect(Math.abs(s - bigSum.exact) / Math.abs(bigSum.exact)).toBeLessThan(1e-6);
  });

  it('softmax family over long rows and middle axes', () => {
    setCpuFeatures(level);
    const x = pair([256, 1000], 'float32', 1, 3);
    same((t) => T.softmax(t, 1), [x], 1e-5);
    same((t) => T.logSoftmax(t, 1), [x], 1e-5);
    same((t) => T.logsumexp(t, 1), [x], 1e-5);
    same((t) => T.softmax(t, 1), [pair([8, 50, 60])], 1e-5);
    same((t) => T.logSoftmax(t, 0), [pair([300, 20], 'float64')], 1e-12);
  });

  it('conv2d / convTranspose2d / pooling on CNN-sized inputs', () => {
    setCpuFeatures(level);
    const x = pair([6, 8, 20, 20]);
    same((t, w, b) => T.conv2d(t, w, b, { padding: 1 }), [x, pair([16, 8, 3, 3], 'float32', 2), pair([16], 'float32', 3)], 1e-4);
    same((t, w) => T.conv2d(t, w, null, { stride: 2, groups: 2, dilation: 2 }), [x, pair([6, 4, 3, 3], 'float32', 4)], 1e-4);
    same((t, w) => T.conv2d(t, w), [x, pair([12, 8, 1, 1], 'float32', 5)], 1e-4);
    same((t, w, b) => T.convTranspose2d(t, w, b, { stride: 2, padding: 1, outputPadding: 1 }), [x, pair([8, 4, 3, 3], 'float32', 6), pair([4], 'float32', 7)], 1e-4);
    same((t) => T.maxPool2d(t, 2), [x], 0);
    same((t) => T.avgPool2d(t, 3, { stride: 2, padding: 1 }), [x], 1e-6);
    same((t, w) => T.conv2d(t, w, null, { padding: 2 }), [pair([2, 3, 9, 9], 'float64'), pair([4, 3, 5, 5], 'float64', 8)], 1e-12);
    // Few taps, rows of 7 pixels: panels of B gathered from several runs of an image row.
    same((t, w) => T.conv2d(t, w, null, { padding: 1 }), [pair([3, 2, 7, 7]), pair([6, 2, 3, 3], 'float32', 11)], 1e-5);
    // Many taps, rows of 10 pixels: several images per product, panels of A ended where rows end.
    same((t, w, b) => T.conv2d(t, w, b, { padding: 1 }), [pair([16, 8, 10, 10]), pair([16, 8, 3, 3], 'float32', 12), pair([16], 'float32', 13)], 1e-4);
  });

  it('conv2dWeightGrad over the batch: W3 shapes, strides, groups, float64, a batch in several chunks', () => {
    setCpuFeatures(level);
    const wg = (k: number, o: T.Conv2dOptions) => (x: Tensor, g: Tensor) => T.conv2dWeightGrad(x, g, k, o);
    // W3's second layer (taps in runs of 5·32, tiles split between threads) and first (a small C
    // with a long k, split along k).
    same(wg(5, { padding: 2 }), [pair([8, 32, 14, 14]), pair([8, 64, 14, 14], 'float32', 14)], 1e-5 * Math.sqrt(8 * 196), 'w3-2');
    same(wg(5, { padding: 2 }), [pair([16, 1, 28, 28]), pair([16, 32, 28, 28], 'float32', 15)], 1e-5 * Math.sqrt(16 * 784), 'w3-1');
    same(wg(3, { stride: 2, groups: 2, dilation: 2 }), [pair([6, 8, 20, 20]), pair([6, 16, 8, 8], 'float32', 16)], 1e-4, 'strided');
    // Depthwise: a product per image instead.
    same(wg(3, { padding: 1, groups: 8 }), [pair([6, 8, 12, 12]), pair([6, 8, 12, 12], 'float32', 17)], 1e-4, 'depthwise');
    same(wg(3, { padding: 1 }), [pair([4, 5, 9, 9], 'float64'), pair([4, 9, 9, 9], 'float64', 18)], 1e-12, 'f64');
    // Two images of 8 MB: one chunk each, the second added to the first's product.
    same(wg(1, {}), [pair([2, 32, 256, 256]), pair([2, 8, 256, 256], 'float32', 19)], 1e-5 * Math.sqrt(2 * 65536), 'chunks');
  });

  it('a convolution weight gradient over a batch shared by threads gives the same bits every run', () => {
    setCpuFeatures(level);
    // Images are summed in fixed parts, not in whatever order threads happen to take them.
    const [x] = pair([32, 8, 16, 16]);
    const [g] = pair([32, 12, 16, 16], 'float32', 9);
    const runs = Array.from({ length: 4 }, () => Array.from(T.conv2dWeightGrad(x, g, 3, { padding: 1 }).dataSync()));
    for (const r of runs) expect(r).toEqual(runs[0]);
  });

  it('gather / scatterAdd and the cross-entropy gradient', () => {
    setCpuFeatures(level);
    const logits = pair([512, 10]);
    const target = T.randint(0, 10, [512, 1], { backend: cpu, generator: new Generator(3) });
    const targetJs = target.to('js');
    const loss = (l: Tensor, t: Tensor) => T.neg(T.mean(T.gather(T.logSoftmax(l, 1), 1, t)));
    scope(() => {
      const [lc, lj] = [logits[0].detach().requiresGrad_(), logits[1].detach().requiresGrad_()];
      loss(lc, target).backward();
      loss(lj, targetJs).backward();
      expectClose(lc.grad as Tensor, lj.grad as Tensor, 1e-6);
    });
  });
});

describe('native memory', () => {
  it('counts what the kernels allocate and frees it all again', () => {
    const b: Backend = createCpuBackend();
    const start = b.memory();
    scope(() => {
      const x = T.randn([64, 64], { backend: b });
      T.softmax(T.conv2d(T.reshape(x, [1, 1, 64, 64]), T.ones([4, 1, 3, 3], { backend: b })), 1);
      T.sum(T.matmul(x, T.transpose(x)), 0);
    });
    expect(b.memory()).toEqual(start);
  });
});

describe('deferred (fused) elementwise expressions', () => {
  it('computes nothing until needed, then matches eager evaluation', () => {
    const b = createCpuBackend();
    const [x] = pair([128, 512]);
    const bias = fromData('t', Float32Array.from({ length: 512 }, (_, i) => i / 512 - 0.5), [512], { backend: b });
    const xb = fromData('t', x.dataSync().slice(), [128, 512], { backend: b });
    const before = b.memory().numBytes;
    // relu(x + bias) * 2 - x, with the sum node shared by the compare and the where.
    const v = T.add(xb, bias);
    const y = T.sub(T.mul(T.relu(v), 2), xb);
    expect(b.memory().numBytes).toBeLessThan(before + 64); // only the scalar constants were written
    expect(b.describe(y.dataId).contiguous).toBe(true); // describing it computes it
    expect(b.memory().numBytes).toBeGreaterThanOrEqual(before + 128 * 512 * 4);
    const jsY = T.sub(T.mul(T.relu(T.add(xb.to('js'), bias.to('js'))), 2), xb.to('js'));
    expectClose(y, jsY, 1e-6);
  });

  it('computes a pending value once when a second expression reads it', () => {
    const b = createCpuBackend();
    const [x] = pair([128, 512]);
    const xb = fromData('t', x.dataSync().slice(), [128, 512], { backend: b });
    const before = b.memory().numBytes;
    const v = T.tanh(T.mul(xb, 0.5));
    const y1 = T.mul(v, 2);
    expect(b.memory().numBytes).toBeLessThan(before + 64); // v and y1 are pending
    // A second reader outside y1: v is computed now (once) rather than inside each reader.
    const y2 = T.add(v, 1);
    expect(b.memory().numBytes).toBeGreaterThanOrEqual(before + 128 * 512 * 4);
    expect(b.memory().numBytes).toBeLessThan(before + 128 * 512 * 4 + 64);
    const jsV = T.tanh(T.mul(xb.to('js'), 0.5));
    expectClose(y1, T.mul(jsV, 2), 1e-6);
    expectClose(y2, T.add(jsV, 1), 1e-6);
  });

  it('pools a pending relu while computing it, then keeps its values for the backward pass', () => {
    const b = createCpuBackend();
    // (Big enough to be deferred; the second with odd sides and planes of two sizes of group.)
    for (const shape of [[4, 32, 28, 28], [3, 5, 37, 41]]) {
      const [x] = pair(shape);
      const xb = fromData('t', x.dataSync().slice(), shape, { backend: b });
      const r = T.relu(T.sub(xb, 0.1));
      const before = b.memory().numBytes;
      const pooled = T.maxPool2d(r, 2);
      // The relu's values were stored on the way (with the pool's output), not recomputed later.
      const n = shape.reduce((u, v) => u * v, 1);
      expect(b.memory().numBytes).toBeGreaterThanOrEqual(before + n * 4);
      expect(b.describe(r.dataId).contiguous).toBe(true);
      const jsR = T.relu(T.sub(xb.to('js'), 0.1));
      expectClose(pooled, T.maxPool2d(jsR, 2), 0);
      expectClose(r, jsR, 0);
      expectClose(T.avgPool2d(T.relu(T.mul(xb, 2)), 3, { stride: 2, padding: 1 }), T.avgPool2d(T.relu(T.mul(xb.to('js'), 2)), 3, { stride: 2, padding: 1 }), 1e-6);
    }
  });

  it('keeps its inputs alive after they are disposed', () => {
    const b = createCpuBackend();
    const a = fromData('t', new Float32Array(10000).fill(3), [10000], { backend: b });
    // The intermediate a·0.5 is disposed by the scope, a right after: y's expression holds a's data.
    const y = scope(() => T.exp(T.mul(a, 0.5)));
    a.dispose();
    expect(b.memory().numBytes).toBe(40000 + 4); // a and the scalar 0.5, both leaves of y
    expect(y.dataSync()[9999]).toBeCloseTo(Math.exp(1.5), 5);
    y.dispose();
    expect(b.memory()).toEqual({ numHandles: 0, numBytes: 0 });
  });

  it('fuses reductions over trailing, leading and all dims, and falls back for the rest', () => {
    const x = pair([40, 30, 20]);
    const f = (t: Tensor) => T.tanh(T.mul(t, 0.7));
    for (const axes of [[2], [1, 2], [0], [0, 1], [0, 1, 2], [1], [0, 2]]) {
      same((t) => T.sum(f(t), axes), [x], 1e-5, axes);
      same((t) => T.max(f(t), axes), [x], 1e-6, axes);
      same((t) => T.min(T.abs(t), axes), [x], 0, axes);
    }
    same((t) => T.prod(T.add(T.mul(t, 0.01), 1), 2), [x], 1e-5);
    same((t) => T.sum(T.cast(T.greater(t, 0), 'int32'), [0, 1]), [x], 0);
    same((t) => T.sum(T.where(T.greater(t, 0), t, 0)), [pair([1 << 16])], 1e-5);
  });

  it('reads an expression computed through another handle sharing it', () => {
    const [x, xj] = pair([100, 100]);
    const e = T.exp(x);
    // A same-dtype cast of a deferred result shares its expression.
    const shared = T.runPrimitive('cast', [e], { dtype: 'float32' }, { shape: e.shape, dtype: 'float32' });
    e.dataSync();
    expectClose(T.sum(shared, 1), T.sum(T.exp(xj), 1), 1e-5);
    expectClose(T.add(shared, 1), T.add(T.exp(xj), 1), 1e-6);
  });

  it('bounds the size of an expression (long chains are computed in pieces)', () => {
    let [c, j] = pair([100, 100]);
    for (let i = 0; i < 60; i++) {
      c = T.add(T.mul(c, 0.9), 0.1);
      j = T.add(T.mul(j, 0.9), 0.1);
    }
    expectClose(c, j, 1e-5);
  });

  it('broadcasts deferred operands of different shapes and dtypes', () => {
    same((x, r) => T.where(T.less(x, T.exp(r)), T.cast(T.greater(x, 0), 'float32'), T.neg(r)), [pair([64, 128]), pair([128], 'float32', 2)], 1e-6);
    same((x) => T.add(T.floor(T.mul(x, 3)), T.round(T.transpose(T.mul(x, 2)))), [pair([96, 96])], 0);
    same((x) => T.mul(T.cast(x, 'float32'), 0.5), [pair([100, 100], 'int32')], 0);
  });
});

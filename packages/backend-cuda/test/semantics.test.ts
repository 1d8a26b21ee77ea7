import { createJsBackend } from '@plexus/backend-js';
import * as T from '@plexus/tensor';
import { fromData, runPrimitive } from '@plexus/tensor';
import type { Backend, BinaryOp, DType, Tensor, UnaryOp } from '@plexus/tensor';
import { describe, expect, it } from 'vitest';
import { createCpuBackend } from './tfjs-cpu.js';

// Cases where a TensorFlow.js op differs from the primitive's contract and the adapter fixes it
// up: each runs on the adapter and on backend-js, and the values must agree (exactly for int32
// and bool, to float32 rounding otherwise). Most reach past what the conformance suite covers.
const cuda = createCpuBackend();
const js = createJsBackend();

const make = (b: Backend, values: readonly number[], shape: readonly number[], dtype: DType): Tensor => {
  const a = dtype === 'bool' ? new Uint8Array(values) : dtype === 'int32' ? new Int32Array(values) : new Float32Array(values);
  return fromData('test', a, shape, { backend: b });
};

function agree(f: (b: Backend) => Tensor | Tensor[], tol = 0): void {
  const got = [f(cuda)].flat();
  const want = [f(js)].flat();
  got.forEach((t, i) => {
    expect(t.backend).toBe(cuda);
    expect(t.shape).toEqual(want[i].shape);
    expect(t.dtype).toBe(want[i].dtype);
    const g = Array.from(t.dataSync());
    const w = Array.from(want[i].dataSync());
    if (tol === 0) expect(g).toEqual(w);
    else {
      g.forEach((v, k) => {
        if (Number.isNaN(w[k])) expect(v).toBeNaN();
        else if (v !== w[k]) expect(Math.abs(v - w[k])).toBeLessThanOrEqual(tol * (1 + Math.abs(w[k])));
      });
    }
  });
}

const prim = (op: BinaryOp, a: Tensor, b: Tensor, dtype: DType = a.dtype) =>
  runPrimitive(op, [a, b], {}, { shape: T.broadcastShapes('test', a.shape, b.shape), dtype });

describe('int32 arithmetic wraps and truncates exactly', () => {
  const big = [123456789, -2147483648, 65535, 46341, -7, 2147483647, 99991, -65536];
  const other = [987654321, -1, 65537, 46341, 3, 2, -40009, 65536];

  it('mul wraps modulo 2^32 (tf.mul multiplies in double and loses the low bits)', () => {
    agree((b) => prim('mul', make(b, big, [8], 'int32'), make(b, other, [8], 'int32')));
    expect(Array.from(prim('mul', make(cuda, [123456789], [1], 'int32'), make(cuda, [987654321], [1], 'int32')).dataSync())).toEqual([Math.imul(123456789, 987654321)]);
  });

  it('div truncates toward zero, x / 0 is 0, and −2^31 / −1 wraps', () => {
    agree((b) => prim('div', make(b, [7, -7, 7, -7, 5, -2147483648, 9, -1, 0], [9], 'int32'), make(b, [2, 2, -2, -2, 0, -1, -4, 3, -5], [9], 'int32')));
    agree((b) => prim('div', make(b, big, [2, 4], 'int32'), make(b, [3, -5, 0, 7], [4], 'int32')));
  });

  it('pow: negative exponents give 1, ±1 or 0, broadcast', () => {
    agree((b) => prim('pow', make(b, [2, -3, 1, -1, -1, 0, 5, -2], [8], 'int32'), make(b, [3, 3, -2, -3, -4, -1, -1, 0], [8], 'int32')));
    agree((b) => prim('pow', make(b, [-1, 1, 2, -2], [4, 1], 'int32'), make(b, [-3, -2, 0, 1, 5], [5], 'int32')));
  });

  it('prod of int32 wraps like repeated int32 multiplication', () => {
    const values = Array.from({ length: 3 * 37 }, (_, i) => ((i * 7919) % 201) - 100 || 3);
    agree((b) => T.prod(make(b, values, [3, 37], 'int32'), 1));
    agree((b) => T.prod(make(b, values, [3, 37], 'int32'), 0));
    agree((b) => T.prod(make(b, values.slice(0, 24), [2, 3, 4], 'int32'), [0, 2]));
  });

  it('matmul of int32 is exact (and wraps) with large values and broadcast batches', () => {
    agree((b) => T.matmul(make(b, big.slice(0, 6), [2, 3], 'int32'), make(b, other.slice(0, 6), [3, 2], 'int32')));
    agree((b) => T.matmul(make(b, Array.from({ length: 24 }, (_, i) => (i * 40503) % 70001), [2, 1, 3, 4], 'int32'), make(b, Array.from({ length: 40 }, (_, i) => i - 20), [5, 4, 2], 'int32')));
  });
});

describe('float edge values', () => {
  it('sign keeps NaN; maximum/minimum propagate NaN; pow(1, NaN) and pow(−1, ±∞) are 1', () => {
    agree((b) => T.sign(make(b, [NaN, -0, 0, 3, -Infinity], [5], 'float32')));
    agree((b) => [T.maximum(make(b, [NaN, 1, 2], [3], 'float32'), make(b, [0, NaN, 1], [3], 'float32')), T.minimum(make(b, [NaN, 1], [2, 1], 'float32'), make(b, [0, NaN, 3], [3], 'float32'))]);
    agree((b) => T.pow(make(b, [1, 1, -1, -1, 1, 2], [6], 'float32'), make(b, [NaN, Infinity, Infinity, -Infinity, -Infinity, NaN], [6], 'float32')));
  });

  it('max/min propagate NaN and argmax/argmin point at the first NaN', () => {
    const x = [1, NaN, 3, NaN, 5, 6, -1, 2, NaN, 0, 0, 0];
    agree((b) => [T.max(make(b, x, [3, 4], 'float32'), 1), T.min(make(b, x, [3, 4], 'float32'), 0)]);
    agree((b) => [T.argmax(make(b, x, [3, 4], 'float32'), 1), T.argmin(make(b, x, [3, 4], 'float32'), 1), T.argmax(make(b, x, [3, 4], 'float32'), 0)]);
  });

  it('maxPool2d propagates NaN (TensorFlow skips it) and pads with −∞', () => {
    const x = [1, NaN, 2, 3, 4, 5, 6, 7, -8, -9, NaN, -1, -2, -3, -4, -5];
    agree((b) => T.maxPool2d(make(b, x, [1, 1, 4, 4], 'float32'), 2));
    agree((b) => T.maxPool2d(make(b, x.map((v) => -Math.abs(v) || -1), [1, 1, 4, 4], 'float32'), 3, { stride: 2, padding: 1 }));
  });

  it('softmax/logSoftmax/logsumexp on a non-last axis and on rows of −∞', () => {
    const x = Array.from({ length: 24 }, (_, i) => Math.sin(i) * 3);
    agree((b) => [T.softmax(make(b, x, [2, 3, 4], 'float32'), 0), T.logSoftmax(make(b, x, [2, 3, 4], 'float32'), 1)], 1e-6);
    const inf = [-Infinity, -Infinity, -Infinity, 0, -Infinity, 1];
    agree((b) => [T.logsumexp(make(b, inf, [2, 3], 'float32'), 1), T.softmax(make(b, inf, [2, 3], 'float32'), 1)], 1e-6);
  });
});

describe('convolution cases TensorFlow.js does not take directly', () => {
  const input = (b: Backend, shape: number[]) => make(b, Array.from({ length: shape.reduce((p, d) => p * d, 1) }, (_, i) => Math.cos(i * 0.7)), shape, 'float32');

  it('stride and dilation both above 1 (tfjs refuses the pair)', () => {
    agree((b) => T.conv2d(input(b, [1, 2, 11, 10]), input(b, [3, 2, 3, 3]), input(b, [3]), { stride: 2, dilation: 2, padding: 1 }), 1e-5);
    agree((b) => T.conv2d(input(b, [1, 4, 9, 9]), input(b, [4, 1, 2, 2]), null, { groups: 4, stride: [2, 1], dilation: [1, 3] }), 1e-5);
  });

  it('groups between 1 and C, and a depthwise multiplier of 2', () => {
    agree((b) => T.conv2d(input(b, [2, 6, 5, 5]), input(b, [9, 2, 3, 3]), null, { groups: 3, padding: 1 }), 1e-5);
    agree((b) => T.conv2d(input(b, [1, 3, 6, 6]), input(b, [6, 1, 3, 3]), input(b, [6]), { groups: 3, stride: 2 }), 1e-5);
  });

  it('convTranspose2d (decomposed onto the accelerated conv2d) and avgPool2d counting the padding', () => {
    agree((b) => T.convTranspose2d(input(b, [1, 4, 3, 3]), input(b, [4, 3, 3, 3]), null, { groups: 2, stride: 2, dilation: 2, padding: 1 }), 1e-5);
    agree((b) => T.avgPool2d(input(b, [2, 3, 5, 5]), 3, { stride: 2, padding: 1 }), 1e-6);
  });
});

describe('indexing and matmul broadcasting', () => {
  it('gather and scatterAdd along the first and last axis of rank 3, with repeats', () => {
    const x = (b: Backend) => make(b, Array.from({ length: 60 }, (_, i) => i * 0.5 - 7), [3, 4, 5], 'float32');
    const idx0 = (b: Backend) => make(b, Array.from({ length: 40 }, (_, i) => (i * 7) % 3), [2, 4, 5], 'int32');
    const idx2 = (b: Backend) => make(b, Array.from({ length: 36 }, (_, i) => (i * 3) % 5), [3, 2, 6], 'int32');
    agree((b) => [T.gather(x(b), 0, idx0(b)), T.gather(x(b), 2, idx2(b))]);
    agree((b) => [T.scatterAdd(x(b), 0, idx0(b), T.ones([2, 4, 5], { backend: b })), T.scatterAdd(x(b), 2, idx2(b), T.full([3, 2, 6], 0.25, { backend: b }))]);
  });

  it('batched matmul where both operands need broadcasting', () => {
    const a = (b: Backend) => make(b, Array.from({ length: 24 }, (_, i) => Math.sin(i)), [2, 1, 3, 4], 'float32');
    const c = (b: Backend) => make(b, Array.from({ length: 40 }, (_, i) => Math.cos(i)), [1, 5, 4, 2], 'float32');
    agree((b) => T.matmul(a(b), c(b)), 1e-6);
  });
});

describe('bool and int32 inputs the frontend does not send (kept to the reference semantics anyway)', () => {
  const bools = (b: Backend, v: number[]) => make(b, v, [v.length], 'bool');
  const ops: BinaryOp[] = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum'];

  it.each(ops)('bool %s', (op) => {
    agree((b) => prim(op, bools(b, [0, 0, 1, 1]), bools(b, [0, 1, 0, 1])));
  });

  it.each<UnaryOp>(['neg', 'abs', 'sign', 'exp', 'log', 'floor'])('%s of bool and of int32', (op) => {
    agree((b) => runPrimitive(op, [bools(b, [0, 1, 1])], {}, { shape: [3], dtype: 'bool' }));
    agree((b) => runPrimitive(op, [make(b, [-3, 0, 4], [3], 'int32')], {}, { shape: [3], dtype: 'int32' }));
  });

  it('scatterAdd of bool is a logical or; prod and max of bool; sum of bool gives int32', () => {
    agree((b) => runPrimitive('scatterAdd', [bools(b, [0, 0, 1, 0]), make(b, [1, 1, 3], [3], 'int32'), bools(b, [1, 0, 0])], { axis: 0 }, { shape: [4], dtype: 'bool' }));
    agree((b) => [T.prod(make(b, [1, 1, 0, 1, 1, 1], [2, 3], 'bool'), 1), T.max(make(b, [0, 0, 0, 1, 0, 0], [2, 3], 'bool'), 1), T.min(make(b, [1, 1, 1, 1, 0, 1], [2, 3], 'bool'), 1), T.sum(make(b, [1, 1, 0, 1, 1, 1], [2, 3], 'bool'), 1)]);
  });

  it('pad of bool and int32 stores the value as the dtype does', () => {
    agree((b) => [T.pad(bools(b, [1, 0]), [1, 1], 2), T.pad(make(b, [5], [1], 'int32'), [2, 0], -2147483648)]);
  });
});

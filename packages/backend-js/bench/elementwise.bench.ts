// Elementwise, reduction and movement throughput on 1M float32 elements:
// `npx vitest bench --run bench/elementwise.bench.ts`. Not part of the test suite.
import type { DType, Shape, TensorInfo } from '@plexus/tensor';
import { bench, describe } from 'vitest';
import { JsBackend } from '../src/backend.js';

const backend = new JsBackend();

function info(shape: Shape, dtype: DType = 'float32'): TensorInfo {
  const n = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) values[i] = (i % 1000) / 1000 - 0.4;
  return { dataId: backend.write(values, shape, dtype), shape, dtype };
}

const x = info([1000, 1000]);
const y = info([1000, 1000]);
const row = info([1000]);
const col = info([1000, 1]);
const s = info([]);
const out = { shape: [1000, 1000], dtype: 'float32' } as const;
const p = backend.primitives;
const go = (id: object) => backend.dispose(id);

describe('1M float32 elements', () => {
  bench('add same shape', () => go(p.add([x, y], {}, out)));
  bench('add row broadcast', () => go(p.add([x, row], {}, out)));
  bench('mul column broadcast', () => go(p.mul([x, col], {}, out)));
  bench('mul scalar', () => go(p.mul([x, s], {}, out)));
  bench('greater', () => go(p.greater([x, y], {}, { shape: [1000, 1000], dtype: 'bool' })));
  bench('exp', () => go(p.exp([x], {}, out)));
  bench('tanh', () => go(p.tanh([x], {}, out)));
  bench('erf', () => go(p.erf([x], {}, out)));
  bench('sum all', () => go(p.sum([x], { axes: [0, 1] }, { shape: [], dtype: 'float32' })));
  bench('sum axis 0', () => go(p.sum([x], { axes: [0] }, { shape: [1000], dtype: 'float32' })));
  bench('max axis 1', () => go(p.max([x], { axes: [1] }, { shape: [1000], dtype: 'float32' })));
  bench('transpose', () => go(p.permute([x], { perm: [1, 0] }, out)));
});

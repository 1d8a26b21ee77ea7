// float32 matmul throughput: `npx vitest bench --run` (from packages/backend-js).
// GFLOP/s = 2·m·k·n / mean time. Not part of the test suite.
import type { TensorInfo } from '@plexus/tensor';
import { bench, describe } from 'vitest';
import { JsBackend } from '../src/backend.js';

const backend = new JsBackend();

function square(n: number, seed: number): TensorInfo {
  const values = new Float32Array(n * n);
  let s = seed;
  for (let i = 0; i < values.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    values[i] = s / 2 ** 32 - 0.5;
  }
  return { dataId: backend.write(values, [n, n], 'float32'), shape: [n, n], dtype: 'float32' };
}

for (const n of [256, 1024]) {
  describe(`matmul float32 ${n}x${n}x${n}`, () => {
    const a = square(n, 1);
    const b = square(n, 2);
    bench(`${n}^3 (${((2 * n ** 3) / 1e9).toFixed(3)} GFLOP per call)`, () => {
      backend.dispose(backend.primitives.matmul([a, b], {}, { shape: [n, n], dtype: 'float32' }));
    }, { time: n > 512 ? 4000 : 1000, warmupIterations: 2 });
  });
}

// Per-op overhead: tiny ops through the backend object alone and through the tensor API, for
// 'cpu' and 'js' (CPU time per op, which a busy machine distorts less than wall time).
// Needs `pnpm build`. Usage: node bench/overhead.mjs
import '@plexus/backend-cpu';
import '@plexus/backend-js';
import { add, findBackend, tensor } from '@plexus/tensor';

const cpuTime = (fn, n) => {
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / n;
};

for (const name of ['cpu', 'js']) {
  const b = findBackend(name);
  const x = { dataId: b.write(new Float32Array([1, 2, 3, 4]), [4], 'float32'), shape: [4], dtype: 'float32' };
  const out = { shape: [4], dtype: 'float32' };
  const a = tensor([1, 2, 3, 4], { backend: b });
  const n = 100_000;
  let raw = 0;
  let api = 0;
  for (let round = 0; round < 3; round++) {
    raw = cpuTime(() => b.dispose(b.primitives.add([x, x], {}, out)), n);
    api = cpuTime(() => add(a, a).dispose(), n);
    await new Promise((r) => setImmediate(r));
  }
  console.log(`${name}: backend.primitives.add + dispose ${raw.toFixed(2)} µs/op, tensor add + dispose ${api.toFixed(2)} µs/op (CPU time)`);
}

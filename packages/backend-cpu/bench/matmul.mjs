// W1-style matmul throughput: float32 (and float64) C = A·B through the tensor API on backend
// 'cpu'. Needs the built packages (`pnpm build`). Usage:
//   node bench/matmul.mjs [size ...]        e.g. node bench/matmul.mjs 1024 512 256
// PLEXUS_NUM_THREADS sets the threads (default: all cores), PLEXUS_CPU_FEATURES the kernels.
import { cpuFeatures } from '@plexus/backend-cpu';
import { matmul, randn, setBackend, transpose } from '@plexus/tensor';

setBackend('cpu');
const sizes = process.argv.slice(2).map(Number);
if (sizes.length === 0) sizes.push(1024, 512, 256, 128);
console.log(`backend cpu, ${JSON.stringify(cpuFeatures())}`);

// Median of timed runs (at least 5, for at least 0.8 s); `best` keeps the fastest too.
let best = Infinity;
function time(fn, minMs = 800) {
  fn();
  fn();
  const times = [];
  const start = performance.now();
  while (performance.now() - start < minMs || times.length < 5) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  best = times[0];
  return times[Math.floor(times.length / 2)];
}

for (const dtype of ['float32', 'float64']) {
  for (const n of sizes) {
    const a = randn([n, n], { dtype });
    const b = randn([n, n], { dtype });
    const flops = 2 * n * n * n;
    const plain = time(() => matmul(a, b).dispose());
    const plainBest = best;
    const bt = time(() => matmul(a, transpose(b)).dispose());
    const at = time(() => matmul(transpose(a), b).dispose());
    const g = (ms) => (flops / ms / 1e6).toFixed(1);
    console.log(`${dtype} ${n}³: A·B ${g(plain)} GFLOP/s median (${plain.toFixed(2)} ms), ${g(plainBest)} best; A·Bᵀ ${g(bt)}, Aᵀ·B ${g(at)} median`);
  }
}

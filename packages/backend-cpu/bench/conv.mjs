// conv2d / convTranspose2d / maxPool2d forward timings on CNN-sized inputs (CPU time per call,
// which a busy machine distorts less than wall time). Needs `pnpm build`. Usage: node bench/conv.mjs
import '@plexus/backend-cpu';
import { conv2d, convTranspose2d, maxPool2d, randn, setBackend } from '@plexus/tensor';

setBackend('cpu');
const cases = [
  ['conv2d [64,1,28,28] * [32,1,3,3] pad 1', () => conv2d(x1, w1, null, { padding: 1 })],
  ['conv2d [64,32,14,14] * [64,32,3,3] pad 1', () => conv2d(x2, w2, null, { padding: 1 })],
  ['convTranspose2d [64,64,7,7] * [64,32,4,4] stride 2 pad 1', () => convTranspose2d(x3, w3, null, { stride: 2, padding: 1 })],
  ['maxPool2d [64,32,28,28] k2', () => maxPool2d(x4, 2)],
];
const x1 = randn([64, 1, 28, 28]);
const w1 = randn([32, 1, 3, 3]);
const x2 = randn([64, 32, 14, 14]);
const w2 = randn([64, 32, 3, 3]);
const x3 = randn([64, 64, 7, 7]);
const w3 = randn([64, 32, 4, 4]);
const x4 = randn([64, 32, 28, 28]);
const flops = [2 * 64 * 32 * 28 * 28 * 9, 2 * 64 * 64 * 14 * 14 * 32 * 9, 2 * 64 * 64 * 7 * 7 * 32 * 16, 0];
for (let c = 0; c < cases.length; c++) {
  const [name, fn] = cases[c];
  for (let i = 0; i < 3; i++) fn().dispose();
  const n = 20;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) fn().dispose();
  const wall = (performance.now() - t0) / n;
  const cu = process.cpuUsage(c0);
  const cpu = (cu.user + cu.system) / 1000 / n;
  console.log(`${name}: ${wall.toFixed(2)} ms wall, ${cpu.toFixed(2)} ms cpu${flops[c] ? `, ${(flops[c] / cpu / 1e6).toFixed(1)} GFLOP/cpu-s` : ''}`);
}

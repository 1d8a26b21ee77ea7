import '@plexus/autograd';
import '@plexus/backend-cpu';
import { gather, logSoftmax, manualSeed, matmul, noGrad, randint, randn, relu, setBackend, zeros } from '@plexus/tensor';
const backend = setBackend('cpu');
const counts = {}; const times = {};
for (const table of [backend.primitives, backend.accelerated]) for (const k of Object.keys(table)) { const f = table[k]; table[k] = (...a) => { const t = performance.now(); const r = f(...a); times[k] = (times[k] ?? 0) + performance.now() - t; counts[k] = (counts[k] ?? 0) + 1; return r; }; }
const w = backend.write.bind(backend); backend.write = (...a) => { counts.write = (counts.write ?? 0) + 1; return w(...a); };
manualSeed(0);
const sizes = [784, 512, 256, 10]; const params = [];
for (let i = 0; i < 3; i++) params.push(randn([sizes[i], sizes[i + 1]]).requiresGrad_(), zeros([sizes[i + 1]]).requiresGrad_());
const batches = Array.from({ length: 8 }, () => [randn([128, 784]), randint(0, 10, [128, 1])]);
function step(i) {
  const [x, y] = batches[i % 8]; let h = x;
  for (let l = 0; l < 3; l++) { h = matmul(h, params[2 * l]).add(params[2 * l + 1]); if (l < 2) h = relu(h); }
  const loss = gather(logSoftmax(h, 1), 1, y).mean().neg();
  loss.backward();
  noGrad(() => { for (const p of params) { p.assign(p.sub(p.grad.mul(0.01))); p.grad = null; } });
}
for (let i = 0; i < 20; i++) { step(i); await new Promise((r) => setImmediate(r)); }
for (const k in counts) { counts[k] = 0; times[k] = 0; }
const N = 50; const t0 = performance.now();
for (let i = 0; i < N; i++) { step(i); await new Promise((r) => setImmediate(r)); }
const total = performance.now() - t0;
let calls = 0, inNative = 0;
for (const k of Object.keys(counts).sort((a, b) => (times[b] ?? 0) - (times[a] ?? 0))) { calls += counts[k]; inNative += times[k] ?? 0; console.log(k.padEnd(12), (counts[k] / N).toFixed(1), 'calls/step', ((times[k] ?? 0) / N * 1000).toFixed(1), "us/step"); }
console.log('total', (total / N).toFixed(3), 'ms/step;', (calls / N).toFixed(0), 'calls/step;', (inNative / N).toFixed(3), 'ms/step in backend');

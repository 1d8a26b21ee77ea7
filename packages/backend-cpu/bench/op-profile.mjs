// Which backend ops a W2 training step (MLP 784-512-256-10, batch 128) calls, how often, and how
// much wall time each takes inside the backend; the rest of the step is the frontend (tensor,
// autograd) and the garbage collector. Needs `pnpm build`. Usage: node bench/op-profile.mjs
// (PLEXUS_NUM_THREADS=1 for single-thread numbers).
import '@plexus/autograd';
import '@plexus/backend-cpu';
import { gather, logSoftmax, manualSeed, matmul, noGrad, randint, randn, relu, setBackend, zeros } from '@plexus/tensor';

const backend = setBackend('cpu');
const counts = {};
const times = {};
for (const table of [backend.primitives, backend.accelerated]) {
  for (const k of Object.keys(table)) {
    const f = table[k];
    table[k] = (...a) => {
      const t = performance.now();
      const r = f(...a);
      times[k] = (times[k] ?? 0) + performance.now() - t;
      counts[k] = (counts[k] ?? 0) + 1;
      return r;
    };
  }
}
manualSeed(0);
const sizes = [784, 512, 256, 10];
const params = [];
for (let i = 0; i < 3; i++) params.push(randn([sizes[i], sizes[i + 1]]).mul(Math.sqrt(2 / sizes[i])).requiresGrad_(), zeros([sizes[i + 1]]).requiresGrad_());
const batches = Array.from({ length: 8 }, () => [randn([128, 784]), randint(0, 10, [128, 1])]);
function step(i) {
  const [x, y] = batches[i % 8];
  let h = x;
  for (let l = 0; l < 3; l++) {
    h = matmul(h, params[2 * l]).add(params[2 * l + 1]);
    if (l < 2) h = relu(h);
  }
  gather(logSoftmax(h, 1), 1, y).mean().neg().backward();
  noGrad(() => {
    for (const p of params) {
      p.assign(p.sub(p.grad.mul(0.01)));
      p.grad = null;
    }
  });
}
for (let i = 0; i < 30; i++) step(i);
for (const k in counts) counts[k] = times[k] = 0;
const N = 200;
const t0 = performance.now();
for (let i = 0; i < N; i++) step(i);
const total = (performance.now() - t0) / N;
let calls = 0;
let inBackend = 0;
for (const k of Object.keys(counts).sort((a, b) => times[b] - times[a])) {
  calls += counts[k];
  inBackend += times[k];
  console.log(`${k.padEnd(12)} ${(counts[k] / N).toFixed(1).padStart(5)} calls/step ${((times[k] / N) * 1000).toFixed(1).padStart(8)} µs/step`);
}
console.log(`step ${(total * 1000).toFixed(0)} µs: ${(calls / N).toFixed(0)} backend calls taking ${((inBackend / N) * 1000).toFixed(0)} µs, the rest (frontend, autograd, GC) ${((total - inBackend / N) * 1000).toFixed(0)} µs`);

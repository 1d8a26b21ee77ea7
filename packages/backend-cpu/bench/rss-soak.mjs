// 10,000 W2 training steps (MLP 784-512-256-10, ReLU, logSoftmax + gather cross-entropy, SGD by
// assign, batch 128) with no manual dispose, printing RSS and live handles every 1000 steps:
// memory must stay flat. The loop is synchronous (it never lets the event loop turn); --await
// makes it await one turn per step instead. Needs `pnpm build`.
// Usage: node bench/rss-soak.mjs [steps] [--await]
import '@plexus/autograd';
import '@plexus/backend-cpu';
import { gather, logSoftmax, manualSeed, matmul, noGrad, randint, randn, relu, setBackend, zeros } from '@plexus/tensor';

const steps = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 10_000);
const yieldEachStep = process.argv.includes('--await');
const backend = setBackend('cpu');
manualSeed(0);
const sizes = [784, 512, 256, 10];
const params = [];
for (let i = 0; i < 3; i++) {
  params.push(randn([sizes[i], sizes[i + 1]]).mul(Math.sqrt(2 / sizes[i])).requiresGrad_(), zeros([sizes[i + 1]]).requiresGrad_());
}
const batches = Array.from({ length: 8 }, () => [randn([128, 784]), randint(0, 10, [128, 1])]);

const mb = (b) => (b / 2 ** 20).toFixed(1);
const samples = [];
const t0 = performance.now();
for (let i = 1; i <= steps; i++) {
  const [x, y] = batches[i % batches.length];
  let h = x;
  for (let l = 0; l < 3; l++) {
    h = matmul(h, params[2 * l]).add(params[2 * l + 1]);
    if (l < 2) h = relu(h);
  }
  const loss = gather(logSoftmax(h, 1), 1, y).mean().neg();
  loss.backward();
  noGrad(() => {
    for (const p of params) {
      p.assign(p.sub(p.grad.mul(0.01)));
      p.grad = null;
    }
  });
  if (yieldEachStep) await new Promise((r) => setImmediate(r));
  if (i % 1000 === 0) {
    const rss = process.memoryUsage().rss;
    const { numHandles, numBytes } = backend.memory();
    samples.push(rss);
    console.log(`step ${i}: rss ${mb(rss)} MB, live handles ${numHandles} (${mb(numBytes)} MB), loss ${Number(loss.item()).toFixed(4)}, ${((performance.now() - t0) / i).toFixed(2)} ms/step`);
  }
}
const tail = samples.slice(1);
if (tail.length) {
  const growth = Math.max(...tail) - Math.min(...tail);
  console.log(`rss after step ${steps / samples.length}: min ${mb(Math.min(...tail))} MB, max ${mb(Math.max(...tail))} MB, spread ${mb(growth)} MB`);
}

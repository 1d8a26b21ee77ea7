// A W2-like training loop: MLP 784-512-256-10 with ReLU, softmax cross-entropy through
// logSoftmax + gather, plain SGD through assign, batch 128, no manual dispose. Prints samples/s.
// Needs the built packages (`pnpm build`). Usage:
//   node bench/mlp.mjs [steps] [--backend js|cpu] [--linear]   (--linear: weights [out, in] used through transpose, like nn.Linear)
import '@plexus/autograd';
import '@plexus/backend-cpu';
import '@plexus/backend-js';
import { gather, logSoftmax, manualSeed, matmul, noGrad, randint, randn, relu, setBackend, transpose, zeros } from '@plexus/tensor';

const argv = process.argv.slice(2);
const steps = Number(argv.find((a) => /^\d+$/.test(a)) ?? 300);
const backendName = argv.includes('--backend') ? argv[argv.indexOf('--backend') + 1] : 'cpu';
const linear = argv.includes('--linear');
setBackend(backendName);
manualSeed(0);

const B = 128;
const sizes = [784, 512, 256, 10];
const params = [];
for (let i = 0; i < 3; i++) {
  const [fin, fout] = [sizes[i], sizes[i + 1]];
  const w = randn(linear ? [fout, fin] : [fin, fout]).mul(Math.sqrt(2 / fin)).requiresGrad_();
  params.push(w, zeros([fout]).requiresGrad_());
}
// A few fixed batches, cycled (data loading is not what this measures).
const batches = Array.from({ length: 8 }, () => [randn([B, 784]), randint(0, 10, [B, 1])]);
const lr = 0.01;

function step(i) {
  const [x, y] = batches[i % batches.length];
  let h = x;
  for (let l = 0; l < 3; l++) {
    const w = params[2 * l];
    h = matmul(h, linear ? transpose(w) : w).add(params[2 * l + 1]);
    if (l < 2) h = relu(h);
  }
  const loss = gather(logSoftmax(h, 1), 1, y).mean().neg();
  loss.backward();
  noGrad(() => {
    for (const p of params) {
      p.assign(p.sub(p.grad.mul(lr)));
      p.grad = null;
    }
  });
  return loss;
}

const warm = Math.min(30, Math.floor(steps / 5));
for (let i = 0; i < warm; i++) step(i);
const t0 = performance.now();
const c0 = process.cpuUsage();
let loss;
for (let i = 0; i < steps; i++) {
  loss = step(i);
  // Let the event loop turn now and then: finalizers (and so memory release) run there.
  if (i % 10 === 9) await new Promise((r) => setImmediate(r));
}
const secs = (performance.now() - t0) / 1000;
const cu = process.cpuUsage(c0);
const cpuSecs = (cu.user + cu.system) / 1e6;
console.log(
  `${backendName}${linear ? ' (linear layout)' : ''}: ${steps} steps in ${secs.toFixed(2)} s, ${((steps * B) / secs).toFixed(0)} samples/s ` +
    `(cpu time ${((cpuSecs / steps) * 1000).toFixed(2)} ms/step), loss ${Number(loss.item()).toFixed(4)}`,
);

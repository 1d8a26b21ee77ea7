// Which backend ops a W2 training step (MLP 784-512-256-10, batch 128) calls, how often, and how
// much wall time each takes inside the backend; the rest of the step is the frontend (tensor,
// autograd) and the garbage collector. Needs `pnpm build`. Usage: node bench/op-profile.mjs
// (PLEXUS_NUM_THREADS=1 for single-thread numbers).
import '@plexus/autograd';
import '@plexus/backend-cpu';
import { profileSteps } from './op-timer.mjs';
import { gather, logSoftmax, manualSeed, matmul, noGrad, randint, randn, relu, setBackend, zeros } from '@plexus/tensor';

const backend = setBackend('cpu');
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
profileSteps(backend, step, { label: 'W2', warmup: 30, steps: 200, unitsPerStep: 128 });

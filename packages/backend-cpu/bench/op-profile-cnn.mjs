// Which backend ops a W3 training step (apps/bench's CNN: batch 64, 28×28×1, conv5×5 1→32 'same'
// + relu + maxPool2, conv5×5 32→64 + relu + maxPool2, fc 3136→128, fc 128→10, SGD) calls, how
// often, and how much wall time each takes inside the backend; the rest of the step is the
// frontend (tensor, autograd) and the garbage collector. Needs `pnpm build`.
// Usage: node bench/op-profile-cnn.mjs [--infer] (PLEXUS_NUM_THREADS=1 for single-thread numbers).
import { grad } from '@plexus/autograd';
import '@plexus/backend-cpu';
import { profileSteps } from './op-timer.mjs';
import { conv2d, manualSeed, matmul, maxPool2d, noGrad, randint, randn, scope, setBackend, zeros } from '@plexus/tensor';

const infer = process.argv.includes('--infer');
const backend = setBackend('cpu');
manualSeed(0);
const B = 64;
const p = [
  randn([32, 1, 5, 5]).mul(0.2), zeros([32]),
  randn([64, 32, 5, 5]).mul(0.035), zeros([64]),
  randn([3136, 128]).mul(0.025), zeros([128]),
  randn([128, 10]).mul(0.12), zeros([10]),
].map((t) => (infer ? t : t.requiresGrad_()));
const x = randn([B, 1, 28, 28]);
const y = randint(0, 10, [B, 1]);
function loss() {
  const [c1w, c1b, c2w, c2b, f1w, f1b, f2w, f2b] = p;
  let a = maxPool2d(conv2d(x, c1w, c1b, { padding: 2 }).relu(), 2);
  a = maxPool2d(conv2d(a, c2w, c2b, { padding: 2 }).relu(), 2);
  const h = matmul(a.reshape([B, 3136]), f1w).add(f1b).relu();
  const logits = matmul(h, f2w).add(f2b);
  return logits.logSoftmax(1).gather(1, y).mean().neg();
}
function step() {
  scope(() => {
    if (infer) return noGrad(() => loss().item());
    const l = loss();
    const gs = grad(l, p);
    noGrad(() => p.forEach((t, i) => t.assign(t.sub(gs[i].mul(0.01)))));
    return l.item();
  });
}
profileSteps(backend, step, { label: infer ? 'W3 inference' : 'W3 train', warmup: 5, steps: 20, unitsPerStep: B });

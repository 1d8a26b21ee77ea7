// CPU time per call (the ops run eagerly; best of 6 rounds, which a busy machine distorts less than wall time) of the
// convolution and pooling ops in a W3 training step, at W3's shapes: compare with
// bench/torch_cnn_ops.py under the same PLEXUS_NUM_THREADS / --threads. Needs `pnpm build`.
// Usage: PLEXUS_NUM_THREADS=1 node bench/cnn-ops.mjs
import '@plexus/backend-cpu';
import { conv2d, convTranspose2d, conv2dWeightGrad, maxPool2d, maxPool2dBackward, randn, setBackend, scope } from '@plexus/tensor';
setBackend('cpu');
const B = 64;
const x1 = randn([B, 1, 28, 28]), w1 = randn([32, 1, 5, 5]);
const x2 = randn([B, 32, 14, 14]), w2 = randn([64, 32, 5, 5]);
const g1 = randn([B, 32, 28, 28]), g2 = randn([B, 64, 14, 14]);
const p1 = randn([B, 32, 28, 28]).add(0), gp = randn([B, 32, 14, 14]);
[x1, x2, g1, g2, p1, gp].forEach((t) => t.sum().item());
function t(name, fn, n = 8) {
  for (let i = 0; i < 3; i++) scope(() => { fn(); });
  let best = Infinity;
  for (let r = 0; r < 6; r++) {
    const c0 = process.cpuUsage();
    for (let i = 0; i < n; i++) scope(() => { fn(); });
    const c = process.cpuUsage(c0);
    best = Math.min(best, (c.user + c.system) / 1000 / n);
  }
  console.log(name.padEnd(16), best.toFixed(3), 'ms cpu (min of 6)');
}
t('conv1 fwd', () => conv2d(x1, w1, null, { padding: 2 }));
t('conv2 fwd', () => conv2d(x2, w2, null, { padding: 2 }));
t('conv1 wgrad', () => conv2dWeightGrad(x1, g1, 5, { padding: 2 }));
t('conv2 wgrad', () => conv2dWeightGrad(x2, g2, 5, { padding: 2 }));
t('conv2 igrad', () => convTranspose2d(g2, w2, null, { padding: 2 }));
t('maxpool1 fwd', () => maxPool2d(p1, 2));
t('maxpool1 bwd', () => maxPool2dBackward(p1, gp, 2));

// Which backend ops one training step calls, how often, and how much wall time each takes inside
// the backend, with the workloads written as apps/bench writes them: W5 (LSTM: batch 32, seq 32,
// input 64, hidden 128), W4 (transformer block: batch 16, seq 64, d 128, 4 heads, ffn 512) or W7
// (PINN, third order). Needs `pnpm build`. Usage: node bench/op-profile-seq.mjs [w5|w4|w7]
// (PLEXUS_NUM_THREADS=1 for one thread, SHAPES=1 for one line per op and input shapes).
import { grad } from '@plexus/autograd';
import '@plexus/backend-cpu';
import { profileSteps } from './op-timer.mjs';
import { manualSeed, noGrad, randn, scope, setBackend, zeros } from '@plexus/tensor';

const which = process.argv[2] ?? 'w5';
const backend = setBackend('cpu');
manualSeed(0);
const param = (shape, scale) => randn(shape).mul(scale).requiresGrad_();
const linear = (x, w, b) => x.matmul(w).add(b);

function lstmStep() {
  const [B, T, I, H] = [32, 32, 64, 128];
  const x = randn([T, B, I]);
  const target = randn([B, H]);
  const p = [param([I, 4 * H], 0.1), param([H, 4 * H], 0.1), param([4 * H], 0.1)];
  const [wih, whh, b] = p;
  return () => {
    const xw = linear(x.reshape([T * B, I]), wih, b).reshape([T, B, 4 * H]);
    let h = zeros([B, H]);
    let cell = zeros([B, H]);
    for (let t = 0; t < T; t++) {
      const gates = xw.slice(0, t, t + 1).reshape([B, 4 * H]).add(h.matmul(whh));
      const [i, f, g, o] = gates.chunk(4, 1);
      cell = f.sigmoid().mul(cell).add(i.sigmoid().mul(g.tanh()));
      h = o.sigmoid().mul(cell.tanh());
    }
    return [h.sub(target).square().mean(), p];
  };
}

function layerNorm(x, g, b) {
  const centred = x.sub(x.mean(-1, true));
  const variance = centred.square().mean(-1, true);
  return centred.mul(variance.add(1e-5).rsqrt()).mul(g).add(b);
}

function transformerStep() {
  const [B, S, D, H, F] = [16, 64, 128, 4, 512];
  const dh = D / H;
  const x = randn([B, S, D]);
  const target = randn([B, S, D]);
  const sq = (n) => 1 / Math.sqrt(n);
  const p = [
    param([D], 0).add(1).detach().requiresGrad_(), param([D], 0),
    param([D, D], sq(D)), param([D], 0), param([D, D], sq(D)), param([D], 0), param([D, D], sq(D)), param([D], 0),
    param([D, D], sq(D)), param([D], 0),
    param([D], 0).add(1).detach().requiresGrad_(), param([D], 0),
    param([D, F], sq(D)), param([F], 0), param([F, D], sq(F)), param([D], 0),
  ];
  const [ln1g, ln1b, wq, bq, wk, bk, wv, bv, wo, bo, ln2g, ln2b, f1w, f1b, f2w, f2b] = p;
  const heads = (t) => t.reshape([B, S, H, dh]).permute([0, 2, 1, 3]);
  return () => {
    const n1 = layerNorm(x, ln1g, ln1b);
    const q = heads(linear(n1, wq, bq));
    const k = heads(linear(n1, wk, bk));
    const v = heads(linear(n1, wv, bv));
    const att = q.matmul(k.transpose(-2, -1)).mul(1 / Math.sqrt(dh)).softmax(-1);
    const ctx = att.matmul(v).permute([0, 2, 1, 3]).reshape([B, S, D]);
    const h = x.add(linear(ctx, wo, bo));
    const out = h.add(linear(linear(layerNorm(h, ln2g, ln2b), f1w, f1b).gelu(), f2w, f2b));
    return [out.sub(target).square().mean(), p];
  };
}

function pinnStep() {
  // W7: u(x, t) by a tanh MLP 2-64-64-64-1 on 4096 points; Burgers' residual through createGraph.
  const X = randn([4096, 2]).requiresGrad_();
  const sizes = [2, 64, 64, 64, 1];
  const p = [];
  for (let i = 0; i + 1 < sizes.length; i++) p.push(param([sizes[i], sizes[i + 1]], 1 / Math.sqrt(sizes[i])), param([sizes[i + 1]], 0));
  const u = () => {
    let h = X;
    for (let i = 0; i < p.length; i += 2) {
      h = linear(h, p[i], p[i + 1]);
      if (i + 2 < p.length) h = h.tanh();
    }
    return h;
  };
  return () => {
    const out = u();
    const [du] = grad(out, X, { gradOutputs: out.mul(0).add(1), createGraph: true });
    const ux = du.slice(1, 0, 1);
    const ut = du.slice(1, 1, 2);
    const [dux] = grad(ux, X, { gradOutputs: ux.mul(0).add(1), createGraph: true });
    const uxx = dux.slice(1, 0, 1);
    return [ut.add(out.mul(ux)).sub(uxx.mul(0.01)).square().mean(), p];
  };
}

const lossFn = which === 'w4' ? transformerStep() : which === 'w7' ? pinnStep() : lstmStep();
function step() {
  scope(() => {
    const [loss, params] = lossFn();
    const grads = grad(loss, params);
    noGrad(() => params.forEach((q, i) => q.assign(q.sub(grads[i].mul(0.01)))));
    return loss.item();
  });
}
profileSteps(backend, step, { label: which, warmup: 10, steps: 40 });

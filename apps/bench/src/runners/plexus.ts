import { grad } from '@plexus/autograd';
import type { Tensor } from '@plexus/tensor';
import { conv2d, maxPool2d, noGrad, onesLike, scope, tensor, zeros } from '@plexus/tensor';
import type { HostTensor, WorkloadData } from '../data.js';
import { cnnFlat } from '../data.js';
import type { CnnConfig, LstmConfig, MlpConfig, PinnConfig, TransformerConfig, WorkloadConfig } from '../spec.js';
import { LN_EPS } from '../spec.js';
import type { Cell } from './cell.js';

/**
 * The workloads in Plexus: @plexus/tensor ops, @plexus/autograd gradients and plain SGD by
 * `assign` under noGrad. Each step runs in a scope() so its intermediates are freed at once
 * rather than whenever the collector gets to them.
 */

const load = (h: HostTensor): Tensor => tensor(h.data, h.shape);
const param = (h: HostTensor, trainable: boolean): Tensor => tensor(h.data, h.shape, { requiresGrad: trainable });

const linear = (x: Tensor, w: Tensor, b: Tensor): Tensor => x.matmul(w).add(b);

/** Softmax cross-entropy as logSoftmax + pick, averaged over the batch. */
export function crossEntropy(logits: Tensor, labels: Tensor): Tensor {
  const picked = logits.logSoftmax(1).gather(1, labels.reshape([labels.shape[0], 1]));
  return picked.mean().neg();
}

function sgd(params: Tensor[], grads: Tensor[], lr: number): void {
  noGrad(() => params.forEach((p, i) => p.assign(p.sub(grads[i].mul(lr)))));
}

/** A training step: loss, gradients of every parameter, SGD update; returns the loss. */
function trainStep(params: Tensor[], lr: number, lossFn: () => Tensor): () => number {
  return () =>
    scope(() => {
      const loss = lossFn();
      sgd(params, grad(loss, params), lr);
      return loss.item() as number;
    });
}

function mlp(c: MlpConfig, d: WorkloadData): Cell {
  const x = load(d.inputs.x);
  const y = load(d.inputs.y);
  const p = d.params.map(([, h]) => param(h, true));
  return {
    step: trainStep(p, c.lr, () => {
      let h = x;
      for (let i = 0; i < p.length; i += 2) {
        h = linear(h, p[i], p[i + 1]);
        if (i + 2 < p.length) h = h.relu();
      }
      return crossEntropy(h, y);
    }),
  };
}

function cnn(c: CnnConfig, d: WorkloadData): Cell {
  const x = load(d.inputs.x);
  const y = load(d.inputs.y);
  const p = d.params.map(([, h]) => param(h, c.train));
  const [c1w, c1b, c2w, c2b, f1w, f1b, f2w, f2b] = p;
  const padding = c.kernel >> 1;
  const loss = (): Tensor => {
    let a = maxPool2d(conv2d(x, c1w, c1b, { padding }).relu(), 2);
    a = maxPool2d(conv2d(a, c2w, c2b, { padding }).relu(), 2);
    const logits = linear(linear(a.reshape([c.batch, cnnFlat(c)]), f1w, f1b).relu(), f2w, f2b);
    return crossEntropy(logits, y);
  };
  if (c.train) return { step: trainStep(p, c.lr, loss) };
  return { step: () => scope(() => noGrad(() => loss().item() as number)) };
}

function layerNorm(x: Tensor, g: Tensor, b: Tensor): Tensor {
  const centred = x.sub(x.mean(-1, true));
  const variance = centred.square().mean(-1, true);
  return centred.mul(variance.add(LN_EPS).rsqrt()).mul(g).add(b);
}

function transformer(c: TransformerConfig, d: WorkloadData): Cell {
  const { batch: B, seq: S, dModel: D, heads: H } = c;
  const dh = D / H;
  const x = load(d.inputs.x);
  const target = load(d.inputs.target);
  const p = d.params.map(([, h]) => param(h, true));
  const [ln1g, ln1b, wq, bq, wk, bk, wv, bv, wo, bo, ln2g, ln2b, f1w, f1b, f2w, f2b] = p;
  const heads = (t: Tensor): Tensor => t.reshape([B, S, H, dh]).permute([0, 2, 1, 3]);
  return {
    step: trainStep(p, c.lr, () => {
      const n1 = layerNorm(x, ln1g, ln1b);
      const q = heads(linear(n1, wq, bq));
      const k = heads(linear(n1, wk, bk));
      const v = heads(linear(n1, wv, bv));
      const att = q.matmul(k.transpose(-2, -1)).mul(1 / Math.sqrt(dh)).softmax(-1);
      const ctx = att.matmul(v).permute([0, 2, 1, 3]).reshape([B, S, D]);
      const h = x.add(linear(ctx, wo, bo));
      const out = h.add(linear(linear(layerNorm(h, ln2g, ln2b), f1w, f1b).gelu(), f2w, f2b));
      return out.sub(target).square().mean();
    }),
  };
}

function lstm(c: LstmConfig, d: WorkloadData): Cell {
  const { batch: B, seq: T, input: I, hidden: H } = c;
  const x = load(d.inputs.x);
  const target = load(d.inputs.target);
  const p = d.params.map(([, h]) => param(h, true));
  const [wih, whh, b] = p;
  return {
    step: trainStep(p, c.lr, () => {
      // The input projection of all steps at once; only h @ whh is sequential.
      const xw = linear(x.reshape([T * B, I]), wih, b).reshape([T, B, 4 * H]);
      let h = zeros([B, H]);
      let cell = zeros([B, H]);
      for (let t = 0; t < T; t++) {
        const gates = xw.slice(0, t, t + 1).reshape([B, 4 * H]).add(h.matmul(whh));
        const [i, f, g, o] = gates.chunk(4, 1);
        cell = f.sigmoid().mul(cell).add(i.sigmoid().mul(g.tanh()));
        h = o.sigmoid().mul(cell.tanh());
      }
      return h.sub(target).square().mean();
    }),
  };
}

function pinn(c: PinnConfig, d: WorkloadData): Cell {
  const X = param(d.inputs.X, true);
  const p = d.params.map(([, h]) => param(h, true));
  const u = (): Tensor => {
    let h = X;
    for (let i = 0; i < p.length; i += 2) {
      h = linear(h, p[i], p[i + 1]);
      if (i + 2 < p.length) h = h.tanh();
    }
    return h;
  };
  return {
    step: trainStep(p, c.lr, () => {
      const out = u();
      // Derivatives with respect to the inputs stay in the graph (createGraph), so the
      // parameter gradient of the residual differentiates through them: third order overall.
      const [du] = grad(out, X, { gradOutputs: onesLike(out), createGraph: true });
      const ux = du.slice(1, 0, 1);
      const ut = du.slice(1, 1, 2);
      const [dux] = grad(ux, X, { gradOutputs: onesLike(ux), createGraph: true });
      const uxx = dux.slice(1, 0, 1);
      const residual = ut.add(out.mul(ux)).sub(uxx.mul(c.nu));
      return residual.square().mean();
    }),
  };
}

/** Builds the workload on the current Plexus backend. */
export function plexusCell(config: WorkloadConfig, data: WorkloadData): Cell {
  switch (config.kind) {
    case 'sgemm': {
      const a = load(data.inputs.a);
      const b = load(data.inputs.b);
      // The checksum costs n² next to the product's n³.
      return { step: () => scope(() => a.matmul(b).sum().item() as number) };
    }
    case 'elementwise': {
      const [a, b, c] = ['a', 'b', 'c'].map((k) => load(data.inputs[k]));
      return { step: () => scope(() => a.mul(b).add(c).relu().sum().item() as number) };
    }
    case 'mlp':
      return mlp(config, data);
    case 'cnn':
      return cnn(config, data);
    case 'transformer':
      return transformer(config, data);
    case 'lstm':
      return lstm(config, data);
    case 'pinn':
      return pinn(config, data);
  }
}

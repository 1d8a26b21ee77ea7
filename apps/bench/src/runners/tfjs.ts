import type { HostTensor, WorkloadData } from '../data.js';
import { cnnFlat } from '../data.js';
import type { CnnConfig, LstmConfig, MlpConfig, PinnConfig, TransformerConfig, WorkloadConfig } from '../spec.js';
import { LN_EPS } from '../spec.js';
import type { Cell } from './cell.js';
import { UnsupportedError } from './cell.js';
import { tf } from './tfjs-backend.js';

/**
 * The workloads in TensorFlow.js, with the same data and math as the Plexus runner. Layouts
 * follow tfjs's own (NHWC images, [kH, kW, in, out] filters); the data is permuted once at set-up
 * so the computation is the same, number for number.
 */

type T = tf.Tensor;
const load = (h: HostTensor): T => tf.tensor(h.data, h.shape, h.data instanceof Int32Array ? 'int32' : 'float32');
const linear = (x: T, w: T, b: T): T => tf.add(tf.matMul(x, w), b);

/**
 * Softmax cross-entropy as logSoftmax + pick, averaged over the batch. The pick multiplies by a
 * one-hot mask and sums (exact: the other terms are zeros); tf.gather's gradient needs an
 * UnsortedSegmentSum kernel that tfjs-backend-wasm lacks.
 */
function crossEntropy(logits: T, oneHot: T): T {
  return tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(logits, 1), oneHot), 1)));
}

function oneHotLabels(h: HostTensor, classes: number): T {
  return tf.tidy(() => tf.oneHot(tf.tensor1d(h.data as Int32Array, 'int32'), classes).toFloat());
}

/** A training step with tfjs's plain SGD (var -= lr * grad); returns the loss. */
function trainStep(vars: tf.Variable[], lr: number, lossFn: () => T): () => number {
  const opt = tf.train.sgd(lr);
  return () => {
    const loss = opt.minimize(() => lossFn() as tf.Scalar, true, vars);
    if (!loss) throw new Error('tfjs: minimize returned no loss');
    const value = loss.dataSync()[0];
    loss.dispose();
    return value;
  };
}

const variables = (d: WorkloadData): tf.Variable[] => d.params.map(([, h]) => tf.variable(load(h)));

function mlp(c: MlpConfig, d: WorkloadData): Cell {
  const x = load(d.inputs.x);
  const y = oneHotLabels(d.inputs.y, c.layers[c.layers.length - 1]);
  const p = variables(d);
  return {
    step: trainStep(p, c.lr, () => {
      let h: T = x;
      for (let i = 0; i < p.length; i += 2) {
        h = linear(h, p[i], p[i + 1]);
        if (i + 2 < p.length) h = tf.relu(h);
      }
      return crossEntropy(h, y);
    }),
  };
}

function cnn(c: CnnConfig, d: WorkloadData): Cell {
  const { batch: B, image: S, channels } = c;
  const x = tf.tidy(() => tf.transpose(load(d.inputs.x), [0, 2, 3, 1])); // NCHW -> NHWC
  const y = oneHotLabels(d.inputs.y, c.classes);
  const host = Object.fromEntries(d.params);
  const filter = (h: HostTensor): T => tf.tidy(() => tf.transpose(load(h), [2, 3, 1, 0])); // [O,C,kH,kW] -> [kH,kW,C,O]
  // fc1's rows follow the NCHW flatten order (c, h, w); NHWC flattens as (h, w, c).
  const P = S / 4;
  const fc1 = tf.tidy(() => tf.transpose(load(host['fc1.w']).reshape([channels[2], P, P, c.hidden]), [1, 2, 0, 3]).reshape([cnnFlat(c), c.hidden]));
  const vals = [filter(host['conv1.w']), load(host['conv1.b']), filter(host['conv2.w']), load(host['conv2.b']), fc1, load(host['fc1.b']), load(host['fc2.w']), load(host['fc2.b'])];
  const p = vals.map((v) => (c.train ? tf.variable(v) : v));
  const [c1w, c1b, c2w, c2b, f1w, f1b, f2w, f2b] = p;
  // Stride 1 with a 5×5 kernel: 'same' is padding 2 on every side.
  const loss = (): T => {
    const stage = (input: T, w: T, b: T): T => tf.maxPool(tf.relu(tf.add(tf.conv2d(input as tf.Tensor4D, w as tf.Tensor4D, 1, 'same'), b)) as tf.Tensor4D, 2, 2, 'valid');
    const a = stage(stage(x, c1w, c1b), c2w, c2b);
    const logits = linear(tf.relu(linear(a.reshape([B, cnnFlat(c)]), f1w, f1b)), f2w, f2b);
    return crossEntropy(logits, y);
  };
  if (c.train) {
    // Asked of the kernel registry, so the remark stays true if a later tfjs adds the kernel.
    if (!tf.getKernel('Conv2DBackpropFilter', tf.getBackend())) {
      throw new UnsupportedError(`cannot train: tfjs-backend-${tf.getBackend()} has no Conv2DBackpropFilter kernel`);
    }
    return { step: trainStep(p as tf.Variable[], c.lr, loss) };
  }
  return {
    step: () => {
      const l = tf.tidy(loss);
      const v = l.dataSync()[0];
      l.dispose();
      return v;
    },
  };
}

function layerNorm(x: T, g: T, b: T): T {
  const centred = tf.sub(x, tf.mean(x, -1, true));
  const variance = tf.mean(tf.square(centred), -1, true);
  return tf.add(tf.mul(tf.mul(centred, tf.rsqrt(tf.add(variance, LN_EPS))), g), b);
}

/** Exact GELU: tfjs has no gelu op, so x/2 · (1 + erf(x/√2)), as in Plexus. */
const gelu = (x: T): T => tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1));

function transformer(c: TransformerConfig, d: WorkloadData): Cell {
  const { batch: B, seq: S, dModel: D, heads: H } = c;
  const dh = D / H;
  const x = load(d.inputs.x);
  const target = load(d.inputs.target);
  const p = variables(d);
  const [ln1g, ln1b, wq, bq, wk, bk, wv, bv, wo, bo, ln2g, ln2b, f1w, f1b, f2w, f2b] = p;
  // Linear layers on [B·S, D] rows: tfjs's matMul wants equal ranks.
  const rows = (t: T): T => t.reshape([B * S, -1]);
  const heads = (t: T): T => tf.transpose(t.reshape([B, S, H, dh]), [0, 2, 1, 3]);
  return {
    step: trainStep(p, c.lr, () => {
      const n1 = rows(layerNorm(x, ln1g, ln1b));
      const q = heads(linear(n1, wq, bq));
      const k = heads(linear(n1, wk, bk));
      const v = heads(linear(n1, wv, bv));
      const att = tf.softmax(tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(dh)), -1);
      const ctx = tf.transpose(tf.matMul(att, v), [0, 2, 1, 3]).reshape([B * S, D]);
      const h = tf.add(rows(x), linear(ctx, wo, bo));
      const out = tf.add(h, linear(gelu(linear(layerNorm(h, ln2g, ln2b), f1w, f1b)), f2w, f2b));
      return tf.mean(tf.square(tf.sub(out, rows(target))));
    }),
  };
}

function lstm(c: LstmConfig, d: WorkloadData): Cell {
  const { batch: B, seq: T, input: I, hidden: H } = c;
  const x = load(d.inputs.x);
  const target = load(d.inputs.target);
  const p = variables(d);
  const [wih, whh, b] = p;
  return {
    step: trainStep(p, c.lr, () => {
      const xw = linear(x.reshape([T * B, I]), wih, b).reshape([T, B, 4 * H]);
      let h: T = tf.zeros([B, H]);
      let cell: T = tf.zeros([B, H]);
      for (let t = 0; t < T; t++) {
        const gates = tf.add(tf.slice(xw, [t, 0, 0], [1, B, 4 * H]).reshape([B, 4 * H]), tf.matMul(h, whh));
        const [i, f, g, o] = tf.split(gates, 4, 1);
        cell = tf.add(tf.mul(tf.sigmoid(f), cell), tf.mul(tf.sigmoid(i), tf.tanh(g)));
        h = tf.mul(tf.sigmoid(o), tf.tanh(cell));
      }
      return tf.mean(tf.square(tf.sub(h, target)));
    }),
  };
}

function pinn(c: PinnConfig, d: WorkloadData): Cell {
  const X = load(d.inputs.X);
  const p = variables(d);
  const u = (input: T): T => {
    let h = input;
    for (let i = 0; i < p.length; i += 2) {
      h = linear(h, p[i], p[i + 1]);
      if (i + 2 < p.length) h = tf.tanh(h);
    }
    return h;
  };
  const col = (t: T, j: number): T => tf.slice(t, [0, j], [-1, 1]);
  // Rows are independent, so the gradient of sum(u) with respect to X is du/dX row by row.
  const du = tf.grad((input: T) => tf.sum(u(input)));
  const dux = tf.grad((input: T) => tf.sum(col(du(input), 0)));
  return {
    step: trainStep(p, c.lr, () => {
      const out = u(X);
      const g = du(X);
      const uxx = col(dux(X), 0);
      const residual = tf.sub(tf.add(col(g, 1), tf.mul(out, col(g, 0))), tf.mul(uxx, c.nu));
      return tf.mean(tf.square(residual));
    }),
  };
}

/** Builds the workload on the current tfjs backend. */
export function tfjsCell(config: WorkloadConfig, data: WorkloadData): Cell {
  switch (config.kind) {
    case 'sgemm': {
      const a = load(data.inputs.a);
      const b = load(data.inputs.b);
      return { step: () => readScalar(() => tf.sum(tf.matMul(a, b))) };
    }
    case 'elementwise': {
      const [a, b, c] = ['a', 'b', 'c'].map((k) => load(data.inputs[k]));
      return { step: () => readScalar(() => tf.sum(tf.relu(tf.add(tf.mul(a, b), c)))) };
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

function readScalar(f: () => T): number {
  const t = tf.tidy(f);
  const v = t.dataSync()[0];
  t.dispose();
  return v;
}

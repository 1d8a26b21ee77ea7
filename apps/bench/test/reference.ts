/**
 * Plain float64 references for the first step of each workload: loops over Float64Arrays, no
 * tensor library, written from the workload definitions. The runners must agree with these, which
 * is what keeps the benchmark measuring the real computation rather than a shortcut.
 */
import type { HostTensor, WorkloadData } from '../src/data.js';
import { cnnFlat, generateData } from '../src/data.js';
import type { CnnConfig, LstmConfig, MlpConfig, PinnConfig, TransformerConfig, WorkloadConfig } from '../src/spec.js';
import { LN_EPS } from '../src/spec.js';

type M = Float64Array;
const f64 = (h: HostTensor): M => Float64Array.from(h.data);
const params = (d: WorkloadData): M[] => d.params.map(([, h]) => f64(h));

/** [m,k] @ [k,n] + bias[n] (bias optional). */
function matmul(a: M, b: M, m: number, k: number, n: number, bias?: M): M {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = bias ? bias[j] : 0;
      for (let p = 0; p < k; p++) s += a[i * k + p] * b[p * n + j];
      out[i * n + j] = s;
    }
  }
  return out;
}

const map = (a: M, f: (v: number) => number): M => a.map(f);
const relu = (v: number): number => (v > 0 ? v : 0);
const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

/** erf by its Taylor series (|x| ≤ 3, error ~1e-13) or the asymptotic series of erfc beyond. */
export function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax > 3) {
    const x2 = ax * ax;
    const erfc = (Math.exp(-x2) / (ax * Math.sqrt(Math.PI))) * (1 - 1 / (2 * x2) + 3 / (4 * x2 * x2) - 15 / (8 * x2 ** 3));
    return Math.sign(x) * (1 - erfc);
  }
  let term = x;
  let sum = x;
  for (let n = 1; n < 80; n++) {
    term *= (-x * x) / n;
    sum += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

/** Mean over rows of −log softmax(logits)[label]. */
function crossEntropy(logits: M, labels: ArrayLike<number>, rows: number, classes: number): number {
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const row = logits.subarray(r * classes, (r + 1) * classes);
    const max = Math.max(...row);
    let s = 0;
    for (const v of row) s += Math.exp(v - max);
    total -= row[labels[r]] - max - Math.log(s);
  }
  return total / rows;
}

const mse = (a: M, b: M): number => a.reduce((s, v, i) => s + (v - b[i]) ** 2, 0) / a.length;

function mlp(c: MlpConfig, d: WorkloadData): number {
  const p = params(d);
  let h = f64(d.inputs.x);
  for (let l = 0; l + 1 < c.layers.length; l++) {
    h = matmul(h, p[2 * l], c.batch, c.layers[l], c.layers[l + 1], p[2 * l + 1]);
    if (l + 2 < c.layers.length) h = map(h, relu);
  }
  return crossEntropy(h, d.inputs.y.data, c.batch, c.layers[c.layers.length - 1]);
}

/** Same-size convolution (stride 1, padding k>>1) of x [N,C,S,S] with w [O,C,k,k]. */
function conv(x: M, w: M, b: M, N: number, C: number, O: number, S: number, k: number): M {
  const pad = k >> 1;
  const out = new Float64Array(N * O * S * S);
  for (let n = 0; n < N; n++)
    for (let o = 0; o < O; o++)
      for (let i = 0; i < S; i++)
        for (let j = 0; j < S; j++) {
          let s = b[o];
          for (let c = 0; c < C; c++)
            for (let u = 0; u < k; u++)
              for (let v = 0; v < k; v++) {
                const y = i + u - pad;
                const z = j + v - pad;
                if (y >= 0 && y < S && z >= 0 && z < S) s += x[((n * C + c) * S + y) * S + z] * w[((o * C + c) * k + u) * k + v];
              }
          out[((n * O + o) * S + i) * S + j] = s;
        }
  return out;
}

function maxPool2(x: M, N: number, C: number, S: number): M {
  const H = S / 2;
  const out = new Float64Array(N * C * H * H);
  for (let n = 0; n < N * C; n++)
    for (let i = 0; i < H; i++)
      for (let j = 0; j < H; j++) {
        const at = (y: number, z: number): number => x[(n * S + y) * S + z];
        out[(n * H + i) * H + j] = Math.max(at(2 * i, 2 * j), at(2 * i, 2 * j + 1), at(2 * i + 1, 2 * j), at(2 * i + 1, 2 * j + 1));
      }
  return out;
}

function cnn(c: CnnConfig, d: WorkloadData): number {
  const [c1w, c1b, c2w, c2b, f1w, f1b, f2w, f2b] = params(d);
  const { batch: N, image: S, channels: [c0, c1, c2], kernel: k } = c;
  let a = maxPool2(map(conv(f64(d.inputs.x), c1w, c1b, N, c0, c1, S, k), relu), N, c1, S);
  a = maxPool2(map(conv(a, c2w, c2b, N, c1, c2, S / 2, k), relu), N, c2, S / 2);
  // NCHW memory order is already the (c, h, w) flatten order.
  const h = map(matmul(a, f1w, N, cnnFlat(c), c.hidden, f1b), relu);
  return crossEntropy(matmul(h, f2w, N, c.hidden, c.classes, f2b), d.inputs.y.data, N, c.classes);
}

function layerNorm(x: M, rows: number, D: number, g: M, b: M): M {
  const out = new Float64Array(x.length);
  for (let r = 0; r < rows; r++) {
    const row = x.subarray(r * D, (r + 1) * D);
    const mean = row.reduce((s, v) => s + v, 0) / D;
    const variance = row.reduce((s, v) => s + (v - mean) ** 2, 0) / D;
    const inv = 1 / Math.sqrt(variance + LN_EPS);
    for (let i = 0; i < D; i++) out[r * D + i] = (row[i] - mean) * inv * g[i] + b[i];
  }
  return out;
}

function transformer(c: TransformerConfig, d: WorkloadData): number {
  const { batch: B, seq: S, dModel: D, heads: H, ffn: F } = c;
  const dh = D / H;
  const R = B * S;
  const [ln1g, ln1b, wq, bq, wk, bk, wv, bv, wo, bo, ln2g, ln2b, f1w, f1b, f2w, f2b] = params(d);
  const x = f64(d.inputs.x);
  const n1 = layerNorm(x, R, D, ln1g, ln1b);
  const q = matmul(n1, wq, R, D, D, bq);
  const k = matmul(n1, wk, R, D, D, bk);
  const v = matmul(n1, wv, R, D, D, bv);
  const ctx = new Float64Array(R * D);
  for (let b = 0; b < B; b++)
    for (let h = 0; h < H; h++)
      for (let i = 0; i < S; i++) {
        const at = (t: M, s: number, e: number): number => t[(b * S + s) * D + h * dh + e];
        const scores = Array.from({ length: S }, (_, j) => {
          let s = 0;
          for (let e = 0; e < dh; e++) s += at(q, i, e) * at(k, j, e);
          return s / Math.sqrt(dh);
        });
        const max = Math.max(...scores);
        const w = scores.map((s) => Math.exp(s - max));
        const z = w.reduce((s, t) => s + t, 0);
        for (let e = 0; e < dh; e++) {
          let s = 0;
          for (let j = 0; j < S; j++) s += (w[j] / z) * at(v, j, e);
          ctx[(b * S + i) * D + h * dh + e] = s;
        }
      }
  const attn = matmul(ctx, wo, R, D, D, bo);
  const hid = x.map((xv, i) => xv + attn[i]);
  const f = map(matmul(layerNorm(hid, R, D, ln2g, ln2b), f1w, R, D, F, f1b), (t) => 0.5 * t * (1 + erf(t / Math.SQRT2)));
  const ff = matmul(f, f2w, R, F, D, f2b);
  return mse(hid.map((t, i) => t + ff[i]), f64(d.inputs.target));
}

function lstm(c: LstmConfig, d: WorkloadData): number {
  const { batch: B, seq: T, input: I, hidden: H } = c;
  const [wih, whh, bias] = params(d);
  const x = f64(d.inputs.x);
  let h = new Float64Array(B * H);
  let cell = new Float64Array(B * H);
  for (let t = 0; t < T; t++) {
    const gates = matmul(x.subarray(t * B * I, (t + 1) * B * I), wih, B, I, 4 * H, bias);
    const rec = matmul(h, whh, B, H, 4 * H);
    const nh = new Float64Array(B * H);
    const nc = new Float64Array(B * H);
    for (let b = 0; b < B; b++)
      for (let j = 0; j < H; j++) {
        const g = (q: number): number => gates[b * 4 * H + q * H + j] + rec[b * 4 * H + q * H + j];
        nc[b * H + j] = sigmoid(g(1)) * cell[b * H + j] + sigmoid(g(0)) * Math.tanh(g(2));
        nh[b * H + j] = sigmoid(g(3)) * Math.tanh(nc[b * H + j]);
      }
    h = nh;
    cell = nc;
  }
  return mse(h, f64(d.inputs.target));
}

/**
 * Forward-mode by hand: each layer carries z, ∂z/∂x, ∂z/∂t and ∂²z/∂x². Through tanh a = tanh(z):
 * a' = (1 − a²)·z', a'' = (1 − a²)·z'' − 2a(1 − a²)·z'².
 */
function pinn(c: PinnConfig, d: WorkloadData): number {
  const p = params(d);
  const X = f64(d.inputs.X);
  const L = c.layers;
  let total = 0;
  for (let n = 0; n < c.points; n++) {
    let z = [X[2 * n], X[2 * n + 1]];
    let zx = [1, 0];
    let zt = [0, 1];
    let zxx = [0, 0];
    for (let l = 0; l + 1 < L.length; l++) {
      const [w, b] = [p[2 * l], p[2 * l + 1]];
      const lin = (v: number[], withBias: boolean): number[] =>
        Array.from({ length: L[l + 1] }, (_, j) => v.reduce((s, vi, i) => s + vi * w[i * L[l + 1] + j], withBias ? b[j] : 0));
      let nz = lin(z, true);
      let nzx = lin(zx, false);
      let nzt = lin(zt, false);
      let nzxx = lin(zxx, false);
      if (l + 2 < L.length) {
        const a = nz.map(Math.tanh);
        const s = a.map((v) => 1 - v * v);
        nzxx = nzxx.map((v, j) => s[j] * v - 2 * a[j] * s[j] * nzx[j] * nzx[j]);
        nzx = nzx.map((v, j) => s[j] * v);
        nzt = nzt.map((v, j) => s[j] * v);
        nz = a;
      }
      [z, zx, zt, zxx] = [nz, nzx, nzt, nzxx];
    }
    const r = zt[0] + z[0] * zx[0] - c.nu * zxx[0];
    total += r * r;
  }
  return total / c.points;
}

/** The value step one must return: the loss, or the checksum of W1 and the sum of W6. */
export function referenceFirstStep(config: WorkloadConfig): number {
  const d = generateData(config);
  switch (config.kind) {
    case 'sgemm':
      return matmul(f64(d.inputs.a), f64(d.inputs.b), config.n, config.n, config.n).reduce((s, v) => s + v, 0);
    case 'elementwise': {
      const [a, b, c] = [d.inputs.a.data, d.inputs.b.data, d.inputs.c.data];
      let s = 0;
      for (let i = 0; i < config.n; i++) s += relu(a[i] * b[i] + c[i]);
      return s;
    }
    case 'mlp':
      return mlp(config, d);
    case 'cnn':
      return cnn(config, d);
    case 'transformer':
      return transformer(config, d);
    case 'lstm':
      return lstm(config, d);
    case 'pinn':
      return pinn(config, d);
  }
}

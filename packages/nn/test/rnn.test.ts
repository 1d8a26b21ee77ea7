import './helpers.js';
import { describe, expect, it } from 'vitest';
import { manualSeed, noGrad, randn, zeros } from '@plexus/tensor';
import { GRU, GRUCell, LSTM, LSTMCell, RNN, RNNCell } from '../src/index.js';
import { expectClose, f64, randn64, values } from './helpers.js';

// ---- plain-JS arithmetic from the published equations (no tensors) ----
const sig = (a: number): number => 1 / (1 + Math.exp(-a));
/** W·v + b for a row range [from, from + n) of W. */
const affine = (W: number[][], v: number[], b: number[], from: number, n: number): number[] =>
  Array.from({ length: n }, (_, r) => W[from + r].reduce((s, w, c) => s + w * v[c], b[from + r]));
/** Fixed small weights: rows × cols with entries from a simple pattern in [−0.5, 0.5]. */
const pattern = (rows: number, cols: number, k: number): number[][] =>
  Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => (((r * 7 + c * 3 + k) % 11) - 5) / 10));
const vec = (n: number, k: number): number[] => pattern(n, 1, k).map((r) => r[0]);

const I = 2;
const H = 3;
const xs = [[0.5, -1.0], [1.5, 0.25]]; // two steps, one sequence
const h0 = [0.1, -0.2, 0.3];
const c0 = [-0.4, 0.2, 0.05];

/** LSTM (PyTorch's equations): i, f, g, o from row blocks 0..3 of W_ih, W_hh. */
function lstmByHand(Wih: number[][], Whh: number[][], bih: number[], bhh: number[]): { hs: number[][]; c: number[] } {
  let h = h0;
  let c = c0;
  const hs: number[][] = [];
  for (const x of xs) {
    const pre = (k: number): number[] => {
      const a = affine(Wih, x, bih, k * H, H);
      const b = affine(Whh, h, bhh, k * H, H);
      return a.map((v, j) => v + b[j]);
    };
    const i = pre(0).map(sig);
    const f = pre(1).map(sig);
    const g = pre(2).map(Math.tanh);
    const o = pre(3).map(sig);
    c = c.map((cj, j) => f[j] * cj + i[j] * g[j]);
    h = o.map((oj, j) => oj * Math.tanh(c[j]));
    hs.push(h);
  }
  return { hs, c };
}

/** GRU (PyTorch's equations): r, z, n from row blocks 0..2; n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)). */
function gruByHand(Wih: number[][], Whh: number[][], bih: number[], bhh: number[]): number[][] {
  let h = h0;
  const hs: number[][] = [];
  for (const x of xs) {
    const gi = (k: number): number[] => affine(Wih, x, bih, k * H, H);
    const gh = (k: number): number[] => affine(Whh, h, bhh, k * H, H);
    const r = gi(0).map((v, j) => sig(v + gh(0)[j]));
    const z = gi(1).map((v, j) => sig(v + gh(1)[j]));
    const n = gi(2).map((v, j) => Math.tanh(v + r[j] * gh(2)[j]));
    h = n.map((nj, j) => (1 - z[j]) * nj + z[j] * h[j]);
    hs.push(h);
  }
  return hs;
}

function rnnByHand(Wih: number[][], Whh: number[][], bih: number[], bhh: number[], act: (a: number) => number): number[][] {
  let h = h0;
  const hs: number[][] = [];
  for (const x of xs) {
    const a = affine(Wih, x, bih, 0, H);
    const b = affine(Whh, h, bhh, 0, H);
    h = a.map((v, j) => act(v + b[j]));
    hs.push(h);
  }
  return hs;
}

describe('recurrent layers against hand-computed values', () => {
  const weights = (gates: number) => ({ Wih: pattern(gates * H, I, 1), Whh: pattern(gates * H, H, 4), bih: vec(gates * H, 2), bhh: vec(gates * H, 8) });
  const dict = (w: ReturnType<typeof weights>, suffix: string) => ({
    [`weightIh${suffix}`]: f64(w.Wih), [`weightHh${suffix}`]: f64(w.Whh), [`biasIh${suffix}`]: f64(w.bih), [`biasHh${suffix}`]: f64(w.bhh),
  });

  it('LSTM: two steps of i, f, g, o with initial states (input 2, hidden 3)', () => {
    const w = weights(4);
    const want = lstmByHand(w.Wih, w.Whh, w.bih, w.bhh);
    const lstm = new LSTM(I, H, { dtype: 'float64' });
    lstm.loadStateDict(dict(w, '_l0'));
    const [out, [hN, cN]] = lstm.forward(f64([[xs[0]], [xs[1]]]), [f64([[h0]]), f64([[c0]])]);
    expect(out.shape).toEqual([2, 1, 3]);
    expectClose(out, want.hs.flat(), 1e-12);
    expectClose(hN, want.hs[1], 1e-12);
    expectClose(cN, want.c, 1e-12);
    // The cell does one step of the same equations.
    const cell = new LSTMCell(I, H, { dtype: 'float64' });
    cell.loadStateDict(dict(w, ''));
    const [h1, c1] = cell.forward(f64([xs[0]]), [f64([h0]), f64([c0])]);
    expectClose(h1, want.hs[0], 1e-12);
    const [h2] = cell.forward(f64([xs[1]]), [h1, c1]);
    expectClose(h2, want.hs[1], 1e-12);
  });

  it('GRU: two steps of r, z, n with b_hn inside r ⊙ (·)', () => {
    const w = weights(3);
    const want = gruByHand(w.Wih, w.Whh, w.bih, w.bhh);
    const gru = new GRU(I, H, { dtype: 'float64', batchFirst: true });
    gru.loadStateDict(dict(w, '_l0'));
    const [out, hN] = gru.forward(f64([xs]), f64([[h0]]));
    expect(out.shape).toEqual([1, 2, 3]);
    expectClose(out, want.flat(), 1e-12);
    expectClose(hN, want[1], 1e-12);
    const cell = new GRUCell(I, H, { dtype: 'float64' });
    cell.loadStateDict(dict(w, ''));
    // Unbatched input [inputSize] with state [H].
    expectClose(cell.forward(f64(xs[1]), cell.forward(f64(xs[0]), f64(h0))), want[1], 1e-12);
  });

  it('RNN: tanh and relu', () => {
    const w = weights(1);
    for (const nonlinearity of ['tanh', 'relu'] as const) {
      const want = rnnByHand(w.Wih, w.Whh, w.bih, w.bhh, nonlinearity === 'tanh' ? Math.tanh : (a) => Math.max(a, 0));
      const rnn = new RNN(I, H, { nonlinearity, dtype: 'float64' });
      rnn.loadStateDict(dict(w, '_l0'));
      const [out, hN] = rnn.forward(f64([[xs[0]], [xs[1]]]), f64([[h0]]));
      expectClose(out, want.flat(), 1e-12);
      expectClose(hN, want[1], 1e-12);
      const cell = new RNNCell(I, H, { nonlinearity, dtype: 'float64' });
      cell.loadStateDict(dict(w, ''));
      expectClose(cell.forward(f64([xs[0]]), f64([h0])), want[0], 1e-12);
    }
  });

  it('the reverse direction reads the sequence backwards and its output lines up with the input steps', () => {
    const w = weights(3);
    const bi = new GRU(I, H, { bidirectional: true, dtype: 'float64' });
    bi.loadStateDict({ ...dict(w, '_l0'), ...dict(w, '_l0_reverse') });
    const x = f64([[xs[0]], [xs[1]]]);
    const [out, hN] = bi.forward(x, f64([[h0], [h0]]));
    expect(out.shape).toEqual([2, 1, 6]);
    const fwd = gruByHand(w.Wih, w.Whh, w.bih, w.bhh);
    xs.reverse();
    const bwd = gruByHand(w.Wih, w.Whh, w.bih, w.bhh);
    xs.reverse();
    // out[t] = [forward h_t, backward h at step t]; the backward run visits step 1 first.
    expectClose(out, [...fwd[0], ...bwd[1], ...fwd[1], ...bwd[0]], 1e-12);
    expectClose(hN, [...fwd[1], ...bwd[1]], 1e-12);
  });
});

describe('recurrent layer shapes and options', () => {
  it('multi-layer bidirectional shapes, time-major and batchFirst', () => {
    manualSeed(0);
    const lstm = new LSTM(5, 7, { numLayers: 3, bidirectional: true });
    const [out, [h, c]] = lstm.forward(randn([4, 2, 5]));
    expect(out.shape).toEqual([4, 2, 14]);
    expect(h.shape).toEqual([6, 2, 7]);
    expect(c.shape).toEqual([6, 2, 7]);
    expect(lstm.parameters()).toHaveLength(3 * 2 * 4);
    expect(lstm.stateDict()['weightIh_l1'].shape).toEqual([28, 14]);
    expect(lstm.stateDict()['weightHh_l2_reverse'].shape).toEqual([28, 7]);
    const gru = new GRU(5, 7, { numLayers: 2, batchFirst: true });
    const [o2, h2] = gru.forward(randn([2, 4, 5]));
    expect(o2.shape).toEqual([2, 4, 7]);
    expect(h2.shape).toEqual([2, 2, 7]);
  });

  it('the last layer output at the last step is the final state of the forward direction', () => {
    manualSeed(1);
    const rnn = new RNN(3, 4, { numLayers: 2, batchFirst: true, dtype: 'float64' });
    const [out, h] = rnn.forward(randn64(2, [2, 5, 3]));
    expectClose(out.slice(1, 4, 5).reshape([2, 4]), h.slice(0, 1, 2).reshape([2, 4]), 1e-15);
  });

  it('unbatched input [T, inputSize] with states [L·D, H], as in PyTorch', () => {
    manualSeed(2);
    const lstm = new LSTM(3, 4, { numLayers: 2, dtype: 'float64', batchFirst: true });
    const x = randn64(3, [5, 3]);
    const [out, [h, c]] = lstm.forward(x, [zeros([2, 4], { dtype: 'float64' }), zeros([2, 4], { dtype: 'float64' })]);
    expect(out.shape).toEqual([5, 4]);
    expect(h.shape).toEqual([2, 4]);
    expect(c.shape).toEqual([2, 4]);
    const [outB, [hB]] = lstm.forward(x.unsqueeze(0));
    expectClose(out, outB, 1e-15);
    expectClose(h, hB, 1e-15);
  });

  it('works with Module.to(dtype), toString and summary', () => {
    manualSeed(7);
    const lstm = new LSTM(3, 4, { numLayers: 2, bidirectional: true, dropout: 0.25 });
    expect(lstm.toString()).toBe('LSTM(3, 4, numLayers=2, dropout=0.25, bidirectional=true)');
    expect(new RNN(2, 3, { nonlinearity: 'relu', bias: false, batchFirst: true }).toString()).toBe("RNN(2, 3, nonlinearity='relu', bias=false, batchFirst=true)");
    expect(new GRUCell(2, 3).toString()).toBe('GRUCell(2, 3)');
    lstm.double();
    expect(lstm.parameters().every((p) => p.dtype === 'float64')).toBe(true);
    const [out] = lstm.forward(randn64(8, [5, 2, 3]));
    expect(out.dtype).toBe('float64');
    const gru = new GRU(3, 4, { batchFirst: true });
    expect(gru.summary([2, 5, 3])).toContain('([2,5,4], [1,2,4])');
  });

  it('no bias: only the weights', () => {
    const gru = new GRU(3, 4, { bias: false, bidirectional: true });
    expect(Object.keys(gru.stateDict())).toEqual(['weightIh_l0', 'weightHh_l0', 'weightIh_l0_reverse', 'weightHh_l0_reverse']);
  });

  it("PyTorch's init U(−1/√H, 1/√H) for every weight and bias", () => {
    manualSeed(3);
    const lstm = new LSTM(10, 16, { numLayers: 2 });
    const all = lstm.parameters().flatMap(values);
    const bound = 1 / Math.sqrt(16);
    expect(Math.max(...all.map(Math.abs))).toBeLessThanOrEqual(bound);
    // Uniform on [−b, b]: the standard deviation is b/√3.
    const mean = all.reduce((a, b) => a + b, 0) / all.length;
    const sd = Math.sqrt(all.reduce((a, b) => a + (b - mean) ** 2, 0) / all.length);
    expect(Math.abs(sd - bound / Math.sqrt(3))).toBeLessThan(0.01);
    const cell = new GRUCell(4, 25);
    expect(Math.max(...cell.parameters().flatMap(values).map(Math.abs))).toBeLessThanOrEqual(0.2);
  });

  it('dropout between layers only, in training mode only', () => {
    manualSeed(4);
    const x = randn([6, 3, 4]);
    const plain = new LSTM(4, 5, { numLayers: 2 });
    const dropped = new LSTM(4, 5, { numLayers: 2, dropout: 1 });
    dropped.loadStateDict(plain.stateDict());
    // dropout 1 zeroes layer 0's output, so layer 1 runs on zeros: compare with layer 1 alone.
    const top = new LSTM(5, 5);
    const sd = plain.stateDict();
    top.loadStateDict({ weightIh_l0: sd.weightIh_l1, weightHh_l0: sd.weightHh_l1, biasIh_l0: sd.biasIh_l1, biasHh_l0: sd.biasHh_l1 });
    const [out, [h]] = dropped.forward(x);
    const [want, [hTop]] = top.forward(zeros([6, 3, 5]));
    expectClose(out, want, 1e-6);
    expectClose(h.slice(0, 1, 2), hTop, 1e-6);
    // ... and the first layer is untouched by dropout.
    expectClose(h.slice(0, 0, 1), plain.forward(x)[1][0].slice(0, 0, 1), 1e-6);
    // Evaluation mode: no dropout at all.
    dropped.eval();
    expectClose(dropped.forward(x)[0], plain.forward(x)[0], 1e-6);
    // p = 0.5 in training mode: random, so two calls differ, and differ from evaluation mode.
    const half = new GRU(4, 5, { numLayers: 2, dropout: 0.5 });
    const a = values(half.forward(x)[0]);
    const b = values(half.forward(x)[0]);
    const e = values(half.eval().forward(x)[0]);
    expect(a.some((v, i) => Math.abs(v - b[i]) > 1e-4)).toBe(true);
    expect(a.some((v, i) => Math.abs(v - e[i]) > 1e-4)).toBe(true);
    // A single layer has nothing to drop: identical even in training mode.
    const one = new GRU(4, 5, { dropout: 0.5 });
    const oneRef = new GRU(4, 5);
    oneRef.loadStateDict(one.stateDict());
    expectClose(one.forward(x)[0], oneRef.forward(x)[0], 1e-6);
  });

  it('the inference path (one projection matmul per layer, under noGrad) gives the training path\'s values', () => {
    manualSeed(5);
    const x = randn64(6, [3, 5, 2]);
    for (const m of [
      new LSTM(2, 3, { numLayers: 2, bidirectional: true, batchFirst: true, dtype: 'float64' }),
      new GRU(2, 3, { numLayers: 3, bidirectional: true, batchFirst: true, dtype: 'float64' }),
      new RNN(2, 3, { numLayers: 2, batchFirst: true, dtype: 'float64' }),
    ]) {
      const run = () => {
        const [out, state] = (m as LSTM).forward(x, null, { lengths: [5, 2, 4] });
        return [out, ...(Array.isArray(state) ? state : [state])].flatMap(values);
      };
      expectClose(noGrad(run), run(), 1e-13);
    }
    // Dropout on the inference path too: dropout 1 leaves the top layer only its biases to work with.
    const dropped = new GRU(2, 3, { numLayers: 2, dropout: 1, dtype: 'float64' });
    const top = new GRU(3, 3, { dtype: 'float64' });
    const sd = dropped.stateDict();
    top.loadStateDict({ weightIh_l0: sd.weightIh_l1, weightHh_l0: sd.weightHh_l1, biasIh_l0: sd.biasIh_l1, biasHh_l0: sd.biasHh_l1 });
    expectClose(noGrad(() => dropped.forward(x)[0]), noGrad(() => top.forward(zeros([3, 5, 3], { dtype: 'float64' }))[0]), 1e-13);
  });
});

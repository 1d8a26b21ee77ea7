import './helpers.js';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '@plexus/tensor';
import { ArgumentError, DTypeError, Generator, ShapeError, randn, tensor } from '@plexus/tensor';
import { MultiheadAttention } from '../src/index.js';
import { expectClose, expectLayerGradOk, f64, randn64, values } from './helpers.js';

type M = number[][];
const nested = (t: Tensor): number[][][] => t.toArraySync() as number[][][];
const linear = (x: M, w: M, b: number[] | null): M => x.map((row) => w.map((wr, o) => wr.reduce((a, wi, i) => a + wi * row[i], b ? b[o] : 0)));

/**
 * Plain-loop multi-head attention over batch-first arrays [N][L][E], from the module's own
 * parameters: per head h, columns h·D..(h+1)·D of the projections. `blocked(n, i, j)` masks.
 */
function naiveMha(m: MultiheadAttention, q: number[][][], k: number[][][], v: number[][][], blocked?: (n: number, i: number, j: number) => boolean) {
  const E = m.embedDim;
  const H = m.numHeads;
  const D = E / H;
  const sd = Object.fromEntries(Object.entries(m.stateDict()).map(([n, t]) => [n, t.toArraySync()]));
  const W = sd.inProjWeight as M | undefined;
  const wq = W ? W.slice(0, E) : (sd.qProjWeight as M);
  const wk = W ? W.slice(E, 2 * E) : (sd.kProjWeight as M);
  const wv = W ? W.slice(2 * E) : (sd.vProjWeight as M);
  const b = (sd.inProjBias as number[] | undefined) ?? null;
  const bq = b ? b.slice(0, E) : null;
  const bk = b ? b.slice(E, 2 * E) : null;
  const bv = b ? b.slice(2 * E) : null;
  const outs: number[][][] = [];
  const weights: number[][][][] = [];
  q.forEach((qn, n) => {
    const Q = linear(qn, wq, bq);
    const K = linear(k[n], wk, bk);
    const V = linear(v[n], wv, bv);
    const heads: M = Q.map(() => []);
    const wn: number[][][] = [];
    for (let h = 0; h < H; h++) {
      const cols = (r: number[]) => r.slice(h * D, (h + 1) * D);
      const w = Q.map((qi, i) => {
        const s = K.map((kj, j) => (blocked?.(n, i, j) ? -Infinity : cols(qi).reduce((a, x, e) => a + x * cols(kj)[e], 0) / Math.sqrt(D)));
        const finite = s.filter((x) => x !== -Infinity);
        if (!finite.length) return s.map(() => 0);
        const mx = Math.max(...finite);
        const ex = s.map((x) => (x === -Infinity ? 0 : Math.exp(x - mx)));
        const z = ex.reduce((a2, c) => a2 + c, 0);
        return ex.map((x) => x / z);
      });
      wn.push(w);
      w.forEach((wi, i) => heads[i].push(...cols(V[0]).map((_, c) => wi.reduce((a, wij, j) => a + wij * cols(V[j])[c], 0))));
    }
    outs.push(linear(heads, sd['outProj.weight'] as M, (sd['outProj.bias'] as number[] | undefined) ?? null));
    weights.push(wn);
  });
  return { outs, weights };
}

function mha(options: ConstructorParameters<typeof MultiheadAttention>[2] = {}, E = 4, H = 2): MultiheadAttention {
  const m = new MultiheadAttention(E, H, { dtype: 'float64', ...options });
  // Non-zero biases so that a wrong bias slice shows.
  const sd = m.stateDict();
  const fill: Record<string, Tensor> = {};
  let seed = 100;
  for (const [n, t] of Object.entries(sd)) fill[n] = randn64(seed++, [...t.shape]).mul(0.5);
  m.loadStateDict(fill);
  return m;
}

describe('MultiheadAttention', () => {
  it("has PyTorch's parameters: packed inProjWeight [3E, E], inProjBias [3E], outProj", () => {
    const m = new MultiheadAttention(6, 3);
    expect(m.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([
      ['inProjWeight', [18, 6]], ['inProjBias', [18]], ['outProj.weight', [6, 6]], ['outProj.bias', [6]],
    ]);
    expect(values(m.inProjBias as Tensor).every((x) => x === 0)).toBe(true);
    expect(values(m.outProj.bias as Tensor).every((x) => x === 0)).toBe(true);
    // xavier-uniform over the whole [3E, E]: bound √(6 / (E + 3E)).
    const bound = Math.sqrt(6 / 24);
    expect(values(m.inProjWeight as Tensor).every((x) => Math.abs(x) <= bound)).toBe(true);
    const sep = new MultiheadAttention(4, 2, { kdim: 3, vdim: 5, bias: false });
    expect(sep.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([
      ['qProjWeight', [4, 4]], ['kProjWeight', [4, 3]], ['vProjWeight', [4, 5]], ['outProj.weight', [4, 4]],
    ]);
  });

  it('matches a per-head reference computed with loops ([L, N, E] layout)', () => {
    const m = mha();
    const q = randn64(1, [3, 2, 4]);
    const k = randn64(2, [5, 2, 4]);
    const v = randn64(3, [5, 2, 4]);
    const [out, w] = m.forward(q, k, v, { averageAttnWeights: false });
    const bf = (t: Tensor) => nested(t.transpose(0, 1));
    const ref = naiveMha(m, bf(q), bf(k), bf(v));
    expect(out.shape).toEqual([3, 2, 4]);
    expectClose(out.transpose(0, 1), ref.outs.flat(2), 1e-12);
    expect((w as Tensor).shape).toEqual([2, 2, 3, 5]);
    expectClose(w as Tensor, ref.weights.flat(3), 1e-12);
    // Averaged over heads by default.
    const [, avg] = m.forward(q, k, v);
    expect((avg as Tensor).shape).toEqual([2, 3, 5]);
    expectClose(avg as Tensor, (w as Tensor).mean(1), 1e-12);
  });

  it('supports kdim/vdim, batchFirst and unbatched inputs consistently', () => {
    const m = mha({ kdim: 3, vdim: 2, batchFirst: true });
    const q = randn64(4, [2, 3, 4]);
    const k = randn64(5, [2, 4, 3]);
    const v = randn64(6, [2, 4, 2]);
    const [out] = m.forward(q, k, v);
    const ref = naiveMha(m, nested(q), nested(k), nested(v));
    expectClose(out, ref.outs.flat(2), 1e-12);
    const [one, w1] = m.forward(q.narrow(0, 1, 1).squeeze(0), k.narrow(0, 1, 1).squeeze(0), v.narrow(0, 1, 1).squeeze(0));
    expect(one.shape).toEqual([3, 4]);
    expect((w1 as Tensor).shape).toEqual([3, 4]);
    expectClose(one, ref.outs[1].flat(), 1e-12);
  });

  it('keyPaddingMask and attnMask (bool or float, 2-D or per head) give zero weight to masked keys', () => {
    const m = mha({ batchFirst: true });
    const q = randn64(7, [2, 3, 4]);
    const k = randn64(8, [2, 4, 4]);
    const pad = tensor([[false, false, true, true], [false, false, false, true]]);
    const causal = tensor([[false, true, true, true], [false, false, true, true], [false, false, false, true]]);
    const [out, w] = m.forward(q, k, k, { keyPaddingMask: pad, attnMask: causal, averageAttnWeights: false });
    const p = pad.toArraySync() as boolean[][];
    const c = causal.toArraySync() as boolean[][];
    const ref = naiveMha(m, nested(q), nested(k), nested(k), (n, i, j) => p[n][j] || c[i][j]);
    expectClose(out, ref.outs.flat(2), 1e-12);
    expectClose(w as Tensor, ref.weights.flat(3), 1e-12);
    // Masked keys get exactly zero, so changing the padded keys changes nothing.
    const k2 = k.add(tensor([[0, 0, 5, 5], [0, 0, 0, -3]], { dtype: 'float64' }).unsqueeze(2));
    expectClose(m.forward(q, k2, k2, { keyPaddingMask: pad, attnMask: causal })[0], out, 1e-12);
    // isCausal is the same as the causal bool mask; a float −∞ padding mask is the same as bool.
    expectClose(m.forward(q, k, k, { keyPaddingMask: pad, isCausal: true })[0], out, 1e-12);
    const fpad = tensor([[0, 0, -Infinity, -Infinity], [0, 0, 0, -Infinity]], { dtype: 'float64' });
    expectClose(m.forward(q, k, k, { keyPaddingMask: fpad, attnMask: causal })[0], out, 1e-12);
    // A per-head [N·H, L, S] mask: head 0 of batch 0 sees only key 0, everything else unmasked.
    const perHead = tensor(Array.from({ length: 4 }, (_, nh) => Array.from({ length: 3 }, () => [false, nh === 0, nh === 0, nh === 0])));
    const [, wh] = m.forward(q, k, k, { attnMask: perHead, averageAttnWeights: false });
    const ref2 = naiveMha(m, nested(q), nested(k), nested(k));
    expect(values((wh as Tensor).narrow(0, 0, 1).narrow(1, 0, 1))).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0]);
    // Head 1 of batch 0 is unmasked.
    expectClose((wh as Tensor).narrow(0, 0, 1).narrow(1, 1, 1), ref2.weights[0][1].flat(), 1e-12);
    expectClose((wh as Tensor).narrow(0, 1, 1), ref2.weights[1].flat(2), 1e-12);
  });

  it('a fully padded sequence gives finite outputs (its attention output is zero, leaving the output bias)', () => {
    const m = mha({ batchFirst: true });
    const q = randn64(9, [2, 2, 4]);
    const pad = tensor([[true, true, true], [false, true, false]]);
    const [out, w] = m.forward(q, randn64(10, [2, 3, 4]), randn64(11, [2, 3, 4]), { keyPaddingMask: pad });
    expect(values(out).every(Number.isFinite)).toBe(true);
    expect(values((w as Tensor).narrow(0, 0, 1)).every((x) => x === 0)).toBe(true);
    const bias = values(m.outProj.bias as Tensor);
    expectClose(out.narrow(0, 0, 1), [...bias, ...bias], 1e-12);
  });

  it('needWeights: false returns null; dropout acts only in training mode', () => {
    const m = new MultiheadAttention(4, 2, { dropout: 0.5, generator: new Generator(1) });
    const x = randn([3, 2, 4]);
    expect(m.forward(x, x, x, { needWeights: false })[1]).toBeNull();
    m.eval();
    const [a] = m.forward(x, x, x);
    const [b] = m.forward(x, x, x);
    expectClose(a, b, 0);
    m.train();
    const [c] = m.forward(x, x, x);
    expect(values(c).some((y, i) => Math.abs(y - values(a)[i]) > 1e-6)).toBe(true);
  });

  it('passes gradCheck in float64 w.r.t. inputs and every parameter, with masks', () => {
    const m = mha();
    const pad = tensor([[false, true, false], [false, false, false]]);
    const mask = f64([[0, -1, 0], [0.5, 0, -Infinity]]);
    expectLayerGradOk(m, [randn64(12, [2, 2, 4]), randn64(13, [3, 2, 4]), randn64(14, [3, 2, 4])], (q, k, v) => m.forward(q, k, v, { keyPaddingMask: pad, attnMask: mask })[0]);
    const sep = mha({ kdim: 3, vdim: 2, batchFirst: true });
    expectLayerGradOk(sep, [randn64(15, [1, 2, 4]), randn64(16, [1, 3, 3]), randn64(17, [1, 3, 2])], (q, k, v) => sep.forward(q, k, v, { isCausal: true })[0]);
  });

  it('rejects bad construction and bad inputs with clear errors', () => {
    expect(() => new MultiheadAttention(10, 3)).toThrow(ArgumentError);
    expect(() => new MultiheadAttention(10, 3)).toThrow('MultiheadAttention: embedDim (10) must be divisible by numHeads (3)');
    expect(() => new MultiheadAttention(4, 2, { dropout: 2 })).toThrow(ArgumentError);
    const m = new MultiheadAttention(4, 2);
    const x = randn([3, 2, 4]);
    expect(() => m.forward(randn([4]), x, x)).toThrow(ShapeError);
    expect(() => m.forward(randn([1, 3, 2, 4]), x, x)).toThrow('MultiheadAttention: expected query of rank 3 ([L, N, E]) or 2 (unbatched [L, E]), got [1,3,2,4]');
    expect(() => m.forward(randn([3, 2, 5]), x, x)).toThrow('MultiheadAttention: expected query [L, N, E] with E = 4, got [3,2,5]');
    expect(() => m.forward(x, randn([3, 4]), x)).toThrow('must all be batched (rank 3) or all unbatched');
    expect(() => m.forward(x, randn([3, 1, 4]), randn([3, 1, 4]))).toThrow('same batch size');
    expect(() => m.forward(x, x, randn([5, 2, 4]))).toThrow('same sequence length');
    expect(() => m.forward(x, x, x, { keyPaddingMask: tensor([[true, false]]) })).toThrow('MultiheadAttention: expected keyPaddingMask [2,3] ([N, S]), got [1,2]');
    expect(() => m.forward(x, x, x, { attnMask: tensor([[true, false, true]]) })).toThrow(
      'MultiheadAttention: expected attnMask [L, S] = [3,3] or [N·numHeads, L, S] = [4,3,3], got [1,3]',
    );
    expect(() => m.forward(x, x, x, { attnMask: tensor([[1, 0, 0], [0, 0, 0], [0, 0, 0]], { dtype: 'int32' }) })).toThrow(DTypeError);
    expect(() => m.forward(x.int(), x, x)).toThrow(DTypeError);
  });
});

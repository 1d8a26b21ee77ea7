import './helpers.js';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '@plexus/tensor';
import { ArgumentError, DTypeError, Generator, ShapeError, tensor } from '@plexus/tensor';
import { grad } from '@plexus/autograd';
import { generateSquareSubsequentMask, scaledDotProductAttention } from '../src/index.js';
import { expectClose, expectInputGradOk, f64, randn64, values } from './helpers.js';

type M = number[][];

/** Plain-loop attention for one [L, E] × [S, E] × [S, Ev] slice; `bias[i][j]` is added (−∞ masks). */
function naiveAttention(q: M, k: M, v: M, scale: number, bias?: (i: number, j: number) => number): { out: M; weights: M } {
  const weights = q.map((qi, i) => {
    const s = k.map((kj, j) => qi.reduce((acc, x, e) => acc + x * kj[e], 0) * scale + (bias ? bias(i, j) : 0));
    const finite = s.filter((x) => x !== -Infinity);
    if (finite.length === 0) return s.map(() => 0);
    const m = Math.max(...finite);
    const e = s.map((x) => (x === -Infinity ? 0 : Math.exp(x - m)));
    const z = e.reduce((a, b) => a + b, 0);
    return e.map((x) => x / z);
  });
  const out = weights.map((w) => v[0].map((_, c) => w.reduce((acc, wj, j) => acc + wj * v[j][c], 0)));
  return { out, weights };
}

const nested = (t: Tensor): M => t.toArraySync() as M;

describe('scaledDotProductAttention', () => {
  const q = f64([[1, 0], [0, 2], [1, 1]]);
  const k = f64([[1, 2], [0, 1], [-1, 0.5], [2, 0]]);
  const v = f64([[1, 0, 0], [0, 1, 0], [0, 0, 1], [2, 2, 2]]);

  it('matches softmax(q·kᵀ/√E)·v computed by hand', () => {
    const [out, w] = scaledDotProductAttention(q, k, v);
    const ref = naiveAttention(nested(q), nested(k), nested(v), 1 / Math.SQRT2);
    expectClose(w, ref.weights.flat(), 1e-12);
    expectClose(out, ref.out.flat(), 1e-12);
    // One value checked fully by hand: query [1, 0] scores [1, 0, -1, 2]/√2.
    const s = [1, 0, -1, 2].map((x) => Math.exp(x / Math.SQRT2));
    const z = s.reduce((a, b) => a + b, 0);
    expectClose(w.narrow(0, 0, 1), s.map((x) => x / z), 1e-12);
    expect(out.shape).toEqual([3, 3]);
    expect(w.shape).toEqual([3, 4]);
  });

  it('uses the given scale', () => {
    const [, w] = scaledDotProductAttention(q, k, v, { scale: 0.25 });
    expectClose(w, naiveAttention(nested(q), nested(k), nested(v), 0.25).weights.flat(), 1e-12);
  });

  it('bool masks (true = masked out) give exactly zero weight and match the reference', () => {
    const mask = tensor([[false, true, false, true], [true, false, false, false], [false, false, true, false]]);
    const [out, w] = scaledDotProductAttention(q, k, v, { attnMask: mask });
    const m = mask.toArraySync() as boolean[][];
    const ref = naiveAttention(nested(q), nested(k), nested(v), 1 / Math.SQRT2, (i, j) => (m[i][j] ? -Infinity : 0));
    expectClose(out, ref.out.flat(), 1e-12);
    const got = nested(w);
    m.forEach((row, i) => row.forEach((masked, j) => masked && expect(got[i][j]).toBe(0)));
    expectClose(w, ref.weights.flat(), 1e-12);
  });

  it('float masks are added to the scores (−∞ masks out)', () => {
    const bias = f64([[0, -1, 0.5, -Infinity], [2, 0, 0, 0], [-Infinity, -Infinity, 0, 1]]);
    const b = bias.toArraySync() as M;
    const [out, w] = scaledDotProductAttention(q, k, v, { attnMask: bias });
    const ref = naiveAttention(nested(q), nested(k), nested(v), 1 / Math.SQRT2, (i, j) => b[i][j]);
    expectClose(out, ref.out.flat(), 1e-12);
    expectClose(w, ref.weights.flat(), 1e-12);
    expect(nested(w)[0][3]).toBe(0);
    expect(nested(w)[2][0]).toBe(0);
  });

  it('isCausal masks keys after the query, top-left aligned, and equals the explicit masks', () => {
    const qq = randn64(1, [2, 4, 3]);
    const kk = randn64(2, [2, 4, 3]);
    const vv = randn64(3, [2, 4, 2]);
    const [out, w] = scaledDotProductAttention(qq, kk, vv, { isCausal: true });
    const [outF, wF] = scaledDotProductAttention(qq, kk, vv, { attnMask: generateSquareSubsequentMask(4, { dtype: 'float64' }) });
    expectClose(out, outF, 1e-12);
    expectClose(w, wF, 1e-12);
    const w0 = nested(w.narrow(0, 1, 1).squeeze(0));
    w0.forEach((row, i) => row.forEach((x, j) => (j > i ? expect(x).toBe(0) : expect(x).toBeGreaterThan(0))));
    expectClose(w.sum(-1), [1, 1, 1, 1, 1, 1, 1, 1], 1e-12);
    // L = 2 < S = 4: query i sees keys 0..i.
    const [, w2] = scaledDotProductAttention(qq.narrow(1, 0, 2), kk, vv, { isCausal: true });
    expect((nested(w2.narrow(0, 0, 1).squeeze(0))[0]).slice(1)).toEqual([0, 0, 0]);
    expect(nested(w2.narrow(0, 0, 1).squeeze(0))[1].slice(2)).toEqual([0, 0]);
  });

  it('broadcasts batch and head dims, and masks of shape [L, S] or [N, 1, 1, S]', () => {
    const qq = randn64(4, [2, 3, 5, 4]);
    const kk = randn64(5, [2, 1, 6, 4]);
    const vv = randn64(6, [1, 3, 6, 2]);
    const pad = tensor([[false, false, false, false, true, true], [false, true, false, false, false, false]]).reshape([2, 1, 1, 6]);
    const [out, w] = scaledDotProductAttention(qq, kk, vv, { attnMask: pad });
    expect(out.shape).toEqual([2, 3, 5, 2]);
    expect(w.shape).toEqual([2, 3, 5, 6]);
    // Batch 1, head 2 by the reference.
    const sel = (t: Tensor, n: number, h: number) => nested(t.narrow(0, n, 1).narrow(1, h, 1).reshape(t.shape.slice(2)));
    const ref = naiveAttention(sel(qq, 1, 2), sel(kk, 1, 0), sel(vv, 0, 2), 0.5, (_, j) => (j === 1 ? -Infinity : 0));
    expectClose(sel(out, 1, 2).flat(), ref.out.flat(), 1e-12);
    expectClose(w.narrow(0, 0, 1).narrow(3, 4, 2), new Array(3 * 5 * 2).fill(0), 0);
  });

  it('a fully masked query row gives zero weights and a zero output (not NaN), with finite gradients', () => {
    const mask = tensor([[false, true, false, true], [true, true, true, true], [false, false, false, false]]);
    const [out, w] = scaledDotProductAttention(q, k, v, { attnMask: mask });
    expect(nested(w)[1]).toEqual([0, 0, 0, 0]);
    expect(nested(out)[1]).toEqual([0, 0, 0]);
    expect(values(out).every(Number.isFinite)).toBe(true);
    // The same with an all −∞ float row.
    const bias = f64([[0, 0, 0, 0], [-Infinity, -Infinity, -Infinity, -Infinity], [0, 0, 0, 0]]);
    const [outF] = scaledDotProductAttention(q, k, v, { attnMask: bias });
    expect(nested(outF)[1]).toEqual([0, 0, 0]);
    for (const attnMask of [mask, bias]) {
      const gs = grad((a: Tensor, b: Tensor, c: Tensor) => scaledDotProductAttention(a, b, c, { attnMask })[0].square().sum(), [0, 1, 2])(q, k, v) as Tensor[];
      for (const g of gs) expect(values(g).every(Number.isFinite)).toBe(true);
      // The masked-out query receives no gradient.
      expect(nested(gs[0])[1]).toEqual([0, 0]);
    }
  });

  it('passes gradCheck in float64 without a mask, with bool, float and causal masks', () => {
    const qq = randn64(7, [2, 3, 4]);
    const kk = randn64(8, [2, 5, 4]);
    const vv = randn64(9, [2, 5, 3]);
    const bool = tensor([[false, true, false, false, true], [false, false, false, true, false], [true, true, true, true, true]]);
    const float = randn64(10, [2, 1, 5]).mul(0.5);
    for (const options of [{}, { attnMask: bool }, { attnMask: float }, { isCausal: true }, { attnMask: bool, scale: 0.3 }]) {
      expectInputGradOk((a, b, c) => scaledDotProductAttention(a, b, c, options)[0], [qq, kk, vv]);
      expectInputGradOk((a, b, c) => scaledDotProductAttention(a, b, c, options)[1], [qq, kk, vv]);
    }
    // Through an additive mask too.
    expectInputGradOk((a, m) => scaledDotProductAttention(a, kk, vv, { attnMask: m })[0], [qq, float]);
  });

  it('dropout zeroes weights and scales the kept ones by 1/(1 − p); the returned weights are before dropout', () => {
    const qq = randn64(11, [6, 8]);
    const kk = randn64(12, [8, 8]);
    const eye = tensor(Array.from({ length: 8 }, (_, i) => Array.from({ length: 8 }, (_, j) => (i === j ? 1 : 0))), { dtype: 'float64' });
    // With v = I the output is the dropped-out weight matrix itself.
    const [out, w] = scaledDotProductAttention(qq, kk, eye, { dropoutP: 0.5, generator: new Generator(3) });
    const [, w0] = scaledDotProductAttention(qq, kk, eye);
    expectClose(w, w0, 1e-12);
    const o = values(out);
    const ww = values(w);
    expect(o.every((x, i) => x === 0 || Math.abs(x - 2 * ww[i]) < 1e-12)).toBe(true);
    const dropped = o.filter((x) => x === 0).length;
    expect(dropped).toBeGreaterThan(8);
    expect(dropped).toBeLessThan(40);
    // Same generator state, same mask.
    const [again] = scaledDotProductAttention(qq, kk, eye, { dropoutP: 0.5, generator: new Generator(3) });
    expectClose(again, out, 0);
    const [all] = scaledDotProductAttention(qq, kk, eye, { dropoutP: 1 });
    expect(values(all).every((x) => x === 0)).toBe(true);
  });

  it('works in float32', () => {
    const [out, w] = scaledDotProductAttention(q.float(), k.float(), v.float(), { attnMask: tensor([true, false, false, false]) });
    expect(out.dtype).toBe('float32');
    const ref = naiveAttention(nested(q), nested(k), nested(v), 1 / Math.SQRT2, (_, j) => (j === 0 ? -Infinity : 0));
    expectClose(w, ref.weights.flat(), 1e-6);
  });

  it('rejects bad ranks, mismatched dims, masks that do not broadcast and bad options', () => {
    const sdpa = scaledDotProductAttention;
    expect(() => sdpa(f64([1, 2]), k, v)).toThrow(ShapeError);
    expect(() => sdpa(f64([1, 2]), k, v)).toThrow('scaledDotProductAttention: query must have at least 2 dims [..., seq, features], got [2]');
    expect(() => sdpa(q, f64([[1, 2, 3]]), v)).toThrow('scaledDotProductAttention: query and key need the same last dim, got query [3,2] and key [1,3]');
    expect(() => sdpa(q, k, v.narrow(0, 0, 3))).toThrow('key and value need the same sequence length');
    expect(() => sdpa(randn64(1, [2, 3, 2]), randn64(1, [3, 4, 2]), randn64(1, [3, 4, 2]))).toThrow(ShapeError);
    expect(() => sdpa(q, k, v, { attnMask: tensor([[true, false, true]]) })).toThrow(ShapeError);
    expect(() => sdpa(q, k, v, { attnMask: tensor([[true, false, true]]) })).toThrow(
      'scaledDotProductAttention: attnMask [1,3] does not broadcast to the attention scores [3,4] ([..., L, S])',
    );
    expect(() => sdpa(q, k, v, { attnMask: tensor([[[true, false, true, false]]]) })).toThrow('does not broadcast');
    expect(() => sdpa(q, k, v, { attnMask: tensor([1, 0, 0, 0], { dtype: 'int32' }) })).toThrow(DTypeError);
    expect(() => sdpa(q, k.float(), v)).toThrow(DTypeError);
    expect(() => sdpa(q.int(), k.int(), v.int())).toThrow(DTypeError);
    expect(() => sdpa(q, k, v, { dropoutP: 1.5 })).toThrow(ArgumentError);
    expect(() => sdpa(q, k, v, { scale: Number.NaN })).toThrow(ArgumentError);
    expect(() => generateSquareSubsequentMask(0)).toThrow(ArgumentError);
  });

  it('generateSquareSubsequentMask is 0 on and below the diagonal, −∞ above', () => {
    expect(generateSquareSubsequentMask(3).toArraySync()).toEqual([[0, -Infinity, -Infinity], [0, 0, -Infinity], [0, 0, 0]]);
  });
});

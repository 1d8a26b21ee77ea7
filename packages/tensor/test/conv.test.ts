import { describe, expect, it } from 'vitest';
import {
  ArgumentError, ShapeError, conv1d, conv2d, convTranspose2d, tensor,
} from '@plexus/tensor';
import type { Tensor } from '@plexus/tensor';
import { expectClose, expectError, lcg, values } from './helpers.js';

type P2 = [number, number];
interface Cfg {
  stride?: P2;
  padding?: P2;
  dilation?: P2;
  groups?: number;
}

/** Direct-loop conv2d (cross-correlation), PyTorch semantics. */
function conv2dRef(x: number[], xs: number[], w: number[], ws: number[], bias: number[] | null, cfg: Cfg) {
  const [N, C, H, W] = xs;
  const [O, Cg, KH, KW] = ws;
  const [sh, sw] = cfg.stride ?? [1, 1];
  const [ph, pw] = cfg.padding ?? [0, 0];
  const [dh, dw] = cfg.dilation ?? [1, 1];
  const g = cfg.groups ?? 1;
  const Og = O / g;
  const OH = Math.floor((H + 2 * ph - dh * (KH - 1) - 1) / sh) + 1;
  const OW = Math.floor((W + 2 * pw - dw * (KW - 1) - 1) / sw) + 1;
  const out = new Array<number>(N * O * OH * OW).fill(0);
  for (let n = 0; n < N; n++)
    for (let o = 0; o < O; o++) {
      const grp = Math.floor(o / Og);
      for (let i = 0; i < OH; i++)
        for (let j = 0; j < OW; j++) {
          let s = bias ? bias[o] : 0;
          for (let c = 0; c < Cg; c++)
            for (let kh = 0; kh < KH; kh++)
              for (let kw = 0; kw < KW; kw++) {
                const hi = i * sh - ph + kh * dh;
                const wi = j * sw - pw + kw * dw;
                if (hi < 0 || hi >= H || wi < 0 || wi >= W) continue;
                const cin = grp * Cg + c;
                s += x[((n * C + cin) * H + hi) * W + wi] * w[((o * Cg + c) * KH + kh) * KW + kw];
              }
          out[((n * O + o) * OH + i) * OW + j] = s;
        }
    }
  return { out, shape: [N, O, OH, OW] };
}

/** Direct-loop transposed conv2d (scatter form), PyTorch semantics; weight [C, O/groups, kH, kW]. */
function convT2dRef(x: number[], xs: number[], w: number[], ws: number[], bias: number[] | null, cfg: Cfg & { outputPadding?: P2 }) {
  const [N, C, H, W] = xs;
  const [, Og, KH, KW] = ws;
  const [sh, sw] = cfg.stride ?? [1, 1];
  const [ph, pw] = cfg.padding ?? [0, 0];
  const [dh, dw] = cfg.dilation ?? [1, 1];
  const [oph, opw] = cfg.outputPadding ?? [0, 0];
  const g = cfg.groups ?? 1;
  const Cg = C / g;
  const O = Og * g;
  const OH = (H - 1) * sh - 2 * ph + dh * (KH - 1) + oph + 1;
  const OW = (W - 1) * sw - 2 * pw + dw * (KW - 1) + opw + 1;
  const out = new Array<number>(N * O * OH * OW).fill(0);
  for (let n = 0; n < N; n++)
    for (let c = 0; c < C; c++) {
      const grp = Math.floor(c / Cg);
      for (let i = 0; i < H; i++)
        for (let j = 0; j < W; j++)
          for (let oc = 0; oc < Og; oc++)
            for (let kh = 0; kh < KH; kh++)
              for (let kw = 0; kw < KW; kw++) {
                const hi = i * sh - ph + kh * dh;
                const wi = j * sw - pw + kw * dw;
                if (hi < 0 || hi >= OH || wi < 0 || wi >= OW) continue;
                const o = grp * Og + oc;
                out[((n * O + o) * OH + hi) * OW + wi] += x[((n * C + c) * H + i) * W + j] * w[((c * Og + oc) * KH + kh) * KW + kw];
              }
    }
  if (bias) for (let n = 0; n < N; n++) for (let o = 0; o < O; o++) for (let p = 0; p < OH * OW; p++) out[(n * O + o) * OH * OW + p] += bias[o];
  return { out, shape: [N, O, OH, OW] };
}

const f64 = (v: number[], shape: number[]): Tensor => tensor(v, shape, { dtype: 'float64' });
const dot = (a: Tensor, b: Tensor): number => a.mul(b).sum().item() as number;

const CASES: { name: string; xs: number[]; ws: number[]; cfg: Cfg; bias?: boolean }[] = [
  { name: 'plain 3x3', xs: [2, 3, 6, 5], ws: [4, 3, 3, 3], cfg: {} },
  { name: 'bias', xs: [1, 2, 5, 5], ws: [3, 2, 3, 3], cfg: {}, bias: true },
  { name: 'stride 2', xs: [2, 2, 7, 6], ws: [3, 2, 3, 3], cfg: { stride: [2, 2] } },
  { name: 'padding 1', xs: [1, 2, 5, 4], ws: [2, 2, 3, 3], cfg: { padding: [1, 1] } },
  { name: 'asymmetric stride/padding, 2x3 kernel', xs: [2, 3, 7, 8], ws: [2, 3, 2, 3], cfg: { stride: [1, 2], padding: [0, 2] }, bias: true },
  { name: 'dilation 2', xs: [1, 2, 8, 8], ws: [2, 2, 3, 3], cfg: { dilation: [2, 2], padding: [1, 2] } },
  { name: 'groups 2', xs: [2, 4, 5, 5], ws: [6, 2, 3, 3], cfg: { groups: 2, padding: [1, 1] }, bias: true },
  { name: 'depthwise', xs: [1, 3, 6, 6], ws: [3, 1, 3, 3], cfg: { groups: 3, stride: [2, 2] } },
  { name: 'everything', xs: [2, 4, 9, 8], ws: [4, 2, 3, 2], cfg: { stride: [2, 3], padding: [2, 1], dilation: [2, 1], groups: 2 }, bias: true },
  { name: '1x1 kernel', xs: [2, 3, 4, 4], ws: [5, 3, 1, 1], cfg: {} },
];

describe('conv2d against a direct loop', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const x = lcg(c.xs.reduce((a, b) => a * b), 3);
      const w = lcg(c.ws.reduce((a, b) => a * b), 5);
      const b = c.bias ? lcg(c.ws[0], 9) : null;
      const ref = conv2dRef(x, c.xs, w, c.ws, b, c.cfg);
      const y = conv2d(f64(x, c.xs), f64(w, c.ws), b ? f64(b, [c.ws[0]]) : null, c.cfg);
      expect(y.dtype).toBe('float64');
      expectClose(y, ref.out, { shape: ref.shape, atol: 1e-12, rtol: 1e-12 });
      // float32 agrees loosely.
      const y32 = conv2d(tensor(x, c.xs), tensor(w, c.ws), b ? tensor(b) : null, c.cfg);
      expect(y32.dtype).toBe('float32');
      expectClose(y32, ref.out, { atol: 1e-5, rtol: 1e-5 });
    });
  }
  it('numbers for stride/padding/dilation; unbatched [C, H, W] input', () => {
    const x = lcg(2 * 6 * 6, 1);
    const w = lcg(3 * 2 * 3 * 3, 2);
    const ref = conv2dRef(x, [1, 2, 6, 6], w, [3, 2, 3, 3], null, { stride: [2, 2], padding: [1, 1], dilation: [1, 1] });
    const y = conv2d(f64(x, [2, 6, 6]), f64(w, [3, 2, 3, 3]), null, { stride: 2, padding: 1 });
    expectClose(y, ref.out, { shape: ref.shape.slice(1), atol: 1e-12 });
  });
  it('int input with float weight promotes', () => {
    const y = conv2d(tensor([1, 2, 3, 4], [1, 1, 2, 2], { dtype: 'int32' }), tensor([0.5], [1, 1, 1, 1]));
    expect(y.dtype).toBe('float32');
    expect(values(y)).toEqual([0.5, 1, 1.5, 2]);
  });
  it('errors name the op and the shapes', () => {
    const x = tensor(lcg(2 * 3 * 5 * 5), [2, 3, 5, 5]);
    expectError(() => conv2d(tensor([1, 2]), tensor(lcg(9), [1, 1, 3, 3])), ShapeError, 'conv2d: expected input [N, C, H, W] or [C, H, W], got [2]');
    expectError(() => conv2d(x, tensor(lcg(9), [1, 3, 3])), ShapeError, 'conv2d: weight must be [out, in/groups, kH, kW], got [1,3,3]');
    expectError(() => conv2d(x, tensor(lcg(18), [1, 2, 3, 3])), ShapeError, 'conv2d: input [2,3,5,5] with groups=1', 'got [1,2,3,3]');
    expectError(() => conv2d(x, tensor(lcg(27), [3, 1, 3, 3]), null, { groups: 2 }), ShapeError, 'groups=2');
    expectError(() => conv2d(x, tensor(lcg(2 * 3 * 9), [2, 3, 3, 3]), tensor([1, 2, 3])), ShapeError, 'conv2d: bias must be [2], got [3]');
    expectError(() => conv2d(x, tensor(lcg(3 * 36), [1, 3, 6, 6])), ShapeError, 'conv2d: kernel [6,6]', 'larger than the padded input');
    expectError(() => conv2d(x, tensor(lcg(27), [1, 3, 3, 3]), null, { stride: 0 }), ArgumentError, 'conv2d: stride must be an integer >= 1, got 0');
    expectError(() => conv2d(x, tensor(lcg(27), [1, 3, 3, 3]), null, { groups: 0 }), ArgumentError, 'conv2d: groups must be a positive integer');
    expectError(() => conv2d(x, tensor(lcg(27), [1, 3, 3, 3]), null, { padding: [1, 2, 3] as never }), ArgumentError, 'conv2d: padding must be a number or a pair');
  });
});

describe('conv1d', () => {
  function conv1dRef(x: number[], xs: number[], w: number[], ws: number[], b: number[] | null, s: number, p: number, d: number, g: number) {
    const r = conv2dRef(x, [xs[0], xs[1], 1, xs[2]], w, [ws[0], ws[1], 1, ws[2]], b, { stride: [1, s], padding: [0, p], dilation: [1, d], groups: g });
    return { out: r.out, shape: [r.shape[0], r.shape[1], r.shape[3]] };
  }
  /** An independent 1-D loop, to not rely only on the 2-D reference. */
  function direct(x: number[], [N, C, L]: number[], w: number[], [O, Cg, K]: number[], s: number, p: number, d: number, g: number) {
    const OL = Math.floor((L + 2 * p - d * (K - 1) - 1) / s) + 1;
    const out: number[] = [];
    for (let n = 0; n < N; n++)
      for (let o = 0; o < O; o++)
        for (let i = 0; i < OL; i++) {
          let acc = 0;
          const grp = Math.floor(o / (O / g));
          for (let c = 0; c < Cg; c++)
            for (let k = 0; k < K; k++) {
              const li = i * s - p + k * d;
              if (li >= 0 && li < L) acc += x[(n * C + grp * Cg + c) * L + li] * w[(o * Cg + c) * K + k];
            }
          out.push(acc);
        }
    return out;
  }
  it('matches direct loops with stride, padding, dilation, groups and bias', () => {
    for (const [s, p, d, g] of [[1, 0, 1, 1], [2, 1, 1, 1], [1, 2, 2, 2], [3, 1, 2, 2]]) {
      const xs = [2, 4, 11];
      const ws = [6, 4 / g, 3];
      const x = lcg(88, 4);
      const w = lcg(ws[0] * ws[1] * ws[2], 8);
      const ref = conv1dRef(x, xs, w, ws, null, s, p, d, g);
      const y = conv1d(f64(x, xs), f64(w, ws), null, { stride: s, padding: p, dilation: d, groups: g });
      expectClose(y, ref.out, { shape: ref.shape, atol: 1e-12 });
      expectClose(y, direct(x, xs, w, ws, s, p, d, g), { atol: 1e-12 });
    }
    const b = conv1d(f64([1, 2, 3], [1, 1, 3]), f64([1, 1], [2, 1, 1]), f64([10, 20], [2]));
    expect(b.toArraySync()).toEqual([[[11, 12, 13], [21, 22, 23]]]);
  });
  it('unbatched [C, L] input and errors', () => {
    expect(conv1d(f64([1, 2, 3, 4], [1, 4]), f64([1, -1], [1, 1, 2])).toArraySync()).toEqual([[-1, -1, -1]]);
    expectError(() => conv1d(tensor([1, 2]), tensor([1], [1, 1, 1])), ShapeError, 'conv1d: expected input [N, C, L] or [C, L], got [2]');
    expectError(() => conv1d(tensor([1, 2], [1, 1, 2]), tensor([1], [1, 1])), ShapeError, 'conv1d: weight must be [out, in/groups, k], got [1,1]');
  });
});

const T_CASES: { name: string; xs: number[]; ws: number[]; cfg: Cfg & { outputPadding?: P2 }; bias?: boolean }[] = [
  { name: 'plain', xs: [2, 3, 4, 4], ws: [3, 2, 3, 3], cfg: {} },
  { name: 'stride 2 + bias', xs: [1, 2, 3, 4], ws: [2, 3, 3, 3], cfg: { stride: [2, 2] }, bias: true },
  { name: 'stride, padding, outputPadding', xs: [2, 2, 4, 3], ws: [2, 2, 3, 3], cfg: { stride: [2, 3], padding: [1, 1], outputPadding: [1, 2] } },
  { name: 'dilation', xs: [1, 2, 3, 3], ws: [2, 1, 3, 2], cfg: { dilation: [2, 3], padding: [1, 0] } },
  { name: 'groups', xs: [2, 4, 3, 3], ws: [4, 3, 2, 2], cfg: { groups: 2, stride: [2, 1] }, bias: true },
  { name: 'padding larger than dilated kernel span (crops)', xs: [1, 1, 5, 5], ws: [1, 1, 2, 2], cfg: { padding: [2, 1], stride: [2, 2] } },
];

describe('convTranspose2d', () => {
  for (const c of T_CASES) {
    it(`against a direct loop: ${c.name}`, () => {
      const x = lcg(c.xs.reduce((a, b) => a * b), 11);
      const w = lcg(c.ws.reduce((a, b) => a * b), 13);
      const O = c.ws[1] * (c.cfg.groups ?? 1);
      const b = c.bias ? lcg(O, 17) : null;
      const ref = convT2dRef(x, c.xs, w, c.ws, b, c.cfg);
      const y = convTranspose2d(f64(x, c.xs), f64(w, c.ws), b ? f64(b, [O]) : null, c.cfg);
      expectClose(y, ref.out, { shape: ref.shape, atol: 1e-12, rtol: 1e-12 });
    });
  }

  it('is the adjoint of conv2d: <conv2d(x, w), y> = <x, convTranspose2d(y, w)>', () => {
    const settings: { xs: number[]; ws: number[]; cfg: Cfg }[] = [
      { xs: [2, 3, 7, 6], ws: [4, 3, 3, 3], cfg: {} },
      { xs: [1, 2, 8, 9], ws: [3, 2, 3, 2], cfg: { stride: [2, 3], padding: [1, 1] } },
      { xs: [2, 4, 9, 9], ws: [6, 2, 3, 3], cfg: { stride: [2, 2], padding: [2, 1], dilation: [2, 1], groups: 2 } },
      { xs: [1, 3, 10, 7], ws: [3, 1, 2, 3], cfg: { stride: [3, 2], dilation: [1, 2], groups: 3 } },
    ];
    for (const { xs, ws, cfg } of settings) {
      const x = f64(lcg(xs.reduce((a, b) => a * b), 21), xs);
      const w = f64(lcg(ws.reduce((a, b) => a * b), 22), ws);
      const yx = conv2d(x, w, null, cfg);
      const y = f64(lcg(yx.size, 23), [...yx.shape]);
      const [s, p, d] = [cfg.stride ?? [1, 1], cfg.padding ?? [0, 0], cfg.dilation ?? [1, 1]];
      const outputPadding: P2 = [0, 1].map(
        (a) => xs[2 + a] - ((yx.shape[2 + a] - 1) * s[a] - 2 * p[a] + d[a] * (ws[2 + a] - 1) + 1),
      ) as P2;
      const xt = convTranspose2d(y, w, null, { ...cfg, outputPadding });
      expect(xt.shape).toEqual(xs);
      const lhs = dot(yx, y);
      const rhs = dot(x, xt);
      expect(Math.abs(lhs - rhs)).toBeLessThan(1e-10 * Math.max(1, Math.abs(lhs)));
    }
  });

  it('unbatched input; errors', () => {
    const y = convTranspose2d(f64([1, 2, 3, 4], [1, 2, 2]), f64([1, 1, 1, 1], [1, 1, 2, 2]));
    expect(y.shape).toEqual([1, 3, 3]);
    expect(y.toArraySync()).toEqual([[[1, 3, 2], [4, 10, 6], [3, 7, 4]]]);
    const x = tensor(lcg(2 * 3 * 4 * 4), [2, 3, 4, 4]);
    expectError(() => convTranspose2d(x, tensor(lcg(2 * 2 * 9), [2, 2, 3, 3])), ShapeError, 'convTranspose2d: input [2,3,4,4] with groups=1 needs weight [3, O/groups, kH, kW], got [2,2,3,3]');
    expectError(() => convTranspose2d(x, tensor(lcg(18), [3, 2, 3])), ShapeError, 'convTranspose2d: weight must be [in, out/groups, kH, kW]');
    expectError(() => convTranspose2d(tensor([1, 2]), tensor(lcg(9), [1, 1, 3, 3])), ShapeError, 'convTranspose2d: expected input [N, C, H, W] or [C, H, W], got [2]');
    expectError(
      () => convTranspose2d(x, tensor(lcg(3 * 2 * 9), [3, 2, 3, 3]), null, { stride: 2, outputPadding: 2 }),
      ArgumentError,
      'convTranspose2d: outputPadding [2,2] must be smaller than stride or dilation',
    );
    expectError(() => convTranspose2d(x, tensor(lcg(3 * 2 * 9), [3, 2, 3, 3]), tensor([1])), ShapeError, 'convTranspose2d: bias must be [2], got [1]');
  });
});

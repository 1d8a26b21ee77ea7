import './helpers.js';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '@plexus/tensor';
import { ArgumentError, ShapeError, manualSeed, randn } from '@plexus/tensor';
import { Conv1d, Conv2d, ConvTranspose2d } from '../src/index.js';
import { expectClose, expectLayerGradOk, randn64, values } from './helpers.js';

interface Cfg {
  stride?: [number, number];
  padding?: [number, number, number, number]; // top, bottom, left, right
  dilation?: [number, number];
  groups?: number;
}

/** Direct 2-D cross-correlation with explicit loops: the reference. */
function naiveConv2d(x: Tensor, w: Tensor, b: Tensor | null, cfg: Cfg): { data: number[]; shape: number[] } {
  const [N, C, H, W] = x.shape;
  const [O, Cg, kH, kW] = w.shape;
  const [sh, sw] = cfg.stride ?? [1, 1];
  const [pt, pb, pl, pr] = cfg.padding ?? [0, 0, 0, 0];
  const [dh, dw] = cfg.dilation ?? [1, 1];
  const g = cfg.groups ?? 1;
  const xv = values(x);
  const wv = values(w);
  const bv = b ? values(b) : null;
  const oH = Math.floor((H + pt + pb - dh * (kH - 1) - 1) / sh) + 1;
  const oW = Math.floor((W + pl + pr - dw * (kW - 1) - 1) / sw) + 1;
  const out: number[] = [];
  for (let n = 0; n < N; n++) {
    for (let o = 0; o < O; o++) {
      const group = Math.floor(o / (O / g));
      for (let i = 0; i < oH; i++) {
        for (let j = 0; j < oW; j++) {
          let s = bv ? bv[o] : 0;
          for (let c = 0; c < Cg; c++) {
            for (let ki = 0; ki < kH; ki++) {
              for (let kj = 0; kj < kW; kj++) {
                const r = i * sh - pt + ki * dh;
                const q = j * sw - pl + kj * dw;
                if (r < 0 || r >= H || q < 0 || q >= W) continue;
                s += xv[((n * C + group * Cg + c) * H + r) * W + q] * wv[((o * Cg + c) * kH + ki) * kW + kj];
              }
            }
          }
          out.push(s);
        }
      }
    }
  }
  return { data: out, shape: [N, O, oH, oW] };
}

/** Transposed convolution by scattering each input pixel times the kernel: the reference. */
function naiveConvTranspose2d(x: Tensor, w: Tensor, b: Tensor | null, s: number[], p: number[], op: number[], d: number[], g: number) {
  const [N, C, H, W] = x.shape;
  const [, Og, kH, kW] = w.shape;
  const O = Og * g;
  const oH = (H - 1) * s[0] - 2 * p[0] + d[0] * (kH - 1) + op[0] + 1;
  const oW = (W - 1) * s[1] - 2 * p[1] + d[1] * (kW - 1) + op[1] + 1;
  const out = new Array<number>(N * O * oH * oW).fill(0);
  const xv = values(x);
  const wv = values(w);
  const Cg = C / g;
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const group = Math.floor(c / Cg);
      for (let i = 0; i < H; i++) {
        for (let j = 0; j < W; j++) {
          for (let ol = 0; ol < Og; ol++) {
            for (let ki = 0; ki < kH; ki++) {
              for (let kj = 0; kj < kW; kj++) {
                const r = i * s[0] - p[0] + ki * d[0];
                const q = j * s[1] - p[1] + kj * d[1];
                if (r < 0 || r >= oH || q < 0 || q >= oW) continue;
                const o = group * Og + ol;
                out[((n * O + o) * oH + r) * oW + q] += xv[((n * C + c) * H + i) * W + j] * wv[((c * Og + ol) * kH + ki) * kW + kj];
              }
            }
          }
        }
      }
    }
  }
  const bv = b ? values(b) : null;
  if (bv) for (let k = 0; k < out.length; k++) out[k] += bv[Math.floor(k / (oH * oW)) % O];
  return { data: out, shape: [N, O, oH, oW] };
}

describe('Conv2d', () => {
  const cases: [string, number, number, number | [number, number], Cfg & { options: ConstructorParameters<typeof Conv2d>[3] }][] = [
    ['plain 3x3', 2, 3, 3, { options: {} }],
    ['stride 2, padding 1', 2, 4, 3, { stride: [2, 2], padding: [1, 1, 1, 1], options: { stride: 2, padding: 1 } }],
    ['rectangular kernel, dilation 2', 1, 2, [2, 3], { dilation: [2, 2], padding: [1, 1, 0, 0], options: { dilation: 2, padding: [1, 0] } }],
    ['groups 2, no bias', 4, 6, 3, { groups: 2, padding: [1, 1, 1, 1], options: { groups: 2, padding: 1, bias: false } }],
    ["padding 'same', even kernel", 2, 2, [2, 4], { padding: [0, 1, 1, 2], options: { padding: 'same' } }],
  ];
  for (const [name, cin, cout, k, cfg] of cases) {
    it(`matches a naive loop: ${name}`, () => {
      manualSeed(3);
      const conv = new Conv2d(cin, cout, k, { ...cfg.options, dtype: 'float64' });
      const x = randn([2, cin, 7, 6], { dtype: 'float64' });
      const y = conv.forward(x);
      const ref = naiveConv2d(x, conv.weight, conv.bias, cfg);
      expect(y.shape).toEqual(ref.shape);
      expectClose(y, ref.data, 1e-12);
    });
  }

  it("'same' keeps the spatial size and 'valid' pads nothing", () => {
    const x = randn([1, 1, 5, 6]);
    expect(new Conv2d(1, 2, 3, { padding: 'same', dilation: 2 }).forward(x).shape).toEqual([1, 2, 5, 6]);
    expect(new Conv2d(1, 2, 3, { padding: 'valid' }).forward(x).shape).toEqual([1, 2, 3, 4]);
    expect(() => new Conv2d(1, 1, 3, { padding: 'same', stride: 2 })).toThrow(/padding='same' needs stride 1/);
  });

  it('accepts unbatched [C, H, W] input', () => {
    manualSeed(4);
    const conv = new Conv2d(2, 3, 3);
    const x = randn([2, 5, 5]);
    expect(values(conv.forward(x))).toEqual(values(conv.forward(x.unsqueeze(0))));
    expect(conv.forward(x).shape).toEqual([3, 3, 3]);
  });

  it('passes gradCheck in float64 w.r.t. input, weight and bias', () => {
    manualSeed(5);
    expectLayerGradOk(new Conv2d(2, 4, 3, { stride: 2, padding: 1, groups: 2, dtype: 'float64' }), [randn64(6, [1, 2, 5, 5])]);
    expectLayerGradOk(new Conv2d(1, 2, 2, { padding: 'same', dtype: 'float64' }), [randn64(7, [1, 1, 3, 4])]);
  });

  it('names the expected channels on a wrong input', () => {
    const conv = new Conv2d(3, 8, 3);
    expect(() => conv.forward(randn([2, 4, 8, 8]))).toThrow(ShapeError);
    expect(() => conv.forward(randn([2, 4, 8, 8]))).toThrow('Conv2d: expected input [N, 3, H, W] or [3, H, W] (3 channels), got [2,4,8,8]');
    expect(() => conv.forward(randn([8, 8]))).toThrow(ShapeError);
  });

  it('validates its arguments', () => {
    expect(() => new Conv2d(3, 4, 3, { groups: 2 })).toThrow(/must be divisible by groups \(2\)/);
    expect(() => new Conv2d(3, 4, 0)).toThrow(ArgumentError);
    expect(() => new Conv2d(3, 4, [3, 3, 3] as never)).toThrow(ArgumentError);
    expect(() => new Conv2d(3, 4, 3, { padding: 'full' as never })).toThrow(ArgumentError);
  });
});

describe('Conv1d', () => {
  it('matches a naive loop (as a conv2d of height 1)', () => {
    manualSeed(8);
    const conv = new Conv1d(2, 3, 3, { stride: 2, padding: 1, dilation: 1, dtype: 'float64' });
    const x = randn([2, 2, 9], { dtype: 'float64' });
    const y = conv.forward(x);
    const ref = naiveConv2d(x.unsqueeze(2), conv.weight.unsqueeze(2), conv.bias, { stride: [1, 2], padding: [0, 0, 1, 1] });
    expect(y.shape).toEqual([2, 3, 5]);
    expectClose(y, ref.data, 1e-12);
    expect(new Conv1d(2, 2, 4, { padding: 'same' }).forward(randn([1, 2, 7])).shape).toEqual([1, 2, 7]);
  });

  it('passes gradCheck in float64 w.r.t. input, weight and bias', () => {
    manualSeed(9);
    expectLayerGradOk(new Conv1d(2, 2, 3, { padding: 1, dtype: 'float64' }), [randn64(10, [2, 2, 5])]);
  });

  it('names the expected channels on a wrong input', () => {
    expect(() => new Conv1d(3, 2, 3).forward(randn([1, 2, 9]))).toThrow('Conv1d: expected input [N, 3, L] or [3, L] (3 channels), got [1,2,9]');
  });
});

describe('ConvTranspose2d', () => {
  it('matches scattering each input pixel times the kernel', () => {
    manualSeed(11);
    const configs = [
      { s: [2, 2], p: [1, 1], op: [1, 1], d: [1, 1], g: 1, cin: 2, cout: 3 },
      { s: [1, 2], p: [0, 1], op: [0, 0], d: [2, 1], g: 2, cin: 4, cout: 2 },
    ];
    for (const c of configs) {
      const up = new ConvTranspose2d(c.cin, c.cout, [3, 2], {
        stride: c.s as [number, number], padding: c.p as [number, number], outputPadding: c.op as [number, number],
        dilation: c.d as [number, number], groups: c.g, dtype: 'float64',
      });
      const x = randn([2, c.cin, 3, 4], { dtype: 'float64' });
      const y = up.forward(x);
      const ref = naiveConvTranspose2d(x, up.weight, up.bias, c.s, c.p, c.op, c.d, c.g);
      expect(y.shape).toEqual(ref.shape);
      expectClose(y, ref.data, 1e-12);
    }
  });

  it('doubles the size with kernel 4, stride 2, padding 1, and outputPadding picks among sizes', () => {
    expect(new ConvTranspose2d(3, 2, 4, { stride: 2, padding: 1 }).forward(randn([1, 3, 5, 5])).shape).toEqual([1, 2, 10, 10]);
    expect(new ConvTranspose2d(3, 2, 3, { stride: 2, padding: 1, outputPadding: 1 }).forward(randn([1, 3, 5, 5])).shape).toEqual([1, 2, 10, 10]);
    expect(() => new ConvTranspose2d(3, 2, 3, { stride: 2, outputPadding: 2 })).toThrow(ArgumentError);
  });

  it('passes gradCheck in float64 w.r.t. input, weight and bias', () => {
    manualSeed(12);
    expectLayerGradOk(new ConvTranspose2d(2, 2, 3, { stride: 2, padding: 1, outputPadding: 1, dtype: 'float64' }), [randn64(13, [1, 2, 3, 3])]);
  });

  it('names the expected channels on a wrong input', () => {
    expect(() => new ConvTranspose2d(3, 2, 3).forward(randn([1, 2, 4, 4]))).toThrow(/ConvTranspose2d: expected input \[N, 3, H, W\]/);
  });
});

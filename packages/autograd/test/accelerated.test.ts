import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AcceleratedTable, Backend, Tensor, TensorInfo } from '@plexus/tensor';
import {
  avgPool2d, avgPool2dBackward, conv2d, conv2dWeightGrad, convTranspose2d, fromData, gelu, logSoftmax, logsumexp,
  manualSeed, maxPool2d, maxPool2dBackward, noGrad, randn, registerBackend, setBackend, softmax, tensor, withAccelerated,
} from '@plexus/tensor';
import { JsBackend } from '@plexus/backend-js';
import type { GradNode } from '../src/index.js';
import { grad } from '../src/index.js';
import { expectClose, expectGradGradOk, expectGradOk } from './helpers.js';

/**
 * backend-js has no accelerated ops, so their dedicated gradient rules (softmax, conv2d, …) are
 * never reached there. This test backend is backend-js plus every accelerated op, each computed
 * by the op's own decomposition on copies of the inputs, so autograd records the accelerated node
 * and differentiates it with its rule.
 */
function acceleratedJs(): Backend {
  const inner = new JsBackend();
  const backend: Backend = {
    name: 'js-accelerated',
    dtypes: inner.dtypes,
    primitives: inner.primitives,
    write: (v, s, d) => inner.write(v, s, d),
    read: (t) => inner.read(t),
    readSync: (t) => inner.readSync(t),
    dispose: (id) => inner.dispose(id),
    memory: () => inner.memory(),
    accelerated: undefined,
  };
  const load = (t: TensorInfo): Tensor => fromData('test', inner.readSync(t), t.shape, { backend });
  const run = (inputs: readonly TensorInfo[], f: (xs: Tensor[]) => Tensor) => {
    const out = noGrad(() => withAccelerated(false, () => f(inputs.map(load))));
    return inner.write(out.dataSync(), out.shape, out.dtype);
  };
  const table: AcceleratedTable = {
    softmax: (i, a) => run(i, ([x]) => softmax(x, a.axis)),
    logSoftmax: (i, a) => run(i, ([x]) => logSoftmax(x, a.axis)),
    logsumexp: (i, a) => run(i, ([x]) => logsumexp(x, a.axis)),
    gelu: (i, a) => run(i, ([x]) => gelu(x, a.approximate)),
    conv2d: (i, a) => run(i, ([x, w, b]) => conv2d(x, w, b, a)),
    convTranspose2d: (i, a) => run(i, ([x, w, b]) => convTranspose2d(x, w, b, a)),
    maxPool2d: (i, a) => run(i, ([x]) => maxPool2d(x, a.kernel, a)),
    avgPool2d: (i, a) => run(i, ([x]) => avgPool2d(x, a.kernel, a)),
    conv2dWeightGrad: (i, a) => run(i, ([x, g]) => conv2dWeightGrad(x, g, a.kernel, a)),
    maxPool2dBackward: (i, a) => run(i, ([x, g]) => maxPool2dBackward(x, g, a.kernel, a)),
    avgPool2dBackward: (i, a, out) => run(i, ([g]) => avgPool2dBackward(g, out.shape, a.kernel, a)),
  };
  return { ...backend, accelerated: table };
}

const opOf = (t: Tensor) => (t.gradNode as GradNode | undefined)?.op;

describe('gradient rules of accelerated ops (on a backend that has them)', () => {
  beforeAll(() => {
    registerBackend('js-accelerated', acceleratedJs);
    setBackend('js-accelerated');
  });
  afterAll(() => {
    setBackend('js');
  });

  const r64 = (seed: number, ...shapes: number[][]) => {
    manualSeed(seed);
    return shapes.map((s) => randn(s, { dtype: 'float64' }));
  };

  it('the accelerated ops are recorded as such', () => {
    const [x] = r64(1, [1, 2, 4, 4]);
    const [w] = r64(2, [2, 2, 2, 2]);
    const leaf = x.detach().requiresGrad_();
    expect(leaf.backend.name).toBe('js-accelerated');
    expect(opOf(softmax(leaf))).toBe('softmax');
    expect(opOf(logSoftmax(leaf))).toBe('logSoftmax');
    expect(opOf(logsumexp(leaf, 1))).toBe('logsumexp');
    expect(opOf(gelu(leaf))).toBe('gelu');
    expect(opOf(conv2d(leaf, w))).toBe('conv2d');
    expect(opOf(convTranspose2d(leaf, w))).toBe('convTranspose2d');
    expect(opOf(maxPool2d(leaf, 2))).toBe('maxPool2d');
    expect(opOf(avgPool2d(leaf, 2))).toBe('avgPool2d');
    expect(opOf(withAccelerated(false, () => softmax(leaf)))).not.toBe('softmax');
    expect(opOf(conv2dWeightGrad(leaf, conv2d(x, w), 2))).toBe('conv2dWeightGrad');
    expect(opOf(maxPool2dBackward(leaf, maxPool2d(x, 2), 2))).toBe('maxPool2dBackward');
    expect(opOf(avgPool2dBackward(maxPool2d(leaf, 2), [1, 2, 4, 4], 2))).toBe('avgPool2dBackward');
  });

  it('conv2d and the pools use the backward ops in their gradients', () => {
    const [x] = r64(12, [1, 2, 4, 4]);
    const [w] = r64(13, [2, 2, 2, 2]);
    const xl = x.detach().requiresGrad_();
    const wl = w.detach().requiresGrad_();
    // Squares make the output gradients depend on the inputs, so the backward ops are recorded.
    const [, gw] = grad(conv2d(xl, wl).square().sum(), [xl, wl], { createGraph: true });
    expect(opOf(gw)).toBe('conv2dWeightGrad');
    const [gm] = grad(maxPool2d(xl, 2).square().sum(), [xl], { createGraph: true });
    expect(opOf(gm)).toBe('maxPool2dBackward');
    const [ga] = grad(avgPool2d(xl, 2).square().sum(), [xl], { createGraph: true });
    expect(opOf(ga)).toBe('avgPool2dBackward');
  });

  it('conv2dWeightGrad, maxPool2dBackward, avgPool2dBackward: gradCheck and gradGradCheck', () => {
    const [x, g] = r64(14, [2, 4, 5, 5], [2, 6, 3, 3]);
    const opts = { stride: 2, padding: 1, dilation: [1, 2] as [number, number], groups: 2 };
    expectGradOk((p, q) => conv2dWeightGrad(p, q, [2, 2], opts), [x, g]);
    expectGradGradOk((p, q) => conv2dWeightGrad(p, q, [2, 2], opts).square(), [x, g]);
    const [xp, gp] = r64(15, [1, 2, 5, 5], [1, 2, 3, 3]);
    expectGradOk((p, q) => maxPool2dBackward(p, q, 3, { stride: 2, padding: 1 }), [xp, gp]);
    expectGradOk((q) => avgPool2dBackward(q, [1, 2, 5, 5], 3, { stride: 2, padding: 1 }), [gp]);
    expectGradGradOk((q) => avgPool2dBackward(q.square(), [1, 2, 5, 5], 3, { stride: 2, padding: 1 }), [gp]);
  });

  it('maxPool2dBackward shares a tied window max evenly, as the decomposition does', () => {
    const x = tensor([[[[1, 1, 0, 3], [1, 0, 3, 3], [2, 5, 5, 5], [0, 1, 5, 4]]]], { dtype: 'float64' });
    const g = tensor([[[[6, 3], [2, 3]]]], { dtype: 'float64' });
    const fast = maxPool2dBackward(x, g, 2);
    expect(Array.from(fast.dataSync())).toEqual([2, 2, 0, 1, 2, 0, 1, 1, 0, 2, 1, 1, 0, 0, 1, 0]);
    expectClose(fast, withAccelerated(false, () => maxPool2dBackward(x, g, 2)), 0);
    expectClose(fast, grad((p: Tensor) => withAccelerated(false, () => maxPool2d(p, 2)).mul(g).sum())(x), 0);
  });

  it('gelu, exact and tanh: gradCheck and gradGradCheck, and the decomposition\'s gradient', () => {
    const [x] = r64(5, [3, 7]);
    const wide = x.mul(3); // over about [-9, 9]: both tails and the middle
    for (const approximate of ['none', 'tanh'] as const) {
      expectGradOk((t) => gelu(t, approximate), [wide]);
      expectGradGradOk((t) => gelu(t, approximate), [x]);
      const rule = grad((t: Tensor) => gelu(t, approximate).sum())(wide);
      const decomposed = grad((t: Tensor) => withAccelerated(false, () => gelu(t, approximate)).sum())(wide);
      expectClose(rule, decomposed, 1e-12);
    }
  });

  it('softmax, logSoftmax, logsumexp: gradCheck and gradGradCheck', () => {
    const [x] = r64(3, [2, 3, 4]);
    for (const axis of [0, 1, 2]) {
      expectGradOk((t) => softmax(t, axis), [x]);
      expectGradOk((t) => logSoftmax(t, axis), [x]);
      expectGradOk((t) => logsumexp(t, axis), [x]);
    }
    const [y] = r64(4, [2, 4]);
    expectGradGradOk((t) => softmax(t), [y]);
    expectGradGradOk((t) => logSoftmax(t, 0), [y]);
    expectGradGradOk((t) => logsumexp(t, 1), [y]);
  });

  it('conv2d: stride 2, padding 1, dilation 2, groups 2, with bias', () => {
    const [x, w, b] = r64(5, [2, 4, 5, 5], [4, 2, 2, 2], [4]);
    expectGradOk((p, q, r) => conv2d(p, q, r, { stride: 2, padding: 1, dilation: 2, groups: 2 }), [x, w, b]);
  });

  it('conv2d: strides that leave input rows unused, and second derivatives', () => {
    const [x, w, b] = r64(6, [1, 2, 6, 5], [3, 2, 2, 3], [3]);
    expectGradOk((p, q, r) => conv2d(p, q, r, { stride: [3, 2] }), [x, w, b]);
    const [xs, ws] = r64(7, [1, 2, 4, 4], [2, 1, 2, 2]);
    expectGradGradOk((p, q) => conv2d(p, q, null, { groups: 2, padding: 1 }).tanh(), [xs, ws]);
  });

  it('convTranspose2d: stride 2, padding 1, outputPadding 1, groups 2, with bias', () => {
    const [x, w, b] = r64(8, [1, 4, 3, 3], [4, 1, 3, 3], [2]);
    expectGradOk((p, q, r) => convTranspose2d(p, q, r, { stride: 2, padding: 1, outputPadding: 1, groups: 2 }), [x, w, b]);
  });

  it('convTranspose2d: dilation, and second derivatives', () => {
    const [x, w] = r64(9, [1, 2, 3, 3], [2, 3, 2, 2]);
    expectGradOk((p, q) => convTranspose2d(p, q, null, { dilation: 2, padding: 1 }), [x, w]);
    expectGradGradOk((p, q) => convTranspose2d(p, q, null, { stride: 2 }).sin(), [x, w]);
  });

  it('maxPool2d and avgPool2d with stride and padding (through their decomposition)', () => {
    const [x] = r64(10, [1, 2, 5, 5]);
    expectGradOk((p) => maxPool2d(p, 3, { stride: 2, padding: 1 }), [x]);
    expectGradOk((p) => avgPool2d(p, 3, { stride: 2, padding: 1 }), [x]);
    expectGradGradOk((p) => avgPool2d(p.square(), 2), [x]);
    expectGradGradOk((p) => maxPool2d(p, 2).square(), [x]);
  });

  it('the same gradients as the decomposition', () => {
    const [x, w, b] = r64(11, [1, 2, 5, 5], [4, 2, 3, 3], [4]);
    const f = (p: Tensor, q: Tensor, r: Tensor) =>
      logSoftmax(maxPool2d(conv2d(p, q, r, { padding: 1 }).tanh(), 2, { stride: 1 }).flatten(1), 1).sum();
    const fast = grad(f, [0, 1, 2])(x, w, b);
    const slow = withAccelerated(false, () => grad(f, [0, 1, 2])(x, w, b));
    fast.forEach((g, i) => expectClose(g, slow[i], 1e-10));
  });
});

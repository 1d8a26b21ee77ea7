import { describe, expect, it } from 'vitest';
import { elu, gelu, leakyRelu, logSoftmax, logsumexp, relu, silu, softmax, softplus } from '@plexus/tensor';
import { grad } from '../src/index.js';
import { awayFromZero, expectClose, expectGradOk, f64, randn64, values } from './helpers.js';

describe('activations pass gradCheck', () => {
  it('relu (away from 0)', () => {
    expectGradOk(relu, [awayFromZero(1, [3, 4])]);
    expectGradOk((x) => x.relu(), [awayFromZero(2, [5])]);
  });

  it('leakyRelu with the default and a custom slope', () => {
    const x = awayFromZero(3, [3, 4]);
    expectGradOk((t) => leakyRelu(t), [x]);
    expectGradOk((t) => leakyRelu(t, 0.2), [x]);
  });

  it('elu with alpha 1 and 0.5', () => {
    const x = awayFromZero(4, [3, 4]);
    expectGradOk((t) => elu(t), [x]);
    expectGradOk((t) => t.elu(0.5), [x]);
  });

  it("gelu 'none' and 'tanh'", () => {
    const [x] = randn64(5, [3, 4]);
    expectGradOk((t) => gelu(t), [x]);
    expectGradOk((t) => gelu(t, 'none'), [x]);
    expectGradOk((t) => gelu(t, 'tanh'), [x]);
  });

  it('silu', () => {
    const [x] = randn64(6, [3, 4]);
    expectGradOk(silu, [x]);
  });

  it('softplus, with beta, and past the threshold', () => {
    const [x] = randn64(7, [3, 4]);
    expectGradOk((t) => softplus(t), [x.mul(3)]);
    expectGradOk((t) => softplus(t, 2), [x]);
    // Above the threshold softplus is the identity (gradient 1).
    expectGradOk((t) => softplus(t, 1, 1), [f64([-3, -0.5, 0.4, 1.5, 4])]);
  });

  it('softplus gradient is sigmoid', () => {
    const x = f64([-4, -1, 0, 0.5, 3]);
    const g = grad((t) => softplus(t).sum())(x);
    expectClose(g, values(x).map((v) => 1 / (1 + Math.exp(-v))));
  });
});

describe('softmax family passes gradCheck', () => {
  it('softmax over the last, first and a middle axis', () => {
    const [x] = randn64(10, [2, 3, 4]);
    expectGradOk((t) => softmax(t), [x]);
    expectGradOk((t) => softmax(t, 0), [x]);
    expectGradOk((t) => t.softmax(1), [x]);
  });

  it('logSoftmax over the last and first axis', () => {
    const [x] = randn64(11, [3, 4]);
    expectGradOk((t) => logSoftmax(t), [x]);
    expectGradOk((t) => t.logSoftmax(0), [x]);
  });

  it('softmax with large logits (shifted internally)', () => {
    const [x] = randn64(12, [2, 3]);
    expectGradOk((t) => softmax(t.add(500)), [x]);
    expectGradOk((t) => logSoftmax(t.mul(30)), [x]);
  });

  it('logsumexp: one axis, several axes, all, keepdim', () => {
    const [x] = randn64(13, [2, 3, 4]);
    expectGradOk((t) => logsumexp(t, -1), [x]);
    expectGradOk((t) => logsumexp(t, 1, true), [x]);
    expectGradOk((t) => logsumexp(t, [0, 2]), [x]);
    expectGradOk((t) => logsumexp(t, [0, 2], true), [x]);
    expectGradOk((t) => t.logsumexp(), [x]);
  });

  it('logsumexp gradient is softmax', () => {
    const [x] = randn64(14, [5]);
    const g = grad((t) => logsumexp(t, 0))(x);
    expectClose(g, softmax(x));
    expect(g.shape).toEqual([5]);
  });
});

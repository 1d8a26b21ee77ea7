import { describe, expect, it } from 'vitest';
import {
  broadcastTo, chunk, clone, concat, expand, flatten, flip, narrow, pad, permute, reshape, slice, split, squeeze, stack, tile,
  transpose, tril, triu, unsqueeze,
} from '@plexus/tensor';
import { grad } from '../src/index.js';
import { expectClose, expectGradOk, f64, randn64 } from './helpers.js';

describe('shape ops pass gradCheck', () => {
  it('reshape and view', () => {
    const [x] = randn64(1, [2, 3, 4]);
    expectGradOk((t) => reshape(t, [6, 4]), [x]);
    expectGradOk((t) => t.reshape([4, -1]), [x]);
    expectGradOk((t) => t.view([24]), [x]);
  });

  it('flatten', () => {
    const [x] = randn64(2, [2, 3, 4]);
    expectGradOk((t) => flatten(t), [x]);
    expectGradOk((t) => t.flatten(1), [x]);
    expectGradOk((t) => t.flatten(0, 1), [x]);
  });

  it('squeeze and unsqueeze', () => {
    const [x] = randn64(3, [2, 1, 3, 1]);
    expectGradOk((t) => squeeze(t), [x]);
    expectGradOk((t) => t.squeeze(1), [x]);
    expectGradOk((t) => t.squeeze([1, 3]), [x]);
    expectGradOk((t) => unsqueeze(t, 0), [x]);
    expectGradOk((t) => t.unsqueeze(-1), [x]);
  });

  it('transpose and permute', () => {
    const [x] = randn64(4, [2, 3, 4]);
    expectGradOk((t) => transpose(t), [x]);
    expectGradOk((t) => t.transpose(0, 2), [x]);
    expectGradOk((t) => permute(t, [2, 0, 1]), [x]);
    expectGradOk((t) => t.permute([1, 2, 0]).mul(t.permute([1, 2, 0])), [x]);
    const [m] = randn64(5, [3, 4]);
    expectGradOk((t) => t.t(), [m]);
  });

  it('clone stays in the graph', () => {
    const [x] = randn64(19, [2, 3]);
    expectGradOk((t) => t.clone().mul(t), [x]);
    expectGradOk((t) => clone(t.sin()), [x]);
  });

  it('expand and broadcastTo', () => {
    const [x] = randn64(6, [3, 1]);
    expectGradOk((t) => expand(t, [3, 4]), [x]);
    expectGradOk((t) => t.expand([2, 3, 4]), [x]);
    expectGradOk((t) => broadcastTo(t, [2, 3, 5]), [x]);
    const [v] = randn64(7, [4]);
    expectGradOk((t) => t.broadcastTo([2, 3, 4]), [v]);
  });

  it('expand sums the gradient over the repeated dims', () => {
    const g = grad((t) => t.expand([2, 3, 4]).sum())(f64([[1], [2], [3]]));
    expectClose(g, [8, 8, 8]);
    expect(g.shape).toEqual([3, 1]);
  });
});

describe('joining and splitting pass gradCheck', () => {
  it('concat along each axis, three inputs', () => {
    const [a, b, c] = randn64(8, [2, 3], [2, 3], [2, 3]);
    expectGradOk((p, q, r) => concat([p, q, r], 0), [a, b, c]);
    expectGradOk((p, q, r) => concat([p, q, r], 1), [a, b, c]);
    expectGradOk((p, q) => concat([p, q, p], -1), [a, b]);
  });

  it('concat of different sizes along the axis', () => {
    const [a, b] = randn64(9, [2, 1], [2, 4]);
    expectGradOk((p, q) => concat([p, q], 1), [a, b]);
  });

  it('stack on a new first, middle and last axis', () => {
    const [a, b] = randn64(10, [2, 3], [2, 3]);
    expectGradOk((p, q) => stack([p, q]), [a, b]);
    expectGradOk((p, q) => stack([p, q], 1), [a, b]);
    expectGradOk((p, q) => stack([p, q], -1), [a, b]);
  });

  it('split by size and by sizes; pieces used unevenly', () => {
    const [x] = randn64(11, [5, 3]);
    expectGradOk((t) => {
      const [p, q, r] = split(t, 2);
      return concat([r, p.mul(q)], 0);
    }, [x]);
    expectGradOk((t) => {
      const [p, q] = t.split([1, 2], 1);
      return q.sum(1).mul(p.squeeze(1));
    }, [x]);
  });

  it('a split piece that is not used gets zero gradient', () => {
    const g = grad((t) => split(t, [1, 2])[1].sum())(f64([1, 2, 3]));
    expectClose(g, [0, 1, 1]);
  });

  it('chunk', () => {
    const [x] = randn64(12, [2, 6]);
    expectGradOk((t) => {
      const [p, q, r] = chunk(t, 3, 1);
      return p.mul(r).sub(q);
    }, [x]);
    expectGradOk((t) => t.chunk(2)[1], [x]);
  });
});

describe('slicing and padding pass gradCheck', () => {
  it('slice: plain, with step 2, with a negative start, with both', () => {
    const [x] = randn64(13, [4, 7]);
    expectGradOk((t) => slice(t, 1, 1, 5), [x]);
    expectGradOk((t) => slice(t, 1, 0, null, 2), [x]);
    expectGradOk((t) => slice(t, 1, 1, 6, 2), [x]);
    expectGradOk((t) => slice(t, 0, -3), [x]);
    expectGradOk((t) => t.slice(1, -5, -1, 2), [x]);
    expectGradOk((t) => t.slice(0, 1, null, 2).slice(1, -4, null, 3), [x]);
  });

  it('slice with step 2 puts the gradient on every other element', () => {
    expectClose(grad((t) => t.slice(0, -4, null, 2).sum())(f64([1, 2, 3, 4, 5])), [0, 1, 0, 1, 0]);
  });

  it('narrow', () => {
    const [x] = randn64(14, [3, 5]);
    expectGradOk((t) => narrow(t, 1, 1, 3), [x]);
    expectGradOk((t) => t.narrow(0, -2, 2), [x]);
  });

  it('pad with zeros and with a value, several dims', () => {
    const [x] = randn64(15, [2, 3]);
    expectGradOk((t) => pad(t, [1, 2]), [x]);
    expectGradOk((t) => pad(t, [0, 1, 2, 0], 3.5), [x]);
    expectGradOk((t) => t.pad([1, 1, 1, 1]).sin(), [x]);
  });

  it('tile', () => {
    const [x] = randn64(16, [2, 3]);
    expectGradOk((t) => tile(t, [2, 1]), [x]);
    expectGradOk((t) => t.tile([2, 1, 3]), [x]);
    expectGradOk((t) => t.tile([2]), [x]);
  });

  it('flip', () => {
    const [x] = randn64(17, [2, 3, 4]);
    expectGradOk((t) => flip(t, 0), [x]);
    expectGradOk((t) => t.flip([1, 2]), [x]);
    expectGradOk((t) => t.flip(-1).mul(t), [x]);
  });

  it('triu and tril with diagonals', () => {
    const [x] = randn64(18, [2, 3, 4]);
    expectGradOk((t) => triu(t), [x]);
    expectGradOk((t) => tril(t), [x]);
    expectGradOk((t) => t.triu(1), [x]);
    expectGradOk((t) => t.tril(-1), [x]);
  });

  it('tril passes the gradient only to the kept triangle', () => {
    expectClose(grad((t) => t.tril().sum())(f64([[1, 2], [3, 4]])), [1, 0, 1, 1]);
  });
});

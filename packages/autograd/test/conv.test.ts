import { describe, it } from 'vitest';
import { avgPool2d, conv1d, conv2d, convTranspose2d, maxPool2d } from '@plexus/tensor';
import { expectGradOk, randn64 } from './helpers.js';

describe('convolutions pass gradCheck (input, weight and bias)', () => {
  it('conv1d: plain, with stride, padding, dilation, groups and bias', () => {
    const [x, w, b] = randn64(1, [1, 2, 7], [4, 1, 3], [4]);
    expectGradOk((p, q) => conv1d(p, q.reshape([2, 2, 3])), [x, w]);
    expectGradOk((p, q, r) => conv1d(p, q, r, { stride: 2, padding: 1, dilation: 2, groups: 2 }), [x, w, b]);
  });

  it('conv2d without options', () => {
    const [x, w] = randn64(2, [1, 2, 4, 4], [2, 2, 2, 2]);
    expectGradOk((p, q) => conv2d(p, q), [x, w]);
  });

  it('conv2d: stride 2, padding 1, dilation 2, groups 2, with bias', () => {
    const [x, w, b] = randn64(3, [2, 4, 5, 5], [4, 2, 2, 2], [4]);
    expectGradOk((p, q, r) => conv2d(p, q, r, { stride: 2, padding: 1, dilation: 2, groups: 2 }), [x, w, b]);
  });

  it('conv2d: each option alone, and [C,H,W] input', () => {
    const [x, w, b] = randn64(4, [1, 2, 5, 4], [3, 2, 3, 2], [3]);
    expectGradOk((p, q, r) => conv2d(p, q, r, { stride: [2, 1] }), [x, w, b]);
    expectGradOk((p, q) => conv2d(p, q, null, { padding: [1, 2] }), [x, w]);
    expectGradOk((p, q) => conv2d(p, q, null, { dilation: [1, 2] }), [x, w]);
    expectGradOk((p, q) => conv2d(p.squeeze(0), q), [x, w]);
  });

  it('convTranspose2d: stride 2, padding 1, outputPadding 1, groups 2, with bias', () => {
    const [x, w, b] = randn64(5, [1, 4, 3, 3], [4, 1, 3, 3], [2]);
    expectGradOk((p, q, r) => convTranspose2d(p, q, r, { stride: 2, padding: 1, outputPadding: 1, groups: 2 }), [x, w, b]);
  });

  it('convTranspose2d: plain, and with dilation', () => {
    const [x, w] = randn64(6, [1, 2, 3, 3], [2, 3, 2, 2]);
    expectGradOk((p, q) => convTranspose2d(p, q), [x, w]);
    expectGradOk((p, q) => convTranspose2d(p, q, null, { dilation: 2, padding: 1 }), [x, w]);
  });
});

describe('pooling passes gradCheck', () => {
  it('maxPool2d: kernel 2, and kernel 3 with stride 2 and padding 1 (no ties)', () => {
    const [x] = randn64(7, [1, 2, 5, 5]);
    expectGradOk((p) => maxPool2d(p, 2), [x]);
    expectGradOk((p) => maxPool2d(p, 3, { stride: 2, padding: 1 }), [x]);
    expectGradOk((p) => maxPool2d(p, [2, 3], { stride: [1, 2], padding: [1, 1] }), [x]);
  });

  it('avgPool2d: kernel 2, and kernel 3 with stride 2 and padding 1', () => {
    const [x] = randn64(8, [1, 2, 5, 5]);
    expectGradOk((p) => avgPool2d(p, 2), [x]);
    expectGradOk((p) => avgPool2d(p, 3, { stride: 2, padding: 1 }), [x]);
    expectGradOk((p) => avgPool2d(p.squeeze(0), [3, 2], { stride: [1, 2], padding: [1, 0] }), [x]);
  });
});

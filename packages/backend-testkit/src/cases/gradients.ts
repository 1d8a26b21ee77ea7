import { grad } from '@plexus/autograd';
import type { DType, Tensor } from '@plexus/tensor';
import * as T from '@plexus/tensor';
import type { GradCheckCase, GradientCase } from '../types.js';

const F: readonly DType[] = ['float32', 'float64'];

/**
 * Gradients taken through the backend under test and through the reference. Backends never write
 * gradient code, but the backward pass runs their primitives on new shapes (broadcast reductions,
 * scatterAdd for gather, transposed matmuls), so it is worth comparing.
 */
export const gradientCases: readonly GradientCase[] = [
  {
    op: 'elementwise',
    name: 'tanh·sigmoid + exp/(1+y²) with broadcasting',
    dtypes: F,
    inputs: (c) => [c.input([3, 4]), c.input([4])],
    fn: (x, y) => T.add(T.mul(T.tanh(x), T.sigmoid(y)), T.div(T.exp(x), T.add(T.mul(y, y), 1))),
  },
  {
    op: 'elementwise',
    name: 'sin, cos, log, sqrt, erf, abs, pow',
    dtypes: F,
    inputs: (c) => [c.uniform([2, 5], 0.2, 2), c.input([2, 5])],
    fn: (x, y) =>
      T.add(T.add(T.mul(T.sin(y), T.cos(x)), T.mul(T.log(x), T.sqrt(x))), T.add(T.mul(T.erf(y), T.abs(y)), T.pow(x, y))),
  },
  {
    op: 'elementwise',
    name: 'maximum, minimum, where, clamp',
    dtypes: F,
    inputs: (c) => [c.input([3, 4]), c.input([3, 4])],
    fn: (x, y) => T.add(T.add(T.maximum(x, y), T.minimum(x, T.mul(y, 2))), T.add(T.where(T.greater(x, 0), x, y), T.clamp(y, -0.5, 0.5))),
  },
  { op: 'sum', name: 'over axes [0,2] and keepdim', dtypes: F, inputs: (c) => [c.input([2, 3, 4])], fn: (x) => T.add(T.sum(x, [0, 2]), T.sum(x, 1, true).sum(0).sum(1)) },
  { op: 'mean/var', name: 'over the last axis', dtypes: F, inputs: (c) => [c.input([3, 5])], fn: (x) => T.add(T.mean(x, 1), T.variance(x, 1)) },
  { op: 'max', name: 'over an axis (distinct values)', dtypes: F, inputs: (c) => [c.input([4, 5])], fn: (x) => T.max(x, 1) },
  { op: 'prod', name: 'over an axis', dtypes: F, inputs: (c) => [c.uniform([3, 4], 0.5, 1.5)], fn: (x) => T.prod(x, 1) },
  { op: 'gelu', name: 'exact and tanh', dtypes: F, inputs: (c) => [c.input([3, 5])], fn: (x) => T.add(T.gelu(T.mul(x, 2)), T.gelu(x, 'tanh')) },
  { op: 'logsumexp', name: 'over one and two dims', dtypes: F, inputs: (c) => [c.input([2, 3, 4])], fn: (x) => T.add(T.logsumexp(x, 2), T.logsumexp(x, [0, 2]).reshape([1, 3])) },
  {
    op: 'movement',
    name: 'reshape, permute, expand, slice, pad, concat, flip',
    dtypes: F,
    inputs: (c) => [c.input([2, 3, 4]), c.input([3, 1])],
    fn: (x, y) => {
      const a = T.permute(T.reshape(x, [6, 4]), [1, 0]); // [4,6]
      const b = T.expand(y, [3, 4]); // [3,4]
      const s = T.slice(a, 1, 1, 6, 2); // [4,3]
      const p = T.pad(T.permute(b, [1, 0]), [1, 0], 0.5); // [4,4]
      return T.flip(T.concat([s, p], 1), 1).mul(T.arange(7, undefined, 1, { backend: x.backend }).cast(x.dtype));
    },
  },
  {
    op: 'gather/scatterAdd',
    name: 'through indices with repeats',
    dtypes: F,
    inputs: (c) => [c.input([4, 5]), c.input([6, 5]), c.ints([6, 5], 0, 4)],
    fn: (x, src, index) => T.add(T.scatterAdd(x, 0, index, src), T.gather(x, 0, index).sum(0).reshape([1, 5])),
  },
  { op: 'indexSelect', name: 'rows with repeats', dtypes: F, inputs: (c) => [c.input([4, 3]), c.ints([5], 0, 4)], fn: (x, i) => T.indexSelect(x, 0, i) },
  { op: 'matmul', name: 'batch broadcast [2,1,3,4] @ [3,4,2]', dtypes: F, inputs: (c) => [c.input([2, 1, 3, 4]), c.input([3, 4, 2])], fn: (a, b) => T.matmul(a, b) },
  { op: 'matmul', name: 'vector @ matrix', dtypes: F, inputs: (c) => [c.input([4]), c.input([4, 3])], fn: (a, b) => T.matmul(a, b) },
  {
    op: 'conv2d',
    name: 'stride 2, padding 1, groups 2, bias',
    dtypes: F,
    inputs: (c) => [c.input([2, 4, 5, 5]), c.input([6, 2, 3, 3]), c.input([6])],
    fn: (x, w, b) => T.conv2d(x, w, b, { stride: 2, padding: 1, groups: 2 }),
    toleranceScale: 4,
  },
  {
    op: 'convTranspose2d',
    name: 'stride 2, padding 1, bias',
    dtypes: F,
    inputs: (c) => [c.input([1, 3, 3, 3]), c.input([3, 2, 3, 3]), c.input([2])],
    fn: (x, w, b) => T.convTranspose2d(x, w, b, { stride: 2, padding: 1, outputPadding: 1 }),
    toleranceScale: 4,
  },
  { op: 'maxPool2d', name: 'kernel 3, stride 2, padding 1', dtypes: F, inputs: (c) => [c.input([2, 2, 6, 6])], fn: (x) => T.maxPool2d(x, 3, { stride: 2, padding: 1 }) },
  { op: 'avgPool2d', name: 'kernel 2', dtypes: F, inputs: (c) => [c.input([2, 2, 6, 6])], fn: (x) => T.avgPool2d(x, 2) },
  { op: 'softmax', name: 'last axis', dtypes: F, inputs: (c) => [c.input([3, 5])], fn: (x) => T.softmax(x, -1) },
  { op: 'logSoftmax', name: 'axis 0', dtypes: F, inputs: (c) => [c.input([4, 3])], fn: (x) => T.logSoftmax(x, 0) },
  {
    op: 'mlp',
    name: 'third order: parameter gradient of Σ u_xx² (PINN-style)',
    dtypes: F,
    inputs: (c) => [c.input([4, 1]), c.input([1, 6]), c.input([6]), c.input([6, 1])],
    fn: (x, w1, b1, w2) => {
      const u = T.matmul(T.tanh(T.add(T.matmul(x, w1), b1)), w2);
      const [ux] = grad(u.sum(), x, { createGraph: true });
      const [uxx] = grad(ux.sum(), x, { createGraph: true });
      return T.mul(uxx, uxx).sum();
    },
    toleranceScale: 10,
  },
];

/** 2-layer tanh MLP: x [N, 2] → [N, 1]. */
function mlp(x: Tensor, w1: Tensor, b1: Tensor, w2: Tensor, b2: Tensor): Tensor {
  return T.add(T.matmul(T.tanh(T.add(T.matmul(x, w1), b1)), w2), b2);
}

/** Finite-difference checks in float64, on the backend under test only. */
export const gradCheckCases: readonly GradCheckCase[] = [
  { op: 'tanh∘matmul', name: 'gradCheck and gradGradCheck', secondOrder: true, inputs: (c) => [c.input([3, 4]), c.input([4, 2])], fn: (a, b) => T.tanh(T.matmul(a, b)) },
  { op: 'softmax', name: 'gradCheck and gradGradCheck', secondOrder: true, inputs: (c) => [c.input([2, 5])], fn: (x) => T.softmax(x, -1) },
  { op: 'gelu', name: 'exact: gradCheck and gradGradCheck', secondOrder: true, inputs: (c) => [c.input([3, 4])], fn: (x) => T.gelu(T.mul(x, 2)) },
  { op: 'gelu', name: 'tanh: gradCheck and gradGradCheck', secondOrder: true, inputs: (c) => [c.input([3, 4])], fn: (x) => T.gelu(T.mul(x, 2), 'tanh') },
  {
    op: 'conv2d',
    name: 'gradCheck and gradGradCheck',
    secondOrder: true,
    inputs: (c) => [c.input([1, 2, 4, 4]), c.input([2, 2, 3, 3]), c.input([2])],
    fn: (x, w, b) => T.conv2d(x, w, b, { padding: 1 }),
  },
  {
    // Second derivatives through the pools' and the weight gradient's backward ops.
    op: 'maxPool2d∘conv2d',
    name: 'gradCheck and gradGradCheck',
    secondOrder: true,
    inputs: (c) => [c.input([1, 2, 5, 5]), c.input([2, 2, 2, 2])],
    fn: (x, w) => T.maxPool2d(T.conv2d(x, w, null, { padding: 1 }).tanh(), 2, { stride: 1 }),
  },
  {
    op: 'avgPool2d∘conv2d',
    name: 'gradCheck and gradGradCheck',
    secondOrder: true,
    inputs: (c) => [c.input([1, 2, 5, 5]), c.input([2, 2, 2, 2])],
    fn: (x, w) => T.avgPool2d(T.conv2d(x, w, null, { padding: 1 }).tanh(), 3, { stride: 2, padding: 1 }),
  },
  {
    op: 'mlp',
    name: '2-layer tanh MLP, second derivative with createGraph',
    secondOrder: true,
    inputs: (c) => [c.input([3, 2]), c.input([2, 4]), c.input([4]), c.input([4, 1]), c.input([1])],
    fn: mlp,
  },
  {
    op: 'mlp',
    name: 'gradCheck of the parameter gradient of Σ u_xx (PINN-style)',
    secondOrder: false,
    inputs: (c) => [c.input([3, 1]), c.input([1, 4]), c.input([4]), c.input([4, 1])],
    fn: (x, w1, b1, w2) => {
      const u = T.matmul(T.tanh(T.add(T.matmul(x, w1), b1)), w2);
      const [ux] = grad(u.sum(), x, { createGraph: true });
      const [uxx] = grad(ux.sum(), x, { createGraph: true });
      return T.mul(uxx, uxx).sum();
    },
  },
];

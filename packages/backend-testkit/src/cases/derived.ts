import type { DType, Tensor } from '@plexus/tensor';
import * as T from '@plexus/tensor';
import { Generator } from '@plexus/tensor';
import type { CaseContext } from '../context.js';
import type { DerivedCase } from '../types.js';

const F: readonly DType[] = ['float32', 'float64'];
const FI: readonly DType[] = ['float32', 'float64', 'int32'];
const ALL: readonly DType[] = ['float32', 'float64', 'int32', 'bool'];

function ties(c: CaseContext, shape: readonly number[]): Tensor {
  const u = c.random(shape.reduce((a, b) => a * b, 1));
  return c.tensor(Array.from(u, (x) => Math.floor(x * 3)), shape);
}

/**
 * Ops `@plexus/tensor` builds from primitives. They pass only through primitives (and accelerated
 * ops), so they mostly check that primitives compose: odd shapes, strides and dtypes meet here.
 */
export const derivedCases: readonly DerivedCase[] = [
  // activations
  { op: 'relu', name: '[3,4] and int32 input', dtypes: FI, run: (c) => T.relu(c.input([3, 4])) },
  { op: 'leakyRelu', name: 'slope 0.1', dtypes: F, run: (c) => T.leakyRelu(c.input([3, 4]), 0.1) },
  { op: 'elu', name: 'alpha 1 and 0.5, large negatives', dtypes: F, run: (c) => [T.elu(T.mul(c.input([3, 4]), 30)), T.elu(c.input([3, 4]), 0.5)] },
  { op: 'gelu', name: 'exact and tanh approximation', dtypes: F, run: (c) => [T.gelu(T.mul(c.input([4, 5]), 3)), T.gelu(T.mul(c.input([4, 5]), 3), 'tanh')] },
  { op: 'silu', name: '[3,4]', dtypes: F, run: (c) => T.silu(T.mul(c.input([3, 4]), 4)) },
  { op: 'softplus', name: 'beta and threshold', dtypes: F, run: (c) => [T.softplus(T.mul(c.input([3, 4]), 30)), T.softplus(c.input([3, 4]), 2, 5)] },
  { op: 'softmax', name: 'bool input', dtypes: ['bool'], run: (c) => T.softmax(c.input([3, 4]), 1) },
  { op: 'logsumexp', name: 'several dims, keepdim', dtypes: F, run: (c) => [T.logsumexp(c.input([2, 3, 4]), [0, 2]), T.logsumexp(c.input([2, 3, 4]), 1, true), T.logsumexp(c.input([2, 3]))] },
  // reductions built on sum/max
  { op: 'mean', name: 'dims, keepdim and int32 input', dtypes: FI, run: (c) => [T.mean(c.input([3, 4, 5]), [0, 2]), T.mean(c.input([3, 4]), 1, true), T.mean(c.input([3, 4]))] },
  { op: 'var', name: 'correction 1 and 0, keepdim', dtypes: FI, run: (c) => [T.variance(c.input([4, 5]), 1), T.variance(c.input([4, 5]), 0, { correction: 0, keepdim: true }), T.variance(c.input([3, 4]))] },
  { op: 'std', name: 'dims', dtypes: F, run: (c) => [T.std(c.input([4, 5]), 1), T.std(c.input([2, 3, 4]), [0, 2])] },
  { op: 'any/all', name: 'dims and whole tensor', dtypes: ALL, run: (c) => [T.any(ties(c, [3, 4]), 1), T.all(ties(c, [3, 4]), 0, true), T.any(c.input([0, 3]), 0), T.all(c.input([0, 3]), 0)] },
  { op: 'argmax', name: 'ties pick the first index', dtypes: FI, run: (c) => [T.argmax(ties(c, [5, 6]), 1), T.argmin(ties(c, [5, 6]), 0), T.argmax(T.zeros([4], { backend: c.backend }))] },
  // elementwise compositions
  { op: 'where', name: 'JS number branches', dtypes: F, run: (c) => [T.where(T.greater(c.input([3, 4]), 0), 1.5, -2), T.where(c.bools([3, 4]), c.input([3, 4]), 0)] },
  { op: 'clamp', name: 'both bounds, one bound, int32', dtypes: FI, run: (c) => [T.clamp(c.input([3, 4]), -0.5, 0.5), T.clamp(c.input([3, 4]), null, 0), T.clamp(c.input([3, 4]), 1)] },
  { op: 'square/reciprocal', name: '[3,4]', dtypes: F, run: (c) => [T.square(c.input([3, 4])), T.reciprocal(T.add(T.abs(c.input([3, 4])), 0.5))] },
  { op: 'logical', name: 'not/and/or', dtypes: ALL, run: (c) => [T.logicalNot(ties(c, [3, 4])), T.logicalAnd(ties(c, [3, 4]), ties(c, [4])), T.logicalOr(ties(c, [3, 1]), ties(c, [3, 4]))] },
  { op: 'isNaN/isFinite', name: 'special values', dtypes: F, run: (c) => { const x = c.tensor([NaN, Infinity, -Infinity, 0, 1, -1e30], [6]); return [T.isNaN(x), T.isFinite(x)]; } },
  { op: 'promotion', name: 'mixed dtypes', dtypes: ['int32'], run: (c) => [T.add(c.input([3]), c.input([3], 'float32')), T.mul(c.bools([3]), c.input([3])), T.concat([c.input([2]), c.input([2], 'float32')])] },
  // movement built on primitives
  { op: 'split/chunk', name: 'sizes, uneven chunks', dtypes: ALL, run: (c) => [...T.split(c.input([7, 3]), 3), ...T.split(c.input([3, 6]), [1, 2, 3], 1), ...T.chunk(c.input([2, 5]), 2, 1)] },
  { op: 'stack', name: 'new axis 0 and last', dtypes: ALL, run: (c) => [T.stack([c.input([2, 3]), c.input([2, 3]), c.input([2, 3])]), T.stack([c.input([2, 3]), c.input([2, 3])], -1), T.stack([c.input([]), c.input([])])] },
  { op: 'tile', name: 'more reps than dims', dtypes: ALL, run: (c) => [T.tile(c.input([2, 3]), [2, 2]), T.tile(c.input([3]), [2, 1, 2]), T.tile(c.input([2, 2]), [0, 1])] },
  { op: 'flip', name: 'one and two dims', dtypes: ALL, run: (c) => [T.flip(c.input([3, 4]), 0), T.flip(c.input([2, 3, 4]), [1, 2]), T.flip(c.input([0, 3]), 1)] },
  { op: 'triu/tril', name: 'diagonals and batches', dtypes: ALL, run: (c) => [T.triu(c.input([4, 5])), T.tril(c.input([4, 5]), -1), T.triu(c.input([2, 3, 3]), 1), T.tril(c.input([3, 2]), 1)] },
  { op: 'flatten/squeeze/unsqueeze/transpose', name: 'shape helpers', dtypes: ALL, run: (c) => [T.flatten(c.input([2, 3, 4]), 1), T.squeeze(c.input([2, 1, 3, 1])), T.unsqueeze(c.input([2, 3]), 1), T.transpose(c.input([2, 3, 4]), 0, 2), T.t(c.input([3, 5]))] },
  { op: 'narrow', name: 'negative start', dtypes: ALL, run: (c) => T.narrow(c.input([6, 3]), 0, -4, 3) },
  { op: 'indexSelect', name: 'repeats, axis 1', dtypes: ALL, run: (c) => [T.indexSelect(c.input([4, 5]), 0, c.ints([6], 0, 4)), T.indexSelect(c.input([3, 5, 2]), 1, c.ints([3], 0, 5))] },
  { op: 'oneHot', name: '3 classes and a batch', dtypes: ['int32'], run: (c) => [T.oneHot(c.ints([5], 0, 3), 3), T.oneHot(c.ints([2, 3], 0, 4), 4)] },
  // creation on the backend
  { op: 'creation', name: 'full/arange/linspace/eye', dtypes: F, run: (c) => { const o = { backend: c.backend, dtype: c.dtype }; return [T.full([2, 3], 2.5, o), T.arange(0, 2, 0.25, o), T.linspace(-1, 1, 7, o), T.eye(3, 4, o), T.zerosLike(c.input([2, 2])), T.arange(5, undefined, 1, { backend: c.backend })]; } },
  { op: 'random', name: 'seeded rand/randn/randint on the backend', dtypes: F, run: (c) => { const g = new Generator(7); const o = { backend: c.backend, dtype: c.dtype, generator: g }; return [T.rand([3, 4], o), T.randn([5], o), T.randint(0, 10, [6], { backend: c.backend, generator: g })]; } },
  // linear algebra and convolution built from primitives
  { op: 'matmul', name: 'vector @ batched matrix, broadcast batch', dtypes: FI, run: (c) => [T.matmul(c.input([5]), c.input([2, 5, 3])), T.matmul(c.input([2, 1, 4, 5]), c.input([1, 3, 5, 2])), T.matmul(c.input([2, 3, 4]), c.input([4]))] },
  { op: 'conv1d', name: 'stride, padding, dilation, groups, bias', dtypes: F, run: (c) => [T.conv1d(c.input([2, 3, 9]), c.input([4, 3, 3]), c.input([4]), { stride: 2, padding: 1 }), T.conv1d(c.input([1, 4, 10]), c.input([6, 2, 3]), null, { groups: 2, dilation: 2 }), T.conv1d(c.input([3, 8]), c.input([2, 3, 4]))] },
  { op: 'conv2d', name: 'int32 input', dtypes: ['int32'], run: (c) => T.conv2d(c.input([1, 2, 4, 4]), c.input([3, 2, 2, 2]), null, { padding: 1 }) },
  { op: 'conv2d → maxPool2d → relu', name: 'a small CNN stage', dtypes: F, run: (c) => T.relu(T.maxPool2d(T.conv2d(c.input([2, 3, 8, 8]), c.input([4, 3, 3, 3]), c.input([4]), { padding: 1 }), 2)), toleranceScale: 2 },
  { op: 'convTranspose2d → avgPool2d', name: 'decoder stage', dtypes: F, run: (c) => T.avgPool2d(T.convTranspose2d(c.input([1, 4, 3, 3]), c.input([4, 2, 4, 4]), c.input([2]), { stride: 2, padding: 1 }), 2), toleranceScale: 2 },
  // common model pieces
  {
    op: 'attention',
    name: 'softmax(q kᵀ / √d) v with a causal mask',
    dtypes: F,
    run: (c) => {
      const [q, k, v] = [c.input([2, 5, 8]), c.input([2, 5, 8]), c.input([2, 5, 8])];
      const mask = T.tril(T.ones([5, 5], { backend: c.backend }));
      const scores = T.where(T.equal(mask, 0), -Infinity, T.div(T.matmul(q, T.transpose(k, -2, -1)), Math.sqrt(8)));
      return T.matmul(T.softmax(scores, -1), v);
    },
    toleranceScale: 4,
  },
  {
    op: 'layerNorm',
    name: '(x − mean) / √(var + eps) · γ + β',
    dtypes: F,
    run: (c) => {
      const x = c.input([3, 6]);
      const mu = T.mean(x, -1, true);
      const y = T.div(T.sub(x, mu), T.sqrt(T.add(T.variance(x, -1, { correction: 0, keepdim: true }), 1e-5)));
      return T.add(T.mul(y, c.input([6])), c.input([6]));
    },
    toleranceScale: 4,
  },
  {
    op: 'crossEntropy',
    name: 'logSoftmax, gather, mean',
    dtypes: F,
    run: (c) => {
      const logits = c.input([4, 5]);
      const target = c.ints([4, 1], 0, 5);
      return T.neg(T.mean(T.gather(T.logSoftmax(logits, 1), 1, target)));
    },
  },
];

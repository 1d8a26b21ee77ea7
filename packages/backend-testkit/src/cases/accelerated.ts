import type { DType, Tensor } from '@plexus/tensor';
import * as T from '@plexus/tensor';
import type { CaseContext } from '../context.js';
import type { AcceleratedCase, AcceleratedCaseTable } from '../types.js';

const F: readonly DType[] = ['float32', 'float64'];
const FI: readonly DType[] = ['float32', 'float64', 'int32'];

/** Rows with some (not all) entries masked to −∞, as attention masks make them. */
function masked(c: CaseContext, rows: number, cols: number): Tensor {
  const v = Array.from(c.normal(rows * cols));
  for (let r = 0; r < rows; r++) for (let k = 0; k <= r % (cols - 1); k++) v[r * cols + ((r + k) % cols)] = -Infinity;
  return c.tensor(v, [rows, cols]);
}

type SoftFn = (x: Tensor, dim: number) => Tensor;

function softmaxLike(f: SoftFn): AcceleratedCase[] {
  return [
    { name: '[4,7] last axis', dtypes: F, run: (c) => f(c.input([4, 7]), -1) },
    { name: '[5,3] axis 0', dtypes: F, run: (c) => f(c.input([5, 3]), 0) },
    { name: '[2,3,4] middle axis', dtypes: F, run: (c) => f(c.input([2, 3, 4]), 1) },
    { name: 'large values need the max shift', dtypes: F, run: (c) => f(T.mul(c.input([3, 5]), 500), 1) },
    { name: 'rows partly masked with -inf', dtypes: F, run: (c) => f(masked(c, 4, 5), -1) },
    { name: 'long rows [2,1000]', dtypes: F, run: (c) => f(T.mul(c.input([2, 1000]), 4), 1), toleranceScale: 10 },
    { name: 'single element and size-1 axis', dtypes: F, run: (c) => [f(c.input([1]), 0), f(c.input([3, 1]), 1)] },
    { name: 'zero-size [0,5]', dtypes: F, run: (c) => f(c.input([0, 5]), 1) },
    { name: 'int32 input gives float32', dtypes: ['int32'], run: (c) => f(c.input([3, 4]), 1) },
  ];
}

const logsumexpCases: AcceleratedCase[] = [
  { name: '[4,7] dim 1', dtypes: F, run: (c) => T.logsumexp(c.input([4, 7]), 1) },
  { name: '[5,3] dim 0', dtypes: F, run: (c) => T.logsumexp(c.input([5, 3]), 0) },
  { name: '[2,3,4] middle dim', dtypes: F, run: (c) => T.logsumexp(c.input([2, 3, 4]), 1) },
  { name: 'large values need the max shift', dtypes: F, run: (c) => T.logsumexp(T.mul(c.input([3, 5]), 500), 1) },
  { name: 'a row of all -inf gives -inf', dtypes: F, run: (c) => T.logsumexp(c.tensor([-Infinity, -Infinity, -Infinity, 1, -Infinity, 2], [2, 3]), 1) },
  { name: 'rows partly masked with -inf', dtypes: F, run: (c) => T.logsumexp(masked(c, 4, 5), 1) },
  { name: 'long rows [2,1000]', dtypes: F, run: (c) => T.logsumexp(c.input([2, 1000]), 1), toleranceScale: 10 },
  { name: 'int32 input gives float32', dtypes: ['int32'], run: (c) => T.logsumexp(c.input([3, 4]), 1) },
];

// Convolutions: [N, C, H, W] inputs, PyTorch's weight layouts.
const conv2dCases: AcceleratedCase[] = [
  { name: '3x3 [2,3,6,6] with 4 filters', dtypes: F, run: (c) => T.conv2d(c.input([2, 3, 6, 6]), c.input([4, 3, 3, 3])) },
  { name: 'stride 2, padding 1, bias', dtypes: F, run: (c) => T.conv2d(c.input([2, 3, 7, 7]), c.input([4, 3, 3, 3]), c.input([4]), { stride: 2, padding: 1 }) },
  { name: 'dilation 2, padding 2', dtypes: F, run: (c) => T.conv2d(c.input([1, 2, 7, 8]), c.input([3, 2, 3, 3]), null, { dilation: 2, padding: 2 }) },
  { name: 'groups 2', dtypes: F, run: (c) => T.conv2d(c.input([2, 4, 5, 5]), c.input([6, 2, 3, 3]), c.input([6]), { groups: 2, padding: 1 }) },
  { name: 'depthwise (groups = channels)', dtypes: F, run: (c) => T.conv2d(c.input([1, 3, 5, 6]), c.input([6, 1, 3, 3]), null, { groups: 3 }) },
  { name: 'non-square kernel, stride [2,1], padding [0,1]', dtypes: F, run: (c) => T.conv2d(c.input([2, 2, 7, 5]), c.input([3, 2, 3, 2]), c.input([3]), { stride: [2, 1], padding: [0, 1] }) },
  { name: '1x1 kernel', dtypes: F, run: (c) => T.conv2d(c.input([2, 5, 3, 4]), c.input([3, 5, 1, 1])) },
  { name: 'kernel as large as the input', dtypes: F, run: (c) => T.conv2d(c.input([2, 2, 3, 3]), c.input([4, 2, 3, 3])) },
  { name: 'unbatched [C,H,W]', dtypes: F, run: (c) => T.conv2d(c.input([3, 5, 5]), c.input([2, 3, 3, 3]), c.input([2]), { padding: 1 }) },
  { name: 'more channels [2,16,8,8] with 8 filters', dtypes: F, run: (c) => T.conv2d(c.input([2, 16, 8, 8]), c.input([8, 16, 3, 3]), null, { padding: 1 }), toleranceScale: 4 },
  // Stride 1 on rows wide enough for backend-cpu's padded-width path (no im2col).
  {
    name: 'stride 1 on wide rows: padding, dilation, groups',
    dtypes: F,
    run: (c) => [
      T.conv2d(c.input([2, 3, 5, 9]), c.input([4, 3, 3, 3]), c.input([4]), { padding: 1 }),
      T.conv2d(c.input([1, 4, 6, 20]), c.input([6, 2, 3, 3]), null, { dilation: 2, padding: [1, 2], groups: 2 }),
      T.conv2d(c.input([3, 2, 7, 12]), c.input([5, 2, 5, 5]), null, { padding: 2 }),
    ],
  },
];

const convTranspose2dCases: AcceleratedCase[] = [
  { name: '3x3 [2,3,4,4] to 2 channels', dtypes: F, run: (c) => T.convTranspose2d(c.input([2, 3, 4, 4]), c.input([3, 2, 3, 3])) },
  { name: 'stride 2, padding 1, outputPadding 1, bias', dtypes: F, run: (c) => T.convTranspose2d(c.input([2, 3, 4, 4]), c.input([3, 2, 3, 3]), c.input([2]), { stride: 2, padding: 1, outputPadding: 1 }) },
  { name: 'groups 2', dtypes: F, run: (c) => T.convTranspose2d(c.input([1, 4, 3, 3]), c.input([4, 3, 3, 3]), c.input([6]), { groups: 2, stride: 2 }) },
  { name: 'dilation 2', dtypes: F, run: (c) => T.convTranspose2d(c.input([1, 2, 4, 3]), c.input([2, 3, 3, 3]), null, { dilation: 2, padding: 1 }) },
  { name: 'non-square kernel and stride', dtypes: F, run: (c) => T.convTranspose2d(c.input([2, 2, 3, 4]), c.input([2, 3, 2, 3]), null, { stride: [2, 1], padding: [0, 1] }) },
  { name: 'unbatched [C,H,W]', dtypes: F, run: (c) => T.convTranspose2d(c.input([3, 4, 4]), c.input([3, 2, 3, 3]), c.input([2]), { stride: 2 }) },
  // Stride 1 on wide rows: backend-cpu computes these as convolutions with the flipped weight.
  {
    name: 'stride 1 on wide rows: padding, groups, dilation',
    dtypes: F,
    run: (c) => [
      T.convTranspose2d(c.input([2, 3, 5, 10]), c.input([3, 2, 3, 3]), c.input([2]), { padding: 1 }),
      T.convTranspose2d(c.input([1, 4, 4, 12]), c.input([4, 3, 3, 3]), null, { groups: 2 }),
      T.convTranspose2d(c.input([1, 2, 5, 14]), c.input([2, 3, 3, 3]), null, { dilation: 2, padding: [1, 3] }),
    ],
  },
];

function poolCases(f: typeof T.maxPool2d, dtypes: readonly DType[]): AcceleratedCase[] {
  return [
    { name: 'kernel 2', dtypes, run: (c) => f(c.input([2, 3, 6, 6]), 2) },
    { name: 'kernel 3, stride 2, padding 1', dtypes, run: (c) => f(c.input([2, 2, 7, 7]), 3, { stride: 2, padding: 1 }) },
    { name: 'non-square kernel [2,3], stride [1,2]', dtypes, run: (c) => f(c.input([1, 2, 5, 7]), [2, 3], { stride: [1, 2] }) },
    { name: 'overlapping windows (stride 1)', dtypes, run: (c) => f(c.input([1, 3, 5, 5]), 3, { stride: 1, padding: 1 }) },
    { name: 'window leaves a remainder', dtypes, run: (c) => f(c.input([1, 2, 7, 6]), 2) },
    { name: 'unbatched [C,H,W]', dtypes, run: (c) => f(c.input([3, 4, 4]), 2) },
    // Rows of 19 and 14 windows: a vector kernel's full steps, its masked tail, and a short row.
    { name: 'kernel 2 on wide rows', dtypes, run: (c) => [f(c.input([1, 2, 6, 38]), 2), f(c.input([2, 2, 4, 28]), 2)] },
  ];
}

// conv2dWeightGrad(x, g, kernel, options): g has the convolution's output shape (or fewer windows).
const conv2dWeightGradCases: AcceleratedCase[] = [
  { name: '3x3 [2,3,6,6] with 4 filters', dtypes: F, run: (c) => T.conv2dWeightGrad(c.input([2, 3, 6, 6]), c.input([2, 4, 4, 4]), 3) },
  {
    name: 'stride 2, padding 1, dilation [1,2], groups 2',
    dtypes: F,
    run: (c) => T.conv2dWeightGrad(c.input([2, 4, 7, 7]), c.input([2, 6, 4, 3]), 3, { stride: 2, padding: 1, dilation: [1, 2], groups: 2 }),
  },
  { name: 'fewer windows than the convolution has', dtypes: F, run: (c) => T.conv2dWeightGrad(c.input([1, 2, 6, 6]), c.input([1, 3, 1, 2]), 3, { stride: 2 }) },
  { name: "5x5 'same' over a batch of 9 (threads split the batch)", dtypes: F, run: (c) => T.conv2dWeightGrad(c.input([9, 4, 8, 8]), c.input([9, 6, 8, 8]), 5, { padding: 2 }), toleranceScale: 8 },
  { name: 'depthwise (groups = channels), non-square kernel', dtypes: F, run: (c) => T.conv2dWeightGrad(c.input([2, 3, 5, 6]), c.input([2, 6, 4, 4]), [2, 3], { groups: 3 }) },
  { name: 'unbatched [C,H,W]', dtypes: F, run: (c) => T.conv2dWeightGrad(c.input([3, 5, 5]), c.input([2, 5, 5]), 3, { padding: 1 }) },
  {
    name: 'stride 1 on wide rows: padding, groups, dilation, fewer windows',
    dtypes: F,
    run: (c) => [
      T.conv2dWeightGrad(c.input([3, 4, 6, 12]), c.input([3, 5, 6, 12]), 3, { padding: 1 }),
      T.conv2dWeightGrad(c.input([2, 4, 5, 16]), c.input([2, 6, 5, 12]), [3, 5], { padding: [1, 0], groups: 2 }),
      T.conv2dWeightGrad(c.input([1, 2, 6, 20]), c.input([1, 3, 2, 14]), 3, { dilation: 2, padding: 1 }),
    ],
    toleranceScale: 4,
  },
  {
    // Only the windows that hold the infinity (at a row end) get it: a shortcut computing extra
    // columns past the row end must not multiply it by their zero gradients (0·∞ is NaN).
    name: 'an infinity in the input',
    dtypes: F,
    run: (c) => T.conv2dWeightGrad(c.tensor(Array.from({ length: 96 }, (_, i) => (i === 35 ? Infinity : ((i * 7) % 11) / 5 - 1)), [1, 2, 4, 12]), c.input([1, 3, 4, 12]), 3, { padding: 1 }),
  },
];

/** A window holding a NaN (its max, which takes the whole gradient as NaN), next to ordinary ones. */
function nanPool(c: CaseContext): Tensor {
  return c.tensor([NaN, 1, 3, 4, 2, 0, 5, 1, 1, 1, 0, -1, 7, 2, 0, NaN], [1, 1, 4, 4]);
}

/** Ties (shared evenly) and windows of −∞. */
function tiedPool(c: CaseContext): Tensor {
  return c.tensor([1, 1, -Infinity, -Infinity, 1, 1, -Infinity, -Infinity, 0, 2, 2, 0, 2, 0, 0, 2], [1, 1, 4, 4]);
}

// maxPool2dBackward(x, g, ...): g has maxPool2d's output shape.
const maxPool2dBackwardCases: AcceleratedCase[] = [
  { name: 'kernel 2', dtypes: F, run: (c) => T.maxPool2dBackward(c.input([2, 3, 6, 6]), c.input([2, 3, 3, 3]), 2) },
  { name: 'kernel 3, stride 2, padding 1 (overlapping)', dtypes: F, run: (c) => T.maxPool2dBackward(c.input([2, 2, 7, 7]), c.input([2, 2, 4, 4]), 3, { stride: 2, padding: 1 }) },
  { name: 'non-square kernel [2,3], stride [1,2]', dtypes: F, run: (c) => T.maxPool2dBackward(c.input([1, 2, 5, 7]), c.input([1, 2, 4, 3]), [2, 3], { stride: [1, 2] }) },
  { name: 'window leaves a remainder', dtypes: F, run: (c) => T.maxPool2dBackward(c.input([1, 2, 7, 6]), c.input([1, 2, 3, 3]), 2) },
  { name: 'ties and -inf', dtypes: F, run: (c) => T.maxPool2dBackward(tiedPool(c), c.input([1, 1, 2, 2]), 2) },
  { name: 'ties and -inf windows with padding', dtypes: F, run: (c) => T.maxPool2dBackward(tiedPool(c), c.input([1, 1, 3, 3]), 2, { padding: 1 }) },
  { name: 'unbatched [C,H,W]', dtypes: F, run: (c) => T.maxPool2dBackward(c.input([3, 4, 4]), c.input([3, 2, 2]), 2) },
  { name: 'kernel 2 on wide rows', dtypes: F, run: (c) => [T.maxPool2dBackward(c.input([1, 2, 6, 38]), c.input([1, 2, 3, 19]), 2), T.maxPool2dBackward(c.input([2, 2, 4, 29]), c.input([2, 2, 2, 14]), 2)] },
  { name: 'NaN in a window', dtypes: F, run: (c) => T.maxPool2dBackward(nanPool(c), c.input([1, 1, 2, 2]), 2) },
];

// avgPool2dBackward(g, inputShape, ...).
const avgPool2dBackwardCases: AcceleratedCase[] = [
  { name: 'kernel 2', dtypes: F, run: (c) => T.avgPool2dBackward(c.input([2, 3, 3, 3]), [2, 3, 6, 6], 2) },
  { name: 'kernel 3, stride 2, padding 1 (overlapping)', dtypes: F, run: (c) => T.avgPool2dBackward(c.input([2, 2, 4, 4]), [2, 2, 7, 7], 3, { stride: 2, padding: 1 }) },
  { name: 'non-square kernel [2,3], stride [1,2]', dtypes: F, run: (c) => T.avgPool2dBackward(c.input([1, 2, 4, 3]), [1, 2, 5, 7], [2, 3], { stride: [1, 2] }) },
  { name: 'window leaves a remainder', dtypes: F, run: (c) => T.avgPool2dBackward(c.input([1, 2, 3, 3]), [1, 2, 7, 6], 2) },
  { name: 'unbatched [C,H,W]', dtypes: F, run: (c) => T.avgPool2dBackward(c.input([3, 2, 2]), [3, 4, 4], 2) },
];

const geluCases: AcceleratedCase[] = [
  { name: 'exact, [4,5] over [-6, 6]', dtypes: F, run: (c) => T.gelu(T.mul(c.input([4, 5]), 3)) },
  { name: 'tanh approximation', dtypes: F, run: (c) => T.gelu(T.mul(c.input([4, 5]), 3), 'tanh') },
  { name: 'large magnitudes and infinities', dtypes: F, run: (c) => T.gelu(c.tensor([-1e4, -40, -8, 0, 8, 40, 1e4, Infinity, -Infinity], [9])) },
  { name: 'int32 input gives float32', dtypes: ['int32'], run: (c) => T.gelu(c.input([3, 4])) },
];

/** Accelerated ops: each case also runs with acceleration off, checking the decomposition. */
export const acceleratedCases: AcceleratedCaseTable = {
  softmax: softmaxLike(T.softmax),
  logSoftmax: softmaxLike(T.logSoftmax),
  logsumexp: logsumexpCases,
  gelu: geluCases,
  conv2d: conv2dCases,
  convTranspose2d: convTranspose2dCases,
  maxPool2d: [
    ...poolCases(T.maxPool2d, FI),
    { name: 'ties and -inf', dtypes: F, run: (c) => T.maxPool2d(c.tensor([1, 1, -Infinity, -Infinity, 1, 1, -Infinity, -Infinity, 0, 2, 2, 0, 2, 0, 0, 2], [1, 1, 4, 4]), 2) },
    { name: 'NaN in a window', dtypes: F, run: (c) => T.maxPool2d(nanPool(c), 2) },
  ],
  avgPool2d: poolCases(T.avgPool2d, FI),
  conv2dWeightGrad: conv2dWeightGradCases,
  maxPool2dBackward: maxPool2dBackwardCases,
  avgPool2dBackward: avgPool2dBackwardCases,
};

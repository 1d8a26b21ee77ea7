import type { AcceleratedName, Conv2dAttrs, Tensor } from '@plexus/tensor';
import {
  convTranspose2d, conv2d, exp, matmul, pad, reshape, sum, unsqueeze, windows, withGradMode,
} from '@plexus/tensor';
import { vjp } from '../engine.js';
import type { GradContext, GradRuleTable } from './types.js';

/**
 * The gradient of conv2d with respect to its weight: the im2col windows of the input times the
 * output gradient, summed over the batch. Shared by conv2d and convTranspose2d (whose weight
 * gradient is this with the roles of input and output swapped).
 */
function convWeightGrad(x: Tensor, g: Tensor, wShape: readonly number[], attrs: Conv2dAttrs): Tensor {
  const [N] = x.shape;
  const [O, Cg, kH, kW] = wShape;
  const [oH, oW] = g.shape.slice(2);
  const groups = attrs.groups;
  const p = attrs.padding;
  const cols = windows(pad(x, [p[1], p[1], p[0], p[0]]), [kH, kW], attrs.stride, attrs.dilation, [oH, oW]);
  const colsG = reshape(cols, [N, groups, Cg * kH * kW, oH * oW]);
  const gG = reshape(g, [N, groups, O / groups, oH * oW]);
  return reshape(sum(matmul(gG, colsG.transpose(-2, -1)), 0), wShape);
}

/** Gradient of an accelerated op through its decomposition (used where no cheaper rule exists). */
function throughDecomposition(g: Tensor, ctx: GradContext<AcceleratedName>): (Tensor | null)[] {
  const decompose = ctx.decompose;
  if (!decompose) throw new Error('autograd: an accelerated op was recorded without its decomposition');
  return vjp(() => withGradMode(true, decompose), ctx.inputs, g, ctx.needsGrad);
}

export const acceleratedRules: GradRuleTable<AcceleratedName> = {
  softmax: (g, { output: y, attrs }) => [y.mul(g.sub(sum(g.mul(y), attrs.axis, true)))],
  logSoftmax: (g, { output: y, attrs }) => [g.sub(exp(y).mul(sum(g, attrs.axis, true)))],
  logsumexp: (g, { inputs: [x], output: y, attrs }) => [unsqueeze(g, attrs.axis).mul(exp(x.sub(unsqueeze(y, attrs.axis))))],
  conv2d: (g, { inputs: [x, w, bias], attrs, needsGrad }) => {
    const [, , H, W] = x.shape;
    const [, , kH, kW] = w.shape;
    const [oH, oW] = g.shape.slice(2);
    const { stride: s, padding: p, dilation: d } = attrs;
    const outputPadding: [number, number] = [
      H - ((oH - 1) * s[0] - 2 * p[0] + d[0] * (kH - 1) + 1),
      W - ((oW - 1) * s[1] - 2 * p[1] + d[1] * (kW - 1) + 1),
    ];
    return [
      needsGrad[0] ? convTranspose2d(g, w, null, { ...attrs, outputPadding }) : null,
      needsGrad[1] ? convWeightGrad(x, g, w.shape, attrs) : null,
      bias && needsGrad[2] ? sum(g, [0, 2, 3]) : null,
    ];
  },
  convTranspose2d: (g, { inputs: [x, w, bias], attrs, needsGrad }) => {
    const { stride, padding, dilation, groups } = attrs;
    return [
      needsGrad[0] ? conv2d(g, w, null, { stride, padding, dilation, groups }) : null,
      needsGrad[1] ? convWeightGrad(g, x, w.shape, attrs) : null,
      bias && needsGrad[2] ? sum(g, [0, 2, 3]) : null,
    ];
  },
  maxPool2d: throughDecomposition,
  avgPool2d: throughDecomposition,
};

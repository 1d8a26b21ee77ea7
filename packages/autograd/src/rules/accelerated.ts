import type { AcceleratedName, Tensor } from '@plexus/tensor';
import {
  avgPool2dBackward, conv2dWeightGrad, convTranspose2d, conv2d, erf, exp, maxPool2dBackward, sum, tanh, unsqueeze, withGradMode,
} from '@plexus/tensor';
import { vjp } from '../engine.js';
import type { GradContext, GradRuleTable } from './types.js';

/** Gradient of an accelerated op through its decomposition (used where no cheaper rule exists). */
function throughDecomposition(g: Tensor, ctx: GradContext<AcceleratedName>): (Tensor | null)[] {
  const decompose = ctx.decompose;
  if (!decompose) throw new Error('autograd: an accelerated op was recorded without its decomposition');
  return vjp(() => withGradMode(true, decompose), ctx.inputs, g, ctx.needsGrad);
}

/**
 * GELU's derivative, from primitives (so that it has derivatives of its own). One expression of
 * x, which a backend that defers elementwise ops computes in a single pass; differentiating the
 * decomposition instead would store several of its intermediates.
 */
function geluDerivative(x: Tensor, approximate: 'none' | 'tanh'): Tensor {
  if (approximate === 'tanh') {
    // d/dx ½x(1 + t), t = tanh(k(x + c·x³)): ½(1 + t) + ½x(1 − t²)·k(1 + 3c·x²).
    const k = Math.sqrt(2 / Math.PI);
    const c = 0.044715;
    const x2 = x.mul(x);
    const t = tanh(x.add(x2.mul(x).mul(c)).mul(k));
    return t.add(1).mul(0.5).add(x.mul(t.mul(t).neg().add(1)).mul(x2.mul(3 * c).add(1)).mul(0.5 * k));
  }
  // Φ(x) + x·φ(x), with Φ, φ the standard normal CDF and density.
  return erf(x.mul(Math.SQRT1_2)).add(1).mul(0.5).add(x.mul(exp(x.mul(x).mul(-0.5))).mul(1 / Math.sqrt(2 * Math.PI)));
}

export const acceleratedRules: GradRuleTable<AcceleratedName> = {
  softmax: (g, { output: y, attrs }) => [y.mul(g.sub(sum(g.mul(y), attrs.axis, true)))],
  logSoftmax: (g, { output: y, attrs }) => [g.sub(exp(y).mul(sum(g, attrs.axis, true)))],
  logsumexp: (g, { inputs: [x], output: y, attrs }) => [unsqueeze(g, attrs.axis).mul(exp(x.sub(unsqueeze(y, attrs.axis))))],
  gelu: (g, { inputs: [x], attrs }) => [g.mul(geluDerivative(x, attrs.approximate))],
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
      needsGrad[1] ? conv2dWeightGrad(x, g, [kH, kW], attrs) : null,
      bias && needsGrad[2] ? sum(g, [0, 2, 3]) : null,
    ];
  },
  convTranspose2d: (g, { inputs: [x, w, bias], attrs, needsGrad }) => {
    const { stride, padding, dilation, groups } = attrs;
    return [
      needsGrad[0] ? conv2d(g, w, null, { stride, padding, dilation, groups }) : null,
      // conv2d's weight gradient with the roles of input and output swapped.
      needsGrad[1] ? conv2dWeightGrad(g, x, [w.shape[2], w.shape[3]], { stride, padding, dilation, groups }) : null,
      bias && needsGrad[2] ? sum(g, [0, 2, 3]) : null,
    ];
  },
  // The pools' and conv2dWeightGrad's own gradients (second derivatives) go through their
  // decompositions.
  maxPool2d: (g, { inputs: [x], attrs }) => [maxPool2dBackward(x, g, attrs.kernel, attrs)],
  avgPool2d: (g, { inputs: [x], attrs }) => [avgPool2dBackward(g, x.shape, attrs.kernel, attrs)],
  conv2dWeightGrad: throughDecomposition,
  maxPool2dBackward: throughDecomposition,
  avgPool2dBackward: throughDecomposition,
};

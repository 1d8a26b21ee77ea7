import type { BinaryOp, CompareOp, Tensor, UnaryOp } from '@plexus/tensor';
import { cast, equal, exp, greater, less, log, mul, sumToShape, where } from '@plexus/tensor';
import type { GradRuleTable } from './types.js';

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

/** Rounding and sign are piecewise constant: no gradient flows (PyTorch gives zeros). */
const none = () => [null];

export const unaryRules: GradRuleTable<UnaryOp> = {
  neg: (g) => [g.neg()],
  abs: (g, { inputs: [x] }) => [g.mul(x.sign())],
  sign: none,
  floor: none,
  ceil: none,
  round: none,
  exp: (g, { output: y }) => [g.mul(y)],
  log: (g, { inputs: [x] }) => [g.div(x)],
  log1p: (g, { inputs: [x] }) => [g.div(x.add(1))],
  expm1: (g, { output: y }) => [g.mul(y.add(1))],
  sqrt: (g, { output: y }) => [g.div(y.mul(2))],
  rsqrt: (g, { output: y }) => [g.mul(y.mul(y).mul(y)).mul(-0.5)],
  sin: (g, { inputs: [x] }) => [g.mul(x.cos())],
  cos: (g, { inputs: [x] }) => [g.mul(x.sin()).neg()],
  // The factor multiplying g depends on y alone, so a higher-order pass differentiates it once
  // (g·(1 − y²) rather than g − g·y·y). sigmoid's y(1 − y) is written y − y·y: no constant 1 to
  // upload per use, one op fewer (an RNN step calls it three times).
  tanh: (g, { output: y }) => [g.mul(y.mul(y).neg().add(1))],
  sigmoid: (g, { output: y }) => [g.mul(y.sub(y.mul(y)))],
  erf: (g, { inputs: [x] }) => [g.mul(exp(x.mul(x).neg())).mul(TWO_OVER_SQRT_PI)],
};

/** The share of the gradient that goes to `a` in maximum/minimum: 1 where it wins, ½ on ties. */
function winnerShare(wins: Tensor, a: Tensor, b: Tensor): Tensor {
  return cast(wins, a.dtype).add(cast(equal(a, b), a.dtype).mul(0.5));
}

export const binaryRules: GradRuleTable<BinaryOp> = {
  add: (g, { inputs: [a, b], needsGrad: [na, nb] }) => [na ? sumToShape(g, a.shape) : null, nb ? sumToShape(g, b.shape) : null],
  sub: (g, { inputs: [a, b], needsGrad: [na, nb] }) => [na ? sumToShape(g, a.shape) : null, nb ? sumToShape(g.neg(), b.shape) : null],
  mul: (g, { inputs: [a, b], needsGrad: [na, nb] }) => [
    na ? sumToShape(g.mul(b), a.shape) : null,
    nb ? sumToShape(g.mul(a), b.shape) : null,
  ],
  div: (g, { inputs: [a, b], needsGrad: [na, nb] }) => [
    na ? sumToShape(g.div(b), a.shape) : null,
    nb ? sumToShape(g.mul(a).div(b.mul(b)).neg(), b.shape) : null,
  ],
  pow: (g, { inputs: [a, b], output: y, needsGrad: [na, nb] }) => [
    // d/da a^b = b·a^(b−1); d/db a^b = a^b·ln a, taken as 0 where a <= 0 (as PyTorch does at a = 0).
    na ? sumToShape(g.mul(b).mul(a.pow(b.sub(1))), a.shape) : null,
    nb ? sumToShape(g.mul(y).mul(where(greater(a, 0), log(where(greater(a, 0), a, 1)), 0)), b.shape) : null,
  ],
  maximum: (g, { inputs: [a, b], needsGrad: [na, nb] }) => {
    const share = winnerShare(greater(a, b), a, b);
    return [na ? sumToShape(mul(g, share), a.shape) : null, nb ? sumToShape(mul(g, share.neg().add(1)), b.shape) : null];
  },
  minimum: (g, { inputs: [a, b], needsGrad: [na, nb] }) => {
    const share = winnerShare(less(a, b), a, b);
    return [na ? sumToShape(mul(g, share), a.shape) : null, nb ? sumToShape(mul(g, share.neg().add(1)), b.shape) : null];
  },
};

const noGradients = () => [null, null];
/** Comparisons give bool outputs, which never reach the graph; listed for completeness. */
export const compareRules: GradRuleTable<CompareOp> = {
  equal: noGradients,
  notEqual: noGradients,
  less: noGradients,
  lessEqual: noGradients,
  greater: noGradients,
  greaterEqual: noGradients,
};

export const whereRules: GradRuleTable<'where' | 'cast'> = {
  where: (g, { inputs: [c, a, b], needsGrad: [, na, nb] }) => [
    null,
    na ? sumToShape(where(c, g, 0), a.shape) : null,
    nb ? sumToShape(where(c, 0, g), b.shape) : null,
  ],
  cast: (g, { inputs: [x] }) => [x.dtype === 'float32' || x.dtype === 'float64' ? cast(g, x.dtype) : null],
};

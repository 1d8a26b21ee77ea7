import { isFloating } from '../dtype.js';
import { ArgumentError } from '../errors.js';
import { runAccelerated } from '../dispatch.js';
import { normalizeAxes, normalizeAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import {
  abs, add, cast, erf, exp, expm1, greater, isFinite, log, log1p, maximum, minimum, mul, sigmoid, sub, tanh, where,
} from './elementwise.js';
import { zeros } from './creation.js';
import { detach, reshape } from './movement.js';
import { max, reducedShape, sum } from './reduce.js';
import { assertTensor } from './util.js';

function floatInput(op: string, x: Tensor): Tensor {
  assertTensor(op, x);
  return isFloating(x.dtype) ? x : cast(x, 'float32');
}

export function relu(x: Tensor): Tensor {
  const v = floatInput('relu', x);
  return where(greater(v, 0), v, 0);
}

export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  const v = floatInput('leakyRelu', x);
  return where(greater(v, 0), v, mul(v, negativeSlope));
}

/** x for x > 0, alpha·(exp(x) − 1) otherwise. The exp sees min(x, 0) so no branch overflows. */
export function elu(x: Tensor, alpha = 1): Tensor {
  const v = floatInput('elu', x);
  return where(greater(v, 0), v, mul(expm1(minimum(v, 0)), alpha));
}

/** Gaussian error linear unit: exact (erf) by default, or the tanh approximation. */
export function gelu(x: Tensor, approximate: 'none' | 'tanh' = 'none'): Tensor {
  const v = floatInput('gelu', x);
  if (approximate !== 'none' && approximate !== 'tanh') throw new ArgumentError(`gelu: approximate must be 'none' or 'tanh', got '${String(approximate)}'`);
  return runAccelerated('gelu', [v], { approximate }, { shape: v.shape, dtype: v.dtype }, () => {
    if (approximate === 'tanh') {
      const inner = mul(add(v, mul(mul(mul(v, v), v), 0.044715)), Math.sqrt(2 / Math.PI));
      return mul(mul(v, 0.5), add(tanh(inner), 1));
    }
    return mul(mul(v, 0.5), add(erf(mul(v, Math.SQRT1_2)), 1));
  });
}

export function silu(x: Tensor): Tensor {
  const v = floatInput('silu', x);
  return mul(v, sigmoid(v));
}

/**
 * log(1 + exp(beta·x)) / beta, computed as max(z, 0) + log1p(exp(−|z|)) so it never overflows;
 * linear above `threshold` as in PyTorch.
 */
export function softplus(x: Tensor, beta = 1, threshold = 20): Tensor {
  const v = floatInput('softplus', x);
  const z = beta === 1 ? v : mul(v, beta);
  const stable = add(maximum(z, 0), log1p(exp(mul(abs(z), -1))));
  const soft = beta === 1 ? stable : mul(stable, 1 / beta);
  return where(greater(z, threshold), v, soft);
}

/** The max over `axes` with keepdim, detached and with infinities replaced by 0: a safe shift. */
function shiftFor(x: Tensor, axes: number[]): Tensor {
  // An empty reduction has no max; any finite shift does (its sum of exps is 0, its log -inf).
  if (axes.some((a) => x.shape[a] === 0)) return zeros(reducedShape(x.shape, axes, true), { dtype: x.dtype, backend: x.backend });
  const m = detach(max(x, axes, true));
  return where(isFinite(m), m, 0);
}

export function softmax(x: Tensor, dim = -1): Tensor {
  const v = floatInput('softmax', x);
  const axis = normalizeAxis('softmax', dim, v.rank);
  return runAccelerated('softmax', [v], { axis }, { shape: v.shape, dtype: v.dtype }, () => {
    if (v.size === 0) return v;
    const e = exp(sub(v, shiftFor(v, [axis])));
    return e.div(sum(e, axis, true));
  });
}

export function logSoftmax(x: Tensor, dim = -1): Tensor {
  const v = floatInput('logSoftmax', x);
  const axis = normalizeAxis('logSoftmax', dim, v.rank);
  return runAccelerated('logSoftmax', [v], { axis }, { shape: v.shape, dtype: v.dtype }, () => {
    if (v.size === 0) return v;
    const shifted = sub(v, shiftFor(v, [axis]));
    return sub(shifted, log(sum(exp(shifted), axis, true)));
  });
}

/** log(sum(exp(x))) over dims, without overflow. */
export function logsumexp(x: Tensor, dim?: number | readonly number[], keepdim = false): Tensor {
  const v = floatInput('logsumexp', x);
  const axes = normalizeAxes('logsumexp', dim, v.rank);
  const decompose = (): Tensor => {
    const m = shiftFor(v, axes);
    const out = add(log(sum(exp(sub(v, m)), axes, true)), m);
    return keepdim ? out : reshape(out, reducedShape(v.shape, axes, false));
  };
  if (axes.length !== 1 || keepdim || v.size === 0) return decompose();
  return runAccelerated('logsumexp', [v], { axis: axes[0] }, { shape: reducedShape(v.shape, axes, false), dtype: v.dtype }, decompose);
}

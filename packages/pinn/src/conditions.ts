import type { Tensor } from '@plexus/tensor';
import { ArgumentError, ShapeError, fmtShape, isTensor } from '@plexus/tensor';
import type { UnaryModule } from '@plexus/nn';

/** Mean of squares: the loss of a residual that should vanish. */
export function meanSquare(r: Tensor): Tensor {
  return r.square().mean();
}

/**
 * A condition u must satisfy at some points: a Dirichlet boundary value u = g, an initial value
 * u(0, x) = u₀(x), or, with `operator`, any B[u] = g such as a Neumann condition
 * `operator: (u, x) => derivative(u, x, [1])`.
 */
export interface Condition {
  name: string;
  /** Where the condition holds: [M, d]. */
  points: Tensor;
  /** The target values at the points ([M, 1] or [M]), or a function of the points giving them. */
  values: Tensor | ((x: Tensor) => Tensor);
  /** B[u] (default u itself). Given u = model(x) at the points, with x requiring grad. */
  operator?: (u: Tensor, x: Tensor) => Tensor;
  /** Weight of this term in the total loss (default 1). */
  weight?: number;
}

export function checkCondition(op: string, c: Condition, d: number): void {
  if (c === null || typeof c !== 'object') throw new ArgumentError(`${op}: a condition must be an object { name, points, values }`);
  if (typeof c.name !== 'string' || c.name === '') throw new ArgumentError(`${op}: a condition needs a non-empty name`);
  if (!isTensor(c.points) || c.points.rank !== 2 || c.points.shape[1] !== d) {
    throw new ShapeError(`${op}: condition '${c.name}' needs points of shape [M, ${d}], got ${isTensor(c.points) ? fmtShape(c.points.shape) : typeof c.points}`);
  }
  if (!isTensor(c.values) && typeof c.values !== 'function') {
    throw new ArgumentError(`${op}: condition '${c.name}' needs values as a tensor or a function of the points`);
  }
  if (c.weight !== undefined && !(Number.isFinite(c.weight) && c.weight >= 0)) {
    throw new ArgumentError(`${op}: condition '${c.name}' has weight ${c.weight}; expected a finite number >= 0`);
  }
}

/** Mean squared mismatch of the condition for `model`: mean((B[u](x) − g(x))²). */
export function conditionLoss(model: UnaryModule, c: Condition): Tensor {
  const x = c.operator ? c.points.detach().requiresGrad_() : c.points;
  const u = model.forward(x);
  const lhs = c.operator ? c.operator(u, x) : u;
  const target = isTensor(c.values) ? c.values : c.values(c.points);
  const m = c.points.shape[0];
  const column = (t: Tensor, what: string): Tensor => {
    if (t.rank === 1 && t.shape[0] === m) return t.reshape([m, 1]);
    if (t.rank === 2 && t.shape[0] === m && t.shape[1] === 1) return t;
    throw new ShapeError(`condition '${c.name}': expected ${what} of shape [${m}, 1] or [${m}], got ${fmtShape(t.shape)}`);
  };
  return meanSquare(column(lhs, 'B[u]').sub(column(target, 'values')));
}

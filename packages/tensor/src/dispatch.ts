import type { Backend, OutputInfo, TensorInfo } from './backend.js';
import { isFloating } from './dtype.js';
import { BackendError } from './errors.js';
import type { AcceleratedAttrs, AcceleratedName, OpName, PrimitiveAttrs, PrimitiveName } from './primitives.js';
import { getBackend } from './registry.js';
import { Tensor } from './tensor.js';

/**
 * The single dispatch point. Every op on tensors ends in `runPrimitive` or `runAccelerated`;
 * `@plexus/autograd` installs hooks here to record the graph, so backends and derived ops never
 * see gradient code.
 */
export interface BackwardOptions {
  /** The gradient of the output, needed when the output is not a scalar. */
  gradient?: Tensor;
  /** Keep the graph so that backward can run through it again. */
  retainGraph?: boolean;
  /** Record the backward pass itself, for higher-order gradients. */
  createGraph?: boolean;
}

export interface AutogradHooks {
  /**
   * Called for each op whose output requires grad. Accelerated ops also pass their
   * decomposition, which autograd may differentiate instead of a dedicated rule.
   */
  record(op: OpName, inputs: readonly Tensor[], attrs: object, output: Tensor, decompose?: () => Tensor): void;
  backward(output: Tensor, options: BackwardOptions): void;
}

let hooks: AutogradHooks | undefined;
let gradEnabled = true;
let acceleratedEnabled = true;

export function installAutograd(h: AutogradHooks): void {
  hooks = h;
}

export function autogradHooks(): AutogradHooks | undefined {
  return hooks;
}

export function isGradEnabled(): boolean {
  return gradEnabled;
}

/** Runs `fn` with gradient recording on or off, restoring the previous mode after. */
export function withGradMode<T>(enabled: boolean, fn: () => T): T {
  const prev = gradEnabled;
  gradEnabled = enabled;
  try {
    return fn();
  } finally {
    gradEnabled = prev;
  }
}

/** Runs `fn` without recording gradients (torch.no_grad). */
export function noGrad<T>(fn: () => T): T {
  return withGradMode(false, fn);
}

export function isAcceleratedEnabled(): boolean {
  return acceleratedEnabled;
}

/** Runs `fn` with the backends' accelerated ops on or off (off: decompositions only). */
export function withAccelerated<T>(enabled: boolean, fn: () => T): T {
  const prev = acceleratedEnabled;
  acceleratedEnabled = enabled;
  try {
    return fn();
  } finally {
    acceleratedEnabled = prev;
  }
}

/** The backend shared by `inputs` (the current backend when there are none). */
export function backendOf(op: string, inputs: readonly Tensor[]): Backend {
  if (inputs.length === 0) return getBackend();
  const b = inputs[0].backend;
  for (const t of inputs) {
    if (t.backend !== b) {
      throw new BackendError(
        `${op}: inputs live on different backends ('${b.name}' and '${t.backend.name}'); move them with .to('${b.name}')`,
      );
    }
  }
  return b;
}

function infos(inputs: readonly Tensor[]): TensorInfo[] {
  return inputs.map((t) => ({ dataId: t.dataId, shape: t.shape, dtype: t.dtype }));
}

function finish(op: OpName, inputs: readonly Tensor[], attrs: object, output: Tensor, decompose?: () => Tensor): Tensor {
  if (gradEnabled && isFloating(output.dtype) && inputs.some((t) => t.requiresGrad)) {
    output.markRequiresGrad();
    hooks?.record(op, inputs, attrs, output, decompose);
  }
  return output;
}

export function runPrimitive<K extends PrimitiveName>(
  op: K,
  inputs: readonly Tensor[],
  attrs: PrimitiveAttrs[K],
  out: OutputInfo,
): Tensor {
  const backend = backendOf(op, inputs);
  if (!backend.dtypes.includes(out.dtype)) {
    throw new BackendError(`${op}: backend '${backend.name}' does not support dtype ${out.dtype}`);
  }
  const dataId = backend.primitives[op](infos(inputs), attrs, out);
  return finish(op, inputs, attrs, new Tensor(dataId, out.shape, out.dtype, backend));
}

/**
 * Runs an optional accelerated op when the backend has it (and acceleration is on), otherwise
 * `decompose()`, whose primitives autograd then records one by one.
 */
export function runAccelerated<K extends AcceleratedName>(
  op: K,
  inputs: readonly Tensor[],
  attrs: AcceleratedAttrs[K],
  out: OutputInfo,
  decompose: () => Tensor,
): Tensor {
  const backend = backendOf(op, inputs);
  const impl = acceleratedEnabled ? backend.accelerated?.[op] : undefined;
  if (!impl) return decompose();
  const dataId = (impl as (i: TensorInfo[], a: AcceleratedAttrs[K], o: OutputInfo) => object)(infos(inputs), attrs, out);
  return finish(op, inputs, attrs, new Tensor(dataId, out.shape, out.dtype, backend), decompose);
}

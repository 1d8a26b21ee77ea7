import type { Tensor } from '@plexus/tensor';
import { ArgumentError, DTypeError, ShapeError, fmtShape, isFloating, isTensor, noGrad } from '@plexus/tensor';

/** What an average follows: any model with named parameters and buffers (an nn `Module` is one). */
export interface AveragedTensors {
  namedParameters(): [string, Tensor][];
  namedBuffers(): [string, Tensor][];
}

export interface ExponentialMovingAverageOptions {
  /** Weight of the old average at each update (default 0.999): avg ← decay·avg + (1 − decay)·p. */
  decay?: number;
  /**
   * What happens to buffers (BatchNorm's running statistics): 'copy' (default) takes the model's
   * current values at each update, as ProGAN/StyleGAN do for their averaged generator; 'average'
   * averages floating buffers like the parameters (integer buffers are always copied).
   */
  buffers?: 'copy' | 'average';
}

/** What `stateDict()` returns and `loadStateDict()` takes. */
export interface ExponentialMovingAverageState {
  /** The averaged parameters and buffers by name. */
  averages: Record<string, Tensor>;
  numUpdates: number;
}

/**
 * An exponential moving average of a model's weights (Polyak averaging with a constant decay),
 * as torch.optim.swa_utils.AveragedModel with `get_ema_multi_avg_fn(decay)`: the average starts as
 * a copy of the model, the first `update()` copies the model again, and each later one moves the
 * average towards the model, avg ← avg + (1 − decay)·(p − avg). Averaging the generator's weights
 * this way is standard for GANs (ProGAN, StyleGAN, BigGAN): the averaged generator makes better
 * samples than the oscillating trained one.
 *
 * The averages are plain tensors by the model's parameter and buffer names, so they run in the
 * model itself without a second copy of it: `functionalCall(model, ema.averages(), () => …)` from
 * @plexus/nn, or `model.loadStateDict(ema.averages())` to keep them.
 */
export class ExponentialMovingAverage {
  readonly model: AveragedTensors;
  readonly decay: number;
  readonly buffers: 'copy' | 'average';
  /** How many times `update()` has run. */
  numUpdates = 0;
  #averages = new Map<string, Tensor>();

  constructor(model: AveragedTensors, options: ExponentialMovingAverageOptions = {}) {
    const where = 'ExponentialMovingAverage';
    if (model === null || typeof model !== 'object' || typeof model.namedParameters !== 'function' || typeof model.namedBuffers !== 'function') {
      throw new ArgumentError(`${where}: expected a model with namedParameters() and namedBuffers() (a Module), got ${model === null ? 'null' : typeof model}`);
    }
    if (options === null || typeof options !== 'object') throw new ArgumentError(`${where}: expected options { decay, buffers }`);
    const decay = options.decay ?? 0.999;
    if (typeof decay !== 'number' || !(decay >= 0 && decay < 1)) throw new ArgumentError(`${where}: decay must be a number in [0, 1), got ${String(decay)}`);
    const buffers = options.buffers ?? 'copy';
    if (buffers !== 'copy' && buffers !== 'average') throw new ArgumentError(`${where}: buffers must be 'copy' or 'average', got ${JSON.stringify(buffers)}`);
    this.model = model;
    this.decay = decay;
    this.buffers = buffers;
    this.#copy();
  }

  /** The model's parameters and buffers by name, and whether each one is averaged (else copied). */
  #entries(): [string, Tensor, boolean][] {
    const params = this.model.namedParameters().map(([name, t]): [string, Tensor, boolean] => [name, t, true]);
    const buffers = this.model.namedBuffers().map(([name, t]): [string, Tensor, boolean] => [name, t, this.buffers === 'average' && isFloating(t.dtype)]);
    return [...params, ...buffers];
  }

  #copy(): void {
    noGrad(() => {
      for (const [name, t] of this.#entries()) this.#averages.set(name, t.detach().clone());
    });
  }

  /** Moves the average towards the model's current weights (the first call copies them). */
  update(): void {
    if (this.numUpdates === 0) {
      this.#copy();
      this.numUpdates = 1;
      return;
    }
    const entries = this.#entries();
    const missing = entries.filter(([name]) => !this.#averages.has(name)).map(([name]) => name);
    if (missing.length > 0 || entries.length !== this.#averages.size) {
      throw new ArgumentError(`ExponentialMovingAverage.update: the model's tensors changed since the average began (new: ${missing.join(', ') || 'none'})`);
    }
    const weight = 1 - this.decay;
    noGrad(() => {
      for (const [name, t, averaged] of entries) {
        const avg = this.#averages.get(name) as Tensor;
        const p = t.detach();
        // lerp as torch's EMA does: avg + (1 − decay)·(p − avg).
        this.#averages.set(name, averaged ? avg.add(p.sub(avg).mul(weight)) : p.clone());
      }
    });
    this.numUpdates++;
  }

  /** The averaged parameters and buffers by name (the tensors themselves: do not modify them in place). */
  averages(): Record<string, Tensor> {
    return Object.fromEntries(this.#averages);
  }

  stateDict(): ExponentialMovingAverageState {
    return { averages: this.averages(), numUpdates: this.numUpdates };
  }

  /** Restores a `stateDict()`: names, shapes and dtypes must match the model's. */
  loadStateDict(state: ExponentialMovingAverageState): void {
    const where = 'ExponentialMovingAverage.loadStateDict';
    if (state === null || typeof state !== 'object' || state.averages === null || typeof state.averages !== 'object') {
      throw new ArgumentError(`${where}: expected { averages, numUpdates }`);
    }
    const { averages, numUpdates } = state;
    if (!Number.isInteger(numUpdates) || numUpdates < 0) throw new ArgumentError(`${where}: numUpdates must be a non-negative integer, got ${String(numUpdates)}`);
    const entries = this.#entries();
    const names = new Set(entries.map(([name]) => name));
    const missing = entries.map(([name]) => name).filter((name) => !(name in averages));
    const unexpected = Object.keys(averages).filter((name) => !names.has(name));
    if (missing.length > 0 || unexpected.length > 0) {
      throw new ArgumentError(`${where}: missing ${missing.map((k) => `"${k}"`).join(', ') || 'none'}; unexpected ${unexpected.map((k) => `"${k}"`).join(', ') || 'none'}`);
    }
    for (const [name, t] of entries) {
      const a: unknown = averages[name];
      if (!isTensor(a)) throw new ArgumentError(`${where}: "${name}" is not a Tensor`);
      if (a.shape.length !== t.shape.length || a.shape.some((d, i) => d !== t.shape[i])) throw new ShapeError(`${where}: "${name}" has shape ${fmtShape(a.shape)}, the model ${fmtShape(t.shape)}`);
      if (a.dtype !== t.dtype) throw new DTypeError(`${where}: "${name}" has dtype ${a.dtype}, the model ${t.dtype}`);
    }
    noGrad(() => {
      for (const [name, t] of entries) {
        const a = averages[name];
        this.#averages.set(name, (a.backend === t.backend ? a : a.to(t.backend.name)).detach().clone());
      }
    });
    this.numUpdates = numUpdates;
  }
}

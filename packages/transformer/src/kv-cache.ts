import type { Tensor } from '@plexus/tensor';
import { ArgumentError, arange } from '@plexus/tensor';

/** One attention layer's cached keys and values, [B, nHead, positions, headDim] each. */
export interface LayerCache {
  k: Tensor;
  v: Tensor;
}

/**
 * Keys and values of the positions already seen, per layer, so that generating the next token
 * only runs the new position through the model (O(T) per token instead of O(T²)). A model's
 * forward appends to it; `length` is the number of cached positions.
 */
export class KVCache {
  readonly layers: (LayerCache | null)[];
  #length = 0;

  constructor(numLayers: number) {
    if (!Number.isInteger(numLayers) || numLayers < 1) throw new ArgumentError(`KVCache: numLayers must be a positive integer, got ${String(numLayers)}`);
    this.layers = new Array<LayerCache | null>(numLayers).fill(null);
  }

  get length(): number {
    return this.#length;
  }

  /** @internal Called by the model once every layer has appended `n` positions. */
  advance(n: number): void {
    this.#length += n;
  }

  /** Empties the cache (to start a new sequence). */
  reset(): void {
    this.layers.fill(null);
    this.#length = 0;
  }
}

/**
 * The causal mask for `t` new queries that follow `past` cached positions: query i (absolute
 * position past + i) may see keys 0..past + i. bool [t, past + t], true = masked out; null when no
 * key needs masking (a single new query sees everything before it).
 */
export function causalMaskWithPast(t: number, past: number, like: Tensor): Tensor | null {
  if (t === 1) return null;
  const backend = like.backend;
  const rows = arange(t, undefined, 1, { dtype: 'int32', backend }).add(past).reshape([t, 1]);
  const cols = arange(past + t, undefined, 1, { dtype: 'int32', backend }).reshape([1, past + t]);
  return cols.gt(rows);
}

import type { Generator } from '@plexus/tensor';
import { ArgumentError, getDefaultGenerator } from '@plexus/tensor';

export interface SamplingOptions {
  /**
   * Divides the logits before the softmax (default 1): below 1 sharpens, above 1 flattens;
   * 0 means greedy decoding (always the most likely token).
   */
  temperature?: number;
  /** Keep only the k most likely tokens (ties with the k-th are kept, as nanoGPT). Default: all. */
  topK?: number | null;
  /**
   * Nucleus sampling: keep the most likely tokens whose cumulative probability first reaches p
   * (the token that crosses p is kept, and always at least one). Default: all (p = 1).
   */
  topP?: number | null;
}

export function checkSamplingOptions(op: string, options: SamplingOptions): Required<{ temperature: number; topK: number | null; topP: number | null }> {
  const { temperature = 1, topK = null, topP = null } = options;
  if (typeof temperature !== 'number' || !(temperature >= 0) || !Number.isFinite(temperature)) {
    throw new ArgumentError(`${op}: temperature must be a finite number >= 0 (0 = greedy), got ${String(temperature)}`);
  }
  if (topK !== null && (!Number.isInteger(topK) || topK < 1)) throw new ArgumentError(`${op}: topK must be a positive integer or null, got ${String(topK)}`);
  if (topP !== null && (typeof topP !== 'number' || !(topP > 0 && topP <= 1))) throw new ArgumentError(`${op}: topP must be in (0, 1] or null, got ${String(topP)}`);
  return { temperature, topK, topP };
}

/**
 * The distribution a row of logits is sampled from after temperature, top-k and top-p (in that
 * order, as Hugging Face applies them). Tokens filtered out get probability exactly 0. With
 * temperature 0 it is one-hot on the first maximum.
 */
export function samplingProbabilities(logits: ArrayLike<number>, options: SamplingOptions = {}): Float64Array {
  const { temperature, topK, topP } = checkSamplingOptions('samplingProbabilities', options);
  const V = logits.length;
  if (V === 0) throw new ArgumentError('samplingProbabilities: expected at least one logit');
  const probs = new Float64Array(V);
  if (temperature === 0) {
    let best = 0;
    for (let i = 1; i < V; i++) if (logits[i] > logits[best]) best = i;
    probs[best] = 1;
    return probs;
  }
  const z = Float64Array.from(logits, (x) => x / temperature);
  const keep = new Uint8Array(V).fill(1);
  if (topK !== null && topK < V) {
    const kth = Float64Array.from(z).sort()[V - topK];
    for (let i = 0; i < V; i++) if (z[i] < kth) keep[i] = 0;
  }
  let max = -Infinity;
  for (let i = 0; i < V; i++) if (keep[i] && z[i] > max) max = z[i];
  let total = 0;
  for (let i = 0; i < V; i++) {
    probs[i] = keep[i] ? Math.exp(z[i] - max) : 0;
    total += probs[i];
  }
  for (let i = 0; i < V; i++) probs[i] /= total;
  if (topP !== null && topP < 1) {
    // Stable sort by probability, descending; ties keep index order so the result is deterministic.
    const order = Array.from({ length: V }, (_, i) => i).sort((a, b) => probs[b] - probs[a] || a - b);
    let cum = 0;
    let kept = 0;
    for (const i of order) {
      if (cum >= topP && kept > 0) probs[i] = 0;
      else {
        cum += probs[i];
        kept += probs[i] > 0 ? 1 : 0;
      }
    }
    let sum = 0;
    for (let i = 0; i < V; i++) sum += probs[i];
    for (let i = 0; i < V; i++) probs[i] /= sum;
  }
  return probs;
}

/**
 * Draws one token index from `probs` with one uniform number from `generator` (inverse CDF in
 * index order). Tokens with probability 0 are never drawn.
 */
export function sampleIndex(probs: ArrayLike<number>, generator: Generator = getDefaultGenerator()): number {
  const u = generator.nextUniform(1)[0];
  let cum = 0;
  let last = -1;
  for (let i = 0; i < probs.length; i++) {
    if (probs[i] <= 0) continue;
    last = i;
    cum += probs[i];
    if (u < cum) return i;
  }
  // Rounding can leave the total a hair below 1: fall back to the last possible token.
  if (last < 0) throw new ArgumentError('sampleIndex: the probabilities are all zero');
  return last;
}

/** One token per row of `logits` ([rows × V], row-major), after temperature/top-k/top-p. */
export function sampleRows(logits: ArrayLike<number>, rows: number, options: SamplingOptions, generator: Generator): number[] {
  const V = logits.length / rows;
  const out: number[] = [];
  for (let r = 0; r < rows; r++) {
    const row = Array.prototype.slice.call(logits, r * V, (r + 1) * V) as number[];
    const probs = samplingProbabilities(row, options);
    // Greedy decoding draws nothing, so it leaves the generator untouched.
    out.push((options.temperature ?? 1) === 0 ? probs.indexOf(1) : sampleIndex(probs, generator));
  }
  return out;
}

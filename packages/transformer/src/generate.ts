import type { Tensor } from '@plexus/tensor';
import { ArgumentError, DTypeError, Generator, ShapeError, fmtShape, fromData, getDefaultGenerator, isTensor, noGrad } from '@plexus/tensor';
import type { GPT } from './gpt.js';
import type { KVCache } from './kv-cache.js';
import type { SamplingOptions } from './sampling.js';
import { checkSamplingOptions, sampleRows } from './sampling.js';

export interface GenerateOptions extends SamplingOptions {
  /** Seeds a private generator for the sampling, so the same seed gives the same tokens. */
  seed?: number;
  /** The generator to sample with (default: a new one from `seed`, else the default generator). */
  generator?: Generator;
  /**
   * Keep each layer's keys and values so that every new token costs one position of compute
   * (default true). Gives the same tokens as without the cache. Once the text outgrows
   * blockSize, each step re-reads the last blockSize tokens from scratch either way (the learned
   * positions shift), so the cache only helps up to blockSize.
   */
  useCache?: boolean;
}

/**
 * Autoregressive sampling from a GPT: repeatedly feeds the last (at most blockSize) tokens,
 * turns the logits of the last position into a distribution (temperature, top-k, top-p) and
 * draws the next token on the host. Runs without gradients and in evaluation mode (no dropout);
 * the model's modes are restored after. `idx` is [B, T] (or [T]) int32; returns [B, T + n].
 */
export function generate(model: GPT, idx: Tensor, maxNewTokens: number, options: GenerateOptions = {}): Tensor {
  const op = 'GPT.generate';
  if (!isTensor(idx)) throw new ArgumentError(`${op}: expected idx to be an int32 Tensor, got ${idx === null ? 'null' : typeof idx}`);
  if (idx.dtype !== 'int32') throw new DTypeError(`${op}: idx must be int32 token indices, got ${idx.dtype}`);
  if ((idx.rank !== 1 && idx.rank !== 2) || idx.shape[idx.rank - 1] < 1) throw new ShapeError(`${op}: expected idx [B, T] or [T] with T >= 1, got ${fmtShape(idx.shape)}`);
  if (!Number.isInteger(maxNewTokens) || maxNewTokens < 0) throw new ArgumentError(`${op}: maxNewTokens must be a non-negative integer, got ${String(maxNewTokens)}`);
  const sampling = checkSamplingOptions(op, options);
  const { seed, useCache = true } = options;
  if (seed !== undefined && !Number.isSafeInteger(seed)) throw new ArgumentError(`${op}: seed must be a safe integer, got ${String(seed)}`);
  if (typeof useCache !== 'boolean') throw new ArgumentError(`${op}: useCache must be a boolean, got ${String(useCache)}`);
  const generator = options.generator ?? (seed !== undefined ? new Generator(seed) : getDefaultGenerator());

  const B = idx.rank === 2 ? idx.shape[0] : 1;
  const T0 = idx.shape[idx.rank - 1];
  const flat = Array.from(idx.dataSync() as Int32Array);
  const rows = Array.from({ length: B }, (_, b) => flat.slice(b * T0, (b + 1) * T0));
  const { blockSize, vocabSize } = model.config;
  const backend = idx.backend;
  const batch = (from: number, to: number): Tensor =>
    fromData(op, Int32Array.from(rows.flatMap((r) => r.slice(from, to))), [B, to - from], { dtype: 'int32', backend });

  const modules = model.modules();
  const modes = modules.map((m) => m.training);
  model.eval();
  try {
    noGrad(() => {
      let cache: KVCache | null = useCache ? model.createCache() : null;
      for (let step = 0; step < maxNewTokens; step++) {
        const len = rows[0].length;
        let logits: Tensor;
        if (cache && len <= blockSize) {
          // Only the positions the cache has not seen yet: the whole prompt first, then one token.
          const from = cache.length;
          logits = model.forward(batch(from, len), { cache });
        } else {
          cache = null;
          logits = model.forward(batch(Math.max(0, len - blockSize), len));
        }
        const n = logits.shape[1];
        const last = logits.narrow(1, n - 1, 1).reshape([B, vocabSize]).dataSync();
        sampleRows(last, B, sampling, generator).forEach((token, b) => rows[b].push(token));
      }
    });
  } finally {
    modules.forEach((m, i) => (m.training = modes[i]));
  }
  const total = rows[0].length;
  return fromData(op, Int32Array.from(rows.flat()), idx.rank === 2 ? [B, total] : [total], { dtype: 'int32', backend });
}

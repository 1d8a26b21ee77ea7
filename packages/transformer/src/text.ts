import type { Tensor } from '@plexus/tensor';
import { ArgumentError, Generator, fromData, getDefaultGenerator } from '@plexus/tensor';

/**
 * A character-level vocabulary: every distinct character (Unicode code point) of a text, sorted,
 * gets an id. `encode` and `decode` convert between strings and ids.
 */
export class CharTokenizer {
  readonly chars: readonly string[];
  readonly #index: Map<string, number>;

  constructor(chars: readonly string[]) {
    if (!Array.isArray(chars) || chars.length === 0) throw new ArgumentError('CharTokenizer: expected a non-empty list of characters');
    const index = new Map<string, number>();
    chars.forEach((c, i) => {
      if (typeof c !== 'string' || [...c].length !== 1) throw new ArgumentError(`CharTokenizer: entry ${i} must be a single character, got ${JSON.stringify(c)}`);
      if (index.has(c)) throw new ArgumentError(`CharTokenizer: character ${JSON.stringify(c)} appears twice`);
      index.set(c, i);
    });
    this.chars = Object.freeze([...chars]);
    this.#index = index;
  }

  /** The vocabulary of `text`: its distinct characters in code-point order. */
  static fromText(text: string): CharTokenizer {
    if (typeof text !== 'string' || text.length === 0) throw new ArgumentError('CharTokenizer.fromText: expected a non-empty string');
    return new CharTokenizer([...new Set(text)].sort((a, b) => (a.codePointAt(0) as number) - (b.codePointAt(0) as number)));
  }

  get vocabSize(): number {
    return this.chars.length;
  }

  encode(text: string): Int32Array {
    const chars = [...text];
    const out = new Int32Array(chars.length);
    chars.forEach((c, i) => {
      const id = this.#index.get(c);
      if (id === undefined) throw new ArgumentError(`CharTokenizer.encode: character ${JSON.stringify(c)} (at ${i}) is not in the vocabulary`);
      out[i] = id;
    });
    return out;
  }

  decode(ids: ArrayLike<number>): string {
    let s = '';
    for (let i = 0; i < ids.length; i++) {
      const c = this.chars[ids[i]];
      if (c === undefined) throw new ArgumentError(`CharTokenizer.decode: id ${ids[i]} (at ${i}) is out of range for ${this.vocabSize} characters`);
      s += c;
    }
    return s;
  }

  toJSON(): { chars: string[] } {
    return { chars: [...this.chars] };
  }
}

export interface WindowOptions {
  /** Context length T of each window. */
  blockSize: number;
  /** Windows per batch. */
  batchSize: number;
}

function checkWindows(op: string, data: ArrayLike<number>, options: WindowOptions): void {
  const { blockSize, batchSize } = options;
  if (!Number.isInteger(blockSize) || blockSize < 1) throw new ArgumentError(`${op}: blockSize must be a positive integer, got ${String(blockSize)}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ArgumentError(`${op}: batchSize must be a positive integer, got ${String(batchSize)}`);
  if (data.length < blockSize + 1) throw new ArgumentError(`${op}: the text has ${data.length} tokens, fewer than blockSize + 1 = ${blockSize + 1}`);
}

/** [x, y] int32 [B, T] from window starts: y is x shifted by one token. */
function windowBatch(op: string, data: ArrayLike<number>, starts: readonly number[], T: number): [Tensor, Tensor] {
  const x = new Int32Array(starts.length * T);
  const y = new Int32Array(starts.length * T);
  starts.forEach((s, b) => {
    for (let t = 0; t < T; t++) {
      x[b * T + t] = data[s + t];
      y[b * T + t] = data[s + t + 1];
    }
  });
  return [fromData(op, x, [starts.length, T], { dtype: 'int32' }), fromData(op, y, [starts.length, T], { dtype: 'int32' })];
}

/**
 * `steps` batches of windows at random offsets (next-token targets), drawn afresh on every
 * iteration: one "epoch" of language-model training. Has `length` so progress bars know it.
 */
export function randomWindows(data: ArrayLike<number>, options: WindowOptions & { steps: number; seed?: number; generator?: Generator }): Iterable<[Tensor, Tensor]> & { length: number } {
  const op = 'randomWindows';
  checkWindows(op, data, options);
  const { blockSize, batchSize, steps } = options;
  if (!Number.isInteger(steps) || steps < 1) throw new ArgumentError(`${op}: steps must be a positive integer, got ${String(steps)}`);
  const g = options.generator ?? (options.seed !== undefined ? new Generator(options.seed) : getDefaultGenerator());
  const span = data.length - blockSize;
  return {
    length: steps,
    *[Symbol.iterator]() {
      for (let s = 0; s < steps; s++) {
        const starts = Array.from(g.nextUniform(batchSize), (u) => Math.floor(u * span));
        yield windowBatch(op, data, starts, blockSize);
      }
    },
  };
}

/**
 * Consecutive non-overlapping windows covering the text once (the final partial window is
 * dropped), in batches: a deterministic evaluation set whose mean loss is the loss per token.
 */
export function sequentialWindows(data: ArrayLike<number>, options: WindowOptions): [Tensor, Tensor][] {
  const op = 'sequentialWindows';
  checkWindows(op, data, options);
  const { blockSize, batchSize } = options;
  const starts: number[] = [];
  for (let s = 0; s + blockSize + 1 <= data.length; s += blockSize) starts.push(s);
  const out: [Tensor, Tensor][] = [];
  for (let i = 0; i < starts.length; i += batchSize) out.push(windowBatch(op, data, starts.slice(i, i + batchSize), blockSize));
  return out;
}

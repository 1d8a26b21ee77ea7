import type { Tensor } from '@plexus/tensor';
import { ArgumentError, Generator, fromData } from '@plexus/tensor';

export type SequenceTaskName = 'sort' | 'reverse';

export interface SequenceTaskOptions {
  /** Training sequences (default 10000). */
  numTrain?: number;
  /** Held-out sequences, none of which occurs in the training set (default 2000). */
  numTest?: number;
  /** Length of every sequence (default 16). */
  seqLen?: number;
  /** Symbols 0..numSymbols−1 (default 10). */
  numSymbols?: number;
  /** Seed of the draw (default 0). */
  seed?: number;
}

export interface SequenceSplit {
  /** int32 [n, seqLen] inputs. */
  x: Tensor;
  /** int32 [n, seqLen] targets: the input sorted ascending, or reversed. */
  y: Tensor;
}

/** The answer to one sequence. */
export function solveSequence(task: SequenceTaskName, seq: readonly number[]): number[] {
  return task === 'sort' ? [...seq].sort((a, b) => a - b) : [...seq].reverse();
}

/**
 * Random sequences of `numSymbols` symbols and their exact answers (sorted or reversed), split
 * into training and held-out sets that share no sequence, for per-position classification.
 */
export function makeSequenceTask(task: SequenceTaskName, options: SequenceTaskOptions = {}): { train: SequenceSplit; test: SequenceSplit } {
  const op = 'makeSequenceTask';
  if (task !== 'sort' && task !== 'reverse') throw new ArgumentError(`${op}: task must be 'sort' or 'reverse', got '${String(task)}'`);
  const { numTrain = 10000, numTest = 2000, seqLen = 16, numSymbols = 10, seed = 0 } = options;
  for (const [key, v] of Object.entries({ numTrain, numTest, seqLen, numSymbols })) {
    if (!Number.isInteger(v) || v < 1) throw new ArgumentError(`${op}: ${key} must be a positive integer, got ${String(v)}`);
  }
  if (numSymbols ** seqLen < 2 * (numTrain + numTest)) {
    throw new ArgumentError(`${op}: ${numSymbols}^${seqLen} possible sequences are too few for ${numTrain} + ${numTest} distinct ones`);
  }
  const g = new Generator(seed);
  const seen = new Set<string>();
  const draw = (n: number): SequenceSplit => {
    const xs = new Int32Array(n * seqLen);
    const ys = new Int32Array(n * seqLen);
    for (let i = 0; i < n; ) {
      const seq = Array.from(g.nextUniform(seqLen), (u) => Math.floor(u * numSymbols));
      const key = seq.join(',');
      if (seen.has(key)) continue; // held-out sequences never occur in training
      seen.add(key);
      xs.set(seq, i * seqLen);
      ys.set(solveSequence(task, seq), i * seqLen);
      i++;
    }
    const shape = [n, seqLen];
    return { x: fromData(op, xs, shape, { dtype: 'int32' }), y: fromData(op, ys, shape, { dtype: 'int32' }) };
  };
  const train = draw(numTrain);
  return { train, test: draw(numTest) };
}

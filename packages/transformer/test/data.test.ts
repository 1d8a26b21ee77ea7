import '@plexus/backend-js';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '@plexus/tensor';
import { ArgumentError, ShapeError, tensor } from '@plexus/tensor';
import { crossEntropy } from '@plexus/nn';
import {
  BitsPerCharacter, CharTokenizer, SequenceAccuracy, TokenAccuracy, bitsPerCharacter, makeSequenceTask, randomWindows, sequenceCrossEntropy, sequentialWindows,
  solveSequence,
} from '../src/index.js';

const rows = (t: Tensor): number[][] => t.toArraySync() as number[][];

describe('sequence tasks', () => {
  it('sorts or reverses each sequence; held-out sequences never occur in training', () => {
    const { train, test } = makeSequenceTask('sort', { numTrain: 300, numTest: 100, seqLen: 5, numSymbols: 4, seed: 1 });
    expect(train.x.shape).toEqual([300, 5]);
    expect(test.y.shape).toEqual([100, 5]);
    rows(train.x).forEach((x, i) => expect(rows(train.y)[i]).toEqual([...x].sort((a, b) => a - b)));
    const seen = new Set(rows(train.x).map((r) => r.join()));
    expect(rows(test.x).some((r) => seen.has(r.join()))).toBe(false);
    expect(new Set(rows(train.x).flat())).toEqual(new Set([0, 1, 2, 3]));
    const rev = makeSequenceTask('reverse', { numTrain: 10, numTest: 5, seed: 1 });
    expect(rev.train.x.shape).toEqual([10, 16]);
    rows(rev.train.x).forEach((x, i) => expect(rows(rev.train.y)[i]).toEqual([...x].reverse()));
    expect(rows(makeSequenceTask('sort', { numTrain: 10, numTest: 5, seed: 1 }).train.x)).toEqual(rows(makeSequenceTask('sort', { numTrain: 10, numTest: 5, seed: 1 }).train.x));
    expect(solveSequence('sort', [3, 1, 2])).toEqual([1, 2, 3]);
  });

  it('rejects impossible requests', () => {
    expect(() => makeSequenceTask('shuffle' as 'sort')).toThrow(ArgumentError);
    expect(() => makeSequenceTask('sort', { seqLen: 2, numSymbols: 2, numTrain: 3, numTest: 3 })).toThrow('makeSequenceTask: 2^2 possible sequences are too few for 3 + 3 distinct ones');
  });
});

describe('metrics and losses', () => {
  // Predictions: argmax per position.
  const logits = tensor([
    [[5, 0], [0, 5], [5, 0]],
    [[0, 5], [0, 5], [5, 0]],
  ]);
  const target = tensor([[0, 1, 0], [0, 1, 0]], { dtype: 'int32' });

  it('SequenceAccuracy counts sequences right at every position; TokenAccuracy counts positions', () => {
    const s = new SequenceAccuracy();
    const t = new TokenAccuracy();
    expect(Number.isNaN(s.compute())).toBe(true);
    s.update(logits, target);
    t.update(logits, target);
    expect(s.compute()).toBe(0.5);
    expect(t.compute()).toBeCloseTo(5 / 6, 12);
    s.update(logits.narrow(0, 0, 1), target.narrow(0, 0, 1));
    expect(s.compute()).toBeCloseTo(2 / 3, 12);
    s.reset();
    expect(Number.isNaN(s.compute())).toBe(true);
    expect(() => s.update(logits, target.narrow(1, 0, 2))).toThrow(ShapeError);
  });

  it('sequenceCrossEntropy is the mean cross entropy over all positions; bits = nats / ln 2', () => {
    const flat = crossEntropy(logits.reshape([6, 2]), target.reshape([6])).item() as number;
    expect(sequenceCrossEntropy(logits, target).item()).toBeCloseTo(flat, 6);
    expect(bitsPerCharacter(Math.LN2)).toBe(1);
    expect(() => sequenceCrossEntropy(logits.reshape([6, 2]), target)).toThrow(ShapeError);
  });

  it('BitsPerCharacter averages the cross entropy over every position seen, in bits', () => {
    const bpc = new BitsPerCharacter();
    bpc.update(logits, target);
    bpc.update(logits.narrow(0, 1, 1), target.narrow(0, 1, 1));
    // Per position: −log softmax; a right guess costs log(1 + e⁻⁵), a wrong one log(1 + e⁵).
    const right = Math.log1p(Math.exp(-5));
    const wrong = Math.log1p(Math.exp(5));
    expect(bpc.compute()).toBeCloseTo((7 * right + 2 * wrong) / 9 / Math.LN2, 5);
    expect(bpc.name).toBe('bpc');
  });
});

describe('text', () => {
  it('CharTokenizer round-trips text through sorted character ids', () => {
    const tok = CharTokenizer.fromText('hello, wörld');
    expect(tok.chars).toEqual([' ', ',', 'd', 'e', 'h', 'l', 'o', 'r', 'w', 'ö']);
    expect(Array.from(tok.encode('hello'))).toEqual([4, 3, 5, 5, 6]);
    expect(tok.decode(tok.encode('wörld, hello'))).toBe('wörld, hello');
    expect(tok.vocabSize).toBe(10);
    expect(new CharTokenizer(tok.toJSON().chars).decode([9])).toBe('ö');
    expect(() => tok.encode('hex')).toThrow('CharTokenizer.encode: character "x" (at 2) is not in the vocabulary');
    expect(() => tok.decode([10])).toThrow(ArgumentError);
    expect(() => new CharTokenizer(['a', 'a'])).toThrow(ArgumentError);
  });

  it('randomWindows yields next-token pairs at random offsets, afresh each epoch', () => {
    const data = Int32Array.from({ length: 50 }, (_, i) => i);
    const src = randomWindows(data, { blockSize: 4, batchSize: 3, steps: 2, seed: 1 });
    expect(src.length).toBe(2);
    const epoch1 = [...src];
    expect(epoch1).toHaveLength(2);
    for (const [x, y] of epoch1) {
      expect(x.shape).toEqual([3, 4]);
      rows(x).forEach((r, b) => {
        expect(r).toEqual([r[0], r[0] + 1, r[0] + 2, r[0] + 3]);
        expect(rows(y)[b]).toEqual(r.map((v) => v + 1));
        expect(r[3] + 1).toBeLessThan(50);
      });
    }
    expect(rows([...src][0][0])).not.toEqual(rows(epoch1[0][0]));
    expect(() => randomWindows(data.slice(0, 4), { blockSize: 4, batchSize: 1, steps: 1 })).toThrow(ArgumentError);
  });

  it('sequentialWindows covers the text once in order', () => {
    const data = Int32Array.from({ length: 11 }, (_, i) => i);
    const batches = sequentialWindows(data, { blockSize: 3, batchSize: 2 });
    expect(batches.map(([x]) => rows(x))).toEqual([[[0, 1, 2], [3, 4, 5]], [[6, 7, 8]]]);
    expect(rows(batches[1][1])).toEqual([[7, 8, 9]]);
  });
});

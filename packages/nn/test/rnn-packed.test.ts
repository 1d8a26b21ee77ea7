import './helpers.js';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '@plexus/tensor';
import { manualSeed, tensor } from '@plexus/tensor';
import { GRU, LSTM, PackedSequence, RNN, packPaddedSequence, packSequence, padPackedSequence, padSequence } from '../src/index.js';
import { expectClose, randn64, values } from './helpers.js';

describe('packed sequences', () => {
  // x[t, n] = 10·t + n, one feature.
  const x = tensor([[0, 1, 2], [10, 11, 12], [20, 21, 22]]).reshape([3, 3, 1]);

  it('packPaddedSequence lays out step by step, sorted by decreasing length', () => {
    const p = packPaddedSequence(x, [2, 3, 1], { enforceSorted: false });
    expect(p.batchSizes).toEqual([3, 2, 1]);
    expect(p.sortedIndices).toEqual([1, 0, 2]);
    expect(p.unsortedIndices).toEqual([1, 0, 2]);
    expect(values(p.data)).toEqual([1, 0, 2, 11, 10, 21]);
    expect(p.lengths()).toEqual([2, 3, 1]);
    // Already sorted: no permutation.
    const s = packPaddedSequence(x, tensor([3, 2, 2], { dtype: 'int32' }));
    expect(s.sortedIndices).toBeNull();
    expect(values(s.data)).toEqual([0, 1, 2, 10, 11, 12, 20]);
  });

  it('padPackedSequence inverts it, with padding value, total length and batchFirst', () => {
    const p = packPaddedSequence(x.transpose(0, 1), [2, 3, 1], { batchFirst: true, enforceSorted: false });
    const [padded, lengths] = padPackedSequence(p, { paddingValue: -1, totalLength: 4 });
    expect(padded.shape).toEqual([4, 3, 1]);
    expect(values(lengths)).toEqual([2, 3, 1]);
    expect(values(padded)).toEqual([0, 1, 2, 10, 11, -1, -1, 21, -1, -1, -1, -1]);
    const [bf] = padPackedSequence(p, { batchFirst: true });
    expect(bf.shape).toEqual([3, 3, 1]);
    expect(values(bf)).toEqual([0, 10, 0, 1, 11, 21, 2, 0, 0]);
  });

  it('padSequence and packSequence take a list of sequences', () => {
    const seqs = [tensor([[1], [2], [3]]), tensor([[4]]), tensor([[5], [6]])];
    const padded = padSequence(seqs, { batchFirst: true, paddingValue: 9 });
    expect(padded.shape).toEqual([3, 3, 1]);
    expect(values(padded)).toEqual([1, 2, 3, 4, 9, 9, 5, 6, 9]);
    const packed = packSequence(seqs, { enforceSorted: false });
    expect(packed.batchSizes).toEqual([3, 2, 1]);
    expect(values(packed.data)).toEqual([1, 5, 4, 2, 6, 3]);
    expect(() => packSequence(seqs)).toThrow(/sorted in decreasing order/);
  });

  it('PackedSequence checks its batch sizes', () => {
    expect(() => new PackedSequence(tensor([1, 2, 3]), [1, 2])).toThrow(/non-increasing/);
    expect(() => new PackedSequence(tensor([1, 2, 3]), [2, 2])).toThrow(/sum to data.shape\[0\] = 3/);
  });
});

describe('variable-length batches give the results of running each sequence alone', () => {
  const lengths = [5, 2, 3];
  it.each([
    ['LSTM', () => new LSTM(3, 4, { numLayers: 2, bidirectional: true, dtype: 'float64' })],
    ['GRU', () => new GRU(3, 4, { bidirectional: true, dtype: 'float64' })],
    ['RNN', () => new RNN(3, 4, { numLayers: 2, dtype: 'float64' })],
  ] as const)('%s: lengths option and PackedSequence', (_, make) => {
    manualSeed(40);
    const m = make();
    const LD = m.numLayers * m.numDirections;
    const x = randn64(41, [5, 3, 3]);
    const h0 = randn64(42, [LD, 3, 4]);
    const c0 = randn64(43, [LD, 3, 4]);
    type Out = readonly [Tensor | PackedSequence, Tensor, Tensor | null];
    const call = (input: Tensor | PackedSequence, h: Tensor, c: Tensor, opts = {}): Out => {
      if (m instanceof LSTM) {
        const [o, [hh, cc]] = m.forward(input as Tensor, [h, c], opts);
        return [o, hh, cc];
      }
      const [o, hh] = (m as RNN).forward(input as Tensor, h, opts);
      return [o, hh, null];
    };
    const [out, hN, cN] = call(x, h0, c0, { lengths });
    const [packedOut, hP, cP] = call(packPaddedSequence(x, lengths, { enforceSorted: false }), h0, c0);
    const [unpacked] = padPackedSequence(packedOut as PackedSequence);
    expectClose(unpacked, out as Tensor, 1e-12);
    expectClose(hP, hN, 1e-12);
    if (cN) expectClose(cP as Tensor, cN, 1e-12);
    lengths.forEach((len, n) => {
      const [alone, hA, cA] = call(x.slice(0, 0, len).slice(1, n, n + 1), h0.slice(1, n, n + 1), c0.slice(1, n, n + 1));
      const col = (out as Tensor).slice(1, n, n + 1);
      expectClose(col.slice(0, 0, len), alone as Tensor, 1e-12);
      // Outputs past the length are zero.
      expect(values(col.slice(0, len)).every((v) => v === 0)).toBe(true);
      expectClose(hN.slice(1, n, n + 1), hA, 1e-12);
      if (cN) expectClose(cN.slice(1, n, n + 1), cA as Tensor, 1e-12);
    });
  });

  it('batchFirst with a lengths tensor', () => {
    manualSeed(44);
    const gru = new GRU(2, 3, { batchFirst: true, dtype: 'float64' });
    const x = randn64(45, [2, 4, 2]);
    const [out, h] = gru.forward(x, null, { lengths: tensor([2, 4], { dtype: 'int32' }) });
    const [alone, hA] = gru.forward(x.slice(0, 0, 1).slice(1, 0, 2));
    expectClose(out.slice(0, 0, 1).slice(1, 0, 2), alone, 1e-12);
    expectClose(h.slice(1, 0, 1), hA, 1e-12);
  });
});

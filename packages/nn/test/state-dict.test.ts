import './helpers.js';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '@plexus/tensor';
import { ArgumentError, DTypeError, ShapeError, manualSeed, randn, zeros } from '@plexus/tensor';
import { BatchNorm1d, Linear, ReLU, Sequential } from '../src/index.js';
import { values } from './helpers.js';

const makeModel = (): Sequential => new Sequential(new Linear(3, 4), new BatchNorm1d(4), new ReLU(), new Linear(4, 2));

describe('stateDict / loadStateDict', () => {
  it('round-trips parameters and buffers into a fresh model', () => {
    manualSeed(1);
    const a = makeModel();
    a.forward(randn([8, 3])); // updates the BatchNorm running statistics
    const dict = a.stateDict();
    expect(Object.keys(dict)).toEqual([
      '0.weight', '0.bias', '1.weight', '1.bias', '1.runningMean', '1.runningVar', '1.numBatchesTracked', '3.weight', '3.bias',
    ]);
    expect(dict['0.weight'].requiresGrad).toBe(false);
    manualSeed(2);
    const b = makeModel();
    expect(values(b.at(0).forward(zeros([1, 3])))).not.toEqual(values(a.at(0).forward(zeros([1, 3]))));
    const result = b.loadStateDict(dict);
    expect(result).toEqual({ missingKeys: [], unexpectedKeys: [] });
    a.eval();
    b.eval();
    const x = randn([5, 3]);
    expect(values(b.forward(x))).toEqual(values(a.forward(x)));
    expect(values(b.at(1).getBuffer('numBatchesTracked'))).toEqual([1]);
  });

  it('is a snapshot: later updates to the model do not change it', () => {
    const m = new Linear(2, 2);
    const dict = m.stateDict();
    const before = values(dict.weight);
    m.weight.assign(zeros([2, 2]));
    expect(values(dict.weight)).toEqual(before);
  });

  it('loads in place, keeping the same Parameter objects', () => {
    const m = new Linear(2, 2);
    const w = m.weight;
    m.loadStateDict({ weight: zeros([2, 2]), bias: zeros([2]) });
    expect(m.weight).toBe(w);
    expect(values(m.weight)).toEqual([0, 0, 0, 0]);
  });

  it('reports missing keys', () => {
    const m = makeModel();
    const dict = m.stateDict();
    delete dict['3.bias'];
    delete dict['1.runningVar'];
    expect(() => m.loadStateDict(dict)).toThrow(ArgumentError);
    expect(() => m.loadStateDict(dict)).toThrow(/missing key\(s\): "1\.runningVar", "3\.bias"/);
  });

  it('reports unexpected keys', () => {
    const m = makeModel();
    const dict: Record<string, Tensor> = { ...m.stateDict(), 'head.weight': zeros([1]), extra: zeros([1]) };
    expect(() => m.loadStateDict(dict)).toThrow(/unexpected key\(s\): "head\.weight", "extra"/);
  });

  it('reports every mis-shaped tensor with both shapes, strict or not', () => {
    const m = makeModel();
    const dict = { ...m.stateDict(), '0.weight': zeros([3, 4]), '3.bias': zeros([3]) };
    const call = () => m.loadStateDict(dict, { strict: false });
    expect(call).toThrow(ShapeError);
    expect(call).toThrow(/size mismatch for "0\.weight": the model has \[4,3\], the state dict \[3,4\]/);
    expect(call).toThrow(/size mismatch for "3\.bias": the model has \[2\], the state dict \[3\]/);
  });

  it('reports mistyped tensors', () => {
    const m = new Linear(2, 2);
    const dict = { ...m.stateDict(), bias: zeros([2], { dtype: 'float64' }) };
    expect(() => m.loadStateDict(dict)).toThrow(DTypeError);
    expect(() => m.loadStateDict(dict)).toThrow(/dtype mismatch for "bias": the model has float32, the state dict float64/);
  });

  it('lists all kinds of problems in one error and loads nothing', () => {
    const m = new Linear(2, 2);
    const before = values(m.weight);
    const dict = { weight: zeros([2, 2]), bias: zeros([5]), foo: zeros([1]) };
    expect(() => m.loadStateDict(dict)).toThrow(/unexpected key\(s\): "foo"\n {2}size mismatch for "bias"/);
    expect(values(m.weight)).toEqual(before);
  });

  it('with strict false, loads what matches and returns the missing and unexpected keys', () => {
    const m = new Linear(2, 2);
    const result = m.loadStateDict({ weight: zeros([2, 2]), other: zeros([1]) }, { strict: false });
    expect(result).toEqual({ missingKeys: ['bias'], unexpectedKeys: ['other'] });
    expect(values(m.weight)).toEqual([0, 0, 0, 0]);
  });
});

import { describe, expect, it } from 'vitest';
import {
  ArgumentError, Generator, bernoulli, getDefaultGenerator, manualSeed, philox4x32, rand, randint, randn, randperm,
} from '@plexus/tensor';
import { values } from './helpers.js';

describe('philox4x32', () => {
  // Known-answer vectors from Random123 (kat_vectors, philox4x32_10).
  it('matches the Random123 KAT for a zero counter and key', () => {
    expect(Array.from(philox4x32([0, 0, 0, 0], 0, 0))).toEqual([0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]);
  });
  it('matches the Random123 KAT for an all-ones counter and key', () => {
    const m = 0xffffffff;
    expect(Array.from(philox4x32([m, m, m, m], m, m))).toEqual([0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd]);
  });
  it('matches the Random123 KAT for the pi-digits counter and key', () => {
    expect(Array.from(philox4x32([0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], 0xa4093822, 0x299f31d0))).toEqual([
      0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1,
    ]);
  });
});

describe('seeded generators', () => {
  it('manualSeed gives the same rand/randn/randint/randperm/bernoulli twice', () => {
    const draw = () => {
      manualSeed(1234);
      return [
        values(rand([5])),
        values(randn([7])),
        values(randint(-3, 9, [6])),
        values(randperm(10)),
        values(bernoulli(0.3, [8])),
      ];
    };
    const a = draw();
    const b = draw();
    expect(a).toEqual(b);
  });

  it('different seeds give different values', () => {
    manualSeed(1);
    const a = values(rand([16]));
    manualSeed(2);
    const b = values(rand([16]));
    expect(a).not.toEqual(b);
    manualSeed(1);
    const n1 = values(randn([16]));
    manualSeed(2);
    const n2 = values(randn([16]));
    expect(n1).not.toEqual(n2);
  });

  it('consecutive draws differ, and a fresh seed restarts the stream', () => {
    manualSeed(7);
    const a = values(rand([8]));
    const b = values(rand([8]));
    expect(a).not.toEqual(b);
    manualSeed(7);
    expect(values(rand([8]))).toEqual(a);
  });

  it('a Generator passed in options is independent of the default one', () => {
    manualSeed(0);
    const g = new Generator(99);
    const x = values(rand([4], { generator: g }));
    const y = values(rand([4], { generator: new Generator(99) }));
    expect(x).toEqual(y);
    // The default generator has not advanced.
    expect(getDefaultGenerator().getState()).toEqual({ seed: 0, offset: 0 });
  });

  it('getState/setState replays the stream', () => {
    const g = new Generator(5);
    g.nextUint32(10);
    const state = g.getState();
    const a = Array.from(g.nextUint32(8));
    g.setState(state);
    expect(Array.from(g.nextUint32(8))).toEqual(a);
  });

  it('seeds beyond 32 bits use the high key word', () => {
    const lo = Array.from(new Generator(1).nextUint32(4));
    const hi = Array.from(new Generator(1 + 2 ** 32).nextUint32(4));
    expect(lo).not.toEqual(hi);
  });

  it('manualSeed rejects non-integers', () => {
    expect(() => manualSeed(1.5)).toThrow(ArgumentError);
  });
});

describe('distributions', () => {
  it('rand is in [0, 1), float32 by default, float64 on request', () => {
    manualSeed(3);
    const x = rand([1000]);
    expect(x.dtype).toBe('float32');
    expect(x.shape).toEqual([1000]);
    const v = values(x);
    expect(Math.min(...v)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...v)).toBeLessThan(1);
    expect(rand([2, 3], { dtype: 'float64' }).dtype).toBe('float64');
    expect(() => rand([2], { dtype: 'int32' })).toThrow(ArgumentError);
  });

  it('randn has mean ~0 and std ~1 over 100k samples', () => {
    manualSeed(11);
    const x = randn([100_000]);
    const mean = x.mean().item() as number;
    const std = x.std().item() as number;
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.abs(std - 1)).toBeLessThan(0.02);
    expect(values(x).every(Number.isFinite)).toBe(true);
  });

  it('randn of odd length is the prefix of the next even length', () => {
    const a = values(randn([5], { generator: new Generator(4) }));
    const b = values(randn([6], { generator: new Generator(4) }));
    expect(a).toEqual(b.slice(0, 5));
  });

  it('randint stays in [low, high) and hits every value', () => {
    manualSeed(8);
    const x = randint(-2, 3, [2000]);
    expect(x.dtype).toBe('int32');
    const v = values(x);
    expect(Math.min(...v)).toBe(-2);
    expect(Math.max(...v)).toBe(2);
    expect(new Set(v).size).toBe(5);
    expect(() => randint(3, 3, [1])).toThrow(ArgumentError);
    expect(() => randint(0, 1.5, [1])).toThrow(/randint/);
  });

  it('randperm is a permutation', () => {
    manualSeed(5);
    const p = randperm(50);
    expect(p.dtype).toBe('int32');
    expect(values(p).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(randperm(0).shape).toEqual([0]);
    expect(() => randperm(-1)).toThrow(ArgumentError);
  });

  it('bernoulli gives 0/1 with the requested rate, from a number or a tensor', () => {
    manualSeed(6);
    const b = bernoulli(0.25, [20_000]);
    expect(b.dtype).toBe('float32');
    const v = values(b);
    expect(v.every((x) => x === 0 || x === 1)).toBe(true);
    const rate = v.reduce((a, c) => a + c, 0) / v.length;
    expect(Math.abs(rate - 0.25)).toBeLessThan(0.02);

    const probs = rand([3]).mul(0).add(1); // all ones -> always 1
    expect(values(bernoulli(probs))).toEqual([1, 1, 1]);
    expect(values(bernoulli(0, [4]))).toEqual([0, 0, 0, 0]);
    expect(() => bernoulli(1.5, [2])).toThrow(ArgumentError);
    expect(() => bernoulli(0.5)).toThrow(/shape/);
  });
});

describe('edge cases of the uniform stream', () => {
  // Philox block 11031643 under seed 0 has 0xffffffcc as its last word: 0xffffffcc / 2^32 rounds
  // up to 1 in float32. rand must still stay in [0, 1), and bernoulli(1) must still give 1.
  const state = { seed: 0, offset: 11031643 };
  it('float32 rand never returns 1', () => {
    const g = new Generator();
    g.setState(state);
    expect(g.nextUint32(4)[3]).toBe(0xffffffcc);
    g.setState(state);
    const v = values(rand([4], { generator: g }));
    expect(v[3]).toBeLessThan(1);
    expect(v[3]).toBe(Math.fround(1 - 2 ** -24));
    g.setState(state);
    expect(values(rand([4], { generator: g, dtype: 'float64' }))[3]).toBe(0xffffffcc / 2 ** 32);
  });
  it('bernoulli(1) is always 1', () => {
    const g = new Generator();
    g.setState(state);
    expect(values(bernoulli(1, [4], { generator: g }))).toEqual([1, 1, 1, 1]);
  });
});

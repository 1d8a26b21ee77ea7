import './helpers.js';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '@plexus/tensor';
import { ArgumentError, PlexusError, manualSeed, randn, tensor } from '@plexus/tensor';
import { Identity, Linear, Module, ModuleList, ReLU, Sequential, Tanh } from '../src/index.js';
import { expectClose, values } from './helpers.js';

describe('Sequential', () => {
  it('chains forward calls in order', () => {
    manualSeed(0);
    const a = new Linear(3, 4);
    const b = new Linear(4, 2);
    const seq = new Sequential(a, new Tanh(), b);
    const x = randn([5, 3]);
    expectClose(seq.forward(x), b.forward(a.forward(x).tanh()), 1e-6);
    expect(seq.length).toBe(3);
    expect(seq.at(0)).toBe(a);
    expect(seq.at(-1)).toBe(b);
    expect([...seq]).toHaveLength(3);
    expect(seq.namedParameters().map(([n]) => n)).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
  });

  it('accepts named layers and appends', () => {
    const seq = new Sequential({ fc: new Linear(2, 2), act: new ReLU() });
    expect(seq.namedChildren().map(([n]) => n)).toEqual(['fc', 'act']);
    seq.append(new Identity());
    expect(seq.namedChildren().map(([n]) => n)).toEqual(['fc', 'act', '2']);
    expect(seq.namedParameters().map(([n]) => n)).toEqual(['fc.weight', 'fc.bias']);
  });

  it('an empty Sequential is the identity', () => {
    const x = tensor([1, 2]);
    expect(values(new Sequential().forward(x))).toEqual([1, 2]);
  });

  it('rejects non-modules and bad indices', () => {
    expect(() => new Sequential(new Linear(1, 1), {} as never)).toThrow(ArgumentError);
    expect(() => new Sequential(new Linear(1, 1)).at(1)).toThrow(/index 1 is out of range for 1 module/);
    expect(() => new Sequential({ 'a.b': new ReLU() })).toThrow(/without '\.'/);
  });
});

describe('ModuleList', () => {
  it('registers its items as children named 0, 1, 2', () => {
    class Net extends Module {
      blocks = new ModuleList<Linear>();
      constructor() {
        super();
        for (let i = 0; i < 3; i++) this.blocks.push(new Linear(2, 2));
      }
      forward(x: Tensor): Tensor {
        let y = x;
        for (const b of this.blocks) y = b.forward(y);
        return y;
      }
    }
    const net = new Net();
    expect(net.blocks.length).toBe(3);
    expect(net.namedParameters().map(([n]) => n)).toEqual([
      'blocks.0.weight', 'blocks.0.bias', 'blocks.1.weight', 'blocks.1.bias', 'blocks.2.weight', 'blocks.2.bias',
    ]);
    expect(net.blocks.at(-1)).toBe([...net.blocks][2]);
    expect(net.forward(randn([1, 2])).shape).toEqual([1, 2]);
  });

  it('has no forward and rejects non-modules', () => {
    const list = new ModuleList([new ReLU()]);
    expect(() => list.forward()).toThrow(PlexusError);
    expect(() => list.push(42 as never)).toThrow(/item 1 must be a Module, got number/);
    expect(() => list.at(5)).toThrow(ArgumentError);
  });
});

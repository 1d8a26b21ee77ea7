import './helpers.js';
import { describe, expect, it } from 'vitest';
import { ShapeError, manualSeed, randn } from '@plexus/tensor';
import { BatchNorm1d, Conv2d, Dropout, Flatten, Linear, MaxPool2d, ReLU, Sequential } from '../src/index.js';
import { values } from './helpers.js';

describe('summary', () => {
  it('lists names, types, output shapes and parameter counts, with the total', () => {
    const model = new Sequential(
      new Conv2d(1, 4, 3, { padding: 1 }), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(64, 10),
    );
    const text = model.summary([2, 1, 8, 8]);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^Layer\s+Type\s+Output shape\s+Param #$/);
    const row = (name: string) => lines.find((l) => l.startsWith(`${name} `)) ?? '';
    expect(row('(root)')).toMatch(/Sequential\s+\[2,10\]\s+0$/);
    expect(row('0')).toMatch(/Conv2d\s+\[2,4,8,8\]\s+40$/);
    expect(row('2')).toMatch(/MaxPool2d\s+\[2,4,4,4\]\s+0$/);
    expect(row('3')).toMatch(/Flatten\s+\[2,64\]\s+0$/);
    expect(row('4')).toMatch(/Linear\s+\[2,10\]\s+650$/);
    expect(text).toContain('Total params: 690');
    expect(text).toContain('Trainable params: 690');
    expect(model.numParameters()).toBe(690);
  });

  it('without an input shape shows no shapes, and formats large counts', () => {
    const text = new Sequential(new Linear(1000, 1000)).summary();
    expect(text).toMatch(/0\s+Linear\s+-\s+1,001,000/);
    expect(text).toContain('Total params: 1,001,000');
  });

  it('has no side effects: modes, running stats and forward are restored', () => {
    manualSeed(0);
    const model = new Sequential(new Linear(3, 3), new BatchNorm1d(3), new Dropout(0.5));
    const bn = model.at(1) as BatchNorm1d;
    model.summary([4, 3]);
    expect(model.modules().every((m) => m.training)).toBe(true);
    expect(values(bn.runningMean!)).toEqual([0, 0, 0]);
    expect(Object.prototype.hasOwnProperty.call(model.at(0), 'forward')).toBe(false);
    expect(model.forward(randn([4, 3])).shape).toEqual([4, 3]);
  });

  it('a wrong input shape keeps its error class and names summary', () => {
    const model = new Sequential(new Linear(3, 2));
    expect(() => model.summary([1, 4])).toThrow(ShapeError);
    expect(() => model.summary([1, 4])).toThrow(/Sequential\.summary: the forward pass on zeros of shape \[1,4\] failed: Linear: expected input with last dim 3/);
    expect(Object.prototype.hasOwnProperty.call(model.at(0), 'forward')).toBe(false);
  });
});

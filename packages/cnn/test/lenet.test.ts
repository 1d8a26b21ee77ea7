import './helpers.js';
import { describe, expect, it } from 'vitest';
import { ArgumentError, ShapeError, manualSeed, randn } from '@plexus/tensor';
import type { Conv2d } from '@plexus/nn';
import { AvgPool2d, MaxPool2d, ReLU, Tanh } from '@plexus/nn';
import { LeNet5 } from '../src/index.js';
import { expectDirectionalGradOk, randn64 } from './helpers.js';

describe('LeNet5', () => {
  it('is the 28x28 LeNet-5: pad-2 conv, 61,706 parameters, [N,1,28,28] -> [N,10]', () => {
    manualSeed(0);
    const net = new LeNet5();
    // conv1 6·25+6, conv2 16·6·25+16, fc 400·120+120, 120·84+84, 84·10+10 (the paper's count).
    expect(net.numParameters()).toBe(156 + 2416 + 48120 + 10164 + 850);
    expect(net.numParameters()).toBe(61706);
    expect((net.features.at(0) as Conv2d).padding).toEqual([2, 2]);
    expect((net.features.at(3) as Conv2d).padding).toEqual([0, 0]);
    const x = randn([3, 1, 28, 28]);
    expect(net.features.forward(x).shape).toEqual([3, 16, 5, 5]);
    expect(net.forward(x).shape).toEqual([3, 10]);
  });

  it('takes numClasses, inChannels, imageSize, activation and pool options', () => {
    const net = new LeNet5({ numClasses: 5, inChannels: 3, imageSize: 32, activation: 'tanh', pool: 'avg' });
    expect(net.features.at(1)).toBeInstanceOf(Tanh);
    expect(net.features.at(2)).toBeInstanceOf(AvgPool2d);
    // 32 → 32 → 16 → 12 → 6: the classifier reads 16·6·6 features.
    expect(net.classifier.parameters()[0].shape).toEqual([120, 16 * 6 * 6]);
    expect(net.forward(randn([2, 3, 32, 32])).shape).toEqual([2, 5]);
    const modern = new LeNet5();
    expect(modern.features.at(1)).toBeInstanceOf(ReLU);
    expect(modern.features.at(2)).toBeInstanceOf(MaxPool2d);
  });

  it('has correct gradients w.r.t. every parameter in float64 (directional check)', () => {
    const net = new LeNet5({ dtype: 'float64', activation: 'tanh', imageSize: 16, numClasses: 3 });
    expectDirectionalGradOk(net, randn64(1, [2, 1, 16, 16]));
  });

  it('rejects bad options and inputs with typed errors', () => {
    expect(() => new LeNet5({ numClasses: 0 })).toThrow('LeNet5: numClasses must be a positive integer, got 0');
    expect(() => new LeNet5({ activation: 'gelu' as 'relu' })).toThrow(ArgumentError);
    expect(() => new LeNet5({ pool: 'min' as 'max' })).toThrow("LeNet5: pool must be one of 'max', 'avg', got \"min\"");
    expect(() => new LeNet5({ imageSize: 10 })).toThrow('LeNet5: imageSize must be at least 12 (two 5×5 convs and two 2×2 pools), got 10');
    const net = new LeNet5();
    expect(() => net.forward(randn([2, 1, 32, 32]))).toThrow(ShapeError);
    expect(() => net.forward(randn([2, 1, 32, 32]))).toThrow('LeNet5: expected input [N, 1, 28, 28], got [2,1,32,32]');
    expect(() => net.forward(randn([1, 28, 28]))).toThrow(ShapeError);
  });
});

import './helpers.js';
import { describe, expect, it } from 'vitest';
import { ArgumentError, ShapeError, randn } from '@plexus/tensor';
import type { Conv2d } from '@plexus/nn';
import { BatchNorm2d, Dropout, MaxPool2d } from '@plexus/nn';
import { VGG, vgg } from '../src/index.js';
import { expectDirectionalGradOk, randn64 } from './helpers.js';

describe('vgg', () => {
  it("builds 3x3 convs (padding 1) with ReLU and a max pool per 'M', then a hidden-layer classifier", () => {
    const net = vgg({ config: [32, 32, 'M', 64, 64, 'M'], numClasses: 10 });
    expect(net).toBeInstanceOf(VGG);
    const kinds = [...net.features].map((m) => m.constructor.name);
    expect(kinds).toEqual(['Conv2d', 'ReLU', 'Conv2d', 'ReLU', 'MaxPool2d', 'Conv2d', 'ReLU', 'Conv2d', 'ReLU', 'MaxPool2d']);
    expect((net.features.at(0) as Conv2d).padding).toEqual([1, 1]);
    const x = randn([2, 1, 28, 28]);
    expect(net.features.forward(x).shape).toEqual([2, 64, 7, 7]);
    expect(net.forward(x).shape).toEqual([2, 10]);
    // Convs 320 + 9248 + 18496 + 36928; classifier 3136·128+128 and 128·10+10.
    expect(net.numParameters()).toBe(320 + 9248 + 18496 + 36928 + 401536 + 1290);
    expect(net.classifier.at(2)).toBeInstanceOf(Dropout);
  });

  it('batchNorm adds BN after each conv and drops the conv bias; hidden 0 gives one Linear', () => {
    const net = vgg({ config: [8, 'M', 16], batchNorm: true, hidden: 0, numClasses: 3, inChannels: 3, imageSize: 8 });
    expect([...net.features].map((m) => m.constructor.name)).toEqual(['Conv2d', 'BatchNorm2d', 'ReLU', 'MaxPool2d', 'Conv2d', 'BatchNorm2d', 'ReLU']);
    expect((net.features.at(0) as Conv2d).bias).toBeNull();
    expect(net.features.at(1)).toBeInstanceOf(BatchNorm2d);
    expect(net.features.at(3)).toBeInstanceOf(MaxPool2d);
    expect(net.classifier.length).toBe(1);
    expect(net.classifier.parameters()[0].shape).toEqual([3, 16 * 4 * 4]);
    expect(net.forward(randn([2, 3, 8, 8])).shape).toEqual([2, 3]);
  });

  it('has correct gradients w.r.t. every parameter in float64 (directional check, training and eval mode)', () => {
    // Training mode without dropout (a random mask would differ between the finite-difference calls).
    expectDirectionalGradOk(vgg({ config: [4, 'M', 6, 'M'], hidden: 5, imageSize: 8, numClasses: 3, batchNorm: true, dropout: 0, dtype: 'float64' }), randn64(2, [3, 1, 8, 8]));
    const net = vgg({ config: [4, 'M', 6, 'M'], hidden: 5, imageSize: 8, numClasses: 3, dtype: 'float64' });
    net.eval(); // dropout off
    expectDirectionalGradOk(net, randn64(3, [2, 1, 8, 8]));
  });

  it('rejects bad configs, options and inputs with typed errors', () => {
    expect(() => vgg({ config: ['M'] })).toThrow(ArgumentError);
    expect(() => vgg({ config: [32, 'X' as 'M'] })).toThrow(`vgg: config[1] must be a positive integer (conv channels) or 'M' (max pool), got "X"`);
    expect(() => vgg({ config: [8, 'M', 'M', 'M', 'M', 'M'] })).toThrow('vgg: config [8, M, M, M, M, M] pools a 28×28 image below 1×1');
    expect(() => vgg({ dropout: 1 })).toThrow('vgg: dropout must be in [0, 1), got 1');
    expect(() => vgg({ hidden: -1 })).toThrow(ArgumentError);
    expect(() => vgg().forward(randn([1, 1, 32, 32]))).toThrow(ShapeError);
    expect(() => vgg().forward(randn([1, 1, 32, 32]))).toThrow('VGG: expected input [N, 1, 28, 28], got [1,1,32,32]');
  });
});

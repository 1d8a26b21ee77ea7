import './helpers.js';
import { describe, expect, it } from 'vitest';
import { ArgumentError, ShapeError, manualSeed, randn } from '@plexus/tensor';
import type { BasicBlock } from '@plexus/nn';
import { BatchNorm2d, Bottleneck, Conv2d } from '@plexus/nn';
import { ResNet, resnet } from '../src/index.js';
import { expectDirectionalGradOk, expectModelGradOk, randn64 } from './helpers.js';

/** Standard deviation of a tensor's values. */
function std(values: ArrayLike<number>): number {
  const v = Array.from(values);
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length);
}

describe('resnet', () => {
  it('ResNet-20 (depth 6·3+2) has 3 stages of 3 basic blocks and 272,474 parameters on 3 channels', () => {
    const net = resnet({ depth: 20, inChannels: 3 });
    expect(net).toBeInstanceOf(ResNet);
    expect(net.blocks).toEqual([3, 3, 3]);
    expect(net.depth).toBe(20);
    // Hand count: stem 432+32; stage 1 3·(2·2304+64); stage 2 (4608+9216+128) + 2·(2·9216+128);
    // stage 3 (18432+36864+256) + 2·(2·36864+256); fc 650 (= 269,722, the usual "0.27M"), plus
    // the two projection shortcuts 16·32+64 and 32·64+128.
    expect(net.numParameters()).toBe(464 + 14016 + 51072 + 203520 + 650 + 576 + 2176);
    const convs = net.modules().filter((m) => m instanceof Conv2d);
    expect(convs).toHaveLength(19 + 2);
    expect(net.forward(randn([2, 3, 28, 28])).shape).toEqual([2, 10]);
  });

  it('blocks per stage set widths width·2^i and halve the resolution after the first stage', () => {
    const net = resnet({ blocks: [1, 2], width: 8, numClasses: 4 });
    expect(net.depth).toBe(1 + 2 * 3 + 1);
    const stage2 = net.layers.at(1);
    expect((stage2.at(0) as BasicBlock).stride).toBe(2);
    expect((stage2.at(0) as BasicBlock).outChannels).toBe(16);
    expect((stage2.at(1) as BasicBlock).stride).toBe(1);
    expect(net.fc.inFeatures).toBe(16);
    expect(net.forward(randn([2, 1, 9, 9])).shape).toEqual([2, 4]);
    expect(resnet().blocks).toEqual([3, 3, 3]);
    expect(resnet({ depth: 14, blocks: [2, 2, 2] }).depth).toBe(14);
  });

  it('bottleneck blocks count 3 layers each (depth 9n+2) and output 4·width·2^i channels', () => {
    const net = resnet({ depth: 11, block: 'bottleneck', width: 4 });
    expect(net.blocks).toEqual([1, 1, 1]);
    expect(net.layers.at(0).at(0)).toBeInstanceOf(Bottleneck);
    expect(net.fc.inFeatures).toBe(4 * 4 * 4);
    expect(net.forward(randn([1, 1, 8, 8])).shape).toEqual([1, 10]);
  });

  it('the plain twin has the same depth and conv shapes, no BN, no shortcuts, biased convs', () => {
    const res = resnet({ depth: 14, width: 8 });
    const plain = resnet({ depth: 14, width: 8, residual: false, batchNorm: false });
    expect(plain.depth).toBe(res.depth);
    expect(plain.modules().some((m) => m instanceof BatchNorm2d)).toBe(false);
    const shapes = (n: ResNet) => n.namedParameters().filter(([name]) => name.endsWith('weight') && !name.includes('downsample'))
      .map(([, p]) => p.shape.join('x')).filter((s) => s.includes('x'));
    expect(shapes(plain)).toEqual(shapes(res));
    expect(plain.namedParameters().some(([n]) => n.includes('downsample'))).toBe(false);
    expect((plain.conv1.bias)).not.toBeNull();
    expect(res.conv1.bias).toBeNull();
  });

  it("init 'kaiming' gives conv weights std √(2/fanOut); 'default' keeps PyTorch's U(±1/√fanIn)", () => {
    manualSeed(3);
    const he = resnet({ blocks: [1], width: 32 });
    const w = he.layers.at(0).at(0) as BasicBlock;
    // fanOut = 32·9: std √(2/288) = 0.0833.
    expect(std(w.conv2.weight.dataSync())).toBeCloseTo(Math.sqrt(2 / 288), 2);
    const plain = resnet({ blocks: [1], width: 32, batchNorm: false, init: 'default' });
    const p = (plain.layers.at(0).at(0) as BasicBlock).conv2.weight;
    // U(−b, b) with b = 1/√288 has std b/√3.
    expect(std(p.dataSync())).toBeCloseTo(1 / Math.sqrt(288) / Math.sqrt(3), 2);
    const zero = resnet({ blocks: [1, 1], width: 4, zeroInitResidual: true });
    for (const stage of zero.layers) expect(Array.from((stage.at(0) as BasicBlock).bn2!.weight!.dataSync())).toEqual([0, 0, 0, 0, 0, 0, 0, 0].slice(0, (stage.at(0) as BasicBlock).outChannels));
  });

  it('passes gradCheck in float64 w.r.t. input and every parameter (residual+BN and plain; directional for larger ones)', () => {
    manualSeed(4);
    expectModelGradOk(resnet({ blocks: [1], width: 2, numClasses: 3, dtype: 'float64' }), randn64(5, [2, 1, 4, 4]));
    expectDirectionalGradOk(resnet({ blocks: [1, 1], width: 2, numClasses: 3, dtype: 'float64' }), randn64(8, [2, 1, 5, 5]));
    expectModelGradOk(resnet({ blocks: [1, 1], width: 2, numClasses: 3, residual: false, batchNorm: false, dtype: 'float64' }), randn64(6, [2, 1, 4, 4]));
    expectDirectionalGradOk(resnet({ depth: 11, block: 'bottleneck', width: 2, dtype: 'float64' }), randn64(7, [2, 1, 6, 6]));
  });

  it('rejects bad depths, blocks, options and inputs with typed errors', () => {
    expect(() => resnet({ depth: 21 })).toThrow('resnet: depth must be 6n+2 (8, 14, 20, 26, 32, …) with basic blocks, got 21');
    expect(() => resnet({ depth: 21, block: 'bottleneck' })).toThrow('resnet: depth must be 9n+2 (11, 20, 29, 38, 47, …) with bottleneck blocks, got 21');
    expect(resnet({ depth: 20, block: 'bottleneck', width: 2 }).blocks).toEqual([2, 2, 2]);
    expect(() => resnet({ blocks: [] })).toThrow(ArgumentError);
    expect(() => resnet({ blocks: [2, 0] })).toThrow('resnet: blocks[1] must be a positive integer, got 0');
    expect(() => resnet({ depth: 20, blocks: [1, 1] })).toThrow('resnet: depth 20 does not match blocks [1, 1]; give one of them');
    expect(() => resnet({ width: 0 })).toThrow('resnet: width must be a positive integer, got 0');
    expect(() => resnet({ residual: 'yes' as unknown as boolean })).toThrow(ArgumentError);
    expect(() => resnet({ init: 'xavier' as 'kaiming' })).toThrow("resnet: init must be one of 'kaiming', 'default', got \"xavier\"");
    expect(() => resnet({ batchNorm: false, zeroInitResidual: true })).toThrow(/zeroInitResidual needs batchNorm/);
    const net = resnet({ depth: 8, width: 4 });
    expect(() => net.forward(randn([2, 3, 8, 8]))).toThrow(ShapeError);
    expect(() => net.forward(randn([2, 3, 8, 8]))).toThrow('ResNet: expected input [N, 1, H, W] (1 channels), got [2,3,8,8]');
  });
});

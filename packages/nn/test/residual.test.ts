import './helpers.js';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '@plexus/tensor';
import { ArgumentError, DTypeError, ShapeError, noGrad, randn, zeros } from '@plexus/tensor';
import { BasicBlock, Bottleneck } from '../src/index.js';
import { expectClose, expectLayerGradOk, f64, randn64, values } from './helpers.js';

const EPS = 1e-5;

/** Puts `value` into a parameter in place (as an optimizer step would). */
function set(p: Tensor, value: Tensor): void {
  noGrad(() => p.assign(value));
}

/** A 3×3 kernel that copies input channel o to output channel o (a centred 1, zeros elsewhere). */
function identityKernel(channels: number): Tensor {
  const w = Array.from({ length: channels }, (_, o) =>
    Array.from({ length: channels }, (_, i) => [[0, 0, 0], [0, o === i ? 1 : 0, 0], [0, 0, 0]]));
  return f64(w);
}

describe('BasicBlock', () => {
  it('has torchvision\'s layout: conv3x3-BN-ReLU-conv3x3-BN, a 1x1 conv + BN shortcut when the shape changes', () => {
    const block = new BasicBlock(16, 32, { stride: 2 });
    expect(block.namedParameters().map(([n, p]) => `${n}:${p.shape.join('x')}`)).toEqual([
      'conv1.weight:32x16x3x3', 'bn1.weight:32', 'bn1.bias:32', 'conv2.weight:32x32x3x3', 'bn2.weight:32', 'bn2.bias:32',
      'downsample.0.weight:32x16x1x1', 'downsample.1.weight:32', 'downsample.1.bias:32',
    ]);
    expect(block.numParameters()).toBe(4608 + 64 + 9216 + 64 + 512 + 64);
    expect(block.forward(randn([2, 16, 7, 7])).shape).toEqual([2, 32, 4, 4]);
    // Same shape in and out: the identity shortcut, no projection.
    const same = new BasicBlock(8, 8);
    expect(same.downsample).toBeNull();
    expect(same.forward(randn([1, 8, 5, 6])).shape).toEqual([1, 8, 5, 6]);
    // The plain block has no shortcut and no BN; its convs carry a bias instead.
    const plain = new BasicBlock(16, 32, { stride: 2, residual: false, batchNorm: false });
    expect(plain.namedParameters().map(([n]) => n)).toEqual(['conv1.weight', 'conv1.bias', 'conv2.weight', 'conv2.bias']);
    expect(plain.numParameters()).toBe(4608 + 32 + 9216 + 32);
  });

  it('computes relu(bn2(conv2(relu(bn1(conv1 x)))) + x) (hand-computed with identity kernels, eval mode)', () => {
    const block = new BasicBlock(2, 2, { dtype: 'float64' }).eval();
    set(block.conv1.weight, identityKernel(2));
    set(block.conv2.weight, identityKernel(2));
    const x = randn64(1, [2, 2, 3, 4]);
    // Fresh running statistics (mean 0, var 1) make each BN a division by s = √(1 + eps).
    const want = values(x).map((v) => Math.max(0, Math.max(0, v) / (1 + EPS) + v));
    expectClose(block.forward(x), want, 1e-12);
    const plain = new BasicBlock(2, 2, { residual: false, dtype: 'float64' }).eval();
    set(plain.conv1.weight, identityKernel(2));
    set(plain.conv2.weight, identityKernel(2));
    expectClose(plain.forward(x), values(x).map((v) => Math.max(0, v) / (1 + EPS)), 1e-12);
  });

  it('in training mode, a zero main path gives relu(x + bn2.bias) (BN of a constant is its bias)', () => {
    const block = new BasicBlock(2, 2, { dtype: 'float64' });
    set(block.conv2.weight, zeros([2, 2, 3, 3], { dtype: 'float64' }));
    set(block.bn2!.bias!, f64([0.5, -0.25]));
    const x = randn64(2, [3, 2, 2, 2]);
    const want = values(x).map((v, i) => Math.max(0, v + (Math.floor(i / 4) % 2 === 0 ? 0.5 : -0.25)));
    expectClose(block.forward(x), want, 1e-12);
  });

  it('the projection shortcut is a strided 1x1 conv then BN (hand-computed, eval mode)', () => {
    const block = new BasicBlock(1, 2, { stride: 2, dtype: 'float64' }).eval();
    set(block.conv1.weight, zeros([2, 1, 3, 3], { dtype: 'float64' }));
    set(block.downsample!.at(0).parameters()[0], f64([[[[1]]], [[[-2]]]]));
    const x = f64([[[[1, -2, 3], [4, 5, 6], [-7, 8, 9]]]]);
    // The stride-2 1x1 conv reads rows/cols 0 and 2: [1, 3, -7, 9]; channel 1 is −2 times that.
    const s = Math.sqrt(1 + EPS);
    const picked = [1, 3, -7, 9];
    const want = [...picked.map((v) => Math.max(0, v / s)), ...picked.map((v) => Math.max(0, (-2 * v) / s))];
    const y = block.forward(x);
    expect(y.shape).toEqual([1, 2, 2, 2]);
    expectClose(y, want, 1e-12);
  });

  it('passes gradCheck in float64 w.r.t. input and all parameters (training and eval, with and without BN/shortcut)', () => {
    const block = new BasicBlock(2, 3, { stride: 2, dtype: 'float64' });
    expectLayerGradOk(block, [randn64(3, [2, 2, 5, 5])]);
    block.forward(randn64(4, [2, 2, 5, 5]).mul(2).add(0.5)); // non-trivial running statistics
    block.eval();
    expectLayerGradOk(block, [randn64(5, [2, 2, 4, 4])]);
    expectLayerGradOk(new BasicBlock(2, 2, { dtype: 'float64' }), [randn64(6, [2, 2, 3, 3])]);
    expectLayerGradOk(new BasicBlock(2, 3, { stride: 2, residual: false, batchNorm: false, dtype: 'float64' }), [randn64(7, [2, 2, 4, 4])]);
    expectLayerGradOk(new BasicBlock(2, 3, { residual: true, batchNorm: false, dtype: 'float64' }), [randn64(8, [1, 2, 3, 3])]);
  });

  it('rejects bad sizes, options and inputs with typed errors naming the block', () => {
    expect(() => new BasicBlock(0, 4)).toThrow(ArgumentError);
    expect(() => new BasicBlock(4, 2.5)).toThrow('BasicBlock: outChannels must be a positive integer, got 2.5');
    expect(() => new BasicBlock(4, 4, { stride: 0 })).toThrow('BasicBlock: stride must be a positive integer, got 0');
    expect(() => new BasicBlock(4, 4, { residual: 'no' as unknown as boolean })).toThrow(ArgumentError);
    expect(() => new BasicBlock(4, 4, { batchNorm: 1 as unknown as boolean })).toThrow('BasicBlock: batchNorm must be a boolean, got 1');
    expect(() => new BasicBlock(4, 4, { dtype: 'int32' })).toThrow(DTypeError);
    const block = new BasicBlock(4, 8);
    expect(() => block.forward(randn([2, 3, 8, 8]))).toThrow(ShapeError);
    expect(() => block.forward(randn([2, 3, 8, 8]))).toThrow('BasicBlock: expected input [N, 4, H, W] (4 channels), got [2,3,8,8]');
    expect(() => block.forward(randn([4, 8, 8]))).toThrow('BasicBlock: expected input [N, 4, H, W] (4 channels), got [4,8,8]');
  });
});

describe('Bottleneck', () => {
  it('narrows to planes with 1x1 convs, strides the 3x3 conv and widens to 4·planes', () => {
    const block = new Bottleneck(8, 4, { stride: 2 });
    expect(block.outChannels).toBe(16);
    expect(Bottleneck.expansion).toBe(4);
    expect(BasicBlock.expansion).toBe(1);
    expect(block.namedParameters().map(([n, p]) => `${n}:${p.shape.join('x')}`)).toEqual([
      'conv1.weight:4x8x1x1', 'bn1.weight:4', 'bn1.bias:4', 'conv2.weight:4x4x3x3', 'bn2.weight:4', 'bn2.bias:4',
      'conv3.weight:16x4x1x1', 'bn3.weight:16', 'bn3.bias:16', 'downsample.0.weight:16x8x1x1', 'downsample.1.weight:16', 'downsample.1.bias:16',
    ]);
    expect(block.conv2.stride).toEqual([2, 2]);
    expect(block.conv1.stride).toEqual([1, 1]);
    expect(block.forward(randn([2, 8, 6, 6])).shape).toEqual([2, 16, 3, 3]);
    expect(new Bottleneck(16, 4).downsample).toBeNull();
  });

  it('in training mode, a zero last conv gives relu(x + bn3.bias) through the identity shortcut', () => {
    const block = new Bottleneck(4, 1, { dtype: 'float64' });
    set(block.conv3.weight, zeros([4, 1, 1, 1], { dtype: 'float64' }));
    set(block.bn3!.bias!, f64([1, -1, 0.5, 0]));
    const x = randn64(9, [2, 4, 2, 3]);
    const bias = [1, -1, 0.5, 0];
    expectClose(block.forward(x), values(x).map((v, i) => Math.max(0, v + bias[Math.floor(i / 6) % 4])), 1e-12);
  });

  it('passes gradCheck in float64 w.r.t. input and all parameters', () => {
    expectLayerGradOk(new Bottleneck(4, 2, { stride: 2, dtype: 'float64' }), [randn64(10, [2, 4, 4, 4])]);
    expectLayerGradOk(new Bottleneck(4, 1, { residual: false, batchNorm: false, dtype: 'float64' }), [randn64(11, [1, 4, 3, 3])]);
  });

  it('rejects bad sizes and inputs', () => {
    expect(() => new Bottleneck(8, 0)).toThrow('Bottleneck: planes must be a positive integer, got 0');
    expect(() => new Bottleneck(8, 2).forward(randn([1, 4, 4, 4]))).toThrow('Bottleneck: expected input [N, 8, H, W] (8 channels), got [1,4,4,4]');
  });
});

import type { Tensor } from '@plexus/tensor';
import { ShapeError, fmtShape } from '@plexus/tensor';
import { Sequential } from '../containers.js';
import { Module } from '../module.js';
import { BatchNorm2d } from './batchnorm.js';
import { Conv2d } from './conv.js';
import type { FactoryOptions } from './options.js';
import { checkBool, checkPositiveInt, floatDType } from './options.js';

export interface ResidualBlockOptions extends FactoryOptions {
  /** Stride of the block's 3×3 conv and of the projection shortcut; 2 halves H and W (default 1). */
  stride?: number;
  /** BatchNorm2d after every conv (default true). Without it the convs get a bias instead. */
  batchNorm?: boolean;
  /**
   * Add the shortcut (default true). false gives the "plain" block of He et al. (2016): the same
   * convs without the skip connection, the baseline that shows why the shortcut matters.
   */
  residual?: boolean;
}

interface ResolvedOptions {
  stride: number;
  batchNorm: boolean;
  residual: boolean;
  dtype: FactoryOptions['dtype'];
}

function resolve(layer: string, inChannels: number, outChannels: number, options: ResidualBlockOptions): ResolvedOptions {
  checkPositiveInt(layer, 'inChannels', inChannels);
  checkPositiveInt(layer, 'outChannels', outChannels);
  const { stride = 1, batchNorm = true, residual = true } = options;
  checkPositiveInt(layer, 'stride', stride);
  checkBool(layer, 'batchNorm', batchNorm);
  checkBool(layer, 'residual', residual);
  return { stride, batchNorm, residual, dtype: floatDType(layer, options.dtype) };
}

/** A k×k conv with "same"-style padding k/2 (so only the stride changes H and W); biased only without BN. */
function conv(inC: number, outC: number, k: 1 | 3, stride: number, o: ResolvedOptions): Conv2d {
  return new Conv2d(inC, outC, k, { stride, padding: (k - 1) / 2, bias: !o.batchNorm, dtype: o.dtype });
}

function norm(channels: number, o: ResolvedOptions): BatchNorm2d | null {
  return o.batchNorm ? new BatchNorm2d(channels, { dtype: o.dtype }) : null;
}

/**
 * The projection shortcut (1×1 conv, stride s, then BN), needed when the block changes the
 * channel count or the resolution, so the identity cannot be added; null when the identity fits
 * or when the block has no shortcut at all.
 */
function downsample(inC: number, outC: number, o: ResolvedOptions): Sequential | null {
  if (!o.residual || (inC === outC && o.stride === 1)) return null;
  const bn = norm(outC, o);
  return bn ? new Sequential(conv(inC, outC, 1, o.stride, o), bn) : new Sequential(conv(inC, outC, 1, o.stride, o));
}

/** conv → BN (when present). */
function convBn(c: Conv2d, bn: BatchNorm2d | null, x: Tensor): Tensor {
  const y = c.forward(x);
  return bn ? bn.forward(y) : y;
}

abstract class ResidualBase extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly stride: number;
  readonly residual: boolean;
  readonly batchNorm: boolean;

  protected constructor(private readonly layer: string, inChannels: number, outChannels: number, o: ResolvedOptions) {
    super();
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.stride = o.stride;
    this.residual = o.residual;
    this.batchNorm = o.batchNorm;
  }

  protected checkInput(x: Tensor): void {
    if (x.rank !== 4 || x.shape[1] !== this.inChannels || x.shape[2] === 0 || x.shape[3] === 0) {
      throw new ShapeError(`${this.layer}: expected input [N, ${this.inChannels}, H, W] (${this.inChannels} channels), got ${fmtShape(x.shape)}`);
    }
  }

  /** relu(main + shortcut), or relu(main) for a plain block. */
  protected finish(main: Tensor, x: Tensor, shortcut: Sequential | null): Tensor {
    if (!this.residual) return main.relu();
    return main.add(shortcut ? shortcut.forward(x) : x).relu();
  }

  override extraRepr(): string {
    return `${this.inChannels}, ${this.outChannels}, stride=${this.stride}, batchNorm=${this.batchNorm}, residual=${this.residual}`;
  }
}

/**
 * The residual block of ResNet-18/34 (torchvision's BasicBlock): conv3×3(stride) → BN → ReLU →
 * conv3×3 → BN, plus the shortcut (identity, or 1×1 conv + BN when the shape changes), then
 * ReLU. [N, inChannels, H, W] → [N, outChannels, ⌈H/stride⌉, ⌈W/stride⌉].
 */
export class BasicBlock extends ResidualBase {
  /** Output channels per `planes` (torchvision's name): 1 here, 4 for Bottleneck. */
  static readonly expansion = 1;
  conv1: Conv2d;
  bn1: BatchNorm2d | null;
  conv2: Conv2d;
  bn2: BatchNorm2d | null;
  downsample: Sequential | null;

  constructor(inChannels: number, outChannels: number, options: ResidualBlockOptions = {}) {
    const o = resolve('BasicBlock', inChannels, outChannels, options);
    super('BasicBlock', inChannels, outChannels, o);
    this.conv1 = conv(inChannels, outChannels, 3, o.stride, o);
    this.bn1 = norm(outChannels, o);
    this.conv2 = conv(outChannels, outChannels, 3, 1, o);
    this.bn2 = norm(outChannels, o);
    this.downsample = downsample(inChannels, outChannels, o);
  }

  forward(x: Tensor): Tensor {
    this.checkInput(x);
    const h = convBn(this.conv1, this.bn1, x).relu();
    return this.finish(convBn(this.conv2, this.bn2, h), x, this.downsample);
  }
}

/**
 * The residual block of ResNet-50/101/152 (torchvision's Bottleneck, "ResNet v1.5": the stride is
 * on the 3×3 conv): conv1×1 → BN → ReLU → conv3×3(stride) → BN → ReLU → conv1×1 → BN, plus the
 * shortcut, then ReLU. The 1×1 convs narrow the block to `planes` channels and widen it back to
 * planes·4, so the 3×3 conv is cheap. [N, inChannels, H, W] → [N, 4·planes, ⌈H/s⌉, ⌈W/s⌉].
 */
export class Bottleneck extends ResidualBase {
  static readonly expansion = 4;
  readonly planes: number;
  conv1: Conv2d;
  bn1: BatchNorm2d | null;
  conv2: Conv2d;
  bn2: BatchNorm2d | null;
  conv3: Conv2d;
  bn3: BatchNorm2d | null;
  downsample: Sequential | null;

  constructor(inChannels: number, planes: number, options: ResidualBlockOptions = {}) {
    checkPositiveInt('Bottleneck', 'planes', planes);
    const outChannels = planes * Bottleneck.expansion;
    const o = resolve('Bottleneck', inChannels, outChannels, options);
    super('Bottleneck', inChannels, outChannels, o);
    this.planes = planes;
    this.conv1 = conv(inChannels, planes, 1, 1, o);
    this.bn1 = norm(planes, o);
    this.conv2 = conv(planes, planes, 3, o.stride, o);
    this.bn2 = norm(planes, o);
    this.conv3 = conv(planes, outChannels, 1, 1, o);
    this.bn3 = norm(outChannels, o);
    this.downsample = downsample(inChannels, outChannels, o);
  }

  forward(x: Tensor): Tensor {
    this.checkInput(x);
    const h1 = convBn(this.conv1, this.bn1, x).relu();
    const h2 = convBn(this.conv2, this.bn2, h1).relu();
    return this.finish(convBn(this.conv3, this.bn3, h2), x, this.downsample);
  }
}

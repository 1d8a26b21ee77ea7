import type { Tensor } from '@plexus/tensor';
import { ArgumentError, ShapeError, conv1d, conv2d, convTranspose2d, fmtShape, zeros } from '@plexus/tensor';
import { fanInAndFanOut, kaimingUniform_, uniform_ } from '../init.js';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import type { FactoryOptions } from './options.js';
import { checkBool, checkPositiveInt, floatDType, pairOf } from './options.js';

type Pair = number | [number, number];

export interface Conv2dOptions extends FactoryOptions {
  stride?: Pair;
  /** Zeros added on each side, or 'valid' (none) or 'same' (output as large as the input; stride 1). */
  padding?: Pair | 'valid' | 'same';
  dilation?: Pair;
  groups?: number;
  bias?: boolean;
}

export interface Conv1dOptions extends FactoryOptions {
  stride?: number;
  padding?: number | 'valid' | 'same';
  dilation?: number;
  groups?: number;
  bias?: boolean;
}

export interface ConvTranspose2dOptions extends FactoryOptions {
  stride?: Pair;
  padding?: Pair;
  /** Extra rows/columns on one side of the output, to pick among the sizes a stride maps to one input size. */
  outputPadding?: Pair;
  dilation?: Pair;
  groups?: number;
  bias?: boolean;
}

/**
 * Shared by the convolutions: validated channel counts, the weight and the optional bias with
 * PyTorch's initialisation: kaiming_uniform(a = √5) for the weight, i.e. U(−1/√fanIn, 1/√fanIn),
 * and the same bound for the bias, where fanIn = weight.shape[1]·kernel area.
 */
abstract class ConvBase extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly groups: number;
  weight: Parameter;
  bias: Parameter | null;

  protected constructor(
    layer: string,
    inChannels: number,
    outChannels: number,
    weightShape: (inPerGroup: number, outPerGroup: number) => number[],
    options: { groups?: number; bias?: boolean } & FactoryOptions,
  ) {
    super();
    checkPositiveInt(layer, 'inChannels', inChannels);
    checkPositiveInt(layer, 'outChannels', outChannels);
    const groups = options.groups ?? 1;
    checkPositiveInt(layer, 'groups', groups);
    if (inChannels % groups !== 0 || outChannels % groups !== 0) {
      throw new ArgumentError(`${layer}: inChannels (${inChannels}) and outChannels (${outChannels}) must be divisible by groups (${groups})`);
    }
    const bias = options.bias ?? true;
    checkBool(layer, 'bias', bias);
    const dtype = floatDType(layer, options.dtype);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.groups = groups;
    this.weight = new Parameter(zeros(weightShape(inChannels / groups, outChannels / groups), { dtype }));
    this.bias = bias ? new Parameter(zeros([outChannels], { dtype })) : null;
    this.resetParameters();
  }

  resetParameters(): void {
    kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias) {
      const bound = 1 / Math.sqrt(fanInAndFanOut(this.weight)[0]);
      uniform_(this.bias, -bound, bound);
    }
  }

  /** Checks the channel dim (third from last) of an input of rank `batched` or `batched − 1`. */
  protected checkInput(layer: string, x: Tensor, batched: number, dims: string): void {
    const ok = (x.rank === batched || x.rank === batched - 1) && x.shape[x.rank - (batched - 1)] === this.inChannels;
    if (!ok) {
      throw new ShapeError(
        `${layer}: expected input [N, ${this.inChannels}, ${dims}] or [${this.inChannels}, ${dims}] (${this.inChannels} channels), got ${fmtShape(x.shape)}`,
      );
    }
  }
}

/** Left and right zero padding that keeps the size with stride 1 ('same'); the extra one goes right, as in PyTorch. */
function samePadding(kernel: number, dilation: number): [number, number] {
  const total = dilation * (kernel - 1);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

function stringPadding(layer: string, padding: 'valid' | 'same', stride: readonly number[]): void {
  if (padding !== 'valid' && padding !== 'same') throw new ArgumentError(`${layer}: padding must be a number, a pair, 'valid' or 'same', got '${String(padding)}'`);
  if (padding === 'same' && stride.some((s) => s !== 1)) throw new ArgumentError(`${layer}: padding='same' needs stride 1, got stride [${stride.join(',')}]`);
}

/** 2-D convolution over [N, C, H, W] (torch.nn.Conv2d). weight is [outChannels, inChannels/groups, kH, kW]. */
export class Conv2d extends ConvBase {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number] | 'valid' | 'same';
  readonly dilation: [number, number];

  constructor(inChannels: number, outChannels: number, kernelSize: Pair, options: Conv2dOptions = {}) {
    const k = pairOf('Conv2d', 'kernelSize', kernelSize, 1);
    super('Conv2d', inChannels, outChannels, (inG) => [outChannels, inG, k[0], k[1]], options);
    this.kernelSize = k;
    this.stride = pairOf('Conv2d', 'stride', options.stride ?? 1, 1);
    this.dilation = pairOf('Conv2d', 'dilation', options.dilation ?? 1, 1);
    const padding = options.padding ?? 0;
    if (typeof padding === 'string') stringPadding('Conv2d', padding, this.stride);
    this.padding = typeof padding === 'string' ? padding : pairOf('Conv2d', 'padding', padding, 0);
  }

  forward(x: Tensor): Tensor {
    this.checkInput('Conv2d', x, 4, 'H, W');
    let input = x;
    let padding: [number, number] = [0, 0];
    if (this.padding === 'same') {
      const [top, bottom] = samePadding(this.kernelSize[0], this.dilation[0]);
      const [left, right] = samePadding(this.kernelSize[1], this.dilation[1]);
      input = x.pad([left, right, top, bottom]);
    } else if (this.padding !== 'valid') {
      padding = this.padding;
    }
    return conv2d(input, this.weight, this.bias, { stride: this.stride, padding, dilation: this.dilation, groups: this.groups });
  }

  override extraRepr(): string {
    const p = typeof this.padding === 'string' ? `'${this.padding}'` : `[${this.padding}]`;
    return `${this.inChannels}, ${this.outChannels}, kernelSize=[${this.kernelSize}], stride=[${this.stride}], padding=${p}, dilation=[${this.dilation}], groups=${this.groups}, bias=${this.bias !== null}`;
  }
}

/** 1-D convolution over [N, C, L] (torch.nn.Conv1d). weight is [outChannels, inChannels/groups, k]. */
export class Conv1d extends ConvBase {
  readonly kernelSize: number;
  readonly stride: number;
  readonly padding: number | 'valid' | 'same';
  readonly dilation: number;

  constructor(inChannels: number, outChannels: number, kernelSize: number, options: Conv1dOptions = {}) {
    checkPositiveInt('Conv1d', 'kernelSize', kernelSize);
    super('Conv1d', inChannels, outChannels, (inG) => [outChannels, inG, kernelSize], options);
    this.kernelSize = kernelSize;
    this.stride = options.stride ?? 1;
    this.dilation = options.dilation ?? 1;
    checkPositiveInt('Conv1d', 'stride', this.stride);
    checkPositiveInt('Conv1d', 'dilation', this.dilation);
    const padding = options.padding ?? 0;
    if (typeof padding === 'string') stringPadding('Conv1d', padding, [this.stride]);
    else if (!Number.isInteger(padding) || padding < 0) throw new ArgumentError(`Conv1d: padding must be a non-negative integer, 'valid' or 'same', got ${padding}`);
    this.padding = padding;
  }

  forward(x: Tensor): Tensor {
    this.checkInput('Conv1d', x, 3, 'L');
    let input = x;
    let padding = 0;
    if (this.padding === 'same') input = x.pad(samePadding(this.kernelSize, this.dilation));
    else if (this.padding !== 'valid') padding = this.padding;
    return conv1d(input, this.weight, this.bias, { stride: this.stride, padding, dilation: this.dilation, groups: this.groups });
  }

  override extraRepr(): string {
    const p = typeof this.padding === 'string' ? `'${this.padding}'` : String(this.padding);
    return `${this.inChannels}, ${this.outChannels}, kernelSize=${this.kernelSize}, stride=${this.stride}, padding=${p}, dilation=${this.dilation}, groups=${this.groups}, bias=${this.bias !== null}`;
  }
}

/**
 * Transposed 2-D convolution (torch.nn.ConvTranspose2d), the gradient of Conv2d with respect to
 * its input; used to upsample. weight is [inChannels, outChannels/groups, kH, kW]. Output size
 * (H − 1)·stride − 2·padding + dilation·(k − 1) + outputPadding + 1.
 */
export class ConvTranspose2d extends ConvBase {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly outputPadding: [number, number];
  readonly dilation: [number, number];

  constructor(inChannels: number, outChannels: number, kernelSize: Pair, options: ConvTranspose2dOptions = {}) {
    const k = pairOf('ConvTranspose2d', 'kernelSize', kernelSize, 1);
    super('ConvTranspose2d', inChannels, outChannels, (inG, outG) => [inChannels, outG, k[0], k[1]], options);
    this.kernelSize = k;
    this.stride = pairOf('ConvTranspose2d', 'stride', options.stride ?? 1, 1);
    this.padding = pairOf('ConvTranspose2d', 'padding', options.padding ?? 0, 0);
    this.dilation = pairOf('ConvTranspose2d', 'dilation', options.dilation ?? 1, 1);
    this.outputPadding = pairOf('ConvTranspose2d', 'outputPadding', options.outputPadding ?? 0, 0);
    if (this.outputPadding.some((p, i) => p >= Math.max(this.stride[i], this.dilation[i]))) {
      throw new ArgumentError(`ConvTranspose2d: outputPadding [${this.outputPadding}] must be smaller than stride [${this.stride}] or dilation [${this.dilation}]`);
    }
  }

  forward(x: Tensor): Tensor {
    this.checkInput('ConvTranspose2d', x, 4, 'H, W');
    return convTranspose2d(x, this.weight, this.bias, {
      stride: this.stride, padding: this.padding, outputPadding: this.outputPadding, dilation: this.dilation, groups: this.groups,
    });
  }

  override extraRepr(): string {
    return `${this.inChannels}, ${this.outChannels}, kernelSize=[${this.kernelSize}], stride=[${this.stride}], padding=[${this.padding}], outputPadding=[${this.outputPadding}], groups=${this.groups}, bias=${this.bias !== null}`;
  }
}

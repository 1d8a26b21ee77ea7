import type { Tensor } from '@plexus/tensor';
import { ArgumentError, ShapeError, avgPool2d, concat, fmtShape, maxPool2d } from '@plexus/tensor';
import { Module } from '../module.js';
import { pairOf } from './options.js';

type Pair = number | [number, number];

export interface Pool2dOptions {
  /** Defaults to the kernel size. */
  stride?: Pair;
  /** Implicit padding on each side, at most half the kernel. */
  padding?: Pair;
}

abstract class Pool2dBase extends Module {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];

  protected constructor(layer: string, kernelSize: Pair, options: Pool2dOptions) {
    super();
    this.kernelSize = pairOf(layer, 'kernelSize', kernelSize, 1);
    this.stride = pairOf(layer, 'stride', options.stride ?? this.kernelSize, 1);
    this.padding = pairOf(layer, 'padding', options.padding ?? 0, 0);
    if (this.padding.some((p, i) => 2 * p > this.kernelSize[i])) {
      throw new ArgumentError(`${layer}: padding [${this.padding}] must be at most half the kernel [${this.kernelSize}]`);
    }
  }

  protected checkInput(layer: string, x: Tensor): void {
    if (x.rank !== 3 && x.rank !== 4) throw new ShapeError(`${layer}: expected input [N, C, H, W] or [C, H, W], got ${fmtShape(x.shape)}`);
  }

  override extraRepr(): string {
    return `kernelSize=[${this.kernelSize}], stride=[${this.stride}], padding=[${this.padding}]`;
  }
}

/** Max over sliding windows (torch.nn.MaxPool2d); padding counts as −∞. */
export class MaxPool2d extends Pool2dBase {
  constructor(kernelSize: Pair, options: Pool2dOptions = {}) {
    super('MaxPool2d', kernelSize, options);
  }

  forward(x: Tensor): Tensor {
    this.checkInput('MaxPool2d', x);
    return maxPool2d(x, this.kernelSize, { stride: this.stride, padding: this.padding });
  }
}

/** Mean over sliding windows (torch.nn.AvgPool2d); padding counts as zeros (countIncludePad). */
export class AvgPool2d extends Pool2dBase {
  constructor(kernelSize: Pair, options: Pool2dOptions = {}) {
    super('AvgPool2d', kernelSize, options);
  }

  forward(x: Tensor): Tensor {
    this.checkInput('AvgPool2d', x);
    return avgPool2d(x, this.kernelSize, { stride: this.stride, padding: this.padding });
  }
}

/**
 * Mean of `x` over `out` bins along `axis`, with PyTorch's adaptive bin boundaries:
 * bin i covers [floor(i·n/out), ceil((i+1)·n/out)), so bins may overlap when n is not a multiple.
 */
function adaptiveMean(x: Tensor, axis: number, out: number): Tensor {
  const n = x.shape[axis];
  if (n === out) return x;
  const bins: Tensor[] = [];
  for (let i = 0; i < out; i++) {
    const start = Math.floor((i * n) / out);
    const end = Math.ceil(((i + 1) * n) / out);
    bins.push(x.slice(axis, start, end).mean(axis, true));
  }
  return concat(bins, axis);
}

/**
 * Average pooling to a fixed output size whatever the input size (torch.nn.AdaptiveAvgPool2d).
 * `outputSize` is a number, or [h, w] where null keeps that input dim. The 2-D bin mean is a mean
 * over rows then over columns, since each bin is a rectangle.
 */
export class AdaptiveAvgPool2d extends Module {
  readonly outputSize: [number | null, number | null];

  constructor(outputSize: number | [number | null, number | null]) {
    super();
    const size: (number | null)[] = typeof outputSize === 'number' ? [outputSize, outputSize] : [...outputSize];
    if (size.length !== 2 || size.some((s) => s !== null && (!Number.isInteger(s) || s < 1))) {
      throw new ArgumentError(`AdaptiveAvgPool2d: outputSize must be a positive integer or a pair of them (null keeps a dim), got ${String(outputSize)}`);
    }
    this.outputSize = [size[0], size[1]];
  }

  forward(x: Tensor): Tensor {
    if ((x.rank !== 3 && x.rank !== 4) || x.shape[x.rank - 1] === 0 || x.shape[x.rank - 2] === 0) {
      throw new ShapeError(`AdaptiveAvgPool2d: expected non-empty input [N, C, H, W] or [C, H, W], got ${fmtShape(x.shape)}`);
    }
    const hAxis = x.rank - 2;
    const oH = this.outputSize[0] ?? x.shape[hAxis];
    const oW = this.outputSize[1] ?? x.shape[hAxis + 1];
    const floatX = x.dtype === 'float32' || x.dtype === 'float64' ? x : x.cast('float32');
    return adaptiveMean(adaptiveMean(floatX, hAxis, oH), hAxis + 1, oW);
  }

  override extraRepr(): string {
    return `outputSize=[${this.outputSize.map((s) => (s === null ? 'null' : s))}]`;
  }
}

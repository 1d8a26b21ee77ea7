import type { Tensor } from '@plexus/tensor';
import { DTypeError, ShapeError, fmtShape, isFloating } from '@plexus/tensor';
import { Module } from '../module.js';
import { checkBool } from './options.js';

export interface GlobalAvgPool2dOptions {
  /** Keep H and W as size-1 dims: [N, C, 1, 1] instead of [N, C] (default false). */
  keepDim?: boolean;
}

/**
 * Mean over the whole H×W plane of each channel: [N, C, H, W] → [N, C] (or [C, H, W] → [C]),
 * ready for a Linear classifier head. The same as AdaptiveAvgPool2d(1) followed by Flatten, as
 * at the end of ResNet, in one reduction.
 */
export class GlobalAvgPool2d extends Module {
  readonly keepDim: boolean;

  constructor(options: GlobalAvgPool2dOptions = {}) {
    super();
    const { keepDim = false } = options;
    checkBool('GlobalAvgPool2d', 'keepDim', keepDim);
    this.keepDim = keepDim;
  }

  forward(x: Tensor): Tensor {
    if ((x.rank !== 3 && x.rank !== 4) || x.shape[x.rank - 1] === 0 || x.shape[x.rank - 2] === 0) {
      throw new ShapeError(`GlobalAvgPool2d: expected non-empty input [N, C, H, W] or [C, H, W], got ${fmtShape(x.shape)}`);
    }
    if (!isFloating(x.dtype)) throw new DTypeError(`GlobalAvgPool2d: expected a float32 or float64 input, got ${x.dtype}`);
    return x.mean([x.rank - 2, x.rank - 1], this.keepDim);
  }

  override extraRepr(): string {
    return `keepDim=${this.keepDim}`;
  }
}

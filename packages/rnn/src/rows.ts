import type { Tensor } from '@plexus/tensor';
import { ShapeError, fmtShape } from '@plexus/tensor';

/**
 * Images [N, 1, H, W] (or [N, H, W]) as sequences [N, H, W]: one step per pixel row, the row's W
 * pixels as the step's features (row-by-row MNIST: 28 steps of 28 pixels).
 */
export function rowSequences(images: Tensor): Tensor {
  if (images.rank === 4 && images.shape[1] === 1) return images.reshape([images.shape[0], images.shape[2], images.shape[3]]);
  if (images.rank === 3) return images;
  throw new ShapeError(`rowSequences: expected images [N, 1, H, W] or [N, H, W], got ${fmtShape(images.shape)}`);
}

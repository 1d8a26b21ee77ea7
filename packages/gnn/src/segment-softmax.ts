import type { Tensor } from '@plexus/tensor';
import { indexSelect, noGrad } from '@plexus/tensor';
import { scatterMax, scatterSum } from './scatter.js';

/**
 * Softmax over the entries of src that share an index (torch_geometric.utils.softmax): for GAT,
 * attention logits [E, heads] normalised over the edges arriving at each target node. Each
 * segment is shifted by its own maximum before exp, so large logits do not overflow; the shift is
 * a constant (softmax does not depend on it), so it is taken without gradient.
 */
export function segmentSoftmax(src: Tensor, index: Tensor, numSegments: number): Tensor {
  const shift = noGrad(() => scatterMax(src.detach(), index, numSegments));
  const e = src.sub(indexSelect(shift, 0, index)).exp();
  const denom = scatterSum(e, index, numSegments);
  return e.div(indexSelect(denom, 0, index));
}

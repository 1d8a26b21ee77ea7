import type { Tensor } from '@plexus/tensor';
import { ArgumentError, ShapeError, fmtShape, isTensor, zeros } from '@plexus/tensor';
import { hostData } from './host.js';
import { scatterMax, scatterMean, scatterSum } from './scatter.js';

type Reduce = (src: Tensor, index: Tensor, dimSize: number) => Tensor;

function pool(op: string, reduce: Reduce, x: Tensor, batch: Tensor | null | undefined, size: number | undefined): Tensor {
  if (!isTensor(x) || x.rank !== 2) throw new ShapeError(`${op}: expected node features x [N, F], got ${isTensor(x) ? fmtShape(x.shape) : String(x)}`);
  if (batch === undefined || batch === null) {
    // One graph: every node in graph 0.
    const b = zeros([x.shape[0]], { dtype: 'int32', backend: x.backend });
    return reduce(x, b, size ?? 1);
  }
  if (!isTensor(batch)) throw new ArgumentError(`${op}: batch must be an int32 Tensor [N], got ${String(batch)}`);
  let numGraphs = size;
  if (numGraphs === undefined) {
    const data = hostData(op, 'batch', batch);
    let max = -1;
    for (let i = 0; i < data.length; i++) max = Math.max(max, data[i]);
    numGraphs = max + 1;
  }
  return reduce(x, batch, numGraphs);
}

/** Sum of each graph's node features: x [N, F], batch [N] → [numGraphs, F] (PyG global_add_pool). */
export function globalAddPool(x: Tensor, batch?: Tensor | null, size?: number): Tensor {
  return pool('globalAddPool', scatterSum, x, batch, size);
}

/** Mean of each graph's node features (PyG global_mean_pool). */
export function globalMeanPool(x: Tensor, batch?: Tensor | null, size?: number): Tensor {
  return pool('globalMeanPool', scatterMean, x, batch, size);
}

/** Feature-wise maximum over each graph's nodes (PyG global_max_pool). */
export function globalMaxPool(x: Tensor, batch?: Tensor | null, size?: number): Tensor {
  return pool('globalMaxPool', scatterMax, x, batch, size);
}

export const GLOBAL_POOLS = { mean: globalMeanPool, add: globalAddPool, max: globalMaxPool } as const;
export type GlobalPoolName = keyof typeof GLOBAL_POOLS;

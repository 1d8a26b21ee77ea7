import type { Tensor } from '@plexus/tensor';
import { indexSelect } from '@plexus/tensor';
import { Linear, Module } from '@plexus/nn';
import { edgeRows } from './edge-index.js';
import type { FactoryOptions } from './options.js';
import { checkNodeFeatures, checkPositiveInt, floatDType } from './options.js';
import { scatterMean } from './scatter.js';

export interface GraphSAGEConvOptions extends FactoryOptions {
  /** L2-normalise each output row (default false). */
  normalize?: boolean;
  /** Add W_root·x_i (default true). */
  rootWeight?: boolean;
  /** Bias of the neighbour transform (default true). */
  bias?: boolean;
}

/**
 * GraphSAGE with mean aggregation (Hamilton et al., 2017), PyG's SAGEConv:
 *   x'_i = W_neigh · mean_{j → i} x_j + W_root · x_i (+ b),  optionally x'_i / ‖x'_i‖₂.
 * A node with no incoming edge aggregates 0.
 */
export class GraphSAGEConv extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly normalize: boolean;
  linNeighbor: Linear;
  linRoot: Linear | null;

  constructor(inChannels: number, outChannels: number, options: GraphSAGEConvOptions = {}) {
    super();
    checkPositiveInt('GraphSAGEConv', 'inChannels', inChannels);
    checkPositiveInt('GraphSAGEConv', 'outChannels', outChannels);
    const dtype = floatDType('GraphSAGEConv', options.dtype);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.normalize = options.normalize ?? false;
    this.linNeighbor = new Linear(inChannels, outChannels, { bias: options.bias ?? true, dtype });
    this.linRoot = options.rootWeight ?? true ? new Linear(inChannels, outChannels, { bias: false, dtype }) : null;
  }

  forward(x: Tensor, edgeIndex: Tensor): Tensor {
    checkNodeFeatures('GraphSAGEConv', x, this.inChannels);
    const n = x.shape[0];
    const { src: srcT, dst: dstT } = edgeRows('GraphSAGEConv', edgeIndex, n);
    let out = this.linNeighbor.forward(scatterMean(indexSelect(x, 0, srcT), dstT, n));
    if (this.linRoot) out = out.add(this.linRoot.forward(x));
    if (this.normalize) out = out.div(out.square().sum(1, true).sqrt().clamp(1e-12)); // F.normalize(p=2)
    return out;
  }

  override extraRepr(): string {
    return `${this.inChannels}, ${this.outChannels}, aggr=mean, normalize=${this.normalize}, rootWeight=${this.linRoot !== null}`;
  }
}

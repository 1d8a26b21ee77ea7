import type { Tensor } from '@plexus/tensor';
import { bernoulli, indexSelect, leakyRelu, zeros } from '@plexus/tensor';
import type { Generator } from '@plexus/tensor';
import { Linear, Module, Parameter, uniform_, xavierUniform_ } from '@plexus/nn';
import { addSelfLoops, checkEdgeIndex, edgeRows, removeSelfLoops } from './edge-index.js';
import type { FactoryOptions } from './options.js';
import { checkNodeFeatures, checkPositiveInt, checkProbability, floatDType } from './options.js';
import { scatterSum } from './scatter.js';
import { segmentSoftmax } from './segment-softmax.js';

export interface GATConvOptions extends FactoryOptions {
  /** Attention heads (default 1). */
  heads?: number;
  /** Concatenate the heads ([N, heads·out], default true) or average them ([N, out]). */
  concat?: boolean;
  /** Slope of the LeakyReLU on the attention logits (default 0.2). */
  negativeSlope?: number;
  /** Dropout on the normalised attention coefficients in training mode (default 0). */
  dropout?: number;
  /** Attend to the node itself: self loops replace any existing ones (default true). */
  addSelfLoops?: boolean;
  bias?: boolean;
  /** Where the attention-dropout masks come from (default: the seeded default generator). */
  generator?: Generator;
}

/** What forwardWithAttention returns: the output and the coefficients per (edge, head). */
export interface GATAttention {
  out: Tensor;
  /** The edges attention was computed over (self loops included), [2, E']. */
  edgeIndex: Tensor;
  /** α [E', heads]: for each target node, its incoming α sum to 1 per head. */
  alpha: Tensor;
}

/**
 * Graph attention (Veličković et al., 2018), PyG's GATConv. Per head h with h_i = W x_i:
 *   e_ij = LeakyReLU(a_srcᵀ h_j + a_dstᵀ h_i),  α_ij = softmax_j(e_ij) over j → i,
 *   x'_i = Σ_j α_ij h_j, heads concatenated or averaged, plus bias.
 */
export class GATConv extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly heads: number;
  readonly concat: boolean;
  readonly negativeSlope: number;
  readonly dropout: number;
  readonly addSelfLoops: boolean;
  readonly generator: Generator | undefined;
  lin: Linear;
  attSrc: Parameter;
  attDst: Parameter;
  bias: Parameter | null;
  private readonly loopCache = new WeakMap<Tensor, { dataId: object; numNodes: number; edges: Tensor }>();

  constructor(inChannels: number, outChannels: number, options: GATConvOptions = {}) {
    super();
    checkPositiveInt('GATConv', 'inChannels', inChannels);
    checkPositiveInt('GATConv', 'outChannels', outChannels);
    const heads = options.heads ?? 1;
    checkPositiveInt('GATConv', 'heads', heads);
    const dropout = options.dropout ?? 0;
    checkProbability('GATConv', 'dropout', dropout);
    const dtype = floatDType('GATConv', options.dtype);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.heads = heads;
    this.concat = options.concat ?? true;
    this.negativeSlope = options.negativeSlope ?? 0.2;
    this.dropout = dropout;
    this.addSelfLoops = options.addSelfLoops ?? true;
    this.generator = options.generator;
    this.lin = new Linear(inChannels, heads * outChannels, { bias: false, dtype });
    xavierUniform_(this.lin.weight);
    // PyG's glorot on [1, heads, out]: bound √(6 / (heads + out)).
    const bound = Math.sqrt(6 / (heads + outChannels));
    this.attSrc = new Parameter(uniform_(zeros([1, heads, outChannels], { dtype }), -bound, bound));
    this.attDst = new Parameter(uniform_(zeros([1, heads, outChannels], { dtype }), -bound, bound));
    this.bias = options.bias ?? true ? new Parameter(zeros([this.concat ? heads * outChannels : outChannels], { dtype })) : null;
  }

  private edgesOf(edgeIndex: Tensor, n: number): Tensor {
    checkEdgeIndex('GATConv', edgeIndex, n);
    if (!this.addSelfLoops) return edgeIndex;
    const hit = this.loopCache.get(edgeIndex);
    if (hit && hit.dataId === edgeIndex.dataId && hit.numNodes === n) return hit.edges;
    const edges = addSelfLoops(removeSelfLoops(edgeIndex, n), n).keep(); // cached: survives scope()
    this.loopCache.set(edgeIndex, { dataId: edgeIndex.dataId, numNodes: n, edges });
    return edges;
  }

  forwardWithAttention(x: Tensor, edgeIndex: Tensor): GATAttention {
    checkNodeFeatures('GATConv', x, this.inChannels);
    const n = x.shape[0];
    const [hh, c] = [this.heads, this.outChannels];
    const edges = this.edgesOf(edgeIndex, n);
    const { src, dst } = edgeRows('GATConv', edges, n);
    const h = this.lin.forward(x).reshape([n, hh, c]);
    const aSrc = h.mul(this.attSrc).sum(-1); // [N, heads]
    const aDst = h.mul(this.attDst).sum(-1);
    const logits = leakyRelu(indexSelect(aSrc, 0, src).add(indexSelect(aDst, 0, dst)), this.negativeSlope);
    let alpha = segmentSoftmax(logits, dst, n); // [E', heads]
    if (this.training && this.dropout > 0) {
      const keep = bernoulli(1 - this.dropout, alpha.shape, { dtype: alpha.dtype, backend: alpha.backend, generator: this.generator });
      alpha = alpha.mul(keep.mul(1 / (1 - this.dropout)));
    }
    let out = scatterSum(indexSelect(h, 0, src).mul(alpha.unsqueeze(-1)), dst, n); // [N, heads, out]
    out = this.concat ? out.reshape([n, hh * c]) : out.mean(1);
    if (this.bias) out = out.add(this.bias);
    return { out, edgeIndex: edges, alpha };
  }

  forward(x: Tensor, edgeIndex: Tensor): Tensor {
    return this.forwardWithAttention(x, edgeIndex).out;
  }

  override extraRepr(): string {
    return `${this.inChannels}, ${this.outChannels}, heads=${this.heads}, concat=${this.concat}, dropout=${this.dropout}`;
  }
}

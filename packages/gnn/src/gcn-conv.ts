import type { Tensor } from '@plexus/tensor';
import { ArgumentError, ShapeError, concat, fmtShape, fromData, indexSelect, isTensor, ones, where, zeros } from '@plexus/tensor';
import { Linear, Module, Parameter, xavierUniform_ } from '@plexus/nn';
import { checkEdgeIndex } from './edge-index.js';
import type { FactoryOptions } from './options.js';
import { checkNodeFeatures, checkPositiveInt, floatDType } from './options.js';
import { scatterSum } from './scatter.js';

export interface GCNConvOptions extends FactoryOptions {
  /** Add a self loop (weight 1) to every node that has none (default true). */
  addSelfLoops?: boolean;
  /** Symmetric normalisation D^-1/2 Â D^-1/2 (default true); false sums the weighted messages. */
  normalize?: boolean;
  /** Learned bias added after aggregation (default true). */
  bias?: boolean;
}

interface Structure {
  dataId: object;
  numNodes: number;
  src: Tensor;
  dst: Tensor;
  /** Self loops appended (one per node that had none). */
  loops: number;
}

/**
 * The graph convolution of Kipf & Welling (2017), PyG's GCNConv:
 *   X' = D̂^-1/2 Â D̂^-1/2 X W + b,  Â = A + I,  D̂_ii = Σ_j Â_ij (in-degree incl. the self loop).
 * Computed edge-wise: message norm_e · (XW)[src_e], summed at dst_e, with
 * norm_e = w_e / √(deg(src_e) · deg(dst_e)).
 */
export class GCNConv extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly addSelfLoops: boolean;
  readonly normalize: boolean;
  lin: Linear;
  bias: Parameter | null;
  private readonly structures = new WeakMap<Tensor, Structure>();

  constructor(inChannels: number, outChannels: number, options: GCNConvOptions = {}) {
    super();
    checkPositiveInt('GCNConv', 'inChannels', inChannels);
    checkPositiveInt('GCNConv', 'outChannels', outChannels);
    const dtype = floatDType('GCNConv', options.dtype);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.addSelfLoops = options.addSelfLoops ?? true;
    this.normalize = options.normalize ?? true;
    this.lin = new Linear(inChannels, outChannels, { bias: false, dtype });
    xavierUniform_(this.lin.weight); // PyG's glorot
    this.bias = options.bias ?? true ? new Parameter(zeros([outChannels], { dtype })) : null;
  }

  /** The edge list with self loops added to nodes that lack one, cached per edge index. */
  private structure(edgeIndex: Tensor, n: number): Structure {
    const hit = this.structures.get(edgeIndex);
    if (hit && hit.dataId === edgeIndex.dataId && hit.numNodes === n) return hit;
    const { src, dst } = checkEdgeIndex('GCNConv', edgeIndex, n);
    const hasLoop = new Uint8Array(n);
    for (let e = 0; e < src.length; e++) if (src[e] === dst[e]) hasLoop[src[e]] = 1;
    const extra = this.addSelfLoops ? Array.from(hasLoop.keys()).filter((v) => !hasLoop[v]) : [];
    const mk = (a: Int32Array): Tensor => fromData('GCNConv', Int32Array.from([...a, ...extra]), [a.length + extra.length], { backend: edgeIndex.backend }).keep(); // cached: survives scope()
    const s: Structure = { dataId: edgeIndex.dataId, numNodes: n, src: mk(src), dst: mk(dst), loops: extra.length };
    this.structures.set(edgeIndex, s);
    return s;
  }

  /** x [N, inChannels], edgeIndex [2, E] (source → target), optional edge weights [E]. */
  forward(x: Tensor, edgeIndex: Tensor, edgeWeight?: Tensor | null): Tensor {
    checkNodeFeatures('GCNConv', x, this.inChannels);
    const n = x.shape[0];
    const s = this.structure(edgeIndex, n);
    const e = edgeIndex.shape[1];
    let w: Tensor;
    if (edgeWeight === undefined || edgeWeight === null) {
      w = ones([e + s.loops], { dtype: x.dtype, backend: x.backend });
    } else {
      if (!isTensor(edgeWeight)) throw new ArgumentError(`GCNConv: edgeWeight must be a Tensor [${e}], got ${String(edgeWeight)}`);
      if (edgeWeight.rank !== 1 || edgeWeight.shape[0] !== e) throw new ShapeError(`GCNConv: edgeWeight must have shape [${e}] (one weight per edge), got ${fmtShape(edgeWeight.shape)}`);
      w = concat([edgeWeight.cast(x.dtype), ones([s.loops], { dtype: x.dtype, backend: x.backend })], 0);
    }
    if (this.normalize) {
      const deg = scatterSum(w, s.dst, n);
      // Isolated nodes (degree 0 without self loops) get 0 instead of 1/√0.
      const positive = deg.gt(0);
      const inv = where(positive, where(positive, deg, 1).rsqrt(), 0);
      w = indexSelect(inv, 0, s.src).mul(w).mul(indexSelect(inv, 0, s.dst));
    }
    const h = this.lin.forward(x);
    const out = scatterSum(indexSelect(h, 0, s.src).mul(w.unsqueeze(1)), s.dst, n);
    return this.bias ? out.add(this.bias) : out;
  }

  override extraRepr(): string {
    return `${this.inChannels}, ${this.outChannels}, addSelfLoops=${this.addSelfLoops}, normalize=${this.normalize}`;
  }
}

import type { Tensor } from '@plexus/tensor';
import { ArgumentError, elu, relu } from '@plexus/tensor';
import { Dropout, Linear, Module, ModuleList } from '@plexus/nn';
import { GATConv } from './gat-conv.js';
import { GCNConv } from './gcn-conv.js';
import type { FactoryOptions } from './options.js';
import { checkPositiveInt, checkProbability } from './options.js';
import type { GlobalPoolName } from './pool.js';
import { GLOBAL_POOLS } from './pool.js';
import { GraphSAGEConv } from './sage-conv.js';
import type { GraphBatch } from './batch.js';

export const CONV_TYPES = ['gcn', 'sage', 'gat'] as const;
export type ConvType = (typeof CONV_TYPES)[number];

/** A message-passing layer: forward(x [N, in], edgeIndex [2, E]) → [N, out]. */
export type MessagePassing = Module & { forward(x: Tensor, edgeIndex: Tensor): Tensor };

export interface ConvStackOptions extends FactoryOptions {
  /** gcn (default), sage or gat. */
  conv?: ConvType;
  /** Message-passing layers (default 2). */
  numLayers?: number;
  /** Dropout before every layer in training mode (default 0.5). */
  dropout?: number;
  /** GAT: heads of the hidden layers (default 8; hidden channels split among them). */
  heads?: number;
  /** GAT: dropout on the attention coefficients (default: `dropout`). */
  attentionDropout?: number;
}

function checkConv(model: string, conv: unknown): asserts conv is ConvType {
  if (!(CONV_TYPES as readonly unknown[]).includes(conv)) throw new ArgumentError(`${model}: conv must be one of ${CONV_TYPES.join(', ')}, got ${String(conv)}`);
}

/** One layer of the chosen kind; GAT hidden layers concatenate `heads` heads of out/heads channels. */
function makeConv(conv: ConvType, inC: number, outC: number, last: boolean, o: ConvStackOptions): MessagePassing {
  const dtype = o.dtype;
  if (conv === 'gcn') return new GCNConv(inC, outC, { dtype });
  if (conv === 'sage') return new GraphSAGEConv(inC, outC, { dtype });
  const heads = last ? 1 : o.heads ?? 8;
  if (!last && outC % heads !== 0) throw new ArgumentError(`GAT: hiddenChannels (${outC}) must be divisible by heads (${heads})`);
  return new GATConv(inC, last ? outC : outC / heads, { heads, concat: !last, dropout: o.attentionDropout ?? o.dropout ?? 0.5, dtype });
}

/**
 * A stack of message-passing layers for node classification (Kipf & Welling's 2-layer GCN, and
 * the same with GraphSAGE or GAT layers): dropout → conv → ReLU (ELU for GAT) → … → conv,
 * returning logits [N, outChannels].
 */
export class NodeClassifier extends Module {
  readonly conv: ConvType;
  readonly dropout: number;
  convs: ModuleList<MessagePassing>;
  drop: Dropout;

  constructor(inChannels: number, hiddenChannels: number, outChannels: number, options: ConvStackOptions = {}) {
    super();
    const conv = options.conv ?? 'gcn';
    checkConv('NodeClassifier', conv);
    const layers = options.numLayers ?? 2;
    checkPositiveInt('NodeClassifier', 'numLayers', layers);
    checkPositiveInt('NodeClassifier', 'hiddenChannels', hiddenChannels);
    const dropout = options.dropout ?? 0.5;
    checkProbability('NodeClassifier', 'dropout', dropout);
    this.conv = conv;
    this.dropout = dropout;
    const sizes = [inChannels, ...Array<number>(layers - 1).fill(hiddenChannels), outChannels];
    this.convs = new ModuleList(sizes.slice(1).map((out, i) => makeConv(conv, sizes[i], out, i === layers - 1, options)));
    this.drop = new Dropout(dropout);
  }

  private layers(): MessagePassing[] {
    return Array.from(this.convs);
  }

  /** The node representations after all but the last layer ([N, hidden]; x itself for one layer). */
  embed(x: Tensor, edgeIndex: Tensor): Tensor {
    const layers = this.layers();
    let h = x;
    for (const layer of layers.slice(0, -1)) {
      h = layer.forward(this.drop.forward(h), edgeIndex);
      h = this.conv === 'gat' ? elu(h) : relu(h);
    }
    return h;
  }

  forward(x: Tensor, edgeIndex: Tensor): Tensor {
    const layers = this.layers();
    return layers[layers.length - 1].forward(this.drop.forward(this.embed(x, edgeIndex)), edgeIndex);
  }
}

export interface GraphClassifierOptions extends ConvStackOptions {
  /** How node features become one vector per graph: mean (default), add or max. */
  pool?: GlobalPoolName;
}

/**
 * Graph classification: message-passing layers with ReLU, a global pooling by the batch vector,
 * then an MLP (Linear → ReLU → dropout → Linear) to class logits [numGraphs, numClasses].
 */
export class GraphClassifier extends Module {
  readonly conv: ConvType;
  readonly pool: GlobalPoolName;
  convs: ModuleList<MessagePassing>;
  lin1: Linear;
  lin2: Linear;
  drop: Dropout;

  constructor(inChannels: number, hiddenChannels: number, numClasses: number, options: GraphClassifierOptions = {}) {
    super();
    const conv = options.conv ?? 'gcn';
    checkConv('GraphClassifier', conv);
    const layers = options.numLayers ?? 3;
    checkPositiveInt('GraphClassifier', 'numLayers', layers);
    checkPositiveInt('GraphClassifier', 'hiddenChannels', hiddenChannels);
    const pool = options.pool ?? 'mean';
    if (!(pool in GLOBAL_POOLS)) throw new ArgumentError(`GraphClassifier: pool must be one of ${Object.keys(GLOBAL_POOLS).join(', ')}, got ${String(pool)}`);
    const dropout = options.dropout ?? 0;
    checkProbability('GraphClassifier', 'dropout', dropout);
    this.conv = conv;
    this.pool = pool;
    const sizes = [inChannels, ...Array<number>(layers).fill(hiddenChannels)];
    // Every conv here is a hidden layer (GAT heads concatenated).
    this.convs = new ModuleList(sizes.slice(1).map((out, i) => makeConv(conv, sizes[i], out, false, { ...options, attentionDropout: options.attentionDropout ?? 0 })));
    this.lin1 = new Linear(hiddenChannels, hiddenChannels, { dtype: options.dtype });
    this.lin2 = new Linear(hiddenChannels, numClasses, { dtype: options.dtype });
    this.drop = new Dropout(dropout);
  }

  /** One vector per graph [numGraphs, hidden]. */
  embed(x: Tensor, edgeIndex: Tensor, batch: Tensor | null, numGraphs?: number): Tensor {
    let h = x;
    for (const layer of this.convs) h = relu(layer.forward(h, edgeIndex));
    return GLOBAL_POOLS[this.pool](h, batch, numGraphs);
  }

  forward(x: Tensor, edgeIndex: Tensor, batch: Tensor | null = null, numGraphs?: number): Tensor {
    const g = relu(this.lin1.forward(this.embed(x, edgeIndex, batch, numGraphs)));
    return this.lin2.forward(this.drop.forward(g));
  }

  /** forward on a GraphBatch (its x, edgeIndex, batch and numGraphs). */
  forwardBatch(b: GraphBatch): Tensor {
    if (b.x === null) throw new ArgumentError('GraphClassifier: the batch has no node features x');
    return this.forward(b.x, b.edgeIndex, b.batch, b.numGraphs);
  }
}

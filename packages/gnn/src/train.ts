import type { Tensor } from '@plexus/tensor';
import { ArgumentError, Generator, ShapeError, fmtShape, fromData, indexSelect, isTensor, noGrad, scope } from '@plexus/tensor';
import { crossEntropy } from '@plexus/nn';
import { Adam } from '@plexus/optim';
import { History } from '@plexus/train';
import type { EpochLogs } from '@plexus/train';
import { GraphBatch } from './batch.js';
import type { Graph } from './graph.js';
import { hostData } from './host.js';
import type { GraphClassifier, NodeClassifier } from './models.js';

/** Fraction of rows of logits [N, C] whose argmax equals the int32 label. */
export function accuracy(logits: Tensor, labels: Tensor): number {
  if (logits.rank !== 2 || labels.rank !== 1 || logits.shape[0] !== labels.shape[0]) {
    throw new ShapeError(`accuracy: expected logits [N, C] and labels [N], got ${fmtShape(logits.shape)} and ${fmtShape(labels.shape)}`);
  }
  if (labels.shape[0] === 0) return NaN;
  const pred = hostData('accuracy', 'predictions', noGrad(() => logits.argmax(1)));
  const truth = hostData('accuracy', 'labels', labels);
  let right = 0;
  for (let i = 0; i < truth.length; i++) if (pred[i] === truth[i]) right++;
  return right / truth.length;
}

function asIndex(op: string, name: string, v: Tensor | readonly number[], n: number, like: Tensor): Tensor {
  const t = isTensor(v) ? v : fromData(op, Int32Array.from(v), [v.length], { backend: like.backend });
  if (t.dtype !== 'int32' || t.rank !== 1) throw new ShapeError(`${op}: ${name} must be a 1-D int32 list of node indices, got ${fmtShape(t.shape)} ${t.dtype}`);
  const data = hostData(op, name, t);
  for (let i = 0; i < data.length; i++) {
    if (data[i] < 0 || data[i] >= n) throw new ArgumentError(`${op}: ${name} holds node ${data[i]} at position ${i}, but the graph has ${n} nodes`);
  }
  return t;
}

export interface NodeTrainOptions {
  /** Labelled nodes the loss sees. */
  trainIndex: Tensor | readonly number[];
  /** Nodes whose accuracy is logged as valAccuracy / testAccuracy each epoch. */
  valIndex?: Tensor | readonly number[];
  testIndex?: Tensor | readonly number[];
  /** Full-batch Adam steps (default 200). */
  epochs?: number;
  lr?: number;
  /** L2 penalty of Adam (default 5e-4, as in Kipf & Welling). */
  weightDecay?: number;
  /** Called after each epoch with its logs. */
  onEpoch?: (epoch: number, logs: EpochLogs) => void;
}

/**
 * Semi-supervised node classification, full batch (Kipf & Welling): cross-entropy on the labelled
 * nodes only, the whole graph propagated every step. Returns the per-epoch History (loss,
 * accuracy on the training nodes, and valAccuracy / testAccuracy when those nodes are given).
 */
export function trainNodeClassifier(model: NodeClassifier, graph: Graph, options: NodeTrainOptions): History {
  const op = 'trainNodeClassifier';
  const { x, y, edgeIndex, numNodes } = graph;
  if (x === null || y === null) throw new ArgumentError(`${op}: the graph needs node features x and labels y`);
  if (y.rank !== 1 || y.shape[0] !== numNodes || y.dtype !== 'int32') throw new ShapeError(`${op}: y must be int32 node labels [${numNodes}], got ${fmtShape(y.shape)} ${y.dtype}`);
  const train = asIndex(op, 'trainIndex', options.trainIndex, numNodes, x);
  if (train.shape[0] === 0) throw new ArgumentError(`${op}: trainIndex is empty`);
  const val = options.valIndex === undefined ? null : asIndex(op, 'valIndex', options.valIndex, numNodes, x);
  const test = options.testIndex === undefined ? null : asIndex(op, 'testIndex', options.testIndex, numNodes, x);
  const epochs = options.epochs ?? 200;
  if (!Number.isInteger(epochs) || epochs < 1) throw new ArgumentError(`${op}: epochs must be a positive integer, got ${String(epochs)}`);
  const yTrain = indexSelect(y, 0, train);
  const opt = new Adam(model.parameters(), { lr: options.lr ?? 0.01, weightDecay: options.weightDecay ?? 5e-4 });
  const history = new History();
  for (let epoch = 0; epoch < epochs; epoch++) {
    const start = performance.now();
    model.train();
    const loss = scope(() => {
      opt.zeroGrad();
      const l = crossEntropy(indexSelect(model.forward(x, edgeIndex), 0, train), yTrain);
      l.backward();
      opt.step();
      return l.item() as number;
    });
    model.eval();
    const logs: EpochLogs = scope(() => noGrad(() => {
      const logits = model.forward(x, edgeIndex);
      const at = (idx: Tensor): number => accuracy(indexSelect(logits, 0, idx), indexSelect(y, 0, idx));
      const l: EpochLogs = { loss, accuracy: at(train) };
      if (val) l.valAccuracy = at(val);
      if (test) l.testAccuracy = at(test);
      return l;
    }));
    logs.seconds = (performance.now() - start) / 1000;
    history.append(epoch, logs);
    options.onEpoch?.(epoch, logs);
  }
  model.eval();
  return history;
}

/** Accuracy of a node classifier (eval mode, no gradient) on the given nodes. */
export function nodeAccuracy(model: NodeClassifier, graph: Graph, index: Tensor | readonly number[]): number {
  const { x, y } = graph;
  if (x === null || y === null) throw new ArgumentError('nodeAccuracy: the graph needs node features x and labels y');
  const idx = asIndex('nodeAccuracy', 'index', index, graph.numNodes, x);
  model.eval();
  return scope(() => noGrad(() => accuracy(indexSelect(model.forward(x, graph.edgeIndex), 0, idx), indexSelect(y, 0, idx))));
}

export interface GraphTrainOptions {
  /** Graphs whose accuracy is logged as valAccuracy each epoch. */
  valGraphs?: readonly Graph[];
  epochs?: number;
  /** Graphs per mini-batch (default 32). */
  batchSize?: number;
  lr?: number;
  weightDecay?: number;
  /** Seed of the per-epoch shuffling (default 0). */
  seed?: number;
  onEpoch?: (epoch: number, logs: EpochLogs) => void;
}

function checkGraphLabels(op: string, graphs: readonly Graph[]): void {
  graphs.forEach((g, i) => {
    if (g.x === null) throw new ArgumentError(`${op}: graph ${i} has no node features x`);
    if (g.y === null || g.y.size !== 1 || g.y.dtype !== 'int32') throw new ShapeError(`${op}: graph ${i} needs one int32 graph label y [1], got ${g.y === null ? 'none' : `${fmtShape(g.y.shape)} ${g.y.dtype}`}`);
  });
}

/** Accuracy of a graph classifier over whole graphs, in batches of `batchSize`. */
export function graphAccuracy(model: GraphClassifier, graphs: readonly Graph[], batchSize = 256): number {
  checkGraphLabels('graphAccuracy', graphs);
  model.eval();
  let right = 0;
  for (let i = 0; i < graphs.length; i += batchSize) {
    const b = GraphBatch.fromGraphs(graphs.slice(i, i + batchSize));
    right += scope(() => noGrad(() => accuracy(model.forwardBatch(b), b.y!.reshape([b.numGraphs])))) * b.numGraphs;
  }
  return right / graphs.length;
}

/**
 * Graph classification with mini-batches of disjoint-union graphs (GraphBatch), shuffled each
 * epoch by a seeded generator, Adam on cross-entropy. Returns the History (loss, accuracy,
 * valAccuracy).
 */
export function trainGraphClassifier(model: GraphClassifier, graphs: readonly Graph[], options: GraphTrainOptions = {}): History {
  const op = 'trainGraphClassifier';
  if (graphs.length === 0) throw new ArgumentError(`${op}: no training graphs`);
  checkGraphLabels(op, graphs);
  const epochs = options.epochs ?? 100;
  const batchSize = options.batchSize ?? 32;
  if (!Number.isInteger(epochs) || epochs < 1) throw new ArgumentError(`${op}: epochs must be a positive integer, got ${String(epochs)}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ArgumentError(`${op}: batchSize must be a positive integer, got ${String(batchSize)}`);
  const gen = new Generator(options.seed ?? 0);
  const opt = new Adam(model.parameters(), { lr: options.lr ?? 0.01, weightDecay: options.weightDecay ?? 0 });
  const history = new History();
  for (let epoch = 0; epoch < epochs; epoch++) {
    const start = performance.now();
    // Fisher–Yates with the seeded generator.
    const order = Array.from(graphs.keys());
    const u = gen.nextUniform(order.length);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(u[i] * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    model.train();
    let lossSum = 0;
    let right = 0;
    for (let i = 0; i < order.length; i += batchSize) {
      const b = GraphBatch.fromGraphs(order.slice(i, i + batchSize).map((k) => graphs[k]));
      const [l, acc] = scope(() => {
        opt.zeroGrad();
        const logits = model.forwardBatch(b);
        const target = b.y!.reshape([b.numGraphs]);
        const loss = crossEntropy(logits, target);
        loss.backward();
        opt.step();
        return [loss.item() as number, accuracy(logits, target)];
      });
      lossSum += l * b.numGraphs;
      right += acc * b.numGraphs;
    }
    const logs: EpochLogs = { loss: lossSum / graphs.length, accuracy: right / graphs.length };
    if (options.valGraphs && options.valGraphs.length > 0) logs.valAccuracy = graphAccuracy(model, options.valGraphs);
    logs.seconds = (performance.now() - start) / 1000;
    history.append(epoch, logs);
    options.onEpoch?.(epoch, logs);
  }
  model.eval();
  return history;
}

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Graph } from '@plexus/gnn';
import {
  GraphClassifier, NodeClassifier, cyclesVsTrees, edgeIndexFrom, graphAccuracy, karateClub, nodeAccuracy, pca2, plotEmbeddings, sbmDataset,
  trainGraphClassifier, trainNodeClassifier, DEGREE_FEATURES,
} from '@plexus/gnn';
import { Generator, getBackend, manualSeed, noGrad } from '@plexus/tensor';
import type { History } from '@plexus/train';
import { plotLearningCurves } from '@plexus/train';
import type { GnnOptions } from './options.js';
import { TASK_EPOCHS } from './options.js';

export interface NodeTaskResult {
  /** Accuracy on the unlabelled nodes. */
  testAccuracy: number;
  trainAccuracy: number;
  labelledNodes: number;
  testNodes: number;
  epochs: number;
  seconds: number;
}

export interface SbmResult extends NodeTaskResult {
  nodes: number;
  edges: number;
  communities: number;
  /** The same model trained without edges: what the noisy features alone give. */
  featuresOnlyAccuracy: number;
}

export interface GraphsResult {
  testAccuracy: number;
  trainAccuracy: number;
  trainGraphs: number;
  testGraphs: number;
  epochs: number;
  seconds: number;
}

export interface GnnResult {
  backend: string;
  model: string;
  seed: number;
  karate?: NodeTaskResult & { labelled: number[] };
  sbm?: SbmResult;
  graphs?: GraphsResult;
  seconds: number;
  files: string[];
}

type Log = (line: string) => void;

const pct = (v: number): string => `${(100 * v).toFixed(2)}%`;
const everyFew = (epochs: number) => (epoch: number): boolean => epoch === 0 || (epoch + 1) % Math.max(1, Math.round(epochs / 5)) === 0;

async function curves(history: History, o: GnnOptions, name: string, title: string, files: string[]): Promise<void> {
  const written = await plotLearningCurves(history, join(o.out, name), { title, width: 300, height: 200 });
  files.push(written.png, written.svg);
}

/** The 2-D PCA of the hidden node representations, coloured by class, labelled nodes highlighted. */
async function embedding(model: NodeClassifier, graph: Graph, labelled: number[], o: GnnOptions, name: string, title: string, classNames: string[], files: string[]): Promise<void> {
  model.eval();
  const h = noGrad(() => model.embed(graph.x!, graph.edgeIndex));
  const written = await plotEmbeddings(pca2(h), graph.y!, join(o.out, name), { title, classNames, highlight: labelled, labelTitle: 'class' });
  files.push(written.png, written.svg);
}

async function runKarate(o: GnnOptions, log: Log, files: string[]): Promise<GnnResult['karate']> {
  const start = performance.now();
  const epochs = o.epochs ?? TASK_EPOCHS.karate;
  manualSeed(o.seed);
  const graph = karateClub();
  const labelled = [0, 33]; // Mr. Hi and the administrator
  const rest = Array.from({ length: 34 }, (_, i) => i).filter((i) => !labelled.includes(i));
  const model = new NodeClassifier(34, o.hidden, 2, { conv: o.model, heads: o.heads });
  const show = everyFew(epochs);
  const history = trainNodeClassifier(model, graph, {
    trainIndex: labelled, testIndex: rest, epochs, lr: o.lr,
    onEpoch: (e, l) => show(e) && log(`[karate] epoch ${e + 1}/${epochs}: loss ${l.loss.toFixed(4)}, accuracy on the 32 unlabelled members ${pct(l.testAccuracy)}`),
  });
  const result = {
    testAccuracy: nodeAccuracy(model, graph, rest), trainAccuracy: nodeAccuracy(model, graph, labelled), labelled, labelledNodes: 2, testNodes: rest.length, epochs, seconds: 0,
  };
  log(`[karate] ${o.model}: ${pct(result.testAccuracy)} of the 32 unlabelled members put in their faction (${Math.round(result.testAccuracy * 32)}/32)`);
  if (o.plots) {
    await embedding(model, graph, labelled, o, 'karate-embedding', `Karate club: ${o.model} hidden layer (PCA), ${pct(result.testAccuracy)} of unlabelled right`, ["Mr. Hi's", "Officer's"], files);
    await curves(history, o, 'karate-curves', 'Karate club (2 labelled nodes)', files);
  }
  result.seconds = (performance.now() - start) / 1000;
  return result;
}

/** `perClass` labelled nodes drawn at random (seeded) from each community. */
function pickLabelled(y: ArrayLike<number>, classes: number, perClass: number, seed: number): number[] {
  const u = new Generator(seed).nextUniform(y.length);
  const order = Array.from({ length: y.length }, (_, i) => i).sort((a, b) => u[a] - u[b]);
  return Array.from({ length: classes }, (_, c) => order.filter((i) => y[i] === c).slice(0, perClass)).flat().sort((a, b) => a - b);
}

async function runSbm(o: GnnOptions, log: Log, files: string[]): Promise<SbmResult> {
  const start = performance.now();
  const epochs = o.epochs ?? TASK_EPOCHS.sbm;
  const communities = 4;
  const graph = sbmDataset({ numNodes: o.nodes, numBlocks: communities, seed: o.seed });
  const y = graph.y!.dataSync() as ArrayLike<number>;
  const labelled = pickLabelled(y, communities, o.labelsPerClass, o.seed + 2);
  const unlabelled = Array.from({ length: graph.numNodes }, (_, i) => i).filter((i) => !labelled.includes(i));
  log(`[sbm] ${graph.numNodes} nodes, ${graph.numEdges / 2} undirected edges, ${communities} communities, ${labelled.length} labelled nodes`);
  const train = (g: Graph, tag: string): { model: NodeClassifier; history: History } => {
    manualSeed(o.seed);
    const model = new NodeClassifier(graph.numNodeFeatures, o.hidden, communities, { conv: o.model, heads: o.heads });
    const show = everyFew(epochs);
    const history = trainNodeClassifier(model, g, {
      trainIndex: labelled, testIndex: unlabelled, epochs, lr: o.lr,
      onEpoch: (e, l) => show(e) && log(`[sbm${tag}] epoch ${e + 1}/${epochs}: loss ${l.loss.toFixed(4)}, unlabelled accuracy ${pct(l.testAccuracy)}`),
    });
    return { model, history };
  };
  const { model, history } = train(graph, '');
  const testAccuracy = nodeAccuracy(model, graph, unlabelled);
  // The baseline: the same model and training on a graph without edges (GCN/GAT then see only the
  // node itself), so the gap is what message passing adds.
  const bare = graph.with({ edgeIndex: edgeIndexFrom([], []) });
  const baseline = train(bare, ' features only');
  const featuresOnlyAccuracy = nodeAccuracy(baseline.model, bare, unlabelled);
  const result: SbmResult = {
    testAccuracy, trainAccuracy: nodeAccuracy(model, graph, labelled), featuresOnlyAccuracy, labelledNodes: labelled.length, testNodes: unlabelled.length,
    nodes: graph.numNodes, edges: graph.numEdges / 2, communities, epochs, seconds: 0,
  };
  log(`[sbm] ${o.model}: ${pct(testAccuracy)} on ${unlabelled.length} unlabelled nodes (target >= 90%); features only: ${pct(featuresOnlyAccuracy)}`);
  if (o.plots) {
    await embedding(model, graph, labelled, o, 'sbm-embedding', `SBM: ${o.model} hidden layer (PCA), ${pct(testAccuracy)} of unlabelled right`, ['community 0', 'community 1', 'community 2', 'community 3'], files);
    await curves(history, o, 'sbm-curves', `SBM (${labelled.length} labelled nodes)`, files);
  }
  result.seconds = (performance.now() - start) / 1000;
  return result;
}

async function runGraphs(o: GnnOptions, log: Log, files: string[]): Promise<GraphsResult> {
  const start = performance.now();
  const epochs = o.epochs ?? TASK_EPOCHS.graphs;
  const graphs = cyclesVsTrees({ numGraphs: o.graphs, seed: o.seed });
  const nTrain = Math.round(0.75 * graphs.length);
  const [trainSet, testSet] = [graphs.slice(0, nTrain), graphs.slice(nTrain)];
  manualSeed(o.seed);
  const model = new GraphClassifier(DEGREE_FEATURES, o.hidden, 2, { conv: o.model, heads: o.heads, pool: 'mean' });
  const show = everyFew(epochs);
  const history = trainGraphClassifier(model, trainSet, {
    valGraphs: testSet, epochs, batchSize: o.batchSize, lr: o.lr, seed: o.seed,
    onEpoch: (e, l) => show(e) && log(`[graphs] epoch ${e + 1}/${epochs}: loss ${l.loss.toFixed(4)}, train ${pct(l.accuracy)}, test ${pct(l.valAccuracy)}`),
  });
  const result: GraphsResult = {
    testAccuracy: graphAccuracy(model, testSet), trainAccuracy: graphAccuracy(model, trainSet), trainGraphs: trainSet.length, testGraphs: testSet.length, epochs, seconds: 0,
  };
  log(`[graphs] ${o.model} + mean pooling: cycles vs trees, test accuracy ${pct(result.testAccuracy)} on ${testSet.length} graphs`);
  if (o.plots) await curves(history, o, 'graphs-curves', 'Cycles vs trees (validation = the test graphs)', files);
  result.seconds = (performance.now() - start) / 1000;
  return result;
}

/** Runs the chosen task(s), writes the plots and result.json into `out`. */
export async function run(o: GnnOptions, log: Log = console.log): Promise<GnnResult> {
  const start = performance.now();
  mkdirSync(o.out, { recursive: true });
  const files: string[] = [];
  const result: GnnResult = { backend: getBackend().name, model: o.model, seed: o.seed, seconds: 0, files };
  if (o.task === 'karate' || o.task === 'all') result.karate = await runKarate(o, log, files);
  if (o.task === 'sbm' || o.task === 'all') result.sbm = await runSbm(o, log, files);
  if (o.task === 'graphs' || o.task === 'all') result.graphs = await runGraphs(o, log, files);
  result.seconds = (performance.now() - start) / 1000;
  const json = join(o.out, 'result.json');
  files.push(json);
  writeFileSync(json, `${JSON.stringify(result, null, 2)}\n`);
  return result;
}

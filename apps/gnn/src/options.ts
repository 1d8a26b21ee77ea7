import type { CommonDefaults } from '@plexus/app-kit';
import { UsageError, choiceOption, commonUsage, numberOption, parseCli } from '@plexus/app-kit';
import type { ConvType } from '@plexus/gnn';
import { CONV_TYPES } from '@plexus/gnn';

export const TASKS = ['karate', 'sbm', 'graphs', 'all'] as const;
export type Task = (typeof TASKS)[number];

/** Per task: training epochs (full-batch steps for the node tasks). */
export const TASK_EPOCHS = { karate: 200, sbm: 200, graphs: 40 } as const;

export interface GnnOptions {
  task: Task;
  model: ConvType;
  /** Overrides every task's epochs. */
  epochs?: number;
  lr: number;
  hidden: number;
  /** GAT heads of the hidden layers. */
  heads: number;
  /** SBM: nodes, and labelled nodes per community. */
  nodes: number;
  labelsPerClass: number;
  /** Graph classification: graphs in all (75% train, 25% test) and the mini-batch size. */
  graphs: number;
  batchSize: number;
  seed: number;
  out: string;
  plots: boolean;
}

export const DEFAULTS: CommonDefaults = { epochs: 1, batchSize: 32, lr: 0.01, out: 'out/gnn' };

export const USAGE = `Usage: pnpm demo gnn [options]

Graph neural networks with @plexus/gnn (message passing by gather / scatter-add):
  karate  Zachary's karate club, one labelled node per faction (0 and 33), identity features:
          accuracy on the other 32 members
  sbm     stochastic block model, 4 communities, noisy 8-D features with a weak class signal,
          a few labelled nodes per community: accuracy on the unlabelled nodes (and a
          features-only baseline: the same model without edges)
  graphs  cycles vs random trees, one-hot degree features, global mean pooling: test accuracy

  --task NAME         ${TASKS.join(', ')} (default all)
  --model NAME        ${CONV_TYPES.join(', ')} (default gcn)
  --epochs N          training epochs of every task (default ${TASK_EPOCHS.karate} karate, ${TASK_EPOCHS.sbm} sbm, ${TASK_EPOCHS.graphs} graphs)
  --lr X              Adam learning rate (default ${DEFAULTS.lr})
  --hidden N          hidden channels (default 16)
  --heads N           GAT heads of the hidden layers (default 4; must divide --hidden)
  --nodes N           SBM nodes (default 1000)
  --labels-per-class N  SBM labelled nodes per community (default 5)
  --graphs N          graphs of the classification task (default 400)
  --batch-size N      graphs per mini-batch (default ${DEFAULTS.batchSize})
  --no-plots          skip the PNG/SVG plots
${commonUsage(DEFAULTS).split('\n').filter((l) => !/--(batch-size|epochs|lr) /.test(l)).join('\n')}`;

export function parseOptions(argv: readonly string[]): { options: GnnOptions; backend: string; help: boolean } {
  const { common, values } = parseCli(argv, {
    defaults: DEFAULTS,
    options: {
      task: { type: 'string' },
      model: { type: 'string' },
      hidden: { type: 'string' },
      heads: { type: 'string' },
      nodes: { type: 'string' },
      'labels-per-class': { type: 'string' },
      graphs: { type: 'string' },
      'no-plots': { type: 'boolean' },
    },
  });
  const hidden = numberOption('hidden', values.hidden, 16, 'positiveInt');
  const heads = numberOption('heads', values.heads, 4, 'positiveInt');
  const model = choiceOption('model', values.model, CONV_TYPES, 'gcn');
  if (model === 'gat' && hidden % heads !== 0) throw new UsageError(`--heads (${heads}) must divide --hidden (${hidden}) for --model gat`);
  const nodes = numberOption('nodes', values.nodes, 1000, 'positiveInt');
  const labelsPerClass = numberOption('labels-per-class', values['labels-per-class'], 5, 'positiveInt');
  if (nodes < 4 * (labelsPerClass + 1)) throw new UsageError(`--nodes (${nodes}) must leave unlabelled nodes in each of the 4 communities (at least ${4 * (labelsPerClass + 1)})`);
  const graphs = numberOption('graphs', values.graphs, 400, 'positiveInt');
  if (graphs < 8) throw new UsageError(`--graphs must be at least 8, got ${graphs}`);
  return {
    backend: common.backend,
    help: common.help,
    options: {
      task: choiceOption('task', values.task, TASKS, 'all'),
      model,
      epochs: values.epochs === undefined ? undefined : common.epochs,
      lr: common.lr,
      hidden,
      heads,
      nodes,
      labelsPerClass,
      graphs,
      batchSize: common.batchSize,
      seed: common.seed,
      out: common.out,
      plots: values['no-plots'] !== true,
    },
  };
}

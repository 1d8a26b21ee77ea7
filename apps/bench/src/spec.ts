/**
 * The workloads, defined once: every runner (Plexus, TensorFlow.js, the PyTorch script) reads its
 * shapes from here (the Python runner gets them through the data file's header), so no runner can
 * quietly bench a different problem.
 */

export const WORKLOAD_IDS = ['w1-1024', 'w1-256', 'w2', 'w3-train', 'w3-infer', 'w4', 'w5', 'w6', 'w7'] as const;
export type WorkloadId = (typeof WORKLOAD_IDS)[number];

/** `full` is the benchmark; `tiny` keeps the same structure at toy sizes, for tests. */
export type Size = 'full' | 'tiny';

export interface SgemmConfig { kind: 'sgemm'; n: number }
export interface MlpConfig { kind: 'mlp'; batch: number; layers: number[]; lr: number }
export interface CnnConfig {
  kind: 'cnn';
  batch: number;
  image: number;
  /** Input channels, then the two conv layers' output channels. */
  channels: [number, number, number];
  kernel: number;
  hidden: number;
  classes: number;
  lr: number;
  train: boolean;
}
export interface TransformerConfig { kind: 'transformer'; batch: number; seq: number; dModel: number; heads: number; ffn: number; lr: number }
export interface LstmConfig { kind: 'lstm'; batch: number; seq: number; input: number; hidden: number; lr: number }
export interface ElementwiseConfig { kind: 'elementwise'; n: number }
export interface PinnConfig { kind: 'pinn'; points: number; layers: number[]; nu: number; lr: number }

export type WorkloadConfig = SgemmConfig | MlpConfig | CnnConfig | TransformerConfig | LstmConfig | ElementwiseConfig | PinnConfig;

export interface Workload {
  id: WorkloadId;
  title: string;
  unit: string;
  /** What one step is worth in `unit` × its scale (flops, samples, bytes, steps). */
  workPerStep: (c: WorkloadConfig) => number;
  /** Divides work/second to give `unit` (1e9 for GFLOP/s and GB/s). */
  scale: number;
  /** Whether a step trains (forward + backward + SGD). */
  trains: boolean;
  config: Record<Size, WorkloadConfig>;
}

/** Layer-norm epsilon (PyTorch's default), used by every runner of W4. */
export const LN_EPS = 1e-5;

const sgemm = (n: number, tiny: number): Record<Size, SgemmConfig> => ({ full: { kind: 'sgemm', n }, tiny: { kind: 'sgemm', n: tiny } });
const cnn = (train: boolean): Record<Size, CnnConfig> => ({
  full: { kind: 'cnn', batch: 64, image: 28, channels: [1, 32, 64], kernel: 5, hidden: 128, classes: 10, lr: 0.01, train },
  tiny: { kind: 'cnn', batch: 2, image: 8, channels: [1, 3, 4], kernel: 5, hidden: 5, classes: 3, lr: 0.1, train },
});

const batchOf = (c: WorkloadConfig): number => ('batch' in c ? c.batch : 1);

export const WORKLOADS: readonly Workload[] = [
  {
    id: 'w1-1024', title: 'W1 SGEMM 1024³', unit: 'GFLOP/s', scale: 1e9, trains: false,
    workPerStep: (c) => 2 * (c as SgemmConfig).n ** 3, config: sgemm(1024, 16),
  },
  {
    id: 'w1-256', title: 'W1 SGEMM 256³', unit: 'GFLOP/s', scale: 1e9, trains: false,
    workPerStep: (c) => 2 * (c as SgemmConfig).n ** 3, config: sgemm(256, 8),
  },
  {
    id: 'w2', title: 'W2 MLP 784-512-256-10 train', unit: 'samples/s', scale: 1, trains: true, workPerStep: batchOf,
    config: {
      full: { kind: 'mlp', batch: 128, layers: [784, 512, 256, 10], lr: 0.01 },
      tiny: { kind: 'mlp', batch: 4, layers: [12, 8, 6, 3], lr: 0.1 },
    },
  },
  { id: 'w3-train', title: 'W3 CNN train', unit: 'samples/s', scale: 1, trains: true, workPerStep: batchOf, config: cnn(true) },
  { id: 'w3-infer', title: 'W3 CNN inference', unit: 'samples/s', scale: 1, trains: false, workPerStep: batchOf, config: cnn(false) },
  {
    id: 'w4', title: 'W4 transformer block train', unit: 'steps/s', scale: 1, trains: true, workPerStep: () => 1,
    config: {
      full: { kind: 'transformer', batch: 16, seq: 64, dModel: 128, heads: 4, ffn: 512, lr: 0.01 },
      tiny: { kind: 'transformer', batch: 2, seq: 4, dModel: 8, heads: 2, ffn: 16, lr: 0.1 },
    },
  },
  {
    id: 'w5', title: 'W5 LSTM train', unit: 'steps/s', scale: 1, trains: true, workPerStep: () => 1,
    config: {
      full: { kind: 'lstm', batch: 32, seq: 32, input: 64, hidden: 128, lr: 0.1 },
      tiny: { kind: 'lstm', batch: 2, seq: 3, input: 4, hidden: 5, lr: 0.5 },
    },
  },
  {
    id: 'w6', title: 'W6 sum(relu(a*b+c))', unit: 'GB/s', scale: 1e9, trains: false,
    // Three float32 inputs read once each.
    workPerStep: (c) => 3 * 4 * (c as ElementwiseConfig).n,
    config: { full: { kind: 'elementwise', n: 4 * 1024 * 1024 }, tiny: { kind: 'elementwise', n: 1000 } },
  },
  {
    id: 'w7', title: 'W7 PINN (Burgers) step', unit: 'steps/s', scale: 1, trains: true, workPerStep: () => 1,
    config: {
      full: { kind: 'pinn', points: 4096, layers: [2, 64, 64, 64, 1], nu: 0.01 / Math.PI, lr: 0.01 },
      tiny: { kind: 'pinn', points: 16, layers: [2, 5, 5, 5, 1], nu: 0.01 / Math.PI, lr: 0.1 },
    },
  },
];

export function workload(id: string): Workload {
  const w = WORKLOADS.find((x) => x.id === id);
  if (!w) throw new Error(`unknown workload '${id}' (known: ${WORKLOAD_IDS.join(', ')})`);
  return w;
}

/**
 * Workloads named by a comma list of ids or prefixes: `w1` selects w1-1024 and w1-256, `w3`
 * both W3 rows, `all` everything.
 */
export function selectWorkloads(list: string): Workload[] {
  const names = list.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (names.length === 0 || names.includes('all')) return [...WORKLOADS];
  const picked = new Set<WorkloadId>();
  for (const name of names) {
    const hits = WORKLOADS.filter((w) => w.id === name || w.id.startsWith(`${name}-`));
    if (hits.length === 0) throw new Error(`--workload: unknown workload '${name}' (known: w1…w7, ${WORKLOAD_IDS.join(', ')}, all)`);
    for (const h of hits) picked.add(h.id);
  }
  return WORKLOADS.filter((w) => picked.has(w.id));
}

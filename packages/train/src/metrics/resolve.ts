import { ArgumentError } from '@plexus/tensor';
import type { Metric, MetricFn } from './metric.js';
import { Accuracy, F1Score, MeanAbsoluteError, MeanMetric, MeanSquaredError, Precision, R2Score, Recall, TopKAccuracy } from './metric.js';

/** A metric by name ('accuracy', 'top5', 'f1', 'mse', …), a Metric, or a per-batch function. */
export type MetricSpec = string | Metric | MetricFn;

const NAMED: Record<string, () => Metric> = {
  accuracy: () => new Accuracy(),
  acc: () => new Accuracy(),
  precision: () => new Precision(),
  recall: () => new Recall(),
  f1: () => new F1Score(),
  f1Score: () => new F1Score(),
  precisionMicro: () => new Precision({ average: 'micro' }),
  recallMicro: () => new Recall({ average: 'micro' }),
  f1Micro: () => new F1Score({ average: 'micro' }),
  mse: () => new MeanSquaredError(),
  meanSquaredError: () => new MeanSquaredError(),
  mae: () => new MeanAbsoluteError(),
  meanAbsoluteError: () => new MeanAbsoluteError(),
  r2: () => new R2Score(),
  r2Score: () => new R2Score(),
};

const isMetric = (v: unknown): v is Metric =>
  v !== null && typeof v === 'object' && typeof (v as Metric).update === 'function' && typeof (v as Metric).compute === 'function' && typeof (v as Metric).reset === 'function';

/** Turns metric specs into Metric objects; names must be unique and must not be 'loss'. */
export function resolveMetrics(op: string, specs: readonly MetricSpec[] = []): Metric[] {
  if (!Array.isArray(specs)) throw new ArgumentError(`${op}: metrics must be an array, got ${typeof specs}`);
  const metrics = specs.map((spec, i): Metric => {
    if (typeof spec === 'string') {
      const topK = /^top(\d+)(Accuracy)?$/.exec(spec);
      if (topK) return new TopKAccuracy(Number(topK[1]));
      const make = NAMED[spec];
      if (!make) throw new ArgumentError(`${op}: unknown metric '${spec}' (known: ${Object.keys(NAMED).join(', ')}, topK as 'top5')`);
      return make();
    }
    if (typeof spec === 'function') return new MeanMetric(spec.name || `metric${i}`, spec);
    if (isMetric(spec)) return spec;
    throw new ArgumentError(`${op}: metrics[${i}] must be a name, a Metric or a function, got ${spec === null ? 'null' : typeof spec}`);
  });
  const seen = new Set<string>(['loss']);
  for (const m of metrics) {
    if (seen.has(m.name)) throw new ArgumentError(`${op}: two metrics (or a metric and the loss) are named '${m.name}'; give one a name option`);
    seen.add(m.name);
  }
  return metrics;
}

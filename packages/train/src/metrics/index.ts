export type { ClassOptions, MetricInput, NestedNumbers } from './host.js';
export {
  accuracy, topKAccuracy, confusionMatrix, precision, recall, f1Score, perClassScores, averagedScore,
} from './classification.js';
export type { Average, AverageOptions, ConfusionOptions, PerClassScores, ScoreKind } from './classification.js';
export { meanSquaredError, meanAbsoluteError, r2Score } from './regression.js';
export type { Metric, MetricFn, ScoreOptions } from './metric.js';
export {
  Accuracy, TopKAccuracy, ConfusionMatrix, Precision, Recall, F1Score, MeanSquaredError, MeanAbsoluteError, R2Score, MeanMetric,
} from './metric.js';
export type { MetricSpec } from './resolve.js';
export { resolveMetrics } from './resolve.js';

// @plexus/rnn: ready recurrent models on @plexus/nn's RNN, LSTM and GRU, and sequence data helpers.
export { RecurrentBackbone, SequenceClassifier, SequenceRegressor, SequenceToSequence } from './models.js';
export type {
  CellType, Pooling, RecurrentBackboneOptions, SequenceClassifierOptions, SequenceForwardOptions, SequenceRegressorOptions, SequenceToOneOptions,
  SequenceToSequenceOptions,
} from './models.js';
export { chronoInit_ } from './chrono.js';
export type { ChronoInitOptions } from './chrono.js';
export { rowSequences } from './rows.js';
export { addingProblem } from './adding-problem.js';
export type { AddingProblemOptions, SequenceSet } from './adding-problem.js';
export { forecastErrors, seasonalNaive, seasonalSeries, slidingWindows, windowMean } from './series.js';
export type { Seasonality, SeasonalSeriesOptions } from './series.js';
export { forecast } from './forecast.js';
export type { ForecastOptions, WindowModel } from './forecast.js';

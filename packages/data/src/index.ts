// Datasets and loading
export type { Dataset } from './dataset.js';
export { TensorDataset, Subset } from './dataset.js';
export type { Collated } from './collate.js';
export { defaultCollate } from './collate.js';
export type { DataLoaderOptions } from './dataloader.js';
export { DataLoader } from './dataloader.js';
export { permutation } from './random.js';
export type { SeedOptions } from './random.js';

// Preparation
export type { Labels } from './labels.js';
export type { RandomSplitOptions, TrainValTestOptions, Splits } from './split.js';
export { randomSplit, trainValTestSplit } from './split.js';
export type { Fold, KFoldOptions } from './kfold.js';
export { kFold } from './kfold.js';
export type { Cell, Table, RowTable, ColumnTable } from './table.js';
export { tableToTensor } from './table.js';
export type { CleanReport, CleanTableOptions, Imputation, MissingStrategy } from './clean.js';
export { cleanTable, isMissing } from './clean.js';
export type { StandardizeJSON, MinMaxScaleJSON } from './scalers.js';
export { Standardize, MinMaxScale } from './scalers.js';
export { oneHot } from './one-hot.js';

// Image augmentation
export type { Transform, TransformLike } from './transforms/transform.js';
export { Compose, applyTransform } from './transforms/transform.js';
export type { RandomCropOptions } from './transforms/random-crop.js';
export { RandomCrop } from './transforms/random-crop.js';
export { RandomHorizontalFlip } from './transforms/random-horizontal-flip.js';
export type { RandomAffineOptions } from './transforms/random-affine.js';
export { RandomAffine } from './transforms/random-affine.js';
export type { GaussianNoiseOptions } from './transforms/gaussian-noise.js';
export { GaussianNoise } from './transforms/gaussian-noise.js';
export { Normalize } from './transforms/normalize.js';

// File formats (pure parsers; they run anywhere)
export type { ColumnType, CsvOptions } from './io/csv.js';
export { parseCsv } from './io/csv.js';
export type { IdxArray, IdxType } from './io/idx.js';
export { parseIdx, idxToTensor } from './io/idx.js';
export type { NpyArray, NpyWriteOptions } from './io/npy.js';
export { parseNpy, encodeNpy, npyToTensor } from './io/npy.js';

// Synthetic data sets
export type { SyntheticSet, MoonsOptions, SpiralsOptions, BlobsOptions, NoisySineOptions } from './synthetic.js';
export { makeMoons, makeSpirals, makeBlobs, makeNoisySine } from './synthetic.js';

// Node-only: files, downloads, the cache and the bundled digits
export type { FileSource } from './node/files.js';
export { readCsv } from './node/read-csv.js';
export { readIdx, readIdxArray } from './node/read-idx.js';
export { readNpy, writeNpy } from './node/npy-file.js';
export type { DownloadOptions } from './node/download.js';
export { download } from './node/download.js';
export { getCacheDir } from './node/cache-dir.js';
export type { DigitsSet, LoadDigitsOptions } from './node/digits.js';
export { loadDigits, digitsCachePath } from './node/digits.js';

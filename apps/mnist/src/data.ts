import type { Dataset, DigitsSet, TransformLike } from '@plexus/data';
import { Compose, DataLoader, Normalize, RandomAffine, TensorDataset, applyTransform, loadDigits } from '@plexus/data';
import type { Tensor } from '@plexus/tensor';
import { narrow } from '@plexus/tensor';

/** MNIST's pixel mean and standard deviation (the usual normalisation). */
export const MEAN = 0.1307;
export const STD = 0.3081;

/** A dataset whose batches pass their images through a transform (augmentation happens per batch, on the data's backend). */
export class TransformedImages implements Dataset<Tensor[]> {
  private readonly base: TensorDataset;

  constructor(images: Tensor, labels: Tensor, private readonly transform: TransformLike) {
    this.base = new TensorDataset(images, labels);
  }

  get length(): number {
    return this.base.length;
  }

  get(index: number): Tensor[] {
    return this.getBatch([index]).map((t) => t.squeeze(0));
  }

  getBatch(indices: readonly number[]): Tensor[] {
    const [x, y] = this.base.getBatch(indices);
    return [applyTransform(this.transform, x), y];
  }
}

export interface DigitsLoaders {
  train: DataLoader<Tensor[]>;
  val: DataLoader<Tensor[]>;
  test: DataLoader<Tensor[]>;
  sizes: { train: number; val: number; test: number };
}

function take(set: DigitsSet, n: number | undefined): DigitsSet {
  if (n === undefined || n >= set.labels.shape[0]) return set;
  return { images: narrow(set.images, 0, 0, n), labels: narrow(set.labels, 0, 0, n) };
}

/**
 * The bundled 10,000 digits split 8000/1000/1000 by `seed` (stratified). Training batches are
 * shuffled and, with `augment`, slightly rotated, shifted and scaled; every split is normalised.
 */
export function digitsLoaders(options: { seed: number; batchSize: number; augment: boolean; trainSize?: number }): DigitsLoaders {
  const splits = loadDigits({ seed: options.seed });
  const train = take(splits.train, options.trainSize);
  const normalize = new Normalize(MEAN, STD);
  const augment = options.augment
    ? new Compose([new RandomAffine({ degrees: 10, translate: [0.1, 0.1], scale: [0.9, 1.1] }), normalize])
    : normalize;
  const evalSet = (s: DigitsSet): TransformedImages => new TransformedImages(s.images, s.labels, normalize);
  return {
    train: new DataLoader(new TransformedImages(train.images, train.labels, augment), { batchSize: options.batchSize, shuffle: true }),
    val: new DataLoader(evalSet(splits.val), { batchSize: 500 }),
    test: new DataLoader(evalSet(splits.test), { batchSize: 500 }),
    sizes: { train: train.labels.shape[0], val: splits.val.labels.shape[0], test: splits.test.labels.shape[0] },
  };
}

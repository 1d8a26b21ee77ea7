import type { Tensor } from '@plexus/tensor';
import { ArgumentError, BackendError, ShapeError, concat, fmtShape, isTensor, noGrad } from '@plexus/tensor';
import type { UnaryModule } from '@plexus/nn';
import { numberIn, positiveInt } from './options.js';

/** Class probabilities p(y|x) of N samples over C classes, row-major. */
export interface ProbabilityRows {
  data: ArrayLike<number>;
  shape: readonly number[];
}

export interface SampleQualityOptions {
  /** Mode collapse when exp(entropy of the predicted-class histogram) falls below this (default 0.8·C: 8 of 10 digits). */
  minEffectiveClasses?: number;
  /** Mode collapse when some class gets a smaller share of the predictions than this (default 0.2/C: 2% of 10 digits). */
  minClassShare?: number;
}

export interface SampleQuality {
  samples: number;
  classes: number;
  /** Mean over samples of max_y p(y|x): how confidently the classifier recognises the samples (1 at best). */
  meanMaxConfidence: number;
  /** How many samples the classifier assigns to each class (argmax). */
  classCounts: number[];
  /** exp(entropy) of the predicted-class histogram: the number of equally used classes it matches (1..C). */
  effectiveClasses: number;
  /**
   * Inception score (Salimans et al., 2016) with this classifier: exp(E_x KL(p(y|x) ‖ p(y))),
   * p(y) the mean of p(y|x). Between 1 and C; C needs confident predictions spread evenly.
   */
  inceptionScore: number;
  modeCollapse: { detected: boolean; reasons: string[] };
}

function rowsOf(probs: Tensor | ProbabilityRows): ProbabilityRows {
  if (isTensor(probs)) {
    if (!probs.backend.readSync) throw new BackendError(`sampleQuality: backend '${probs.backend.name}' cannot read synchronously; pass { data: await t.data(), shape: t.shape }`);
    return { data: probs.dataSync() as ArrayLike<number>, shape: probs.shape };
  }
  if (probs === null || typeof probs !== 'object' || !Array.isArray(probs.shape) || typeof probs.data?.length !== 'number') {
    throw new ArgumentError('sampleQuality: expected probabilities as a Tensor [N, C] or { data, shape }');
  }
  return probs;
}

/**
 * Scores generated samples with a classifier's probabilities p(y|x) [N, C]: confidence (are the
 * samples recognisable?), diversity (the effective number of predicted classes) and the inception
 * score (both at once), and flags mode collapse when few classes are produced.
 */
export function sampleQuality(probs: Tensor | ProbabilityRows, options: SampleQualityOptions = {}): SampleQuality {
  const { data, shape } = rowsOf(probs);
  if (shape.length !== 2 || shape[0] < 1 || shape[1] < 2) throw new ShapeError(`sampleQuality: expected probabilities [N, C] with N >= 1 and C >= 2, got ${fmtShape(shape)}`);
  const [n, c] = shape;
  if (data.length !== n * c) throw new ShapeError(`sampleQuality: ${data.length} values for shape ${fmtShape(shape)}`);
  const minEffective = numberIn('sampleQuality', 'minEffectiveClasses', options.minEffectiveClasses ?? 0.8 * c, 1, c);
  const minShare = numberIn('sampleQuality', 'minClassShare', options.minClassShare ?? 0.2 / c, 0, 1 / c);
  const marginal = new Float64Array(c);
  const counts = new Array<number>(c).fill(0);
  let confidence = 0;
  for (let i = 0; i < n; i++) {
    let sum = 0;
    let best = 0;
    for (let j = 0; j < c; j++) {
      const p = data[i * c + j];
      if (!(p >= 0 && p <= 1)) throw new ArgumentError(`sampleQuality: probabilities must be in [0, 1], got ${p} at row ${i}, class ${j}; apply softmax to logits first`);
      sum += p;
      marginal[j] += p;
      if (p > data[i * c + best]) best = j;
    }
    if (Math.abs(sum - 1) > 1e-3) throw new ArgumentError(`sampleQuality: row ${i} sums to ${sum}, not 1; apply softmax to logits first`);
    confidence += data[i * c + best];
    counts[best]++;
  }
  for (let j = 0; j < c; j++) marginal[j] /= n;
  // E_x KL(p(y|x) ‖ p(y)) = E_x Σ_y p(y|x)·(log p(y|x) − log p(y)); 0·log 0 = 0.
  let kl = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < c; j++) {
      const p = data[i * c + j];
      if (p > 0) kl += (p * (Math.log(p) - Math.log(marginal[j]))) / n;
    }
  }
  let entropy = 0;
  for (const k of counts) if (k > 0) entropy -= (k / n) * Math.log(k / n);
  const effectiveClasses = Math.exp(entropy);
  const reasons: string[] = [];
  if (effectiveClasses < minEffective) reasons.push(`effective number of classes ${effectiveClasses.toFixed(2)} < ${minEffective}`);
  const rare = counts.map((k, j) => [j, k / n] as const).filter(([, share]) => share < minShare);
  if (rare.length > 0) reasons.push(`class${rare.length > 1 ? 'es' : ''} ${rare.map(([j, s]) => `${j} (${(100 * s).toFixed(1)}%)`).join(', ')} below ${(100 * minShare).toFixed(1)}% of the samples`);
  return {
    samples: n,
    classes: c,
    meanMaxConfidence: confidence / n,
    classCounts: counts,
    effectiveClasses,
    inceptionScore: Math.exp(kl),
    modeCollapse: { detected: reasons.length > 0, reasons },
  };
}

/**
 * softmax(classifier(x)) for images [N, ...] in batches, in evaluation mode without gradients;
 * the classifier's train/eval modes are restored afterwards.
 */
export function predictProbabilities(classifier: UnaryModule, images: Tensor, options: { batchSize?: number } = {}): Tensor {
  if (classifier === null || typeof classifier !== 'object' || typeof classifier.forward !== 'function') throw new ArgumentError('predictProbabilities: classifier must be a Module with forward(x)');
  if (!isTensor(images) || images.rank < 2) throw new ShapeError(`predictProbabilities: expected images [N, ...], got ${isTensor(images) ? fmtShape(images.shape) : String(images)}`);
  const batchSize = positiveInt('predictProbabilities', 'batchSize', options.batchSize ?? 256);
  const modules = classifier.modules();
  const modes = modules.map((m) => m.training);
  classifier.eval();
  try {
    return noGrad(() => {
      const parts: Tensor[] = [];
      for (let b = 0; b < images.shape[0]; b += batchSize) parts.push(classifier.forward(images.narrow(0, b, Math.min(batchSize, images.shape[0] - b))).softmax(-1));
      return parts.length === 1 ? parts[0] : concat(parts, 0);
    });
  } finally {
    modules.forEach((m, i) => {
      m.training = modes[i];
    });
  }
}

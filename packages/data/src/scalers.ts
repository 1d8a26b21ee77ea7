import type { DType, Tensor } from '@plexus/tensor';
import { ArgumentError, DTypeError, ShapeError, equal, fromData, isFloating, isTensor, toDataArray, where } from '@plexus/tensor';

function checkInput(op: string, x: unknown): asserts x is Tensor {
  if (!isTensor(x)) throw new ArgumentError(`${op}: expected a Tensor, got ${x === null ? 'null' : typeof x}`);
  if (!isFloating(x.dtype)) throw new DTypeError(`${op}: expected a float32 or float64 tensor, got ${x.dtype}`);
}

function checkFit(op: string, x: Tensor): void {
  checkInput(op, x);
  if (x.rank < 1 || x.shape[0] < 1) throw new ShapeError(`${op}: expected [samples, ...features] with at least one sample, got [${x.shape.join(',')}]`);
}

/** Checks that x's trailing dims are the fitted feature shape. */
function checkFeatures(op: string, x: Tensor, features: readonly number[]): void {
  checkInput(op, x);
  const tail = x.shape.slice(x.rank - features.length);
  if (x.rank < features.length || tail.some((d, i) => d !== features[i])) {
    throw new ShapeError(`${op}: expected input ending in the fitted feature shape [${features.join(',')}], got [${x.shape.join(',')}]`);
  }
}

/** Per-feature statistics as JSON numbers, read synchronously. */
function numbers(t: Tensor): number[] {
  return Array.from(t.dataSync(), Number);
}

function statTensor(op: string, values: unknown, features: readonly number[], dtype: DType): Tensor {
  const size = features.reduce((a, b) => a * b, 1);
  if (!Array.isArray(values) || values.length !== size || values.some((v) => typeof v !== 'number')) {
    throw new ArgumentError(`${op}.fromJSON: expected ${size} numbers for feature shape [${features.join(',')}]`);
  }
  return fromData(`${op}.fromJSON`, toDataArray(values as number[], dtype), features);
}

function checkJson(op: string, json: unknown): Record<string, unknown> & { featureShape: number[]; dtype: DType } {
  const j = json as Record<string, unknown> | null;
  if (!j || typeof j !== 'object' || j.kind !== op) throw new ArgumentError(`${op}.fromJSON: expected an object with kind '${op}', got ${JSON.stringify(j?.kind)}`);
  if (!Array.isArray(j.featureShape) || !j.featureShape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new ArgumentError(`${op}.fromJSON: featureShape must be an array of sizes`);
  }
  if (j.dtype !== 'float32' && j.dtype !== 'float64') throw new ArgumentError(`${op}.fromJSON: dtype must be float32 or float64, got ${String(j.dtype)}`);
  return j as Record<string, unknown> & { featureShape: number[]; dtype: DType };
}

export interface StandardizeJSON {
  kind: 'Standardize';
  featureShape: number[];
  dtype: DType;
  mean: number[];
  std: number[];
}

/**
 * Standardizes each feature to zero mean and unit variance (sklearn's StandardScaler): fit on
 * the training split, then transform every split with the training statistics. The standard
 * deviation is the population one; a constant feature gets std 1 (it maps to 0, never NaN).
 */
export class Standardize {
  mean: Tensor | null = null;
  std: Tensor | null = null;

  fit(x: Tensor): this {
    checkFit('Standardize.fit', x);
    const lo = x.min(0);
    const constant = equal(x.max(0), lo);
    // A constant feature's mean is its value exactly (a float sum could be off by an ulp).
    this.mean = where(constant, lo, x.mean(0));
    this.std = where(constant, 1, x.std(0, { correction: 0 }));
    return this;
  }

  private fitted(op: string): { mean: Tensor; std: Tensor } {
    if (!this.mean || !this.std) throw new ArgumentError(`Standardize.${op}: call fit() first`);
    return { mean: this.mean, std: this.std };
  }

  transform(x: Tensor): Tensor {
    const { mean, std } = this.fitted('transform');
    checkFeatures('Standardize.transform', x, mean.shape);
    return x.sub(mean).div(std);
  }

  inverseTransform(y: Tensor): Tensor {
    const { mean, std } = this.fitted('inverseTransform');
    checkFeatures('Standardize.inverseTransform', y, mean.shape);
    return y.mul(std).add(mean);
  }

  fitTransform(x: Tensor): Tensor {
    return this.fit(x).transform(x);
  }

  toJSON(): StandardizeJSON {
    const { mean, std } = this.fitted('toJSON');
    return { kind: 'Standardize', featureShape: [...mean.shape], dtype: mean.dtype, mean: numbers(mean), std: numbers(std) };
  }

  static fromJSON(json: StandardizeJSON): Standardize {
    const j = checkJson('Standardize', json);
    const s = new Standardize();
    s.mean = statTensor('Standardize', j.mean, j.featureShape, j.dtype);
    s.std = statTensor('Standardize', j.std, j.featureShape, j.dtype);
    return s;
  }
}

export interface MinMaxScaleJSON {
  kind: 'MinMaxScale';
  featureShape: number[];
  dtype: DType;
  range: [number, number];
  min: number[];
  max: number[];
}

/**
 * Scales each feature linearly so the training minimum and maximum map to `range` (default
 * [0, 1]; sklearn's MinMaxScaler). A constant feature maps to range[0], never NaN.
 */
export class MinMaxScale {
  readonly range: [number, number];
  min: Tensor | null = null;
  max: Tensor | null = null;

  constructor(options: { range?: readonly [number, number] } = {}) {
    const [a, b] = options.range ?? [0, 1];
    if (!Number.isFinite(a) || !Number.isFinite(b) || a >= b) throw new ArgumentError(`MinMaxScale: range must be [low, high] with low < high, got [${a}, ${b}]`);
    this.range = [a, b];
  }

  fit(x: Tensor): this {
    checkFit('MinMaxScale.fit', x);
    this.min = x.min(0);
    this.max = x.max(0);
    return this;
  }

  private fitted(op: string): { min: Tensor; scale: Tensor } {
    if (!this.min || !this.max) throw new ArgumentError(`MinMaxScale.${op}: call fit() first`);
    const span = this.max.sub(this.min);
    // Scale per unit of input; a zero span would divide by zero, so it counts as 1.
    const scale = where(equal(span, 0), 1, span).reciprocal().mul(this.range[1] - this.range[0]);
    return { min: this.min, scale };
  }

  transform(x: Tensor): Tensor {
    const { min, scale } = this.fitted('transform');
    checkFeatures('MinMaxScale.transform', x, min.shape);
    return x.sub(min).mul(scale).add(this.range[0]);
  }

  inverseTransform(y: Tensor): Tensor {
    const { min, scale } = this.fitted('inverseTransform');
    checkFeatures('MinMaxScale.inverseTransform', y, min.shape);
    return y.sub(this.range[0]).div(scale).add(min);
  }

  fitTransform(x: Tensor): Tensor {
    return this.fit(x).transform(x);
  }

  toJSON(): MinMaxScaleJSON {
    const { min } = this.fitted('toJSON');
    return { kind: 'MinMaxScale', featureShape: [...min.shape], dtype: min.dtype, range: [...this.range], min: numbers(min), max: numbers(this.max!) };
  }

  static fromJSON(json: MinMaxScaleJSON): MinMaxScale {
    const j = checkJson('MinMaxScale', json);
    const s = new MinMaxScale({ range: j.range as [number, number] });
    s.min = statTensor('MinMaxScale', j.min, j.featureShape, j.dtype);
    s.max = statTensor('MinMaxScale', j.max, j.featureShape, j.dtype);
    return s;
  }
}

import type { DType, Tensor } from '@plexus/tensor';
import { ArgumentError, DTypeError, ShapeError, fmtShape, full, isFloating, isTensor, noGrad, randn } from '@plexus/tensor';
import { Module, Parameter } from '@plexus/nn';
import type { KernelName } from './kernels.js';
import { KERNELS, applyKernel } from './kernels.js';

export interface RBFOptions {
  /** Radial function (default 'gaussian'). */
  kernel?: KernelName;
  /** Initial centres [numCenters, inFeatures] (default: standard normal draws; see RBFNetwork.initCenters for k-means). */
  centers?: Tensor;
  /** Train the centres (default true); otherwise they are a fixed buffer. */
  learnCenters?: boolean;
  /** Initial width σ, one number for all centres or a tensor [numCenters] (default 1). */
  widths?: number | Tensor;
  /** Train the widths (default true). */
  learnWidths?: boolean;
  dtype?: DType;
}

/**
 * A layer of radial basis functions: for input x ([N, inFeatures]) the activation of centre j is
 * φ(‖x − c_j‖; σ_j), giving [N, numCenters]. Centres and widths are Parameters (trained by
 * gradient descent) or fixed buffers. The distances are computed from the differences
 * x_i − c_j, exact and never negative.
 */
export class RBF extends Module {
  readonly inFeatures: number;
  readonly numCenters: number;
  readonly kernel: KernelName;
  readonly learnCenters: boolean;
  readonly learnWidths: boolean;
  centers: Parameter | null = null;
  widths: Parameter | null = null;

  constructor(inFeatures: number, numCenters: number, options: RBFOptions = {}) {
    super();
    for (const [name, v] of [['inFeatures', inFeatures], ['numCenters', numCenters]] as const) {
      if (!Number.isInteger(v) || v < 1) throw new ArgumentError(`RBF: ${name} must be a positive integer, got ${String(v)}`);
    }
    const kernel = options.kernel ?? 'gaussian';
    if (!KERNELS.includes(kernel)) throw new ArgumentError(`RBF: kernel must be one of ${KERNELS.join(', ')}, got '${String(kernel)}'`);
    const dtype = options.dtype ?? 'float32';
    if (!isFloating(dtype)) throw new DTypeError(`RBF: dtype must be float32 or float64, got ${String(dtype)}`);
    this.inFeatures = inFeatures;
    this.numCenters = numCenters;
    this.kernel = kernel;
    this.learnCenters = options.learnCenters ?? true;
    this.learnWidths = options.learnWidths ?? true;
    const centers = options.centers ?? randn([numCenters, inFeatures], { dtype });
    this.checkCenters(centers);
    const w = options.widths ?? 1;
    const widths = isTensor(w) ? w : full([numCenters], w, { dtype });
    this.checkWidths(widths);
    // Fixed ones are buffers: saved with the model and moved by to(), but not trained.
    const c = noGrad(() => centers.cast(dtype));
    const s = noGrad(() => widths.cast(dtype));
    if (this.learnCenters) this.centers = new Parameter(c);
    else this.registerBuffer('fixedCenters', c);
    if (this.learnWidths) this.widths = new Parameter(s);
    else this.registerBuffer('fixedWidths', s);
  }

  private checkCenters(c: Tensor): void {
    if (!isTensor(c) || c.rank !== 2 || c.shape[0] !== this.numCenters || c.shape[1] !== this.inFeatures) {
      throw new ShapeError(`RBF: expected centers of shape [${this.numCenters}, ${this.inFeatures}], got ${isTensor(c) ? fmtShape(c.shape) : typeof c}`);
    }
  }

  private checkWidths(w: Tensor): void {
    if (w.rank !== 1 || w.shape[0] !== this.numCenters) throw new ShapeError(`RBF: expected widths of shape [${this.numCenters}], got ${fmtShape(w.shape)}`);
    const v = w.dataSync();
    for (let i = 0; i < v.length; i++) {
      if (!(v[i] > 0 && Number.isFinite(v[i]))) throw new ArgumentError(`RBF: widths must be positive and finite, got ${v[i]} for centre ${i}`);
    }
  }

  /** The centres in use, [numCenters, inFeatures]. */
  getCenters(): Tensor {
    return this.centers ?? this.getBuffer('fixedCenters');
  }

  /** The widths σ in use, [numCenters]. */
  getWidths(): Tensor {
    return this.widths ?? this.getBuffer('fixedWidths');
  }

  /** Replaces the centres' values (k-means), keeping them trainable or fixed as they were. */
  setCenters(value: Tensor): void {
    this.checkCenters(value);
    const target = this.getCenters();
    noGrad(() => target.assign(value.cast(target.dtype)));
  }

  /** Replaces the widths' values (a width heuristic), keeping them trainable or fixed. */
  setWidths(value: Tensor | number): void {
    const target = this.getWidths();
    const w = isTensor(value) ? value : full([this.numCenters], value, { dtype: target.dtype });
    this.checkWidths(w);
    noGrad(() => target.assign(w.cast(target.dtype)));
  }

  forward(x: Tensor): Tensor {
    if (x.rank !== 2 || x.shape[1] !== this.inFeatures) {
      throw new ShapeError(`RBF: expected input [N, ${this.inFeatures}], got ${fmtShape(x.shape)}`);
    }
    const c = this.getCenters();
    const sigma = this.getWidths();
    // r²_ij = Σ_d (x_id − c_jd)², through [N, k, d] differences.
    const diff = x.unsqueeze(1).sub(c.unsqueeze(0));
    const r2 = diff.square().sum(2);
    return applyKernel(this.kernel, r2, sigma.square());
  }

  override extraRepr(): string {
    return `inFeatures=${this.inFeatures}, numCenters=${this.numCenters}, kernel=${this.kernel}, learnCenters=${this.learnCenters}, learnWidths=${this.learnWidths}`;
  }
}

import type { Tensor } from '@plexus/tensor';
import { ArgumentError, ShapeError, allocArray, fmtShape, fromData, isTensor, noGrad } from '@plexus/tensor';
import { Linear, Module } from '@plexus/nn';
import type { KMeansOptions, KMeansResult } from './kmeans.js';
import { kMeans } from './kmeans.js';
import { ridgeSolve } from './linalg.js';
import type { RBFOptions } from './rbf-layer.js';
import { RBF } from './rbf-layer.js';
import type { WidthRule } from './widths.js';
import { widthsFromCenters } from './widths.js';

export interface RBFNetworkOptions extends RBFOptions {
  /** A bias in the linear readout (default true). */
  bias?: boolean;
}

export interface InitCentersOptions extends KMeansOptions {
  /** How the widths follow from the centres (default 'nearest'); see widthsFromCenters. */
  widthRule?: WidthRule;
  /** Multiplies the widths (default 1). */
  widthScale?: number;
  /** Neighbours of the 'nearest' rule (default 2). */
  neighbours?: number;
}

export interface FitReadoutOptions {
  /** Ridge penalty λ on the weights (not the bias) (default 1e-8, enough to keep the solve stable). */
  ridge?: number;
}

/** Host values as a tensor with `like`'s dtype and backend. */
function hostTensor(values: Float64Array, shape: number[], like: Tensor): Tensor {
  const data = allocArray(like.dtype, values.length);
  data.set(values);
  return fromData('RBFNetwork', data, shape, { backend: like.backend });
}

/**
 * The classic RBF network (Broomhead & Lowe, 1988; Moody & Darken, 1989): an RBF layer and a
 * linear readout, y = W·φ(x) + b. Train it in two stages (centres by k-means with
 * `initCenters`, then the readout by ridge least squares with `fitReadout`), or end to end by
 * gradient descent like any Module (centres and widths are Parameters unless fixed).
 */
export class RBFNetwork extends Module {
  readonly rbf: RBF;
  readonly readout: Linear;

  constructor(inFeatures: number, numCenters: number, outFeatures: number, options: RBFNetworkOptions = {}) {
    super();
    const { bias = true, ...rbfOptions } = options;
    this.rbf = new RBF(inFeatures, numCenters, rbfOptions);
    this.readout = new Linear(numCenters, outFeatures, { bias, dtype: options.dtype });
  }

  forward(x: Tensor): Tensor {
    return this.readout.forward(this.rbf.forward(x));
  }

  /** The hidden activations φ(x), [N, numCenters], without gradients. */
  features(x: Tensor): Tensor {
    return noGrad(() => this.rbf.forward(x));
  }

  /** Places the centres by k-means on `x` and sets the widths from them; returns the clustering. */
  initCenters(x: Tensor, options: InitCentersOptions = {}): KMeansResult {
    const { widthRule = 'nearest', widthScale = 1, neighbours = 2, ...km } = options;
    const k = this.rbf.numCenters;
    if (x.rank !== 2 || x.shape[1] !== this.rbf.inFeatures) {
      throw new ShapeError(`RBFNetwork.initCenters: expected points [N, ${this.rbf.inFeatures}], got ${fmtShape(x.shape)}`);
    }
    if (k > x.shape[0]) {
      throw new ArgumentError(`RBFNetwork.initCenters: ${k} centres need at least ${k} points, got ${x.shape[0]}; use fewer centres or more data`);
    }
    const result = kMeans(x, k, km);
    this.rbf.setCenters(result.centroids);
    const centres = Float64Array.from(result.centroids.dataSync());
    const widths = widthsFromCenters(centres, k, this.rbf.inFeatures, widthRule, { scale: widthScale, neighbours });
    this.rbf.setWidths(hostTensor(widths, [k], this.rbf.getWidths()));
    return result;
  }

  /**
   * Fits the readout by ridge regression on the host in float64: with Φ = [φ(x), 1], solves
   * (ΦᵀΦ + λ·I′)·w = Φᵀy by Cholesky (I′ leaves the bias unpenalised). `y` is [N, out] or [N]
   * targets, or int32 class indices [N] that become one-hot targets (least-squares
   * classification: predict with argmax). Returns the training RMSE.
   */
  fitReadout(x: Tensor, y: Tensor, options: FitReadoutOptions = {}): { rmse: number } {
    const lambda = options.ridge ?? 1e-8;
    const n = x.shape[0];
    const out = this.readout.outFeatures;
    if (!isTensor(y) || y.shape[0] !== n) throw new ShapeError(`RBFNetwork.fitReadout: expected ${n} targets (one per input row), got ${isTensor(y) ? fmtShape(y.shape) : typeof y}`);
    const targets = new Float64Array(n * out);
    if (y.dtype === 'int32') {
      if (y.rank !== 1) throw new ShapeError(`RBFNetwork.fitReadout: class indices must be [N], got ${fmtShape(y.shape)}`);
      const labels = y.dataSync();
      for (let i = 0; i < n; i++) {
        const c = labels[i];
        if (!(c >= 0 && c < out)) throw new ArgumentError(`RBFNetwork.fitReadout: class index ${c} at row ${i} is out of range for ${out} outputs`);
        targets[i * out + c] = 1;
      }
    } else {
      const ok = (y.rank === 2 && y.shape[1] === out) || (y.rank === 1 && out === 1);
      if (!ok) throw new ShapeError(`RBFNetwork.fitReadout: expected targets [${n}, ${out}]${out === 1 ? ` or [${n}]` : ''}, got ${fmtShape(y.shape)}`);
      targets.set(y.dataSync());
    }
    const k = this.rbf.numCenters;
    const hasBias = this.readout.bias !== null;
    const p = k + (hasBias ? 1 : 0);
    const phiK = this.features(x).dataSync();
    const phi = new Float64Array(n * p);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < k; j++) phi[i * p + j] = phiK[i * k + j];
      if (hasBias) phi[i * p + k] = 1;
    }
    const w = ridgeSolve(phi, n, p, targets, out, lambda, hasBias ? [k] : []);
    // Linear stores weight as [out, k]: transpose the solution [p, out].
    const weight = new Float64Array(out * k);
    for (let o = 0; o < out; o++) for (let j = 0; j < k; j++) weight[o * k + j] = w[j * out + o];
    const lin = this.readout;
    noGrad(() => {
      lin.weight.assign(hostTensor(weight, [out, k], lin.weight));
      if (lin.bias) lin.bias.assign(hostTensor(w.slice(k * out, (k + 1) * out), [out], lin.bias));
    });
    let sse = 0;
    for (let i = 0; i < n; i++) {
      for (let o = 0; o < out; o++) {
        let v = 0;
        for (let j = 0; j < p; j++) v += phi[i * p + j] * w[j * out + o];
        sse += (v - targets[i * out + o]) ** 2;
      }
    }
    return { rmse: Math.sqrt(sse / (n * out)) };
  }
}

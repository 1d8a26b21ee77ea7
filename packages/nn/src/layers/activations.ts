import type { Tensor } from '@plexus/tensor';
import { ArgumentError } from '@plexus/tensor';
import { Module } from '../module.js';

/** max(x, 0). */
export class ReLU extends Module {
  forward(x: Tensor): Tensor {
    return x.relu();
  }
}

/** x for x > 0, negativeSlope·x otherwise. */
export class LeakyReLU extends Module {
  constructor(readonly negativeSlope = 0.01) {
    super();
    if (typeof negativeSlope !== 'number' || !Number.isFinite(negativeSlope)) {
      throw new ArgumentError(`LeakyReLU: negativeSlope must be a finite number, got ${String(negativeSlope)}`);
    }
  }

  forward(x: Tensor): Tensor {
    return x.leakyRelu(this.negativeSlope);
  }

  override extraRepr(): string {
    return `negativeSlope=${this.negativeSlope}`;
  }
}

/** x for x > 0, alpha·(exp(x) − 1) otherwise. */
export class ELU extends Module {
  constructor(readonly alpha = 1) {
    super();
    if (typeof alpha !== 'number' || !Number.isFinite(alpha)) throw new ArgumentError(`ELU: alpha must be a finite number, got ${String(alpha)}`);
  }

  forward(x: Tensor): Tensor {
    return x.elu(this.alpha);
  }

  override extraRepr(): string {
    return `alpha=${this.alpha}`;
  }
}

/** Gaussian error linear unit: exact (erf) by default, or the tanh approximation. */
export class GELU extends Module {
  constructor(readonly approximate: 'none' | 'tanh' = 'none') {
    super();
    if (approximate !== 'none' && approximate !== 'tanh') {
      throw new ArgumentError(`GELU: approximate must be 'none' or 'tanh', got '${String(approximate)}'`);
    }
  }

  forward(x: Tensor): Tensor {
    return x.gelu(this.approximate);
  }

  override extraRepr(): string {
    return `approximate='${this.approximate}'`;
  }
}

/** x·sigmoid(x) (also called swish). */
export class SiLU extends Module {
  forward(x: Tensor): Tensor {
    return x.silu();
  }
}

export class Sigmoid extends Module {
  forward(x: Tensor): Tensor {
    return x.sigmoid();
  }
}

export class Tanh extends Module {
  forward(x: Tensor): Tensor {
    return x.tanh();
  }
}

/** softmax along `dim` (default the last). */
export class Softmax extends Module {
  constructor(readonly dim = -1) {
    super();
    if (!Number.isInteger(dim)) throw new ArgumentError(`Softmax: dim must be an integer, got ${String(dim)}`);
  }

  forward(x: Tensor): Tensor {
    return x.softmax(this.dim);
  }

  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/** log(softmax(x)) along `dim` (default the last), computed stably. */
export class LogSoftmax extends Module {
  constructor(readonly dim = -1) {
    super();
    if (!Number.isInteger(dim)) throw new ArgumentError(`LogSoftmax: dim must be an integer, got ${String(dim)}`);
  }

  forward(x: Tensor): Tensor {
    return x.logSoftmax(this.dim);
  }

  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

export interface SoftplusOptions {
  /** Sharpness: log(1 + exp(beta·x)) / beta (default 1). */
  beta?: number;
  /** Above beta·x > threshold the function is taken as linear (default 20). */
  threshold?: number;
}

/** A smooth relu: log(1 + exp(beta·x)) / beta. */
export class Softplus extends Module {
  readonly beta: number;
  readonly threshold: number;

  constructor(options: SoftplusOptions = {}) {
    super();
    const { beta = 1, threshold = 20 } = options;
    if (typeof beta !== 'number' || !Number.isFinite(beta) || beta === 0) throw new ArgumentError(`Softplus: beta must be a non-zero finite number, got ${String(beta)}`);
    if (typeof threshold !== 'number' || Number.isNaN(threshold)) throw new ArgumentError(`Softplus: threshold must be a number, got ${String(threshold)}`);
    this.beta = beta;
    this.threshold = threshold;
  }

  forward(x: Tensor): Tensor {
    return x.softplus(this.beta, this.threshold);
  }

  override extraRepr(): string {
    return `beta=${this.beta}, threshold=${this.threshold}`;
  }
}

import type { Tensor } from '@plexus/tensor';
import { ArgumentError, DTypeError, arange, fmtShape, noGrad, where, zeros } from '@plexus/tensor';
import { normal_ } from '../init.js';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import type { FactoryOptions } from './options.js';
import { checkPositiveInt, floatDType } from './options.js';

export interface EmbeddingOptions extends FactoryOptions {
  /**
   * An index whose row is initialised to zeros and never receives a gradient (a padding token).
   * Negative values count from the end, as in PyTorch.
   */
  paddingIdx?: number | null;
}

/**
 * A lookup table of `numEmbeddings` vectors of size `embeddingDim` (torch.nn.Embedding): int32
 * indices of any shape [...] give [..., embeddingDim]. Weight initialised from N(0, 1).
 */
export class Embedding extends Module {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  readonly paddingIdx: number | null;
  weight: Parameter;

  constructor(numEmbeddings: number, embeddingDim: number, options: EmbeddingOptions = {}) {
    super();
    checkPositiveInt('Embedding', 'numEmbeddings', numEmbeddings);
    checkPositiveInt('Embedding', 'embeddingDim', embeddingDim);
    let paddingIdx = options.paddingIdx ?? null;
    if (paddingIdx !== null) {
      if (!Number.isInteger(paddingIdx) || paddingIdx < -numEmbeddings || paddingIdx >= numEmbeddings) {
        throw new ArgumentError(`Embedding: paddingIdx must be an integer in [${-numEmbeddings}, ${numEmbeddings}), got ${paddingIdx}`);
      }
      if (paddingIdx < 0) paddingIdx += numEmbeddings;
    }
    const dtype = floatDType('Embedding', options.dtype);
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    this.paddingIdx = paddingIdx;
    this.weight = new Parameter(zeros([numEmbeddings, embeddingDim], { dtype }));
    this.resetParameters();
  }

  resetParameters(): void {
    normal_(this.weight);
    if (this.paddingIdx !== null) {
      const rows = arange(this.numEmbeddings, undefined, 1, { backend: this.weight.backend }).reshape([this.numEmbeddings, 1]);
      const w = this.weight;
      noGrad(() => w.assign(where(rows.eq(this.paddingIdx as number), 0, w)));
    }
  }

  forward(indices: Tensor): Tensor {
    if (indices.dtype !== 'int32') throw new DTypeError(`Embedding: indices must be int32, got ${indices.dtype} ${fmtShape(indices.shape)}`);
    if (indices.backend.readSync && indices.size > 0) {
      const data = indices.dataSync();
      for (let i = 0; i < data.length; i++) {
        if (data[i] < 0 || data[i] >= this.numEmbeddings) {
          throw new ArgumentError(`Embedding: index ${data[i]} is out of range for ${this.numEmbeddings} embeddings (at flat position ${i} of ${fmtShape(indices.shape)})`);
        }
      }
    }
    const flat = indices.reshape([indices.size]);
    let rows = this.weight.indexSelect(0, flat);
    if (this.paddingIdx !== null) {
      // The padding row keeps its value but passes no gradient back to the weight.
      rows = where(flat.ne(this.paddingIdx).reshape([indices.size, 1]), rows, rows.detach());
    }
    return rows.reshape([...indices.shape, this.embeddingDim]);
  }

  override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}${this.paddingIdx !== null ? `, paddingIdx=${this.paddingIdx}` : ''}`;
  }
}

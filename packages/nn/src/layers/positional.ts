import type { Tensor } from '@plexus/tensor';
import { ArgumentError, DTypeError, ShapeError, allocArray, fmtShape, fromData, isFloating, isTensor, zeros } from '@plexus/tensor';
import { normal_ } from '../init.js';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import type { FactoryOptions } from './options.js';
import { checkBool, checkPositiveInt, floatDType } from './options.js';

export interface PositionalOptions extends FactoryOptions {
  /** Inputs are [N, L, dModel] (true) or [L, N, dModel] (false, the default, as nn.Transformer*). */
  batchFirst?: boolean;
}

/**
 * The position dim of x ([L, d] unbatched, [N, L, d] or [L, N, d]) after checking its shape, and
 * the slice [offset, offset + L) of the table that applies.
 */
function positionsOf(layer: string, x: Tensor, dModel: number, maxLen: number, batchFirst: boolean, offset: number): { dim: number; length: number } {
  if (!isTensor(x)) throw new ArgumentError(`${layer}: expected a Tensor, got ${x === null ? 'null' : typeof x}`);
  if (!isFloating(x.dtype)) throw new DTypeError(`${layer}: expected a float input (embeddings), got ${x.dtype} ${fmtShape(x.shape)}`);
  if ((x.rank !== 2 && x.rank !== 3) || x.shape[x.rank - 1] !== dModel) {
    throw new ShapeError(`${layer}: expected input ${batchFirst ? '[N, L' : '[L, N'}, ${dModel}] or [L, ${dModel}], got ${fmtShape(x.shape)}`);
  }
  if (!Number.isInteger(offset) || offset < 0) throw new ArgumentError(`${layer}: offset must be a non-negative integer, got ${String(offset)}`);
  const dim = x.rank === 3 && batchFirst ? 1 : 0;
  const length = x.shape[dim];
  if (offset + length > maxLen) {
    throw new ShapeError(`${layer}: positions ${offset}..${offset + length - 1} exceed maxLen ${maxLen} (input ${fmtShape(x.shape)}, offset ${offset})`);
  }
  return { dim, length };
}

/** Adds rows [offset, offset + L) of a [maxLen, d] table along the position dim of x. */
function addTable(x: Tensor, table: Tensor, dim: number, offset: number, length: number): Tensor {
  const rows = table.narrow(0, offset, length);
  // [L, d] broadcasts over [N, L, d]; for [L, N, d] it needs a middle 1.
  return x.add(x.rank === 3 && dim === 0 ? rows.unsqueeze(1) : rows);
}

/**
 * Adds the fixed sinusoids of "Attention Is All You Need" (as PyTorch's tutorial
 * PositionalEncoding): pe[pos, 2i] = sin(pos / 10000^(2i/d)), pe[pos, 2i+1] = cos(pos / 10000^(2i/d)).
 * `forward(x, offset)` adds positions offset.. (offset > 0 when decoding with a cache). The table
 * is a non-persistent buffer: rebuilt, not saved. No parameters.
 */
export class SinusoidalPositionalEncoding extends Module {
  readonly dModel: number;
  readonly maxLen: number;
  readonly batchFirst: boolean;

  constructor(dModel: number, maxLen = 5000, options: PositionalOptions = {}) {
    super();
    const name = 'SinusoidalPositionalEncoding';
    checkPositiveInt(name, 'dModel', dModel);
    checkPositiveInt(name, 'maxLen', maxLen);
    const batchFirst = options.batchFirst ?? false;
    checkBool(name, 'batchFirst', batchFirst);
    const dtype = floatDType(name, options.dtype);
    this.dModel = dModel;
    this.maxLen = maxLen;
    this.batchFirst = batchFirst;
    const data = allocArray(dtype, maxLen * dModel);
    for (let pos = 0; pos < maxLen; pos++) {
      for (let i = 0; i < dModel; i += 2) {
        const angle = pos / 10000 ** (i / dModel);
        data[pos * dModel + i] = Math.sin(angle);
        if (i + 1 < dModel) data[pos * dModel + i + 1] = Math.cos(angle);
      }
    }
    this.registerBuffer('pe', fromData(name, data, [maxLen, dModel], { dtype }), { persistent: false });
  }

  forward(x: Tensor, offset = 0): Tensor {
    const { dim, length } = positionsOf('SinusoidalPositionalEncoding', x, this.dModel, this.maxLen, this.batchFirst, offset);
    let pe = this.getBuffer('pe');
    if (pe.backend !== x.backend) pe = pe.to(x.backend.name);
    return addTable(x, pe.dtype === x.dtype ? pe : pe.cast(x.dtype), dim, offset, length);
  }

  override extraRepr(): string {
    return `dModel=${this.dModel}, maxLen=${this.maxLen}, batchFirst=${this.batchFirst}`;
  }
}

export interface LearnedPositionalEmbeddingOptions extends PositionalOptions {
  /** Standard deviation of the N(0, std²) initialisation (default 1, as nn.Embedding; GPT-2 uses 0.02). */
  std?: number;
}

/**
 * A learned vector per position (GPT/BERT style): `weight` [maxLen, dModel]; forward(x, offset)
 * adds rows offset..offset+L−1 to x along its position dim.
 */
export class LearnedPositionalEmbedding extends Module {
  readonly maxLen: number;
  readonly dModel: number;
  readonly batchFirst: boolean;
  readonly std: number;
  weight: Parameter;

  constructor(maxLen: number, dModel: number, options: LearnedPositionalEmbeddingOptions = {}) {
    super();
    const name = 'LearnedPositionalEmbedding';
    checkPositiveInt(name, 'maxLen', maxLen);
    checkPositiveInt(name, 'dModel', dModel);
    const { batchFirst = false, std = 1 } = options;
    checkBool(name, 'batchFirst', batchFirst);
    if (typeof std !== 'number' || !(std >= 0) || !Number.isFinite(std)) throw new ArgumentError(`${name}: std must be a finite number >= 0, got ${String(std)}`);
    const dtype = floatDType(name, options.dtype);
    this.maxLen = maxLen;
    this.dModel = dModel;
    this.batchFirst = batchFirst;
    this.std = std;
    this.weight = new Parameter(zeros([maxLen, dModel], { dtype }));
    this.resetParameters();
  }

  resetParameters(): void {
    normal_(this.weight, 0, this.std);
  }

  forward(x: Tensor, offset = 0): Tensor {
    const { dim, length } = positionsOf('LearnedPositionalEmbedding', x, this.dModel, this.maxLen, this.batchFirst, offset);
    return addTable(x, this.weight, dim, offset, length);
  }

  override extraRepr(): string {
    return `maxLen=${this.maxLen}, dModel=${this.dModel}, batchFirst=${this.batchFirst}`;
  }
}

import type { Tensor } from '@plexus/tensor';
import { ArgumentError, DTypeError, ShapeError, fmtShape, zeros } from '@plexus/tensor';
import { uniform_ } from '../init.js';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import type { FactoryOptions } from './options.js';
import { checkBool, checkPositiveInt, floatDType } from './options.js';
import type { RecurrentMode } from './rnn-step.js';
import { gatesOf, gruGates, lstmGates, packWeights, rnnGates } from './rnn-step.js';

export interface RNNCellBaseOptions extends FactoryOptions {
  /** Learn b_ih and b_hh (default true). */
  bias?: boolean;
}

export interface RNNCellOptions extends RNNCellBaseOptions {
  /** 'tanh' (default) or 'relu'. */
  nonlinearity?: 'tanh' | 'relu';
}

/**
 * What the cells share: PyTorch's parameters weightIh [gates·H, inputSize], weightHh
 * [gates·H, H], biasIh and biasHh [gates·H] (PyTorch: weight_ih, weight_hh, bias_ih, bias_hh),
 * initialised from U(−1/√H, 1/√H), and the checks on the input and the state.
 */
export abstract class RNNCellBase extends Module {
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly bias: boolean;
  weightIh: Parameter;
  weightHh: Parameter;
  biasIh: Parameter | null;
  biasHh: Parameter | null;
  readonly mode: RecurrentMode;

  protected constructor(name: string, mode: RecurrentMode, inputSize: number, hiddenSize: number, options: RNNCellBaseOptions) {
    super();
    checkPositiveInt(name, 'inputSize', inputSize);
    checkPositiveInt(name, 'hiddenSize', hiddenSize);
    const bias = options.bias ?? true;
    checkBool(name, 'bias', bias);
    const dtype = floatDType(name, options.dtype);
    const rows = gatesOf(mode) * hiddenSize;
    this.mode = mode;
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.bias = bias;
    this.weightIh = new Parameter(zeros([rows, inputSize], { dtype }));
    this.weightHh = new Parameter(zeros([rows, hiddenSize], { dtype }));
    this.biasIh = bias ? new Parameter(zeros([rows], { dtype })) : null;
    this.biasHh = bias ? new Parameter(zeros([rows], { dtype })) : null;
    this.resetParameters();
  }

  /** PyTorch's init: every weight and bias from U(−1/√hiddenSize, 1/√hiddenSize). */
  resetParameters(): void {
    const bound = 1 / Math.sqrt(this.hiddenSize);
    for (const p of this.parameters()) uniform_(p, -bound, bound);
  }

  /** Checks x ([N, inputSize] or unbatched [inputSize]); returns it batched, and whether it was. */
  protected batchedInput(x: Tensor): [Tensor, boolean] {
    const name = this.constructor.name;
    if ((x.rank !== 1 && x.rank !== 2) || x.shape[x.rank - 1] !== this.inputSize) {
      throw new ShapeError(`${name}: expected input of shape [N, ${this.inputSize}] or [${this.inputSize}], got ${fmtShape(x.shape)}`);
    }
    if (x.dtype !== this.weightIh.dtype) {
      throw new DTypeError(`${name}: input is ${x.dtype} but the parameters are ${this.weightIh.dtype}`);
    }
    return x.rank === 1 ? [x.reshape([1, this.inputSize]), false] : [x, true];
  }

  /** The state `what` ([N, H], or [H] for unbatched input), zeros when absent. */
  protected state(what: string, s: Tensor | null | undefined, x: Tensor, batched: boolean): Tensor {
    const name = this.constructor.name;
    const n = x.shape[0];
    if (s === undefined || s === null) return zeros([n, this.hiddenSize], { dtype: x.dtype, backend: x.backend });
    const want = batched ? [n, this.hiddenSize] : [this.hiddenSize];
    if (s.rank !== want.length || s.shape.some((d, i) => d !== want[i])) {
      throw new ShapeError(`${name}: expected ${what} of shape ${fmtShape(want)}, got ${fmtShape(s.shape)}`);
    }
    if (s.dtype !== x.dtype) throw new DTypeError(`${name}: ${what} is ${s.dtype} but the input is ${x.dtype}`);
    return batched ? s : s.reshape([1, this.hiddenSize]);
  }

  /** The step's pre-activation x·Wx + h·Wh + bias (see packWeights). */
  protected preActivation(x: Tensor, h: Tensor): Tensor {
    const w = packWeights(this.mode, this.weightIh, this.weightHh, this.biasIh, this.biasHh);
    const pre = x.matmul(w.wx).add(h.matmul(w.wh));
    return w.bias ? pre.add(w.bias) : pre;
  }

  protected unbatch(h: Tensor, batched: boolean): Tensor {
    return batched ? h : h.reshape([this.hiddenSize]);
  }

  override extraRepr(): string {
    return `${this.inputSize}, ${this.hiddenSize}${this.bias ? '' : ', bias=false'}`;
  }
}

/** One step of an Elman RNN (torch.nn.RNNCell): h' = tanh(W_ih x + b_ih + W_hh h + b_hh). */
export class RNNCell extends RNNCellBase {
  readonly nonlinearity: 'tanh' | 'relu';

  constructor(inputSize: number, hiddenSize: number, options: RNNCellOptions = {}) {
    const nonlinearity = options.nonlinearity ?? 'tanh';
    if (nonlinearity !== 'tanh' && nonlinearity !== 'relu') {
      throw new ArgumentError(`RNNCell: nonlinearity must be 'tanh' or 'relu', got '${String(nonlinearity)}'`);
    }
    super('RNNCell', nonlinearity === 'tanh' ? 'RNN_TANH' : 'RNN_RELU', inputSize, hiddenSize, options);
    this.nonlinearity = nonlinearity;
  }

  /** x [N, inputSize] (or [inputSize]), h [N, H] (zeros when omitted) → h' [N, H]. */
  forward(x: Tensor, h?: Tensor | null): Tensor {
    const [xb, batched] = this.batchedInput(x);
    const h0 = this.state('h', h, xb, batched);
    return this.unbatch(rnnGates(this.preActivation(xb, h0), this.nonlinearity), batched);
  }

  override extraRepr(): string {
    return `${super.extraRepr()}${this.nonlinearity === 'tanh' ? '' : ", nonlinearity='relu'"}`;
  }
}

/** One step of an LSTM (torch.nn.LSTMCell), gates i, f, g, o in PyTorch's row order. */
export class LSTMCell extends RNNCellBase {
  constructor(inputSize: number, hiddenSize: number, options: RNNCellBaseOptions = {}) {
    super('LSTMCell', 'LSTM', inputSize, hiddenSize, options);
  }

  /** x [N, inputSize] (or [inputSize]), hx = [h, c] each [N, H] (zeros when omitted) → [h', c']. */
  forward(x: Tensor, hx?: readonly [Tensor, Tensor] | null): [Tensor, Tensor] {
    const [xb, batched] = this.batchedInput(x);
    if (hx !== undefined && hx !== null && (!Array.isArray(hx) || hx.length !== 2)) {
      throw new ArgumentError('LSTMCell: hx must be a pair [h, c]');
    }
    const h0 = this.state('h', hx?.[0], xb, batched);
    const c0 = this.state('c', hx?.[1], xb, batched);
    const [h, c] = lstmGates(this.preActivation(xb, h0), c0);
    return [this.unbatch(h, batched), this.unbatch(c, batched)];
  }
}

/** One step of a GRU (torch.nn.GRUCell), gates r, z, n in PyTorch's row order. */
export class GRUCell extends RNNCellBase {
  constructor(inputSize: number, hiddenSize: number, options: RNNCellBaseOptions = {}) {
    super('GRUCell', 'GRU', inputSize, hiddenSize, options);
  }

  /** x [N, inputSize] (or [inputSize]), h [N, H] (zeros when omitted) → h' [N, H]. */
  forward(x: Tensor, h?: Tensor | null): Tensor {
    const [xb, batched] = this.batchedInput(x);
    const h0 = this.state('h', h, xb, batched);
    return this.unbatch(gruGates(this.preActivation(xb, h0), h0), batched);
  }
}

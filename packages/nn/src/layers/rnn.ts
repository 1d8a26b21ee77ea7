import type { Generator, Tensor } from '@plexus/tensor';
import { ArgumentError, DTypeError, ShapeError, bernoulli, concat, fmtShape, full, isGradEnabled, isTensor, stack, tensor, where, zeros } from '@plexus/tensor';
import { uniform_ } from '../init.js';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import type { FactoryOptions } from './options.js';
import { checkBool, checkPositiveInt, floatDType } from './options.js';
import { PackedSequence, checkLengths, packTimeMajor, padTimeMajor } from './packed-sequence.js';
import type { RecurrentMode } from './rnn-step.js';
import { gatesOf, gruGates, lstmGates, packWeights, rnnGates } from './rnn-step.js';

export interface RNNBaseOptions extends FactoryOptions {
  /** Stacked recurrent layers (default 1); layer k + 1 reads layer k's output sequence. */
  numLayers?: number;
  /** Learn b_ih and b_hh (default true). */
  bias?: boolean;
  /** Input and output are [N, T, *] instead of [T, N, *] (default false). States stay [L·D, N, H]. */
  batchFirst?: boolean;
  /** Dropout probability on each layer's output except the last's, in training mode (default 0). */
  dropout?: number;
  /** Also run each layer backwards in time and concatenate both outputs (default false). */
  bidirectional?: boolean;
  /** Where the dropout masks come from (default: the default generator). */
  generator?: Generator;
}

export interface RNNOptions extends RNNBaseOptions {
  /** 'tanh' (default) or 'relu'. */
  nonlinearity?: 'tanh' | 'relu';
}

export interface RecurrentForwardOptions {
  /**
   * The valid length of each sequence of a padded batch (an array or a 1-D int32 tensor, each in
   * [1, T]). Steps past a sequence's length do not change its state, so the final state is the
   * state at its last valid step (for the reverse direction: the run starts at that step), and
   * the outputs there are zero: the same results as a PackedSequence.
   */
  lengths?: readonly number[] | Tensor;
}

/** Parameter names, PyTorch's with camelCase kinds: weight_ih_l0_reverse → weightIh_l0_reverse. */
function paramNames(layer: number, reverse: boolean, bias: boolean): string[] {
  const suffix = `_l${layer}${reverse ? '_reverse' : ''}`;
  const kinds = bias ? ['weightIh', 'weightHh', 'biasIh', 'biasHh'] : ['weightIh', 'weightHh'];
  return kinds.map((k) => `${k}${suffix}`);
}

/** A layer's input sequence: all steps as rows [T·N, in], or one [N, in] tensor per step. */
type LayerInput = { rows: Tensor; steps?: undefined } | { rows?: undefined; steps: Tensor[] };

interface Run {
  /** Time-major output [T, N, D·H]. */
  output: Tensor;
  h: Tensor;
  c: Tensor | null;
}

/**
 * The multi-layer, optionally bidirectional recurrent loop shared by RNN, LSTM and GRU
 * (torch.nn.RNNBase). Per layer and direction, the input projections of all steps are one
 * [T·N, in] @ [in, gates·H] matmul; the loop then does one [N, H] @ [H, gates·H] matmul per step.
 *
 * Parameters follow PyTorch's layout and order, with camelCase names: for layer k,
 * weightIh_l{k} [gates·H, in] (in = inputSize for k = 0, else D·H), weightHh_l{k} [gates·H, H],
 * biasIh_l{k}, biasHh_l{k} [gates·H], then the same with `_reverse` when bidirectional. A PyTorch
 * state_dict key maps by camel-casing the kind: weight_ih_l0 ↔ weightIh_l0, bias_hh_l1_reverse ↔
 * biasHh_l1_reverse.
 */
export abstract class RNNBase extends Module {
  readonly mode: RecurrentMode;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly bias: boolean;
  readonly batchFirst: boolean;
  readonly dropout: number;
  readonly bidirectional: boolean;
  readonly generator: Generator | undefined;

  protected constructor(name: string, mode: RecurrentMode, inputSize: number, hiddenSize: number, options: RNNBaseOptions) {
    super();
    checkPositiveInt(name, 'inputSize', inputSize);
    checkPositiveInt(name, 'hiddenSize', hiddenSize);
    const numLayers = options.numLayers ?? 1;
    checkPositiveInt(name, 'numLayers', numLayers);
    const bias = options.bias ?? true;
    const batchFirst = options.batchFirst ?? false;
    const bidirectional = options.bidirectional ?? false;
    checkBool(name, 'bias', bias);
    checkBool(name, 'batchFirst', batchFirst);
    checkBool(name, 'bidirectional', bidirectional);
    const dropout = options.dropout ?? 0;
    if (typeof dropout !== 'number' || !(dropout >= 0 && dropout <= 1)) {
      throw new ArgumentError(`${name}: dropout must be a probability in [0, 1], got ${String(dropout)}`);
    }
    const dtype = floatDType(name, options.dtype);
    this.mode = mode;
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.numLayers = numLayers;
    this.bias = bias;
    this.batchFirst = batchFirst;
    this.dropout = dropout;
    this.bidirectional = bidirectional;
    this.generator = options.generator;
    const rows = gatesOf(mode) * hiddenSize;
    const D = bidirectional ? 2 : 1;
    // Parameters are own properties named as in PyTorch's state_dict, in its order, so that
    // namedParameters() and stateDict() list them as torch does.
    for (let layer = 0; layer < numLayers; layer++) {
      const inSize = layer === 0 ? inputSize : D * hiddenSize;
      for (let d = 0; d < D; d++) {
        const shapes = [[rows, inSize], [rows, hiddenSize], [rows], [rows]];
        paramNames(layer, d === 1, bias).forEach((n, i) => {
          Object.defineProperty(this, n, { value: new Parameter(zeros(shapes[i], { dtype })), enumerable: true, writable: true, configurable: true });
        });
      }
    }
    this.resetParameters();
  }

  /** PyTorch's init: every weight and bias from U(−1/√hiddenSize, 1/√hiddenSize). */
  resetParameters(): void {
    const bound = 1 / Math.sqrt(this.hiddenSize);
    for (const p of this.parameters()) uniform_(p, -bound, bound);
  }

  /** 2 when bidirectional, else 1. */
  get numDirections(): number {
    return this.bidirectional ? 2 : 1;
  }

  /** Parameter names per layer and direction, in order (PyTorch's _flat_weights_names). */
  get flatWeightsNames(): string[] {
    const out: string[] = [];
    for (let layer = 0; layer < this.numLayers; layer++) {
      for (let d = 0; d < this.numDirections; d++) out.push(...paramNames(layer, d === 1, this.bias));
    }
    return out;
  }

  /** [weightIh, weightHh, biasIh, biasHh] (biases when present) per layer and direction (PyTorch's all_weights). */
  get allWeights(): Tensor[][] {
    const out: Tensor[][] = [];
    for (let layer = 0; layer < this.numLayers; layer++) {
      for (let d = 0; d < this.numDirections; d++) out.push(paramNames(layer, d === 1, this.bias).map((n) => this.param(n)));
    }
    return out;
  }

  /** Reads a parameter at call time, so that functionalCall's substitutes are used. */
  private param(name: string): Tensor {
    return Reflect.get(this, name) as Tensor;
  }

  /** Checks and normalises the input; runs the layers; restores the caller's layout. */
  protected run(input: Tensor | PackedSequence, h0: Tensor | null | undefined, c0: Tensor | null | undefined, options: RecurrentForwardOptions): {
    output: Tensor | PackedSequence;
    h: Tensor;
    c: Tensor | null;
  } {
    const name = this.constructor.name;
    if (options !== undefined && (options === null || typeof options !== 'object')) throw new ArgumentError(`${name}: options must be an object`);
    if (input instanceof PackedSequence) {
      if (options.lengths !== undefined) throw new ArgumentError(`${name}: a PackedSequence carries its own lengths; do not pass lengths too`);
      const [padded, lengths] = padTimeMajor(input);
      this.checkFeatures(padded, `a PackedSequence with data ${fmtShape(input.data.shape)}`);
      const r = this.runTimeMajor(padded, h0, c0, lengths, true);
      return { ...r, output: packTimeMajor(r.output, lengths, input.sortedIndices) };
    }
    if (!isTensor(input)) throw new ArgumentError(`${name}: expected a Tensor or a PackedSequence as input, got ${typeof input}`);
    if (input.rank !== 2 && input.rank !== 3) {
      throw new ShapeError(`${name}: expected input of rank 3 (${this.batchFirst ? '[N, T, inputSize]' : '[T, N, inputSize]'}) or 2 (unbatched [T, inputSize]), got ${fmtShape(input.shape)}`);
    }
    this.checkFeatures(input, fmtShape(input.shape));
    const batched = input.rank === 3;
    // Unbatched input is [T, I] whatever batchFirst says, as in PyTorch.
    const x = !batched ? input.unsqueeze(1) : this.batchFirst ? input.transpose(0, 1) : input;
    const [T, N] = x.shape;
    if (T === 0 || N === 0) throw new ShapeError(`${name}: expected at least one step and one sequence, got ${fmtShape(input.shape)}`);
    const lengths = options.lengths === undefined ? null : checkLengths(name, options.lengths, N, T);
    const r = this.runTimeMajor(x, h0, c0, lengths, batched);
    const output = !batched ? r.output.squeeze(1) : this.batchFirst ? r.output.transpose(0, 1) : r.output;
    return { output, h: batched ? r.h : r.h.squeeze(1), c: r.c && (batched ? r.c : r.c.squeeze(1)) };
  }

  private checkFeatures(x: Tensor, got: string): void {
    const name = this.constructor.name;
    if (x.shape[x.rank - 1] !== this.inputSize) throw new ShapeError(`${name}: expected input with last dim ${this.inputSize} (inputSize), got ${got}`);
    const dtype = this.param('weightIh_l0').dtype;
    if (x.dtype !== dtype) throw new DTypeError(`${name}: input is ${x.dtype} but the parameters are ${dtype}`);
  }

  /** h0 / c0 checked against [L·D, N, H] ([L·D, H] unbatched), zeros when absent; returned batched. */
  private initialState(what: string, s: Tensor | null | undefined, x: Tensor, batched: boolean): Tensor {
    const N = x.shape[1];
    const LD = this.numLayers * this.numDirections;
    if (s === undefined || s === null) return zeros([LD, N, this.hiddenSize], { dtype: x.dtype, backend: x.backend });
    const name = this.constructor.name;
    const want = batched ? [LD, N, this.hiddenSize] : [LD, this.hiddenSize];
    if (!isTensor(s) || s.rank !== want.length || s.shape.some((d, i) => d !== want[i])) {
      throw new ShapeError(`${name}: expected ${what} of shape ${fmtShape(want)} (numLayers·numDirections, ${batched ? 'batch, ' : ''}hiddenSize), got ${isTensor(s) ? fmtShape(s.shape) : typeof s}`);
    }
    if (s.dtype !== x.dtype) throw new DTypeError(`${name}: ${what} is ${s.dtype} but the input is ${x.dtype}`);
    return batched ? s : s.unsqueeze(1);
  }

  private runTimeMajor(x: Tensor, h0In: Tensor | null | undefined, c0In: Tensor | null | undefined, lengths: number[] | null, batched: boolean): Run {
    const [T, N] = x.shape;
    const H = this.hiddenSize;
    const D = this.numDirections;
    const lstm = this.mode === 'LSTM';
    const h0 = this.initialState('h0', h0In, x, batched);
    const c0 = lstm ? this.initialState('c0', c0In, x, batched) : null;
    // Steps where every sequence is still running need no masking.
    const minLength = lengths ? Math.min(...lengths) : T;
    const masks: Tensor[] = [];
    if (lengths) {
      for (let t = minLength; t < T; t++) masks[t] = tensor(lengths.map((l) => l > t), { backend: x.backend }).reshape([N, 1]);
    }
    // Without gradients, each layer's input projections for all steps are one [T·N, in] matmul.
    // With gradients, each step does one [N, in + H + 1] @ [in + H + 1, gates·H] matmul for input,
    // state and bias together: autograd pads the gradient of each slice to the full tensor, so
    // slicing T steps out of one projection would cost O(T²) in the backward pass (measured 4.5×
    // slower at T = 28), while T per-step products cost the same flops as one big one.
    const weights = this.flatWeightsNames.map((n) => this.param(n));
    const recording = isGradEnabled() && [x, h0, c0, ...weights].some((t) => t?.requiresGrad);
    let input: LayerInput = recording ? { steps: x.reshape([T * N, this.inputSize]).split(N, 0) } : { rows: x.reshape([T * N, this.inputSize]) };
    const hs: Tensor[] = [];
    const cs: Tensor[] = [];
    for (let layer = 0; layer < this.numLayers; layer++) {
      if (layer > 0 && this.dropout > 0 && this.training) input = this.applyDropout(input, T, N);
      const outs: Tensor[][] = [];
      for (let d = 0; d < D; d++) {
        const k = layer * D + d;
        const init: [Tensor, Tensor | null] = [h0.narrow(0, k, 1).reshape([N, H]), c0 ? c0.narrow(0, k, 1).reshape([N, H]) : null];
        const r = this.runDirection(input, init, paramNames(layer, d === 1, this.bias), d === 1, N, masks, minLength);
        outs.push(r.outputs);
        hs.push(r.h);
        if (r.c) cs.push(r.c);
      }
      if (recording) input = { steps: D === 1 ? outs[0] : outs[0].map((f, t) => concat([f, outs[1][t]], 1)) };
      else input = { rows: D === 1 ? concat(outs[0], 0) : concat([concat(outs[0], 0), concat(outs[1], 0)], 1) };
    }
    const rows = input.rows ?? concat(input.steps, 0);
    return { output: rows.reshape([T, N, D * H]), h: stack(hs, 0), c: lstm ? stack(cs, 0) : null };
  }

  private applyDropout(input: LayerInput, T: number, N: number): LayerInput {
    const p = this.dropout;
    const ref = input.rows ?? input.steps[0];
    const width = ref.shape[1];
    const keep = p === 1 ? zeros([T * N, width], { dtype: ref.dtype, backend: ref.backend }) : bernoulli(1 - p, [T * N, width], { dtype: ref.dtype, backend: ref.backend, generator: this.generator }).mul(1 / (1 - p));
    // The mask needs no gradient, so slicing it per step costs nothing in the backward pass.
    if (input.rows) return { rows: input.rows.mul(keep) };
    const parts = keep.split(N, 0);
    return { steps: input.steps.map((x, t) => x.mul(parts[t])) };
  }

  /** One layer in one direction; returns its output at each step, in time order. */
  private runDirection(
    input: LayerInput, init: [Tensor, Tensor | null], names: string[], reverse: boolean, N: number, masks: Tensor[], minLength: number,
  ): { outputs: Tensor[]; h: Tensor; c: Tensor | null } {
    const [wIh, wHh, bIh, bHh] = names.map((n) => this.param(n));
    const w = packWeights(this.mode, wIh, wHh, bIh ?? null, bHh ?? null);
    let pre: (t: number, h: Tensor) => Tensor;
    if (input.rows) {
      // Every step's x·Wx + bias in one matmul; then h·Wh per step.
      const projected = input.rows.matmul(w.wx);
      const gi = (w.bias ? projected.add(w.bias) : projected).split(N, 0);
      pre = (t, h) => gi[t].add(h.matmul(w.wh));
    } else {
      // [x_t, h, 1]·[Wx; Wh; bias]: one matmul per step covers input, state and bias.
      const { steps } = input;
      const like = { dtype: w.wx.dtype, backend: w.wx.backend };
      const wAll = concat(w.bias ? [w.wx, w.wh, w.bias.reshape([1, w.bias.size])] : [w.wx, w.wh], 0);
      const ones = w.bias ? full([N, 1], 1, like) : null;
      pre = (t, h) => concat(ones ? [steps[t], h, ones] : [steps[t], h], 1).matmul(wAll);
    }
    const T = input.rows ? input.rows.shape[0] / N : input.steps.length;
    const act = this.mode === 'RNN_RELU' ? 'relu' : 'tanh';
    let [h, c] = init;
    const outs = new Array<Tensor>(T);
    for (let s = 0; s < T; s++) {
      const t = reverse ? T - 1 - s : s;
      const a = pre(t, h);
      let hNew: Tensor;
      let cNew: Tensor | null = null;
      if (this.mode === 'LSTM') [hNew, cNew] = lstmGates(a, c as Tensor);
      else if (this.mode === 'GRU') hNew = gruGates(a, h);
      else hNew = rnnGates(a, act);
      if (t >= minLength) {
        // Past its length a sequence keeps its state and outputs zeros. In reverse, its state
        // therefore stays h0 until its last valid step, where the backward run starts.
        const m = masks[t];
        h = where(m, hNew, h);
        if (cNew) c = where(m, cNew, c as Tensor);
        outs[t] = where(m, hNew, 0);
      } else {
        h = hNew;
        if (cNew) c = cNew;
        outs[t] = hNew;
      }
    }
    return { outputs: outs, h, c };
  }

  override extraRepr(): string {
    const parts = [`${this.inputSize}, ${this.hiddenSize}`];
    if (this.numLayers !== 1) parts.push(`numLayers=${this.numLayers}`);
    if (this.mode === 'RNN_RELU') parts.push("nonlinearity='relu'");
    if (!this.bias) parts.push('bias=false');
    if (this.batchFirst) parts.push('batchFirst=true');
    if (this.dropout) parts.push(`dropout=${this.dropout}`);
    if (this.bidirectional) parts.push('bidirectional=true');
    return parts.join(', ');
  }
}

/**
 * Multi-layer Elman RNN (torch.nn.RNN): h_t = act(W_ih x_t + b_ih + W_hh h_{t−1} + b_hh), act
 * tanh or relu. `forward(x, h0?, { lengths }?)` returns [output, hN]: output [T, N, D·H]
 * ([N, T, D·H] with batchFirst) holds the last layer's h_t, hN [L·D, N, H] every layer's final
 * state. A PackedSequence in gives a PackedSequence out.
 */
export class RNN extends RNNBase {
  readonly nonlinearity: 'tanh' | 'relu';

  constructor(inputSize: number, hiddenSize: number, options: RNNOptions = {}) {
    const nonlinearity = options.nonlinearity ?? 'tanh';
    if (nonlinearity !== 'tanh' && nonlinearity !== 'relu') {
      throw new ArgumentError(`RNN: nonlinearity must be 'tanh' or 'relu', got '${String(nonlinearity)}'`);
    }
    super('RNN', nonlinearity === 'tanh' ? 'RNN_TANH' : 'RNN_RELU', inputSize, hiddenSize, options);
    this.nonlinearity = nonlinearity;
  }

  forward(input: Tensor, h0?: Tensor | null, options?: RecurrentForwardOptions): [Tensor, Tensor];
  forward(input: PackedSequence, h0?: Tensor | null, options?: RecurrentForwardOptions): [PackedSequence, Tensor];
  forward(input: Tensor | PackedSequence, h0?: Tensor | null, options: RecurrentForwardOptions = {}): [Tensor | PackedSequence, Tensor] {
    const r = this.run(input, h0, null, options);
    return [r.output, r.h];
  }
}

/**
 * Multi-layer LSTM (torch.nn.LSTM), gates i, f, g, o in PyTorch's row order:
 * c_t = f ⊙ c_{t−1} + i ⊙ g, h_t = o ⊙ tanh(c_t). `forward(x, [h0, c0]?, { lengths }?)` returns
 * [output, [hN, cN]].
 */
export class LSTM extends RNNBase {
  constructor(inputSize: number, hiddenSize: number, options: RNNBaseOptions = {}) {
    super('LSTM', 'LSTM', inputSize, hiddenSize, options);
  }

  forward(input: Tensor, hx?: readonly [Tensor, Tensor] | null, options?: RecurrentForwardOptions): [Tensor, [Tensor, Tensor]];
  forward(input: PackedSequence, hx?: readonly [Tensor, Tensor] | null, options?: RecurrentForwardOptions): [PackedSequence, [Tensor, Tensor]];
  forward(input: Tensor | PackedSequence, hx?: readonly [Tensor, Tensor] | null, options: RecurrentForwardOptions = {}): [Tensor | PackedSequence, [Tensor, Tensor]] {
    if (hx !== undefined && hx !== null && (!Array.isArray(hx) || hx.length !== 2)) {
      throw new ArgumentError('LSTM: hx must be a pair [h0, c0]');
    }
    const r = this.run(input, hx?.[0], hx?.[1], options);
    return [r.output, [r.h, r.c as Tensor]];
  }
}

/**
 * Multi-layer GRU (torch.nn.GRU), gates r, z, n in PyTorch's row order:
 * n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)), h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}.
 * `forward(x, h0?, { lengths }?)` returns [output, hN].
 */
export class GRU extends RNNBase {
  constructor(inputSize: number, hiddenSize: number, options: RNNBaseOptions = {}) {
    super('GRU', 'GRU', inputSize, hiddenSize, options);
  }

  forward(input: Tensor, h0?: Tensor | null, options?: RecurrentForwardOptions): [Tensor, Tensor];
  forward(input: PackedSequence, h0?: Tensor | null, options?: RecurrentForwardOptions): [PackedSequence, Tensor];
  forward(input: Tensor | PackedSequence, h0?: Tensor | null, options: RecurrentForwardOptions = {}): [Tensor | PackedSequence, Tensor] {
    const r = this.run(input, h0, null, options);
    return [r.output, r.h];
  }
}

import './helpers.js';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '@plexus/tensor';
import { tensor } from '@plexus/tensor';
import { gradients } from '@plexus/autograd';
import type { Module, RNNBase } from '../src/index.js';
import { GRU, GRUCell, LSTM, LSTMCell, RNN, RNNCell, functionalCall, packPaddedSequence, padPackedSequence } from '../src/index.js';
import { expectClose } from './helpers.js';

/**
 * PyTorch's outputs, final states and gradients for the same weights and inputs, written by
 * fixtures/rnn_reference.py (run by hand; this test needs no PyTorch). Loading PyTorch's
 * state_dict through the camelCase names (weight_ih_l0 → weightIh_l0) is itself part of the test.
 */
type Nested = number | Nested[];
interface LayerCase {
  params: Record<string, Nested>;
  input: Nested;
  output: Nested;
  hN: Nested;
  cN?: Nested;
  h0?: Nested;
  c0?: Nested;
  lengths?: number[];
  weightOutput: Nested;
  weightH: Nested;
  weightC?: Nested;
  gradInput: Nested;
  gradH0?: Nested;
  gradC0?: Nested;
  gradParams: Record<string, Nested>;
}
interface CellCase {
  params: Record<string, Nested>;
  input: Nested;
  h: Nested;
  c?: Nested;
  output: Nested;
}
const ref = JSON.parse(readFileSync(new URL('./fixtures/rnn-reference.json', import.meta.url), 'utf8')) as Record<string, LayerCase & CellCase>;
const flat = (v: Nested): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v]);
const t64 = (v: Nested): Tensor => tensor(v as number[], { dtype: 'float64' });
const near = (got: Tensor, want: Nested): void => expectClose(got, flat(want), 1e-10);

function load(m: Module, params: Record<string, Nested>): void {
  m.loadStateDict(Object.fromEntries(Object.entries(params).map(([k, v]) => [k, t64(v)])));
}

function checkLayer(name: string, m: RNNBase, batchFirst = false): void {
  const c = ref[name];
  load(m, c.params);
  // Parameters are the gradient leaves, substituted with functionalCall.
  const names = Object.keys(c.params);
  const leaves = names.map((k) => t64(c.params[k]).requiresGrad_());
  const x = t64(c.input).requiresGrad_();
  const h0 = c.h0 ? t64(c.h0).requiresGrad_() : null;
  const c0 = c.c0 ? t64(c.c0).requiresGrad_() : null;
  const totalLength = x.shape[batchFirst ? 1 : 0];
  const [out, hN, cN] = functionalCall(m, Object.fromEntries(names.map((k, i) => [k, leaves[i]])), () => {
    const input = c.lengths ? packPaddedSequence(x, c.lengths, { batchFirst, enforceSorted: false }) : x;
    let o: Tensor;
    let h: Tensor;
    let cc: Tensor | null = null;
    if (m instanceof LSTM) {
      const [packedOrPadded, [hh, ccc]] = m.forward(input as Tensor, h0 && c0 ? [h0, c0] : null);
      [o, h, cc] = [packedOrPadded, hh, ccc];
    } else {
      [o, h] = (m as RNN).forward(input as Tensor, h0);
    }
    if (c.lengths) [o] = padPackedSequence(o as never, { batchFirst, totalLength });
    return [o, h, cc] as const;
  });
  near(out, c.output);
  near(hN, c.hN);
  if (c.cN) near(cN as Tensor, c.cN);
  let loss = out.mul(t64(c.weightOutput)).sum().add(hN.mul(t64(c.weightH)).sum());
  if (c.weightC) loss = loss.add((cN as Tensor).mul(t64(c.weightC)).sum());
  const wrt = [x, ...leaves, ...(h0 ? [h0] : []), ...(c0 ? [c0] : [])];
  const grads = gradients([loss], wrt);
  near(grads[0], c.gradInput);
  names.forEach((k, i) => near(grads[1 + i], c.gradParams[k]));
  if (h0) near(grads[1 + names.length], c.gradH0 as Nested);
  if (c0) near(grads[2 + names.length], c.gradC0 as Nested);
}

describe('recurrent layers agree with PyTorch (outputs, final states and gradients)', () => {
  it('LSTM: 2 layers, bidirectional, batchFirst, initial states', () => {
    checkLayer('lstm_2layer_bidir_batchFirst_states', new LSTM(3, 4, { numLayers: 2, bidirectional: true, batchFirst: true, dtype: 'float64' }), true);
  });
  it('GRU: 2 layers, bidirectional, initial state', () => {
    checkLayer('gru_2layer_bidir_states', new GRU(3, 4, { numLayers: 2, bidirectional: true, dtype: 'float64' }));
  });
  it('RNN: tanh 2 layers bidirectional; relu without bias', () => {
    checkLayer('rnn_tanh_2layer_bidir', new RNN(3, 4, { numLayers: 2, bidirectional: true, dtype: 'float64' }));
    checkLayer('rnn_relu_nobias_states', new RNN(3, 4, { nonlinearity: 'relu', bias: false, dtype: 'float64' }));
  });
  it('packed variable-length sequences (unsorted lengths), bidirectional', () => {
    checkLayer('lstm_packed_bidir', new LSTM(3, 4, { numLayers: 2, bidirectional: true, dtype: 'float64' }));
    checkLayer('gru_packed_bidir_batchFirst', new GRU(3, 4, { bidirectional: true, batchFirst: true, dtype: 'float64' }), true);
    checkLayer('rnn_packed', new RNN(3, 4, { dtype: 'float64' }));
  });
  it('the masked lengths option gives the packed results', () => {
    const c = ref.lstm_packed_bidir;
    const m = new LSTM(3, 4, { numLayers: 2, bidirectional: true, dtype: 'float64' });
    load(m, c.params);
    const [out, [hN, cN]] = m.forward(t64(c.input), [t64(c.h0 as Nested), t64(c.c0 as Nested)], { lengths: c.lengths });
    near(out, c.output);
    near(hN, c.hN);
    near(cN, c.cN as Nested);
  });
  it('cells', () => {
    const lc = ref.lstmCell;
    const lstm = new LSTMCell(3, 4, { dtype: 'float64' });
    load(lstm, lc.params);
    const [h, c] = lstm.forward(t64(lc.input), [t64(lc.h), t64(lc.c as Nested)]);
    // PyTorch's reference is cat([h', c'], 1).
    near(h, (lc.output as Nested[]).map((row) => (row as number[]).slice(0, 4)));
    near(c, (lc.output as Nested[]).map((row) => (row as number[]).slice(4)));
    const gc = ref.gruCell;
    const gru = new GRUCell(3, 4, { dtype: 'float64' });
    load(gru, gc.params);
    near(gru.forward(t64(gc.input), t64(gc.h)), gc.output);
    const rc = ref.rnnCell_relu;
    const rnn = new RNNCell(3, 4, { nonlinearity: 'relu', dtype: 'float64' });
    load(rnn, rc.params);
    near(rnn.forward(t64(rc.input), t64(rc.h)), rc.output);
  });
  it('names its parameters as PyTorch does, camel-cased, in state_dict order', () => {
    const m = new LSTM(3, 4, { numLayers: 2, bidirectional: true, batchFirst: true });
    expect(Object.keys(m.stateDict())).toEqual(Object.keys(ref.lstm_2layer_bidir_batchFirst_states.params));
    expect(m.flatWeightsNames).toEqual(Object.keys(ref.lstm_2layer_bidir_batchFirst_states.params));
  });
});

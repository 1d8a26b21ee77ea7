import './helpers.js';
import { describe, it } from 'vitest';
import type { Tensor } from '@plexus/tensor';
import { concat, manualSeed } from '@plexus/tensor';
import { GRU, GRUCell, LSTM, LSTMCell, RNN, RNNCell, packPaddedSequence, padPackedSequence } from '../src/index.js';
import { expectLayerGradOk, randn64 } from './helpers.js';

/** Every output in one tensor, so that gradCheck sees the gradients through all of them. */
const joined = (...ts: Tensor[]): Tensor => concat(ts.map((t) => t.flatten()), 0);
const opts = { dtype: 'float64' as const };

describe('recurrent layers pass gradCheck in float64 (inputs, initial states and every parameter)', () => {
  it('RNN: tanh, 2 layers, bidirectional, batchFirst, h0', () => {
    manualSeed(10);
    const rnn = new RNN(2, 3, { ...opts, numLayers: 2, bidirectional: true, batchFirst: true });
    expectLayerGradOk(rnn, [randn64(11, [2, 3, 2]), randn64(12, [4, 2, 3])], (x, h0) => joined(...rnn.forward(x, h0)));
  });

  it('RNN: relu, no bias', () => {
    manualSeed(13);
    const rnn = new RNN(2, 3, { ...opts, nonlinearity: 'relu', bias: false });
    expectLayerGradOk(rnn, [randn64(14, [3, 2, 2]), randn64(15, [1, 2, 3])], (x, h0) => joined(...rnn.forward(x, h0)));
  });

  it('LSTM: 2 layers, bidirectional, batchFirst, h0 and c0', () => {
    manualSeed(16);
    const lstm = new LSTM(2, 2, { ...opts, numLayers: 2, bidirectional: true, batchFirst: true });
    expectLayerGradOk(lstm, [randn64(17, [2, 2, 2]), randn64(18, [4, 2, 2]), randn64(19, [4, 2, 2])], (x, h0, c0) => {
      const [out, [h, c]] = lstm.forward(x, [h0, c0]);
      return joined(out, h, c);
    });
  });

  it('GRU: 2 layers, bidirectional, h0', () => {
    manualSeed(20);
    const gru = new GRU(2, 2, { ...opts, numLayers: 2, bidirectional: true });
    expectLayerGradOk(gru, [randn64(21, [2, 2, 2]), randn64(22, [4, 2, 2])], (x, h0) => joined(...gru.forward(x, h0)));
  });

  it('variable lengths: masked (lengths option) and packed', () => {
    manualSeed(23);
    const lstm = new LSTM(2, 2, { ...opts, bidirectional: true });
    expectLayerGradOk(lstm, [randn64(24, [4, 3, 2]), randn64(25, [2, 3, 2]), randn64(26, [2, 3, 2])], (x, h0, c0) => {
      const [out, [h, c]] = lstm.forward(x, [h0, c0], { lengths: [2, 4, 1] });
      return joined(out, h, c);
    });
    const gru = new GRU(2, 2, { ...opts, batchFirst: true });
    expectLayerGradOk(gru, [randn64(27, [3, 4, 2])], (x) => {
      const [packed, h] = gru.forward(packPaddedSequence(x, [3, 4, 2], { batchFirst: true, enforceSorted: false }));
      return joined(padPackedSequence(packed, { batchFirst: true })[0], h);
    });
  });

  it('cells: RNNCell, LSTMCell, GRUCell', () => {
    manualSeed(28);
    const rnn = new RNNCell(3, 2, opts);
    expectLayerGradOk(rnn, [randn64(29, [2, 3]), randn64(30, [2, 2])], (x, h) => rnn.forward(x, h));
    const lstm = new LSTMCell(3, 2, opts);
    expectLayerGradOk(lstm, [randn64(31, [2, 3]), randn64(32, [2, 2]), randn64(33, [2, 2])], (x, h, c) => joined(...lstm.forward(x, [h, c])));
    const gru = new GRUCell(3, 2, opts);
    expectLayerGradOk(gru, [randn64(34, [2, 3]), randn64(35, [2, 2])], (x, h) => gru.forward(x, h));
  });
});

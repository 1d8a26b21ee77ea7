import './helpers.js';
import { describe, expect, it } from 'vitest';
import { ArgumentError, DTypeError, ShapeError, randn, tensor, zeros } from '@plexus/tensor';
import { GRU, GRUCell, LSTM, LSTMCell, RNN, RNNCell, packPaddedSequence, padPackedSequence } from '../src/index.js';

describe('recurrent layers reject bad input with clear typed errors', () => {
  const lstm = new LSTM(3, 4, { numLayers: 2 });
  const x = randn([5, 2, 3]);

  it('wrong input rank or feature size', () => {
    expect(() => lstm.forward(randn([5, 2, 3, 1]))).toThrow(ShapeError);
    expect(() => lstm.forward(randn([5, 2, 3, 1]))).toThrow('LSTM: expected input of rank 3 ([T, N, inputSize]) or 2 (unbatched [T, inputSize]), got [5,2,3,1]');
    expect(() => new GRU(3, 4, { batchFirst: true }).forward(randn([3]))).toThrow(/rank 3 \(\[N, T, inputSize\]\)/);
    expect(() => lstm.forward(randn([5, 2, 7]))).toThrow('LSTM: expected input with last dim 3 (inputSize), got [5,2,7]');
    expect(() => lstm.forward(randn([0, 2, 3]))).toThrow(ShapeError);
  });

  it('initial states of the wrong shape or dtype', () => {
    expect(() => lstm.forward(x, [zeros([1, 2, 4]), zeros([2, 2, 4])])).toThrow(
      'LSTM: expected h0 of shape [2,2,4] (numLayers·numDirections, batch, hiddenSize), got [1,2,4]',
    );
    expect(() => lstm.forward(x, [zeros([2, 2, 4]), zeros([2, 3, 4])])).toThrow(/expected c0 of shape \[2,2,4\]/);
    expect(() => lstm.forward(x, [zeros([2, 2, 4])] as never)).toThrow(ArgumentError);
    const gru = new GRU(3, 4, { bidirectional: true });
    expect(() => gru.forward(x, zeros([1, 2, 4]))).toThrow(/expected h0 of shape \[2,2,4\]/);
    expect(() => gru.forward(randn([5, 3]), zeros([2, 1, 4]))).toThrow(/expected h0 of shape \[2,4\]/);
    expect(() => gru.forward(x, zeros([2, 2, 4], { dtype: 'float64' }))).toThrow(DTypeError);
    expect(() => gru.forward(x.double())).toThrow('GRU: input is float64 but the parameters are float32');
  });

  it('lengths out of range or of the wrong count', () => {
    const rnn = new RNN(3, 4);
    expect(() => rnn.forward(x, null, { lengths: [5, 6] })).toThrow(ArgumentError);
    expect(() => rnn.forward(x, null, { lengths: [5, 6] })).toThrow('RNN: lengths must be integers in [1, 5] (the padded length), got 6 at index 1');
    expect(() => rnn.forward(x, null, { lengths: [0, 2] })).toThrow(/got 0 at index 0/);
    expect(() => rnn.forward(x, null, { lengths: [2.5, 2] })).toThrow(/got 2.5/);
    expect(() => rnn.forward(x, null, { lengths: [2] })).toThrow('RNN: expected 2 lengths (one per sequence), got 1');
    expect(() => rnn.forward(x, null, { lengths: tensor([1, 2]) })).toThrow(/1-D int32 tensor/);
    expect(() => packPaddedSequence(x, [6, 2])).toThrow(/lengths must be integers in \[1, 5\]/);
    expect(() => packPaddedSequence(x, [2, 5])).toThrow(/sorted in decreasing order/);
    const packed = packPaddedSequence(x, [5, 2]);
    expect(() => rnn.forward(packed, null, { lengths: [5, 2] })).toThrow(/PackedSequence carries its own lengths/);
    expect(() => padPackedSequence(packed, { totalLength: 3 })).toThrow(/totalLength must be an integer >= the longest sequence \(5\)/);
    expect(() => new RNN(2, 4).forward(packed)).toThrow(/last dim 2 \(inputSize\), got a PackedSequence/);
  });

  it('bad constructor options: dropout out of range, nonlinearity, sizes, dtype', () => {
    expect(() => new LSTM(3, 4, { dropout: 1.5 })).toThrow('LSTM: dropout must be a probability in [0, 1], got 1.5');
    expect(() => new GRU(3, 4, { dropout: -0.1 })).toThrow(ArgumentError);
    expect(() => new RNN(3, 4, { nonlinearity: 'sigmoid' as never })).toThrow("RNN: nonlinearity must be 'tanh' or 'relu', got 'sigmoid'");
    expect(() => new RNN(3, 0)).toThrow(/hiddenSize must be a positive integer/);
    expect(() => new LSTM(3, 4, { numLayers: 0 })).toThrow(/numLayers must be a positive integer/);
    expect(() => new GRU(3, 4, { bidirectional: 'yes' as never })).toThrow(/bidirectional must be a boolean/);
    expect(() => new LSTM(3, 4, { dtype: 'int32' })).toThrow(DTypeError);
  });

  it('cells: wrong input, state shapes and options', () => {
    const cell = new LSTMCell(3, 4);
    expect(() => cell.forward(randn([2, 5]))).toThrow('LSTMCell: expected input of shape [N, 3] or [3], got [2,5]');
    expect(() => cell.forward(randn([1, 2, 3]))).toThrow(ShapeError);
    expect(() => cell.forward(randn([2, 3]), [zeros([3, 4]), zeros([2, 4])])).toThrow('LSTMCell: expected h of shape [2,4], got [3,4]');
    expect(() => cell.forward(randn([2, 3]), [zeros([2, 4]), zeros([2, 5])])).toThrow(/expected c of shape \[2,4\]/);
    expect(() => new GRUCell(3, 4).forward(randn([3]), zeros([1, 4]))).toThrow('GRUCell: expected h of shape [4], got [1,4]');
    expect(() => new RNNCell(3, 4).forward(randn([2, 3]).double())).toThrow(DTypeError);
    expect(() => new RNNCell(3, 4, { nonlinearity: 'gelu' as never })).toThrow(ArgumentError);
  });
});

import type * as tfc from '@tensorflow/tfjs-core';
import type { DType } from '@plexus/tensor';
import { DTypeError } from '@plexus/tensor';

/**
 * The part of a TensorFlow.js module the adapter uses. `@tensorflow/tfjs-core` with a backend
 * loaded, the `@tensorflow/tfjs` union package and `@tensorflow/tfjs-node(-gpu)` all provide it.
 * Only types come from tfjs-core here: nothing imports TensorFlow.js at run time except the
 * loader, so the package installs and imports without it.
 */
export type Tfjs = Pick<
  typeof tfc,
  | 'tensor' | 'tidy' | 'dispose' | 'memory' | 'getBackend' | 'backend' | 'clone' | 'cast' | 'zeros'
  | 'ones' | 'fill' | 'range' | 'scalar'
  // elementwise
  | 'neg' | 'abs' | 'sign' | 'exp' | 'log' | 'log1p' | 'expm1' | 'sqrt' | 'rsqrt' | 'sin' | 'cos'
  | 'tanh' | 'sigmoid' | 'erf' | 'floor' | 'ceil' | 'round' | 'isNaN' | 'isInf' | 'isFinite'
  | 'add' | 'sub' | 'mul' | 'div' | 'floorDiv' | 'pow' | 'maximum' | 'minimum'
  | 'equal' | 'notEqual' | 'less' | 'lessEqual' | 'greater' | 'greaterEqual'
  | 'logicalAnd' | 'logicalOr' | 'logicalXor' | 'logicalNot' | 'where'
  // reductions
  | 'sum' | 'prod' | 'max' | 'min' | 'any' | 'all' | 'argMax' | 'argMin'
  // movement and indexing
  | 'reshape' | 'squeeze' | 'transpose' | 'broadcastTo' | 'slice' | 'stridedSlice' | 'pad' | 'concat' | 'split'
  | 'gather' | 'scatterND' | 'matMul'
  // accelerated ops
  | 'softmax' | 'logSoftmax' | 'conv2d' | 'depthwiseConv2d' | 'maxPool' | 'avgPool'
>;

export type TfTensor = tfc.Tensor;
export type TfTensor4D = tfc.Tensor4D;
export type TfDType = 'float32' | 'int32' | 'bool';

/** The TensorFlow.js dtype of a Plexus dtype; float64 has none. */
export function tfDType(dtype: DType, backendName = 'cuda'): TfDType {
  if (dtype === 'float64') throw float64Error('tfDType', backendName);
  return dtype;
}

export function float64Error(op: string, backendName: string): DTypeError {
  return new DTypeError(
    `${op}: backend '${backendName}' does not support float64: TensorFlow.js has no 64-bit floats ` +
      `(it stores float32, int32 and bool). Cast to float32 (x.float()), or use a backend with float64 ` +
      `('js', or 'cpu') for float64 work such as gradCheck.`,
  );
}

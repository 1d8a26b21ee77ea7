import { gunzipSync } from 'node:zlib';
import type { DType, Tensor } from '@plexus/tensor';
import { ArgumentError } from '@plexus/tensor';
import type { IdxArray } from '../io/idx.js';
import { idxToTensor, parseIdx } from '../io/idx.js';
import type { FileSource } from './files.js';
import { readSource } from './files.js';

/** IDX bytes, inflated first when they start with the gzip magic 1f 8b (as MNIST's .gz files do). */
export function readIdxArray(source: FileSource): IdxArray {
  const { bytes, name } = readSource('readIdx', source);
  let raw = bytes;
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      raw = gunzipSync(bytes);
    } catch (e) {
      throw new ArgumentError(`readIdx: ${name} at byte offset 0: gzip data could not be inflated: ${(e as Error).message}`);
    }
  }
  return parseIdx(raw, name);
}

/**
 * Reads an IDX file (MNIST's format; gzip or not) into a tensor of its shape. Integer types read
 * into int32 and float/double into float32/float64 unless `dtype` says otherwise.
 */
export function readIdx(source: FileSource, options: { dtype?: DType } = {}): Tensor {
  return idxToTensor(readIdxArray(source), options.dtype);
}

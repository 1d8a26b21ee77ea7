import type { DataArray, Tensor } from '@plexus/tensor';
import type { NpyWriteOptions } from '../io/npy.js';
import { encodeNpy, npyToTensor, parseNpy } from '../io/npy.js';
import { writeFileAtomic } from './atomic.js';
import type { FileSource } from './files.js';
import { readSource } from './files.js';

/** Reads an .npy file (path, file URL or bytes) into a tensor. */
export function readNpy(source: FileSource): Tensor {
  const { bytes, name } = readSource('readNpy', source);
  return npyToTensor(parseNpy(bytes, name));
}

/** Writes a tensor (or host data with a shape) as an .npy file, through a temporary file and a rename. */
export function writeNpy(path: string, input: Tensor | { data: DataArray; shape: readonly number[] }, options: NpyWriteOptions = {}): void {
  writeFileAtomic(path, encodeNpy(input, options));
}

import type { DType, Tensor } from '@plexus/tensor';
import { ArgumentError, allocArray, fromData } from '@plexus/tensor';

/** IDX element types by their code in the third magic byte. */
const IDX_TYPES = {
  0x08: { name: 'ubyte', size: 1 },
  0x09: { name: 'byte', size: 1 },
  0x0b: { name: 'short', size: 2 },
  0x0c: { name: 'int', size: 4 },
  0x0d: { name: 'float', size: 4 },
  0x0e: { name: 'double', size: 8 },
} as const;

export type IdxType = (typeof IDX_TYPES)[keyof typeof IDX_TYPES]['name'];

/** An IDX file's contents on the host, in the file's own element type. */
export interface IdxArray {
  type: IdxType;
  shape: number[];
  data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

const hex = (b: number): string => `0x${b.toString(16).padStart(2, '0')}`;

/**
 * Parses IDX bytes (the MNIST format): magic 0x00 0x00, a type code, the number of dimensions,
 * big-endian uint32 sizes, then big-endian data. Errors name `name`, the byte offset and what
 * was wrong.
 */
export function parseIdx(bytes: Uint8Array, name = '<buffer>'): IdxArray {
  const fail = (offset: number, what: string): never => {
    throw new ArgumentError(`readIdx: ${name} at byte offset ${offset}: ${what}`);
  };
  if (bytes.length < 4) fail(0, `truncated header: expected at least 4 bytes of magic number, got ${bytes.length}`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const gz = bytes[0] === 0x1f && bytes[1] === 0x8b ? ' (this is gzip data: read it with readIdx, which inflates it)' : '';
    fail(0, `bad magic number: expected 0x00 0x00 then a type code, got ${hex(bytes[0])} ${hex(bytes[1])}${gz}`);
  }
  const code = bytes[2] as keyof typeof IDX_TYPES;
  const type = IDX_TYPES[code];
  if (!type) fail(2, `bad magic number: unknown type code ${hex(bytes[2])} (expected 0x08 ubyte, 0x09 byte, 0x0b short, 0x0c int, 0x0d float or 0x0e double)`);
  const ndim = bytes[3];
  const headerBytes = 4 + 4 * ndim;
  if (bytes.length < headerBytes) fail(bytes.length, `truncated header: ${ndim} dimensions need ${headerBytes} header bytes, the data has ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  for (let k = 0; k < ndim; k++) shape.push(view.getUint32(4 + 4 * k, false));
  const count = shape.reduce((a, b) => a * b, 1);
  const expected = count * type.size;
  const available = bytes.length - headerBytes;
  if (available < expected) {
    fail(headerBytes, `truncated data: dims [${shape.join(', ')}] of ${type.name} need ${expected} bytes, only ${available} follow the header`);
  }
  if (available > expected) {
    fail(headerBytes + expected, `dims mismatch: dims [${shape.join(', ')}] of ${type.name} need ${expected} bytes after the header, but ${available} follow (${available - expected} extra)`);
  }
  const at = headerBytes;
  let data: IdxArray['data'];
  switch (type.name) {
    case 'ubyte':
      data = bytes.slice(at, at + expected);
      break;
    case 'byte':
      data = new Int8Array(bytes.slice(at, at + expected).buffer);
      break;
    case 'short':
      data = Int16Array.from({ length: count }, (_, i) => view.getInt16(at + 2 * i, false));
      break;
    case 'int':
      data = Int32Array.from({ length: count }, (_, i) => view.getInt32(at + 4 * i, false));
      break;
    case 'float':
      data = Float32Array.from({ length: count }, (_, i) => view.getFloat32(at + 4 * i, false));
      break;
    case 'double':
      data = Float64Array.from({ length: count }, (_, i) => view.getFloat64(at + 8 * i, false));
      break;
  }
  return { type: type.name, shape, data };
}

/** The tensor dtype an IDX type reads into by default: integers become int32 (Plexus has no 8- or 16-bit dtypes). */
export function idxDType(type: IdxType): DType {
  return type === 'float' ? 'float32' : type === 'double' ? 'float64' : 'int32';
}

/** An IDX array as a tensor of `dtype` (default: idxDType of its type). */
export function idxToTensor(array: IdxArray, dtype: DType = idxDType(array.type)): Tensor {
  if (!['float32', 'float64', 'int32', 'bool'].includes(dtype)) throw new ArgumentError(`readIdx: unknown dtype '${dtype}'`);
  const out = allocArray(dtype, array.data.length);
  if (dtype === 'bool') for (let i = 0; i < out.length; i++) out[i] = array.data[i] !== 0 ? 1 : 0;
  else out.set(array.data);
  return fromData('readIdx', out, array.shape);
}

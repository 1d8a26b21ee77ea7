import type { DataArray, DType, Tensor } from '@plexus/tensor';
import { ArgumentError, DTypeError, allocArray, fromData, isTensor, sizeOf } from '@plexus/tensor';
import type { PyValue } from './py-literal.js';
import { parsePyLiteral } from './py-literal.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"

/** Element kinds that read into Plexus dtypes: [bytes, reader, dtype]. */
interface Kind {
  size: number;
  dtype: DType;
  get(view: DataView, offset: number, little: boolean): number;
}
const KINDS: Record<string, Kind> = {
  f4: { size: 4, dtype: 'float32', get: (v, o, le) => v.getFloat32(o, le) },
  f8: { size: 8, dtype: 'float64', get: (v, o, le) => v.getFloat64(o, le) },
  i4: { size: 4, dtype: 'int32', get: (v, o, le) => v.getInt32(o, le) },
  i2: { size: 2, dtype: 'int32', get: (v, o, le) => v.getInt16(o, le) },
  u2: { size: 2, dtype: 'int32', get: (v, o, le) => v.getUint16(o, le) },
  i1: { size: 1, dtype: 'int32', get: (v, o) => v.getInt8(o) },
  u1: { size: 1, dtype: 'int32', get: (v, o) => v.getUint8(o) },
  b1: { size: 1, dtype: 'bool', get: (v, o) => (v.getUint8(o) !== 0 ? 1 : 0) },
  // numpy's default integer on Linux and macOS; read into int32 when the values fit.
  i8: { size: 8, dtype: 'int32', get: (v, o, le) => Number(v.getBigInt64(o, le)) },
  u4: { size: 4, dtype: 'int32', get: (v, o, le) => v.getUint32(o, le) },
};

/** An NPY file's contents: the on-disk descr and shape, and the data in the Plexus dtype it reads into. */
export interface NpyArray {
  descr: string;
  shape: number[];
  dtype: DType;
  data: DataArray;
}

/**
 * Parses NPY bytes (format versions 1.0, 2.0 and 3.0; C order). Supported descrs: f4, f8, i4, b1
 * and u1, plus i1, i2, u2, u4 and i8 (read into int32 when they fit), in either byte order.
 * Errors name `name`, the byte offset and what was wrong.
 */
export function parseNpy(bytes: Uint8Array, name = '<buffer>'): NpyArray {
  const fail = (offset: number, what: string): never => {
    throw new ArgumentError(`readNpy: ${name} at byte offset ${offset}: ${what}`);
  };
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    fail(0, `bad magic string: expected "\\x93NUMPY", got ${JSON.stringify(String.fromCharCode(...bytes.subarray(0, 6)))}${bytes.length < 10 ? ` (only ${bytes.length} bytes)` : ''}`);
  }
  const major = bytes[6];
  const minor = bytes[7];
  if (major < 1 || major > 3 || minor !== 0) fail(6, `unsupported NPY format version ${major}.${minor} (expected 1.0, 2.0 or 3.0)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lenBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lenBytes) fail(8, 'truncated header length');
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = 8 + lenBytes;
  const dataStart = headerStart + headerLen;
  if (bytes.length < dataStart) fail(headerStart, `truncated header: it claims ${headerLen} bytes, only ${bytes.length - headerStart} follow`);
  const headerText = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, dataStart));
  const header = parsePyLiteral(headerText, (pos, what) => fail(headerStart + pos, `malformed header ${JSON.stringify(headerText.trim())}: ${what}`));
  if (header === null || typeof header !== 'object' || Array.isArray(header)) fail(headerStart, `header is not a dict: ${headerText.trim()}`);
  const dict = header as { [key: string]: PyValue };
  for (const key of ['descr', 'fortran_order', 'shape']) if (!(key in dict)) fail(headerStart, `header lacks the '${key}' key: ${headerText.trim()}`);
  const { descr, fortran_order: fortran, shape } = dict;
  if (typeof descr !== 'string') fail(headerStart, `structured dtypes are not supported (descr ${JSON.stringify(descr)})`);
  if (typeof fortran !== 'boolean') fail(headerStart, `'fortran_order' must be True or False, got ${JSON.stringify(fortran)}`);
  if (fortran) {
    fail(headerStart, "the array is stored in Fortran (column-major) order, which readNpy does not read; save it from numpy with np.ascontiguousarray(a) (C order)");
  }
  if (!Array.isArray(shape) || shape.some((d) => typeof d !== 'number' || !Number.isInteger(d) || d < 0)) {
    fail(headerStart, `'shape' must be a tuple of non-negative integers, got ${JSON.stringify(shape)}`);
  }
  const dims = shape as number[];
  const d = descr as string;
  const order = d[0];
  const kind = KINDS[d.slice(1)];
  if (!kind || !['<', '>', '|', '='].includes(order) || (kind.size > 1 && order === '|')) {
    fail(headerStart, `unsupported dtype '${d}' (supported: <f4 <f8 <i4 |b1 |u1, and |i1 <i2 <u2 <u4 <i8; '>' for big-endian)`);
  }
  const little = order !== '>';
  const count = sizeOf(dims);
  const expected = count * kind.size;
  const available = bytes.length - dataStart;
  if (available < expected) fail(dataStart, `truncated data: shape (${dims.join(', ')}) of '${d}' needs ${expected} bytes, only ${available} follow the header`);
  if (available > expected) fail(dataStart + expected, `shape (${dims.join(', ')}) of '${d}' needs ${expected} bytes, but ${available} follow the header (${available - expected} extra)`);
  const data = allocArray(kind.dtype, count);
  for (let i = 0; i < count; i++) {
    const v = kind.get(view, dataStart + i * kind.size, little);
    if (kind.dtype === 'int32' && (v > 2147483647 || v < -2147483648)) {
      fail(dataStart + i * kind.size, `value ${v} of '${d}' does not fit int32`);
    }
    data[i] = v;
  }
  return { descr: d, shape: dims, dtype: kind.dtype, data };
}

/** An NPY array as a tensor (on the current backend). */
export function npyToTensor(array: NpyArray): Tensor {
  return fromData('readNpy', array.data, array.shape);
}

/** The NPY descr each Plexus dtype is written as. */
const DESCR: Record<DType, string> = { float32: '<f4', float64: '<f8', int32: '<i4', bool: '|b1' };

export interface NpyWriteOptions {
  /** Write int32 data as '|u1' (values must be 0..255), e.g. for images. Default: the dtype's own descr. */
  descr?: '<f4' | '<f8' | '<i4' | '|b1' | '|u1';
}

/** The NPY header for a C-order array: version 1.0 unless the header needs 2.0's longer length field. */
export function npyHeader(descr: string, shape: readonly number[]): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  // Like current numpy, leave room for the first dim to grow to 21 digits, so a writer that
  // appends rows can rewrite the header in place; the bytes then match numpy's exactly.
  const growth = shape.length > 0 ? ' '.repeat(Math.max(0, 21 - String(shape[0]).length)) : '';
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }${growth}`;
  // Spaces and a final '\n' pad the header so the data starts on a 64-byte boundary.
  const pad = (preamble: number): string => {
    const unpadded = preamble + dict.length + 1;
    return dict + ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  };
  let text = pad(10);
  const v2 = text.length > 65535;
  if (v2) text = pad(12);
  const out = new Uint8Array((v2 ? 12 : 10) + text.length);
  out.set(MAGIC);
  out[6] = v2 ? 2 : 1;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (v2) view.setUint32(8, text.length, true);
  else view.setUint16(8, text.length, true);
  for (let i = 0; i < text.length; i++) out[(v2 ? 12 : 10) + i] = text.charCodeAt(i);
  return out;
}

/** NPY bytes of a tensor (read synchronously) or of host data with a shape. */
export function encodeNpy(input: Tensor | { data: DataArray; shape: readonly number[] }, options: NpyWriteOptions = {}): Uint8Array {
  const data = isTensor(input) ? input.dataSync() : input.data;
  const shape = isTensor(input) ? input.shape : input.shape;
  if (!isTensor(input) && sizeOf(shape) !== data.length) {
    throw new ArgumentError(`writeNpy: ${data.length} values do not fill shape [${shape.join(',')}]`);
  }
  const dtype: DType = isTensor(input) ? input.dtype : data instanceof Float32Array ? 'float32' : data instanceof Float64Array ? 'float64' : data instanceof Int32Array ? 'int32' : 'bool';
  const descr = options.descr ?? DESCR[dtype];
  if (descr === '|u1') {
    if (dtype !== 'int32') throw new DTypeError(`writeNpy: '|u1' needs int32 data, got ${dtype}`);
    data.forEach((v, i) => {
      if (v < 0 || v > 255) throw new ArgumentError(`writeNpy: '|u1' holds 0..255, got ${v} at flat index ${i}`);
    });
  } else if (descr !== DESCR[dtype]) {
    throw new DTypeError(`writeNpy: ${dtype} data is written as '${DESCR[dtype]}', not '${descr}'`);
  }
  const header = npyHeader(descr, shape);
  let body: Uint8Array;
  if (descr === '|u1') body = Uint8Array.from(data);
  else {
    // Typed arrays use the platform's byte order; write little-endian explicitly.
    const size = dtype === 'float64' ? 8 : dtype === 'bool' ? 1 : 4;
    body = new Uint8Array(data.length * size);
    const view = new DataView(body.buffer);
    for (let i = 0; i < data.length; i++) {
      if (dtype === 'float32') view.setFloat32(i * 4, data[i], true);
      else if (dtype === 'float64') view.setFloat64(i * 8, data[i], true);
      else if (dtype === 'int32') view.setInt32(i * 4, data[i], true);
      else body[i] = data[i] ? 1 : 0;
    }
  }
  const out = new Uint8Array(header.length + body.length);
  out.set(header);
  out.set(body, header.length);
  return out;
}

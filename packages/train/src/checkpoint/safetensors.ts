import type { DType, DataArray } from '@plexus/tensor';
import { ArgumentError, DTypeError, PlexusError, ShapeError, allocArray } from '@plexus/tensor';

/**
 * The safetensors format (Hugging Face): an 8-byte little-endian header length N, N bytes of JSON
 * header `{ name: { dtype, shape, data_offsets: [begin, end] }, __metadata__: { key: string } }`
 * (padded with spaces to a multiple of 8), then the tensors' little-endian bytes back to back;
 * offsets count from the start of that data section. Small enough to read and write here, which
 * keeps checkpoints free of native code and readable by PyTorch's `safetensors.torch.load_file`.
 */

/** A tensor on the host: what the codec reads and writes. */
export interface HostTensor {
  dtype: DType;
  shape: number[];
  data: DataArray;
}

export interface Safetensors {
  tensors: Record<string, HostTensor>;
  metadata: Record<string, string>;
}

/** Headers beyond this are rejected before parsing (the reference implementation's limit). */
export const MAX_HEADER_BYTES = 100_000_000;

const TO_FILE: Record<DType, string> = { float32: 'F32', float64: 'F64', int32: 'I32', bool: 'BOOL' };
const FROM_FILE: Record<string, DType> = { F32: 'float32', F64: 'float64', I32: 'int32', BOOL: 'bool' };
const ITEM_BYTES: Record<DType, number> = { float32: 4, float64: 8, int32: 4, bool: 1 };
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The bytes of `data` in little-endian order (a view when the host already is little-endian). */
function littleEndianBytes(data: DataArray): Uint8Array {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (LITTLE_ENDIAN || data.BYTES_PER_ELEMENT === 1) return bytes;
  const out = new Uint8Array(bytes.length);
  const w = data.BYTES_PER_ELEMENT;
  for (let i = 0; i < bytes.length; i += w) for (let j = 0; j < w; j++) out[i + j] = bytes[i + w - 1 - j];
  return out;
}

const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/**
 * Encodes tensors and string metadata as safetensors, returned as chunks (the header, then one
 * per tensor) so that a writer can stream them. Tensors are laid out in the order given.
 */
export function encodeSafetensors(tensors: Record<string, HostTensor>, metadata: Record<string, string> = {}): Uint8Array[] {
  const header: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(metadata)) {
    if (typeof v !== 'string') throw new ArgumentError(`encodeSafetensors: metadata values must be strings, got ${typeof v} for '${k}'`);
  }
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    if (name === '__metadata__') throw new ArgumentError("encodeSafetensors: '__metadata__' is reserved and cannot name a tensor");
    const fileDType = TO_FILE[t.dtype];
    if (!fileDType) throw new DTypeError(`encodeSafetensors: tensor '${name}' has dtype ${String(t.dtype)}; expected float32, float64, int32 or bool`);
    if (t.data.length !== sizeOf(t.shape)) {
      throw new ShapeError(`encodeSafetensors: tensor '${name}' has shape [${t.shape.join(',')}] but ${t.data.length} values`);
    }
    const bytes = littleEndianBytes(t.data);
    header[name] = { dtype: fileDType, shape: [...t.shape], data_offsets: [offset, offset + bytes.length] };
    offset += bytes.length;
    chunks.push(bytes);
  }
  let json = JSON.stringify(header);
  // Pad to 8 bytes so the data section starts aligned, as the reference writer does.
  const raw = new TextEncoder().encode(json);
  json += ' '.repeat((8 - ((8 + raw.length) % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const prefix = new Uint8Array(8 + headerBytes.length);
  new DataView(prefix.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  prefix.set(headerBytes, 8);
  return [prefix, ...chunks];
}

/** One buffer from the chunks of `encodeSafetensors`. */
export function concatChunks(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Decodes a safetensors file. Every problem throws with the file name, the byte offset and what
 * is wrong: a header length beyond 100 MB or past the end of the file, a header that is not a
 * JSON object, an unknown dtype (DTypeError), a shape that does not match the byte range
 * (ShapeError), offsets out of range, overlapping or leaving gaps, truncated data.
 */
export function decodeSafetensors(bytes: Uint8Array, file = '<buffer>'): Safetensors {
  const fail = (offset: number, problem: string, Err: new (m: string) => PlexusError = PlexusError): never => {
    throw new Err(`safetensors: ${file}: at byte ${offset}: ${problem}`);
  };
  if (bytes.length < 8) fail(0, `the file has ${bytes.length} bytes, too short for the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER_BYTES)) fail(0, `header length ${n} exceeds the limit of ${MAX_HEADER_BYTES} bytes (not a safetensors file, or corrupt)`);
  const headerLength = Number(n);
  if (8 + headerLength > bytes.length) fail(0, `header length ${headerLength} goes beyond the end of the file (${bytes.length} bytes)`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength)));
  } catch (e) {
    fail(8, `the header is not valid UTF-8 JSON (${(e as Error).message})`);
  }
  if (!isObject(header)) fail(8, 'the header must be a JSON object');
  const head = header as Record<string, unknown>;
  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;

  const metadata: Record<string, string> = {};
  if ('__metadata__' in head) {
    const m = head.__metadata__;
    if (!isObject(m)) fail(8, '__metadata__ must be an object of strings');
    for (const [k, v] of Object.entries(m as Record<string, unknown>)) {
      if (typeof v !== 'string') fail(8, `__metadata__.${k} must be a string, got ${typeof v}`);
      metadata[k] = v as string;
    }
  }

  const entries: { name: string; dtype: DType; shape: number[]; begin: number; end: number }[] = [];
  for (const [name, value] of Object.entries(head)) {
    if (name === '__metadata__') continue;
    if (!isObject(value)) fail(8, `tensor '${name}': expected { dtype, shape, data_offsets }`);
    const { dtype, shape, data_offsets: offsets } = value as Record<string, unknown>;
    const plexusDType = typeof dtype === 'string' && Object.hasOwn(FROM_FILE, dtype) ? FROM_FILE[dtype] : undefined;
    if (!plexusDType) fail(8, `tensor '${name}': unknown dtype ${JSON.stringify(dtype)} (expected F32, F64, I32 or BOOL)`, DTypeError);
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) {
      fail(8, `tensor '${name}': shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`, ShapeError);
    }
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && (o as number) >= 0)) {
      fail(8, `tensor '${name}': data_offsets must be [begin, end] non-negative integers, got ${JSON.stringify(offsets)}`);
    }
    const [begin, end] = offsets as [number, number];
    if (begin > end) fail(dataStart + begin, `tensor '${name}': data_offsets [${begin}, ${end}] end before they begin`);
    const dims = shape as number[];
    const expected = sizeOf(dims) * ITEM_BYTES[plexusDType as DType];
    if (end - begin !== expected) {
      fail(dataStart + begin, `tensor '${name}': shape [${dims.join(',')}] of ${dtype as string} needs ${expected} bytes but data_offsets [${begin}, ${end}] hold ${end - begin}`, ShapeError);
    }
    entries.push({ name, dtype: plexusDType as DType, shape: dims, begin, end });
  }

  // Offsets must tile the data section: sorted, no overlap, no gap, nothing past its end.
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  for (const e of sorted) {
    if (e.begin < cursor) fail(dataStart + e.begin, `tensor '${e.name}': data_offsets [${e.begin}, ${e.end}] overlap the previous tensor's bytes (which end at ${cursor})`);
    if (e.begin > cursor) fail(dataStart + cursor, `tensor '${e.name}': a gap of ${e.begin - cursor} bytes before its data_offsets [${e.begin}, ${e.end}]`);
    if (e.end > dataLength) {
      fail(dataStart + e.begin, `tensor '${e.name}': truncated data: data_offsets [${e.begin}, ${e.end}] reach past the end of the data section (${dataLength} bytes; the file has ${bytes.length})`);
    }
    cursor = e.end;
  }
  if (cursor !== dataLength) fail(dataStart + cursor, `${dataLength - cursor} bytes after the last tensor belong to no tensor`);

  const tensors: Record<string, HostTensor> = {};
  for (const e of entries) {
    const data = allocArray(e.dtype, sizeOf(e.shape));
    const src = bytes.subarray(dataStart + e.begin, dataStart + e.end);
    // A copy into an aligned array (the bytes may sit at any offset of the file's buffer).
    const dst = new Uint8Array(data.buffer);
    if (LITTLE_ENDIAN || data.BYTES_PER_ELEMENT === 1) dst.set(src);
    else {
      const w = data.BYTES_PER_ELEMENT;
      for (let i = 0; i < src.length; i += w) for (let j = 0; j < w; j++) dst[i + j] = src[i + w - 1 - j];
    }
    if (e.dtype === 'bool') {
      const bad = data.findIndex((v) => v > 1);
      if (bad >= 0) fail(dataStart + e.begin + bad, `tensor '${e.name}': BOOL byte ${data[bad]} is neither 0 nor 1`);
    }
    tensors[e.name] = { dtype: e.dtype, shape: e.shape, data };
  }
  return { tensors, metadata };
}

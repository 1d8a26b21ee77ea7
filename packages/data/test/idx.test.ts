import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { ArgumentError } from '@plexus/tensor';
import { parseIdx, readIdx } from '../src/index.js';
import { expectError, removeTempDirs, tempDir, values } from './helpers.js';

afterAll(removeTempDirs);

/** Header bytes: 0, 0, type, ndim, then big-endian uint32 dims. */
function header(type: number, dims: number[]): number[] {
  return [0, 0, type, dims.length, ...dims.flatMap((d) => [(d >>> 24) & 255, (d >>> 16) & 255, (d >>> 8) & 255, d & 255])];
}

describe('parseIdx', () => {
  it('reads a hand-built ubyte image file: 2 images of 2×3', () => {
    const bytes = Uint8Array.from([...header(0x08, [2, 2, 3]), 0, 1, 2, 3, 4, 255, 10, 20, 30, 40, 50, 60]);
    expect(Array.from(bytes.subarray(0, 16))).toEqual([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3]);
    const a = parseIdx(bytes);
    expect(a.type).toBe('ubyte');
    expect(a.shape).toEqual([2, 2, 3]);
    expect(Array.from(a.data)).toEqual([0, 1, 2, 3, 4, 255, 10, 20, 30, 40, 50, 60]);
  });

  it('reads the signed and wide types big-endian', () => {
    expect(Array.from(parseIdx(Uint8Array.from([...header(0x09, [2]), 0xff, 0x7f])).data)).toEqual([-1, 127]);
    expect(Array.from(parseIdx(Uint8Array.from([...header(0x0b, [2]), 0x01, 0x02, 0xff, 0xfe])).data)).toEqual([258, -2]);
    expect(Array.from(parseIdx(Uint8Array.from([...header(0x0c, [1]), 0x80, 0, 0, 1])).data)).toEqual([-2147483647]);
    // 1.5 as float32 is 0x3fc00000; -2 as float64 is 0xc000000000000000.
    expect(Array.from(parseIdx(Uint8Array.from([...header(0x0d, [1]), 0x3f, 0xc0, 0, 0])).data)).toEqual([1.5]);
    expect(Array.from(parseIdx(Uint8Array.from([...header(0x0e, [1]), 0xc0, 0, 0, 0, 0, 0, 0, 0])).data)).toEqual([-2]);
  });

  it('names the offset and the problem for malformed data', () => {
    expectError(() => parseIdx(Uint8Array.from([0, 0, 8]), 'x.idx'), ArgumentError, 'x.idx at byte offset 0', 'truncated header');
    expectError(() => parseIdx(Uint8Array.from([1, 0, 8, 1, 0, 0, 0, 0]), 'x.idx'), ArgumentError, 'offset 0', 'bad magic', '0x01 0x00');
    expectError(() => parseIdx(Uint8Array.from([0x1f, 0x8b, 8, 0]), 'x.idx'), ArgumentError, 'gzip');
    expectError(() => parseIdx(Uint8Array.from([0, 0, 0x0a, 1, 0, 0, 0, 0])), ArgumentError, 'offset 2', 'unknown type code 0x0a');
    expectError(() => parseIdx(Uint8Array.from([0, 0, 8, 2, 0, 0, 0, 1])), ArgumentError, 'offset 8', '2 dimensions need 12 header bytes');
    expectError(() => parseIdx(Uint8Array.from([...header(0x0c, [3]), 0, 0, 0, 1, 0, 0])), ArgumentError, 'offset 8', 'truncated data', 'need 12 bytes, only 6');
    expectError(() => parseIdx(Uint8Array.from([...header(0x08, [2]), 1, 2, 3])), ArgumentError, 'offset 10', 'dims mismatch', '1 extra');
  });
});

describe('readIdx', () => {
  const labels = Uint8Array.from([...header(0x08, [4]), 7, 2, 1, 0]);

  it('reads a file into an int32 tensor of its shape, or another dtype', () => {
    const dir = tempDir();
    const path = join(dir, 'labels-idx1-ubyte');
    writeFileSync(path, labels);
    const t = readIdx(path);
    expect(t.dtype).toBe('int32');
    expect(t.shape).toEqual([4]);
    expect(values(t)).toEqual([7, 2, 1, 0]);
    expect(readIdx(path, { dtype: 'float32' }).dtype).toBe('float32');
  });

  it('inflates gzip data, detected by its magic bytes', () => {
    const dir = tempDir();
    const path = join(dir, 'labels.gz');
    writeFileSync(path, gzipSync(labels));
    expect(values(readIdx(path))).toEqual([7, 2, 1, 0]);
    expect(values(readIdx(gzipSync(labels)))).toEqual([7, 2, 1, 0]);
  });

  it('names the file in errors, including a corrupt gzip stream', () => {
    const dir = tempDir();
    const path = join(dir, 'short.idx');
    writeFileSync(path, labels.subarray(0, 10));
    expectError(() => readIdx(path), ArgumentError, path, 'truncated data');
    const gz = join(dir, 'bad.gz');
    writeFileSync(gz, Uint8Array.from([0x1f, 0x8b, 1, 2, 3]));
    expectError(() => readIdx(gz), ArgumentError, gz, 'could not be inflated');
  });
});

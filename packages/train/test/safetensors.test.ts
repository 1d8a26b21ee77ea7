import '@plexus/backend-js';
import { existsSync, readFileSync, readdirSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DTypeError, PlexusError, ShapeError } from '@plexus/tensor';
import type { HostTensor } from '../src/index.js';
import { MAX_HEADER_BYTES, concatChunks, decodeSafetensors, encodeSafetensors, load, writeFileAtomic } from '../src/index.js';
import { tempDir } from './helpers.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

/** A file from a header string and data bytes, with the 8-byte little-endian length in front. */
function fileOf(header: string, data: Uint8Array | number[] = [], declaredLength?: number): Uint8Array {
  const h = enc(header);
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(declaredLength ?? h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

describe('safetensors codec', () => {
  it('writes the reference layout byte for byte (I32 [2,2] zeros, header padded to 8)', () => {
    const bytes = concatChunks(encodeSafetensors({ test: { dtype: 'int32', shape: [2, 2], data: new Int32Array(4) } }));
    // The header JSON is 60 bytes; 4 spaces make 8 + 64 a multiple of 8.
    const json = '{"test":{"dtype":"I32","shape":[2,2],"data_offsets":[0,16]}}';
    expect(json.length).toBe(60);
    expect(Array.from(bytes)).toEqual(Array.from(fileOf(`${json}    `, new Uint8Array(16))));
  });

  it('reads a file with metadata and an unpadded header written by another implementation', () => {
    const header = '{"__metadata__":{"framework":"pt"},"test1":{"dtype":"I32","shape":[2,2],"data_offsets":[0,16]}}       ';
    const data = new Uint8Array(new Int32Array([1, 2, 3, -4]).buffer);
    const r = decodeSafetensors(fileOf(header, data));
    expect(r.metadata).toEqual({ framework: 'pt' });
    expect(r.tensors.test1.dtype).toBe('int32');
    expect(r.tensors.test1.shape).toEqual([2, 2]);
    expect(Array.from(r.tensors.test1.data)).toEqual([1, 2, 3, -4]);
  });

  it('round-trips every dtype, shapes with zeros and scalars, and metadata', () => {
    const tensors: Record<string, HostTensor> = {
      f32: { dtype: 'float32', shape: [2, 3], data: Float32Array.from([1.5, -2, 3.25, Math.fround(0.1), Infinity, NaN]) },
      f64: { dtype: 'float64', shape: [3], data: Float64Array.from([0.1, -1e300, Number.MIN_VALUE]) },
      i32: { dtype: 'int32', shape: [1, 2, 2], data: Int32Array.from([2147483647, -2147483648, 0, 7]) },
      b: { dtype: 'bool', shape: [5], data: Uint8Array.from([1, 0, 0, 1, 1]) },
      empty: { dtype: 'float32', shape: [0, 4], data: new Float32Array(0) },
      scalar: { dtype: 'float64', shape: [], data: Float64Array.from([42]) },
    };
    const meta = { a: 'x', json: '{"k":[1,2]}' };
    const bytes = concatChunks(encodeSafetensors(tensors, meta));
    const r = decodeSafetensors(bytes);
    expect(r.metadata).toEqual(meta);
    expect(Object.keys(r.tensors)).toEqual(Object.keys(tensors));
    for (const [k, t] of Object.entries(tensors)) {
      expect(r.tensors[k].dtype).toBe(t.dtype);
      expect(r.tensors[k].shape).toEqual(t.shape);
      expect(r.tensors[k].data.constructor).toBe(t.data.constructor);
      expect(Array.from(r.tensors[k].data)).toEqual(Array.from(t.data));
    }
    // The data section starts 8-byte aligned.
    expect(Number(new DataView(bytes.buffer).getBigUint64(0, true)) % 8).toBe(0);
  });

  it('rejects bad input when encoding', () => {
    expect(() => encodeSafetensors({ x: { dtype: 'float32', shape: [3], data: new Float32Array(2) } })).toThrow(ShapeError);
    expect(() => encodeSafetensors({ __metadata__: { dtype: 'float32', shape: [], data: new Float32Array(1) } })).toThrow(/reserved/);
    expect(() => encodeSafetensors({}, { n: 1 as unknown as string })).toThrow(/metadata values must be strings/);
  });

  describe('corrupt files are rejected naming the file, the offset and the problem', () => {
    const good = '{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}';
    const data8 = new Uint8Array(8);
    const cases: [string, Uint8Array, RegExp, typeof PlexusError][] = [
      ['too short', new Uint8Array(5), /at byte 0: the file has 5 bytes, too short for the 8-byte header length/, PlexusError],
      ['huge header', fileOf('{}', [], MAX_HEADER_BYTES + 1), /at byte 0: header length 100000001 exceeds the limit of 100000000 bytes/, PlexusError],
      ['header past the end', fileOf('{}', [], 500), /at byte 0: header length 500 goes beyond the end of the file \(10 bytes\)/, PlexusError],
      ['not JSON', fileOf('{"w":', []), /at byte 8: the header is not valid UTF-8 JSON/, PlexusError],
      ['not an object', fileOf('[1,2]'), /at byte 8: the header must be a JSON object/, PlexusError],
      ['unknown dtype', fileOf('{"w":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}', new Uint8Array(4)), /tensor 'w': unknown dtype "F16"/, DTypeError],
      ['bad shape', fileOf('{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}', new Uint8Array(4)), /tensor 'w': shape must be an array of non-negative integers/, ShapeError],
      ['shape vs bytes', fileOf('{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}', data8), /at byte 62: tensor 'w': shape \[3\] of F32 needs 12 bytes but data_offsets \[0, 8\] hold 8/, ShapeError],
      ['reversed offsets', fileOf('{"w":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}}', data8), /data_offsets \[8, 0\] end before they begin/, PlexusError],
      ['truncated data', fileOf(good, new Uint8Array(5)), /at byte 62: tensor 'w': truncated data: data_offsets \[0, 8\] reach past the end of the data section \(5 bytes; the file has 67\)/, PlexusError],
      [
        'overlap',
        fileOf('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', data8),
        /tensor 'b': data_offsets \[4, 8\] overlap the previous tensor's bytes \(which end at 8\)/,
        PlexusError,
      ],
      ['gap', fileOf('{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', data8), /tensor 'a': a gap of 4 bytes before its data_offsets \[4, 8\]/, PlexusError],
      ['trailing bytes', fileOf(good, new Uint8Array(12)), /4 bytes after the last tensor belong to no tensor/, PlexusError],
      ['bad bool', fileOf('{"b":{"dtype":"BOOL","shape":[2],"data_offsets":[0,2]}}', [1, 7]), /BOOL byte 7 is neither 0 nor 1/, PlexusError],
      ['bad metadata', fileOf('{"__metadata__":{"k":1}}'), /__metadata__.k must be a string/, PlexusError],
    ];
    for (const [name, bytes, message, Err] of cases) {
      it(name, () => {
        let error: unknown;
        try {
          decodeSafetensors(bytes, 'model.safetensors');
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(Err);
        expect((error as Error).message).toMatch(/^safetensors: model\.safetensors: at byte \d+: /);
        expect((error as Error).message).toMatch(message);
      });
    }

    it('load() names the path of a truncated checkpoint on disk', async () => {
      const dir = tempDir();
      const path = join(dir, 'cut.safetensors');
      const full = concatChunks(encodeSafetensors({ w: { dtype: 'float32', shape: [4], data: new Float32Array(4) } }));
      writeFileSync(path, full.subarray(0, full.length - 3));
      await expect(load(path)).rejects.toThrow(`safetensors: ${path}: at byte`);
      await expect(load(join(dir, 'missing.safetensors'))).rejects.toThrow(/load: cannot read .*missing\.safetensors/);
    });
  });
});

describe('writeFileAtomic', () => {
  it('keeps the previous file intact when a write fails midway, and leaves no temporary file', () => {
    const dir = tempDir();
    const path = join(dir, 'ckpt.safetensors');
    writeFileAtomic(path, [enc('old checkpoint')]);
    let calls = 0;
    // The second write call "crashes": half of the new bytes are already on disk by then.
    const failing = (fd: number, buf: Uint8Array, off: number, len: number): number => {
      if (++calls === 2) throw new Error('EIO: simulated crash');
      return writeSyncPart(fd, buf, off, Math.min(len, 4));
    };
    expect(() => writeFileAtomic(path, [enc('new checkpoint bytes')], { write: failing })).toThrow(/could not write .*ckpt\.safetensors: EIO: simulated crash; the previous file, if any, is unchanged/);
    expect(readFileSync(path, 'utf8')).toBe('old checkpoint');
    expect(readdirSync(dir)).toEqual(['ckpt.safetensors']);
    // Partial writes are continued until everything is written.
    writeFileAtomic(path, [enc('new '), enc('checkpoint')], { write: (fd, buf, off, len) => writeSyncPart(fd, buf, off, Math.min(len, 3)) });
    expect(readFileSync(path, 'utf8')).toBe('new checkpoint');
    expect(existsSync(path)).toBe(true);
  });
});

function writeSyncPart(fd: number, buf: Uint8Array, off: number, len: number): number {
  return writeSync(fd, buf, off, len);
}

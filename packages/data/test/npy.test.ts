import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ArgumentError, DTypeError, tensor } from '@plexus/tensor';
import { encodeNpy, parseNpy, readNpy, writeNpy } from '../src/index.js';
import { expectError, removeTempDirs, tempDir, values } from './helpers.js';

afterAll(removeTempDirs);

const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url);
const fixtureBytes = (name: string) => new Uint8Array(readFileSync(fixture(name)));
const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** An NPY header as numpy writes it: the dict, 20 spare spaces, padded to 64 bytes, '\n'. */
function expectedHeader(dict: string): Uint8Array {
  let text = dict;
  while ((10 + text.length + 1) % 64 !== 0) text += ' ';
  text += '\n';
  return Uint8Array.from([...ascii('\x93NUMPY\x01\x00'), text.length & 255, text.length >> 8, ...ascii(text)]);
}

describe('encodeNpy', () => {
  it('writes the bytes numpy writes for float32 (2, 3)', () => {
    const t = tensor([[0, 0.5, 1], [1.5, 2, 2.5]]);
    const bytes = encodeNpy(t);
    const head = expectedHeader(`{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }${' '.repeat(20)}`);
    expect(head.length).toBe(128);
    expect(Array.from(bytes.subarray(0, 128))).toEqual(Array.from(head));
    // 0.5 as float32 little-endian is 00 00 00 3f.
    expect(Array.from(bytes.subarray(132, 136))).toEqual([0, 0, 0, 0x3f]);
    // The file numpy 2 wrote for np.arange(6, dtype='<f4').reshape(2, 3) * 0.5:
    expect(Array.from(bytes)).toEqual(Array.from(fixtureBytes('f4_2x3.npy')));
  });

  it('matches numpy for bool, 1-D, scalars, uint8 and int32', () => {
    expect(Array.from(encodeNpy(tensor([[true, false], [false, true]])))).toEqual(Array.from(fixtureBytes('b1_2x2.npy')));
    expect(Array.from(encodeNpy(tensor([-1, 0, 2147483647], { dtype: 'int32' })))).toEqual(Array.from(fixtureBytes('i4_3.npy')));
    expect(Array.from(encodeNpy(tensor(3.5)))).toEqual(Array.from(fixtureBytes('scalar_f4.npy')));
    const u1 = tensor([0, 30, 60, 90, 120, 150, 180, 210], [2, 2, 2], { dtype: 'int32' });
    expect(Array.from(encodeNpy(u1, { descr: '|u1' }))).toEqual(Array.from(fixtureBytes('u1_2x2x2.npy')));
    expect(Array.from(encodeNpy({ data: Float64Array.of(1.5, -2.25, 1e300, -0), shape: [4] }))).toEqual(Array.from(fixtureBytes('f8_4.npy')));
  });

  it('keeps the data 64-byte aligned for any rank', () => {
    for (const shape of [[1], [123456789], [2, 3, 4, 5, 6, 7, 8]]) {
      const bytes = encodeNpy({ data: new Float32Array(0), shape: shape.map(() => 0) });
      expect(bytes.length % 64).toBe(0);
      expect(bytes[bytes.length - 1]).toBe(10);
    }
  });

  it('rejects |u1 for values outside 0..255 and a mismatched descr', () => {
    expectError(() => encodeNpy(tensor([256], { dtype: 'int32' }), { descr: '|u1' }), ArgumentError, '0..255', '256');
    expectError(() => encodeNpy(tensor([1]), { descr: '<i4' }), DTypeError, "'<f4'");
    expectError(() => encodeNpy({ data: new Float32Array(3), shape: [2, 2] }), ArgumentError, 'do not fill');
  });
});

describe('readNpy', () => {
  it('reads files numpy wrote, in every supported dtype and version', () => {
    const f4 = readNpy(fixture('f4_2x3.npy'));
    expect(f4.dtype).toBe('float32');
    expect(f4.shape).toEqual([2, 3]);
    expect(values(f4)).toEqual([0, 0.5, 1, 1.5, 2, 2.5]);
    const f8 = readNpy(fixture('f8_4.npy'));
    expect(f8.dtype).toBe('float64');
    expect(values(f8)).toEqual([1.5, -2.25, 1e300, -0]);
    expect(values(readNpy(fixture('i4_3.npy')))).toEqual([-1, 0, 2147483647]);
    const b = readNpy(fixture('b1_2x2.npy'));
    expect(b.dtype).toBe('bool');
    expect(values(b)).toEqual([1, 0, 0, 1]);
    const u1 = readNpy(fixture('u1_2x2x2.npy'));
    expect(u1.dtype).toBe('int32');
    expect(u1.shape).toEqual([2, 2, 2]);
    expect(values(u1)).toEqual([0, 30, 60, 90, 120, 150, 180, 210]);
    expect(values(readNpy(fixture('i8_3.npy')))).toEqual([7, -8, 9]);
    expect(readNpy(fixture('scalar_f4.npy')).shape).toEqual([]);
    expect(values(readNpy(fixture('be_f4.npy')))).toEqual([1, 2]);
    expect(values(readNpy(fixture('v2_f4.npy')))).toEqual([1, 2, 3]);
  });

  it('round-trips through writeNpy, leaving no temporary file', () => {
    const dir = tempDir();
    for (const t of [
      tensor([[1.25, -2], [3, 4e-8]]),
      tensor([1e-300, 2], { dtype: 'float64' }),
      tensor([[-5, 6, 7]], { dtype: 'int32' }),
      tensor([true, false, true]),
      tensor(7),
    ]) {
      const path = join(dir, 'a.npy');
      writeNpy(path, t);
      const back = readNpy(path);
      expect(back.dtype).toBe(t.dtype);
      expect(back.shape).toEqual(t.shape);
      expect(values(back)).toEqual(values(t));
    }
    expect(readdirSync(dir)).toEqual(['a.npy']);
  });

  it('explains a Fortran-order file', () => {
    expectError(() => readNpy(fixture('fortran.npy')), ArgumentError, 'fortran.npy', 'Fortran', 'np.ascontiguousarray');
  });

  it('names the offset and the problem in malformed files', () => {
    const good = fixtureBytes('f4_2x3.npy');
    expectError(() => parseNpy(ascii('NUMPY\x01\x00'), 'a.npy'), ArgumentError, 'a.npy at byte offset 0', 'bad magic');
    const v9 = good.slice();
    v9[6] = 9;
    expectError(() => parseNpy(v9, 'a.npy'), ArgumentError, 'offset 6', 'version 9.0');
    expectError(() => parseNpy(good.subarray(0, 60), 'a.npy'), ArgumentError, 'offset 10', 'truncated header');
    expectError(() => parseNpy(good.subarray(0, 140), 'a.npy'), ArgumentError, 'offset 128', 'truncated data', 'needs 24 bytes, only 12');
    expectError(() => parseNpy(Uint8Array.from([...good, 0]), 'a.npy'), ArgumentError, 'offset 152', '1 extra');
    const head = (dict: string) => Uint8Array.from([...expectedHeader(dict)]);
    expectError(() => parseNpy(head("{'descr': '<c8', 'fortran_order': False, 'shape': (0,), }")), ArgumentError, "unsupported dtype '<c8'");
    expectError(() => parseNpy(head("{'descr': '<f4', 'shape': (0,), }")), ArgumentError, "lacks the 'fortran_order' key");
    expectError(() => parseNpy(head("{'descr': '<f4', 'fortran_order': False, 'shape': (2 3), }")), ArgumentError, 'malformed header', "expected ',' or ')'");
    expectError(() => parseNpy(head("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (0,), }")), ArgumentError, 'structured dtypes');
    const big = Uint8Array.from([...head("{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }"), 0, 0, 0, 0, 1, 0, 0, 0]);
    expectError(() => parseNpy(big), ArgumentError, 'value 4294967296', 'does not fit int32');
  });

  it('names the file when it cannot be read', () => {
    const path = join(tempDir(), 'nope.npy');
    expectError(() => readNpy(path), ArgumentError, 'cannot read', path);
    writeFileSync(path, 'not numpy at all');
    expectError(() => readNpy(path), ArgumentError, path, 'bad magic');
  });
});

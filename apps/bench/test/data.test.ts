import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateData } from '../src/data.js';
import { writeDataFile } from '../src/datafile.js';
import { Mulberry32, hashString } from '../src/prng.js';
import { workload } from '../src/spec.js';

describe('the shared generator', () => {
  it('is mulberry32: the same seed gives the same, known sequence', () => {
    const g = new Mulberry32(42);
    // mulberry32(42)'s first outputs, as in the reference C implementation.
    expect([g.nextUint32(), g.nextUint32(), g.nextUint32()]).toEqual([2581720956, 1925393290, 3661312704]);
    const a = new Mulberry32(7);
    const b = new Mulberry32(7);
    for (let i = 0; i < 100; i++) expect(a.next()).toBe(b.next());
  });

  it('hashes names with FNV-1a', () => {
    expect(hashString('')).toBe(0x811c9dc5);
    expect(hashString('a')).toBe(0xe40c292c);
  });

  it('gives every workload the spec shapes, PyTorch-style init bounds and labels in range', () => {
    const d = generateData(workload('w2').config.full);
    expect(d.inputs.x.shape).toEqual([128, 784]);
    expect(d.params.map(([n, h]) => `${n}:${h.shape.join('x')}`)).toEqual([
      'fc0.w:784x512', 'fc0.b:512', 'fc1.w:512x256', 'fc1.b:256', 'fc2.w:256x10', 'fc2.b:10',
    ]);
    const w = Array.from(d.params[0][1].data);
    expect(w.reduce((a, b) => Math.max(a, b))).toBeLessThan(1 / Math.sqrt(784));
    expect(w.reduce((a, b) => Math.min(a, b))).toBeGreaterThanOrEqual(-1 / Math.sqrt(784));
    expect([...d.inputs.y.data].every((v) => Number.isInteger(v) && v >= 0 && v < 10)).toBe(true);
    const cnn = generateData(workload('w3-train').config.full);
    expect(cnn.params.find(([n]) => n === 'fc1.w')?.[1].shape).toEqual([3136, 128]);
  });
});

describe('writeDataFile', () => {
  it('writes every tensor at its offset, so another language reads back the same numbers', () => {
    const dir = mkdtempSync(join(os.tmpdir(), 'plexus-bench-data-'));
    try {
      const header = writeDataFile(dir, 'w2', 'tiny');
      const bin = readFileSync(join(dir, 'w2.bin'));
      const d = generateData(workload('w2').config.tiny);
      const x = header.inputs.x;
      expect(new Float32Array(bin.buffer.slice(bin.byteOffset + x.offset, bin.byteOffset + x.offset + 4 * x.length))).toEqual(d.inputs.x.data);
      const y = header.inputs.y;
      expect(y.dtype).toBe('int32');
      expect(new Int32Array(bin.buffer.slice(bin.byteOffset + y.offset, bin.byteOffset + y.offset + 4 * y.length))).toEqual(d.inputs.y.data);
      expect(JSON.parse(readFileSync(join(dir, 'w2.json'), 'utf8')).params.map(([n]: [string]) => n)).toEqual(d.params.map(([n]) => n));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

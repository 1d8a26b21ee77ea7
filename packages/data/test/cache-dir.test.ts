import { writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getCacheDir } from '../src/index.js';
import { packageCacheDir } from '../src/node/cache-dir.js';
import { removeTempDirs, tempDir } from './helpers.js';

afterAll(removeTempDirs);

describe('getCacheDir', () => {
  it('uses PLEXUS_CACHE_DIR when set', () => {
    const dir = join(tempDir(), 'custom');
    expect(getCacheDir({ env: { PLEXUS_CACHE_DIR: dir } })).toBe(dir);
  });

  it('uses node_modules/.cache/plexus of the project the package is installed in', () => {
    const installed = ['', 'app', 'node_modules', '.pnpm', '@plexus+data@0.1.0', 'node_modules', '@plexus', 'data', 'dist', 'node'].join(sep);
    expect(packageCacheDir(installed)).toBe(['', 'app', 'node_modules', '.cache', 'plexus'].join(sep));
    const root = tempDir();
    const moduleDir = join(root, 'node_modules', '@plexus', 'data', 'dist', 'node');
    expect(getCacheDir({ env: {}, moduleDir })).toBe(join(root, 'node_modules', '.cache', 'plexus'));
  });

  it("uses the package's own node_modules in a source checkout", () => {
    const srcDir = new URL('../src/node', import.meta.url).pathname;
    expect(packageCacheDir(srcDir)).toBe(join(new URL('..', import.meta.url).pathname, 'node_modules', '.cache', 'plexus'));
  });

  it('falls back to the temp directory when the package location is not writable', () => {
    const root = tempDir();
    writeFileSync(join(root, 'node_modules'), 'a file where a directory should be');
    const tmp = tempDir();
    expect(getCacheDir({ env: {}, moduleDir: join(root, 'node_modules', 'x'), tmp })).toBe(join(tmp, 'plexus-cache'));
  });
});

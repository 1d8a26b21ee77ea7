import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// The install-time build must never fail an install: a failed build exits 0 with a warning and
// leaves its reason in build/error.txt. Run on a copy of the build script with a tiny package
// whose only source does not compile.
const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function fixture(withModules: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'plexus-cpu-build-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'scripts'));
  mkdirSync(join(dir, 'native'));
  copyFileSync(join(pkg, 'scripts', 'build.mjs'), join(dir, 'scripts', 'build.mjs'));
  writeFileSync(join(dir, 'binding.gyp'), JSON.stringify({ targets: [{ target_name: 'plexus_cpu', sources: ['native/broken.cc'], include_dirs: ['<(napi_include_dir)'] }] }));
  writeFileSync(join(dir, 'native', 'broken.cc'), 'this is not C++;\n');
  if (withModules) symlinkSync(join(pkg, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

// NODE_PATH (set by pnpm) would find the workspace's node-gyp from anywhere.
const run = (dir: string, ...args: string[]) =>
  spawnSync(process.execPath, [join(dir, 'scripts', 'build.mjs'), ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_PATH: '' } });

describe('scripts/build.mjs', () => {
  it('exits 0 with a warning and saves the reason when the code does not compile', () => {
    const dir = fixture(true);
    const res = run(dir);
    expect(res.status).toBe(0);
    expect(res.stderr).toMatch(/backend 'cpu' is unavailable/);
    expect(res.stderr).toMatch(/@plexus\/backend-js/);
    const reason = readFileSync(join(dir, 'build', 'error.txt'), 'utf8');
    expect(reason).toMatch(/broken\.cc/);
    expect(existsSync(join(dir, 'build', 'Release', 'plexus_cpu.node'))).toBe(false);
    // --strict (for development) fails instead.
    expect(run(dir, '--strict').status).toBe(1);
  }, 120_000);

  it('exits 0 and explains when node-gyp is not installed', () => {
    const dir = fixture(false);
    const res = run(dir);
    expect(res.status).toBe(0);
    expect(readFileSync(join(dir, 'build', 'error.txt'), 'utf8')).toMatch(/node-gyp or node-addon-api is not installed/);
  });
});

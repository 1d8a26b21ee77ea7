#!/usr/bin/env node
// Builds the native addon with the machine's C++ compiler through node-gyp. Run by the package's
// `install` script, so it must never make installing fail: on error it prints a short warning,
// saves the reason in build/error.txt (which setBackend('cpu') then reports) and exits 0.
//
//   node scripts/build.mjs            build/Release/plexus_cpu.node (skipped when up to date)
//   node scripts/build.mjs --strict   the same, but a failed build exits 1 (for development)
//   node scripts/build.mjs --force    rebuild even when the sources are unchanged
//   node scripts/build.mjs --asan     -fsanitize=address,undefined into build/asan/ (test:asan)
//
// Nothing is downloaded: Node's headers come from the running node's own prefix
// (<prefix>/include/node, passed to node-gyp as --nodedir), node-addon-api's from node_modules.
// node-gyp works in a staging copy (build/stage) and the finished addon is renamed into place,
// so a rebuild never leaves a half-written addon, and unchanged files are not recompiled.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const asan = args.has('--asan');
const strict = args.has('--strict') || asan;
const require = createRequire(import.meta.url);

const outDir = asan ? join(pkg, 'build', 'asan') : join(pkg, 'build', 'Release');
const addonPath = join(outDir, 'plexus_cpu.node');
const stage = join(pkg, 'build', asan ? 'asan-stage' : 'stage');
const errorFile = join(pkg, 'build', asan ? 'asan-error.txt' : 'error.txt');

function fail(reason) {
  mkdirSync(dirname(errorFile), { recursive: true });
  writeFileSync(errorFile, `${reason.trim()}\n`);
  // A stale addon from older sources must not pass for this build.
  rmSync(addonPath, { force: true });
  console.warn(
    `@plexus/backend-cpu: the native addon was not built, so backend 'cpu' is unavailable ` +
      `(use @plexus/backend-js instead). Reason saved in ${errorFile}:\n  ${reason.trim().split('\n').slice(0, 4).join('\n  ')}`,
  );
  process.exit(strict ? 1 : 0);
}

/** Whether the process that took a lock is still running. */
function ownerAlive(lockDir) {
  let pid;
  try {
    pid = Number(readFileSync(join(lockDir, 'pid'), 'utf8'));
  } catch {
    // No pid yet: the owner is between mkdir and writing it, or died there; trust a young lock.
    try {
      return Date.now() - statSync(lockDir).mtimeMs < 60_000;
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

/** Waits for (and takes) a lock, so that concurrent installs do not build over each other. */
function lock() {
  mkdirSync(join(pkg, 'build'), { recursive: true });
  const path = join(pkg, 'build', asan ? '.asan-lock' : '.lock');
  for (;;) {
    try {
      mkdirSync(path);
      writeFileSync(join(path, 'pid'), String(process.pid));
      process.on('exit', () => rmSync(path, { recursive: true, force: true }));
      return;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      // A lock whose owner is gone belongs to a build that died; a live owner is waited for,
      // however long its build takes on a busy machine.
      if (!ownerAlive(path)) rmSync(path, { recursive: true, force: true });
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500); // sleep 0.5 s
    }
  }
}

/** <prefix> of the node running this script when <prefix>/include/node has Node's headers. */
function nodeDir() {
  const prefix = dirname(dirname(process.execPath));
  return existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? prefix : undefined;
}

/** A digest of everything the binary depends on: unchanged sources need no rebuild. */
function fingerprint(napiInclude) {
  const h = createHash('sha256');
  h.update(`${process.version} ${process.arch} asan=${asan} ${napiInclude}\n`);
  h.update(readFileSync(join(pkg, 'binding.gyp')));
  for (const f of readdirSync(join(pkg, 'native')).sort()) h.update(f).update(readFileSync(join(pkg, 'native', f)));
  return h.digest('hex');
}

/** Copies a file only when its contents changed, so make recompiles only what did. */
function sync(from, to) {
  const data = readFileSync(from);
  if (existsSync(to) && readFileSync(to).equals(data)) return;
  writeFileSync(to, data);
}

lock();
let gyp;
let napiInclude;
try {
  gyp = require.resolve('node-gyp/bin/node-gyp.js');
  // include_dir is relative to the current directory; make runs elsewhere.
  napiInclude = resolve(require('node-addon-api').include_dir);
} catch (e) {
  fail(`node-gyp or node-addon-api is not installed: ${e.message}`);
}
const nodedir = nodeDir();
if (!nodedir) {
  fail(`Node's headers were not found at ${join(dirname(dirname(process.execPath)), 'include', 'node')}; install the Node development headers (e.g. libnode-dev)`);
}

const digest = fingerprint(napiInclude);
const stamp = join(outDir, 'fingerprint.txt');
if (!args.has('--force') && existsSync(addonPath) && existsSync(stamp) && readFileSync(stamp, 'utf8') === digest) {
  console.log('@plexus/backend-cpu: native addon is up to date');
  process.exit(0);
}

// Stage the sources (only changed files are rewritten).
mkdirSync(join(stage, 'native'), { recursive: true });
sync(join(pkg, 'binding.gyp'), join(stage, 'binding.gyp'));
const sources = new Set(readdirSync(join(pkg, 'native')));
for (const f of sources) sync(join(pkg, 'native', f), join(stage, 'native', f));
for (const f of readdirSync(join(stage, 'native'))) if (!sources.has(f)) rmSync(join(stage, 'native', f));

const configured = existsSync(join(stage, 'build', 'Makefile')) && existsSync(join(stage, 'build', 'config.gypi'));
const gypFlags = [`--nodedir=${nodedir}`, '--loglevel=warn'];
// Arguments after `--` go to gyp itself as variable definitions (node-gyp's own --name=value
// options only reach config.gypi, too late for binding.gyp's conditions).
const gypDefines = ['--', `-Dnapi_include_dir=${napiInclude}`, `-Dplexus_asan=${asan ? 1 : 0}`];
const started = Date.now();
const steps = args.has('--force') || !configured
  ? [['clean'], ['configure', ...gypFlags, ...gypDefines], ['build', '--jobs=max', ...gypFlags]]
  : [['configure', ...gypFlags, ...gypDefines], ['build', '--jobs=max', ...gypFlags]];
let output = '';
for (const step of steps) {
  const res = spawnSync(process.execPath, [gyp, ...step], { cwd: stage, encoding: 'utf8' });
  output += `${res.stdout ?? ''}${res.stderr ?? ''}`;
  if (res.error || res.status !== 0) {
    const errors = output.split('\n').filter((l) => /error|Error|ERR!/.test(l)).slice(0, 20).join('\n');
    fail(`node-gyp ${step[0]} ${res.error ? `could not run: ${res.error.message}` : `exited with ${res.status}`}\n${errors || output.slice(-4000)}`);
  }
}
const built = join(stage, 'build', 'Release', 'plexus_cpu.node');
if (!existsSync(built)) fail(`node-gyp finished but ${built} is missing\n${output.slice(-4000)}`);
mkdirSync(outDir, { recursive: true });
copyFileSync(built, `${addonPath}.tmp`);
renameSync(`${addonPath}.tmp`, addonPath); // atomic: running processes keep the old file
writeFileSync(stamp, digest);
rmSync(errorFile, { force: true });
console.log(`@plexus/backend-cpu: built ${addonPath} in ${((Date.now() - started) / 1000).toFixed(1)} s`);

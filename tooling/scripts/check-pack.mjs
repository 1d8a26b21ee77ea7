#!/usr/bin/env node
// check:pack: packs every publishable package (packages/*, not private), installs each tarball
// with the Plexus tarballs it needs into a fresh npm project outside the repo, and runs the
// README's `<!-- example -->` block there. This is what a user gets from `npm install`.
// Assumes `pnpm build` ran. Set PLEXUS_KEEP_PACK_DIR=1 to keep the temp folder.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractExample, importedPackages } from './src/readme-example.mjs';
import { ROOT, pnpmCommand, readJson } from './src/workspace.mjs';

const CONCURRENCY = 2;
const EXAMPLE_TIMEOUT_MS = 60_000;
const INSTALL_TIMEOUT_MS = 15 * 60_000;
const isPlexus = (name) => name.startsWith('@plexus/');
const safe = (name) => name.replace(/^@/, '').replace(/\//g, '__');

/** Runs a command; resolves { ok, code, output } and never rejects. */
function run(cmd, args, { cwd, timeout }) {
  return new Promise((resolve) => {
    execFile(
      cmd,
      args,
      { cwd, timeout, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, FORCE_COLOR: '0' } },
      (err, stdout, stderr) => {
        const output = `${stdout ?? ''}${stderr ?? ''}`.trim();
        if (!err) return resolve({ ok: true, code: 0, output });
        const why = err.killed ? `timed out after ${Math.round(timeout / 1000)} s` : `exit ${err.code ?? err.signal}`;
        resolve({ ok: false, code: err.code, why, output: output || err.message });
      },
    );
  });
}

async function pool(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

const indent = (text) => text.split('\n').map((l) => `    ${l}`).join('\n');

// ---- discover packages -------------------------------------------------------------------
const packagesDir = join(ROOT, 'packages');
const packages = [];
for (const entry of existsSync(packagesDir) ? readdirSync(packagesDir, { withFileTypes: true }) : []) {
  const dir = join(packagesDir, entry.name);
  if (!entry.isDirectory() || !existsSync(join(dir, 'package.json'))) continue;
  const json = readJson(join(dir, 'package.json'));
  if (json.private) continue;
  const readme = join(dir, 'README.md');
  const example = existsSync(readme) ? extractExample(readFileSync(readme, 'utf8')) : null;
  packages.push({ dir, rel: `packages/${entry.name}`, json, name: json.name, example });
}
packages.sort((a, b) => a.name.localeCompare(b.name));
if (packages.length === 0) {
  console.error('check:pack: no publishable packages under packages/');
  process.exit(1);
}
const byName = new Map(packages.map((p) => [p.name, p]));

/** The package itself, its @plexus dependencies and peers, and what its example imports, transitively. */
function closure(pkg) {
  const seen = new Set();
  const missing = new Set();
  const visit = (name) => {
    if (seen.has(name)) return;
    const p = byName.get(name);
    if (!p) return void missing.add(name);
    seen.add(name);
    const deps = { ...p.json.dependencies, ...p.json.peerDependencies };
    for (const dep of Object.keys(deps)) if (isPlexus(dep)) visit(dep);
  };
  visit(pkg.name);
  for (const dep of importedPackages(pkg.example ?? '')) if (isPlexus(dep)) visit(dep);
  return { names: [...seen], missing: [...missing] };
}

const work = mkdtempSync(join(tmpdir(), 'plexus-check-pack-'));
const [pnpm, pnpmArgs] = pnpmCommand();

// ---- pack ---------------------------------------------------------------------------------
const tarballs = new Map(); // name -> path, or Error message
await pool(packages, CONCURRENCY, async (pkg) => {
  if (!existsSync(join(pkg.dir, 'dist'))) {
    tarballs.set(pkg.name, new Error(`${pkg.rel}/dist is missing; run \`pnpm build\` first`));
    return;
  }
  const dest = join(work, 'tarballs', safe(pkg.name));
  mkdirSync(dest, { recursive: true });
  const res = await run(pnpm, [...pnpmArgs, 'pack', '--pack-destination', dest], { cwd: pkg.dir, timeout: 120_000 });
  const tgz = readdirSync(dest).find((f) => f.endsWith('.tgz'));
  tarballs.set(pkg.name, res.ok && tgz ? join(dest, tgz) : new Error(`pnpm pack failed (${res.why ?? 'no tarball'})\n${res.output}`));
});

// ---- install and run each example ---------------------------------------------------------
async function check(pkg) {
  const own = tarballs.get(pkg.name);
  if (own instanceof Error) return own.message;
  if (pkg.example === null) return 'README has no <!-- example --> block (a ```ts or ```js fence right after it)';

  const { names, missing } = closure(pkg);
  if (missing.length) return `needs ${missing.join(', ')}, which is not a publishable package under packages/`;
  const broken = names.filter((n) => tarballs.get(n) instanceof Error);
  if (broken.length) return `depends on ${broken.join(', ')}, which could not be packed`;

  const project = join(work, 'projects', safe(pkg.name));
  mkdirSync(project, { recursive: true });
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: `check-${safe(pkg.name)}`, version: '0.0.0', private: true, type: 'module' }, null, 2),
  );
  const install = await run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...names.map((n) => tarballs.get(n))],
    { cwd: project, timeout: INSTALL_TIMEOUT_MS },
  );
  if (!install.ok) return `npm install failed (${install.why})\n${install.output}`;

  // The published entry points must exist in what npm installed.
  const installed = join(project, 'node_modules', ...pkg.name.split('/'));
  const json = readJson(join(installed, 'package.json'));
  const targets = new Set([json.main, json.types].filter(Boolean));
  const walk = (v) => {
    if (typeof v === 'string') targets.add(v);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) if (!k.startsWith('@plexus/')) walk(x);
  };
  walk(json.exports);
  const absent = [...targets].filter((t) => !t.includes('*') && !existsSync(join(installed, t)));
  if (absent.length) return `tarball lacks files its package.json points to: ${absent.join(', ')}`;

  writeFileSync(join(project, 'example.mjs'), pkg.example);
  const ex = await run(process.execPath, ['example.mjs'], { cwd: project, timeout: EXAMPLE_TIMEOUT_MS });
  if (!ex.ok) return `README example failed (${ex.why})\n${ex.output}`;
  return null;
}

let failures = 0;
await pool(packages, CONCURRENCY, async (pkg) => {
  const started = Date.now();
  let problem;
  try {
    problem = await check(pkg);
  } catch (err) {
    problem = err.stack ?? String(err);
  }
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (problem === null) {
    console.log(`ok      ${pkg.name} (${secs}s)`);
  } else {
    failures++;
    console.log(`FAILED  ${pkg.name} (${secs}s): ${indent(problem).trimStart()}`);
  }
});

if (process.env.PLEXUS_KEEP_PACK_DIR) console.log(`check:pack: kept ${work}`);
else rmSync(work, { recursive: true, force: true });
console.log(`check:pack: ${packages.length - failures} ok, ${failures} failed`);
process.exitCode = failures ? 1 : 0;

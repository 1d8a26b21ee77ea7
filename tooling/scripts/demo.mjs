#!/usr/bin/env node
// pnpm demo [name] [...args]: builds apps/<name> with its dependencies, then runs it.
// The name defaults to the first existing app of DEFAULT_APPS; an argument starting with '-'
// is an app argument, not a name.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, localBin, readJson } from './src/workspace.mjs';

const DEFAULT_APPS = ['mnist', 'toy'];
const appsDir = join(ROOT, 'apps');
const hasApp = (name) => existsSync(join(appsDir, name, 'package.json'));
const available = () =>
  existsSync(appsDir)
    ? readdirSync(appsDir, { withFileTypes: true })
        .filter((e) => e.isDirectory() && hasApp(e.name))
        .map((e) => e.name)
        .sort()
    : [];

function fail(message) {
  const apps = available();
  console.error(`demo: ${message}`);
  console.error(apps.length ? `Available apps: ${apps.join(', ')}` : 'No apps exist yet under apps/.');
  console.error('Usage: pnpm demo [name] [...args]');
  process.exit(2);
}

let argv = process.argv.slice(2);
if (argv[0] === '--') argv = argv.slice(1);
let name;
if (argv.length > 0 && !argv[0].startsWith('-')) {
  name = argv[0];
  argv = argv.slice(1);
  if (!hasApp(name)) fail(`no app named "${name}" (looked for apps/${name}/package.json).`);
} else {
  name = DEFAULT_APPS.find(hasApp);
  if (!name) fail(`none of the default apps (${DEFAULT_APPS.join(', ')}) exists.`);
}

const appDir = join(appsDir, name);
const pkgName = readJson(join(appDir, 'package.json')).name;
const turbo = localBin('turbo');
if (!turbo) fail('turbo is not installed; run `npx -y pnpm@9 install` first.');

console.error(`demo: building ${pkgName} and its dependencies…`);
const build = spawnSync(
  turbo,
  // No `...` after the name: `^build` already pulls in the runtime dependencies' builds, while
  // `<pkg>...` would also build everything reachable through devDependencies.
  ['run', 'build', `--filter=${pkgName}`, '--output-logs=errors-only'],
  {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
  },
);
if (build.status !== 0) {
  process.stderr.write(build.stdout ?? '');
  process.stderr.write(build.stderr ?? '');
  console.error(`demo: build of ${pkgName} failed${build.error ? `: ${build.error.message}` : ''}`);
  process.exit(build.status || 1);
}

const entry = join(appDir, 'dist', 'main.js');
if (!existsSync(entry)) fail(`apps/${name} built, but apps/${name}/dist/main.js does not exist.`);

const run = spawnSync(process.execPath, [entry, ...argv], { stdio: 'inherit' });
if (run.error) {
  console.error(`demo: could not start apps/${name}: ${run.error.message}`);
  process.exit(1);
}
if (run.signal) process.kill(process.pid, run.signal);
process.exit(run.status ?? 1);

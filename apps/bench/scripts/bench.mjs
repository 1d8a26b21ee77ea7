#!/usr/bin/env node
// `pnpm bench [...args]`: builds apps/bench and its dependencies (turbo, cached), tries to build
// the optional native backend, then runs dist/main.js with the arguments. A backend-cpu that
// fails to build does not stop the run: its cells say why.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const appDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(appDir, '..', '..');
const turbo = join(root, 'node_modules', '.bin', 'turbo');
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1' };

function build(filter) {
  if (!existsSync(turbo)) return { ok: false, log: 'turbo is not installed; run `npx -y pnpm@9 install` first' };
  const r = spawnSync(turbo, ['run', 'build', `--filter=${filter}`, '--output-logs=errors-only'], { cwd: root, encoding: 'utf8', env });
  return { ok: r.status === 0, log: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? r.error.message : ''}` };
}

const args = process.argv.slice(2).filter((a) => a !== '--');
const wantsHelp = args.includes('--help') || args.includes('-h');

if (!wantsHelp) console.error('bench: building @plexus/app-bench and its dependencies…');
const app = build('@plexus/app-bench');
if (!app.ok) {
  process.stderr.write(app.log);
  console.error('bench: the build of @plexus/app-bench failed');
  process.exit(1);
}

const cpuPkg = join(root, 'packages', 'backend-cpu', 'package.json');
if (!wantsHelp && existsSync(cpuPkg)) {
  const name = JSON.parse(readFileSync(cpuPkg, 'utf8')).name ?? '@plexus/backend-cpu';
  console.error(`bench: building ${name} (optional)…`);
  const cpu = build(name);
  if (!cpu.ok) {
    const lines = cpu.log.split('\n').map((l) => l.trim()).filter((l) => /error/i.test(l));
    const first = (lines[0] ?? cpu.log.trim().split('\n').pop() ?? 'unknown error').replace(/^\S+:build:\s*/, '');
    env.PLEXUS_BENCH_CPU_BUILD_ERROR = first.length > 140 ? `${first.slice(0, 140)}…` : first;
    console.error(`bench: ${name} did not build; its cells will say so`);
  }
}

const run = spawnSync(process.execPath, [join(appDir, 'dist', 'main.js'), ...args], { stdio: 'inherit', env });
if (run.error) {
  console.error(`bench: could not start apps/bench: ${run.error.message}`);
  process.exit(1);
}
if (run.signal) process.kill(process.pid, run.signal);
process.exit(run.status ?? 1);

#!/usr/bin/env node
// Runs every workspace package's tests through turbo, then prints one summary line, always last:
//   "N passed, N failed" or "N passed, N failed, N skipped".
// Exit code is non-zero when turbo failed, any test failed, or no test ran at all.
// Run it through pnpm (`pnpm test`): turbo needs pnpm on PATH.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import { formatSummary, summarize, workspaceDirs } from './src/summary.mjs';
import { ROOT, localBin, readJson } from './src/workspace.mjs';

const RESULTS = 'test-results.json';
const packages = workspaceDirs(ROOT).map((dir) => {
  const json = readJson(join(dir, 'package.json'));
  return { dir, name: json.name ?? relative(ROOT, dir), hasTest: Boolean(json.scripts?.test), file: join(dir, RESULTS) };
});

// Never count a result left over from an earlier run. (A turbo cache hit restores the file from
// the cache: a genuine result for the current inputs.)
for (const p of packages) rmSync(p.file, { force: true });

// --summarize writes .turbo/runs/<id>.json with each task's exit code; we read it, then delete it.
const runsDir = join(ROOT, '.turbo', 'runs');
const listRuns = () => (existsSync(runsDir) ? readdirSync(runsDir).filter((f) => f.endsWith('.json')) : []);
const runsBefore = new Set(listRuns());

const turboBin = localBin('turbo');
// One package's suite per core: turbo's default of 10 at once on a 2-core machine starves the
// timed tests (a 1,200-step memory loop, the demo smoke runs) past their limits.
const args = ['run', 'test', '--continue', '--summarize', `--concurrency=${availableParallelism()}`];
if (process.env.CI) args.push('--force');
// Colour only for a terminal: logs and CI get plain text.
if (!process.stdout.isTTY || process.env.FORCE_COLOR === '0' || process.env.NO_COLOR) args.push('--no-color');
const turbo = turboBin
  ? spawnSync(turboBin, args, {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
    })
  : { status: null, error: new Error('turbo not found in node_modules/.bin; run `npx -y pnpm@9 install` first') };
if (turbo.error) console.error(`test-all: ${turbo.error.message}`);
const turboOk = turbo.status === 0;

const exitCodes = new Map();
for (const run of listRuns().filter((f) => !runsBefore.has(f))) {
  const path = join(runsDir, run);
  try {
    for (const task of JSON.parse(readFileSync(path, 'utf8')).tasks ?? []) {
      if (task.task === 'test' && typeof task.execution?.exitCode === 'number') {
        exitCodes.set(task.package, task.execution.exitCode);
      }
    }
  } catch {
    // An unreadable run summary only loses the per-task exit codes; turbo's status still counts.
  }
  rmSync(path, { force: true });
}

const total = summarize(
  packages
    .filter((p) => p.hasTest || existsSync(p.file))
    .map((p) => ({ name: p.name, file: p.file, expected: p.hasTest, exitCode: exitCodes.get(p.name) })),
  { root: ROOT },
);
for (const note of total.notes) console.error(`test-all: ${note}`);
if (!turboOk) console.error(`test-all: turbo run test failed (exit ${turbo.status ?? turbo.signal})`);
if (total.passed + total.failed === 0) console.error('test-all: no tests ran');

const ok = turboOk && total.failed === 0 && total.passed + total.failed > 0;
console.log(formatSummary(total));
process.exitCode = ok ? 0 : 1;

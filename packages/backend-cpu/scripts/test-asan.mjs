#!/usr/bin/env node
// test:asan — builds the addon with -fsanitize=address,undefined into build/asan, then runs the
// conformance suite, the malformed-call fuzz test and the kernel tests on it. Node itself is not
// instrumented, so libasan is preloaded (LD_PRELOAD of `g++ -print-file-name=libasan.so`) and
// leak detection is off (Node leaks by design at exit). Any sanitizer report aborts the run.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
const cxx = process.env.CXX || 'g++';

const build = spawnSync(process.execPath, [join(pkg, 'scripts', 'build.mjs'), '--asan'], { cwd: pkg, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const addon = join(pkg, 'build', 'asan', 'plexus_cpu.node');

const libasan = spawnSync(cxx, ['-print-file-name=libasan.so'], { encoding: 'utf8' }).stdout.trim();
if (!libasan || !existsSync(libasan)) {
  console.error(`test:asan: ${cxx} -print-file-name=libasan.so gave '${libasan}', which does not exist`);
  process.exit(1);
}

const files = process.argv.slice(2);
const tests = files.length ? files : ['test/conformance.test.ts', 'test/conformance-fused.test.ts', 'test/safety.test.ts', 'test/kernels.test.ts'];
// vitest from this package's or an enclosing node_modules (a workspace keeps it at the root).
let vitest = 'vitest';
for (let dir = pkg; dir !== dirname(dir); dir = dirname(dir)) {
  const bin = join(dir, 'node_modules', '.bin', 'vitest');
  if (existsSync(bin)) {
    vitest = bin;
    break;
  }
}
console.log(`test:asan: ${addon} with LD_PRELOAD=${libasan}`);
const res = spawnSync(vitest, ['run', ...tests], {
  cwd: pkg,
  stdio: 'inherit',
  env: {
    ...process.env,
    LD_PRELOAD: libasan,
    ASAN_OPTIONS: 'detect_leaks=0:abort_on_error=1:halt_on_error=1',
    UBSAN_OPTIONS: 'print_stacktrace=1:halt_on_error=1',
    PLEXUS_CPU_ADDON: addon,
  },
});
process.exit(res.status ?? 1);

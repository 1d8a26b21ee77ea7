#!/usr/bin/env node
// pnpm create-backend <name> [--dir <path>] [--force]
// Generates @plexus/backend-<name> in packages/backend-<name> (or --dir): a backend that passes the
// conformance suite from the start, delegating to backend-js until its ops are replaced.
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CreateBackendError, ROOT, generate } from './src/generate.mjs';

const USAGE = 'Usage: pnpm create-backend <name> [--dir <path>] [--force]';

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: { dir: { type: 'string' }, force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
} catch (e) {
  console.error(`create-backend: ${e.message}\n${USAGE}`);
  process.exit(2);
}
const { values, positionals } = parsed;
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (positionals.length !== 1) {
  console.error(`create-backend: expected one backend name, got ${positionals.length ? positionals.join(' ') : 'none'}\n${USAGE}`);
  process.exit(2);
}

try {
  // pnpm runs scripts from the workspace root; a relative --dir means the caller's directory.
  const dir = values.dir === undefined ? undefined : resolve(process.env.INIT_CWD ?? process.cwd(), values.dir);
  const r = generate({ name: positionals[0], dir, force: values.force });
  const where = r.inWorkspace ? relative(ROOT, r.dir) || '.' : r.dir;
  console.log(`Created ${r.packageName} in ${where} (${r.files.length} files${r.changeset ? ', plus a changeset' : ''}).`);
  console.log('Next:');
  if (r.workspacePackage) {
    console.log('  pnpm install                 # links the workspace dependencies');
    console.log(`  cd ${where} && npx vitest run   # the conformance suite, green from the start`);
  } else if (r.inWorkspace) {
    // Not matched by pnpm-workspace.yaml: it resolves @plexus packages through the node_modules
    // of the folders above it (as the CI test's copy under tooling/create-backend/.tmp does).
    console.log(`  cd ${where} && npx vitest run   # not a workspace package: move it under packages/ and run pnpm install to make it one`);
  } else {
    console.log(`  cd ${where} && npm install && npx vitest run`);
  }
  console.log(`Then replace the primitives in src/backend.ts one by one (docs/custom-backend.md).`);
} catch (e) {
  if (e instanceof CreateBackendError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}

#!/usr/bin/env node
import { UsageError, printResult, selectBackend, traceReport } from '@plexus/app-kit';
import { USAGE, parseOptions } from './options.js';
import { run } from './run.js';

let parsed: ReturnType<typeof parseOptions>;
try {
  parsed = parseOptions(process.argv.slice(2));
} catch (e) {
  if (!(e instanceof UsageError)) throw e;
  console.error(`gnn: ${e.message}\n\n${USAGE}`);
  process.exit(2);
}
if (parsed.help) {
  console.log(USAGE);
  process.exit(0);
}

const argv = process.argv.slice(2).join(' ');
console.log(`command: pnpm demo gnn${argv ? ` ${argv}` : ''}`);
await selectBackend(parsed.backend);
const r = await run(parsed.options);
const report = await traceReport();
if (report) console.log(report);
const { files: _files, ...summary } = r;
printResult(summary);

#!/usr/bin/env node
/** `pnpm bench`: parses the command line, runs the harness, prints and writes the results. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { USAGE, UsageError, parseCli } from './cli.js';
import { runBench } from './harness.js';
import { markdownDoc, markdownTable, targetLines } from './report.js';

// pnpm runs root scripts from the workspace root; paths are meant relative to where the user was.
const base = process.env.INIT_CWD ?? process.cwd();
const write = (file: string, text: string): void => {
  const path = resolve(base, file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  console.error(`bench: wrote ${path}`);
};

async function main(): Promise<void> {
  const argv = process.argv.slice(2).filter((a) => a !== '--');
  let options;
  try {
    options = parseCli(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`bench: ${e.message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (options.help) {
    console.log(USAGE);
    return;
  }
  const report = await runBench({ ...options, log: (line) => console.error(line) });
  console.log(markdownTable(report.rows));
  if (report.size === 'tiny') console.log('\n(--tiny: toy sizes, a smoke test of every runner; these numbers are not a benchmark)');
  const targets = report.size === 'full' ? targetLines(report.rows) : [];
  if (targets.length) console.log(`\n${targets.join('\n')}`);
  if (options.json) write(options.json, `${JSON.stringify(report.rows, null, 2)}\n`);
  if (options.markdown) write(options.markdown, markdownDoc(report, ['pnpm bench', ...argv].join(' ')));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});

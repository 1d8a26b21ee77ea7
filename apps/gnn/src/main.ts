#!/usr/bin/env node
import { runDemo } from '@plexus/app-kit';
import { USAGE, parseOptions } from './options.js';
import { run } from './run.js';

process.exitCode = await runDemo({
  name: 'gnn',
  usage: USAGE,
  parseOptions,
  // The result line leaves out the list of files written.
  run: async (o, log) => {
    const { files: _files, ...summary } = await run(o, log);
    return summary;
  },
});

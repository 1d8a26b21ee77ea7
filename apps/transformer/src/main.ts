#!/usr/bin/env node
import { runDemo } from '@plexus/app-kit';
import { runCharLM } from './charlm.js';
import { USAGE, parseOptions } from './options.js';
import { runSequence } from './sequence.js';

process.exitCode = await runDemo({
  name: 'transformer',
  usage: USAGE,
  parseOptions,
  run: (o, log) => (o.task === 'charlm' ? runCharLM(o, log) : runSequence(o, log)),
});

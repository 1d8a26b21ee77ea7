#!/usr/bin/env node
import { runDemo } from '@plexus/app-kit';
import { USAGE, parseOptions } from './options.js';
import { run } from './run.js';

process.exitCode = await runDemo({ name: 'rnn', usage: USAGE, parseOptions, run });

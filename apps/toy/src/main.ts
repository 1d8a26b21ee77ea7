#!/usr/bin/env node
import '@plexus/backend-js';
import { parseArgs } from 'node:util';
import { getBackend, setBackend } from '@plexus/tensor';
import { trainToy } from './train.js';

const { values } = parseArgs({
  options: {
    epochs: { type: 'string', default: '2000' },
    lr: { type: 'string', default: '0.05' },
    hidden: { type: 'string', default: '16' },
    seed: { type: 'string', default: '0' },
    backend: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help) {
  console.log('Usage: pnpm demo toy [--epochs N] [--lr X] [--hidden N] [--seed N] [--backend js]');
  process.exit(0);
}

function positive(name: string, text: string | undefined, integer: boolean): number {
  const v = Number(text);
  if (!Number.isFinite(v) || v <= 0 || (integer && !Number.isInteger(v))) {
    console.error(`toy: --${name} must be a positive ${integer ? 'integer' : 'number'}, got '${text}'`);
    process.exit(2);
  }
  return v;
}

if (values.backend) setBackend(values.backend);
const epochs = positive('epochs', values.epochs, true);
console.log(`Fitting sin(x) with a 1-${values.hidden}-1 tanh network on backend '${getBackend().name}'`);
const result = trainToy({
  epochs,
  lr: positive('lr', values.lr, false),
  hidden: positive('hidden', values.hidden, true),
  seed: Number(values.seed),
  logEvery: Math.max(1, Math.round(epochs / 10)),
  onLog: (epoch, loss) => console.log(`epoch ${String(epoch).padStart(5)}  loss ${loss.toFixed(6)}`),
});
console.log(`result: ${JSON.stringify({ ...result, seconds: Number(result.seconds.toFixed(2)) })}`);

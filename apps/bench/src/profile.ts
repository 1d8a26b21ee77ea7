#!/usr/bin/env node
/**
 * Where one step of a benchmark workload spends its time, op by op, on a Plexus backend: the
 * cell `pnpm bench` times, with every backend op wrapped in a timer.
 *   node apps/bench/dist/profile.js <workload> [--backend cpu] [--steps N] [--shapes]
 * (after `pnpm build`; PLEXUS_NUM_THREADS=1 for one thread).
 */
import { parseArgs } from 'node:util';
import { getBackend } from '@plexus/tensor';
import { profileOps } from './op-profile.js';
import { createCell } from './runners/index.js';
import type { WorkloadId } from './spec.js';
import { WORKLOAD_IDS, workload } from './spec.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { backend: { type: 'string', default: 'cpu' }, steps: { type: 'string', default: '40' }, shapes: { type: 'boolean', default: false } },
});
const id = positionals[0] as WorkloadId;
const steps = Number(values.steps);
if (!WORKLOAD_IDS.includes(id) || !(Number.isInteger(steps) && steps > 0)) {
  console.error(`usage: profile.js <${WORKLOAD_IDS.join('|')}> [--backend cpu] [--steps N] [--shapes]`);
  process.exit(2);
}
const w = workload(id);
const cell = await createCell({ workload: id, runner: 'plexus', backend: values.backend, size: 'full' });
const p = profileOps(getBackend(), () => void cell.step(), { steps, byShape: values.shapes });
const width = Math.max(18, ...p.ops.map((o) => o.op.length));
for (const o of p.ops) console.log(`${o.op.padEnd(width)} ${o.callsPerStep.toFixed(1).padStart(6)} calls/step ${o.msPerStep.toFixed(3).padStart(8)} ms/step`);
const rate = (w.workPerStep(w.config.full) * 1000) / p.msPerStep / w.scale;
const calls = p.ops.reduce((s, o) => s + o.callsPerStep, 0);
console.log(
  `${w.title}: ${p.msPerStep.toFixed(2)} ms per step (${rate.toPrecision(4)} ${w.unit} while profiled); ${calls.toFixed(0)} backend calls taking ` +
    `${p.backendMsPerStep.toFixed(2)} ms, the rest (frontend, autograd, GC) ${(p.msPerStep - p.backendMsPerStep).toFixed(2)} ms`,
);

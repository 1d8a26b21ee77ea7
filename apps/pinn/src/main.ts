#!/usr/bin/env node
import { UsageError, printResult, round, selectBackend, traceReport } from '@plexus/app-kit';
import { USAGE, parseOptions } from './options.js';
import { run } from './run.js';
import type { ProblemResult } from './run.js';

let parsed: ReturnType<typeof parseOptions>;
try {
  parsed = parseOptions(process.argv.slice(2));
} catch (e) {
  if (!(e instanceof UsageError)) throw e;
  console.error(`pinn: ${e.message}\n\n${USAGE}`);
  process.exit(2);
}
if (parsed.help) {
  console.log(USAGE);
  process.exit(0);
}

const argv = process.argv.slice(2).join(' ');
console.log(`command: pnpm demo pinn${argv ? ` ${argv}` : ''}`);
await selectBackend(parsed.backend);
const r = await run(parsed.options);
const report = await traceReport();
if (report) console.log(report);
const brief = (p: ProblemResult | undefined) =>
  p && {
    relativeL2: Number(p.relativeL2.toPrecision(4)),
    maxAbsError: Number(p.maxAbsError.toPrecision(4)),
    seconds: round(p.seconds, 1),
    adamSteps: p.adamSteps,
    lbfgsIterations: p.lbfgsIterations,
    lbfgsEvaluations: p.lbfgsEvaluations,
    finalLoss: Number(p.finalLoss.toPrecision(4)),
  };
printResult({ backend: r.backend, dtype: r.dtype, seed: r.seed, poisson: brief(r.poisson), burgers: brief(r.burgers), seconds: round(r.seconds, 1) });

#!/usr/bin/env node
import { round, runDemo } from '@plexus/app-kit';
import { USAGE, parseOptions } from './options.js';
import { run } from './run.js';
import type { ProblemResult } from './run.js';

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

process.exitCode = await runDemo({
  name: 'pinn',
  usage: USAGE,
  parseOptions,
  run: async (o, log) => {
    const r = await run(o, log);
    return { backend: r.backend, dtype: r.dtype, seed: r.seed, poisson: brief(r.poisson), burgers: brief(r.burgers), seconds: round(r.seconds, 1) };
  },
});

import type { Backend, DType } from '@plexus/tensor';
import type * as Vitest from 'vitest';
import type { BackendCheck } from './checks.js';
import { backendChecks } from './checks.js';
import type { Tolerance } from './compare.js';
import type { RunOptions } from './run.js';
import { listCases, runCase } from './run.js';
import type { CaseKind, ConformanceCase } from './types.js';

// vitest is an optional peer: it is loaded only inside a vitest run, so that the rest of the
// package (runCase, compareTensors, the case tables) works in plain Node without it.
const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
const vitest: typeof Vitest | undefined = env?.VITEST ? await import('vitest') : undefined;

export interface ConformanceOptions {
  /** dtypes to run (default: the backend's `dtypes`); cases of other dtypes are reported as skipped. */
  dtypes?: readonly DType[];
  /**
   * Cases to skip, reported as skipped ('skipped by options'). An entry matches a case id
   * (`'add: scalars [int32]'`), a case in every dtype (`'add: scalars'`), a whole op (`'add'`),
   * or a storage/interface/error check by its name.
   */
  skip?: readonly string[];
  /** Float tolerances (default 1e-5 for float32, 1e-12 for float64), relative and absolute. */
  tolerance?: Tolerance;
  /** The backend results are compared with (default: a backend-js instance). */
  reference?: () => Backend;
}

/** Whether `options.skip` names the case: its id, its id without the dtype, or its op. */
export function isSkipped(c: ConformanceCase, skip: readonly string[]): boolean {
  return skip.some((s) => s === c.id || s === `${c.op}: ${c.name}` || s === c.op || s === c.id.slice(0, c.id.indexOf(':')));
}

const GROUPS: readonly [CaseKind, string][] = [
  ['primitive', 'primitives'],
  ['accelerated', 'accelerated ops (accelerated and decomposed)'],
  ['derived', 'derived ops'],
  ['gradient', 'gradients'],
  ['gradcheck', 'finite-difference gradient checks (float64)'],
];

/**
 * Registers the conformance suite as vitest tests: call it at the top level of a test file in
 * the backend's package. `createBackend` should return a fresh instance on each call (storage
 * checks count handles on their own instance).
 */
export function runBackendConformance(name: string, createBackend: () => Backend, options: ConformanceOptions = {}): void {
  if (!vitest) {
    throw new Error(
      'runBackendConformance registers vitest tests: call it from a test file run by vitest ' +
        '(use listCases() and runCase() to run the cases elsewhere)',
    );
  }
  const { describe, it } = vitest;
  const backend = createBackend();
  const skip = options.skip ?? [];
  const runOptions: RunOptions = { tolerance: options.tolerance, reference: options.reference?.() };

  const register = (c: ConformanceCase): void => {
    it(c.id, async (ctx) => {
      if (isSkipped(c, skip)) return ctx.skip('skipped by options');
      if (options.dtypes && !options.dtypes.includes(c.dtype)) return ctx.skip(`${c.dtype} is not among options.dtypes`);
      const r = await runCase(c, backend, runOptions);
      if (r.status === 'skip') return ctx.skip(r.message);
      if (r.status === 'fail') throw new Error(`${c.id} on backend '${name}': ${r.message}`);
    });
  };
  const registerCheck = (check: BackendCheck): void => {
    it(check.name, async (ctx) => {
      if (skip.includes(check.name)) return ctx.skip('skipped by options');
      const reason = await check.run(createBackend);
      if (typeof reason === 'string') ctx.skip(reason);
    });
  };

  describe(`conformance: ${name}`, () => {
    const cases = listCases();
    for (const [kind, title] of GROUPS) {
      describe(title, () => {
        const ofKind = cases.filter((c) => c.kind === kind);
        for (const op of new Set(ofKind.map((c) => c.op))) {
          describe(op, () => ofKind.filter((c) => c.op === op).forEach(register));
        }
      });
    }
    for (const group of ['interface', 'storage', 'errors'] as const) {
      describe(group, () => backendChecks.filter((c) => c.group === group).forEach(registerCheck));
    }
  });
}

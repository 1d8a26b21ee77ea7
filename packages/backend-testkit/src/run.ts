import { gradCheck, gradGradCheck, grad } from '@plexus/autograd';
import { createJsBackend } from '@plexus/backend-js';
import type { AcceleratedName, Backend, PrimitiveName, Tensor } from '@plexus/tensor';
import { ACCELERATED_NAMES, PRIMITIVE_NAMES, isFloating, scope, withAccelerated } from '@plexus/tensor';
import { acceleratedCases } from './cases/accelerated.js';
import { derivedCases } from './cases/derived.js';
import { gradCheckCases, gradientCases } from './cases/gradients.js';
import { primitiveCases } from './cases/primitives.js';
import type { Tolerance } from './compare.js';
import { compareTensors, toleranceFor } from './compare.js';
import type { CaseContext } from './context.js';
import { createContext, seedOf } from './context.js';
import type { CaseKind, CaseOutput, CheckCase, CompareCase, ConformanceCase, GradCheckCase, GradientCase, OpCase } from './types.js';

function expand(kind: CompareCase['kind'], op: string, c: OpCase): CompareCase[] {
  return c.dtypes.map((dtype) => ({
    id: `${op}: ${c.name} [${dtype}]`,
    kind,
    op,
    name: c.name,
    dtype,
    toleranceScale: c.toleranceScale ?? 1,
    requires: c.requires ?? [],
    compute: c.run,
  }));
}

/** Gradients of `fn` under a seeded output gradient: [y, ∂/∂x for each floating x]. */
function gradientCompute(g: GradientCase): (ctx: CaseContext) => CaseOutput {
  return (ctx) => {
    const xs = g.inputs(ctx).map((x) => (isFloating(x.dtype) ? x.requiresGrad_() : x));
    const y = g.fn(...xs);
    const v = ctx.input(y.shape, y.dtype);
    return [y, ...grad([y], xs.filter((x) => isFloating(x.dtype)), { gradOutputs: v })];
  };
}

function gradCheckCase(g: GradCheckCase): CheckCase {
  return {
    id: `gradCheck(${g.op}): ${g.name} [float64]`,
    kind: 'gradcheck',
    op: g.op,
    name: g.name,
    dtype: 'float64',
    toleranceScale: 1,
    requires: [],
    check: (ctx) => {
      const xs = g.inputs(ctx);
      const first = gradCheck(g.fn, xs, g.options);
      if (!first.ok) return { ok: false, message: first.message };
      if (!g.secondOrder) return { ok: true, message: `max error ${first.maxAbsError.toExponential(2)}` };
      const second = gradGradCheck(g.fn, xs, g.options);
      if (!second.ok) return { ok: false, message: `gradGradCheck: ${second.message}` };
      return { ok: true, message: `max errors ${first.maxAbsError.toExponential(2)}, ${second.maxAbsError.toExponential(2)}` };
    },
  };
}

export interface ListOptions {
  /** Only these kinds (default: all). */
  kinds?: readonly CaseKind[];
  /** Only these ops (a primitive, accelerated or derived op name). */
  ops?: readonly string[];
}

/** Every case of the suite, one per dtype, in a stable order. */
export function listCases(options: ListOptions = {}): ConformanceCase[] {
  const all: ConformanceCase[] = [
    ...PRIMITIVE_NAMES.flatMap((op: PrimitiveName) => primitiveCases[op].flatMap((c) => expand('primitive', op, c))),
    ...ACCELERATED_NAMES.flatMap((op: AcceleratedName) => acceleratedCases[op].flatMap((c) => expand('accelerated', op, c))),
    ...derivedCases.flatMap((c) => expand('derived', c.op, c)),
    ...gradientCases.flatMap((g) =>
      g.dtypes.map((dtype): CompareCase => ({
        id: `grad(${g.op}): ${g.name} [${dtype}]`,
        kind: 'gradient',
        op: g.op,
        name: g.name,
        dtype,
        toleranceScale: (g.toleranceScale ?? 1) * 10,
        requires: [],
        compute: gradientCompute(g),
      })),
    ),
    ...gradCheckCases.map(gradCheckCase),
  ];
  return all.filter((c) => (!options.kinds || options.kinds.includes(c.kind)) && (!options.ops || options.ops.includes(c.op)));
}

export interface RunOptions {
  /** The backend results are compared with (default: a backend-js instance). */
  reference?: Backend;
  tolerance?: Tolerance;
}

export interface CaseResult {
  id: string;
  status: 'pass' | 'fail' | 'skip';
  /** 'ok', the reason for a skip, or what went wrong. */
  message: string;
  /** Largest absolute difference from the reference over all outputs. */
  maxAbsError: number;
}

let defaultReference: Backend | undefined;
/** The shared backend-js instance results are compared with. */
export function referenceBackend(): Backend {
  defaultReference ??= createJsBackend();
  return defaultReference;
}

function describeError(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/** Runs a case on `backend`, keeping only its outputs (the scope frees inputs and intermediates). */
function evaluate(c: CompareCase, backend: Backend): Tensor[] {
  const ctx = createContext(backend, c.dtype, seedOf(c.id));
  return scope(() => {
    const out = c.compute(ctx);
    return Array.isArray(out) ? [...(out as readonly Tensor[])] : [out as Tensor];
  });
}

function disposeAll(ts: readonly Tensor[]): void {
  for (const t of ts) t.dispose();
}

async function compareOutputs(c: CompareCase, backend: Backend, actual: Tensor[], expected: Tensor[], options: RunOptions) {
  if (actual.length !== expected.length) return { ok: false, message: `${actual.length} outputs, expected ${expected.length}`, maxAbsError: 0 };
  let maxAbsError = 0;
  for (let i = 0; i < actual.length; i++) {
    const where = actual.length > 1 ? `output ${i}: ` : '';
    if (actual[i].backend !== backend) {
      return { ok: false, message: `${where}lives on backend '${actual[i].backend.name}', not on the backend under test`, maxAbsError };
    }
    const tol = toleranceFor(expected[i].dtype, options.tolerance, c.toleranceScale);
    const r = await compareTensors(actual[i], expected[i], tol);
    maxAbsError = Math.max(maxAbsError, r.maxAbsError);
    if (!r.ok) return { ok: false, message: `${where}${r.message}`, maxAbsError };
  }
  return { ok: true, message: 'ok', maxAbsError };
}

/**
 * Runs one case on `backend` and compares it with the reference (or, for finite-difference
 * cases, checks it on its own). Never throws: errors become a 'fail' result.
 */
export async function runCase(c: ConformanceCase, backend: Backend, options: RunOptions = {}): Promise<CaseResult> {
  const result = (status: CaseResult['status'], message: string, maxAbsError = 0): CaseResult => ({ id: c.id, status, message, maxAbsError });
  const lacking = [c.dtype, ...c.requires].find((d) => !backend.dtypes.includes(d));
  if (lacking) return result('skip', `backend '${backend.name}' does not list ${lacking} in its dtypes`);

  if (c.kind === 'gradcheck') {
    try {
      const r = scope(() => c.check(createContext(backend, c.dtype, seedOf(c.id))));
      return result(r.ok ? 'pass' : 'fail', r.message);
    } catch (e) {
      return result('fail', `threw ${describeError(e)}`);
    }
  }

  const reference = options.reference ?? referenceBackend();
  let expected: Tensor[];
  try {
    expected = evaluate(c, reference);
  } catch (e) {
    return result('fail', `the reference backend '${reference.name}' failed (a testkit bug?): ${describeError(e)}`);
  }
  // An accelerated op is also checked with acceleration off, i.e. through its decomposition on
  // this backend's primitives. (Without any kernels the two runs would be the same one; with
  // some, a decomposition may still call another kernel: convTranspose2d calls conv2d.)
  const runs: [string, () => Tensor[]][] = [['', () => evaluate(c, backend)]];
  if (c.kind === 'accelerated' && Object.values(backend.accelerated ?? {}).some((k) => typeof k === 'function')) {
    runs.push(['with accelerated ops off: ', () => withAccelerated(false, () => evaluate(c, backend))]);
  }
  try {
    let maxAbsError = 0;
    for (const [label, run] of runs) {
      let actual: Tensor[];
      try {
        actual = run();
      } catch (e) {
        return result('fail', `${label}threw ${describeError(e)}`);
      }
      try {
        const r = await compareOutputs(c, backend, actual, expected, options);
        maxAbsError = Math.max(maxAbsError, r.maxAbsError);
        if (!r.ok) return result('fail', `${label}${r.message}`, maxAbsError);
      } catch (e) {
        return result('fail', `${label}reading the result threw ${describeError(e)}`);
      } finally {
        disposeAll(actual);
      }
    }
    return result('pass', 'ok', maxAbsError);
  } finally {
    disposeAll(expected);
  }
}

// Importing the package loads @plexus/autograd (the gradient cases need it) and backend-js (the
// reference every result is compared with).
export { runBackendConformance, isSkipped } from './conformance.js';
export type { ConformanceOptions } from './conformance.js';
export { listCases, runCase, referenceBackend } from './run.js';
export type { CaseResult, ListOptions, RunOptions } from './run.js';
export { compareTensors, compareValues, toleranceFor, DEFAULT_TOLERANCE } from './compare.js';
export type { Comparison, Tolerance } from './compare.js';
export { createContext, seedOf } from './context.js';
export type { CaseContext } from './context.js';
export { primitiveCases } from './cases/primitives.js';
export { acceleratedCases } from './cases/accelerated.js';
export { derivedCases } from './cases/derived.js';
export { gradientCases, gradCheckCases } from './cases/gradients.js';
export { backendChecks, ConformanceError } from './checks.js';
export type { BackendCheck } from './checks.js';
export type {
  AcceleratedCase, AcceleratedCaseTable, CaseKind, CaseOutput, CheckCase, CompareCase, ConformanceCase, DerivedCase,
  GradCheckCase, GradientCase, OpCase, PrimitiveCase, PrimitiveCaseTable,
} from './types.js';

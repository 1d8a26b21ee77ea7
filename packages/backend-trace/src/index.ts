// @plexus/backend-trace: a profiling backend that wraps any other backend. Importing it registers
// nothing; call registerTraceBackends() after the backends you want to trace are registered.
export { TraceBackend } from './backend.js';
export type { TraceOptions } from './backend.js';
export { registerTraceBackend, registerTraceBackends, isTraceBackend, traceReport, TRACE_PREFIX } from './register.js';
export { formatBytes, formatReport } from './stats.js';
export type { OpStats, TraceRecord } from './stats.js';

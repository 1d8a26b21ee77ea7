import { BackendError, findBackend, getBackend, hasBackend, listBackends, registerBackend } from '@plexus/tensor';
import type { Backend } from '@plexus/tensor';
import type { TraceOptions } from './backend.js';
import { TraceBackend } from './backend.js';

export const TRACE_PREFIX = 'trace:';

/**
 * Registers 'trace:<inner>' for a registered backend: `setBackend('trace:js')` then runs
 * everything on the 'js' backend (the same instance `setBackend('js')` gives) and records it.
 * The inner backend is created only when the trace is first used. Returns the trace's name.
 */
export function registerTraceBackend(inner: string, options: Omit<TraceOptions, 'name'> = {}): string {
  if (inner.startsWith(TRACE_PREFIX)) throw new BackendError(`registerTraceBackend: '${inner}' is already a trace`);
  if (!hasBackend(inner)) {
    throw new BackendError(`registerTraceBackend: no backend named '${inner}' is registered (registered: ${listBackends().join(', ') || 'none'}); register it first`);
  }
  const name = `${TRACE_PREFIX}${inner}`;
  // Priority below every real backend: a trace is never picked by default.
  registerBackend(name, () => new TraceBackend(findBackend(inner), options), { priority: -1 });
  return name;
}

/**
 * Registers 'trace:<name>' for every backend registered now (call it after importing or
 * registering the backends, e.g. after `await registerCudaBackend()`). Calling it again adds
 * traces for backends registered since. Returns the names of all trace backends.
 */
export function registerTraceBackends(options: Omit<TraceOptions, 'name'> = {}): string[] {
  for (const name of listBackends()) {
    if (!name.startsWith(TRACE_PREFIX) && !hasBackend(`${TRACE_PREFIX}${name}`)) registerTraceBackend(name, options);
  }
  return listBackends().filter((n) => n.startsWith(TRACE_PREFIX));
}

export function isTraceBackend(backend: Backend): backend is TraceBackend {
  return backend instanceof TraceBackend;
}

/** The report of `backend` (default: the current one) when it is a trace, else undefined. */
export function traceReport(backend: Backend = getBackend(), options: { top?: number } = {}): string | undefined {
  return isTraceBackend(backend) ? backend.report(options) : undefined;
}

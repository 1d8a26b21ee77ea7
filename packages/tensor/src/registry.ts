import type { Backend } from './backend.js';
import { BackendError } from './errors.js';

interface Entry {
  factory: () => Backend;
  priority: number;
  instance?: Backend;
}

const entries = new Map<string, Entry>();
let current: Backend | undefined;

/**
 * Makes a backend available under `name`. Importing a backend package registers it; the
 * highest priority registered backend is the default unless `PLEXUS_BACKEND` or `setBackend`
 * says otherwise. A factory that throws (a native build that failed, say) makes `setBackend`
 * throw that error, so the reason reaches the user.
 */
export function registerBackend(name: string, factory: () => Backend, options: { priority?: number } = {}): void {
  if (!/^[a-z][a-z0-9:_-]*$/i.test(name)) {
    throw new BackendError(`registerBackend: invalid backend name '${name}' (letters, digits, ':', '_' or '-')`);
  }
  entries.set(name, { factory, priority: options.priority ?? 0 });
}

export function listBackends(): string[] {
  return [...entries.keys()];
}

export function hasBackend(name: string): boolean {
  return entries.has(name);
}

/** The backend instance registered under `name` (created on first use). */
export function findBackend(name: string): Backend {
  const entry = entries.get(name);
  if (!entry) {
    const known = listBackends();
    throw new BackendError(
      `setBackend: no backend named '${name}' is registered (registered: ${known.length ? known.join(', ') : 'none'}); ` +
        `import its package first, e.g. import '@plexus/backend-${name.split(':')[0]}'`,
    );
  }
  entry.instance ??= entry.factory();
  return entry.instance;
}

export function setBackend(name: string): Backend {
  current = findBackend(name);
  return current;
}

function envBackend(): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const value = env?.PLEXUS_BACKEND;
  return value && value.length > 0 ? value : undefined;
}

/** The current backend: set by `setBackend`, else `PLEXUS_BACKEND`, else the highest priority one. */
export function getBackend(): Backend {
  if (current) return current;
  const fromEnv = envBackend();
  if (fromEnv) return setBackend(fromEnv);
  const best = [...entries.entries()].sort((a, b) => b[1].priority - a[1].priority)[0];
  if (!best) {
    throw new BackendError(
      "getBackend: no backend is registered; import one first, e.g. import '@plexus/backend-js'",
    );
  }
  return setBackend(best[0]);
}

/** Drops the chosen backend so the next `getBackend()` picks again (tests use this). */
export function resetBackendChoice(): void {
  current = undefined;
}

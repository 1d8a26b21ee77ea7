import type { Backend, DataId } from './backend.js';
import type { Tensor } from './tensor.js';

/**
 * Release of backend storage. Tensors are released by the garbage collector (the registry's
 * callback disposes the handle once the Tensor object is unreachable; backends whose handles
 * free themselves, `freedByGC`, skip this), by `dispose()`, or at the end of a `scope()`. Each
 * handle is disposed at most once.
 */
interface Held {
  backend: Backend;
  dataId: DataId;
}

const registry = new FinalizationRegistry<Held>((held) => {
  try {
    held.backend.dispose(held.dataId);
  } catch {
    // A backend already torn down (process exit) has nothing left to free.
  }
});

const scopes: Set<Tensor>[] = [];
// Per scope, the scalars made from JS numbers, by backend, then dtype and value (see scopedScalar).
const scalarsOfScope: Map<Backend, Map<string, Tensor>>[] = [];

export function track(t: Tensor, backend: Backend, dataId: DataId): void {
  if (!backend.freedByGC) registry.register(t, { backend, dataId }, t);
  scopes[scopes.length - 1]?.add(t);
}

export function untrack(t: Tensor): void {
  registry.unregister(t);
  for (const s of scopes) s.delete(t);
}

/**
 * The scalar `key` of the innermost scope, made by `make` on first use: inside a scope (a
 * training step), an optimizer's learning rate or a gradient rule's 0 is uploaded once, not per
 * op. It belongs to that scope like any tensor made in it, and is disposed with it.
 */
export function scopedScalar(backend: Backend, key: string, make: () => Tensor): Tensor {
  const caches = scalarsOfScope[scalarsOfScope.length - 1];
  if (!caches) return make();
  let cache = caches.get(backend);
  if (!cache) caches.set(backend, (cache = new Map()));
  const hit = cache.get(key);
  if (hit && !hit.isDisposed) return hit;
  const t = make();
  cache.set(key, t);
  return t;
}

/** Points t's finalizer at new storage without changing which scope holds t (for `assign`). */
export function rebind(t: Tensor, backend: Backend, dataId: DataId): void {
  registry.unregister(t);
  registry.register(t, { backend, dataId }, t);
}

function collect(value: unknown, into: Set<Tensor>, isTensor: (v: unknown) => v is Tensor): void {
  if (isTensor(value)) into.add(value);
  else if (Array.isArray(value)) for (const v of value) collect(v, into, isTensor);
  else if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const v of Object.values(value)) collect(v, into, isTensor);
  }
}

/**
 * Runs `fn` and disposes every tensor created inside it except those it returns (in an array or
 * plain object too) and those marked with `keep()`. Like tf.tidy, but optional: without it the
 * garbage collector frees tensors.
 */
export function runScope<T>(fn: () => T, isTensor: (v: unknown) => v is Tensor): T {
  const created = new Set<Tensor>();
  scopes.push(created);
  scalarsOfScope.push(new Map());
  let result: T;
  try {
    result = fn();
  } catch (error) {
    // Nothing escapes a failed scope: release what it made, then report the error.
    for (const t of created) if (!t.kept) t.dispose();
    throw error;
  } finally {
    scopes.pop();
    scalarsOfScope.pop();
  }
  if (result instanceof Promise) {
    throw new TypeError('scope: the function must be synchronous; dispose tensors by hand in async code');
  }
  const keep = new Set<Tensor>();
  collect(result, keep, isTensor);
  for (const t of created) {
    if (keep.has(t) || t.kept) scopes[scopes.length - 1]?.add(t);
    else t.dispose();
  }
  return result;
}

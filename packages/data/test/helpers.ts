import '@plexus/backend-js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Backend, Tensor } from '@plexus/tensor';
import { JsBackend } from '@plexus/backend-js';

/** Flat values of a tensor as plain numbers (bool as 0/1). */
export function values(t: Tensor): number[] {
  return Array.from(t.dataSync(), Number);
}

export function expectClose(got: readonly number[], want: readonly number[], tol = 1e-6): void {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => {
    if (Math.abs(g - want[i]) > tol) expect.fail(`element ${i}: got ${g}, expected ${want[i]} (tol ${tol})`);
  });
}

/** Asserts fn throws an instance of `cls` whose message contains every fragment. */
export function expectError(fn: () => unknown, cls: abstract new (...args: never[]) => Error, ...fragments: (string | RegExp)[]): Error {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, 'expected a throw').toBeInstanceOf(cls);
  const msg = (caught as Error).message;
  for (const f of fragments) {
    if (typeof f === 'string') expect(msg).toContain(f);
    else expect(msg).toMatch(f);
  }
  return caught as Error;
}

/** The async version of expectError. */
export async function expectRejection(p: Promise<unknown>, cls: abstract new (...args: never[]) => Error, ...fragments: string[]): Promise<Error> {
  let caught: unknown;
  try {
    await p;
  } catch (e) {
    caught = e;
  }
  expect(caught, 'expected a rejection').toBeInstanceOf(cls);
  for (const f of fragments) expect((caught as Error).message).toContain(f);
  return caught as Error;
}

const made: string[] = [];

/** A fresh temporary directory; removeTempDirs() deletes all of them. */
export function tempDir(prefix = 'plexus-data-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** backend-js with a count of every primitive it runs, to check how a batch is built. */
export function countingBackend(): { backend: Backend; calls: Map<string, number> } {
  const inner = new JsBackend();
  const calls = new Map<string, number>();
  const primitives = new Proxy(inner.primitives, {
    get(target, name, receiver) {
      const fn: unknown = Reflect.get(target, name, receiver);
      if (typeof fn !== 'function' || typeof name !== 'string') return fn;
      return (...args: unknown[]) => {
        calls.set(name, (calls.get(name) ?? 0) + 1);
        return (fn as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  const backend: Backend = {
    name: 'js-counting',
    dtypes: inner.dtypes,
    primitives,
    write: (v, s, d) => inner.write(v, s, d),
    read: (t) => inner.read(t),
    readSync: (t) => inner.readSync(t),
    dispose: (id) => inner.dispose(id),
    memory: () => inner.memory(),
    accelerated: undefined,
  };
  return { backend, calls };
}

import { expect } from 'vitest';

/**
 * Asserts that fn throws an instance of `cls` whose message contains every fragment. Kept apart
 * from helpers.ts, which registers backend-js, so registry tests can use it before any backend.
 */
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

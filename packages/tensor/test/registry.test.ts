// No static import of a backend here: the first test checks the state before any is registered.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  BackendError, findBackend, getBackend, hasBackend, listBackends, registerBackend, resetBackendChoice, setBackend,
  tensor,
} from '@plexus/tensor';
import type { Backend } from '@plexus/tensor';
import { expectError } from './expect-error.js';

const savedEnv = process.env.PLEXUS_BACKEND;
afterEach(() => {
  if (savedEnv === undefined) delete process.env.PLEXUS_BACKEND;
  else process.env.PLEXUS_BACKEND = savedEnv;
  resetBackendChoice();
});

describe('with no backend registered', () => {
  it('getBackend explains how to register one', () => {
    delete process.env.PLEXUS_BACKEND;
    expectError(() => getBackend(), BackendError, "getBackend: no backend is registered; import one first, e.g. import '@plexus/backend-js'");
    expectError(() => tensor([1]), BackendError, 'no backend is registered');
  });
});

describe('with backends registered', () => {
  let JsBackend: new () => Backend;
  beforeAll(async () => {
    ({ JsBackend } = await import('@plexus/backend-js'));
    registerBackend('js2', () => new JsBackend(), { priority: 0 });
  });

  it('importing backend-js registers "js"', () => {
    expect(hasBackend('js')).toBe(true);
    expect(listBackends()).toEqual(expect.arrayContaining(['js', 'js2']));
  });

  it('setBackend with an unknown name lists the registered ones', () => {
    expectError(
      () => setBackend('nope'),
      BackendError,
      "setBackend: no backend named 'nope' is registered (registered: js, js2)",
      "import '@plexus/backend-nope'",
    );
  });

  it('getBackend defaults to the highest priority backend', () => {
    delete process.env.PLEXUS_BACKEND;
    resetBackendChoice();
    expect(getBackend()).toBe(findBackend('js'));
    // The choice sticks until reset.
    registerBackend('fast', () => new JsBackend(), { priority: 10 });
    expect(getBackend()).toBe(findBackend('js'));
    resetBackendChoice();
    expect(getBackend()).toBe(findBackend('fast'));
  });

  it('PLEXUS_BACKEND picks a backend', () => {
    process.env.PLEXUS_BACKEND = 'js2';
    resetBackendChoice();
    expect(getBackend()).toBe(findBackend('js2'));
    expect(tensor([1]).backend).toBe(findBackend('js2'));
    process.env.PLEXUS_BACKEND = 'missing';
    resetBackendChoice();
    expectError(() => getBackend(), BackendError, "no backend named 'missing'", 'registered: js');
    process.env.PLEXUS_BACKEND = '';
    resetBackendChoice();
    expect(getBackend()).toBe(findBackend('fast'));
  });

  it('setBackend wins over the environment and returns the instance', () => {
    process.env.PLEXUS_BACKEND = 'js2';
    const b = setBackend('js');
    expect(getBackend()).toBe(b);
    expect(b.name).toBe('js');
  });

  it('findBackend creates each backend once', () => {
    expect(findBackend('js2')).toBe(findBackend('js2'));
  });

  it('a factory that throws passes its error to setBackend', () => {
    registerBackend('broken', () => {
      throw new Error('native build failed');
    });
    expect(() => setBackend('broken')).toThrow('native build failed');
  });

  it('registerBackend rejects bad names', () => {
    expectError(() => registerBackend('bad name', () => new JsBackend()), BackendError, "registerBackend: invalid backend name 'bad name'");
  });

  it('tensors on different backends cannot be mixed; .to() moves them', () => {
    setBackend('js');
    const a = tensor([1, 2]);
    const b = tensor([3, 4], { backend: findBackend('js2') });
    expectError(() => a.add(b), BackendError, 'add: inputs live on different backends', ".to('js')");
    const moved = b.to('js');
    expect(moved.backend).toBe(a.backend);
    expect(Array.from(a.add(moved).dataSync())).toEqual([4, 6]);
    expect(a.to('js')).toBe(a);
  });
});

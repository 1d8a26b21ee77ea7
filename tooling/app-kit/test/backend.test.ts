import { describe, expect, it } from 'vitest';
import { BackendError, getBackend, registerBackend, tensor } from '@plexus/tensor';
import { JsBackend } from '@plexus/backend-js';
import { selectBackend, traceReport } from '../src/index.js';
import type { Importer } from '../src/index.js';

const lines = (): { out: string[]; log: (m: string) => void } => {
  const out: string[] = [];
  return { out, log: (m) => void out.push(m) };
};

/** The real importer, except that `failing` modules throw as if not installed. */
const without = (...failing: string[]): Importer => async (s) => {
  if (failing.includes(s)) throw Object.assign(new Error(`Cannot find package '${s}'`), { code: 'ERR_MODULE_NOT_FOUND' });
  return import(s);
};

describe('selectBackend', () => {
  it("'js' selects the reference backend and says so", async () => {
    const l = lines();
    const s = await selectBackend('js', { log: l.log });
    expect(s).toEqual({ name: 'js', requested: 'js', note: 'pure TypeScript' });
    expect(getBackend().name).toBe('js');
    expect(l.out).toEqual(['backend: js (pure TypeScript)']);
  });

  it("'auto' falls back to js, with the reason, when the native package is missing", async () => {
    const l = lines();
    const s = await selectBackend('auto', { log: l.log, importer: without('@plexus/backend-cpu') });
    expect(s.name).toBe('js');
    expect(l.out[0]).toMatch(/^backend: js \(pure TypeScript; the native cpu backend is unavailable: @plexus\/backend-cpu did not load: Cannot find package '@plexus\/backend-cpu'\)$/);
  });

  it("'auto' picks the native cpu backend when it works, else js", async () => {
    const s = await selectBackend('auto', { log: null });
    expect(['cpu', 'js']).toContain(s.name);
    expect(getBackend().name).toBe(s.name);
    if (s.name === 'cpu') expect(s.note).toMatch(/^native, \w+, \d+ threads?$/);
  });

  it("'cpu' fails with a clear message when it cannot run", async () => {
    await expect(selectBackend('cpu', { log: null, importer: without('@plexus/backend-cpu') })).rejects.toThrow(BackendError);
    await expect(selectBackend('cpu', { log: null, importer: without('@plexus/backend-cpu') })).rejects.toThrow(/backend 'cpu' is unavailable: .*Use --backend js/);
  });

  it("'cuda' loads @plexus/backend-cuda and reports what is missing", async () => {
    // Here TensorFlow.js for the GPU is not installed: the error says how to get it.
    await expect(selectBackend('cuda', { log: null })).rejects.toThrow(/tfjs-node-gpu/);
    await expect(selectBackend('cuda', { log: null, importer: without('@plexus/backend-cuda') })).rejects.toThrow(/backend 'cuda': @plexus\/backend-cuda did not load/);
    await expect(selectBackend('cuda', { log: null, importer: async () => ({}) })).rejects.toThrow(/does not export registerCudaBackend/);
    // A stand-in registers 'cuda' the way the real package does.
    const standIn = new JsBackend();
    const fake: Importer = async () => ({ registerCudaBackend: async () => registerBackend('cuda', () => standIn, { priority: 3 }) });
    const l = lines();
    const s = await selectBackend('cuda', { log: l.log, importer: fake });
    expect(s.name).toBe('cuda');
    expect(getBackend()).toBe(standIn);
    expect(l.out).toEqual(['backend: cuda (NVIDIA GPU through TensorFlow.js)']);
  });

  it("'trace:js' records the ops of js and reports them", async () => {
    const l = lines();
    const s = await selectBackend('trace:js', { log: l.log });
    expect(s.name).toBe('trace:js');
    expect(l.out).toEqual(['backend: trace:js (recording every op on js (pure TypeScript))']);
    tensor([1, 2, 3]).mul(2).sum().item();
    const report = await traceReport();
    expect(report).toMatch(/mul/);
    await selectBackend('js', { log: null });
    expect(await traceReport()).toBeUndefined();
  });

  it('rejects unknown names', async () => {
    await expect(selectBackend('tpu', { log: null })).rejects.toThrow(/unknown backend 'tpu': choose auto, cpu, js, cuda or trace:<backend>/);
  });

  // Last: it replaces the 'cpu' registration for the rest of this file.
  it("'auto' falls back when the native addon is installed but does not load, and 'cpu' says why", async () => {
    const broken: Importer = async (spec) => {
      if (spec !== '@plexus/backend-cpu') return import(spec);
      registerBackend('cpu', () => {
        throw new BackendError("backend 'cpu' is unavailable: the native addon of @plexus/backend-cpu could not be loaded (build failed)");
      }, { priority: -1 });
      return {};
    };
    const l = lines();
    expect((await selectBackend('auto', { log: l.log, importer: broken })).name).toBe('js');
    expect(l.out).toEqual(['backend: js (pure TypeScript; the native cpu backend is unavailable: the native addon of @plexus/backend-cpu could not be loaded (build failed))']);
    await expect(selectBackend('cpu', { log: null, importer: broken })).rejects.toThrow(
      "backend 'cpu' is unavailable: the native addon of @plexus/backend-cpu could not be loaded (build failed). Use --backend js (or auto).",
    );
  });
});

import '@plexus/backend-js';
import { BackendError, getBackend, listBackends, resetBackendChoice, setBackend } from '@plexus/tensor';
import { describe, expect, it } from 'vitest';

// What a user sees when the addon could not be built: the package still imports, 'cpu' is
// registered below every working backend (so the default is another one), and choosing it
// explains why not and what to use instead. PLEXUS_CPU_ADDON points the loader at a file that is
// not there (this file runs in its own process).
process.env.PLEXUS_CPU_ADDON = '/nonexistent/plexus_cpu.node';
const cpu = await import('../src/index.js');

describe('without the native addon', () => {
  it('imports, registers below js, and reports the reason on use', () => {
    expect(cpu.isNativeAvailable()).toBe(false);
    expect(listBackends()).toContain('cpu');
    resetBackendChoice();
    expect(getBackend().name).toBe('js');
    let error: unknown;
    try {
      setBackend('cpu');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BackendError);
    expect((error as Error).message).toMatch(/backend 'cpu' is unavailable/);
    expect((error as Error).message).toMatch(/nonexistent\/plexus_cpu\.node does not exist/);
    expect((error as Error).message).toMatch(/@plexus\/backend-js/);
    expect(() => cpu.createCpuBackend()).toThrow(BackendError);
    expect(() => cpu.cpuFeatures()).toThrow(BackendError);
  });
});

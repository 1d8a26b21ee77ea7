import { runBackendConformance } from '@plexus/backend-testkit';
import { afterAll, beforeAll } from 'vitest';
import { createCpuBackend, setCpuFeatures } from '../src/index.js';

// The suite on the portable kernels: what a machine without AVX2 (or PLEXUS_CPU_FEATURES=scalar) runs.
beforeAll(() => {
  setCpuFeatures('scalar');
});
afterAll(() => {
  setCpuFeatures('native');
});

runBackendConformance('cpu (portable kernels)', createCpuBackend);

import { runBackendConformance } from '@plexus/backend-testkit';
import { afterAll, beforeAll } from 'vitest';
import { cpuFeatures, createCpuBackend, setCpuFeatures } from '../src/index.js';

// The suite again on the AVX2/FMA kernels (the machine's best when it lacks AVX-512; on a machine
// without AVX2 this runs the portable kernels again, since setCpuFeatures never goes above the CPU).
beforeAll(() => {
  setCpuFeatures('avx2');
});
afterAll(() => {
  setCpuFeatures('native');
});

runBackendConformance(`cpu (${cpuFeatures().detected === 'scalar' ? 'scalar' : 'avx2'} kernels)`, createCpuBackend);

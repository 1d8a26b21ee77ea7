import { runBackendConformance } from '@plexus/backend-testkit';
import { createCpuBackend } from '../src/index.js';

// The whole suite on the best instruction set of this machine, float64 included.
runBackendConformance('cpu', createCpuBackend);

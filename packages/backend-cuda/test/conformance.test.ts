import { runBackendConformance } from '@plexus/backend-testkit';
import { createCpuBackend } from './tfjs-cpu.js';

// Every primitive, accelerated op, derived op and gradient of the suite, through the adapter with
// @tensorflow/tfjs-backend-cpu injected: every line of the adapter runs here without a GPU.
runBackendConformance('cuda (tfjs-backend-cpu)', createCpuBackend);

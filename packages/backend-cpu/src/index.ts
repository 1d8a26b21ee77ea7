import { registerBackend } from '@plexus/tensor';
import { createCpuBackend } from './backend.js';
import { isNativeAvailable } from './native.js';

export { CpuBackend, createCpuBackend } from './backend.js';
export { cachedBytes, cpuFeatures, isNativeAvailable, setCpuFeatures, setNumThreads } from './native.js';
export type { CpuFeatures, HandleLayout } from './native.js';

// Importing the package makes the backend available as 'cpu', above backend-js (priority 1). When
// the addon is missing it still registers, below every working backend, so that the default falls
// back to another one while setBackend('cpu') reports why it cannot be used.
registerBackend('cpu', createCpuBackend, { priority: isNativeAvailable() ? 2 : -1 });

// @plexus/backend-cuda: Plexus on NVIDIA GPUs through @tensorflow/tfjs-node-gpu, or on any other
// TensorFlow.js build passed in. Importing the package registers nothing: loading TensorFlow is
// asynchronous, so call `await registerCudaBackend()` and then `setBackend('cuda')`.
export { TfjsBackend, createTfjsBackend } from './backend.js';
export type { TfjsBackendOptions } from './backend.js';
export { createCudaBackend, registerCudaBackend, cudaGpuStatus } from './cuda.js';
export type { CudaBackendOptions } from './cuda.js';
export { loadTfjsNodeGpu, isMissingPackage, missingPackageError, loadFailureError } from './loader.js';
export type { ModuleImporter } from './loader.js';
export { checkGpu, findMissingCudaLibraries, banner } from './gpu-check.js';
export type { GpuStatus, GpuCheckEnvironment, TfjsDeviceInfo } from './gpu-check.js';
export { CUDA_LIBRARIES, CUDA_REQUIREMENT, INSTALL_COMMAND, TFJS_NODE_GPU } from './requirements.js';
export type { Tfjs } from './tfjs.js';

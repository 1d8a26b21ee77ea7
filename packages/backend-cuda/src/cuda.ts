import { existsSync } from 'node:fs';
import { BackendError, hasBackend, registerBackend } from '@plexus/tensor';
import { TfjsBackend } from './backend.js';
import { banner, checkGpu } from './gpu-check.js';
import type { GpuStatus } from './gpu-check.js';
import { loadTfjsNodeGpu } from './loader.js';
import type { ModuleImporter } from './loader.js';
import type { Tfjs } from './tfjs.js';

export interface CudaBackendOptions {
  /**
   * A TensorFlow.js module to run on instead of @tensorflow/tfjs-node-gpu: tfjs-core with
   * tfjs-backend-cpu (how CI runs this backend), the webgl build, tfjs-node… Injected modules are
   * used as they are: no GPU check.
   */
  tf?: Tfjs;
  /** Name of the backend (default 'cuda'). */
  name?: string;
  /**
   * What to do when tfjs-node-gpu loaded but TensorFlow is not using a GPU (missing CUDA
   * libraries make it fall back to the CPU silently): 'warn' (default) prints a loud banner,
   * 'throw' refuses, 'ignore' goes on quietly.
   */
  onCpuFallback?: 'warn' | 'throw' | 'ignore';
  /** Where the warning goes (default console.warn). */
  warn?: (message: string) => void;
  /** How the default loader imports tfjs-node-gpu (tests replace it). */
  importer?: ModuleImporter;
}

/** The GPU check of the last backend created from tfjs-node-gpu (undefined for injected modules). */
let lastGpuStatus: GpuStatus | undefined;
export function cudaGpuStatus(): GpuStatus | undefined {
  return lastGpuStatus;
}

/**
 * Creates the 'cuda' backend: loads @tensorflow/tfjs-node-gpu (unless `options.tf` injects another
 * TensorFlow.js build), checks that TensorFlow really uses a GPU, and wraps it in a TfjsBackend.
 */
export async function createCudaBackend(options: CudaBackendOptions = {}): Promise<TfjsBackend> {
  const name = options.name ?? 'cuda';
  if (options.tf) return new TfjsBackend(options.tf, { name });
  const tf = await loadTfjsNodeGpu(options.importer);
  const status = checkGpu(tf, { ldLibraryPath: process.env.LD_LIBRARY_PATH, exists: existsSync });
  lastGpuStatus = status;
  if (!status.onGpu) {
    const mode = options.onCpuFallback ?? 'warn';
    if (mode === 'throw') throw new BackendError(status.message);
    if (mode === 'warn') (options.warn ?? console.warn)(banner(status.message));
  }
  return new TfjsBackend(tf, { name });
}

const pending = new Map<string, Promise<TfjsBackend>>();

/**
 * Creates the backend (see createCudaBackend) and registers it, by default as 'cuda' with
 * priority 3, so that `setBackend('cuda')` selects it. Await it before setBackend: loading
 * TensorFlow is asynchronous. Calling it again returns the same backend; after a failure
 * (tfjs-node-gpu missing, say) a later call tries again.
 */
export async function registerCudaBackend(options: CudaBackendOptions & { priority?: number } = {}): Promise<TfjsBackend> {
  const name = options.name ?? 'cuda';
  const existing = pending.get(name);
  if (existing) return existing;
  if (hasBackend(name)) throw new BackendError(`registerCudaBackend: a backend named '${name}' is already registered by other code`);
  const created = createCudaBackend({ ...options, name });
  pending.set(name, created);
  try {
    const backend = await created;
    registerBackend(name, () => backend, { priority: options.priority ?? 3 });
    return backend;
  } catch (e) {
    pending.delete(name);
    throw e;
  }
}

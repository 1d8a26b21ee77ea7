import { CUDA_LIBRARIES, CUDA_LIBRARY_DIRS, INSTALL_COMMAND } from './requirements.js';

/** The bits of a tfjs module the check reads (tfjs-node's backend has `isUsingGpuDevice`). */
export interface TfjsDeviceInfo {
  getBackend(): string;
  backend(): unknown;
}

export interface GpuStatus {
  /** True only when TensorFlow says it placed ops on a GPU. */
  onGpu: boolean;
  /** The tfjs backend in use ('tensorflow' for tfjs-node-gpu). */
  tfBackend: string;
  /** CUDA libraries not found on LD_LIBRARY_PATH or the usual directories (only when not on a GPU). */
  missingLibraries: string[];
  /** What went wrong and how to fix it (empty when on a GPU). */
  message: string;
}

export interface GpuCheckEnvironment {
  /** LD_LIBRARY_PATH (default: process.env). */
  ldLibraryPath?: string;
  /** Whether a file exists (default: fs.existsSync). */
  exists?: (path: string) => boolean;
}

/** CUDA libraries libtensorflow needs that are in none of the directories it would search. */
export function findMissingCudaLibraries(ldLibraryPath: string, exists: (path: string) => boolean): string[] {
  const dirs = [...ldLibraryPath.split(':').filter((d) => d.length > 0), ...CUDA_LIBRARY_DIRS];
  return CUDA_LIBRARIES.filter((lib) => !dirs.some((d) => exists(`${d.replace(/\/+$/, '')}/${lib}`)));
}

/**
 * Detects TensorFlow's silent fallback to the CPU: libtensorflow loads fine without CUDA, logs a
 * "Could not load dynamic library" line, and runs everything on the host. tfjs-node's backend
 * reports `isUsingGpuDevice`; anything but `true` (or a backend other than 'tensorflow') means
 * no GPU is in use.
 */
export function checkGpu(tf: TfjsDeviceInfo, env: GpuCheckEnvironment): GpuStatus {
  const tfBackend = tf.getBackend();
  const usingGpu = (tf.backend() as { isUsingGpuDevice?: unknown } | null)?.isUsingGpuDevice;
  if (tfBackend === 'tensorflow' && usingGpu === true) return { onGpu: true, tfBackend, missingLibraries: [], message: '' };
  const missing = findMissingCudaLibraries(env.ldLibraryPath ?? '', env.exists ?? (() => false));
  const what =
    tfBackend !== 'tensorflow'
      ? `TensorFlow.js is running on its '${tfBackend}' backend, not tfjs-node-gpu's native 'tensorflow' one, so no op runs on a GPU.`
      : usingGpu === false
        ? 'TensorFlow found no usable GPU and silently fell back to the CPU: every op runs on the host, much slower.'
        : 'TensorFlow.js cannot tell whether a GPU is in use (this tfjs-node build has no isUsingGpuDevice).';
  const libs = missing.length
    ? `Not found on LD_LIBRARY_PATH or in ${CUDA_LIBRARY_DIRS.slice(0, 2).join(', ')}: ${missing.join(', ')}.`
    : 'The CUDA libraries were found, so check the driver (nvidia-smi must list the GPU) and that their versions are CUDA 11.2 / cuDNN 8.1.';
  const message = [
    `Plexus backend 'cuda': ${what}`,
    libs,
    'Fix: install CUDA 11.2 and cuDNN 8.1 (libtensorflow 2.9.1, which tfjs-node-gpu 4.x uses, is built against them) and',
    'make them visible, e.g. export LD_LIBRARY_PATH=/usr/local/cuda-11.2/lib64:/usr/local/cuda/extras/CUPTI/lib64:$LD_LIBRARY_PATH.',
    "TensorFlow's own log lines ('Could not load dynamic library ...') name each library it missed.",
    `(Reinstall with ${INSTALL_COMMAND} if the package came from a CPU-only mirror; use --backend js to run on the CPU on purpose.)`,
  ].join('\n');
  return { onGpu: false, tfBackend, missingLibraries: missing, message };
}

/** Frames a message so that it stands out in a training log. */
export function banner(message: string): string {
  const rule = '='.repeat(78);
  return `\n${rule}\n${message}\n${rule}\n`;
}

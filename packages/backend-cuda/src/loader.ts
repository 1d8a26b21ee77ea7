import { BackendError } from '@plexus/tensor';
import { CUDA_REQUIREMENT, INSTALL_COMMAND, TFJS_NODE_GPU } from './requirements.js';
import type { Tfjs } from './tfjs.js';

/** Imports a module by name; `(s) => import(s)` by default, replaceable in tests. */
export type ModuleImporter = (specifier: string) => Promise<unknown>;

const defaultImporter: ModuleImporter = (specifier) => import(specifier);

function withCause<E extends Error>(error: E, cause: unknown): E {
  error.cause = cause;
  return error;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** True when the error says the package itself cannot be found (as opposed to failing to load). */
export function isMissingPackage(e: unknown, specifier: string): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return false;
  // "Cannot find package '@tensorflow/tfjs-node-gpu' imported from …" (ESM) or "Cannot find
  // module '@tensorflow/tfjs-node-gpu'" (CJS); a missing file inside the package names a path.
  return new RegExp(`Cannot find (package|module) '${specifier.replace(/[/.*+?^${}()|[\]\\]/g, '\\$&')}'`).test(messageOf(e));
}

/** The error for a package that is not installed: the install command and what it needs. */
export function missingPackageError(cause: unknown): BackendError {
  return withCause(new BackendError(
    `backend 'cuda' needs ${TFJS_NODE_GPU}, which is not installed.\n` +
      `  Install it next to @plexus/backend-cuda: ${INSTALL_COMMAND}\n` +
      `  It needs ${CUDA_REQUIREMENT}; its install step downloads libtensorflow.\n` +
      `  Without a GPU, use another backend (--backend js, or PLEXUS_BACKEND=js), or pass any other ` +
      `TensorFlow.js build to createTfjsBackend(tf).`,
  ), cause);
}

/** The error for a package that is installed but does not load (its native addon or a library). */
export function loadFailureError(cause: unknown): BackendError {
  const text = messageOf(cause);
  const library = /(lib[\w+-]+\.so[\w.]*)/.exec(text)?.[1];
  const hint = library
    ? `The shared library ${library} could not be loaded: install ${CUDA_REQUIREMENT.replace(/^Linux x86-64 with /, '')} ` +
      `and add their lib directories to LD_LIBRARY_PATH (e.g. export LD_LIBRARY_PATH=/usr/local/cuda-11.2/lib64:$LD_LIBRARY_PATH).`
    : /tfjs_binding|native addon/i.test(text)
      ? `Its native addon is missing: the download during install probably failed. Reinstall it with network access ` +
        `(${INSTALL_COMMAND}) or rebuild it: npm rebuild ${TFJS_NODE_GPU} --build-addon-from-source.`
      : `It needs ${CUDA_REQUIREMENT}.`;
  return withCause(new BackendError(`backend 'cuda': ${TFJS_NODE_GPU} is installed but failed to load: ${text}\n  ${hint}`), cause);
}

function isTfjs(value: unknown): value is Tfjs {
  const v = value as Partial<Record<string, unknown>> | null;
  return !!v && typeof v.tensor === 'function' && typeof v.tidy === 'function' && typeof v.getBackend === 'function';
}

/**
 * Loads @tensorflow/tfjs-node-gpu with a dynamic import, so that this package installs and
 * imports without it. Throws a BackendError that says what to do when it is missing or broken.
 */
export async function loadTfjsNodeGpu(importer: ModuleImporter = defaultImporter): Promise<Tfjs> {
  let mod: unknown;
  try {
    mod = await importer(TFJS_NODE_GPU);
  } catch (e) {
    throw isMissingPackage(e, TFJS_NODE_GPU) ? missingPackageError(e) : loadFailureError(e);
  }
  // A CommonJS package: its exports arrive as `default` (and only partly as named exports).
  const fallback = (mod as { default?: unknown } | null)?.default;
  const tf = isTfjs(mod) ? mod : fallback;
  if (!isTfjs(tf)) throw loadFailureError(new Error('the module does not look like TensorFlow.js (no tensor/tidy/getBackend)'));
  return tf;
}

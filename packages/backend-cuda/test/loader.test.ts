import { BackendError } from '@plexus/tensor';
import { describe, expect, it } from 'vitest';
import { CUDA_REQUIREMENT, INSTALL_COMMAND, isMissingPackage, loadTfjsNodeGpu } from '../src/index.js';
import { tf } from './tfjs-cpu.js';

// The texts Node and tfjs-node-gpu really produce (captured from a broken and a missing install).
const notInstalled = Object.assign(
  new Error("Cannot find package '@tensorflow/tfjs-node-gpu' imported from /app/node_modules/@plexus/backend-cuda/dist/loader.js"),
  { code: 'ERR_MODULE_NOT_FOUND' },
);
const noAddon = new Error(
  'The Node.js native addon module (tfjs_binding.node) can not be found at path: /app/node_modules/@tensorflow/tfjs-node-gpu/lib/napi-v8/tfjs_binding.node. \n' +
    "Please run command 'npm rebuild @tensorflow/tfjs-node-gpu --build-addon-from-source' to rebuild the native addon module.",
);
const noCudart = new Error('libcudart.so.11.0: cannot open shared object file: No such file or directory');

async function failure(error: unknown): Promise<BackendError> {
  const e = await loadTfjsNodeGpu(() => Promise.reject(error)).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(BackendError);
  return e as BackendError;
}

describe('loadTfjsNodeGpu', () => {
  it('says how to install the package, and what it needs, when it is missing', async () => {
    const e = await failure(notInstalled);
    expect(e.message).toContain("backend 'cuda' needs @tensorflow/tfjs-node-gpu, which is not installed");
    expect(e.message).toContain(INSTALL_COMMAND);
    expect(e.message).toContain('CUDA 11.2 and cuDNN 8.1');
    expect(e.message).toContain(CUDA_REQUIREMENT);
    expect(e.cause).toBe(notInstalled);
  });

  it('tells an installed package whose native addon is missing from one that is not installed', async () => {
    const e = await failure(noAddon);
    expect(e.message).toContain('is installed but failed to load');
    expect(e.message).toContain('tfjs_binding.node');
    expect(e.message).toContain('npm rebuild @tensorflow/tfjs-node-gpu --build-addon-from-source');
    expect(e.message).not.toContain('which is not installed');
  });

  it('names a CUDA library that could not be loaded and how to make it visible', async () => {
    const e = await failure(noCudart);
    expect(e.message).toContain('The shared library libcudart.so.11.0 could not be loaded');
    expect(e.message).toContain('CUDA 11.2 and cuDNN 8.1');
    expect(e.message).toContain('LD_LIBRARY_PATH');
  });

  it('treats a file missing inside the package as a load failure, not a missing package', () => {
    const inner = Object.assign(new Error("Cannot find module '/app/node_modules/@tensorflow/tfjs-node-gpu/dist/index.js'"), { code: 'ERR_MODULE_NOT_FOUND' });
    expect(isMissingPackage(inner, '@tensorflow/tfjs-node-gpu')).toBe(false);
    expect(isMissingPackage(notInstalled, '@tensorflow/tfjs-node-gpu')).toBe(true);
    const cjs = Object.assign(new Error("Cannot find module '@tensorflow/tfjs-node-gpu'\nRequire stack: …"), { code: 'MODULE_NOT_FOUND' });
    expect(isMissingPackage(cjs, '@tensorflow/tfjs-node-gpu')).toBe(true);
    expect(isMissingPackage(new Error("Cannot find package '@tensorflow/tfjs-node-gpu'"), '@tensorflow/tfjs-node-gpu')).toBe(false);
  });

  it("returns the module's default export (tfjs-node-gpu is CommonJS) or the namespace itself", async () => {
    expect(await loadTfjsNodeGpu(() => Promise.resolve({ default: tf }))).toBe(tf);
    const ns = { ...tf, default: undefined };
    expect(await loadTfjsNodeGpu(() => Promise.resolve(ns))).toBe(ns);
    expect(await loadTfjsNodeGpu(() => Promise.resolve({ default: ns, version: {} }))).toBe(ns);
  });

  it('refuses a module that is not TensorFlow.js', async () => {
    const e = await loadTfjsNodeGpu(() => Promise.resolve({ default: { version: '1' } })).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(BackendError);
    expect((e as Error).message).toContain('does not look like TensorFlow.js');
  });

  it('imports the real package with the default importer (here: not installed, so the clear error)', async () => {
    const e = await loadTfjsNodeGpu().then(() => 'loaded', (err: unknown) => err);
    if (e === 'loaded') return; // a machine with tfjs-node-gpu: gpu.test.ts runs the suite on it
    expect(e).toBeInstanceOf(BackendError);
    expect((e as Error).message).toMatch(/which is not installed|is installed but failed to load/);
  });
});

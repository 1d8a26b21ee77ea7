import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

const require = createRequire(import.meta.url);

/** The installed version of a package of this app (from its package.json). */
export function packageVersion(name: string): string {
  return (require(`${name}/package.json`) as { version: string }).version;
}

/** The folder holding tfjs-backend-wasm's .wasm files: read from disk, never fetched. */
export function wasmDir(): string {
  return join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/';
}

/**
 * Switches TensorFlow.js to `name` ('cpu' or 'wasm') and returns a remark on its settings. The
 * union package `@tensorflow/tfjs` is what registers the gradients training needs.
 */
export async function useTfjsBackend(name: string): Promise<string> {
  if (name === 'wasm') setWasmPaths(wasmDir());
  else if (name !== 'cpu') throw new Error(`tfjs: unknown backend '${name}' (expected cpu or wasm)`);
  if (!(await tf.setBackend(name))) throw new Error(`tfjs: setBackend('${name}') failed`);
  await tf.ready();
  if (name === 'cpu') return '';
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  return `SIMD ${simd ? 'on' : 'off'}, ${threads ? 'threads' : '1 thread'}`;
}

export { tf };

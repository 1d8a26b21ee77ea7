import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ArgumentError, BackendError, DTypeError, ShapeError } from '@plexus/tensor';
import type { DataArray } from '@plexus/tensor';

/** A native tensor handle (a type-tagged external): opaque to JavaScript. */
export type NativeHandle = object;

/** What `describe` reports of a handle: the view it is on its storage. */
export interface HandleLayout {
  shape: number[];
  strides: number[];
  offset: number;
  dtype: number;
  storageBytes: number;
  storageRefs: number;
  contiguous: boolean;
}

/**
 * The op functions of one backend instance, bound natively to that instance's memory counts.
 * Every argument is validated natively; see native/ops.h for the argument order.
 */
export interface NativeContext {
  write(values: DataArray, shape: readonly number[], dtype: number): NativeHandle;
  read(h: NativeHandle): DataArray;
  dispose(h: NativeHandle): void;
  memory(): [number, number];
  describe(h: NativeHandle): HandleLayout;
  binary(op: number, a: NativeHandle, b: NativeHandle, shape: readonly number[], dtype: number): NativeHandle;
  compare(op: number, a: NativeHandle, b: NativeHandle, shape: readonly number[]): NativeHandle;
  where(c: NativeHandle, a: NativeHandle, b: NativeHandle, shape: readonly number[], dtype: number): NativeHandle;
  unary(op: number, x: NativeHandle, shape: readonly number[]): NativeHandle;
  cast(x: NativeHandle, dtype: number, shape: readonly number[]): NativeHandle;
  reduce(op: number, x: NativeHandle, axes: readonly number[], shape: readonly number[], dtype: number): NativeHandle;
  argreduce(op: number, x: NativeHandle, axis: number, shape: readonly number[]): NativeHandle;
  reshape(x: NativeHandle, shape: readonly number[]): NativeHandle;
  permute(x: NativeHandle, perm: readonly number[], shape: readonly number[]): NativeHandle;
  expand(x: NativeHandle, shape: readonly number[]): NativeHandle;
  slice(x: NativeHandle, begin: readonly number[], end: readonly number[], step: readonly number[], shape: readonly number[]): NativeHandle;
  pad(x: NativeHandle, pads: readonly number[], value: number, shape: readonly number[]): NativeHandle;
  concat(xs: readonly NativeHandle[], axis: number, shape: readonly number[]): NativeHandle;
  gather(x: NativeHandle, index: NativeHandle, axis: number, shape: readonly number[]): NativeHandle;
  scatterAdd(x: NativeHandle, index: NativeHandle, src: NativeHandle, axis: number, shape: readonly number[]): NativeHandle;
  matmul(a: NativeHandle, b: NativeHandle, shape: readonly number[], dtype: number): NativeHandle;
  softmax(kind: number, x: NativeHandle, axis: number, shape: readonly number[]): NativeHandle;
  conv2d(x: NativeHandle, w: NativeHandle, bias: NativeHandle | null, params: readonly number[], shape: readonly number[]): NativeHandle;
  convTranspose2d(x: NativeHandle, w: NativeHandle, bias: NativeHandle | null, params: readonly number[], shape: readonly number[]): NativeHandle;
  pool2d(kind: number, x: NativeHandle, params: readonly number[], shape: readonly number[]): NativeHandle;
  conv2dWeightGrad(x: NativeHandle, g: NativeHandle, params: readonly number[], shape: readonly number[]): NativeHandle;
  pool2dBackward(kind: number, x: NativeHandle | null, g: NativeHandle, params: readonly number[], shape: readonly number[]): NativeHandle;
}

/** The instruction set the kernels use, the best one the CPU offers, and the thread count. */
export interface CpuFeatures {
  isa: 'avx512' | 'avx2' | 'neon' | 'scalar';
  detected: 'avx512' | 'avx2' | 'neon' | 'scalar';
  threads: number;
}

interface NativeAddon {
  createContext(): NativeContext;
  setErrorClasses(backend: unknown, shape: unknown, dtype: unknown, argument: unknown): void;
  features(): CpuFeatures;
  setFeatures(name: string): string;
  setNumThreads(n: number): number;
  cachedBytes(trim?: boolean): number;
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
let addon: NativeAddon | undefined;
let failure: string | undefined;

/** Why the addon could not be loaded: the build's saved reason when there is one. */
function reasonFor(path: string, error: unknown): string {
  const saved = join(root, 'build', 'error.txt');
  if (existsSync(saved)) return `its build failed: ${readFileSync(saved, 'utf8').trim().split('\n').slice(0, 6).join(' | ')}`;
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  return existsSync(path) ? `loading ${path} failed: ${message}` : `${path} does not exist (the install-time build did not run)`;
}

function load(): NativeAddon | undefined {
  if (addon || failure) return addon;
  // PLEXUS_CPU_ADDON points at another build of the addon (the sanitizer build of test:asan).
  const path = process.env.PLEXUS_CPU_ADDON || join(root, 'build', 'Release', 'plexus_cpu.node');
  try {
    const loaded = createRequire(import.meta.url)(path) as NativeAddon;
    loaded.setErrorClasses(BackendError, ShapeError, DTypeError, ArgumentError);
    addon = loaded;
  } catch (e) {
    failure = reasonFor(path, e);
  }
  return addon;
}

/** Whether the native addon was built and loads on this machine. */
export function isNativeAvailable(): boolean {
  return load() !== undefined;
}

/** The loaded addon, or a BackendError that says why there is none and what to use instead. */
export function nativeAddon(): NativeAddon {
  const a = load();
  if (!a) {
    throw new BackendError(
      `backend 'cpu' is unavailable: the native addon of @plexus/backend-cpu could not be loaded (${failure}). ` +
        "Rebuild it with `npm rebuild @plexus/backend-cpu` (needs a C++17 compiler, make and Python 3), " +
        "or use the pure JavaScript backend: import '@plexus/backend-js' and setBackend('js').",
    );
  }
  return a;
}

/** The instruction set and thread count the kernels use. */
export function cpuFeatures(): CpuFeatures {
  return nativeAddon().features();
}

/**
 * Chooses the kernels' instruction set at run time ('scalar', 'avx2', 'avx512', or 'native' for
 * the best one), never above what the CPU supports; returns the one now in use. Meant for tests and
 * benchmarks; the PLEXUS_CPU_FEATURES environment variable does the same at load.
 */
export function setCpuFeatures(level: 'scalar' | 'avx2' | 'avx512' | 'neon' | 'native'): string {
  if (typeof level !== 'string') throw new ArgumentError(`setCpuFeatures: expected a level name, got ${typeof level}`);
  return nativeAddon().setFeatures(level);
}

/** Sets how many threads ops may use (PLEXUS_NUM_THREADS does the same at load). */
export function setNumThreads(n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new ArgumentError(`setNumThreads: expected a positive integer, got ${n}`);
  return nativeAddon().setNumThreads(n);
}

/** Bytes of freed tensor memory kept for reuse; `release` returns them to the system first. */
export function cachedBytes(release = false): number {
  return nativeAddon().cachedBytes(release);
}

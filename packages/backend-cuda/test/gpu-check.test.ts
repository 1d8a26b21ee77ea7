import { BackendError, listBackends, registerBackend, setBackend, tensor } from '@plexus/tensor';
import { describe, expect, it, vi } from 'vitest';
import { CUDA_LIBRARIES, checkGpu, createTfjsBackend, createCudaBackend, cudaGpuStatus, findMissingCudaLibraries, registerCudaBackend } from '../src/index.js';
import type { Tfjs } from '../src/index.js';
import { tf } from './tfjs-cpu.js';

/** tfjs-node's backend object reports whether TensorFlow placed ops on a GPU. */
const fakeNode = (isUsingGpuDevice: boolean | undefined, backend = 'tensorflow') => ({
  getBackend: () => backend,
  backend: () => ({ isUsingGpuDevice }),
});

/** A working tfjs (the CPU build) dressed up as tfjs-node-gpu in the given state. */
const fakeTfjsNodeGpu = (isUsingGpuDevice: boolean): Tfjs => ({ ...tf, ...fakeNode(isUsingGpuDevice) }) as unknown as Tfjs;

describe('checkGpu: silent fallback to the CPU', () => {
  it('is quiet when TensorFlow uses a GPU', () => {
    const s = checkGpu(fakeNode(true), { ldLibraryPath: '', exists: () => false });
    expect(s).toEqual({ onGpu: true, tfBackend: 'tensorflow', missingLibraries: [], message: '' });
  });

  it('says so when TensorFlow fell back to the CPU, naming the missing libraries and the fix', () => {
    const s = checkGpu(fakeNode(false), { ldLibraryPath: '/opt/cuda/lib64', exists: (p) => p === '/opt/cuda/lib64/libcublas.so.11' });
    expect(s.onGpu).toBe(false);
    expect(s.missingLibraries).toEqual(CUDA_LIBRARIES.filter((l) => l !== 'libcublas.so.11'));
    expect(s.message).toContain('silently fell back to the CPU');
    expect(s.message).toContain('libcudart.so.11.0');
    expect(s.message).toContain('libcudnn.so.8');
    expect(s.message).not.toContain('libcublas.so.11,');
    expect(s.message).toContain('install CUDA 11.2 and cuDNN 8.1');
    expect(s.message).toContain('LD_LIBRARY_PATH');
  });

  it('points at the driver when every library is present', () => {
    const s = checkGpu(fakeNode(false), { ldLibraryPath: '', exists: () => true });
    expect(s.missingLibraries).toEqual([]);
    expect(s.message).toContain('nvidia-smi');
  });

  it('flags a non-native tfjs backend and a build that cannot tell', () => {
    expect(checkGpu(fakeNode(true, 'cpu'), {}).message).toContain("running on its 'cpu' backend");
    expect(checkGpu(fakeNode(undefined), {}).message).toContain('cannot tell whether a GPU is in use');
  });

  it('searches LD_LIBRARY_PATH entries, then the standard CUDA directories', () => {
    const seen: string[] = [];
    findMissingCudaLibraries('/a:/b/::', (p) => (seen.push(p), false));
    expect(seen.slice(0, 3)).toEqual(['/a/libcudart.so.11.0', '/b/libcudart.so.11.0', '/usr/local/cuda-11.2/lib64/libcudart.so.11.0']);
    expect(findMissingCudaLibraries('', (p) => p.startsWith('/usr/local/cuda/lib64/'))).toEqual([]);
  });
});

describe('createCudaBackend with tfjs-node-gpu (faked)', () => {
  it('warns loudly, once, when TensorFlow runs on the CPU, and still works', async () => {
    const warn = vi.fn();
    const b = await createCudaBackend({ importer: () => Promise.resolve({ default: fakeTfjsNodeGpu(false) }), warn });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toMatch(/^\n={78}\nPlexus backend 'cuda': TensorFlow found no usable GPU/);
    expect(cudaGpuStatus()?.onGpu).toBe(false);
    expect(b.name).toBe('cuda');
    expect(Array.from(tensor([1, 2], { backend: b }).mul(3).dataSync())).toEqual([3, 6]);
  });

  it("refuses with onCpuFallback: 'throw', and is silent with 'ignore' or on a GPU", async () => {
    const importer = () => Promise.resolve({ default: fakeTfjsNodeGpu(false) });
    await expect(createCudaBackend({ importer, onCpuFallback: 'throw' })).rejects.toThrow(BackendError);
    const warn = vi.fn();
    await createCudaBackend({ importer, onCpuFallback: 'ignore', warn });
    await createCudaBackend({ importer: () => Promise.resolve({ default: fakeTfjsNodeGpu(true) }), warn });
    expect(warn).not.toHaveBeenCalled();
    expect(cudaGpuStatus()?.onGpu).toBe(true);
  });

  it('uses an injected module as it is, without a GPU check', async () => {
    const warn = vi.fn();
    const b = await createCudaBackend({ tf, warn });
    expect(warn).not.toHaveBeenCalled();
    expect(b.tf).toBe(tf);
  });
});

describe('registerCudaBackend', () => {
  it("registers 'cuda' so that setBackend finds it, and returns the same backend when called again", async () => {
    const b = await registerCudaBackend({ tf });
    expect(listBackends()).toContain('cuda');
    expect(setBackend('cuda')).toBe(b);
    expect(await registerCudaBackend({ tf })).toBe(b);
    expect(Array.from(await tensor([[1, 2], [3, 4]]).matmul(tensor([[1], [1]])).data())).toEqual([3, 7]);
  });

  it('rejects with the clear error when tfjs-node-gpu is missing, and can be retried', async () => {
    const missing = Object.assign(new Error("Cannot find package '@tensorflow/tfjs-node-gpu' imported from x"), { code: 'ERR_MODULE_NOT_FOUND' });
    await expect(registerCudaBackend({ name: 'cuda-retry', importer: () => Promise.reject(missing) })).rejects.toThrow(/npm install @tensorflow\/tfjs-node-gpu/);
    expect(listBackends()).not.toContain('cuda-retry');
    const b = await registerCudaBackend({ name: 'cuda-retry', tf });
    expect(b.name).toBe('cuda-retry');
  });

  it('will not replace a backend of the same name registered by other code', async () => {
    registerBackend('taken', () => createTfjsBackend(tf));
    await expect(registerCudaBackend({ name: 'taken', tf })).rejects.toThrow(/already registered/);
  });
});

import { grad } from '@plexus/autograd';
import { listCases, runCase } from '@plexus/backend-testkit';
import { BackendError, DTypeError, fromData, manualSeed, noGrad, randn, scope, tensor, zeros } from '@plexus/tensor';
import type { Tensor } from '@plexus/tensor';
import { describe, expect, it } from 'vitest';
import { collectGarbage } from './gc.js';
import { createCpuBackend, tf } from './tfjs-cpu.js';

const live = () => tf.memory().numTensors;

describe('tf tensors are released', () => {
  it('by dispose() and scope(), with memory() counting handles and bytes', () => {
    const b = createCpuBackend();
    const start = live();
    const x = tensor([[1, 2], [3, 4]], { backend: b });
    const y = x.matmul(x);
    expect(live()).toBe(start + 2);
    expect(b.memory()).toEqual({ numHandles: 2, numBytes: 32 });
    y.dispose();
    x.dispose();
    expect(live()).toBe(start);
    expect(b.memory()).toEqual({ numHandles: 0, numBytes: 0 });
    const kept = scope(() => tensor([1, 2, 3], { backend: b }).exp().softmax(0).sum());
    expect(live()).toBe(start + 1);
    kept.dispose();
    expect(live()).toBe(start);
  });

  it('by the garbage collector when tensors become unreachable', async () => {
    const b = createCpuBackend();
    await collectGarbage();
    const start = live();
    (() => {
      for (let i = 0; i < 50; i++) tensor([i, i + 1], { backend: b }).mul(2).add(1);
    })();
    expect(live()).toBeGreaterThanOrEqual(start + 150);
    await collectGarbage();
    expect(live()).toBe(start);
    expect(b.memory().numHandles).toBe(0);
  });

  it('by the garbage collector for a handle that never became a Tensor', async () => {
    const b = createCpuBackend();
    await collectGarbage();
    const start = live();
    (() => {
      b.write(new Float32Array([1, 2, 3]), [3], 'float32');
    })();
    expect(live()).toBe(start + 1);
    expect(b.memory().numHandles).toBe(1);
    await collectGarbage();
    expect(live()).toBe(start);
    expect(b.memory()).toEqual({ numHandles: 0, numBytes: 0 });
  });

  it('including every temporary: the whole conformance suite leaves no tf tensor behind', async () => {
    const b = createCpuBackend();
    const cases = listCases().filter((c) => c.dtype !== 'float64');
    await collectGarbage();
    const start = live();
    for (const c of cases) {
      const r = await runCase(c, b);
      expect(r.status, `${c.id}: ${r.message}`).not.toBe('fail');
    }
    await collectGarbage();
    expect(live()).toBe(start);
    expect(b.memory().numHandles).toBe(0);
  }, 60_000);

  it('and a kernel that fails part-way leaks nothing (its tf.tidy frees the temporaries)', () => {
    const b = createCpuBackend();
    const x = { dataId: b.write(new Float32Array([1, 2, 3, 4]), [2, 2], 'float32'), shape: [2, 2], dtype: 'float32' as const };
    const start = live();
    // An output shape that does not match what the kernel computes: the adapter's own check fires.
    expect(() => b.primitives.matmul([x, x], {}, { shape: [3, 3], dtype: 'float32' })).toThrow(/computed shape \[2,2\], expected \[3,3\]/);
    expect(live()).toBe(start);
    b.dispose(x.dataId);
  });
});

describe('a 1,000-step training loop with no manual disposal', () => {
  it('keeps tf.memory().numTensors bounded', async () => {
    const b = createCpuBackend();
    manualSeed(1);
    const x = randn([64, 8], { backend: b });
    const y = x.matmul(randn([8, 1], { backend: b })).tanh();
    let params: Tensor[] = [randn([8, 16], { backend: b }).mul(0.3), zeros([16], { backend: b }), randn([16, 1], { backend: b }).mul(0.3), zeros([1], { backend: b })];
    const loss = (w1: Tensor, b1: Tensor, w2: Tensor, b2: Tensor) => x.matmul(w1).add(b1).tanh().matmul(w2).add(b2).sub(y).square().mean();
    const lossGrad = grad(loss, [0, 1, 2, 3]);
    await collectGarbage();
    const start = live();
    const samples: number[] = [];
    let first = 0;
    let last = 0;
    for (let step = 1; step <= 1000; step++) {
      const grads = lossGrad(...params);
      params = noGrad(() => params.map((p, i) => p.sub(grads[i].mul(0.1))));
      if (step === 1) first = loss(...(params as [Tensor, Tensor, Tensor, Tensor])).item() as number;
      if (step % 100 === 0) {
        await collectGarbage();
        samples.push(live() - start);
      }
    }
    last = loss(...(params as [Tensor, Tensor, Tensor, Tensor])).item() as number;
    expect(last).toBeLessThan(first * 0.5);
    // Only the 4 live parameters (they replaced the 4 initial ones) and what the closure holds.
    expect(Math.max(...samples)).toBeLessThanOrEqual(8);
    expect(samples[samples.length - 1]).toBeLessThanOrEqual(samples[0]);
  }, 60_000);
});

describe('float64 and misuse', () => {
  it('refuses float64 with a message that says why and what to do', () => {
    const b = createCpuBackend();
    expect(b.dtypes).toEqual(['float32', 'int32', 'bool']);
    const direct = (() => {
      try {
        b.write(new Float64Array([1]), [1], 'float64');
      } catch (e) {
        return e;
      }
    })();
    expect(direct).toBeInstanceOf(DTypeError);
    expect((direct as Error).message).toMatch(/backend 'cuda' does not support float64: TensorFlow\.js has no 64-bit floats/);
    expect((direct as Error).message).toContain("'js'");
    expect(() => fromData('test', new Float64Array([1, 2]), [2], { backend: b })).toThrow(/float64/);
    expect(() => tensor([1, 2], { backend: b }).cast('float64')).toThrow(/backend 'cuda' does not support dtype float64/);
  });

  it('refuses a disposed handle, a double dispose and a handle of another backend', async () => {
    const b = createCpuBackend();
    const other = createCpuBackend();
    const info = { dataId: b.write(new Int32Array([1, 2]), [2], 'int32'), shape: [2], dtype: 'int32' as const };
    expect(() => other.readSync(info)).toThrow(BackendError);
    expect(() => other.dispose(info.dataId)).toThrow(/does not belong to backend 'cuda'/);
    b.dispose(info.dataId);
    expect(() => b.dispose(info.dataId)).toThrow(/already disposed/);
    await expect(b.read(info)).rejects.toThrow(/read: tensor data was already disposed \(backend 'cuda'\)/);
    expect(() => b.primitives.neg([info], {}, { shape: [2], dtype: 'int32' })).toThrow(/neg: tensor data was already disposed/);
  });

  it('copies what it writes and what it reads (the CPU build would otherwise share arrays)', () => {
    const b = createCpuBackend();
    const src = new Float32Array([1, 2]);
    const info = { dataId: b.write(src, [2], 'float32'), shape: [2], dtype: 'float32' as const };
    src[0] = 9;
    const out = b.readSync(info);
    out[1] = 9;
    expect(Array.from(b.readSync(info))).toEqual([1, 2]);
    const bools = { dataId: b.write(new Uint8Array([0, 2, 255]), [3], 'bool'), shape: [3], dtype: 'bool' as const };
    expect(Array.from(b.readSync(bools))).toEqual([0, 1, 1]);
  });
});

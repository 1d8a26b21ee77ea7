import '@plexus/backend-js';
import { describe, expect, it } from 'vitest';
import { findBackend, matmul, randn, scope } from '@plexus/tensor';
import { profileOps } from '../src/op-profile.js';

describe('profileOps', () => {
  it('counts each backend op per step, by shape when asked, and puts the backend back', () => {
    const backend = findBackend('js');
    const before = { matmul: backend.primitives.matmul, write: backend.write };
    const a = randn([3, 4], { backend });
    const b = randn([4, 2], { backend });
    const step = () => scope(() => void matmul(a, b).relu().sum().item());
    const plain = profileOps(backend, step, { warmup: 1, steps: 3 });
    expect(plain.ops.find((o) => o.op === 'matmul')?.callsPerStep).toBe(1);
    expect(plain.backendMsPerStep).toBeLessThanOrEqual(plain.msPerStep);
    const shaped = profileOps(backend, step, { warmup: 0, steps: 2, byShape: true });
    expect(shaped.ops.map((o) => o.op)).toContain('matmul [3,4] [4,2]');
    expect(backend.primitives.matmul).toBe(before.matmul);
    expect(backend.write).toBe(before.write);
  });
});

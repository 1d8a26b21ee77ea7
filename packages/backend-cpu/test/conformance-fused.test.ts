import { runBackendConformance } from '@plexus/backend-testkit';
import { add, tensor } from '@plexus/tensor';
import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '../src/index.js';

// The suite with every elementwise op deferred (even on tiny tensors): each primitive's result
// then comes from the fused evaluator, and reductions consume expressions directly. The addon
// reads the threshold at the first op, so setting it here (before any op) is enough.
process.env.PLEXUS_CPU_LAZY = '1';

runBackendConformance('cpu (every elementwise op fused)', createCpuBackend);

describe('the threshold', () => {
  it('defers even a 4-element add here', () => {
    const b = createCpuBackend();
    const x = tensor([1, 2, 3, 4], { backend: b });
    const before = b.memory().numBytes;
    const y = add(x, x);
    expect(b.memory().numBytes).toBe(before);
    expect(Array.from(y.dataSync())).toEqual([2, 4, 6, 8]);
    expect(b.memory().numBytes).toBe(before + 16);
  });
});

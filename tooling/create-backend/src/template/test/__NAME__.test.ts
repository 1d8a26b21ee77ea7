import { getBackend, setBackend, tensor } from '@plexus/tensor';
import { describe, expect, it } from 'vitest';
import { create__CLASS__ } from '../src/index.js';

describe("backend '__NAME__'", () => {
  it("is registered as '__NAME__' by importing the package", () => {
    setBackend('__NAME__');
    expect(getBackend().name).toBe('__NAME__');
    expect(tensor([[1, 2], [3, 4]]).matmul(tensor([[1], [1]])).toArraySync()).toEqual([[3], [7]]);
  });

  it('runs its own neg kernel, wrapping int32 like the reference', () => {
    const backend = create__CLASS__();
    expect(tensor([1.5, -2, 0], { backend }).neg().toArraySync()).toEqual([-1.5, 2, -0]);
    expect(tensor([-2147483648, 7], { backend, dtype: 'int32' }).neg().toArraySync()).toEqual([-2147483648, -7]);
  });

  it('counts its handles and releases them on dispose', () => {
    const backend = create__CLASS__();
    const x = tensor([1, 2, 3], { backend });
    const y = x.add(1);
    expect(backend.memory()).toEqual({ numHandles: 3, numBytes: 3 * 4 + 4 + 3 * 4 }); // x, the scalar 1, y
    x.dispose();
    y.dispose();
    expect(backend.memory().numHandles).toBe(1);
  });
});

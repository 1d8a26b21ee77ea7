import { setBackend, tensor } from '@plexus/tensor';
import { describe, expect, it } from 'vitest';
import '../src/index.js';

describe('README example through the Tensor API', () => {
  it('computes what the README says', () => {
    setBackend('js');
    const a = tensor([[1, 2], [3, 4]]);
    const b = tensor([[5, 6], [7, 8]]);
    const c = a.matmul(b).add(tensor([1, 1]));
    expect(c.toArraySync()).toEqual([[20, 23], [44, 51]]);
    expect(c.sum().toArraySync()).toEqual(138);
  });
});

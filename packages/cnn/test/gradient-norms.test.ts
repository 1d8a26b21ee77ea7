import './helpers.js';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '@plexus/tensor';
import { ArgumentError, PlexusError, manualSeed, noGrad, rand, randint, tensor } from '@plexus/tensor';
import { Linear, ReLU, Sequential } from '@plexus/nn';
import { gradientNorms, measureGradientNorms, resnet } from '../src/index.js';

function set(p: Tensor, v: number[][] | number[]): void {
  noGrad(() => p.assign(tensor(v)));
}

describe('gradientNorms', () => {
  it('gives each layer\'s weight-gradient L2 norm in depth order (hand-computed)', () => {
    // L = W2·(W1·x) with W1 = [[1,2],[3,4]], W2 = [[1,−1]], x = [1,1]: h = [3,7],
    // ∂L/∂W2 = hᵀ = [3,7] (norm √58), ∂L/∂W1 = W2ᵀxᵀ = [[1,1],[−1,−1]] (norm 2).
    const model = new Sequential(new Linear(2, 2, { bias: false }), new Linear(2, 1, { bias: false }));
    set(model.at(0).parameters()[0], [[1, 2], [3, 4]]);
    set(model.at(1).parameters()[0], [[1, -1]]);
    model.forward(tensor([[1, 1]])).sum().backward();
    const norms = gradientNorms(model);
    expect(norms.map((n) => [n.name, n.kind])).toEqual([['0', 'linear'], ['1', 'linear']]);
    expect(norms[0].norm).toBeCloseTo(2, 6);
    expect(norms[1].norm).toBeCloseTo(Math.sqrt(58), 5);
  });

  it('lists a ResNet\'s main-path convs and fc (depth of them), shortcuts only on request', () => {
    manualSeed(0);
    const net = resnet({ depth: 14, width: 4 });
    net.forward(rand([2, 1, 8, 8])).sum().backward();
    const main = gradientNorms(net);
    expect(main).toHaveLength(net.depth);
    expect(main[0].name).toBe('conv1');
    expect(main[1].name).toBe('layers.0.0.conv1');
    expect(main.at(-1)).toMatchObject({ name: 'fc', kind: 'linear' });
    expect(main.every((n) => n.norm > 0 && Number.isFinite(n.norm))).toBe(true);
    const all = gradientNorms(net, { shortcuts: true });
    expect(all.map((n) => n.name).filter((n) => n.includes('downsample'))).toEqual(['layers.1.0.downsample.0', 'layers.2.0.downsample.0']);
  });

  it('measureGradientNorms averages the norms over batches and leaves no gradients behind', () => {
    manualSeed(1);
    const model = new Sequential(new Linear(3, 4), new ReLU(), new Linear(4, 2));
    const batches: [Tensor, Tensor][] = [0, 1, 2].map(() => [rand([5, 3]), randint(0, 2, [5], { dtype: 'int32' })]);
    const mean = measureGradientNorms(model, batches);
    const each = batches.map(([x, y]) => {
      model.zeroGrad();
      model.forward(x).logSoftmax(-1).neg().gather(1, y.reshape([5, 1])).mean().backward();
      return gradientNorms(model);
    });
    model.zeroGrad();
    mean.forEach((m, i) => expect(m.norm).toBeCloseTo((each[0][i].norm + each[1][i].norm + each[2][i].norm) / 3, 6));
    expect(model.parameters().every((p) => p.grad === null)).toBe(true);
  });

  it('shows vanishing gradients in a deep plain net with PyTorch\'s default init, not in the ResNet', () => {
    manualSeed(2);
    const x = rand([8, 1, 8, 8]);
    const y = randint(0, 10, [8], { dtype: 'int32' });
    const ratio = (net: ReturnType<typeof resnet>): number => {
      const n = measureGradientNorms(net, [[x, y]]);
      return n[0].norm / n[n.length - 1].norm;
    };
    manualSeed(3);
    const plain = ratio(resnet({ depth: 20, width: 4, residual: false, batchNorm: false, init: 'default' }));
    manualSeed(3);
    const res = ratio(resnet({ depth: 20, width: 4 }));
    expect(plain).toBeLessThan(1e-4);
    expect(res).toBeGreaterThan(1e-2);
  });

  it('rejects calls before backward, models without weighted layers and empty batch lists', () => {
    const model = new Sequential(new Linear(2, 2));
    expect(() => gradientNorms(model)).toThrow(PlexusError);
    expect(() => gradientNorms(model)).toThrow("gradientNorms: layer '0' has no gradient; call loss.backward() first");
    expect(() => gradientNorms(new Sequential(new ReLU()))).toThrow('gradientNorms: Sequential has no conv or linear layers');
    expect(() => gradientNorms({} as Sequential)).toThrow(ArgumentError);
    expect(() => measureGradientNorms(model, [])).toThrow('measureGradientNorms: expected at least one batch');
    expect(() => measureGradientNorms(model, [[tensor([1, 2])] as unknown as [Tensor, Tensor]])).toThrow(ArgumentError);
  });
});

import './helpers.js';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '@plexus/tensor';
import { ArgumentError, DTypeError, PlexusError, manualSeed, ones, randn, scope, tensor, zeros } from '@plexus/tensor';
import {
  BatchNorm1d, Dropout, Linear, Module, ModuleList, Parameter, ReLU, Sequential, functionalCall, gradCheckModule, isParameter,
} from '../src/index.js';
import { expectClose, values } from './helpers.js';

class Block extends Module {
  fc = new Linear(3, 4);
  act = new ReLU();
  extra = [new Linear(2, 2)]; // arrays are NOT scanned
  plain = zeros([2]); // a plain tensor is not a parameter
  scale = new Parameter(ones([1]));

  forward(x: Tensor): Tensor {
    return this.act.forward(this.fc.forward(x)).mul(this.scale);
  }
}

class Net extends Module {
  block = new Block();
  layers = new ModuleList([new Linear(4, 4), new Linear(4, 2)]);
  norm = new BatchNorm1d(2);

  forward(x: Tensor): Tensor {
    let y = this.block.forward(x);
    for (const l of this.layers) y = l.forward(y);
    return this.norm.forward(y);
  }
}

describe('Parameter', () => {
  it('is a leaf tensor that requires grad and owns a copy of its data', () => {
    const t = tensor([1, 2, 3]);
    const p = new Parameter(t);
    expect(p.requiresGrad).toBe(true);
    expect(p.isLeaf).toBe(true);
    expect(isParameter(p)).toBe(true);
    expect(isParameter(t)).toBe(false);
    expect(values(p)).toEqual([1, 2, 3]);
    p.assign(tensor([4, 5, 6]));
    expect(values(t)).toEqual([1, 2, 3]);
    expect(new Parameter(t, false).requiresGrad).toBe(false);
    expect(p.toString()).toContain('Parameter containing');
  });

  it('receives gradients from backward', () => {
    const p = new Parameter(tensor([1, 2]));
    p.mul(p).sum().backward();
    expect(values(p.grad as Tensor)).toEqual([2, 4]);
  });

  it('rejects integer data (only floats can require grad)', () => {
    expect(() => new Parameter(tensor([1], { dtype: 'int32' }))).toThrow(DTypeError);
  });
});

describe('Module discovery', () => {
  it('finds children and parameters in definition order, with dotted names', () => {
    const net = new Net();
    expect(net.namedParameters().map(([n]) => n)).toEqual([
      'block.scale', 'block.fc.weight', 'block.fc.bias', 'layers.0.weight', 'layers.0.bias', 'layers.1.weight', 'layers.1.bias',
      'norm.weight', 'norm.bias',
    ]);
    expect(net.namedChildren().map(([n]) => n)).toEqual(['block', 'layers', 'norm']);
    expect(net.children()).toHaveLength(3);
    expect(net.namedModules().map(([n]) => n)).toEqual(['', 'block', 'block.fc', 'block.act', 'layers', 'layers.0', 'layers.1', 'norm']);
    expect(net.modules()[0]).toBe(net);
    expect(net.parameters()).toHaveLength(9);
    expect(net.namedParameters({ recurse: false })).toEqual([]);
    expect(net.block.namedParameters({ recurse: false }).map(([n]) => n)).toEqual(['scale']);
  });

  it('does not scan arrays or plain tensors', () => {
    const b = new Block();
    expect(b.parameters()).not.toContain(b.extra[0].weight);
    expect(b.numParameters()).toBe(3 * 4 + 4 + 1);
  });

  it('lists a shared parameter once', () => {
    class Tied extends Module {
      a = new Linear(2, 2);
      b = new Linear(2, 2);
      constructor() {
        super();
        this.b.weight = this.a.weight;
      }
      forward(x: Tensor): Tensor {
        return this.b.forward(this.a.forward(x));
      }
    }
    const m = new Tied();
    expect(m.namedParameters().map(([n]) => n)).toEqual(['a.weight', 'a.bias', 'b.bias']);
    expect(m.numParameters()).toBe(4 + 2 + 2);
  });

  it('keeps buffers in a map and reports them by dotted name', () => {
    const net = new Net();
    expect(net.namedBuffers().map(([n]) => n)).toEqual(['norm.runningMean', 'norm.runningVar', 'norm.numBatchesTracked']);
    expect(net.buffers()).toHaveLength(3);
    expect(net.norm.getBuffer('runningVar')).toBe(net.norm.runningVar);
    expect(() => net.norm.getBuffer('nope')).toThrow(/no buffer 'nope' \(buffers: runningMean, runningVar, numBatchesTracked\)/);
    expect(() => net.registerBuffer('a.b', zeros([1]))).toThrow(ArgumentError);
    expect(() => net.registerBuffer('block', zeros([1]))).toThrow(/already a property/);
  });

  it('leaves non-persistent buffers out of the state dict', () => {
    class Cached extends Module {
      constructor() {
        super();
        this.registerBuffer('table', ones([3]));
        this.registerBuffer('cache', zeros([2]), { persistent: false });
      }
      forward(): Tensor {
        return this.getBuffer('table');
      }
    }
    const m = new Cached();
    expect(m.namedBuffers().map(([n]) => n)).toEqual(['table', 'cache']);
    expect(Object.keys(m.stateDict())).toEqual(['table']);
    m.loadStateDict({ table: zeros([3]) });
    expect(values(m.forward())).toEqual([0, 0, 0]);
  });

  it('counts parameters, optionally only trainable ones', () => {
    const net = new Net();
    const total = 1 + 3 * 4 + 4 + 4 * 4 + 4 + 4 * 2 + 2 + 2 + 2;
    expect(net.numParameters()).toBe(total);
    net.block.fc.requiresGrad_(false);
    expect(net.numParameters({ trainableOnly: true })).toBe(total - 16);
  });
});

describe('Module modes and gradients', () => {
  it('propagates train/eval to every descendant', () => {
    const net = new Net();
    expect(net.modules().every((m) => m.training)).toBe(true);
    expect(net.eval()).toBe(net);
    expect(net.modules().every((m) => !m.training)).toBe(true);
    net.train();
    expect(net.modules().every((m) => m.training)).toBe(true);
    net.train(false);
    expect(net.layers.at(1).training).toBe(false);
  });

  it('zeroGrad sets every gradient to null', () => {
    manualSeed(0);
    const net = new Net();
    net.forward(randn([5, 3])).sum().backward();
    expect(net.parameters().every((p) => p.grad !== null)).toBe(true);
    net.zeroGrad();
    expect(net.parameters().every((p) => p.grad === null)).toBe(true);
  });

  it('apply visits children before the parent', () => {
    const net = new Net();
    const seen: string[] = [];
    net.apply((m) => seen.push(m.constructor.name));
    expect(seen).toEqual(['Linear', 'ReLU', 'Block', 'Linear', 'Linear', 'ModuleList', 'BatchNorm1d', 'Net']);
  });
});

describe('scopes', () => {
  it('parameters and buffers of a model built inside scope() survive it, temporaries do not', () => {
    let temp: Tensor | undefined;
    const model = scope(() => {
      temp = randn([2]);
      return new Sequential(new Linear(3, 2), new BatchNorm1d(2));
    });
    expect(temp?.isDisposed).toBe(true);
    expect(model.parameters().concat(model.buffers()).every((t) => !t.isDisposed)).toBe(true);
    expect(model.forward(randn([4, 3])).shape).toEqual([4, 2]);
  });
});

describe('Module.to', () => {
  it('converts floating parameters and buffers, keeps integer buffers and ties', () => {
    manualSeed(0);
    const net = new Net();
    const before = values(net.block.fc.weight);
    net.to('float64');
    expect(net.parameters().every((p) => p.dtype === 'float64' && p.requiresGrad && p instanceof Parameter)).toBe(true);
    expect(net.norm.runningMean?.dtype).toBe('float64');
    expect(net.norm.getBuffer('numBatchesTracked').dtype).toBe('int32');
    expectClose(values(net.block.fc.weight), before, 1e-7);
    expect(net.forward(randn([4, 3], { dtype: 'float64' })).dtype).toBe('float64');
    net.float();
    expect(net.block.fc.weight.dtype).toBe('float32');
    expect(() => net.to('int32')).toThrow(DTypeError);
    // Moving to the backend the tensors are on keeps the values.
    expect(values(net.to('js').block.fc.weight)).toEqual(values(net.block.fc.weight));
    expect(net.parameters().every((p) => p.backend.name === 'js')).toBe(true);
    expect(() => net.to('no-such-backend')).toThrow(PlexusError);
  });
});

describe('functionalCall', () => {
  it('runs with replacement tensors and restores the originals', () => {
    const lin = new Linear(2, 1);
    const w = tensor([[1, 2]], { requiresGrad: true });
    const out = functionalCall(lin, { weight: w, bias: tensor([0.5]) }, () => lin.forward(tensor([[3, 4]])));
    expect(values(out)).toEqual([11.5]);
    out.sum().backward();
    expect(values(w.grad as Tensor)).toEqual([3, 4]);
    expect(lin.weight).toBeInstanceOf(Parameter);
    expect(lin.parameters()).toHaveLength(2);
    expect(() => functionalCall(lin, { nope: w }, () => 0)).toThrow(/no parameter or buffer named "nope"/);
  });
});

describe('gradCheckModule', () => {
  it('checks the gradient with respect to the inputs and every parameter', () => {
    manualSeed(3);
    const lin = new Linear(3, 2, { dtype: 'float64' });
    const x = randn([4, 3], { dtype: 'float64' });
    expect(gradCheckModule(lin, [x], (t) => lin.forward(t).tanh()).message).toBe('ok');
    // A parameter the graph does not reach through autograd (its value read detached) is caught.
    const detached = gradCheckModule(lin, [x], (t) => t.matmul(lin.weight.detach().transpose(0, 1)).add(lin.bias as Tensor));
    expect(detached.ok).toBe(false);
    expect(detached.message).toMatch(/input 1/);
  });
});

describe('Module.toString', () => {
  it('prints the tree as PyTorch does', () => {
    const m = new Sequential(new Linear(2, 3), new ReLU(), new Dropout(0.25));
    expect(m.toString()).toBe(
      'Sequential(\n  (0): Linear(inFeatures=2, outFeatures=3, bias=true)\n  (1): ReLU()\n  (2): Dropout(p=0.25)\n)',
    );
    expect(new Net().toString()).toContain('  (layers): ModuleList(\n    (0): Linear(inFeatures=4, outFeatures=4, bias=true)');
  });
});

import { describe, expect, it } from 'vitest';
import { ArgumentError, BackendError, add, dispose, getBackend, ones, scalarOn, scope, tensor, zeros } from '@plexus/tensor';
import type { Tensor } from '@plexus/tensor';
import { expectClose, expectError, values } from './helpers.js';

const handles = () => getBackend().memory().numHandles;

describe('dispose', () => {
  it('use after dispose throws a clear BackendError', () => {
    const x = tensor([1, 2]);
    x.dispose();
    expect(x.isDisposed).toBe(true);
    expectError(() => x.add(1), BackendError, 'tensor [2] float32 was disposed and cannot be used');
    expectError(() => x.dataSync(), BackendError, 'was disposed');
    expectError(() => add(ones([2]), x), BackendError, 'was disposed');
    // Metadata is still readable; a second dispose is a no-op.
    expect(x.shape).toEqual([2]);
    expect(() => x.dispose()).not.toThrow();
  });
  it('dispose frees the handle and its bytes', () => {
    const before = getBackend().memory();
    const x = zeros([10], { dtype: 'float64' });
    const mid = getBackend().memory();
    expect(mid.numHandles).toBe(before.numHandles + 1);
    expect(mid.numBytes).toBe(before.numBytes + 80);
    x.dispose();
    expect(getBackend().memory()).toEqual(before);
  });
  it('dispose() helper walks arrays and objects', () => {
    const start = handles();
    const a = ones([2]);
    const b = ones([3]);
    const c = ones([4]);
    dispose({ a, list: [b, { c }], n: 3 });
    expect([a, b, c].every((t) => t.isDisposed)).toBe(true);
    expect(handles()).toBe(start);
  });
});

describe('scope', () => {
  it('disposes intermediates and keeps the returned tensor', () => {
    const x = tensor([1, 2, 3]);
    const start = handles();
    let inner: Tensor[] = [];
    const y = scope(() => {
      const a = x.mul(2);
      const b = a.add(1);
      inner = [a, b];
      return b.exp().log();
    });
    expectClose(y, [3, 5, 7], { atol: 1e-5 });
    expect(inner.every((t) => t.isDisposed)).toBe(true);
    expect(x.isDisposed).toBe(false);
    expect(handles()).toBe(start + 1);
    y.dispose();
    expect(handles()).toBe(start);
  });
  it('keeps tensors returned inside arrays and plain objects', () => {
    const start = handles();
    const out = scope(() => {
      const a = ones([2]);
      const b = a.add(1);
      const c = b.mul(3);
      a.mul(5); // dropped
      return { b, more: [c, 42], label: 'x' };
    });
    expect(values(out.b)).toEqual([2, 2]);
    expect(values(out.more[0] as Tensor)).toEqual([6, 6]);
    expect(handles()).toBe(start + 2);
    dispose(out);
    expect(handles()).toBe(start);
  });
  it('keeps keep()-marked tensors', () => {
    const start = handles();
    let kept: Tensor | undefined;
    const r = scope(() => {
      kept = ones([2]).mul(4).keep();
      ones([5]);
      return 7;
    });
    expect(r).toBe(7);
    expect(kept!.isDisposed).toBe(false);
    expect(values(kept!)).toEqual([4, 4]);
    expect(handles()).toBe(start + 1);
    kept!.dispose();
    expect(handles()).toBe(start);
  });
  it('nested scopes hand returned tensors to the outer scope', () => {
    const start = handles();
    let innerResult: Tensor | undefined;
    const outer = scope(() => {
      innerResult = scope(() => ones([2]).add(1));
      expect(innerResult.isDisposed).toBe(false);
      return innerResult.mul(2);
    });
    expect(innerResult!.isDisposed).toBe(true);
    expect(values(outer)).toEqual([4, 4]);
    expect(handles()).toBe(start + 1);
    outer.dispose();
    expect(handles()).toBe(start);
  });
  it('tensors disposed by hand inside a scope are fine', () => {
    const start = handles();
    scope(() => {
      const a = ones([2]);
      a.dispose();
      return null;
    });
    expect(handles()).toBe(start);
  });
  it('an async function is rejected', () => {
    expect(() => scope(async () => ones([1]))).toThrow(/scope: the function must be synchronous/);
  });
  it('an exception propagates and later scopes still work', () => {
    expect(() =>
      scope(() => {
        ones([1]);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    const start = handles();
    scope(() => ones([3]).add(1) && null);
    expect(handles()).toBe(start);
  });
});

describe('assign', () => {
  it('replaces the storage with a copy of the value', () => {
    const x = tensor([1, 2, 3]);
    const v = tensor([7, 8, 9]);
    const start = handles();
    const r = x.assign(v);
    expect(r).toBe(x);
    expect(values(x)).toEqual([7, 8, 9]);
    expect(handles()).toBe(start);
    // The value stays usable and independent.
    v.dispose();
    expect(values(x)).toEqual([7, 8, 9]);
  });
  it('inside a scope, the assigned tensor survives', () => {
    const x = tensor([1, 2]);
    scope(() => {
      x.assign(x.mul(10));
      return null;
    });
    expect(x.isDisposed).toBe(false);
    expect(values(x)).toEqual([10, 20]);
  });
  it('shape and dtype must match', () => {
    const x = tensor([1, 2]);
    expectError(() => x.assign(tensor([1, 2, 3])), ArgumentError, 'assign: expected [2] float32, got [3] float32');
    expectError(() => x.assign(tensor([1, 2], { dtype: 'int32' })), ArgumentError, 'got [2] int32');
  });
});

describe('scope when the function throws', () => {
  it('releases the tensors it created and rethrows', () => {
    const before = handles();
    expect(() =>
      scope(() => {
        tensor([1, 2]).add(1);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(handles()).toBe(before);
  });
});

describe('scalars from JS numbers', () => {
  it('are made once per value and dtype within a scope, and released with it', () => {
    const x = tensor([1, 2, 3]);
    const start = handles();
    const before = getBackend().memory().numBytes;
    const y = scope(() => {
      let h = x;
      for (let i = 0; i < 10; i++) h = h.mul(0.5).add(-0).sub(0);
      // Three scalars (0.5, -0, 0) and 30 results, of which one is returned.
      expect(handles()).toBe(start + 33);
      return h;
    });
    expect(handles()).toBe(start + 1);
    expect(getBackend().memory().numBytes).toBe(before + 12);
    expectClose(y, [1 / 1024, 2 / 1024, 3 / 1024]);
    // -0 and 0 stay different scalars (1 / -0 is -Infinity); so do values of different dtypes.
    scope(() => {
      expectClose(tensor([1]).div(0), [Infinity]);
      expectClose(tensor([1]).div(-0), [-Infinity]);
      expect(values(tensor([3], { dtype: 'int32' }).add(2))).toEqual([5]);
      expect(values(tensor([3]).add(2.5))).toEqual([5.5]);
    });
  });
  it('are made again when one was disposed', () => {
    scope(() => {
      const a = scalarOn(getBackend(), 7, 'float32');
      expect(scalarOn(getBackend(), 7, 'float32')).toBe(a);
      a.dispose();
      expect(scalarOn(getBackend(), 7, 'float32').isDisposed).toBe(false);
      expect(values(tensor([1, 2]).mul(7))).toEqual([7, 14]);
    });
  });
});

import { createJsBackend } from '@plexus/backend-js';
import * as T from '@plexus/tensor';
import type { Backend, OutputInfo, TensorInfo } from '@plexus/tensor';
import { describe, expect, it } from 'vitest';
import { TraceBackend, formatBytes } from '../src/index.js';

/** A clock that advances by the given steps, one per call, so times are known exactly. */
function clock(steps: number[]): () => number {
  let t = 0;
  let i = 0;
  return () => {
    const now = t;
    t += steps[i++ % steps.length];
    return now;
  };
}

describe('TraceBackend records', () => {
  it("each op's name, input and output shapes, dtype, time and output bytes", () => {
    const b = new TraceBackend(createJsBackend(), { now: clock([2]) });
    const a = T.tensor([[1, 2, 3], [4, 5, 6]], { backend: b });
    const w = T.ones([3, 4], { backend: b });
    b.reset();
    const y = T.matmul(a, w);
    expect(b.records()).toEqual([
      { op: 'matmul', kind: 'primitive', inputShapes: [[2, 3], [3, 4]], outputShape: [2, 4], dtype: 'float32', ms: 2, bytes: 32 },
    ]);
    expect(Array.from(y.dataSync())).toEqual([6, 6, 6, 6, 15, 15, 15, 15]);
    expect(b.records()[1]).toMatchObject({ op: 'readSync', kind: 'storage', outputShape: [2, 4], bytes: 32 });
  });

  it('writes and reads as storage calls', async () => {
    const b = new TraceBackend(createJsBackend(), { now: clock([1]) });
    const x = T.tensor([true, false, true], { backend: b });
    await x.data();
    expect(b.records().map((r) => [r.op, r.kind, r.bytes])).toEqual([['write', 'storage', 3], ['read', 'storage', 3]]);
  });

  /** js whose primitives advance a virtual clock by a fixed cost each: mul 5 ms, exp 3, add 1. */
  function costed(): { inner: Backend; now: () => number } {
    const js = createJsBackend();
    let virtual = 0;
    const cost: Record<string, number> = { mul: 5, exp: 3, add: 1 };
    const primitives = Object.fromEntries(
      Object.entries(js.primitives).map(([op, impl]) => [op, (...args: unknown[]) => {
        virtual += cost[op] ?? 0;
        return (impl as (...a: unknown[]) => unknown)(...args);
      }]),
    ) as unknown as Backend['primitives'];
    return { inner: Object.assign(Object.create(js) as Backend, { primitives }), now: () => virtual };
  }

  function workload(b: Backend): void {
    const x = T.tensor([[1, 2], [3, 4]], { backend: b }); // write
    T.exp(T.add(T.mul(x, x), x)); // mul 5, add 1, exp 3
    T.mul(x, x); // mul 5
  }

  it('totals per op, sorted by total time, with the mean', () => {
    const { inner, now } = costed();
    const b = new TraceBackend(inner, { now });
    workload(b);
    expect(b.stats().map((s) => [s.op, s.calls, s.totalMs, s.meanMs, s.bytes])).toEqual([
      ['mul', 2, 10, 5, 32],
      ['exp', 1, 3, 3, 16],
      ['add', 1, 1, 1, 16],
      ['write', 1, 0, 0, 16],
    ]);
  });

  it('report(): a table of op, calls, total ms, mean ms and bytes, slowest first', () => {
    const { inner, now } = costed();
    const b = new TraceBackend(inner, { now });
    workload(b);
    const lines = b.report().split('\n');
    expect(lines[0]).toBe("Op profile of backend 'trace:js' (wall time of each call on 'js')");
    expect(lines[1].split(/\s{2,}/)).toEqual(['op', 'calls', 'total ms', 'mean ms', 'bytes']);
    expect(lines[2]).toMatch(/^-+( +-+){4}$/);
    expect(lines.slice(3, 7).map((l) => l.split(/\s{2,}/))).toEqual([
      ['mul', '2', '10.000', '5.0000', '32 B'],
      ['exp', '1', '3.000', '3.0000', '16 B'],
      ['add', '1', '1.000', '1.0000', '16 B'],
      ['write', '1', '0.000', '0.0000', '16 B'],
    ]);
    expect(lines[lines.length - 1].split(/\s{2,}/)).toEqual(['total (4 ops)', '5', '14.000', '2.8000', '80 B']);
    expect(b.report({ top: 2 }).split('\n')).toContain('… 2 more ops');
  });

  it('keeps at most maxRecords records but counts every call in the totals', () => {
    const b = new TraceBackend(createJsBackend(), { maxRecords: 3 });
    const x = T.ones([4], { backend: b });
    for (let i = 0; i < 5; i++) T.add(x, i);
    expect(b.records()).toHaveLength(3);
    expect(b.droppedRecords).toBe(3 + 5 - 3 + 5 - 2); // 1 write + 5 scalar writes + 5 adds = 11 calls
    expect(b.stats().find((s) => s.op === 'add')?.calls).toBe(5);
    b.reset();
    expect([b.records().length, b.droppedRecords, b.stats().length]).toEqual([0, 0, 0]);
  });

  it('calls onRecord with each record', () => {
    const seen: string[] = [];
    const b = new TraceBackend(createJsBackend(), { onRecord: (r) => seen.push(r.op) });
    T.neg(T.ones([2], { backend: b }));
    expect(seen).toEqual(['write', 'neg']);
  });
});

describe('TraceBackend mirrors its inner backend', () => {
  /** js with an accelerated softmax that just decomposes (so results stay right), to see it traced. */
  function withAcceleratedSoftmax(): Backend {
    const js = createJsBackend();
    const softmax = (inputs: readonly TensorInfo[], attrs: { axis: number }, out: OutputInfo) => {
      const x = new T.Tensor(js.primitives.reshape(inputs, { shape: [...inputs[0].shape] }, out), inputs[0].shape, inputs[0].dtype, js);
      const y = T.withAccelerated(false, () => T.softmax(x, attrs.axis));
      const id = js.primitives.reshape([{ dataId: y.dataId, shape: y.shape, dtype: y.dtype }], { shape: [...y.shape] }, out);
      return id;
    };
    return Object.assign(js, { accelerated: { softmax } });
  }

  it('traces accelerated ops as one op, and decompositions op by op', () => {
    const b = new TraceBackend(withAcceleratedSoftmax());
    expect(Object.keys(b.accelerated ?? {})).toEqual(['softmax']);
    const x = T.tensor([[1, 2], [3, 4]], { backend: b });
    b.reset();
    T.softmax(x, 1);
    expect(b.records().map((r) => [r.op, r.kind])).toEqual([['softmax', 'accelerated']]);
    b.reset();
    T.logSoftmax(x, 1);
    expect(b.records().map((r) => r.op)).toEqual(expect.arrayContaining(['max', 'sub', 'exp', 'sum', 'log']));
    expect(b.records().every((r) => r.kind === 'primitive' || r.kind === 'storage')).toBe(true);
  });

  it('offers readSync exactly when the inner backend does, and shares its storage and memory', () => {
    const js = createJsBackend();
    const b = new TraceBackend(js);
    expect(typeof b.readSync).toBe('function');
    const { readSync: _drop, ...asyncOnly } = js as Backend & { readSync?: unknown };
    const noSync = new TraceBackend({ ...asyncOnly, name: 'async', read: (t) => js.read(t), write: (v, s, d) => js.write(v, s, d), dispose: (id) => js.dispose(id), memory: () => js.memory() } as Backend);
    expect(noSync.readSync).toBeUndefined();
    expect(noSync.name).toBe('trace:async');
    const t = T.ones([3], { backend: b });
    expect(b.memory()).toEqual(js.memory());
    expect(js.memory().numHandles).toBe(1);
    t.dispose();
    expect(js.memory().numHandles).toBe(0);
  });

  it('passes errors of the inner backend through', () => {
    const b = new TraceBackend(createJsBackend());
    const x = T.ones([2], { backend: b });
    x.dispose();
    expect(() => b.primitives.neg([{ dataId: {}, shape: [2], dtype: 'float32' }], {}, { shape: [2], dtype: 'float32' })).toThrow(/does not belong to the js backend/);
  });

  it('formats bytes', () => {
    expect([formatBytes(0), formatBytes(1023), formatBytes(1536), formatBytes(5 * 1024 ** 2), formatBytes(3 * 1024 ** 3)]).toEqual(['0 B', '1023 B', '1.5 KiB', '5.0 MiB', '3.0 GiB']);
  });
});

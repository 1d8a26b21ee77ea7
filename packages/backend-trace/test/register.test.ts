import '@plexus/backend-js';
import { grad } from '@plexus/autograd';
import { createJsBackend } from '@plexus/backend-js';
import { BackendError, findBackend, getBackend, listBackends, manualSeed, noGrad, randn, registerBackend, resetBackendChoice, setBackend, tensor, zeros } from '@plexus/tensor';
import type { Tensor } from '@plexus/tensor';
import { afterEach, describe, expect, it } from 'vitest';
import type { TraceBackend } from '../src/index.js';
import { isTraceBackend, registerTraceBackend, registerTraceBackends, traceReport } from '../src/index.js';

afterEach(() => resetBackendChoice());

describe("'trace:<name>' backends", () => {
  it("registerTraceBackends() makes setBackend('trace:js') work, on the same js instance", () => {
    expect(registerTraceBackends()).toContain('trace:js');
    const b = setBackend('trace:js');
    expect(isTraceBackend(b)).toBe(true);
    expect((b as TraceBackend).inner).toBe(findBackend('js'));
    expect(Array.from(tensor([1, 2]).add(1).dataSync())).toEqual([2, 3]);
    expect(traceReport()).toMatch(/^Op profile of backend 'trace:js'/);
  });

  it('is never the default, and adds traces for backends registered later', () => {
    registerTraceBackends();
    resetBackendChoice();
    expect(getBackend().name).toBe('js');
    registerBackend('js2', () => createJsBackend());
    expect(registerTraceBackends()).toEqual(expect.arrayContaining(['trace:js', 'trace:js2']));
    expect(listBackends().filter((n) => n.startsWith('trace:trace:'))).toEqual([]);
  });

  it('refuses an unknown inner backend or a trace of a trace, naming what is registered', () => {
    expect(() => registerTraceBackend('gpu9')).toThrow(BackendError);
    expect(() => registerTraceBackend('gpu9')).toThrow(/no backend named 'gpu9' is registered \(registered: .*js/);
    expect(() => registerTraceBackend('trace:js')).toThrow(/already a trace/);
  });

  it('traceReport() is undefined for a backend that is not a trace', () => {
    setBackend('js');
    expect(traceReport()).toBeUndefined();
  });

  it('profiles a training run: a report after it, matmul calls counted per step', () => {
    registerTraceBackends();
    const trace = setBackend('trace:js') as TraceBackend;
    manualSeed(3);
    const x = randn([32, 4]);
    const y = x.sum(1, true).sin();
    let params: Tensor[] = [randn([4, 8]).mul(0.5), zeros([8]), randn([8, 1]).mul(0.5)];
    const loss = (w1: Tensor, b1: Tensor, w2: Tensor) => x.matmul(w1).add(b1).tanh().matmul(w2).sub(y).square().mean();
    const lossGrad = grad(loss, [0, 1, 2]);
    const first = loss(...(params as [Tensor, Tensor, Tensor])).item() as number;
    trace.reset();
    const steps = 20;
    for (let i = 0; i < steps; i++) {
      const g = lossGrad(...params);
      params = noGrad(() => params.map((p, k) => p.sub(g[k].mul(0.2))));
    }
    const last = loss(...(params as [Tensor, Tensor, Tensor])).item() as number;
    expect(last).toBeLessThan(first);
    // Per step 2 forward matmuls and 3 backward (the two weight gradients and the hidden one; x
    // needs none), plus the 2 of the final loss.
    const matmul = trace.stats().find((s) => s.op === 'matmul');
    expect(matmul?.calls).toBe(steps * 5 + 2);
    const report = traceReport(trace) ?? '';
    expect(report).toContain('matmul');
    const rows = trace.stats();
    expect(rows.map((r) => r.totalMs)).toEqual([...rows.map((r) => r.totalMs)].sort((a, b) => b - a));
  });
});

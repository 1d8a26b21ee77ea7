import { PerformanceObserver, constants } from 'node:perf_hooks';
import { scope, setBackend, zeros } from '@plexus/tensor';
import { describe, expect, it } from 'vitest';
import '../src/index.js';

describe('external-memory accounting', () => {
  it('leaves memory that a step disposes itself out of V8\'s collection trigger', async () => {
    // 80 MB live at once, then disposed, forty times. Reported in full, each round would pass
    // V8's 64 MiB external-memory trigger and cost a mark-compact; the first 64 MiB of native
    // memory are not reported (PLEXUS_CPU_GC_SLACK_MB), so no round does.
    setBackend('cpu');
    let major = 0;
    const observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries() as { detail?: { kind?: number } }[]) major += Number(e.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR);
    });
    observer.observe({ entryTypes: ['gc'] });
    // 4 MB each, made natively (the reshape materializes the deferred product): JS buffers would
    // count towards V8's trigger themselves.
    const x = zeros([1 << 20]);
    for (let round = 0; round < 40; round++) {
      scope(() => void Array.from({ length: 20 }, () => x.mul(2).reshape([1024, 1024])));
    }
    x.dispose();
    await new Promise((r) => setTimeout(r, 50));
    observer.disconnect();
    expect(major).toBeLessThanOrEqual(5);
  });
});

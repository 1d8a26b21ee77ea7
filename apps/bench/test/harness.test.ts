import { describe, expect, it } from 'vitest';
import { parseCli } from '../src/cli.js';
import type { Row } from '../src/harness.js';
import { runBench } from '../src/harness.js';
import { markdownDoc } from '../src/report.js';

// The whole harness at toy sizes on every runner that is installed, one process per cell, so the
// benchmark cannot rot. PyTorch is optional: without it its cells say so. The workloads are a
// subset that covers each unit and each known refusal, to keep the test fast on 2 cores; every
// workload's runner code is checked in-process by workloads.test.ts, torch's included.
describe('pnpm bench --tiny', () => {
  it('runs workloads on every runner and explains every empty cell', { timeout: 180_000 }, async () => {
    const options = parseCli(['--tiny', '--workload', 'w1-256,w2,w3-train,w7']);
    const report = await runBench(options);
    const rows = report.rows;
    expect(rows).toHaveLength(options.workloads.length * 5);
    const at = (workload: string, runner: string, backend: string): Row => {
      const r = rows.find((x) => x.workload === workload && x.runner === runner && x.backend === backend);
      if (!r) throw new Error(`no row for ${workload} ${runner}/${backend}`);
      return r;
    };
    for (const w of options.workloads) {
      const js = at(w.id, 'plexus', 'js');
      expect(js.value, `${w.id} on plexus/js: ${js.note}`).toBeGreaterThan(0);
      expect(js.unit).toBe(w.unit);
      expect(js.rssMB).toBeGreaterThan(10);
      const expectTfjs = (backend: string, refusal?: RegExp): void => {
        const r = at(w.id, 'tfjs', backend);
        if (refusal) {
          expect(r.value).toBeNull();
          expect(r.note).toMatch(refusal);
        } else {
          expect(r.value, `${w.id} on tfjs/${backend}: ${r.note}`).toBeGreaterThan(0);
        }
      };
      expectTfjs('cpu', w.id === 'w7' ? /cannot take u_xx/ : undefined);
      expectTfjs('wasm', w.id === 'w7' ? /cannot take u_xx/ : w.id === 'w3-train' ? /no Conv2DBackpropFilter kernel/ : undefined);
      const torch = at(w.id, 'torch', 'cpu');
      if (report.columns['torch/cpu'].ok) expect(torch.value, `${w.id} on torch: ${torch.note}`).toBeGreaterThan(0);
      else expect(torch.note).toMatch(/^not installed/);
      // backend-cpu is optional: a number, or the reason it is missing.
      const cpu = at(w.id, 'plexus', 'cpu');
      if (cpu.value === null) expect(cpu.note.length).toBeGreaterThan(5);
    }
    for (const r of rows) expect(Object.keys(r).sort()).toEqual(['backend', 'note', 'rssMB', 'runner', 'unit', 'value', 'workload']);

    const doc = markdownDoc(report, 'pnpm bench --tiny');
    expect(doc).toContain('pnpm bench --tiny');
    expect(doc).toContain(`${report.machine.cores} cores`);
    expect(doc).toContain('| W7 PINN (Burgers) step | plexus/js |');
  });

  it('a PyTorch interpreter that does not exist gives "not installed" cells', { timeout: 60_000 }, async () => {
    const options = parseCli(['--tiny', '--workload', 'w6', '--peers', 'torch', '--backends', 'js', '--python', '/nonexistent/python3']);
    const report = await runBench(options);
    expect(report.rows.map((r) => [r.runner, r.value === null ? r.note : 'value'])).toEqual([
      ['plexus', 'value'],
      ['torch', 'not installed (no torch for /nonexistent/python3)'],
    ]);
  });
});

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ArgumentError } from '@plexus/tensor';
import { writePlot } from '@plexus/train';
import { heatmapSpec, linePlotSpec, lossHistorySpec } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'plexus-pinn-plots-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Rect { x0: number; x1: number; y0: number; y1: number; v: number }
type Chart = { data: { values: Rect[] }; encoding: { color: { scale: { domain: number[]; scheme: string } } } };

describe('plots', () => {
  it('heat map: one rect per finite cell, edges half a step out, a symmetric scale for signed data', () => {
    const spec = heatmapSpec([{ title: 'u', xs: [0, 1, 2], ys: [10, 20], values: [-1, 0, 2, 3, NaN, 5] }]) as unknown as { hconcat: Chart[] };
    const chart = spec.hconcat[0];
    expect(chart.data.values).toHaveLength(5);
    // Cells overlap their right and upper neighbours by a quarter cell; the last ones end at the edge.
    expect(chart.data.values[0]).toEqual({ x0: -0.5, x1: 0.75, y0: 5, y1: 17.5, v: -1 });
    expect(chart.data.values[4]).toEqual({ x0: 1.5, x1: 2.5, y0: 15, y1: 25, v: 5 });
    expect(chart.encoding.color.scale.scheme).toBe('redblue');
    expect(chart.encoding.color.scale.domain).toEqual([-5, 5]);
    const positive = heatmapSpec([{ title: 'e', xs: [0, 1], ys: [0], values: [1, 3] }]) as unknown as { hconcat: Chart[] };
    expect(positive.hconcat[0].encoding.color.scale).toMatchObject({ scheme: 'viridis', domain: [1, 3] });
    expect(() => heatmapSpec([{ title: 'bad', xs: [0, 1], ys: [0], values: [1] }])).toThrow(/1 values for a 1×2 grid/);
    expect(() => heatmapSpec([])).toThrow(ArgumentError);
  });

  it('loss history continues the L-BFGS iterations after the Adam steps, dropping non-positive values', () => {
    const spec = lossHistorySpec([
      { phase: 'adam', step: 0, loss: 1, terms: { residual: 0.5, boundary: 0.5 }, seconds: 0 },
      { phase: 'adam', step: 100, loss: 0.1, terms: { residual: 0.1, boundary: 0 }, seconds: 1 },
      { phase: 'lbfgs', step: 50, loss: 0.01, terms: { residual: 0.01, boundary: 1e-5 }, seconds: 2 },
    ]) as unknown as { data: { values: { step: number; term: string }[] } };
    const steps = spec.data.values.map((v) => `${v.term}@${v.step}`);
    expect(steps).toEqual(['total@0', 'residual@0', 'boundary@0', 'total@100', 'residual@100', 'total@150', 'residual@150', 'boundary@150']);
    expect(() => lossHistorySpec([])).toThrow(ArgumentError);
  });

  it('renders a heat map and a line plot to PNG and SVG through @plexus/train', async () => {
    const xs = [0, 0.25, 0.5, 0.75, 1];
    const heat = await writePlot(heatmapSpec([{ title: 'u', xs, ys: xs, values: xs.flatMap((y) => xs.map((x) => x - y)) }], { title: 'test' }), join(dir, 'heat'));
    const line = await writePlot(linePlotSpec([{ title: 'f', series: [{ name: 'x²', xs, ys: xs.map((x) => x * x) }, { name: 'data', xs, ys: xs, mark: 'point' }] }]), join(dir, 'line'));
    for (const f of [heat, line]) {
      expect([...readFileSync(f.png).subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
      expect(readFileSync(f.svg, 'utf8')).toContain('<svg');
    }
    expect(readFileSync(line.svg, 'utf8')).toContain('x²');
    expect(() => linePlotSpec([{ title: 'f', series: [{ name: 'a', xs: [1, 2], ys: [1] }] }])).toThrow(/2 x values and 1 y values/);
  });
});

import '@plexus/backend-js';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '@plexus/app-kit';
import { setBackend } from '@plexus/tensor';
import { parseOptions } from '../src/options.js';
import type { GnnOptions } from '../src/options.js';
import { run } from '../src/run.js';

const out = mkdtempSync(join(tmpdir(), 'plexus-gnn-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const tiny: GnnOptions = {
  task: 'all', model: 'gcn', epochs: undefined, lr: 0.01, hidden: 16, heads: 4, nodes: 200, labelsPerClass: 5, graphs: 40, batchSize: 16, seed: 0, out, plots: true,
};

describe('gnn demo', () => {
  it('runs the three tasks on tiny sizes, writes the plots and result.json', async () => {
    setBackend('js');
    const logs: string[] = [];
    const r = await run({ ...tiny, epochs: 60 }, (l) => logs.push(l));
    expect(r.backend).toBe('js');
    expect(r.karate!.testNodes).toBe(32);
    expect(r.karate!.labelled).toEqual([0, 33]);
    expect(r.karate!.testAccuracy).toBeGreaterThan(0.8);
    expect(r.sbm!.nodes).toBe(200);
    expect(r.sbm!.labelledNodes).toBe(20);
    expect(r.sbm!.testNodes).toBe(180);
    expect(r.sbm!.testAccuracy).toBeGreaterThan(r.sbm!.featuresOnlyAccuracy);
    expect(r.graphs!.trainGraphs + r.graphs!.testGraphs).toBe(40);
    expect(r.graphs!.testAccuracy).toBeGreaterThan(0.8);
    for (const f of ['karate-embedding.png', 'karate-embedding.svg', 'sbm-embedding.png', 'sbm-curves.png', 'graphs-curves.png', 'result.json']) expect(existsSync(join(out, f))).toBe(true);
    expect(JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')).karate.testAccuracy).toBe(r.karate!.testAccuracy);
    expect(logs.some((l) => l.startsWith('[karate] gcn:'))).toBe(true);
  });

  it('trains GraphSAGE and GAT models too', async () => {
    setBackend('js');
    for (const model of ['sage', 'gat'] as const) {
      const r = await run({ ...tiny, task: 'karate', model, epochs: 5, plots: false }, () => {});
      expect(r.model).toBe(model);
      expect(Number.isFinite(r.karate!.testAccuracy)).toBe(true);
      expect(r.sbm).toBeUndefined();
    }
  });

  it('parses the command line and rejects bad values', () => {
    const p = parseOptions(['--task', 'sbm', '--model', 'gat', '--heads', '8', '--hidden', '32', '--epochs', '50', '--seed', '3']);
    expect(p.options).toMatchObject({ task: 'sbm', model: 'gat', heads: 8, hidden: 32, epochs: 50, seed: 3, nodes: 1000, out: 'out/gnn' });
    expect(parseOptions([]).options.epochs).toBeUndefined();
    expect(() => parseOptions(['--model', 'gin'])).toThrow(UsageError);
    expect(() => parseOptions(['--model', 'gat', '--heads', '3'])).toThrow('--heads (3) must divide --hidden (16) for --model gat');
    expect(() => parseOptions(['--nodes', '10'])).toThrow(/--nodes \(10\) must leave unlabelled nodes/);
    expect(() => parseOptions(['--task', 'cora'])).toThrow(UsageError);
  });
});

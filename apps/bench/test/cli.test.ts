import { describe, expect, it } from 'vitest';
import { UsageError, parseCli, parsePeers } from '../src/cli.js';
import { selectWorkloads } from '../src/spec.js';

describe('parseCli', () => {
  it('defaults to the full benchmark: every workload, every peer, js and cpu, 3 repeats of 3 s', () => {
    const o = parseCli([]);
    expect(o.workloads.map((w) => w.id)).toEqual(['w1-1024', 'w1-256', 'w2', 'w3-train', 'w3-infer', 'w4', 'w5', 'w6', 'w7']);
    expect(o.peers.map((p) => `${p.runner}/${p.backend}`)).toEqual(['tfjs/cpu', 'tfjs/wasm', 'torch/cpu']);
    expect(o.backends).toEqual(['js', 'cpu']);
    expect(o.size).toBe('full');
    expect(o.timing).toEqual({ minTime: 3, repeats: 3, warmup: 1, cap: 60 });
  });

  it('reads the issue example: --workload w2 --peers all --json out.json', () => {
    const o = parseCli(['--workload', 'w2', '--peers', 'all', '--json', 'out.json']);
    expect(o.workloads.map((w) => w.id)).toEqual(['w2']);
    expect(o.peers).toHaveLength(3);
    expect(o.json).toBe('out.json');
  });

  it('--quick keeps the sizes and shortens the timing; --tiny shrinks the sizes', () => {
    const quick = parseCli(['--quick']);
    expect(quick.size).toBe('full');
    expect(quick.timing).toMatchObject({ minTime: 0.5, repeats: 1 });
    const tiny = parseCli(['--tiny', '--repeats', '2']);
    expect(tiny.size).toBe('tiny');
    expect(tiny.timing.repeats).toBe(2);
  });

  it('rejects unknown options, workloads, peers and bad numbers with a UsageError naming them', () => {
    expect(() => parseCli(['--frobnicate'])).toThrow(UsageError);
    expect(() => parseCli(['--workload', 'w9'])).toThrow(/unknown workload 'w9'/);
    expect(() => parseCli(['--peers', 'jax'])).toThrow(/unknown peer 'jax'/);
    expect(() => parseCli(['--min-time', '0'])).toThrow(/--min-time must be a positive number, got '0'/);
    expect(() => parseCli(['--repeats', '1.5'])).toThrow(/--repeats must be a positive integer/);
    expect(() => parseCli(['--backends', ','])).toThrow(/at least one Plexus backend/);
  });
});

describe('selections', () => {
  it('a workload prefix selects its variants', () => {
    expect(selectWorkloads('w1').map((w) => w.id)).toEqual(['w1-1024', 'w1-256']);
    expect(selectWorkloads('w3-infer,w2').map((w) => w.id)).toEqual(['w2', 'w3-infer']);
  });

  it('peers by name, by runner, all and none', () => {
    expect(parsePeers('tfjs').map((p) => p.backend)).toEqual(['cpu', 'wasm']);
    expect(parsePeers('torch,tfjs-wasm').map((p) => `${p.runner}/${p.backend}`)).toEqual(['tfjs/wasm', 'torch/cpu']);
    expect(parsePeers('none')).toEqual([]);
    expect(parsePeers('all')).toHaveLength(3);
  });
});

import { setBackend, tensor } from '@plexus/tensor';
import { afterEach, describe, expect, it } from 'vitest';
import type { Demo } from '../src/index.js';
import { UsageError, parseCli, runDemo } from '../src/index.js';

interface Options {
  n: number;
}

const USAGE = 'Usage: pnpm demo toy [--n N]';

/** A tiny app: `--n N` is doubled; the run logs one line and records what it got. */
function toyDemo(runs: Options[]): Demo<Options> {
  return {
    name: 'toy',
    usage: USAGE,
    parseOptions: (argv) => {
      const { common, values } = parseCli(argv, { defaults: { epochs: 1, batchSize: 1, lr: 1, out: 'out', backend: 'js' }, options: { n: { type: 'string' } } });
      if (values.n === '0') throw new UsageError('--n must not be 0');
      return { options: { n: Number(values.n ?? 1) }, backend: common.backend, help: common.help };
    },
    run: async (options, log) => {
      runs.push(options);
      log(`running n=${options.n}`);
      tensor([options.n]).mul(2).sum().item();
      return { doubled: 2 * options.n, backend: 'x' };
    },
  };
}

/** Runs the toy app on argv; what it printed on stdout and stderr, its exit status and its runs. */
async function runToy(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const runs: Options[] = [];
  const status = await runDemo(toyDemo(runs), { argv, log: (l) => out.push(l), error: (l) => err.push(l) });
  return { status, out, err, runs };
}

afterEach(() => setBackend('js'));

describe('runDemo', () => {
  it('prints the command, the backend, what the run logs and the result line, and exits 0', async () => {
    expect(await runToy(['--backend', 'js', '--n', '3'])).toEqual({
      status: 0,
      out: ['command: pnpm demo toy --backend js --n 3', 'backend: js (pure TypeScript)', 'running n=3', 'result: {"doubled":6,"backend":"x"}'],
      err: [],
      runs: [{ n: 3 }],
    });
    // No arguments: no trailing space after the app's name.
    expect((await runToy([])).out[0]).toBe('command: pnpm demo toy');
  });

  it('prints the op report of a trace: backend before the result line', async () => {
    const { status, out } = await runToy(['--backend', 'trace:js']);
    expect(status).toBe(0);
    expect(out).toHaveLength(5);
    expect(out[1]).toBe('backend: trace:js (recording every op on js (pure TypeScript))');
    expect(out[3]).toMatch(/mul/);
    expect(out[4]).toBe('result: {"doubled":2,"backend":"x"}');
  });

  it('--help prints the usage and exits 0 without running', async () => {
    expect(await runToy(['--help'])).toEqual({ status: 0, out: [USAGE], err: [], runs: [] });
  });

  it('a bad command line prints "<name>: message" and the usage on stderr and exits 2 without running', async () => {
    expect(await runToy(['--n', '0'])).toEqual({ status: 2, out: [], err: [`toy: --n must not be 0\n\n${USAGE}`], runs: [] });
    const unknown = await runToy(['--frobnicate']);
    expect(unknown.status).toBe(2);
    expect(unknown.err[0]).toMatch(/^toy: Unknown option '--frobnicate'/);
  });

  it('lets other errors through', async () => {
    const demo: Demo<Options> = { ...toyDemo([]), parseOptions: () => { throw new Error('bug'); } };
    await expect(runDemo(demo, { argv: [], log: () => undefined, error: () => undefined })).rejects.toThrow('bug');
    const failing: Demo<Options> = { ...toyDemo([]), run: () => Promise.reject(new Error('diverged')) };
    await expect(runDemo(failing, { argv: ['--backend', 'js'], log: () => undefined })).rejects.toThrow('diverged');
  });
});

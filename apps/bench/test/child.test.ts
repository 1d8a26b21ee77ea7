import { describe, expect, it } from 'vitest';
import { runChild } from '../src/child.js';
import { FIRST_STEP_MARKER, RESULT_MARKER, parseMarked } from '../src/protocol.js';

const node = (code: string, capSeconds = 10) => runChild<{ x: number }>(process.execPath, ['-e', code], { cwd: process.cwd(), capSeconds });

describe('runChild', () => {
  it('reads the last marked line, ignoring other output', async () => {
    const out = await node(`console.log('noise'); console.log(${JSON.stringify(RESULT_MARKER)} + JSON.stringify({ x: 1 })); console.log(${JSON.stringify(RESULT_MARKER)} + '{"x":2}'); console.error('warn')`);
    expect(out).toEqual({ result: { x: 2 } });
  });

  it('kills a child past the cap and says whether any step finished', async () => {
    const silent = await node('setTimeout(() => {}, 20000)', 0.5);
    expect(silent.failure).toBe('too slow: not one step finished within the 0.5 s cap per cell');
    const slow = await node(`console.log(${JSON.stringify(FIRST_STEP_MARKER)} + '12.5'); setTimeout(() => {}, 20000)`, 0.5);
    expect(slow.failure).toBe('timed out: no result within the 0.5 s cap per cell (one step took 12.5 s)');
  });

  it('reports a crash with its exit code and last stderr line', async () => {
    const out = await node("console.error('first'); console.error('boom: bad thing'); process.exit(3)");
    expect(out.failure).toBe('crashed (exit 3): boom: bad thing');
  });

  it('reports a command that cannot start', async () => {
    const out = await runChild('/nonexistent/interpreter', [], { cwd: process.cwd(), capSeconds: 5 });
    expect(out.failure).toMatch(/^could not start \/nonexistent\/interpreter/);
  });
});

describe('parseMarked', () => {
  it('is undefined without a marked line', () => {
    expect(parseMarked('just output\n')).toBeUndefined();
  });
});

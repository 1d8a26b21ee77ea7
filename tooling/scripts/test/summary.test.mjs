import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { countReport, formatSummary, summarize } from '../src/summary.mjs';

const dirs = [];
function write(name, content) {
  const dir = mkdtempSync(join(tmpdir(), 'plexus-summary-'));
  dirs.push(dir);
  const file = join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const report = (over = {}) => ({
  numTotalTests: 0,
  numPassedTests: 0,
  numFailedTests: 0,
  numPendingTests: 0,
  numTodoTests: 0,
  testResults: [],
  ...over,
});

describe('countReport', () => {
  it('reads the vitest counters', () => {
    expect(countReport(report({ numPassedTests: 5, numFailedTests: 2, numPendingTests: 1, numTodoTests: 2 }))).toEqual({
      passed: 5,
      failed: 2,
      skipped: 3,
      outside: 0,
    });
  });

  it('counts a test file that failed to load as one failure', () => {
    const r = report({
      numPassedTests: 3,
      testResults: [
        { name: 'a.test.ts', status: 'passed', assertionResults: [{ status: 'passed' }] },
        { name: 'b.test.ts', status: 'failed', message: 'Failed to load', assertionResults: [] },
      ],
    });
    expect(countReport(r)).toEqual({ passed: 3, failed: 1, skipped: 0, outside: 1 });
  });

  it('does not double-count a failed file that has failing assertions', () => {
    const r = report({
      numFailedTests: 1,
      testResults: [{ status: 'failed', assertionResults: [{ status: 'failed' }] }],
    });
    expect(countReport(r).failed).toBe(1);
  });
});

describe('summarize', () => {
  it('sums several files and treats an unreadable one as a failure', () => {
    const a = write('a.json', report({ numPassedTests: 10, numFailedTests: 1 }));
    const b = write('b.json', report({ numPassedTests: 4, numTodoTests: 1 }));
    const bad = write('c.json', '{ not json');
    const total = summarize([a, b, bad]);
    expect(total).toMatchObject({ passed: 14, failed: 2, skipped: 1 });
    expect(total.notes).toHaveLength(1);
  });
});

describe('summarize per package', () => {
  it('counts a missing report, and a failed task whose report shows no failure, once each', () => {
    const ok = write('ok.json', report({ numPassedTests: 2 }));
    const crashed = write('crashed.json', report({ numPassedTests: 1, success: true }));
    const hook = write(
      'hook.json',
      report({
        numPassedTests: 1,
        numPendingTests: 2,
        testResults: [{ status: 'failed', assertionResults: [{ status: 'skipped' }, { status: 'skipped' }] }],
      }),
    );
    const total = summarize([
      { name: 'ok', file: ok, expected: true, exitCode: 0 },
      { name: 'crashed', file: crashed, expected: true, exitCode: 1 },
      { name: 'hook', file: hook, expected: true, exitCode: 1 },
      { name: 'missing', file: ok + '.absent', expected: true },
      { name: 'no-test-script', file: ok + '.absent', expected: false },
    ]);
    expect(total).toMatchObject({ passed: 4, failed: 3, skipped: 2 });
    expect(total.notes.map((n) => n.split(':')[0])).toEqual(['crashed', 'hook', 'missing']);
  });

  it('counts a run that found no test files as a failure', () => {
    const none = write('none.json', report({ success: false }));
    expect(summarize([none])).toMatchObject({ passed: 0, failed: 1 });
  });
});

describe('formatSummary', () => {
  it('omits skipped when there are none', () => {
    expect(formatSummary({ passed: 3, failed: 0, skipped: 0 })).toBe('3 passed, 0 failed');
    expect(formatSummary({ passed: 3, failed: 1, skipped: 2 })).toBe('3 passed, 1 failed, 2 skipped');
  });
});

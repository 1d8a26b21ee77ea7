// Sums vitest JSON reporter files (test-results.json) into one pass/fail/skip count.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Workspace folders whose packages may write test-results.json. */
export const WORKSPACE_GROUPS = ['packages', 'apps', 'tooling'];

/** Every `<group>/<pkg>` folder that has a package.json, as absolute paths. */
export function workspaceDirs(root) {
  const dirs = [];
  for (const group of WORKSPACE_GROUPS) {
    const base = join(root, group);
    if (!existsSync(base)) continue;
    for (const entry of readdirSync(base, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const dir = join(base, entry.name);
      if (existsSync(join(dir, 'package.json'))) dirs.push(dir);
    }
  }
  return dirs.sort();
}

const num = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/**
 * Counts of one parsed vitest JSON report. Vitest reports no failing test for a test file that
 * failed as a whole (it did not load, or a hook threw), nor for a run that found no test files;
 * each of those counts as one failure here so that a broken run never reads as green.
 */
export function countReport(report) {
  const passed = num(report?.numPassedTests);
  const failedTests = num(report?.numFailedTests);
  const skipped = num(report?.numPendingTests) + num(report?.numTodoTests);
  let outside = 0;
  for (const file of Array.isArray(report?.testResults) ? report.testResults : []) {
    const assertions = Array.isArray(file?.assertionResults) ? file.assertionResults : [];
    if (file?.status === 'failed' && !assertions.some((a) => a?.status === 'failed')) outside += 1;
  }
  if (report?.success === false && failedTests + outside === 0) outside += 1;
  return { passed, failed: failedTests + outside, skipped, outside };
}

/**
 * Sums per-package results. Each entry: { file } (a test-results.json path), optionally
 * { name, exitCode } (the package's test task exit code, when known) and { expected } (the
 * package has a test script, so a missing report is a failure). An unreadable report, a missing
 * one, or a failed task whose report shows no failure each count as one failure, with a note.
 */
export function summarize(entries, { root = process.cwd() } = {}) {
  const total = { passed: 0, failed: 0, skipped: 0, notes: [] };
  for (const entry of entries) {
    const e = typeof entry === 'string' ? { file: entry } : entry;
    const label = e.name ?? relative(root, e.file);
    let c = null;
    if (existsSync(e.file)) {
      try {
        c = countReport(JSON.parse(readFileSync(e.file, 'utf8')));
      } catch (err) {
        total.failed += 1;
        total.notes.push(`${label}: unreadable test report (${err.message})`);
        continue;
      }
    } else if (e.expected ?? true) {
      total.failed += 1;
      total.notes.push(`${label}: has a test script but wrote no ${relative(root, e.file)}`);
      continue;
    } else {
      continue;
    }
    if (c.outside > 0) {
      total.notes.push(
        `${label}: ${c.outside} failure(s) outside any test (a test file that did not load, a failing hook, or no test files)`,
      );
    }
    if (typeof e.exitCode === 'number' && e.exitCode !== 0 && c.failed === 0) {
      c.failed = 1;
      total.notes.push(`${label}: test task exited ${e.exitCode} with no failing test (see its output above)`);
    }
    total.passed += c.passed;
    total.failed += c.failed;
    total.skipped += c.skipped;
  }
  return total;
}

/** The summary line: `N passed, N failed` plus `, N skipped` when any were skipped. */
export function formatSummary({ passed, failed, skipped }) {
  const line = `${passed} passed, ${failed} failed`;
  return skipped > 0 ? `${line}, ${skipped} skipped` : line;
}

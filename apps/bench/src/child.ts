import { spawn } from 'node:child_process';
import { FIRST_STEP_MARKER, parseMarked } from './protocol.js';

export interface ChildOutcome<T> {
  result?: T;
  /** Set when the child produced no result: why (timeout, crash). */
  failure?: string;
}

/** Keeps the last `limit` characters of a stream. */
function tail(limit: number): { push: (s: string) => void; text: () => string } {
  let buf = '';
  return {
    push: (s) => {
      buf = (buf + s).slice(-limit);
    },
    text: () => buf,
  };
}

/**
 * Runs one child to completion and reads its marked result line. The child is killed after
 * `capSeconds`; it normally stops itself earlier with a "too slow" result.
 */
export function runChild<T>(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; capSeconds: number }): Promise<ChildOutcome<T>> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = tail(1 << 20);
    const err = tail(4000);
    child.stdout.setEncoding('utf8').on('data', out.push);
    child.stderr.setEncoding('utf8').on('data', err.push);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.capSeconds * 1000);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ failure: `could not start ${command}: ${e.message}` });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      let result: T | undefined;
      try {
        result = parseMarked<T>(out.text());
      } catch {
        result = undefined;
      }
      if (result) return resolve({ result });
      if (timedOut) {
        const firstStep = new RegExp(`${FIRST_STEP_MARKER}([0-9.]+)`).exec(out.text());
        return resolve({
          failure: firstStep
            ? `timed out: no result within the ${options.capSeconds} s cap per cell (one step took ${Number(firstStep[1]).toFixed(1)} s)`
            : `too slow: not one step finished within the ${options.capSeconds} s cap per cell`,
        });
      }
      const last = err.text().trim().split('\n').filter(Boolean).pop() ?? '';
      resolve({ failure: `crashed (${signal ?? `exit ${code}`})${last ? `: ${last.slice(0, 200)}` : ''}` });
    });
  });
}

import '@plexus/backend-js';
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import * as backendJs from '@plexus/backend-js';
import * as tensorModule from '@plexus/tensor';
import * as nn from '@plexus/nn';
import * as optim from '@plexus/optim';
import * as rnn from '../src/index.js';

/** Runs a README code block as written, with its imports resolved to the workspace modules. */
function runSnippet(code: string): string[] {
  const modules: Record<string, unknown> = { '@plexus/backend-js': backendJs, '@plexus/tensor': tensorModule, '@plexus/nn': nn, '@plexus/optim': optim, '@plexus/rnn': rnn };
  const body = code
    .replace(/^import '([^']+)';$/gm, (_, m: string) => `__use(${JSON.stringify(m)});`)
    .replace(/^import \{([^}]+)\} from '([^']+)';$/gm, (_, names: string, m: string) => `const {${names}} = __use(${JSON.stringify(m)});`);
  const logs: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    logs.push(args.map(String).join(' '));
  });
  try {
    const use = (m: string): unknown => {
      if (!(m in modules)) throw new Error(`README imports ${m}, which this test does not provide`);
      return modules[m];
    };
    new Function('__use', body)(use);
  } finally {
    spy.mockRestore();
  }
  return logs;
}

describe('README', () => {
  it('the example trains a GRU on the adding problem: the MSE falls well below the always-1.0 level', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const example = /<!-- example -->\s*```js\n([\s\S]*?)```/.exec(readme);
    expect(example).not.toBeNull();
    const logs = runSnippet((example as RegExpExecArray)[1]);
    expect(logs).toHaveLength(4);
    const mse = logs.map((l) => Number(/MSE ([0-9.]+)/.exec(l)?.[1]));
    expect(mse[0]).toBeGreaterThan(0.05);
    expect(mse[3]).toBeLessThan(0.02);
  });
});

import '@plexus/backend-js';
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import * as backendJs from '@plexus/backend-js';
import * as tensorModule from '@plexus/tensor';
import * as nn from '@plexus/nn';
import * as cnn from '../src/index.js';

/** Runs a README code block as written, with its imports resolved to the workspace modules. */
function runSnippet(code: string): string[] {
  const modules: Record<string, unknown> = { '@plexus/backend-js': backendJs, '@plexus/tensor': tensorModule, '@plexus/nn': nn, '@plexus/cnn': cnn };
  const body = code
    .replace(/^import '([^']+)';$/gm, (_, m: string) => `__use(${JSON.stringify(m)});`)
    .replace(/^import \{([^}]+)\} from '([^']+)';$/gm, (_, names: string, m: string) => `const {${names}} = __use(${JSON.stringify(m)});`);
  const logs: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    logs.push(args.map(String).join(' '));
  });
  try {
    new Function('__use', body)((m: string) => {
      if (!(m in modules)) throw new Error(`README imports ${m}, which this test does not provide`);
      return modules[m];
    });
  } finally {
    spy.mockRestore();
  }
  return logs;
}

describe('README', () => {
  it('the example after <!-- example --> runs and prints 8 positive gradient norms', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const example = /<!-- example -->\s*```js\n([\s\S]*?)```/.exec(readme);
    expect(example).not.toBeNull();
    const logs = runSnippet(example![1]);
    expect(logs).toHaveLength(1);
    const [count, ...norms] = logs[0].split(' ');
    expect(count).toBe('8');
    expect(norms).toHaveLength(8);
    for (const n of norms) expect(Number(n)).toBeGreaterThan(0);
  });
});

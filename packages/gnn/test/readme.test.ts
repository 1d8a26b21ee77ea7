import '@plexus/backend-js';
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import * as backendJs from '@plexus/backend-js';
import * as tensorModule from '@plexus/tensor';
import * as gnn from '../src/index.js';

function runSnippet(code: string): string[] {
  const modules: Record<string, unknown> = { '@plexus/backend-js': backendJs, '@plexus/tensor': tensorModule, '@plexus/gnn': gnn };
  const body = code
    .replace(/^import '([^']+)';$/gm, (_, m: string) => `__use(${JSON.stringify(m)});`)
    .replace(/^import \{([^}]+)\} from '([^']+)';$/gm, (_, names: string, m: string) => `const {${names}} = __use(${JSON.stringify(m)});`);
  const logs: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    logs.push(args.map(String).join(' '));
  });
  try {
    const use = (m: string) => {
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
  it('the example after <!-- example --> classifies the karate club from two labels', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const example = /<!-- example -->\s*```js\n([\s\S]*?)```/.exec(readme);
    expect(example).not.toBeNull();
    const logs = runSnippet(example![1]);
    expect(logs).toHaveLength(1);
    const m = /^accuracy on the other 32 members (\S+)$/.exec(logs[0]);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(0.85);
  });
});

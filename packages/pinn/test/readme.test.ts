import '@plexus/backend-js';
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import * as backendJs from '@plexus/backend-js';
import * as tensorModule from '@plexus/tensor';
import * as pinn from '../src/index.js';

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<void>;

/** Runs the README example as written (top-level await included), imports resolved to the workspace. */
async function runSnippet(code: string): Promise<string[]> {
  const modules: Record<string, unknown> = { '@plexus/backend-js': backendJs, '@plexus/tensor': tensorModule, '@plexus/pinn': pinn };
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
    await new AsyncFunction('__use', body)(use);
  } finally {
    spy.mockRestore();
  }
  return logs;
}

describe('README', () => {
  it('the example after <!-- example --> solves the Poisson problem to a small error', async () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const example = /<!-- example -->\s*```js\n([\s\S]*?)```/.exec(readme);
    expect(example).not.toBeNull();
    const logs = await runSnippet(example![1]);
    expect(logs).toHaveLength(1);
    const m = /^relative L2 error (\S+)$/.exec(logs[0]);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeLessThan(1e-2);
  });
});

import '@plexus/backend-js';
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import * as backendJs from '@plexus/backend-js';
import * as tensorModule from '@plexus/tensor';
import * as pkg from '../src/index.js';

const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<void>;

/** Runs a README code block as written, its imports resolved to the workspace modules. */
async function runSnippet(code: string): Promise<string[]> {
  const modules: Record<string, unknown> = { '@plexus/backend-js': backendJs, '@plexus/tensor': tensorModule, '@plexus/gan': pkg };
  const body = code
    .replace(/^import '([^']+)';$/gm, (_, m: string) => `__use(${JSON.stringify(m)});`)
    .replace(/^import \{([^}]+)\} from '([^']+)';$/gm, (_, names: string, m: string) => `const {${names}} = __use(${JSON.stringify(m)});`);
  const logs: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    logs.push(args.map(String).join(' '));
  });
  try {
    await new AsyncFunction('__use', body)((m: string) => {
      if (!(m in modules)) throw new Error(`README imports ${m}, which this test does not provide`);
      return modules[m];
    });
  } finally {
    spy.mockRestore();
  }
  return logs;
}

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const example = /<!-- example -->\s*```js\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';

describe('README', () => {
  it('has a plain-JavaScript example after <!-- example --> that runs', async () => {
    expect(example).not.toBe('');
    expect(example).not.toMatch(/: (number|string|Tensor)\b|\bas [A-Z]/); // no type annotations
    const logs = await runSnippet(example);
    expect(logs.length).toBeGreaterThanOrEqual(3);
    expect(logs[0]).toMatch(/^D \d\.\d{3} G \d\.\d{3} \| D \d\.\d{3} G \d\.\d{3}$/);
    expect(logs[1]).toBe('4,1,8,8');
    expect(logs[2]).toBe('0.6931');
    expect(logs[3]).toBe('10.00 10.00 false');
  });
});

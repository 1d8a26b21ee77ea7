import '@plexus/backend-js';
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import * as backendJs from '@plexus/backend-js';
import * as data from '@plexus/data';
import * as nn from '@plexus/nn';
import * as optim from '@plexus/optim';
import * as tensorModule from '@plexus/tensor';
import * as train from '../src/index.js';

const MODULES: Record<string, unknown> = {
  '@plexus/backend-js': backendJs,
  '@plexus/tensor': tensorModule,
  '@plexus/nn': nn,
  '@plexus/optim': optim,
  '@plexus/data': data,
  '@plexus/train': train,
};

/** Runs a README block as written (top-level await included), its imports bound to the workspace modules. */
async function runSnippet(code: string): Promise<string[]> {
  const body = code
    .replace(/^import '([^']+)';$/gm, (_, m: string) => `__use(${JSON.stringify(m)});`)
    .replace(/^import \{([^}]+)\} from '([^']+)';$/gm, (_, names: string, m: string) => `const {${names}} = __use(${JSON.stringify(m)});`);
  const logs: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void logs.push(args.map(String).join(' ')));
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (use: unknown) => Promise<void>;
  try {
    await new AsyncFunction('__use', body)((m: string) => {
      if (!(m in MODULES)) throw new Error(`README imports ${m}, which this test does not provide`);
      return MODULES[m];
    });
  } finally {
    spy.mockRestore();
  }
  return logs;
}

describe('README', () => {
  it('the example fits two moons and prints a high validation accuracy', async () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const example = /<!-- example -->\s*```js\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    const logs = await runSnippet(example!);
    // Early stopping, if it triggers, says so first.
    for (const line of logs.slice(0, -1)) expect(line).toMatch(/^EarlyStopping: valLoss has not improved/);
    const m = /^(\d+) epochs, validation accuracy (0\.\d{3}|1\.000)$/.exec(logs[logs.length - 1]);
    expect(m).not.toBeNull();
    expect(Number(m![2])).toBeGreaterThan(0.97);
  });
});

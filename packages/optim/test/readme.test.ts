import '@plexus/backend-js';
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import * as backendJs from '@plexus/backend-js';
import * as tensorModule from '@plexus/tensor';
import * as autograd from '@plexus/autograd';
import * as optim from '../src/index.js';

/**
 * Runs a README code block as written: its `import` lines become look-ups in the workspace
 * modules (resolved to their TypeScript sources), the rest runs unchanged.
 */
function runSnippet(markdown: string, after: RegExp): string[] {
  const block = new RegExp(`${after.source}[\\s\\S]*?\`\`\`js\\n([\\s\\S]*?)\`\`\``).exec(markdown);
  if (!block) throw new Error(`no code block after ${after}`);
  const modules: Record<string, unknown> = {
    '@plexus/backend-js': backendJs,
    '@plexus/tensor': tensorModule,
    '@plexus/autograd': autograd,
    '@plexus/optim': optim,
  };
  const code = block[1]
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
    new Function('__use', code)(use);
  } finally {
    spy.mockRestore();
  }
  return logs;
}

describe('README', () => {
  it('the example runs as written and learns y = 3x + 2', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(runSnippet(readme, /<!-- example -->/)).toEqual(['w = 3.000, b = 2.000']);
  });
});

import '@plexus/backend-js';
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import * as backendJs from '@plexus/backend-js';
import * as tensorModule from '@plexus/tensor';
import * as autograd from '@plexus/autograd';
import * as nn from '../src/index.js';

/** Runs a README code block as written, with its imports resolved to the workspace modules. */
function runSnippet(code: string, prelude = ''): string[] {
  const modules: Record<string, unknown> = {
    '@plexus/backend-js': backendJs,
    '@plexus/tensor': tensorModule,
    '@plexus/autograd': autograd,
    '@plexus/nn': nn,
  };
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
    new Function('__use', prelude + body)(use);
  } finally {
    spy.mockRestore();
  }
  return logs;
}

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);

describe('README', () => {
  it('the example after <!-- example --> runs and prints the loss and the parameter count', () => {
    const example = /<!-- example -->\s*```js\n([\s\S]*?)```/.exec(readme);
    expect(example).not.toBeNull();
    expect(example![1].trim().split('\n').length).toBeLessThanOrEqual(11);
    const logs = runSnippet(example![1]);
    expect(logs).toHaveLength(1);
    const [loss, count] = logs[0].split(' ');
    // Three classes at initialisation: the loss is near log 3.
    expect(Math.abs(Number(loss) - Math.log(3))).toBeLessThan(0.5);
    expect(Number(count)).toBe(4 * 16 + 16 + 16 * 3 + 3);
  });

  it('the custom Module example defines a working model', () => {
    const logs = runSnippet(
      `${blocks[1]}\nconst m = new MLP();\nconsole.log(m.namedParameters().map(([n]) => n).join(','), m.forward(__use('@plexus/tensor').zeros([2, 784])).shape.join('x'));`,
      "const { Module, ModuleList, Linear, LayerNorm, Dropout } = __use('@plexus/nn');\n",
    );
    expect(logs).toEqual(['hidden.0.weight,hidden.0.bias,hidden.1.weight,hidden.1.bias,norm.weight,norm.bias,head.weight,head.bias 2x10']);
  });
});

import '@plexus/backend-js';
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import * as backendJs from '@plexus/backend-js';
import * as tensorModule from '@plexus/tensor';
import { manualSeed, randn } from '@plexus/tensor';
import * as autograd from '../src/index.js';
import { grad, gradCheck } from '../src/index.js';

/**
 * Runs a README code block as written: its `import` lines become look-ups in the workspace
 * modules (resolved to their TypeScript sources), the rest runs unchanged (type-free TS/JS).
 */
function runSnippet(markdown: string, after: RegExp): string[] {
  const block = new RegExp(`${after.source}[\\s\\S]*?\`\`\`(?:js|ts)\\n([\\s\\S]*?)\`\`\``).exec(markdown);
  if (!block) throw new Error(`no code block after ${after}`);
  const modules: Record<string, unknown> = {
    '@plexus/backend-js': backendJs,
    '@plexus/tensor': tensorModule,
    '@plexus/autograd': autograd,
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
  it('readme example', () => {
    manualSeed(0);
    const x = randn([4, 3], { requiresGrad: true });
    const y = x.tanh().matmul(randn([3, 2])).sum();
    y.backward();
    expect(x.grad?.shape).toEqual([4, 3]);
    const d2 = grad((t) => grad((u) => u.sin().sum())(t).sum())(x);
    const expected = (x.toArraySync() as number[][]).map((r) => r.map((v) => -Math.sin(v)));
    const got = d2.toArraySync() as number[][];
    got.forEach((r, i) => r.forEach((v, j) => expect(v).toBeCloseTo(expected[i][j], 5)));
  });

  it('gradcheck of matmul, tanh, softmax', () => {
    manualSeed(1);
    const a = randn([3, 4], { dtype: 'float64' });
    const b = randn([4, 2], { dtype: 'float64' });
    const r = gradCheck((p, q) => p.matmul(q).tanh().softmax(-1), [a, b]);
    expect(r.message).toBe('ok');
  });

  it("the package README's example runs as written", () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const logs = runSnippet(readme, /<!-- example -->/);
    expect(logs).toEqual(['4,3 4,3', 'gradCheck ok']);
  });

  it("the repository README's example runs as written", () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    expect(() => runSnippet(readme, /## Using Plexus/)).not.toThrow();
  });
});

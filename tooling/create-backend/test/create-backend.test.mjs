// The CI test of `pnpm create-backend`: generate a backend into a temporary folder inside this
// package (so that its @plexus dependencies resolve through this package's node_modules, where
// pnpm linked them, exactly as in a fresh clone after `pnpm install`), then typecheck, lint and
// run its own vitest suite (the full conformance suite) there, and build it when the workspace
// packages are built. The folder is deleted afterwards.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, generate, pascalCase, validateName } from '../src/generate.mjs';

const HERE = join(ROOT, 'tooling', 'create-backend');
const TMP = join(HERE, '.tmp');
const bin = (pkg, file) => join(ROOT, 'node_modules', pkg, file);

/** The environment of a child process, without this vitest run's own variables. */
function childEnv() {
  const env = { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' };
  for (const key of Object.keys(env)) if (key.startsWith('VITEST') || key === 'TEST' || key === 'NODE_ENV') delete env[key];
  return env;
}

/**
 * Runs node with `args` and resolves with its exit status and output. Asynchronous on purpose: a
 * spawnSync of the generated package's 30-second test run blocks this vitest worker, whose
 * progress messages to the main process then time out ("Timeout calling onTaskUpdate").
 */
function run(args, cwd, timeout = 120_000) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd, env: childEnv(), timeout });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', (error) => resolve({ status: null, output, error }));
    child.on('close', (status, signal) => resolve({ status, output, error: signal ? new Error(`killed by ${signal}`) : undefined }));
  });
}

let work;
let pkg;

beforeAll(() => {
  mkdirSync(TMP, { recursive: true });
  work = mkdtempSync(join(TMP, 'ci-'));
  pkg = join(work, 'backend-ci-check');
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('pnpm create-backend <name> --dir <path>', () => {
  it('generates the package through the CLI', async () => {
    const r = await run([join(HERE, 'create-backend.mjs'), 'ci-check', '--dir', pkg], ROOT);
    expect(r.output).toContain('Created @plexus/backend-ci-check');
    expect(r.status).toBe(0);
    const json = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'));
    expect(json.name).toBe('@plexus/backend-ci-check');
    expect(json.dependencies).toEqual({ '@plexus/backend-js': 'workspace:*', '@plexus/tensor': 'workspace:*' });
    expect(readFileSync(join(pkg, 'src', 'index.ts'), 'utf8')).toContain("registerBackend('ci-check', () => new CiCheckBackend()");
    expect(existsSync(join(pkg, 'test', 'ci-check.test.ts'))).toBe(true);
    expect(readFileSync(join(pkg, 'tsconfig.json'), 'utf8')).toContain('"extends": "../../../../../tsconfig.base.json"');
  });

  it('typechecks', async () => {
    const r = await run([bin('typescript', 'bin/tsc'), '-p', 'tsconfig.json', '--noEmit'], pkg);
    expect(r.output).toBe('');
    expect(r.status).toBe(0);
  }, 120_000);

  it('lints with the shared config', async () => {
    const r = await run([bin('eslint', 'bin/eslint.js'), '.'], pkg);
    expect(r.output.trim()).toBe('');
    expect(r.status).toBe(0);
  }, 120_000);

  it('passes its own test suite: the whole conformance suite, delegating to backend-js', async () => {
    const r = await run([bin('vitest', 'vitest.mjs'), 'run'], pkg, 180_000);
    expect(r.error, r.output).toBeUndefined();
    const results = JSON.parse(readFileSync(join(pkg, 'test-results.json'), 'utf8'));
    expect(results.numFailedTests, r.output.slice(-4000)).toBe(0);
    expect(results.numPassedTests).toBeGreaterThan(1000);
    const titles = results.testResults.flatMap((f) => f.assertionResults.map((a) => a.fullName));
    expect(titles).toContain("backend 'ci-check' runs its own neg kernel, wrapping int32 like the reference");
    expect(titles.some((t) => t.startsWith('conformance: ci-check primitives matmul'))).toBe(true);
    expect(r.status).toBe(0);
  }, 180_000);

  it('builds, when the workspace packages it depends on are built (CI builds before testing)', async (ctx) => {
    const built = ['tensor', 'backend-js'].every((p) => existsSync(join(ROOT, 'packages', p, 'dist', 'index.d.ts')));
    if (!built) return ctx.skip('packages/tensor and packages/backend-js have no dist/ yet (run `pnpm build` first)');
    const r = await run([bin('typescript', 'bin/tsc'), '-p', 'tsconfig.build.json'], pkg);
    expect(r.output).toBe('');
    expect(r.status).toBe(0);
    expect(existsSync(join(pkg, 'dist', 'index.js'))).toBe(true);
    expect(existsSync(join(pkg, 'dist', 'index.d.ts'))).toBe(true);
  }, 120_000);
});

describe('generate()', () => {
  it('refuses bad and taken names, and a non-empty folder', () => {
    expect(() => validateName('My_Backend')).toThrow(/lowercase letters and digits/);
    expect(() => validateName('-x')).toThrow(/starting with a letter/);
    expect(() => validateName('cuda')).toThrow(/taken by a Plexus backend/);
    expect(() => generate({ name: 'again', dir: pkg })).toThrow(/exists and is not empty \(pass --force/);
  });

  it('names the class and factory after the backend', () => {
    expect(pascalCase('my-wasm2')).toBe('MyWasm2');
    const r = generate({ name: 'my-wasm2', dir: join(work, 'named') });
    expect(r.className).toBe('MyWasm2Backend');
    expect(readFileSync(join(r.dir, 'test', 'conformance.test.ts'), 'utf8')).toContain("runBackendConformance('my-wasm2', createMyWasm2Backend)");
    expect(r.changeset).toBeNull(); // only a package generated into packages/ gets one
  });

  it('outside the monorepo, depends on published versions and stands alone', () => {
    const outside = mkdtempSync(join(process.env.TMPDIR ?? '/tmp', 'plexus-create-backend-'));
    try {
      const r = generate({ name: 'solo', dir: join(outside, 'backend-solo') });
      expect(r.inWorkspace).toBe(false);
      const json = JSON.parse(readFileSync(join(r.dir, 'package.json'), 'utf8'));
      const version = JSON.parse(readFileSync(join(ROOT, 'packages', 'tensor', 'package.json'), 'utf8')).version;
      expect(json.dependencies['@plexus/tensor']).toBe(`^${version}`);
      expect(json.devDependencies).not.toHaveProperty('@plexus/eslint-config');
      expect(r.files).not.toContain('eslint.config.js');
      const ts = JSON.parse(readFileSync(join(r.dir, 'tsconfig.json'), 'utf8'));
      expect(ts.extends).toBeUndefined();
      expect(ts.compilerOptions.strict).toBe(true);
      expect(ts.compilerOptions.customConditions).toBeUndefined();
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});

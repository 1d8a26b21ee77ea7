import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { getBackend, setBackend } from '@plexus/tensor';
import '@plexus/backend-js';
import '@plexus/autograd';
import { FROM_SOURCE, REPO_ROOT } from '../paths.js';

const CPU_PACKAGE = '@plexus/backend-cpu';

/**
 * Imports the native backend. It is optional: by name when a package depends on it, otherwise
 * from the workspace folder. Throws an Error whose message says why it is not usable.
 */
async function importBackendCpu(): Promise<void> {
  try {
    // A variable specifier: the package need not exist when this app is type-checked.
    const name: string = CPU_PACKAGE;
    await import(name);
    return;
  } catch (e) {
    if ((e as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND' || !String((e as Error).message).includes(CPU_PACKAGE)) {
      throw new Error(`import('${CPU_PACKAGE}') failed: ${firstLine(e)}`);
    }
  }
  const dir = join(REPO_ROOT, 'packages', 'backend-cpu');
  const pkgFile = join(dir, 'package.json');
  if (!existsSync(pkgFile)) throw new Error(`not built: ${CPU_PACKAGE} does not exist (no packages/backend-cpu)`);
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { exports?: Record<string, Record<string, string> | string>; main?: string };
  const root = pkg.exports?.['.'];
  const entry = typeof root === 'string' ? root : (FROM_SOURCE ? root?.['@plexus/source'] : undefined) ?? root?.import ?? root?.default ?? pkg.main;
  if (!entry) throw new Error(`${CPU_PACKAGE}: its package.json names no entry point`);
  const file = join(dir, entry);
  if (!existsSync(file)) throw new Error(`not built: ${join('packages/backend-cpu', entry)} is missing (build @plexus/backend-cpu)`);
  try {
    await import(pathToFileURL(file).href);
  } catch (e) {
    throw new Error(`import of ${CPU_PACKAGE} failed: ${firstLine(e)}`);
  }
}

function firstLine(e: unknown): string {
  return String(e instanceof Error ? e.message : e).split('\n')[0].slice(0, 300);
}

/** Makes `name` the current Plexus backend, importing it first when it is optional. */
export async function usePlexusBackend(name: string): Promise<void> {
  if (name === 'cpu') {
    const buildError = process.env.PLEXUS_BENCH_CPU_BUILD_ERROR;
    if (buildError) throw new Error(`build failed: ${buildError}`);
    await importBackendCpu();
  }
  try {
    setBackend(name);
    // A lazily created backend may only fail on first use.
    getBackend();
  } catch (e) {
    throw new Error(`setBackend('${name}') failed: ${firstLine(e)}`);
  }
}

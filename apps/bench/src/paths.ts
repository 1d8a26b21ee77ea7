import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** apps/bench, whether this file runs from src/ (tests, tsx) or dist/ (built). */
export const APP_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_ROOT = join(APP_DIR, '..', '..');

/** True when running the TypeScript sources (under vitest or tsx) rather than the build. */
export const FROM_SOURCE = import.meta.url.endsWith('.ts');

/** Kept under src/ so that turbo's test and lint inputs cover it; tsc does not copy it to dist/. */
export const PYTHON_RUNNER = join(APP_DIR, 'src', 'runners', 'torch_runner.py');

/** The command that starts a JavaScript cell worker: the build, or the sources through tsx. */
export function workerCommand(): { command: string; args: string[] } {
  if (FROM_SOURCE) {
    return {
      command: process.execPath,
      args: ['--import', 'tsx', '--conditions=@plexus/source', join(APP_DIR, 'src', 'worker.ts')],
    };
  }
  const built = join(APP_DIR, 'dist', 'worker.js');
  if (!existsSync(built)) throw new Error(`bench: ${built} is missing; build the app first (pnpm bench builds it)`);
  return { command: process.execPath, args: [built] };
}

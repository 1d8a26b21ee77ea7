// Small helpers shared by the tooling scripts.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The monorepo root (tooling/scripts/src → ../../..). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** Local binary from the root node_modules/.bin, or null when not installed. */
export function localBin(name) {
  const bin = join(ROOT, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);
  return existsSync(bin) ? bin : null;
}

/**
 * How to invoke pnpm: the running pnpm (when started as a pnpm script) or `npx -y pnpm@9`.
 * Returns [command, leadingArgs].
 */
export function pnpmCommand() {
  const execPath = process.env.npm_execpath;
  if (execPath && /pnpm/.test(execPath) && existsSync(execPath)) {
    return /\.(c|m)?js$/.test(execPath) ? [process.execPath, [execPath]] : [execPath, []];
  }
  return ['npx', ['-y', 'pnpm@9']];
}

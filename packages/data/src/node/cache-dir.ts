import { accessSync, constants, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, parse, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Creates `dir` if needed and reports whether this process can write there. */
function writableDir(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * `node_modules/.cache/plexus` of the project this package is installed in (the outermost
 * node_modules above `moduleDir`, where tools such as babel and eslint keep their caches); in
 * a source checkout with no node_modules above, the package's own node_modules.
 */
export function packageCacheDir(moduleDir: string): string {
  const parts = moduleDir.split(sep);
  const nm = parts.indexOf('node_modules');
  if (nm >= 0) return join(parts.slice(0, nm + 1).join(sep) || sep, '.cache', 'plexus');
  let dir = moduleDir;
  const { root } = parse(dir);
  while (dir !== root) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === '@plexus/data') return join(dir, 'node_modules', '.cache', 'plexus');
      } catch {
        // An unreadable package.json is not ours; keep walking up.
      }
    }
    dir = dirname(dir);
  }
  return join(moduleDir, 'node_modules', '.cache', 'plexus');
}

export interface CacheDirSources {
  env?: Record<string, string | undefined>;
  moduleDir?: string;
  tmp?: string;
}

/**
 * The directory for downloads and parsed data sets: $PLEXUS_CACHE_DIR if set, else
 * node_modules/.cache/plexus next to the installed package, else <os tmpdir>/plexus-cache when
 * that is not writable. Created if missing.
 */
export function getCacheDir(sources: CacheDirSources = {}): string {
  const env = sources.env ?? process.env;
  const override = env.PLEXUS_CACHE_DIR;
  if (override) {
    const dir = resolve(override);
    mkdirSync(dir, { recursive: true });
    return dir;
  }
  const candidate = packageCacheDir(sources.moduleDir ?? dirname(fileURLToPath(import.meta.url)));
  if (writableDir(candidate)) return candidate;
  const fallback = join(sources.tmp ?? tmpdir(), 'plexus-cache');
  mkdirSync(fallback, { recursive: true });
  return fallback;
}

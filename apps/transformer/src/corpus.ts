import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The monorepo root: the nearest directory above `from` holding pnpm-workspace.yaml. */
export function findRepoRoot(from: string = process.cwd()): string | null {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

function markdownUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...markdownUnder(p));
    else if (e.isFile() && e.name.endsWith('.md')) out.push(p);
  }
  return out;
}

/** The repository's own Markdown: README.md, docs/**\/*.md and packages/*\/README.md, those that exist. */
export function repoMarkdownFiles(root: string): string[] {
  const files = [join(root, 'README.md'), ...markdownUnder(join(root, 'docs'))];
  const packages = join(root, 'packages');
  if (existsSync(packages)) {
    for (const name of readdirSync(packages).sort()) files.push(join(packages, name, 'README.md'));
  }
  return files.filter((f) => existsSync(f) && statSync(f).isFile());
}

export interface Corpus {
  text: string;
  /** Where it came from, relative to the repository root when it is the default corpus. */
  sources: string[];
}

/** The text of `path`, or the repository's Markdown concatenated (found from `cwd` upwards). */
export function loadCorpus(path: string | undefined, cwd: string = process.cwd()): Corpus {
  if (path !== undefined) {
    if (!existsSync(path)) throw new Error(`--text: no such file: ${path}`);
    return { text: readFileSync(path, 'utf8'), sources: [path] };
  }
  // From the working directory, else from where this app is installed (run from anywhere).
  const root = findRepoRoot(cwd) ?? findRepoRoot(dirname(fileURLToPath(import.meta.url)));
  if (!root) throw new Error(`no repository root (pnpm-workspace.yaml) above ${cwd}; give --text PATH`);
  const files = repoMarkdownFiles(root);
  if (files.length === 0) throw new Error(`no Markdown files found under ${root}; give --text PATH`);
  return { text: files.map((f) => readFileSync(f, 'utf8')).join('\n\n'), sources: files.map((f) => relative(root, f)) };
}

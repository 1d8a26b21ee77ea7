// Finds a README's runnable example: the first fenced ts/js block after a `<!-- example -->` line
// (or after another marker line, e.g. a heading).

const MARKER = /^\s*<!--\s*example\s*-->\s*$/;
const OPEN = /^\s*(```+|~~~+)\s*(ts|typescript|js|javascript|mjs|mts)\b.*$/i;

/**
 * Returns the example's source, or null when the README has no marked block. `marker` matches the
 * line the block must follow (only blank lines between).
 */
export function extractExample(markdown, marker = MARKER) {
  const lines = markdown.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    if (!marker.test(lines[i])) continue;
    let j = i + 1;
    while (j < lines.length && lines[j].trim() === '') j++;
    const open = lines[j] === undefined ? null : OPEN.exec(lines[j]);
    if (!open) continue;
    const fence = open[1];
    const close = new RegExp(`^\\s*${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
    const body = [];
    for (let k = j + 1; k < lines.length; k++) {
      if (close.test(lines[k])) return body.join('\n') + '\n';
      body.push(lines[k]);
    }
    return null; // unterminated fence
  }
  return null;
}

/** Bare package names the code imports (static, side-effect, dynamic and re-exports). */
export function importedPackages(code) {
  const names = new Set();
  const re = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g;
  for (const m of code.matchAll(re)) {
    const spec = m[1];
    if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('node:')) continue;
    const parts = spec.split('/');
    names.add(spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]);
  }
  return [...names].sort();
}

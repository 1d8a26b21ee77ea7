import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ArgumentError } from '@plexus/tensor';

/** A file path, a file: URL, or the file's bytes. */
export type FileSource = string | URL | Uint8Array;

/** The bytes of a source and the name errors should use for it. */
export function readSource(op: string, source: FileSource): { bytes: Uint8Array; name: string } {
  if (source instanceof Uint8Array) return { bytes: source, name: '<buffer>' };
  const path = source instanceof URL ? fileURLToPath(source) : source;
  if (typeof path !== 'string') throw new ArgumentError(`${op}: expected a path, a file URL or bytes, got ${typeof source}`);
  try {
    return { bytes: readFileSync(path), name: path };
  } catch (e) {
    throw new ArgumentError(`${op}: cannot read '${path}': ${(e as Error).message}`);
  }
}

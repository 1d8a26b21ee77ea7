import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { PlexusError } from '@plexus/tensor';

/** `fs.writeSync(fd, buffer, offset, length)`: the one call that writes bytes (tests replace it to simulate a crash). */
export type WriteFn = (fd: number, buffer: Uint8Array, offset: number, length: number) => number;

export interface AtomicWriteOptions {
  /** The low-level write (default fs.writeSync). */
  write?: WriteFn;
}

let counter = 0;

/**
 * Writes `chunks` to `path` so that the file is either the old one or the complete new one: the
 * bytes go to a temporary file in the same directory, which is fsynced and then renamed over
 * `path` (rename is atomic within a file system), and the directory is fsynced so the rename
 * survives a power cut. If anything fails, the temporary file is removed and the previous file
 * at `path` is untouched.
 */
export function writeFileAtomic(path: string, chunks: readonly Uint8Array[], options: AtomicWriteOptions = {}): void {
  const write: WriteFn = options.write ?? ((fd, buffer, offset, length) => writeSync(fd, buffer, offset, length));
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${Date.now().toString(36)}${(counter++).toString(36)}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx');
    for (const chunk of chunks) {
      let done = 0;
      while (done < chunk.length) done += write(fd, chunk, done, chunk.length - done);
    }
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // Already failing: the original error is the one to report.
      }
    }
    rmSync(tmp, { force: true });
    const error = new PlexusError(`could not write ${path}: ${(e as Error).message}; the previous file, if any, is unchanged`);
    error.cause = e;
    throw error;
  }
  syncDir(dir);
}

/** fsync of a directory makes a rename durable; some platforms (Windows) cannot open one, which is fine. */
function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Best effort only.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

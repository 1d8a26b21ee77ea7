import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import http from 'node:http';
import https from 'node:https';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ArgumentError, PlexusError } from '@plexus/tensor';
import { tempPathFor } from './atomic.js';
import { getCacheDir } from './cache-dir.js';

export interface DownloadOptions {
  /** Expected SHA-256 (hex). Checked on cached and fresh files; a mismatch is never kept. */
  sha256?: string;
  /** Where to keep the file (default: getCacheDir()). */
  cacheDir?: string;
  /** The file's name in cacheDir (default: the last segment of the URL's path). */
  fileName?: string;
  /** Download again even when a cached copy exists (default false). */
  force?: boolean;
  /** Give up when the server is silent this long, in ms (default 60 000). */
  timeoutMs?: number;
  /** Redirects to follow (default 10). */
  maxRedirects?: number;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

function fileNameFrom(url: URL): string {
  const last = url.pathname.split('/').filter(Boolean).pop();
  return last ? decodeURIComponent(last) : 'download';
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** GET with redirects followed; resolves the final 2xx response. */
function request(url: URL, original: string, redirectsLeft: number, timeoutMs: number): Promise<IncomingMessage> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    // identity encoding: the hash must be of the bytes the server stores, and no Range header:
    // a download always starts from the first byte and never resumes a partial file.
    const req = client.get(url, { headers: { 'accept-encoding': 'identity', 'user-agent': 'plexus-data' }, timeout: timeoutMs }, (res) => {
      const status = res.statusCode ?? 0;
      if (REDIRECTS.has(status) && res.headers.location) {
        res.resume();
        if (redirectsLeft <= 0) reject(new PlexusError(`download: ${original}: too many redirects (last to ${res.headers.location})`));
        else request(new URL(res.headers.location, url), original, redirectsLeft - 1, timeoutMs).then(resolve, reject);
        return;
      }
      if (status < 200 || status >= 300) {
        res.resume();
        const via = url.href === original ? '' : ` (redirected to ${url.href})`;
        reject(new PlexusError(`download: GET ${original}${via} failed with HTTP ${status} ${res.statusMessage ?? ''}`.trimEnd()));
        return;
      }
      resolve(res);
    });
    req.on('timeout', () => req.destroy(new Error(`no data for ${timeoutMs} ms`)));
    req.on('error', (e) => reject(new PlexusError(`download: GET ${original} failed: ${e.message}`)));
  });
}

/**
 * Downloads `url` into the cache (once) and returns the file's path. The body is written to a
 * temporary file and renamed only when complete and, with `sha256`, verified, so the final name
 * never holds a partial or corrupt file. A cached file whose hash does not match is deleted and
 * downloaded again; a fresh download that does not match is deleted and throws.
 */
export async function download(url: string | URL, options: DownloadOptions = {}): Promise<string> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ArgumentError(`download: invalid URL '${String(url)}'`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new ArgumentError(`download: only http and https URLs are supported, got '${parsed.href}'`);
  const original = parsed.href;
  const expected = options.sha256?.toLowerCase();
  if (expected !== undefined && !/^[0-9a-f]{64}$/.test(expected)) {
    throw new ArgumentError(`download: sha256 must be 64 hex digits, got '${options.sha256}'`);
  }
  const name = options.fileName ?? fileNameFrom(parsed);
  if (name === '' || name === '.' || name === '..' || /[/\\]/.test(name)) {
    throw new ArgumentError(`download: fileName must be a plain file name, got '${name}'`);
  }
  const dir = options.cacheDir ?? getCacheDir();
  mkdirSync(dir, { recursive: true });
  const target = join(dir, name);

  if (!options.force && existsSync(target)) {
    if (expected === undefined) return target;
    if ((await sha256Of(target)) === expected) return target;
    // A corrupt cached copy (interrupted by an older tool, edited, bit rot): fetch it afresh.
    rmSync(target, { force: true });
  }

  const temp = tempPathFor(target);
  try {
    const res = await request(parsed, original, options.maxRedirects ?? 10, options.timeoutMs ?? 60_000);
    const hash = createHash('sha256');
    let received = 0;
    const tap = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        received += chunk.length;
        done(null, chunk);
      },
    });
    try {
      await pipeline(res, tap, createWriteStream(temp, { flags: 'wx' }));
    } catch (e) {
      throw new PlexusError(`download: ${original}: the transfer failed after ${received} bytes: ${(e as Error).message}`);
    }
    const length = res.headers['content-length'];
    if (length !== undefined && Number(length) !== received) {
      throw new PlexusError(`download: ${original}: truncated: the server announced ${length} bytes, ${received} arrived`);
    }
    const actual = hash.digest('hex');
    if (expected !== undefined && actual !== expected) {
      throw new PlexusError(`download: ${original}: sha256 mismatch: expected ${expected}, got ${actual}; the downloaded file was deleted`);
    }
    renameSync(temp, target);
  } catch (e) {
    rmSync(temp, { force: true });
    throw e;
  }
  return target;
}

import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ArgumentError, PlexusError } from '@plexus/tensor';
import { download } from '../src/index.js';
import { expectRejection, removeTempDirs, tempDir } from './helpers.js';

afterAll(removeTempDirs);

const body = Buffer.from('plexus test payload\n'.repeat(1000));
const sha = createHash('sha256').update(body).digest('hex');
const wrongSha = 'ab'.repeat(32);

let server: Server;
let base: string;
const requests: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    if (req.headers.range) {
      res.writeHead(400).end('no ranges expected');
      return;
    }
    switch (req.url) {
      case '/data.bin':
        res.writeHead(200, { 'content-length': body.length }).end(body);
        return;
      case '/hop1':
        res.writeHead(302, { location: '/hop2' }).end();
        return;
      case '/hop2':
        res.writeHead(301, { location: `${base}/data.bin` }).end();
        return;
      case '/loop':
        res.writeHead(302, { location: '/loop' }).end();
        return;
      case '/truncated':
        // Announce the whole body, send half, then cut the connection.
        res.writeHead(200, { 'content-length': body.length });
        res.write(body.subarray(0, body.length / 2), () => res.socket?.destroy());
        return;
      default:
        res.writeHead(404, 'Not Found').end('missing');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  requests.length = 0;
});

describe('download', () => {
  it('downloads, verifies and caches; a second call makes no request', async () => {
    const dir = tempDir();
    const path = await download(`${base}/data.bin`, { sha256: sha, cacheDir: dir });
    expect(path).toBe(join(dir, 'data.bin'));
    expect(readFileSync(path).equals(body)).toBe(true);
    expect(requests).toEqual(['/data.bin']);
    const again = await download(`${base}/data.bin`, { sha256: sha.toUpperCase(), cacheDir: dir });
    expect(again).toBe(path);
    expect(requests).toEqual(['/data.bin']);
    expect(readdirSync(dir)).toEqual(['data.bin']);
  });

  it('follows redirects and stores under fileName', async () => {
    const dir = tempDir();
    const path = await download(`${base}/hop1`, { cacheDir: dir, fileName: 'payload.txt', sha256: sha });
    expect(path).toBe(join(dir, 'payload.txt'));
    expect(requests).toEqual(['/hop1', '/hop2', '/data.bin']);
    await expectRejection(download(`${base}/loop`, { cacheDir: dir, maxRedirects: 3 }), PlexusError, 'too many redirects');
  });

  it('deletes a download with the wrong hash and names the URL and both hashes', async () => {
    const dir = tempDir();
    const err = await expectRejection(download(`${base}/data.bin`, { sha256: wrongSha, cacheDir: dir }), PlexusError, `${base}/data.bin`, `expected ${wrongSha}`, `got ${sha}`);
    expect(err.message).toContain('deleted');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('reports a 404 and leaves nothing behind', async () => {
    const dir = tempDir();
    await expectRejection(download(`${base}/nothing.bin`, { cacheDir: dir }), PlexusError, `${base}/nothing.bin`, 'HTTP 404');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('never keeps a truncated transfer under the final name', async () => {
    const dir = tempDir();
    await expectRejection(download(`${base}/truncated`, { cacheDir: dir }), PlexusError, `${base}/truncated`);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('replaces a corrupt cached file with a fresh, verified download', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'data.bin'), body.subarray(0, 100)); // e.g. left by an interrupted tool
    const path = await download(`${base}/data.bin`, { sha256: sha, cacheDir: dir });
    expect(requests).toEqual(['/data.bin']);
    expect(readFileSync(path).equals(body)).toBe(true);
  });

  it('trusts an existing file when no hash is given, unless forced', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'data.bin'), 'old');
    expect(readFileSync(await download(`${base}/data.bin`, { cacheDir: dir }), 'utf8')).toBe('old');
    expect(requests).toEqual([]);
    await download(`${base}/data.bin`, { cacheDir: dir, force: true });
    expect(requests).toEqual(['/data.bin']);
    expect(readFileSync(join(dir, 'data.bin')).equals(body)).toBe(true);
  });

  it('rejects bad URLs, hashes and file names before any request', async () => {
    const dir = tempDir();
    await expectRejection(download('not a url', { cacheDir: dir }), ArgumentError, 'invalid URL');
    await expectRejection(download('ftp://127.0.0.1/x', { cacheDir: dir }), ArgumentError, 'http and https');
    await expectRejection(download(`${base}/data.bin`, { cacheDir: dir, sha256: 'abc' }), ArgumentError, '64 hex digits');
    await expectRejection(download(`${base}/data.bin`, { cacheDir: dir, fileName: '../escape' }), ArgumentError, 'plain file name');
    expect(requests).toEqual([]);
    expect(existsSync(join(dir, 'data.bin'))).toBe(false);
  });
});

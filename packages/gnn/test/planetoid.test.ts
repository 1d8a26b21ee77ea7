import './helpers.js';
import { readFileSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArgumentError } from '@plexus/tensor';
import type { PlanetoidFile } from '../src/index.js';
import { PLANETOID_FILES, PyObject, loadPlanetoid, loadPlanetoidFiles, parsePickle, parsePlanetoid } from '../src/index.js';
import { TINY, planetoidFiles } from './fixtures/write-planetoid.js';
import { values } from './helpers.js';

// What Kipf & Welling's load_data computes for TINY (run with Python, numpy and scipy on the
// files planetoidFiles writes): features after the reordering, argmax labels (-1: all-zero row).
const KIPF_FEATURES = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0], [0, 1, 1], [0, 3, 0], [0, 0, 0], [2, 0, 0], [0, 0, 4]];
const KIPF_LABELS = [0, 1, 0, 1, 1, 1, -1, 0, 0];
const EDGES = [[0, 1], [1, 2], [2, 3], [3, 4], [4, 5], [5, 7], [7, 8]];

const files = planetoidFiles(TINY) as Record<PlanetoidFile, Uint8Array>;
const fixtureDir = new URL('./fixtures/planetoid-py3/', import.meta.url);
const py3Files = (name: string): Record<PlanetoidFile, Uint8Array> =>
  Object.fromEntries(PLANETOID_FILES.map((s) => [s, new Uint8Array(readFileSync(new URL(`ind.${name}.${s}`, fixtureDir)))])) as unknown as Record<PlanetoidFile, Uint8Array>;

function expectTiny(d: ReturnType<typeof parsePlanetoid>): void {
  expect(d.graph.numNodes).toBe(9);
  expect(d.numFeatures).toBe(3);
  expect(d.numClasses).toBe(2);
  expect(d.graph.x!.toArraySync()).toEqual(KIPF_FEATURES);
  expect(values(d.graph.y!)).toEqual(KIPF_LABELS);
  const ei = d.graph.edgeIndex.toArraySync() as number[][];
  const pairs = ei[0].map((s, i) => [s, ei[1][i]]);
  expect(pairs).toEqual(EDGES.flatMap(([a, b]) => [[a, b], [b, a]]).sort((p, q) => p[0] - q[0] || p[1] - q[1]));
  expect(values(d.trainIndex)).toEqual([0, 1]);
  expect(values(d.valIndex)).toEqual([2, 3, 4]);
  expect(values(d.testIndex)).toEqual([5, 7, 8]);
}

describe('parsePlanetoid', () => {
  it('reproduces Kipf & Welling\'s processing on Python 2 style pickles (cPickle protocol 2)', () => {
    expectTiny(parsePlanetoid('tiny', files));
  });

  it('reads the same data pickled by Python 3 (protocols 2 and 4, scipy 1.x csr_matrix)', () => {
    expectTiny(parsePlanetoid('tinyp2', py3Files('tinyp2')));
    expectTiny(parsePlanetoid('tinyp4', py3Files('tinyp4')));
  });

  it('row-normalises features on request', () => {
    const d = parsePlanetoid('tiny', files, { normalizeFeatures: true });
    expect((d.graph.x!.toArraySync() as number[][])[3]).toEqual([0.5, 0.5, 0]);
  });

  it('names the file, offset and problem on bad files', () => {
    const cut = { ...files, tx: files.tx.subarray(0, files.tx.length - 10) }; // inside the csr data string
    expect(() => parsePlanetoid('tiny', cut)).toThrow(ArgumentError);
    expect(() => parsePlanetoid('tiny', cut)).toThrow(new RegExp(`^parsePickle: ind\\.tiny\\.tx at byte offset \\d+: truncated: needs \\d+ more bytes, the file ends at ${files.tx.length - 10}$`));
    const junk = { ...files, graph: Uint8Array.of(0x80, 2, 0xff) };
    expect(() => parsePlanetoid('tiny', junk)).toThrow("parsePickle: ind.tiny.graph at byte offset 2: unsupported or unknown opcode 0xff ('ÿ')");
    const noStop = { ...files, y: files.y.subarray(0, files.y.length - 1) };
    expect(() => parsePlanetoid('tiny', noStop)).toThrow(/ind\.tiny\.y at byte offset \d+: the pickle ends without a STOP opcode/);
    const badIndex = { ...files, 'test.index': new TextEncoder().encode('7\n5\nfive\n') };
    expect(() => parsePlanetoid('tiny', badIndex)).toThrow("parsePlanetoid: ind.tiny.test.index at byte offset 4 (line 3): expected a node index, got 'five'");
    const wrongKind = { ...files, ally: files.graph };
    expect(() => parsePlanetoid('tiny', wrongKind)).toThrow('parsePlanetoid: ind.tiny.ally: expected a pickled numpy array, got collections.defaultdict object');
    const missing = { ...files } as Partial<Record<PlanetoidFile, Uint8Array>>;
    delete missing.ty;
    expect(() => parsePlanetoid('tiny', missing as Record<PlanetoidFile, Uint8Array>)).toThrow('parsePlanetoid: missing file ind.tiny.ty');
  });
});

describe('parsePickle', () => {
  it('never calls globals: it records them with their arguments and state', () => {
    const v = parsePickle(files.allx);
    expect(v).toBeInstanceOf(PyObject);
    expect((v as PyObject).cls.fullName).toBe('scipy.sparse.csr.csr_matrix');
    // Python: pickle.dumps({'a': [1, -2, 3.5, None, True], 'b': (b'xy',)}, protocol=4)
    const p4 = Uint8Array.from(Buffer.from('gASVKgAAAAAAAAB9lCiMAWGUXZQoSwFK/v///0dADAAAAAAAAE6IZYwBYpRDAnh5lIWUdS4=', 'base64'));
    const d = parsePickle(p4) as Map<string, unknown>;
    expect(d.get('a')).toEqual([1, -2, 3.5, null, true]);
    expect((d.get('b') as { items: unknown[] }).items[0]).toEqual(Uint8Array.of(0x78, 0x79));
  });
});

describe('loadPlanetoid', () => {
  let server: Server;
  let base: string;
  const cache = mkdtempSync(join(tmpdir(), 'plexus-planetoid-'));
  let requests = 0;

  beforeAll(async () => {
    // A local HTTP server in place of the planetoid repository (no network here).
    server = createServer((req, res) => {
      requests++;
      const m = /^\/data\/ind\.tiny\.(.+)$/.exec(req.url ?? '');
      const body = m ? files[m[1] as PlanetoidFile] : undefined;
      if (!body) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-length': body.length }).end(Buffer.from(body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/data`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(cache, { recursive: true, force: true });
  });

  it('downloads the eight files through @plexus/data download, caches them and parses them', async () => {
    expectTiny(await loadPlanetoidFiles('tiny', { baseUrl: `${base}/`, cacheDir: cache }));
    expect(requests).toBe(8);
    expect(existsSync(join(cache, 'ind.tiny.graph'))).toBe(true);
    expectTiny(await loadPlanetoidFiles('tiny', { baseUrl: base, cacheDir: cache }));
    expect(requests).toBe(8); // served from the cache
  });

  it('reports a missing file and an unknown dataset name', async () => {
    await expect(loadPlanetoidFiles('nope', { baseUrl: base, cacheDir: cache })).rejects.toThrow(/download: GET http:\/\/127\.0\.0\.1:\d+\/data\/ind\.nope\.x failed with HTTP 404/);
    await expect(loadPlanetoid('Cora2' as 'Cora', { baseUrl: base, cacheDir: cache })).rejects.toThrow("loadPlanetoid: name must be one of Cora, CiteSeer, PubMed, got 'Cora2'");
  });
});

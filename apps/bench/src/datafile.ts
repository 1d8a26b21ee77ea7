import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HostTensor } from './data.js';
import { generateData } from './data.js';
import type { Size, WorkloadId } from './spec.js';
import { workload } from './spec.js';

/** Where one tensor lies in the .bin file. */
export interface DataEntry {
  shape: number[];
  dtype: 'float32' | 'int32';
  /** Byte offset. */
  offset: number;
  /** Element count. */
  length: number;
}

export interface DataHeader {
  workload: WorkloadId;
  size: Size;
  config: unknown;
  inputs: Record<string, DataEntry>;
  params: [string, DataEntry][];
}

/**
 * Writes `<dir>/<id>.json` (shapes, dtypes, offsets, the config) and `<dir>/<id>.bin` (the raw
 * little-endian values), for runners outside Node: the Python runner reads the very numbers the
 * JavaScript runners generate.
 */
export function writeDataFile(dir: string, id: WorkloadId, size: Size): DataHeader {
  const config = workload(id).config[size];
  const data = generateData(config);
  const chunks: Uint8Array[] = [];
  let offset = 0;
  const add = (h: HostTensor): DataEntry => {
    const bytes = new Uint8Array(h.data.buffer, h.data.byteOffset, h.data.byteLength);
    const entry: DataEntry = { shape: h.shape, dtype: h.data instanceof Int32Array ? 'int32' : 'float32', offset, length: h.data.length };
    chunks.push(bytes);
    offset += bytes.byteLength;
    return entry;
  };
  const header: DataHeader = {
    workload: id,
    size,
    config,
    inputs: Object.fromEntries(Object.entries(data.inputs).map(([k, h]) => [k, add(h)])),
    params: data.params.map(([k, h]) => [k, add(h)]),
  };
  writeFileSync(join(dir, `${id}.bin`), Buffer.concat(chunks));
  writeFileSync(join(dir, `${id}.json`), JSON.stringify(header));
  return header;
}

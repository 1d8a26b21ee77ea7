import type { CsvOptions } from '../io/csv.js';
import { parseCsv } from '../io/csv.js';
import type { Table } from '../table.js';
import type { FileSource } from './files.js';
import { readSource } from './files.js';

/**
 * Reads a CSV file (a path, file URL or bytes) into a Table. A string containing a newline is
 * taken as the CSV text itself; use `parseCsv` for one-line text.
 */
export function readCsv(source: FileSource, options: CsvOptions = {}): Table {
  if (typeof source === 'string' && /[\r\n]/.test(source)) return parseCsv(source, options, '<text>');
  const { bytes, name } = readSource('readCsv', source);
  return parseCsv(new TextDecoder('utf-8').decode(bytes), options, name);
}

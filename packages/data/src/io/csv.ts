import { ArgumentError } from '@plexus/tensor';
import type { Cell, Table } from '../table.js';
import { makeTable } from '../table.js';

/** How a CSV column's text becomes values; 'auto' picks 'number' when every value parses as one. */
export type ColumnType = 'auto' | 'number' | 'int' | 'string' | 'bool';

export interface CsvOptions {
  /** The first record names the columns (default true); otherwise columns are named '0', '1', … */
  header?: boolean;
  /** Field separator, one character (default ','). */
  delimiter?: string;
  /** Column types by name (or by position as an array); unlisted columns are 'auto'. */
  columns?: Record<string, ColumnType> | readonly ColumnType[];
  /** Extra strings read as missing, besides the empty field (e.g. ['NA', 'n/a']). */
  naValues?: readonly string[];
}

interface RawRecord {
  fields: string[];
  /** Physical line (1-based) where the record starts. */
  line: number;
}

/** Splits CSV text into records (RFC 4180: quoted fields, "" escapes, CRLF or LF, newlines inside quotes). */
function tokenize(text: string, delimiter: string, where: string): RawRecord[] {
  const records: RawRecord[] = [];
  const d = delimiter.charCodeAt(0);
  const QUOTE = 34;
  const LF = 10;
  const CR = 13;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const fields: string[] = [];
    const recordLine = line;
    let blank = true;
    for (;;) {
      // One field starting at i.
      let value: string;
      if (text.charCodeAt(i) === QUOTE) {
        blank = false;
        const openLine = line;
        let j = i + 1;
        let parts = '';
        for (;;) {
          const q = text.indexOf('"', j);
          if (q < 0) {
            throw new ArgumentError(`readCsv: ${where} line ${openLine}, column ${fields.length + 1}: unterminated quoted field (the quote opened here is never closed)`);
          }
          parts += text.slice(j, q);
          if (text.charCodeAt(q + 1) === QUOTE) {
            parts += '"';
            j = q + 2;
          } else {
            j = q + 1;
            break;
          }
        }
        for (let k = i; k < j; k++) if (text.charCodeAt(k) === LF || (text.charCodeAt(k) === CR && text.charCodeAt(k + 1) !== LF)) line++;
        value = parts;
        i = j;
        const c = i < n ? text.charCodeAt(i) : -1;
        if (c !== -1 && c !== d && c !== LF && c !== CR) {
          throw new ArgumentError(`readCsv: ${where} line ${line}, column ${fields.length + 1}: unexpected '${text[i]}' after the closing quote of a quoted field (expected '${delimiter}' or the end of the line)`);
        }
      } else {
        let j = i;
        while (j < n) {
          const c = text.charCodeAt(j);
          if (c === d || c === LF || c === CR) break;
          j++;
        }
        value = text.slice(i, j);
        if (value !== '') blank = false;
        i = j;
      }
      fields.push(value);
      const c = i < n ? text.charCodeAt(i) : -1;
      if (c === d) {
        blank = false;
        i++;
        continue;
      }
      // End of record: LF, CRLF, a lone CR, or the end of the text.
      if (c === CR) i += text.charCodeAt(i + 1) === LF ? 2 : 1;
      else if (c === LF) i++;
      if (c !== -1) line++;
      break;
    }
    // Skip blank lines, as pandas does.
    if (!blank) records.push({ fields, line: recordLine });
  }
  return records;
}

const TRUE = new Set(['true', '1', 'yes']);
const FALSE = new Set(['false', '0', 'no']);

function parseNumber(s: string): number {
  const t = s.trim();
  if (t === '') return NaN;
  const n = Number(t);
  if (!Number.isNaN(n)) return n;
  const lower = t.toLowerCase();
  if (lower === 'nan') return NaN;
  if (lower === 'inf' || lower === '+inf' || lower === 'infinity') return Infinity;
  if (lower === '-inf' || lower === '-infinity') return -Infinity;
  return NaN;
}

function isNumberText(s: string): boolean {
  return !Number.isNaN(parseNumber(s)) || s.trim().toLowerCase() === 'nan';
}

/**
 * Parses CSV text into a column-oriented Table. Empty fields (and `naValues`) become null.
 * Errors name `fileName`, the line and the column.
 */
export function parseCsv(text: string, options: CsvOptions = {}, fileName = '<text>'): Table {
  const { header = true, delimiter = ',', naValues = [] } = options;
  if (typeof text !== 'string') throw new ArgumentError(`readCsv: expected CSV text, got ${typeof text}`);
  if (typeof delimiter !== 'string' || delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new ArgumentError(`readCsv: delimiter must be one character other than a quote or newline, got ${JSON.stringify(delimiter)}`);
  }
  const records = tokenize(text, delimiter, fileName);
  if (records.length === 0) return makeTable([], {}, 0);

  const width = records[0].fields.length;
  let names: string[];
  if (header) {
    names = records[0].fields.map((f, i) => (f === '' ? `Unnamed: ${i}` : f));
    const seen = new Map<string, number>();
    names.forEach((name, i) => {
      if (seen.has(name)) {
        throw new ArgumentError(`readCsv: ${fileName} line ${records[0].line}: duplicate column name '${name}' (columns ${seen.get(name)! + 1} and ${i + 1})`);
      }
      seen.set(name, i);
    });
  } else {
    names = Array.from({ length: width }, (_, i) => String(i));
  }
  const body = header ? records.slice(1) : records;
  for (const r of body) {
    if (r.fields.length !== width) {
      throw new ArgumentError(`readCsv: ${fileName} line ${r.line}: expected ${width} fields (like ${header ? 'the header' : 'the first line'}), got ${r.fields.length}`);
    }
  }

  const types: ColumnType[] = names.map(() => 'auto');
  const given = options.columns;
  if (Array.isArray(given)) {
    if (given.length > width) throw new ArgumentError(`readCsv: ${fileName}: ${given.length} column types given for ${width} columns`);
    given.forEach((t, i) => (types[i] = t));
  } else if (given) {
    for (const [name, t] of Object.entries(given)) {
      const i = names.indexOf(name);
      if (i < 0) throw new ArgumentError(`readCsv: ${fileName}: a type is given for column '${name}', which the file does not have (columns: ${names.join(', ')})`);
      types[i] = t;
    }
  }
  types.forEach((t, i) => {
    if (!['auto', 'number', 'int', 'string', 'bool'].includes(t)) {
      throw new ArgumentError(`readCsv: unknown type '${String(t)}' for column '${names[i]}' (expected auto, number, int, string or bool)`);
    }
  });

  const na = new Set(naValues);
  const data: Record<string, Cell[]> = Object.create(null) as Record<string, Cell[]>;
  names.forEach((name, j) => {
    const raw = body.map((r) => r.fields[j]);
    const missing = (s: string): boolean => s === '' || na.has(s);
    let type = types[j];
    if (type === 'auto') type = raw.every((s) => missing(s) || isNumberText(s)) ? 'number' : 'string';
    const fail = (k: number, what: string): never => {
      throw new ArgumentError(`readCsv: ${fileName} line ${body[k].line}, column ${j + 1} ('${name}'): expected ${what}, got '${raw[k]}'`);
    };
    data[name] = raw.map((s, k): Cell => {
      if (missing(s)) return null;
      if (type === 'string') return s;
      if (type === 'bool') {
        const l = s.trim().toLowerCase();
        return TRUE.has(l) ? true : FALSE.has(l) ? false : fail(k, 'a boolean (true/false, 1/0, yes/no)');
      }
      if (!isNumberText(s)) return fail(k, type === 'int' ? 'an integer' : 'a number');
      const v = parseNumber(s);
      if (type === 'int' && !Number.isInteger(v)) return fail(k, 'an integer');
      return v;
    });
  });
  return makeTable(names, data, body.length);
}

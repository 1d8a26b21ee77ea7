import type { DType, Tensor } from '@plexus/tensor';
import { ArgumentError, ShapeError, allocArray, fromData } from '@plexus/tensor';

/** One value of a table; null marks a missing value. */
export type Cell = number | string | boolean | null;

/**
 * A column-oriented table, as `readCsv` returns it. `columns` keeps the file's order (object keys
 * would move names such as "2021" to the front); `data` has one array of `length` cells per column.
 */
export interface Table {
  columns: string[];
  data: Record<string, Cell[]>;
  length: number;
}

/** Rows as objects keyed by column name. */
export type RowTable = Record<string, Cell | undefined>[];
/** Columns as arrays keyed by column name. */
export type ColumnTable = Record<string, (Cell | undefined)[]>;

export function isTable(value: unknown): value is Table {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const v = value as Partial<Table>;
  return Array.isArray(v.columns) && v.data !== null && typeof v.data === 'object' && !Array.isArray(v.data) && typeof v.length === 'number';
}

/** A Table with a prototype-free data record, so a column named "__proto__" is just a column. */
export function makeTable(columns: string[], data: Record<string, Cell[]>, length: number): Table {
  const record: Record<string, Cell[]> = Object.create(null) as Record<string, Cell[]>;
  for (const c of columns) record[c] = data[c];
  return { columns, data: record, length };
}

/** Normalises rows, columns or a Table into a Table (copying the cells). */
export function toTable(op: string, input: Table | RowTable | ColumnTable): Table {
  if (Array.isArray(input)) {
    const columns: string[] = [];
    const seen = new Set<string>();
    for (const row of input) {
      if (row === null || typeof row !== 'object') throw new ArgumentError(`${op}: expected rows to be objects, got ${row === null ? 'null' : typeof row}`);
      for (const k of Object.keys(row)) {
        if (!seen.has(k)) {
          seen.add(k);
          columns.push(k);
        }
      }
    }
    const data: Record<string, Cell[]> = Object.create(null) as Record<string, Cell[]>;
    for (const c of columns) data[c] = input.map((row) => row[c] ?? null);
    return { columns, data, length: input.length };
  }
  if (isTable(input)) {
    const data: Record<string, Cell[]> = Object.create(null) as Record<string, Cell[]>;
    for (const c of input.columns) {
      const col = input.data[c];
      if (!Array.isArray(col) || col.length !== input.length) {
        throw new ShapeError(`${op}: column '${c}' should hold ${input.length} values, got ${Array.isArray(col) ? col.length : typeof col}`);
      }
      data[c] = [...col];
    }
    return { columns: [...input.columns], data, length: input.length };
  }
  if (input === null || typeof input !== 'object') throw new ArgumentError(`${op}: expected a Table, rows or columns, got ${input === null ? 'null' : typeof input}`);
  const columns = Object.keys(input);
  const length = columns.length === 0 ? 0 : input[columns[0]].length;
  const data: Record<string, Cell[]> = Object.create(null) as Record<string, Cell[]>;
  for (const c of columns) {
    const col = input[c];
    if (!Array.isArray(col) || col.length !== length) {
      throw new ShapeError(`${op}: column '${c}' has ${Array.isArray(col) ? col.length : 'no'} values, column '${columns[0]}' has ${length}`);
    }
    data[c] = col.map((v) => v ?? null);
  }
  return { columns, data, length };
}

/**
 * Numeric columns of a table as a [rows, columns] tensor (float32 by default). Missing or
 * non-numeric cells are an error naming the column and row; clean the table first.
 */
export function tableToTensor(input: Table | RowTable | ColumnTable, columns?: readonly string[], options: { dtype?: DType } = {}): Tensor {
  const table = toTable('tableToTensor', input);
  const names = columns ?? table.columns;
  for (const c of names) {
    if (!table.columns.includes(c)) throw new ArgumentError(`tableToTensor: no column '${c}' (columns: ${table.columns.join(', ')})`);
  }
  const dtype = options.dtype ?? 'float32';
  const out = allocArray(dtype, table.length * names.length);
  names.forEach((c, j) => {
    table.data[c].forEach((v, i) => {
      const num = typeof v === 'boolean' ? Number(v) : v;
      if (typeof num !== 'number') {
        throw new ArgumentError(`tableToTensor: column '${c}' row ${i} is ${v === null ? 'missing' : `'${String(v)}'`}; expected a number`);
      }
      out[i * names.length + j] = num;
    });
  });
  return fromData('tableToTensor', out, [table.length, names.length]);
}

import { ArgumentError } from '@plexus/tensor';
import type { Cell, ColumnTable, RowTable, Table } from './table.js';
import { isTable, makeTable, toTable } from './table.js';

/** How to treat missing values: drop the row, fill with a statistic, or fill with a constant. */
export type MissingStrategy = 'drop' | 'mean' | 'median' | 'mode' | { fill: Cell };

export interface CleanTableOptions {
  /** One strategy for all checked columns, or one per column (default 'drop'). A bare number or string is a constant fill. */
  missing?: MissingStrategy | number | string | Record<string, MissingStrategy | number | string>;
  /** The columns to check (default: all). Other columns are passed through untouched. */
  columns?: readonly string[];
}

export interface Imputation {
  /** How many cells were filled. */
  count: number;
  /** The value they were filled with. */
  value: Cell;
  strategy: 'mean' | 'median' | 'mode' | 'constant';
  /** Row positions (in the input) that were filled. */
  rows: number[];
}

export interface CleanReport {
  rowsBefore: number;
  rowsAfter: number;
  /** Row positions (in the input) that were dropped. */
  droppedRows: number[];
  /** Per column that had a fill strategy and missing values. */
  imputed: Record<string, Imputation>;
}

/** null, undefined, NaN and the empty string count as missing. */
export function isMissing(v: unknown): boolean {
  return v === null || v === undefined || v === '' || (typeof v === 'number' && Number.isNaN(v));
}

function compareCells(a: Cell, b: Cell): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === typeof b) return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
  // Numbers before booleans before strings, so a mixed column still has one order.
  const rank = (v: Cell): number => (typeof v === 'number' ? 0 : typeof v === 'boolean' ? 1 : 2);
  return rank(a) - rank(b);
}

function numbersOf(column: string, values: Cell[], strategy: string): number[] {
  return values.map((v) => {
    if (typeof v !== 'number') {
      throw new ArgumentError(`cleanTable: cannot take the ${strategy} of column '${column}': it holds ${typeof v} '${String(v)}'; use 'mode' or a constant`);
    }
    return v;
  });
}

function statistic(column: string, strategy: 'mean' | 'median' | 'mode', present: Cell[]): Cell {
  if (present.length === 0) throw new ArgumentError(`cleanTable: column '${column}' has no values to take the ${strategy} of`);
  if (strategy === 'mean') return numbersOf(column, present, strategy).reduce((a, b) => a + b, 0) / present.length;
  if (strategy === 'median') {
    const sorted = numbersOf(column, present, strategy).sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }
  // The most frequent value; ties go to the smallest, as pandas' mode()[0].
  const counts = new Map<Cell, number>();
  for (const v of present) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: Cell = null;
  let bestCount = 0;
  for (const [v, c] of counts) {
    if (c > bestCount || (c === bestCount && compareCells(v, best) < 0)) {
      best = v;
      bestCount = c;
    }
  }
  return best;
}

function strategyFor(option: CleanTableOptions['missing'], column: string): MissingStrategy {
  const pick = (s: MissingStrategy | number | string): MissingStrategy => {
    if (s === 'drop' || s === 'mean' || s === 'median' || s === 'mode') return s;
    if (typeof s === 'number' || typeof s === 'string') return { fill: s };
    if (s && typeof s === 'object' && 'fill' in s) return s;
    throw new ArgumentError(`cleanTable: unknown missing strategy ${JSON.stringify(s)} (expected 'drop', 'mean', 'median', 'mode' or a constant)`);
  };
  if (option === undefined) return 'drop';
  if (typeof option === 'object' && option !== null && !('fill' in option)) {
    const s = (option as Record<string, MissingStrategy | number | string>)[column];
    return s === undefined ? 'drop' : pick(s);
  }
  return pick(option as MissingStrategy | number | string);
}

/**
 * Handles missing values (null, undefined, NaN, '') in a table given as a Table, rows or columns,
 * and returns the cleaned table in the same form with a report of what changed. Rows are dropped
 * first (for columns whose strategy is 'drop'); statistics are then computed on the kept rows.
 */
export function cleanTable<T extends Table | RowTable | ColumnTable>(input: T, options: CleanTableOptions = {}): { table: T; report: CleanReport } {
  const table = toTable('cleanTable', input);
  const columns = options.columns ?? table.columns;
  for (const c of columns) {
    if (!table.columns.includes(c)) throw new ArgumentError(`cleanTable: no column '${c}' (columns: ${table.columns.join(', ')})`);
  }
  const missingOption = options.missing;
  if (missingOption !== null && typeof missingOption === 'object' && !('fill' in missingOption)) {
    for (const c of Object.keys(missingOption)) {
      if (!columns.includes(c)) throw new ArgumentError(`cleanTable: a strategy is given for column '${c}', which is not among the checked columns (${columns.join(', ')})`);
    }
  }
  const strategies = new Map(columns.map((c) => [c, strategyFor(missingOption, c)]));

  const dropped: number[] = [];
  const kept: number[] = [];
  for (let i = 0; i < table.length; i++) {
    const drop = columns.some((c) => strategies.get(c) === 'drop' && isMissing(table.data[c][i]));
    (drop ? dropped : kept).push(i);
  }
  const data: Record<string, Cell[]> = Object.create(null) as Record<string, Cell[]>;
  for (const c of table.columns) data[c] = kept.map((i) => table.data[c][i]);

  const imputed: Record<string, Imputation> = {};
  for (const c of columns) {
    const s = strategies.get(c)!;
    if (s === 'drop') continue;
    const col = data[c];
    const rows = kept.filter((_, k) => isMissing(col[k]));
    if (rows.length === 0) continue;
    const value = typeof s === 'object' ? s.fill : statistic(c, s, col.filter((v) => !isMissing(v)));
    for (let k = 0; k < col.length; k++) if (isMissing(col[k])) col[k] = value;
    imputed[c] = { count: rows.length, value, strategy: typeof s === 'object' ? 'constant' : s, rows };
  }

  const report: CleanReport = { rowsBefore: table.length, rowsAfter: kept.length, droppedRows: dropped, imputed };
  const cleaned = makeTable(table.columns, data, kept.length);
  if (Array.isArray(input)) {
    const rows = kept.map((_, k) => Object.fromEntries(cleaned.columns.map((c) => [c, cleaned.data[c][k]])));
    return { table: rows as T, report };
  }
  if (isTable(input)) return { table: cleaned as T, report };
  return { table: Object.fromEntries(cleaned.columns.map((c) => [c, cleaned.data[c]])) as T, report };
}

import { describe, expect, it } from 'vitest';
import { ArgumentError } from '@plexus/tensor';
import { cleanTable, isMissing, tableToTensor } from '../src/index.js';
import type { Table } from '../src/index.js';
import { expectError, values } from './helpers.js';

const columns = () => ({
  age: [30, null, 50, 20, NaN],
  city: ['Oslo', 'Rome', '', 'Oslo', 'Lima'],
  score: [1, 2, 3, 4, 5],
});

describe('cleanTable', () => {
  it('treats null, undefined, NaN and the empty string as missing', () => {
    expect([null, undefined, NaN, ''].every(isMissing)).toBe(true);
    expect([0, 'x', false].some(isMissing)).toBe(false);
  });

  it("'drop' (the default) removes rows with a missing value and reports them", () => {
    const { table, report } = cleanTable(columns());
    expect(table).toEqual({ age: [30, 20], city: ['Oslo', 'Oslo'], score: [1, 4] });
    expect(report).toEqual({ rowsBefore: 5, rowsAfter: 2, droppedRows: [1, 2, 4], imputed: {} });
  });

  it("'mean' and 'median' fill numeric columns with the statistic of the present values", () => {
    const mean = cleanTable(columns(), { missing: 'mean', columns: ['age'] });
    expect(mean.table.age).toEqual([30, 100 / 3, 50, 20, 100 / 3]);
    expect(mean.table.city[2]).toBe(''); // unchecked columns pass through
    expect(mean.report.imputed).toEqual({ age: { count: 2, value: 100 / 3, strategy: 'mean', rows: [1, 4] } });
    const median = cleanTable({ v: [4, null, 1, 10, 2] }, { missing: 'median' });
    expect(median.table.v).toEqual([4, 3, 1, 10, 2]); // median of 1, 2, 4, 10 = 3
    expect(cleanTable({ v: [5, null, 1, 3] }, { missing: 'median' }).table.v).toEqual([5, 3, 1, 3]);
  });

  it("'mode' fills with the most frequent value, ties going to the smallest", () => {
    const { table, report } = cleanTable(columns(), { missing: 'mode', columns: ['city'] });
    expect(table.city).toEqual(['Oslo', 'Rome', 'Oslo', 'Oslo', 'Lima']);
    expect(report.imputed.city).toEqual({ count: 1, value: 'Oslo', strategy: 'mode', rows: [2] });
    expect(cleanTable({ v: [3, 1, null, 3, 1] }, { missing: 'mode' }).table.v).toEqual([3, 1, 1, 3, 1]);
  });

  it('fills with a constant, and takes one strategy per column', () => {
    expect(cleanTable({ v: [null, 2] }, { missing: -1 }).table.v).toEqual([-1, 2]);
    expect(cleanTable({ v: [null, 'a'] }, { missing: { fill: 'unknown' } }).report.imputed.v.value).toBe('unknown');
    const { table, report } = cleanTable(columns(), { missing: { age: 'median', city: 'drop', score: 'mean' } });
    // Row 2 (empty city) is dropped first; the median of the kept ages 30, 20 is 25.
    expect(report.droppedRows).toEqual([2]);
    expect(table.age).toEqual([30, 25, 20, 25]);
    expect(report.imputed.age).toEqual({ count: 2, value: 25, strategy: 'median', rows: [1, 4] });
    expect(report.imputed.score).toBeUndefined(); // nothing was missing there
  });

  it('returns rows for rows and a Table for a Table', () => {
    const rows = [{ a: 1, b: 'x' }, { a: null, b: 'y' }, { a: 3 }];
    const out = cleanTable(rows, { missing: 'mean', columns: ['a'] });
    expect(out.table).toEqual([{ a: 1, b: 'x' }, { a: 2, b: 'y' }, { a: 3, b: null }]);
    const t: Table = { columns: ['2021', 'name'], data: { '2021': [1, null], name: ['a', 'b'] }, length: 2 };
    const cleaned = cleanTable(t, { missing: 0 }).table;
    expect(cleaned.columns).toEqual(['2021', 'name']);
    expect(cleaned.data['2021']).toEqual([1, 0]);
    expect(t.data['2021']).toEqual([1, null]); // the input is not modified
  });

  it('names the column when a strategy does not fit it', () => {
    expectError(() => cleanTable(columns(), { missing: 'mean' }), ArgumentError, "column 'city'", 'mean', "'Oslo'");
    expectError(() => cleanTable({ v: [null, null] }, { missing: 'median' }), ArgumentError, "column 'v' has no values");
    expectError(() => cleanTable(columns(), { columns: ['nope'] }), ArgumentError, "no column 'nope'", 'age, city, score');
    expectError(() => cleanTable(columns(), { missing: { height: 'mean' } }), ArgumentError, "'height'");
    expectError(() => cleanTable({ a: [1, 2], b: [1] }), Error, "column 'b'");
  });
});

describe('tableToTensor', () => {
  it('stacks numeric columns into [rows, columns]', () => {
    const t = tableToTensor({ a: [1, 2], b: [3, 4], c: ['x', 'y'] }, ['b', 'a']);
    expect(t.shape).toEqual([2, 2]);
    expect(values(t)).toEqual([3, 1, 4, 2]);
  });

  it('refuses missing and text cells', () => {
    expectError(() => tableToTensor({ a: [1, null] }), ArgumentError, "column 'a' row 1 is missing");
    expectError(() => tableToTensor({ a: [1, 'x'] }), ArgumentError, "'x'");
  });
});

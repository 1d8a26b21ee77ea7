import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ArgumentError } from '@plexus/tensor';
import { parseCsv, readCsv } from '../src/index.js';
import { expectError, removeTempDirs, tempDir } from './helpers.js';

afterAll(removeTempDirs);

describe('parseCsv', () => {
  it('reads quoted fields with delimiters, escaped quotes and newlines inside', () => {
    const text = 'name,quote,n\n"Smith, J.","He said ""hi""",1\n"multi\nline","",2\nplain,"a,""b""",3\n';
    const t = parseCsv(text);
    expect(t.columns).toEqual(['name', 'quote', 'n']);
    expect(t.length).toBe(3);
    expect(t.data.name).toEqual(['Smith, J.', 'multi\nline', 'plain']);
    expect(t.data.quote).toEqual(['He said "hi"', null, 'a,"b"']);
    expect(t.data.n).toEqual([1, 2, 3]);
  });

  it('handles CRLF, a lone CR, a BOM, a missing final newline and blank lines', () => {
    const t = parseCsv('\ufeffa,b\r\n1,2\r\n\r\n3,4\r5,6');
    expect(t.columns).toEqual(['a', 'b']);
    expect(t.data.a).toEqual([1, 3, 5]);
    expect(t.data.b).toEqual([2, 4, 6]);
  });

  it('reads empty fields and naValues as missing (null)', () => {
    const t = parseCsv('x,y,z\n1,,a\n,2,NA\n', { naValues: ['NA'] });
    expect(t.data.x).toEqual([1, null]);
    expect(t.data.y).toEqual([null, 2]);
    expect(t.data.z).toEqual(['a', null]);
  });

  it("infers 'number' only when every value parses, and honours explicit types", () => {
    const t = parseCsv('id,price,flag,code\n1,2.5,true,007\n2,-1e3,0,010\n3,inf,yes,x1\n', {
      columns: { id: 'int', flag: 'bool', code: 'string' },
    });
    expect(t.data.id).toEqual([1, 2, 3]);
    expect(t.data.price).toEqual([2.5, -1000, Infinity]);
    expect(t.data.flag).toEqual([true, false, true]);
    expect(t.data.code).toEqual(['007', '010', 'x1']);
    expect(parseCsv('a\n1\nx\n').data.a).toEqual(['1', 'x']); // auto falls back to string
  });

  it('supports other delimiters, no header, and types by position', () => {
    const t = parseCsv('1;a\n2;b\n', { header: false, delimiter: ';', columns: ['int', 'string'] });
    expect(t.columns).toEqual(['0', '1']);
    expect(t.data['0']).toEqual([1, 2]);
    expect(t.data['1']).toEqual(['a', 'b']);
  });

  it("names an empty header cell like pandas and keeps numeric column names in order", () => {
    const t = parseCsv(',2021,2020\n0,5,6\n');
    expect(t.columns).toEqual(['Unnamed: 0', '2021', '2020']);
    expect(t.data['2020']).toEqual([6]);
  });

  it('returns an empty table for empty text', () => {
    expect(parseCsv('')).toEqual({ columns: [], data: {}, length: 0 });
  });

  it('names the file, line and column in errors', () => {
    expectError(() => parseCsv('a,b\n1,2\n3\n', {}, 'data.csv'), ArgumentError, 'data.csv line 3', 'expected 2 fields', 'got 1');
    expectError(() => parseCsv('a,b\n1,"x\n2,3\n', {}, 'q.csv'), ArgumentError, 'q.csv line 2, column 2', 'unterminated');
    expectError(() => parseCsv('a,b\n1,"x"y\n', {}, 'q.csv'), ArgumentError, 'q.csv line 2, column 2', "unexpected 'y'");
    expectError(() => parseCsv('a,b\n"two\nlines",1\n3,x\n', { columns: { b: 'number' } }, 'n.csv'), ArgumentError, "n.csv line 4, column 2 ('b')", "got 'x'");
    expectError(() => parseCsv('a\n1.5\n', { columns: { a: 'int' } }), ArgumentError, 'line 2', 'an integer', "'1.5'");
    expectError(() => parseCsv('a,a\n1,2\n'), ArgumentError, "duplicate column name 'a'");
    expectError(() => parseCsv('a\n1\n', { columns: { b: 'int' } }), ArgumentError, "column 'b'", 'does not have');
    expectError(() => parseCsv('a\n1\n', { delimiter: '::' }), ArgumentError, 'delimiter');
  });
});

describe('readCsv', () => {
  it('reads a file by path and names it in errors', () => {
    const dir = tempDir();
    const good = join(dir, 'good.csv');
    writeFileSync(good, 'a,b\r\n1,"x"\r\n');
    expect(readCsv(good).data).toEqual({ a: [1], b: ['x'] });
    expect(readCsv(new URL(`file://${good}`)).length).toBe(1);
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'a,b\n1,2\n3,4,5\n');
    expectError(() => readCsv(bad), ArgumentError, `${bad} line 3`, 'got 3');
    expectError(() => readCsv(join(dir, 'missing.csv')), ArgumentError, 'cannot read', 'missing.csv');
  });

  it('takes text with a newline as CSV content', () => {
    expect(readCsv('a\n1\n').data.a).toEqual([1]);
  });
});

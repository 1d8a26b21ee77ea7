/** A value of the Python literal subset that NPY headers use. */
export type PyValue = string | number | boolean | null | PyValue[] | { [key: string]: PyValue };

/**
 * Parses the Python literal in an NPY header: dicts, tuples, lists, quoted strings, integers
 * (with py2's L suffix), True, False and None. `fail(position, what)` reports errors.
 */
export function parsePyLiteral(src: string, fail: (position: number, what: string) => never): PyValue {
  let i = 0;
  const ws = (): void => {
    while (i < src.length && /\s/.test(src[i])) i++;
  };
  const expect = (ch: string): void => {
    ws();
    if (src[i] !== ch) fail(i, `expected '${ch}', got ${i < src.length ? `'${src[i]}'` : 'the end of the header'}`);
    i++;
  };
  const sequence = (close: string): PyValue[] => {
    const items: PyValue[] = [];
    for (;;) {
      ws();
      if (src[i] === close) {
        i++;
        return items;
      }
      items.push(value());
      ws();
      if (src[i] === ',') i++;
      else if (src[i] !== close) fail(i, `expected ',' or '${close}', got ${i < src.length ? `'${src[i]}'` : 'the end of the header'}`);
    }
  };
  const value = (): PyValue => {
    ws();
    const c = src[i];
    if (c === '{') {
      i++;
      const out: { [key: string]: PyValue } = Object.create(null) as { [key: string]: PyValue };
      for (;;) {
        ws();
        if (src[i] === '}') {
          i++;
          return out;
        }
        const keyAt = i;
        const key = value();
        if (typeof key !== 'string') fail(keyAt, 'expected a string key');
        expect(':');
        out[key as string] = value();
        ws();
        if (src[i] === ',') i++;
        else if (src[i] !== '}') fail(i, `expected ',' or '}', got ${i < src.length ? `'${src[i]}'` : 'the end of the header'}`);
      }
    }
    if (c === '(') {
      i++;
      return sequence(')');
    }
    if (c === '[') {
      i++;
      return sequence(']');
    }
    if (c === "'" || c === '"') {
      const end = src.indexOf(c, i + 1);
      if (end < 0) fail(i, 'unterminated string');
      const s = src.slice(i + 1, end);
      i = end + 1;
      return s;
    }
    const word = /^(True|False|None|-?\d+L?)/.exec(src.slice(i));
    if (!word) fail(i, `unexpected ${i < src.length ? `'${src[i]}'` : 'end of the header'}`);
    const w = word![0];
    i += w.length;
    if (w === 'True') return true;
    if (w === 'False') return false;
    if (w === 'None') return null;
    return Number.parseInt(w, 10);
  };
  const result = value();
  ws();
  if (i < src.length) fail(i, `unexpected '${src[i]}' after the header dict`);
  return result;
}

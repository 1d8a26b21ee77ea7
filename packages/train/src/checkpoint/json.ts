/**
 * JSON that keeps what checkpoint state holds but plain JSON loses: NaN and ±Infinity (an
 * untouched ReduceLROnPlateau's `best` is Infinity) are written as { "$float": "Infinity" }.
 */
const TAG = '$float';

export function stringifyState(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? { [TAG]: String(v) } : v));
}

export function parseState(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const keys = Object.keys(v);
      const tagged = (v as Record<string, unknown>)[TAG];
      if (keys.length === 1 && typeof tagged === 'string') return Number(tagged);
    }
    return v;
  });
}

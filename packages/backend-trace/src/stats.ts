import type { DType, Shape } from '@plexus/tensor';

/** One traced call: a primitive, an accelerated op, or a storage call (write/read). */
export interface TraceRecord {
  op: string;
  kind: 'primitive' | 'accelerated' | 'storage';
  inputShapes: Shape[];
  outputShape: Shape;
  dtype: DType;
  /** Wall time of the inner backend's call. For asynchronous devices (GPUs) this is the time to enqueue. */
  ms: number;
  /** Bytes of the output (for write: uploaded; for read: downloaded). */
  bytes: number;
}

/** Totals for one op name. */
export interface OpStats {
  op: string;
  calls: number;
  totalMs: number;
  meanMs: number;
  bytes: number;
}

/** Running totals per op, kept whatever the number of records. */
export class OpTotals {
  private readonly byOp = new Map<string, { calls: number; ms: number; bytes: number }>();

  add(r: TraceRecord): void {
    const t = this.byOp.get(r.op) ?? { calls: 0, ms: 0, bytes: 0 };
    t.calls += 1;
    t.ms += r.ms;
    t.bytes += r.bytes;
    this.byOp.set(r.op, t);
  }

  clear(): void {
    this.byOp.clear();
  }

  /** One row per op, sorted by total time (most first), then by name. */
  stats(): OpStats[] {
    return [...this.byOp.entries()]
      .map(([op, t]) => ({ op, calls: t.calls, totalMs: t.ms, meanMs: t.ms / t.calls, bytes: t.bytes }))
      .sort((a, b) => b.totalMs - a.totalMs || a.op.localeCompare(b.op));
  }
}

/** 1536 -> '1.5 KiB'. */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u += 1;
  }
  return u === 0 ? `${v} B` : `${v.toFixed(1)} ${units[u]}`;
}

/** The report table: op, calls, total ms, mean ms, bytes, sorted by total time, with a total row. */
export function formatReport(title: string, rows: readonly OpStats[], top = Infinity): string {
  const shown = rows.slice(0, top);
  const total = rows.reduce((acc, r) => ({ calls: acc.calls + r.calls, ms: acc.ms + r.totalMs, bytes: acc.bytes + r.bytes }), { calls: 0, ms: 0, bytes: 0 });
  const header = ['op', 'calls', 'total ms', 'mean ms', 'bytes'];
  const body = shown.map((r) => [r.op, String(r.calls), r.totalMs.toFixed(3), r.meanMs.toFixed(4), formatBytes(r.bytes)]);
  const footer = [`total (${rows.length} ops)`, String(total.calls), total.ms.toFixed(3), total.calls ? (total.ms / total.calls).toFixed(4) : '-', formatBytes(total.bytes)];
  const table = [header, ...body, footer];
  const widths = header.map((_, c) => Math.max(...table.map((row) => row[c].length)));
  const line = (row: string[]) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const more = rows.length > shown.length ? [`… ${rows.length - shown.length} more ops`] : [];
  return [title, line(header), rule, ...body.map(line), ...more, rule, line(footer)].join('\n');
}

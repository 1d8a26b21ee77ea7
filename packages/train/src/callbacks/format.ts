import type { EpochLogs } from '../history.js';

/** A log value for humans: 4 decimals, or 3 significant digits for small and large values. */
export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e5) return v.toFixed(4);
  return v.toExponential(2);
}

/** 'loss 0.1234 - accuracy 0.9612 - valLoss …', skipping 'seconds' (shown separately). */
export function formatLogs(logs: EpochLogs, skip: readonly string[] = ['seconds']): string {
  return Object.entries(logs)
    .filter(([k]) => !skip.includes(k))
    .map(([k, v]) => `${k} ${k === 'lr' ? v.toPrecision(3) : formatValue(v)}`)
    .join(' - ');
}

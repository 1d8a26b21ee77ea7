export interface SummaryRow {
  name: string;
  type: string;
  shape: string;
  params: number;
}

const count = (n: number): string => n.toLocaleString('en-US');

/** The text table printed by `Module.summary()`. */
export function formatSummary(rows: readonly SummaryRow[], total: number, trainable: number): string {
  const header = ['Layer', 'Type', 'Output shape', 'Param #'];
  const cells = rows.map((r) => [r.name, r.type, r.shape, count(r.params)]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  // Text columns left-aligned, the count right-aligned.
  const line = (c: string[]): string => c.map((v, i) => (i === 3 ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join('  ').trimEnd();
  const rule = (ch: string): string => ch.repeat(widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1));
  return [
    line(header),
    rule('='),
    ...cells.map(line),
    rule('='),
    `Total params: ${count(total)}`,
    `Trainable params: ${count(trainable)}`,
    `Non-trainable params: ${count(total - trainable)}`,
  ].join('\n');
}

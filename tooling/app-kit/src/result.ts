/**
 * Prints `result: {json}`, the machine-readable summary every demo app ends with. Call it last:
 * scripts read the final line of the output.
 */
export function printResult(result: Record<string, unknown>, log: (line: string) => void = console.log): string {
  const line = `result: ${JSON.stringify(result)}`;
  log(line);
  return line;
}

/** Reads the object back from a `result: {…}` line (the last such line of a text). */
export function parseResult(text: string): Record<string, unknown> {
  const line = text.trimEnd().split('\n').reverse().find((l) => l.startsWith('result: '));
  if (!line) throw new Error('parseResult: no line starting with "result: "');
  return JSON.parse(line.slice('result: '.length)) as Record<string, unknown>;
}

/** Rounds a number for the result line (seconds, accuracies) without float noise. */
export function round(value: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

import { describe, expect, it } from 'vitest';
import { UsageError, choiceOption, commonUsage, parseCli, parseResult, printResult, round } from '../src/index.js';

const defaults = { epochs: 5, batchSize: 32, lr: 0.01, out: 'out/x' };

describe('parseCli', () => {
  it('gives the defaults and reads the common options', () => {
    expect(parseCli([], { defaults }).common).toEqual({ backend: 'auto', seed: 0, epochs: 5, batchSize: 32, lr: 0.01, out: 'out/x', help: false });
    const { common, values } = parseCli(['--backend', 'js', '--seed', '7', '--epochs', '2', '--batch-size', '16', '--lr', '3e-4', '--out', '/tmp/o', '--model', 'mlp'], {
      defaults,
      options: { model: { type: 'string' } },
    });
    expect(common).toEqual({ backend: 'js', seed: 7, epochs: 2, batchSize: 16, lr: 3e-4, out: '/tmp/o', help: false });
    expect(values.model).toBe('mlp');
    expect(parseCli(['-h'], { defaults }).common.help).toBe(true);
  });

  it('rejects bad values and unknown options with a UsageError', () => {
    const bad: [string[], RegExp][] = [
      [['--epochs', '0'], /--epochs must be a positive integer, got '0'/],
      [['--epochs', '2.5'], /--epochs must be a positive integer/],
      [['--batch-size', 'x'], /--batch-size must be a positive integer, got 'x'/],
      [['--lr=-1'], /--lr must be a positive number, got '-1'/],
      [['--seed=-3'], /--seed must be an integer >= 0/],
      [['--frobnicate'], /Unknown option '--frobnicate'/],
    ];
    for (const [argv, message] of bad) {
      expect(() => parseCli(argv, { defaults })).toThrow(UsageError);
      expect(() => parseCli(argv, { defaults })).toThrow(message);
    }
    expect(choiceOption('model', 'cnn', ['mlp', 'cnn'], 'mlp')).toBe('cnn');
    expect(() => choiceOption('model', 'rnn', ['mlp', 'cnn'], 'mlp')).toThrow(/--model must be one of mlp, cnn, got 'rnn'/);
    expect(commonUsage(defaults)).toContain('--batch-size N      samples per batch (default 32)');
  });
});

describe('printResult', () => {
  it('prints one result line that parses back', () => {
    const out: string[] = [];
    const line = printResult({ testAccuracy: 0.9812, backend: 'js' }, (l) => out.push(l));
    expect(line).toBe('result: {"testAccuracy":0.9812,"backend":"js"}');
    expect(out).toEqual([line]);
    expect(parseResult(`epoch 1\nresult: {"a":1}\n`)).toEqual({ a: 1 });
    expect(() => parseResult('nothing')).toThrow(/no line starting with "result: "/);
    expect(round(12.345678, 2)).toBe(12.35);
  });
});

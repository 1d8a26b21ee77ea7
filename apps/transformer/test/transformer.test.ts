import '@plexus/backend-js';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '@plexus/app-kit';
import { setBackend } from '@plexus/tensor';
import { runCharLM } from '../src/charlm.js';
import { findRepoRoot, loadCorpus, repoMarkdownFiles } from '../src/corpus.js';
import type { CharLMOptions, SequenceOptions } from '../src/options.js';
import { parseOptions } from '../src/options.js';
import { runSequence } from '../src/sequence.js';

const out = mkdtempSync(join(tmpdir(), 'plexus-transformer-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const shared = { seed: 0, lr: 3e-3, out, dModel: 16, heads: 2, layers: 1, dropout: 0, verbose: 0 as const, plots: true };

describe('transformer demo', () => {
  it('sorts: trains an encoder tagger on a tiny set and scores held-out sequences', async () => {
    setBackend('js');
    const o: SequenceOptions = { ...shared, task: 'sort', epochs: 2, batchSize: 32, numTrain: 128, numVal: 32, numTest: 32, seqLen: 6, symbols: 4 };
    const logs: string[] = [];
    const r = await runSequence(o, (l) => logs.push(l));
    expect(r).toMatchObject({ task: 'sort', backend: 'js', seed: 0, epochs: 2, seqLen: 6, symbols: 4, trainSequences: 128, testSequences: 32 });
    expect(r.testSequenceAccuracy).toBeGreaterThanOrEqual(0);
    expect(r.testSequenceAccuracy).toBeLessThanOrEqual(r.testTokenAccuracy);
    // Better than always guessing one symbol (about 1/4 per position).
    expect(r.testTokenAccuracy).toBeGreaterThan(0.3);
    expect(r.valSequenceAccuracyPerEpoch).toHaveLength(2);
    expect(r.examples).toHaveLength(3);
    expect(r.examples[0].input).toHaveLength(6);
    expect(existsSync(join(out, 'sort-learning-curves.png'))).toBe(true);
    expect(readFileSync(join(out, 'sort-learning-curves.png')).subarray(1, 4).toString()).toBe('PNG');
    expect(logs.some((l) => l.startsWith('held-out exact-sequence accuracy'))).toBe(true);
    expect(readFileSync(join(out, 'sort-history.csv'), 'utf8')).toContain('valSequenceAccuracy');
  });

  it('charlm: trains a tiny GPT on a text file, reports bits per character per epoch and samples', async () => {
    setBackend('js');
    const text = join(out, 'text.txt');
    writeFileSync(text, 'the cat sat on the mat. the dog sat on the log. '.repeat(12));
    const o: CharLMOptions = {
      ...shared, task: 'charlm', epochs: 2, batchSize: 8, text, blockSize: 16, steps: 4, valFraction: 0.2,
      sampleLength: 24, temperature: 0.8, topK: 5, topP: 0.9, prompt: 'the ',
    };
    const r = await runCharLM(o, () => undefined);
    expect(r).toMatchObject({ task: 'charlm', backend: 'js', epochs: 2, stepsPerEpoch: 4, blockSize: 16, sources: 1 });
    expect(r.vocabSize).toBe(new Set('the cat sat on the mat. the dog sat on the log. ').size);
    expect(r.valBpcPerEpoch).toHaveLength(2);
    // Better than a uniform guess over the vocabulary, from the second epoch on.
    expect(r.valBpcPerEpoch[1]).toBeLessThan(Math.log2(r.vocabSize));
    expect(r.valBpcPerEpoch[1]).toBeLessThan(r.valBpcPerEpoch[0]);
    expect(r.sample.startsWith('the ')).toBe(true);
    expect([...r.sample]).toHaveLength(4 + 24);
    expect(existsSync(join(out, 'bpc.png'))).toBe(true);
    expect(readFileSync(join(out, 'sample.txt'), 'utf8')).toBe(r.sample);
    expect(readFileSync(join(out, 'charlm-history.csv'), 'utf8').trim().split('\n')).toHaveLength(3);
    // The same seed samples the same text.
    const again = await runCharLM({ ...o, plots: false }, () => undefined);
    expect(again.sample).toBe(r.sample);
  });

  it('finds the repository Markdown as the default text', () => {
    const root = findRepoRoot();
    expect(root).not.toBeNull();
    const files = repoMarkdownFiles(root as string);
    expect(files[0]).toBe(join(root as string, 'README.md'));
    expect(files.some((f) => f.endsWith(join('packages', 'transformer', 'README.md')))).toBe(true);
    const corpus = loadCorpus(undefined);
    expect(corpus.sources[0]).toBe('README.md');
    expect(corpus.text.length).toBeGreaterThan(1000);
    expect(() => loadCorpus(join(out, 'missing.txt'))).toThrow('--text: no such file');
  });

  it('parses the command line per task, and rejects bad values with a UsageError', () => {
    const sort = parseOptions([]);
    expect(sort.backend).toBe('auto');
    expect(sort.options).toMatchObject({ task: 'sort', numTrain: 20000, seqLen: 16, symbols: 10, dModel: 64, out: 'out/transformer' });
    const lm = parseOptions(['--task', 'charlm', '--text', 'a.txt', '--top-k', '0', '--top-p', '0.9', '--temperature', '0', '--epochs', '3']);
    expect(lm.options).toMatchObject({ task: 'charlm', text: 'a.txt', topK: null, topP: 0.9, temperature: 0, epochs: 3, dModel: 128, prompt: '\n' });
    expect(parseOptions(['--task=reverse']).options.task).toBe('reverse');
    expect(() => parseOptions(['--task', 'translate'])).toThrow(UsageError);
    expect(() => parseOptions(['--task', 'sort', '--text', 'a.txt'])).toThrow('--text applies to --task charlm');
    expect(() => parseOptions(['--task', 'charlm', '--symbols', '4'])).toThrow(UsageError);
    expect(() => parseOptions(['--d-model', '10', '--heads', '4'])).toThrow('--d-model (10) must be divisible by --heads (4)');
    expect(() => parseOptions(['--task', 'charlm', '--top-p', '1.5'])).toThrow(UsageError);
    expect(() => parseOptions(['--dropout', '1'])).toThrow(UsageError);
  });
});

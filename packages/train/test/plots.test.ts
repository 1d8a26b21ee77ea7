import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArgumentError } from '@plexus/tensor';
import { History, confusionMatrixSpec, fontFile, learningCurvesSpec, plotConfusionMatrix, plotLearningCurves } from '../src/index.js';
import { tempDir } from './helpers.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function pngSize(bytes: Uint8Array): [number, number] {
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  return [view.getUint32(16), view.getUint32(20)]; // IHDR width, height
}

function sampleHistory(): History {
  const h = new History();
  for (let e = 0; e < 6; e++) {
    h.append(e, { loss: 1 / (e + 1), accuracy: 1 - 0.5 / (e + 1), valLoss: 1.1 / (e + 1) + 0.02 * e, valAccuracy: 1 - 0.6 / (e + 1), lr: 0.01, seconds: 1 });
  }
  return h;
}

describe('plots', () => {
  it('learning curves: one panel per quantity with train and validation series', () => {
    const spec = learningCurvesSpec(sampleHistory()) as { data: { values: { quantity: string; split: string; epoch: number }[] }; facet: { sort: string[] } };
    expect(spec.facet.sort).toEqual(['loss', 'accuracy']);
    const values = spec.data.values;
    expect(values.length).toBe(24);
    expect(new Set(values.map((v) => `${v.quantity}/${v.split}`))).toEqual(new Set(['loss/train', 'loss/validation', 'accuracy/train', 'accuracy/validation']));
    expect(values.filter((v) => v.quantity === 'loss' && v.split === 'train').map((v) => v.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(() => learningCurvesSpec(sampleHistory(), { keys: ['f1'] })).toThrow(/no 'f1'/);
    expect(() => learningCurvesSpec(new History())).toThrow(ArgumentError);
  });

  it('writes a valid SVG and PNG of the learning curves, text included', async () => {
    const base = join(tempDir(), 'plots', 'curves');
    const files = await plotLearningCurves(sampleHistory(), base, { keys: ['loss', 'accuracy', 'lr'] });
    expect(files).toEqual({ svg: `${base}.svg`, png: `${base}.png` });
    const svg = readFileSync(files.svg, 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('</svg>');
    for (const text of ['Learning curves', 'loss', 'accuracy', 'epoch', 'validation']) expect(svg).toContain(text);
    const png = readFileSync(files.png);
    expect(Array.from(png.subarray(0, 8))).toEqual(PNG_SIGNATURE);
    const [w, h] = pngSize(png);
    expect(w).toBeGreaterThan(1000);
    expect(h).toBeGreaterThan(300);
  });

  it('writes the confusion matrix image', async () => {
    const m = [
      [50, 2, 0],
      [3, 40, 7],
      [0, 1, 60],
    ];
    const spec = confusionMatrixSpec(m, { labels: ['cat', 'dog', 'fox'] }) as { data: { values: { truth: string; predicted: string; count: number; share: number }[] } };
    expect(spec.data.values.find((v) => v.truth === 'dog' && v.predicted === 'fox')).toEqual({ truth: 'dog', predicted: 'fox', count: 7, share: 7 / 50 });
    const files = await plotConfusionMatrix(m, join(tempDir(), 'cm'), { labels: ['cat', 'dog', 'fox'] });
    const svg = readFileSync(files.svg, 'utf8');
    for (const text of ['Confusion matrix', 'predicted', 'fox', '>40<']) expect(svg).toContain(text);
    expect(Array.from(readFileSync(files.png).subarray(0, 8))).toEqual(PNG_SIGNATURE);
    expect(() => confusionMatrixSpec([[1, 2]])).toThrow(/square matrix/);
    expect(() => confusionMatrixSpec([[1]], { labels: ['a', 'b'] })).toThrow(/2 labels for a 1×1 matrix/);
  });

  it('uses a TrueType font shipped by an npm package', () => {
    const font = readFileSync(fontFile());
    expect(font.readUInt32BE(0)).toBe(0x00010000); // TrueType magic
  });
});

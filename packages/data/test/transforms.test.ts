import { describe, expect, it } from 'vitest';
import { ArgumentError, DTypeError, Generator, ShapeError, arange, manualSeed, rand, tensor } from '@plexus/tensor';
import { Compose, GaussianNoise, Normalize, RandomAffine, RandomCrop, RandomHorizontalFlip } from '../src/index.js';
import { expectClose, expectError, values } from './helpers.js';

// One 3×3 single-channel image: 1 2 3 / 4 5 6 / 7 8 9.
const img = arange(1, 10).float().reshape([1, 3, 3]);

describe('Normalize', () => {
  it('subtracts the mean and divides by the std of each channel', () => {
    const x = tensor([[[1, 3]], [[10, 20]]]); // [2 channels, 1, 2]
    expectClose(values(new Normalize([1, 10], [2, 5]).forward(x)), [0, 1, 0, 2]);
    const batch = x.reshape([1, 2, 1, 2]);
    expect(new Normalize([1, 10], [2, 5]).forward(batch).shape).toEqual([1, 2, 1, 2]);
    expectClose(values(new Normalize(0.5, 0.5).forward(x)), [1, 5, 19, 39]);
  });

  it('rejects a channel count mismatch and a zero std', () => {
    expectError(() => new Normalize([0, 0, 0], [1, 1, 1]).forward(img), ShapeError, '3 mean values', '1 channels');
    expectError(() => new Normalize(0, 0), ArgumentError, 'std must be positive');
  });
});

describe('RandomHorizontalFlip', () => {
  it('mirrors with p = 1 and leaves the image with p = 0', () => {
    expect(values(new RandomHorizontalFlip(1).forward(img))).toEqual([3, 2, 1, 6, 5, 4, 9, 8, 7]);
    expect(values(new RandomHorizontalFlip(0).forward(img))).toEqual(values(img));
  });

  it('decides per image of a batch from the generator', () => {
    const batch = img.reshape([1, 1, 3, 3]).expand([8, 1, 3, 3]);
    const u = new Generator(4).nextUniform(8);
    const out = values(new RandomHorizontalFlip(0.5, { generator: new Generator(4) }).forward(batch));
    for (let s = 0; s < 8; s++) {
      const row0 = out.slice(s * 9, s * 9 + 3);
      expect(row0).toEqual(u[s] < 0.5 ? [3, 2, 1] : [1, 2, 3]);
    }
  });
});

describe('RandomCrop', () => {
  it('crops the window at the drawn offset, with zero padding outside the image', () => {
    const crop = new RandomCrop(3, { padding: 1, generator: new Generator(2) });
    const u = new Generator(2).nextUniform(2);
    const top = Math.floor(u[0] * 3) - 1;
    const left = Math.floor(u[1] * 3) - 1;
    const src = values(img);
    const expected: number[] = [];
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        const y = top + i;
        const x = left + j;
        expected.push(y >= 0 && y < 3 && x >= 0 && x < 3 ? src[y * 3 + x] : 0);
      }
    }
    expect(values(crop.forward(img))).toEqual(expected);
  });

  it('with every offset possible, sees every shift of a padded image across a batch', () => {
    const batch = img.reshape([1, 1, 3, 3]).expand([64, 1, 3, 3]);
    const out = values(new RandomCrop(2, { generator: new Generator(0) }).forward(batch));
    const corners = new Set<number>();
    for (let s = 0; s < 64; s++) corners.add(out[s * 4]);
    expect([...corners].sort()).toEqual([1, 2, 4, 5]); // top-left of the four possible 2×2 windows
  });

  it('keeps the channels of a pixel together and gives [N,C,h,w]', () => {
    const x = rand([5, 3, 8, 8], { generator: new Generator(1) });
    const out = new RandomCrop(6, { padding: 2 }).forward(x);
    expect(out.shape).toEqual([5, 3, 6, 6]);
    expect(new RandomCrop([2, 4]).forward(x).shape).toEqual([5, 3, 2, 4]);
  });

  it('rejects a crop larger than the padded image', () => {
    expectError(() => new RandomCrop(6, { padding: 1 }).forward(img), ShapeError, 'cannot crop 6x6', '3x3');
  });
});

describe('RandomAffine', () => {
  it('rotates 90° counter-clockwise with nearest sampling', () => {
    const rot = new RandomAffine({ degrees: [90, 90], interpolation: 'nearest' });
    expect(values(rot.forward(img))).toEqual([3, 6, 9, 2, 5, 8, 1, 4, 7]);
  });

  it('rotates 90° exactly with bilinear sampling too', () => {
    expectClose(values(new RandomAffine({ degrees: [90, 90] }).forward(img)), [3, 6, 9, 2, 5, 8, 1, 4, 7], 1e-5);
    expectClose(values(new RandomAffine({ degrees: [-90, -90] }).forward(img)), [7, 4, 1, 8, 5, 2, 9, 6, 3], 1e-5);
  });

  it('is the identity with no rotation, shift or scale', () => {
    expectClose(values(new RandomAffine().forward(img)), values(img));
  });

  it('interpolates a half-pixel shift bilinearly and fills what enters from outside', () => {
    // translate 0.5/3 of the width: the shift is -0.5 + u, u the 2nd of the image's 4 uniforms.
    const g = new Generator(0);
    const u = new Generator(0).nextUniform(4);
    const shift = -0.5 + u[1]; // horizontal, in pixels
    const out = values(new RandomAffine({ translate: [0.5 / 3, 0], generator: g }).forward(img));
    // Row 0 is 1 2 3; output column j reads source column j − shift, 0 outside.
    const row = [1, 2, 3];
    const at = (x: number) => (x < 0 || x > 2 ? 0 : row[x]);
    const expected = [0, 1, 2].map((j) => {
      const sx = j - shift;
      const x0 = Math.floor(sx);
      return at(x0) * (1 - (sx - x0)) + at(x0 + 1) * (sx - x0);
    });
    expectClose(out.slice(0, 3), expected, 1e-5);
  });

  it('keeps shape for [C,H,W] and [N,C,H,W]', () => {
    const aff = new RandomAffine({ degrees: 15, translate: [0.1, 0.1], scale: [0.9, 1.1] });
    expect(aff.forward(rand([2, 28, 28])).shape).toEqual([2, 28, 28]);
    expect(aff.forward(rand([4, 1, 28, 28])).shape).toEqual([4, 1, 28, 28]);
  });

  it('rejects bad options', () => {
    expectError(() => new RandomAffine({ degrees: [10, -10] }), ArgumentError, 'degrees');
    expectError(() => new RandomAffine({ translate: [2, 0] }), ArgumentError, 'translate');
    expectError(() => new RandomAffine({ scale: [0, 1] }), ArgumentError, 'scale must be positive');
  });
});

describe('GaussianNoise', () => {
  it('adds noise of the given std, clipped on request', () => {
    const x = rand([4, 1, 28, 28], { generator: new Generator(0) });
    const noisy = new GaussianNoise(0.1, { generator: new Generator(1) }).forward(x);
    const diff = values(noisy.sub(x));
    const mean = diff.reduce((a, b) => a + b) / diff.length;
    const std = Math.sqrt(diff.reduce((a, b) => a + (b - mean) ** 2, 0) / diff.length);
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(std - 0.1)).toBeLessThan(0.005);
    const clipped = values(new GaussianNoise(1, { clip: [0, 1] }).forward(x));
    expect(Math.min(...clipped)).toBe(0);
    expect(Math.max(...clipped)).toBe(1);
  });
});

describe('augmentation as a whole', () => {
  const pipeline = () =>
    new Compose([
      new RandomCrop(28, { padding: 2 }),
      new RandomHorizontalFlip(),
      new RandomAffine({ degrees: 10, translate: [0.1, 0.1] }),
      new GaussianNoise(0.05),
      new Normalize(0.1307, 0.3081),
    ]);
  const batch = rand([6, 1, 28, 28], { generator: new Generator(5) });

  it('gives the same output for the same seed and a different one for another', () => {
    manualSeed(123);
    const a = values(pipeline().forward(batch));
    manualSeed(123);
    const b = values(pipeline().forward(batch));
    manualSeed(124);
    const c = values(pipeline().forward(batch));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('accepts plain functions in Compose and applies them in order', () => {
    const f = new Compose([(x) => x.add(1), (x) => x.mul(2)]);
    expect(values(f.forward(tensor([[[1]]])))).toEqual([4]);
    expectError(() => new Compose([42 as never]), ArgumentError, 'transform 0');
  });

  it('rejects non-image input', () => {
    expectError(() => new RandomHorizontalFlip().forward(tensor([1, 2])), ShapeError, '[C,H,W]', '[2]');
    expectError(() => new RandomCrop(1).forward(tensor([[[1]]], { dtype: 'int32' })), DTypeError, 'int32');
  });
});

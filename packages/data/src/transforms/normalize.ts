import type { Tensor } from '@plexus/tensor';
import { ArgumentError, ShapeError, fromData, toDataArray } from '@plexus/tensor';
import type { Transform } from './transform.js';
import { asImageBatch } from './transform.js';

/** (x − mean[c]) / std[c] per channel (torchvision's Normalize); one number applies to all channels. */
export class Normalize implements Transform {
  readonly mean: readonly number[];
  readonly std: readonly number[];

  constructor(mean: number | readonly number[], std: number | readonly number[]) {
    const m = typeof mean === 'number' ? [mean] : [...mean];
    const s = typeof std === 'number' ? [std] : [...std];
    if (m.length === 0 || !m.every(Number.isFinite)) throw new ArgumentError(`Normalize: mean must be finite numbers, got ${JSON.stringify(mean)}`);
    if (s.length === 0 || !s.every((v) => Number.isFinite(v) && v > 0)) throw new ArgumentError(`Normalize: std must be positive numbers, got ${JSON.stringify(std)}`);
    if (m.length !== s.length && m.length !== 1 && s.length !== 1) {
      throw new ArgumentError(`Normalize: mean has ${m.length} values and std ${s.length}; give one per channel`);
    }
    this.mean = m;
    this.std = s;
  }

  forward(x: Tensor): Tensor {
    const { c } = asImageBatch('Normalize', x);
    const per = (v: readonly number[], what: string): Tensor => {
      if (v.length !== 1 && v.length !== c) throw new ShapeError(`Normalize: ${v.length} ${what} values for an image with ${c} channels [${x.shape.join(',')}]`);
      const full = v.length === 1 ? new Array<number>(c).fill(v[0]) : v;
      return fromData('Normalize', toDataArray(full, x.dtype), [c, 1, 1], { backend: x.backend });
    };
    return x.sub(per(this.mean, 'mean')).div(per(this.std, 'std'));
  }
}

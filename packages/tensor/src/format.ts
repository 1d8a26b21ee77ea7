import type { Tensor } from './tensor.js';

const EDGE = 3;
const LIMIT = 1000;

function fmtValue(v: number, isFloat: boolean, isBool: boolean): string {
  if (isBool) return v ? 'true' : 'false';
  if (!isFloat) return String(v);
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  const a = Math.abs(v);
  return a !== 0 && (a >= 1e6 || a < 1e-4) ? v.toExponential(4) : v.toFixed(4);
}

/** PyTorch-like text: nested brackets, aligned columns, long dims summarised with '...'. */
export function formatTensor(t: Tensor): string {
  if (t.isDisposed) return `Tensor(disposed, shape=[${t.shape.join(',')}], dtype=${t.dtype})`;
  let data: ArrayLike<number>;
  try {
    data = t.dataSync();
  } catch {
    return `Tensor(shape=[${t.shape.join(',')}], dtype=${t.dtype}, backend=${t.backend.name})`;
  }
  const isFloat = t.dtype === 'float32' || t.dtype === 'float64';
  const summarise = t.size > LIMIT;
  const strs = Array.from(data, (v) => fmtValue(v, isFloat, t.dtype === 'bool'));
  const width = Math.max(0, ...strs.map((s) => s.length));
  const shape = t.shape;
  const render = (axis: number, offset: number, stride: number, indent: string): string => {
    if (shape.length === 0) return strs[0];
    const n = shape[axis];
    const inner = stride / Math.max(n, 1);
    const idx = summarise && n > 2 * EDGE ? [...Array(EDGE).keys(), -1, ...Array.from({ length: EDGE }, (_, i) => n - EDGE + i)] : [...Array(n).keys()];
    if (axis === shape.length - 1) {
      return '[' + idx.map((i) => (i < 0 ? '...' : strs[offset + i].padStart(width))).join(', ') + ']';
    }
    const sep = ',' + '\n'.repeat(shape.length - 1 - axis) + indent + ' ';
    return '[' + idx.map((i) => (i < 0 ? '...' : render(axis + 1, offset + i * inner, inner, indent + ' '))).join(sep) + ']';
  };
  if (t.size === 0) return `tensor([], size=[${shape.join(',')}], dtype=${t.dtype})`;
  const body = render(0, 0, t.size, '       ');
  const grad = t.requiresGrad ? ', requiresGrad=true' : '';
  return `tensor(${body}, dtype=${t.dtype}${grad})`;
}

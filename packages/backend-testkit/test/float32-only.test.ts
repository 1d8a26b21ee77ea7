import { createJsBackend } from '@plexus/backend-js';
import type { Backend, DataArray, TensorInfo } from '@plexus/tensor';
import { describe, expect, it } from 'vitest';
import { isSkipped, listCases, runBackendConformance } from '../src/index.js';

/** backend-js without float64: the suite as a float32-only backend (most third-party ones) sees it. */
function float32Only(): Backend {
  const base = createJsBackend();
  return {
    name: 'js-f32',
    dtypes: ['float32', 'int32', 'bool'],
    write: (v, s, d) => base.write(v, s, d),
    read: (t) => base.read(t),
    readSync: (t) => (base.readSync as (t: TensorInfo) => DataArray).call(base, t),
    dispose: (id) => base.dispose(id),
    memory: () => base.memory(),
    primitives: base.primitives,
  };
}

// float64 cases (and the float64 finite-difference checks) show as skipped; so do the skips below.
runBackendConformance('js without float64', float32Only, {
  skip: ['pow', 'add: scalars', 'matmul: [3,4] @ [4,5] [int32]', 'scope() releases the tensors of a gradient computation'],
  dtypes: ['float32', 'bool'],
});

describe('options.skip', () => {
  it('matches a case id, an id without the dtype, or an op', () => {
    const [c] = listCases({ ops: ['add'] }).filter((x) => x.id === 'add: scalars [int32]');
    expect(isSkipped(c, ['add: scalars [int32]'])).toBe(true);
    expect(isSkipped(c, ['add: scalars'])).toBe(true);
    expect(isSkipped(c, ['add'])).toBe(true);
    expect(isSkipped(c, ['add: scalars [float32]', 'sub', 'scalars'])).toBe(false);
    const [g] = listCases({ kinds: ['gradient'], ops: ['softmax'] });
    expect(isSkipped(g, ['grad(softmax)'])).toBe(true);
  });
});

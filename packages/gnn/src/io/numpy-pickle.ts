import { ArgumentError } from '@plexus/tensor';
import type { PyKey, PyValue } from './pickle.js';
import { PyGlobal, PyObject, PyTuple, describe } from './pickle.js';

/** A numeric numpy array read from a pickle: values as float64, row-major. */
export interface HostArray {
  shape: number[];
  /** numpy's dtype code without byte order, e.g. 'f4', 'i8', 'b1'. */
  dtype: string;
  values: Float64Array;
}

const READERS: Record<string, { size: number; read: (v: DataView, o: number, le: boolean) => number }> = {
  f4: { size: 4, read: (v, o, le) => v.getFloat32(o, le) },
  f8: { size: 8, read: (v, o, le) => v.getFloat64(o, le) },
  i1: { size: 1, read: (v, o) => v.getInt8(o) },
  u1: { size: 1, read: (v, o) => v.getUint8(o) },
  b1: { size: 1, read: (v, o) => v.getUint8(o) },
  i2: { size: 2, read: (v, o, le) => v.getInt16(o, le) },
  u2: { size: 2, read: (v, o, le) => v.getUint16(o, le) },
  i4: { size: 4, read: (v, o, le) => v.getInt32(o, le) },
  u4: { size: 4, read: (v, o, le) => v.getUint32(o, le) },
  i8: { size: 8, read: (v, o, le) => Number(v.getBigInt64(o, le)) },
  u8: { size: 8, read: (v, o, le) => Number(v.getBigUint64(o, le)) },
};

const isGlobal = (v: PyValue, module: RegExp, name: string): boolean => v instanceof PyGlobal && module.test(v.module) && v.name === name;

function tupleItems(v: PyValue, what: string, fail: (m: string) => never): PyValue[] {
  if (v instanceof PyTuple) return v.items;
  if (Array.isArray(v)) return v;
  return fail(`${what} must be a tuple, got ${describe(v)}`);
}

function bytesOf(v: PyValue, fail: (m: string) => never): Uint8Array {
  if (v instanceof Uint8Array) return v;
  if (typeof v === 'string') return Uint8Array.from(v, (c) => c.charCodeAt(0) & 0xff); // a latin-1 decoded py2 str
  return fail(`the array's raw data must be bytes, got ${describe(v)}`);
}

/** Reads numpy's pickled ndarray (numpy.core.multiarray._reconstruct + __setstate__). */
export function ndarrayFromPickle(v: PyValue, where: string): HostArray {
  const fail = (m: string): never => {
    throw new ArgumentError(`${where}: ${m}`);
  };
  if (!(v instanceof PyObject) || !isGlobal(v.cls, /^numpy(\._core|\.core)?\.multiarray$/, '_reconstruct')) return fail(`expected a pickled numpy array, got ${describe(v)}`);
  let state = tupleItems(v.state, 'the array state', fail);
  if (state.length === 5) state = state.slice(1); // (version, shape, dtype, isFortran, data)
  if (state.length !== 4) return fail(`the array state has ${state.length} items, expected 4 or 5`);
  const shape = tupleItems(state[0], 'the array shape', fail).map((d) => (typeof d === 'number' && Number.isInteger(d) && d >= 0 ? d : fail(`bad array dimension ${String(d)}`)));
  const dt = state[1];
  if (!(dt instanceof PyObject) || !isGlobal(dt.cls, /^numpy$/, 'dtype') || typeof dt.args[0] !== 'string') return fail(`expected a numpy dtype, got ${describe(dt)}`);
  const code = (dt.args[0] as string).replace(/^[<>|=]/, '');
  const dstate = dt.state instanceof PyTuple ? dt.state.items : [];
  const order = typeof dstate[1] === 'string' ? dstate[1] : '<';
  const reader = READERS[code];
  if (!reader) return fail(`unsupported dtype '${code}' (supported: ${Object.keys(READERS).join(', ')})`);
  const fortran = state[2] === true || state[2] === 1;
  const raw = bytesOf(state[3], fail);
  const size = shape.reduce((a, b) => a * b, 1);
  if (raw.length !== size * reader.size) return fail(`the data has ${raw.length} bytes, shape [${shape.join(', ')}] of ${code} needs ${size * reader.size}`);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const flat = new Float64Array(size);
  for (let i = 0; i < size; i++) flat[i] = reader.read(view, i * reader.size, order !== '>');
  if (fortran && shape.length === 2) {
    // Column-major on disk: transpose into row-major.
    const [r, c] = shape;
    const rowMajor = new Float64Array(size);
    for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) rowMajor[i * c + j] = flat[j * r + i];
    return { shape, dtype: code, values: rowMajor };
  }
  if (fortran && shape.length > 2) return fail('Fortran-ordered arrays of rank > 2 are not supported');
  return { shape, dtype: code, values: flat };
}

function stateDict(v: PyObject, where: string): Map<PyKey, PyValue> {
  if (v.state instanceof Map) return v.state;
  // (dict, slots) pairs from __reduce_ex__ with __slots__.
  if (v.state instanceof PyTuple && v.state.items[0] instanceof Map) return v.state.items[0];
  throw new ArgumentError(`${where}: expected the object's state to be a dict, got ${describe(v.state)}`);
}

/**
 * A 2-D matrix from a pickled scipy.sparse csr_matrix/csr_array or a dense numpy array, as a dense
 * row-major [rows, cols] array (Planetoid's feature matrices are csr_matrix).
 */
export function matrixFromPickle(v: PyValue, where: string): HostArray {
  if (v instanceof PyObject && /^csr_(matrix|array)$/.test(v.cls.name) && /^scipy\.sparse/.test(v.cls.module)) {
    const d = stateDict(v, where);
    const shapeV = d.get('_shape') ?? d.get('shape');
    const fail = (m: string): never => {
      throw new ArgumentError(`${where}: ${m}`);
    };
    const shape = tupleItems(shapeV ?? null, 'the csr shape', fail).map((x) => (typeof x === 'number' ? x : fail(`bad csr dimension ${String(x)}`)));
    if (shape.length !== 2) return fail(`a csr matrix must be 2-D, got shape [${shape.join(', ')}]`);
    const [rows, cols] = shape;
    const data = ndarrayFromPickle(d.get('data') ?? null, `${where} (csr data)`).values;
    const indices = ndarrayFromPickle(d.get('indices') ?? null, `${where} (csr indices)`).values;
    const indptr = ndarrayFromPickle(d.get('indptr') ?? null, `${where} (csr indptr)`).values;
    if (indptr.length !== rows + 1) return fail(`csr indptr has ${indptr.length} entries, expected rows + 1 = ${rows + 1}`);
    if (indices.length !== data.length || indptr[rows] !== data.length) return fail(`csr indices (${indices.length}), data (${data.length}) and indptr[rows] (${indptr[rows]}) disagree`);
    const dense = new Float64Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      for (let k = indptr[r]; k < indptr[r + 1]; k++) {
        const c = indices[k];
        if (!(c >= 0 && c < cols) || k < 0 || k >= data.length) return fail(`csr entry ${k} of row ${r} has column ${c}, outside [0, ${cols})`);
        dense[r * cols + c] += data[k];
      }
    }
    return { shape, dtype: 'f8', values: dense };
  }
  const a = ndarrayFromPickle(v, where);
  if (a.shape.length !== 2) throw new ArgumentError(`${where}: expected a 2-D matrix, got shape [${a.shape.join(', ')}]`);
  return a;
}

/** A dict {int: [int, …]} from a pickled dict or collections.defaultdict(list). */
export function adjacencyFromPickle(v: PyValue, where: string): Map<number, number[]> {
  let dict: Map<PyKey, PyValue>;
  if (v instanceof Map) dict = v;
  else if (v instanceof PyObject && v.cls.name === 'defaultdict') dict = v.dict;
  else throw new ArgumentError(`${where}: expected a dict of adjacency lists, got ${describe(v)}`);
  const out = new Map<number, number[]>();
  for (const [k, list] of dict) {
    if (typeof k !== 'number' || !Number.isInteger(k)) throw new ArgumentError(`${where}: node key ${String(k)} is not an integer`);
    const items = Array.isArray(list) ? list : list instanceof PyTuple ? list.items : null;
    if (items === null) throw new ArgumentError(`${where}: the neighbours of node ${k} are a ${describe(list)}, expected a list`);
    out.set(k, items.map((n, i) => {
      if (typeof n !== 'number' || !Number.isInteger(n)) throw new ArgumentError(`${where}: neighbour ${i} of node ${k} is ${describe(n)}, expected an int`);
      return n;
    }));
  }
  return out;
}

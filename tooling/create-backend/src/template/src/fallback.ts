import { JsBackend } from '@plexus/backend-js';
import { PRIMITIVE_NAMES } from '@plexus/tensor';
import type { DataId, OutputInfo, PrimitiveImpl, PrimitiveName, PrimitiveTable, TensorInfo } from '@plexus/tensor';
import type { __CLASS__Storage } from './storage.js';

type AnyImpl = (inputs: readonly TensorInfo[], attrs: object, out: OutputInfo) => DataId;

/**
 * Every primitive, run on the reference backend (@plexus/backend-js): inputs are copied there,
 * the primitive runs, and the result is copied back into this backend's storage. Correct from the
 * start (the conformance suite passes) and slow; replace entries with real kernels in backend.ts
 * one at a time, and delete this file once none is left.
 */
export function referencePrimitives(storage: __CLASS__Storage): PrimitiveTable {
  const reference = new JsBackend();
  const run = (op: PrimitiveName): AnyImpl => (inputs, attrs, out) => {
    const refInputs = inputs.map((t) => ({ ...t, dataId: reference.write(storage.values(op, t.dataId), t.shape, t.dtype) }));
    const refOut = (reference.primitives[op] as AnyImpl)(refInputs, attrs, out);
    const values = reference.readSync({ dataId: refOut, shape: out.shape, dtype: out.dtype });
    for (const t of refInputs) reference.dispose(t.dataId);
    reference.dispose(refOut);
    return storage.create(values, out.dtype);
  };
  const table: Partial<Record<PrimitiveName, PrimitiveImpl<PrimitiveName>>> = {};
  for (const op of PRIMITIVE_NAMES) table[op] = run(op);
  return table as PrimitiveTable;
}

import type { Tensor } from '@plexus/tensor';
import { BackendError } from '@plexus/tensor';

/**
 * The values of a tensor on the host. Graph structure (edge indices, batch vectors) is read
 * synchronously to validate it and to build segment layouts, as PyG does on the CPU.
 */
export function hostData(op: string, name: string, t: Tensor): ArrayLike<number> {
  if (!t.backend.readSync) {
    throw new BackendError(`${op}: backend '${t.backend.name}' cannot read ${name} synchronously; graph structure must live on a backend with readSync (js, cpu)`);
  }
  return t.dataSync() as ArrayLike<number>;
}

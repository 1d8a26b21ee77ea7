import { generateData } from '../data.js';
import type { CellRequest } from '../protocol.js';
import { workload } from '../spec.js';
import type { Cell } from './cell.js';

/**
 * Sets up one JavaScript cell: selects the backend, generates the workload's data and builds it.
 * Each runner is imported only when asked for, so a Plexus cell never loads tfjs (nor the other
 * way round), which keeps start-up and peak memory honest.
 */
export async function createCell(req: Pick<CellRequest, 'workload' | 'runner' | 'backend' | 'size'>): Promise<Cell> {
  const config = workload(req.workload).config[req.size];
  switch (req.runner) {
    case 'plexus': {
      const { usePlexusBackend } = await import('./plexus-backend.js');
      await usePlexusBackend(req.backend);
      const { plexusCell } = await import('./plexus.js');
      return plexusCell(config, generateData(config));
    }
    case 'tfjs': {
      const { useTfjsBackend } = await import('./tfjs-backend.js');
      const note = await useTfjsBackend(req.backend);
      const { tfjsCell } = await import('./tfjs.js');
      return { ...tfjsCell(config, generateData(config)), note };
    }
    default:
      throw new Error(`createCell: runner '${req.runner}' is not a JavaScript runner`);
  }
}

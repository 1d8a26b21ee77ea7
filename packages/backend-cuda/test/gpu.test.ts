import { runBackendConformance } from '@plexus/backend-testkit';
import { describe, it } from 'vitest';
import { TfjsBackend, createCudaBackend } from '../src/index.js';

// The same conformance suite on the real @tensorflow/tfjs-node-gpu, where it loads. On machines
// without it (CI, any machine without CUDA) the suite is reported as skipped, with the reason.
let loaded: TfjsBackend | undefined;
let reason = '';
try {
  loaded = await createCudaBackend({ onCpuFallback: 'warn' });
} catch (e) {
  reason = e instanceof Error ? e.message.split('\n')[0] : String(e);
}

if (loaded) {
  const { tf } = loaded;
  runBackendConformance('cuda (tfjs-node-gpu)', () => new TfjsBackend(tf, { name: 'cuda' }));
} else {
  describe('conformance: cuda (tfjs-node-gpu)', () => {
    it('runs the conformance suite on @tensorflow/tfjs-node-gpu', (ctx) => ctx.skip(`not available here: ${reason}`));
  });
}

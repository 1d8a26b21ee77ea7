import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { createTfjsBackend } from '../src/index.js';
import type { TfjsBackend } from '../src/index.js';

// The CI stand-in for tfjs-node-gpu: the same adapter on TensorFlow.js's pure-JS CPU kernels.
// Prod mode only silences tfjs's "install tfjs-node to speed things up" banner and debug checks.
tf.enableProdMode();
await tf.setBackend('cpu');

export { tf };

/** A fresh adapter instance named 'cuda', as registerCudaBackend({ tf }) would create. */
export function createCpuBackend(): TfjsBackend {
  return createTfjsBackend(tf, { name: 'cuda' });
}

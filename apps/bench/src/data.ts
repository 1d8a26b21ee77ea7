import { hashString, labels, uniform } from './prng.js';
import type { CnnConfig, WorkloadConfig } from './spec.js';

/** Host data of one tensor, in the canonical layout every runner starts from. */
export interface HostTensor {
  shape: number[];
  data: Float32Array | Int32Array;
}

/** A workload's inputs and its parameters (trainable, in a fixed order). */
export interface WorkloadData {
  inputs: Record<string, HostTensor>;
  params: [string, HostTensor][];
}

/** The one seed all benchmark data derives from. */
export const DATA_SEED = 1234;

const size = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

/** Each tensor's stream is keyed by its name, so adding a tensor never shifts the others. */
function uni(name: string, shape: number[], low: number, high: number): HostTensor {
  return { shape, data: uniform((DATA_SEED ^ hashString(name)) >>> 0, size(shape), low, high) };
}

function fill(shape: number[], value: number): HostTensor {
  return { shape, data: new Float32Array(size(shape)).fill(value) };
}

/** PyTorch's default Linear/Conv initialisation range: U(±1/√fanIn). */
function init(name: string, shape: number[], fanIn: number): HostTensor {
  const bound = 1 / Math.sqrt(fanIn);
  return uni(name, shape, -bound, bound);
}

/** The flattened features after the two conv+pool stages. */
export function cnnFlat(c: CnnConfig): number {
  return c.channels[2] * (c.image / 4) ** 2;
}

export function generateData(config: WorkloadConfig): WorkloadData {
  switch (config.kind) {
    case 'sgemm':
      return { inputs: { a: uni('sgemm.a', [config.n, config.n], -1, 1), b: uni('sgemm.b', [config.n, config.n], -1, 1) }, params: [] };
    case 'mlp': {
      const { batch, layers } = config;
      const params: [string, HostTensor][] = [];
      for (let i = 0; i + 1 < layers.length; i++) {
        params.push([`fc${i}.w`, init(`mlp.fc${i}.w`, [layers[i], layers[i + 1]], layers[i])]);
        params.push([`fc${i}.b`, init(`mlp.fc${i}.b`, [layers[i + 1]], layers[i])]);
      }
      return {
        inputs: {
          x: uni('mlp.x', [batch, layers[0]], 0, 1),
          y: { shape: [batch], data: labels((DATA_SEED ^ hashString('mlp.y')) >>> 0, batch, layers[layers.length - 1]) },
        },
        params,
      };
    }
    case 'cnn': {
      const { batch, image, channels: [c0, c1, c2], kernel: k, hidden, classes } = config;
      const flat = cnnFlat(config);
      return {
        inputs: {
          x: uni('cnn.x', [batch, c0, image, image], 0, 1),
          y: { shape: [batch], data: labels((DATA_SEED ^ hashString('cnn.y')) >>> 0, batch, classes) },
        },
        params: [
          ['conv1.w', init('cnn.conv1.w', [c1, c0, k, k], c0 * k * k)],
          ['conv1.b', init('cnn.conv1.b', [c1], c0 * k * k)],
          ['conv2.w', init('cnn.conv2.w', [c2, c1, k, k], c1 * k * k)],
          ['conv2.b', init('cnn.conv2.b', [c2], c1 * k * k)],
          ['fc1.w', init('cnn.fc1.w', [flat, hidden], flat)],
          ['fc1.b', init('cnn.fc1.b', [hidden], flat)],
          ['fc2.w', init('cnn.fc2.w', [hidden, classes], hidden)],
          ['fc2.b', init('cnn.fc2.b', [classes], hidden)],
        ],
      };
    }
    case 'transformer': {
      const { batch: B, seq: S, dModel: D, ffn: F } = config;
      const linear = (name: string, i: number, o: number): [string, HostTensor][] => [
        [`${name}.w`, init(`tf.${name}.w`, [i, o], i)],
        [`${name}.b`, init(`tf.${name}.b`, [o], i)],
      ];
      return {
        inputs: { x: uni('tf.x', [B, S, D], -1, 1), target: uni('tf.target', [B, S, D], -1, 1) },
        params: [
          ['ln1.g', fill([D], 1)], ['ln1.b', fill([D], 0)],
          ...linear('q', D, D), ...linear('k', D, D), ...linear('v', D, D), ...linear('o', D, D),
          ['ln2.g', fill([D], 1)], ['ln2.b', fill([D], 0)],
          ...linear('ff1', D, F), ...linear('ff2', F, D),
        ],
      };
    }
    case 'lstm': {
      const { batch: B, seq: T, input: I, hidden: H } = config;
      return {
        inputs: { x: uni('lstm.x', [T, B, I], -1, 1), target: uni('lstm.target', [B, H], -0.5, 0.5) },
        // Gates in PyTorch's order along the 4H axis: input, forget, cell, output.
        params: [
          ['wih', init('lstm.wih', [I, 4 * H], H)],
          ['whh', init('lstm.whh', [H, 4 * H], H)],
          ['b', init('lstm.b', [4 * H], H)],
        ],
      };
    }
    case 'elementwise':
      return {
        inputs: { a: uni('ew.a', [config.n], -1, 1), b: uni('ew.b', [config.n], -1, 1), c: uni('ew.c', [config.n], -1, 1) },
        params: [],
      };
    case 'pinn': {
      const { points: N, layers } = config;
      const xs = uniform((DATA_SEED ^ hashString('pinn.x')) >>> 0, N, -1, 1);
      const ts = uniform((DATA_SEED ^ hashString('pinn.t')) >>> 0, N, 0, 1);
      const X = new Float32Array(2 * N);
      for (let i = 0; i < N; i++) {
        X[2 * i] = xs[i];
        X[2 * i + 1] = ts[i];
      }
      const params: [string, HostTensor][] = [];
      for (let i = 0; i + 1 < layers.length; i++) {
        params.push([`l${i}.w`, init(`pinn.l${i}.w`, [layers[i], layers[i + 1]], layers[i])]);
        params.push([`l${i}.b`, init(`pinn.l${i}.b`, [layers[i + 1]], layers[i])]);
      }
      // Columns of X: x (space) then t (time).
      return { inputs: { X: { shape: [N, 2], data: X } }, params };
    }
  }
}

import type { Generator } from '@plexus/tensor';
import { ArgumentError, getDefaultGenerator, noGrad, tensor } from '@plexus/tensor';
import type { RNNBase } from '@plexus/nn';

export interface ChronoInitOptions {
  /** Where the random time scales come from (default: the default generator). */
  generator?: Generator;
}

/**
 * Chrono initialisation of the gate biases (Tallec & Ollivier, "Can recurrent neural networks
 * warp time?", ICLR 2018), for dependencies up to `maxLength` steps. PyTorch's default init
 * leaves every gate near σ(0) = ½, so a state decays like ½ᵗ and the gradient that would teach
 * a 50-step memory vanishes; chrono biases spread the gates' time scales over [1, maxLength].
 *
 * - LSTM: forget bias b_f = log(u), u ~ U(1, maxLength − 1), and input bias b_i = −b_f.
 * - GRU: update-gate bias b_z = log(u) (z → 1 keeps the state, as h' = (1 − z)·n + z·h).
 *
 * The values go into biasIh of every layer and direction; the same blocks of biasHh are zeroed
 * (only the sum b_ih + b_hh matters). Other biases and all weights keep their values.
 */
export function chronoInit_(layer: RNNBase, maxLength: number, options: ChronoInitOptions = {}): void {
  const where = 'chronoInit_';
  if (layer.mode !== 'LSTM' && layer.mode !== 'GRU') throw new ArgumentError(`${where}: needs an LSTM or a GRU (gated), got ${layer.constructor.name}`);
  if (!layer.bias) throw new ArgumentError(`${where}: the layer has no biases (bias: false)`);
  if (!(typeof maxLength === 'number' && maxLength > 2)) throw new ArgumentError(`${where}: maxLength must be a number > 2, got ${String(maxLength)}`);
  const g = options.generator ?? getDefaultGenerator();
  const H = layer.hiddenSize;
  const params = new Map(layer.namedParameters());
  noGrad(() => {
    for (const name of layer.flatWeightsNames.filter((n) => n.startsWith('biasIh'))) {
      const bIh = params.get(name);
      const bHh = params.get(name.replace('biasIh', 'biasHh'));
      if (!bIh || !bHh) throw new ArgumentError(`${where}: ${layer.constructor.name} has no parameter ${name}`);
      const ih = Array.from(bIh.dataSync() as ArrayLike<number>);
      const hh = Array.from(bHh.dataSync() as ArrayLike<number>);
      const u = g.nextUniform(H);
      // Block 1 is the gate that keeps the state in both: LSTM i, f, g, o; GRU r, z, n.
      for (let j = 0; j < H; j++) {
        const b = Math.log(1 + u[j] * (maxLength - 2));
        ih[H + j] = b;
        hh[H + j] = 0;
        if (layer.mode === 'LSTM') {
          ih[j] = -b;
          hh[j] = 0;
        }
      }
      bIh.assign(tensor(ih, { dtype: bIh.dtype, backend: bIh.backend }));
      bHh.assign(tensor(hh, { dtype: bHh.dtype, backend: bHh.backend }));
    }
  });
}

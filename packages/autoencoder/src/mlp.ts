import type { DType } from '@plexus/tensor';
import type { UnaryModule } from '@plexus/nn';
import { Identity, LeakyReLU, Linear, ReLU, Sequential, Tanh } from '@plexus/nn';

/** Nonlinearity between the hidden layers of the dense models. */
export type Activation = 'relu' | 'leakyRelu' | 'tanh';

export const ACTIVATIONS: readonly Activation[] = ['relu', 'leakyRelu', 'tanh'];

export function activationModule(activation: Activation): UnaryModule {
  return activation === 'relu' ? new ReLU() : activation === 'leakyRelu' ? new LeakyReLU(0.2) : new Tanh();
}

/**
 * Linear layers through `sizes` (sizes[0] → sizes[1] → …) with `activation` after each one, the
 * last included when `activateLast` (an encoder trunk); without it the last layer is linear (a
 * head producing codes or logits). A single size gives the identity.
 */
export function mlp(sizes: readonly number[], activation: Activation, activateLast: boolean, dtype: DType | undefined): Sequential {
  const layers: UnaryModule[] = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    layers.push(new Linear(sizes[i], sizes[i + 1], { dtype }));
    if (activateLast || i + 2 < sizes.length) layers.push(activationModule(activation));
  }
  return layers.length > 0 ? new Sequential(...layers) : new Sequential(new Identity());
}

import type { Module } from '@plexus/nn';
import { BatchNorm1d, BatchNorm2d, Conv2d, ConvTranspose2d, Linear, constant_, normal_ } from '@plexus/nn';
import type { Generator } from '@plexus/tensor';

/**
 * The DCGAN initialisation (Radford et al., 2016): weights of convolutions, transposed
 * convolutions and linear layers ~ N(0, 0.02), BatchNorm scales ~ N(1, 0.02), every bias 0.
 * Returns the module.
 */
export function dcganInit_<M extends Module>(module: M, generator?: Generator): M {
  const options = generator ? { generator } : {};
  for (const m of module.modules()) {
    if (m instanceof Conv2d || m instanceof ConvTranspose2d || m instanceof Linear) {
      normal_(m.weight, 0, 0.02, options);
      if (m.bias) constant_(m.bias, 0);
    } else if (m instanceof BatchNorm1d || m instanceof BatchNorm2d) {
      if (m.weight) normal_(m.weight, 1, 0.02, options);
      if (m.bias) constant_(m.bias, 0);
    }
  }
  return module;
}

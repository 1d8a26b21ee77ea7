import type { Tensor } from '@plexus/tensor';
import { ArgumentError, PlexusError, isTensor } from '@plexus/tensor';
import { Conv1d, Conv2d, ConvTranspose2d, Linear, Module, crossEntropy } from '@plexus/nn';

/** The L2 (Frobenius) norm of one layer's weight gradient. */
export interface GradientNorm {
  /** The layer's dotted name in the model, e.g. 'layers.0.1.conv2'. */
  name: string;
  kind: 'conv' | 'linear';
  norm: number;
}

export interface GradientNormsOptions {
  /**
   * Include projection shortcuts (layers under a child named 'downsample', as in torchvision's
   * ResNet and this package's) (default false): they sit beside the main path, not on the depth axis.
   */
  shortcuts?: boolean;
}

type Weighted = Conv1d | Conv2d | ConvTranspose2d | Linear;

/** Conv and Linear layers in depth order (definition order, which is forward order in these models). */
function weightedLayers(where: string, model: Module, options: GradientNormsOptions): [string, Weighted][] {
  if (!(model instanceof Module)) throw new ArgumentError(`${where}: expected a Module, got ${model === null ? 'null' : typeof model}`);
  const shortcuts = options.shortcuts ?? false;
  const layers = model.namedModules().filter((e): e is [string, Weighted] => {
    const [name, m] = e;
    const isWeighted = m instanceof Conv1d || m instanceof Conv2d || m instanceof ConvTranspose2d || m instanceof Linear;
    return isWeighted && (shortcuts || !name.split('.').includes('downsample'));
  });
  if (layers.length === 0) throw new ArgumentError(`${where}: ${model.constructor.name} has no conv or linear layers`);
  return layers;
}

/**
 * Per-layer weight-gradient norms after `loss.backward()`, over the conv and linear layers in
 * depth order: the picture of vanishing (or exploding) gradients. Read before `optimizer.step()`
 * and `zeroGrad()`.
 */
export function gradientNorms(model: Module, options: GradientNormsOptions = {}): GradientNorm[] {
  return weightedLayers('gradientNorms', model, options).map(([name, m]) => {
    const g = m.weight.grad;
    if (!g) throw new PlexusError(`gradientNorms: layer '${name}' has no gradient; call loss.backward() first`);
    return { name, kind: m instanceof Linear ? 'linear' : 'conv', norm: g.square().sum().sqrt().item() as number };
  });
}

export interface MeasureGradientNormsOptions extends GradientNormsOptions {
  /** loss(logits, labels) (default crossEntropy). */
  loss?: (output: Tensor, target: Tensor) => Tensor;
}

/**
 * The mean over `batches` of each layer's gradient norm, one forward/backward per batch without
 * any update: how gradients reach each depth at the current weights (e.g. at initialisation).
 * The model's mode is left as it is (in training mode BatchNorm uses, and tracks, batch
 * statistics). Gradients are cleared afterwards.
 */
export function measureGradientNorms(model: Module & { forward(x: Tensor): Tensor }, batches: Iterable<readonly [Tensor, Tensor]>, options: MeasureGradientNormsOptions = {}): GradientNorm[] {
  const loss = options.loss ?? ((output: Tensor, target: Tensor) => crossEntropy(output, target));
  let sums: GradientNorm[] | null = null;
  let count = 0;
  for (const batch of batches) {
    if (!Array.isArray(batch) || batch.length < 2 || !isTensor(batch[0]) || !isTensor(batch[1])) {
      throw new ArgumentError('measureGradientNorms: each batch must be [inputs, targets] tensors');
    }
    model.zeroGrad();
    loss(model.forward(batch[0]), batch[1]).backward();
    const norms = gradientNorms(model, options);
    sums = sums ? sums.map((s, i) => ({ ...s, norm: s.norm + norms[i].norm })) : norms;
    count++;
  }
  model.zeroGrad();
  if (!sums) throw new ArgumentError('measureGradientNorms: expected at least one batch');
  return sums.map((s) => ({ ...s, norm: s.norm / count }));
}

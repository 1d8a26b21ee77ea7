import { grad } from '@plexus/autograd';
import type { Tensor } from '@plexus/tensor';
import { linspace, manualSeed, noGrad, randn, zeros } from '@plexus/tensor';

export interface ToyOptions {
  epochs: number;
  lr: number;
  hidden: number;
  seed: number;
  /** Called every `logEvery` epochs with the current loss. */
  onLog?: (epoch: number, loss: number) => void;
  logEvery?: number;
}

export interface ToyResult {
  initialLoss: number;
  finalLoss: number;
  epochs: number;
  seconds: number;
}

/**
 * Fits y = sin(x) on [−π, π] with u(x) = W2·tanh(W1·x + b1) + b2, full-batch gradient descent.
 * Everything is tensor ops plus autograd's grad(): the point is to show those two pieces working.
 */
export function trainToy(options: ToyOptions): ToyResult {
  const { epochs, lr, hidden, seed, onLog, logEvery = 100 } = options;
  manualSeed(seed);
  const x = linspace(-Math.PI, Math.PI, 128).reshape([128, 1]);
  const y = x.sin();
  let params: Tensor[] = [
    randn([1, hidden]).mul(1.0),
    zeros([hidden]),
    randn([hidden, 1]).mul(1 / Math.sqrt(hidden)),
    zeros([1]),
  ];
  const loss = (w1: Tensor, b1: Tensor, w2: Tensor, b2: Tensor): Tensor =>
    x.matmul(w1).add(b1).tanh().matmul(w2).add(b2).sub(y).square().mean();
  const lossGrad = grad(loss, [0, 1, 2, 3]);
  const start = performance.now();
  const initialLoss = loss(...(params as [Tensor, Tensor, Tensor, Tensor])).item() as number;
  let current = initialLoss;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const grads = lossGrad(...params);
    params = noGrad(() => params.map((p, i) => p.sub(grads[i].mul(lr))));
    if (epoch % logEvery === 0 || epoch === epochs) {
      current = loss(...(params as [Tensor, Tensor, Tensor, Tensor])).item() as number;
      onLog?.(epoch, current);
    }
  }
  return { initialLoss, finalLoss: current, epochs, seconds: (performance.now() - start) / 1000 };
}

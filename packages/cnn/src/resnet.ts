import type { Tensor } from '@plexus/tensor';
import { ArgumentError, ShapeError, fmtShape, noGrad } from '@plexus/tensor';
import { BasicBlock, BatchNorm2d, Bottleneck, Conv2d, GlobalAvgPool2d, Linear, Module, ModuleList, Sequential, constant_, kaimingNormal_, zeros_ } from '@plexus/nn';
import type { ModelOptions } from './options.js';
import { bool, oneOf, positiveInt } from './options.js';

export interface ResNetOptions extends ModelOptions {
  /**
   * Weighted layers on the main path: the stem conv, the block convs and the classifier.
   * 6n+2 with basic blocks (8, 14, 20, 26, 32, 44, 56, 110) or 9n+2 with bottlenecks, for
   * three stages of n blocks, as in He et al.'s CIFAR ResNets. Default: three stages of 3 blocks
   * (depth 20 with basic blocks) unless `blocks` is given.
   */
  depth?: number;
  /** Blocks per stage, e.g. [2, 2, 2]; stage i has width·2^i channels and halves H and W when i > 0. */
  blocks?: readonly number[];
  /** Channels of the stem and of the first stage (default 16). */
  width?: number;
  /** 'basic' (two 3×3 convs, default) or 'bottleneck' (1×1, 3×3, 1×1; 4× wider outputs). */
  block?: 'basic' | 'bottleneck';
  /** Skip connections (default true). false: the "plain" net of the same depth. */
  residual?: boolean;
  /** BatchNorm2d after every conv (default true). false: convs with biases instead. */
  batchNorm?: boolean;
  /**
   * 'kaiming' (default): torchvision's ResNet initialisation, He-normal conv weights with the fan
   * out (std √(2/fanOut)), zero conv biases. 'default': every layer keeps PyTorch's layer default
   * (kaiming_uniform with a = √5: variance 1/(3·fanIn), a sixth of He's 2/fanIn), what a stack of
   * nn.Conv2d gets without a custom init, under which a deep plain net's gradients vanish.
   */
  init?: 'kaiming' | 'default';
  /** Start each block's last BN at weight 0, so every block begins as the identity (Goyal et al.; default false). */
  zeroInitResidual?: boolean;
}

const STEM = 1;
const HEAD = 1;

/** n blocks per stage from a depth of 6n+2 (basic) or 9n+2 (bottleneck), three stages. */
function blocksFromDepth(depth: number, convsPerBlock: number): number[] {
  const per = 3 * convsPerBlock;
  const n = (depth - STEM - HEAD) / per;
  if (!Number.isInteger(n) || n < 1) {
    const examples = [1, 2, 3, 4, 5].map((k) => per * k + 2).join(', ');
    throw new ArgumentError(`resnet: depth must be ${per}n+2 (${examples}, …) with ${convsPerBlock === 2 ? 'basic' : 'bottleneck'} blocks, got ${depth}`);
  }
  return [n, n, n];
}

/**
 * A ResNet for small images (He et al., 2016, §4.2): a 3×3 stem conv (no max pool: 28×28 digits
 * are small already), stages of residual blocks that double the channels and halve the
 * resolution, global average pooling and a linear classifier. With `residual: false` and
 * `batchNorm: false` it is the plain network of the same depth.
 */
export class ResNet extends Module {
  readonly inChannels: number;
  readonly numClasses: number;
  readonly width: number;
  readonly blocks: readonly number[];
  /** Weighted layers on the main path (stem + block convs + classifier). */
  readonly depth: number;
  readonly residual: boolean;
  readonly batchNorm: boolean;
  conv1: Conv2d;
  bn1: BatchNorm2d | null;
  layers: ModuleList<Sequential>;
  pool: GlobalAvgPool2d;
  fc: Linear;

  constructor(options: ResNetOptions = {}) {
    super();
    const { numClasses = 10, inChannels = 1, width = 16, residual = true, batchNorm = true, zeroInitResidual = false, dtype } = options;
    this.numClasses = positiveInt('resnet', 'numClasses', numClasses);
    this.inChannels = positiveInt('resnet', 'inChannels', inChannels);
    this.width = positiveInt('resnet', 'width', width);
    this.residual = bool('resnet', 'residual', residual);
    this.batchNorm = bool('resnet', 'batchNorm', batchNorm);
    bool('resnet', 'zeroInitResidual', zeroInitResidual);
    if (zeroInitResidual && !batchNorm) throw new ArgumentError('resnet: zeroInitResidual needs batchNorm: true (it zeroes the last BN of each block)');
    const kind = oneOf('resnet', 'block', options.block ?? 'basic', ['basic', 'bottleneck'] as const);
    const init = oneOf('resnet', 'init', options.init ?? 'kaiming', ['kaiming', 'default'] as const);
    const convsPerBlock = kind === 'basic' ? 2 : 3;
    this.blocks = this.resolveBlocks(options, convsPerBlock);
    this.depth = STEM + convsPerBlock * this.blocks.reduce((a, b) => a + b, 0) + HEAD;

    const blockOptions = { residual, batchNorm, dtype };
    this.conv1 = new Conv2d(inChannels, width, 3, { padding: 1, bias: !batchNorm, dtype });
    this.bn1 = batchNorm ? new BatchNorm2d(width, { dtype }) : null;
    this.layers = new ModuleList();
    let channels = width;
    this.blocks.forEach((count, stage) => {
      const planes = width * 2 ** stage;
      const stageBlocks = new Sequential();
      for (let b = 0; b < count; b++) {
        const stride = stage > 0 && b === 0 ? 2 : 1;
        const block = kind === 'basic'
          ? new BasicBlock(channels, planes, { ...blockOptions, stride })
          : new Bottleneck(channels, planes, { ...blockOptions, stride });
        stageBlocks.append(block);
        channels = block.outChannels;
      }
      this.layers.push(stageBlocks);
    });
    this.pool = new GlobalAvgPool2d();
    this.fc = new Linear(channels, numClasses, { dtype });
    if (init === 'kaiming') this.kaimingInit();
    if (zeroInitResidual) this.zeroLastNorms();
  }

  private resolveBlocks(options: ResNetOptions, convsPerBlock: number): number[] {
    const fromDepth = options.depth === undefined ? null : blocksFromDepth(positiveInt('resnet', 'depth', options.depth), convsPerBlock);
    if (options.blocks === undefined) return fromDepth ?? [3, 3, 3];
    if (!Array.isArray(options.blocks) || options.blocks.length === 0) {
      throw new ArgumentError(`resnet: blocks must be a non-empty array of blocks per stage, got ${JSON.stringify(options.blocks)}`);
    }
    const blocks = options.blocks.map((n: unknown, i: number) => positiveInt('resnet', `blocks[${i}]`, n));
    if (fromDepth && STEM + convsPerBlock * blocks.reduce((a, b) => a + b, 0) + HEAD !== options.depth) {
      throw new ArgumentError(`resnet: depth ${options.depth} does not match blocks [${blocks.join(', ')}]; give one of them`);
    }
    return blocks;
  }

  /** torchvision's ResNet init: He-normal conv weights (fan out, ReLU gain), zero conv biases. */
  private kaimingInit(): void {
    noGrad(() => {
      for (const m of this.modules()) {
        if (!(m instanceof Conv2d)) continue;
        kaimingNormal_(m.weight, { mode: 'fanOut', nonlinearity: 'relu' });
        if (m.bias) zeros_(m.bias);
      }
    });
  }

  private zeroLastNorms(): void {
    for (const m of this.modules()) {
      const last = m instanceof BasicBlock ? m.bn2 : m instanceof Bottleneck ? m.bn3 : null;
      if (last?.weight) constant_(last.weight, 0);
    }
  }

  forward(x: Tensor): Tensor {
    if (x.rank !== 4 || x.shape[1] !== this.inChannels || x.shape[2] === 0 || x.shape[3] === 0) {
      throw new ShapeError(`ResNet: expected input [N, ${this.inChannels}, H, W] (${this.inChannels} channels), got ${fmtShape(x.shape)}`);
    }
    let h = this.conv1.forward(x);
    if (this.bn1) h = this.bn1.forward(h);
    h = h.relu();
    for (const stage of this.layers) h = stage.forward(h);
    return this.fc.forward(this.pool.forward(h));
  }

  override extraRepr(): string {
    return `depth=${this.depth}, blocks=[${this.blocks.join(', ')}], width=${this.width}, residual=${this.residual}, batchNorm=${this.batchNorm}`;
  }
}

/** A small ResNet (or its plain twin): `resnet({ depth: 20, width: 16 })`. See ResNetOptions. */
export function resnet(options: ResNetOptions = {}): ResNet {
  return new ResNet(options);
}

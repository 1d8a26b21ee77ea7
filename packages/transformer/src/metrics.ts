import type { Tensor } from '@plexus/tensor';
import { ArgumentError, ShapeError, fmtShape } from '@plexus/tensor';
import { crossEntropy } from '@plexus/nn';

/**
 * Cross entropy of per-position logits [B, T, V] against int32 targets [B, T], averaged over all
 * positions (nats per token; divide by ln 2 for bits).
 */
export function sequenceCrossEntropy(logits: Tensor, targets: Tensor): Tensor {
  if (logits.rank !== 3 || targets.rank !== 2 || logits.shape[0] !== targets.shape[0] || logits.shape[1] !== targets.shape[1]) {
    throw new ShapeError(`sequenceCrossEntropy: expected logits [B, T, V] and targets [B, T], got ${fmtShape(logits.shape)} and ${fmtShape(targets.shape)}`);
  }
  const [B, T, V] = logits.shape;
  return crossEntropy(logits.reshape([B * T, V]), targets.reshape([B * T]));
}

/** Bits per character (or token) from a mean cross entropy in nats. */
export function bitsPerCharacter(lossNats: number): number {
  return lossNats / Math.LN2;
}

/** argmax over the last dim of [N, L, C] logits compared with [N, L] targets, on the host. */
function positionHits(op: string, output: Tensor, target: Tensor): { rows: boolean[][] } {
  if (output.rank !== 3 || target.rank !== 2 || output.shape[0] !== target.shape[0] || output.shape[1] !== target.shape[1]) {
    throw new ShapeError(`${op}: expected logits [N, L, C] and targets [N, L], got ${fmtShape(output.shape)} and ${fmtShape(target.shape)}`);
  }
  const pred = output.argmax(-1).dataSync();
  const truth = target.dataSync();
  const [N, L] = target.shape;
  const rows = Array.from({ length: N }, (_, n) => Array.from({ length: L }, (_, l) => pred[n * L + l] === truth[n * L + l]));
  return { rows };
}

/**
 * Exact-sequence accuracy: the fraction of sequences whose every position is predicted right.
 * A streaming metric ({ name, reset, update, compute }) usable with @plexus/train's fit/evaluate.
 */
export class SequenceAccuracy {
  readonly name: string;
  private hits = 0;
  private total = 0;

  constructor(options: { name?: string } = {}) {
    this.name = options.name ?? 'sequenceAccuracy';
    if (typeof this.name !== 'string' || this.name === '') throw new ArgumentError('SequenceAccuracy: name must be a non-empty string');
  }

  reset(): void {
    this.hits = this.total = 0;
  }

  update(output: Tensor, target: Tensor): void {
    const { rows } = positionHits('SequenceAccuracy', output, target);
    this.hits += rows.filter((r) => r.every(Boolean)).length;
    this.total += rows.length;
  }

  compute(): number {
    return this.total ? this.hits / this.total : NaN;
  }
}

/** Per-position accuracy over [N, L, C] logits and [N, L] targets. */
export class TokenAccuracy {
  readonly name: string;
  private hits = 0;
  private total = 0;

  constructor(options: { name?: string } = {}) {
    this.name = options.name ?? 'tokenAccuracy';
  }

  reset(): void {
    this.hits = this.total = 0;
  }

  update(output: Tensor, target: Tensor): void {
    const { rows } = positionHits('TokenAccuracy', output, target);
    for (const r of rows) for (const h of r) this.hits += h ? 1 : 0;
    this.total += rows.length * (rows[0]?.length ?? 0);
  }

  compute(): number {
    return this.total ? this.hits / this.total : NaN;
  }
}

/**
 * Bits per character (token) of per-position logits [B, T, V] against targets [B, T]: the summed
 * cross entropy over every position seen since `reset`, divided by their number and by ln 2.
 */
export class BitsPerCharacter {
  readonly name: string;
  private nats = 0;
  private count = 0;

  constructor(options: { name?: string } = {}) {
    this.name = options.name ?? 'bpc';
  }

  reset(): void {
    this.nats = this.count = 0;
  }

  update(output: Tensor, target: Tensor): void {
    const loss = sequenceCrossEntropy(output, target);
    this.nats += (loss.item() as number) * target.size;
    this.count += target.size;
  }

  compute(): number {
    return this.count ? bitsPerCharacter(this.nats / this.count) : NaN;
  }
}

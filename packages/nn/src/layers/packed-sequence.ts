import type { Tensor } from '@plexus/tensor';
import { ArgumentError, ShapeError, concat, fmtShape, isFloating, isTensor, tensor } from '@plexus/tensor';

/**
 * A batch of variable-length sequences packed time step by time step, as torch's PackedSequence:
 * `data` [sum(lengths), *] holds step 0 of every sequence, then step 1 of those still running, …,
 * with the batch sorted by decreasing length; `batchSizes[t]` is how many sequences have a step t.
 * `sortedIndices[j]` is the original batch index of sorted entry j (null when the batch was
 * already sorted); `unsortedIndices` is its inverse. Recurrent layers accept it in place of a
 * padded tensor and return one.
 */
export class PackedSequence {
  readonly data: Tensor;
  readonly batchSizes: readonly number[];
  readonly sortedIndices: readonly number[] | null;
  readonly unsortedIndices: readonly number[] | null;

  constructor(data: Tensor, batchSizes: readonly number[], sortedIndices: readonly number[] | null = null, unsortedIndices: readonly number[] | null = null) {
    if (!isTensor(data) || data.rank < 1) throw new ArgumentError('PackedSequence: data must be a tensor of rank >= 1');
    const total = batchSizes.reduce((a, b) => a + b, 0);
    if (batchSizes.length === 0 || batchSizes.some((b, i) => !Number.isInteger(b) || b < 1 || (i > 0 && b > batchSizes[i - 1])) || total !== data.shape[0]) {
      throw new ArgumentError(`PackedSequence: batchSizes must be positive, non-increasing and sum to data.shape[0] = ${data.shape[0]}, got [${batchSizes.join(',')}]`);
    }
    this.data = data;
    this.batchSizes = Object.freeze([...batchSizes]);
    this.sortedIndices = sortedIndices ? Object.freeze([...sortedIndices]) : null;
    this.unsortedIndices = unsortedIndices ? Object.freeze([...unsortedIndices]) : sortedIndices ? Object.freeze(inverse(sortedIndices)) : null;
  }

  /** Number of sequences. */
  get batchSize(): number {
    return this.batchSizes[0];
  }

  /** The length of each sequence, in the original batch order. */
  lengths(): number[] {
    const sorted = Array.from({ length: this.batchSize }, (_, j) => this.batchSizes.filter((b) => b > j).length);
    const order = this.sortedIndices;
    if (!order) return sorted;
    const out = new Array<number>(sorted.length);
    order.forEach((orig, j) => (out[orig] = sorted[j]));
    return out;
  }
}

function inverse(perm: readonly number[]): number[] {
  const out = new Array<number>(perm.length);
  perm.forEach((p, i) => (out[p] = i));
  return out;
}

/**
 * Validates sequence lengths (a list or a 1-D integer tensor) against a batch of `batch`
 * sequences of at most `maxLength` steps, and returns them as numbers.
 */
export function checkLengths(where: string, lengths: readonly number[] | Tensor, batch: number, maxLength: number): number[] {
  let list: number[];
  if (isTensor(lengths)) {
    if (lengths.rank !== 1 || isFloating(lengths.dtype) || lengths.dtype === 'bool') {
      throw new ArgumentError(`${where}: lengths must be a 1-D int32 tensor or an array of integers, got ${lengths.describe()}`);
    }
    list = Array.from(lengths.dataSync() as ArrayLike<number>);
  } else if (Array.isArray(lengths)) {
    list = [...(lengths as readonly number[])];
  } else {
    throw new ArgumentError(`${where}: lengths must be an array of integers or a 1-D int32 tensor, got ${typeof lengths}`);
  }
  if (list.length !== batch) throw new ShapeError(`${where}: expected ${batch} lengths (one per sequence), got ${list.length}`);
  const bad = list.findIndex((l) => !Number.isInteger(l) || l < 1 || l > maxLength);
  if (bad >= 0) {
    throw new ArgumentError(`${where}: lengths must be integers in [1, ${maxLength}] (the padded length), got ${String(list[bad])} at index ${bad}`);
  }
  return list;
}

/** Packs a time-major [T, N, *] batch whose sequences have `lengths`, taken in `order` (sorted by length). */
export function packTimeMajor(x: Tensor, lengths: readonly number[], order: readonly number[] | null): PackedSequence {
  const [T, N, ...rest] = x.shape;
  const sorted = order ? order.map((i) => lengths[i]) : [...lengths];
  const xs = order ? x.indexSelect(1, tensor(order, { dtype: 'int32', backend: x.backend })) : x;
  const rows = xs.reshape([T * N, ...rest]);
  const batchSizes: number[] = [];
  const pieces: Tensor[] = [];
  for (let t = 0; t < sorted[0]; t++) {
    const bs = sorted.filter((l) => l > t).length;
    batchSizes.push(bs);
    pieces.push(rows.slice(0, t * N, t * N + bs));
  }
  return new PackedSequence(concat(pieces, 0), batchSizes, order, order ? inverse(order) : null);
}

/** Unpacks into a time-major [totalLength, N, *] tensor in the original batch order, and the lengths. */
export function padTimeMajor(seq: PackedSequence, paddingValue = 0, totalLength?: number): [Tensor, number[]] {
  const N = seq.batchSize;
  const T = seq.batchSizes.length;
  const TT = totalLength ?? T;
  const rest = seq.data.shape.slice(1);
  // F.pad order: pairs from the last dim backwards, so the pair for dim 0 comes last.
  const padRows = (x: Tensor, n: number): Tensor => (n === 0 ? x : x.pad([...rest.flatMap(() => [0, 0]), 0, n], paddingValue));
  const pieces: Tensor[] = [];
  let offset = 0;
  for (const bs of seq.batchSizes) {
    pieces.push(padRows(seq.data.slice(0, offset, offset + bs), N - bs));
    offset += bs;
  }
  let padded = concat(pieces, 0);
  if (TT > T) padded = padRows(padded, (TT - T) * N);
  padded = padded.reshape([TT, N, ...rest]);
  if (seq.unsortedIndices) padded = padded.indexSelect(1, tensor([...seq.unsortedIndices], { dtype: 'int32', backend: padded.backend }));
  return [padded, seq.lengths()];
}

export interface PackPaddedSequenceOptions {
  /** The input is [N, T, *] instead of [T, N, *] (default false). */
  batchFirst?: boolean;
  /** Require lengths in decreasing order, as for ONNX export in PyTorch (default true). With false the batch is sorted here and unsorted on unpacking. */
  enforceSorted?: boolean;
}

/** Packs a padded batch of variable-length sequences (torch.nn.utils.rnn.pack_padded_sequence). */
export function packPaddedSequence(input: Tensor, lengths: readonly number[] | Tensor, options: PackPaddedSequenceOptions = {}): PackedSequence {
  const where = 'packPaddedSequence';
  const batchFirst = options.batchFirst ?? false;
  const enforceSorted = options.enforceSorted ?? true;
  if (!isTensor(input) || input.rank < 2) {
    throw new ShapeError(`${where}: expected a padded input of rank >= 2 ([T, N, *] or [N, T, *] with batchFirst), got ${isTensor(input) ? fmtShape(input.shape) : typeof input}`);
  }
  const x = batchFirst ? input.transpose(0, 1) : input;
  const list = checkLengths(where, lengths, x.shape[1], x.shape[0]);
  let order: number[] | null = null;
  if (enforceSorted) {
    const i = list.findIndex((l, k) => k > 0 && l > list[k - 1]);
    if (i >= 0) throw new ArgumentError(`${where}: lengths must be sorted in decreasing order with enforceSorted (got [${list.join(',')}]); pass enforceSorted: false to sort here`);
  } else {
    // Stable, so equal lengths keep their order (as torch.sort(descending=True, stable) would).
    order = list.map((_, i) => i).sort((a, b) => list[b] - list[a] || a - b);
    if (order.every((o, i) => o === i)) order = null;
  }
  return packTimeMajor(x, list, order);
}

export interface PadPackedSequenceOptions {
  /** Return [N, T, *] instead of [T, N, *] (default false). */
  batchFirst?: boolean;
  /** Value of the padded positions (default 0). */
  paddingValue?: number;
  /** Pad to this many steps (at least the longest sequence), e.g. to match the original input. */
  totalLength?: number;
}

/**
 * Unpacks a PackedSequence into a padded tensor and the lengths as an int32 tensor, in the
 * original batch order (torch.nn.utils.rnn.pad_packed_sequence).
 */
export function padPackedSequence(sequence: PackedSequence, options: PadPackedSequenceOptions = {}): [Tensor, Tensor] {
  const where = 'padPackedSequence';
  if (!(sequence instanceof PackedSequence)) throw new ArgumentError(`${where}: expected a PackedSequence`);
  const T = sequence.batchSizes.length;
  const total = options.totalLength;
  if (total !== undefined && (!Number.isInteger(total) || total < T)) {
    throw new ArgumentError(`${where}: totalLength must be an integer >= the longest sequence (${T}), got ${String(total)}`);
  }
  const [padded, lengths] = padTimeMajor(sequence, options.paddingValue ?? 0, total);
  return [options.batchFirst ? padded.transpose(0, 1) : padded, tensor(lengths, { dtype: 'int32', backend: padded.backend })];
}

export interface PadSequenceOptions {
  batchFirst?: boolean;
  paddingValue?: number;
}

/** Stacks sequences [L_i, *] into one padded [max L, N, *] tensor (torch.nn.utils.rnn.pad_sequence). */
export function padSequence(sequences: readonly Tensor[], options: PadSequenceOptions = {}): Tensor {
  const where = 'padSequence';
  if (!Array.isArray(sequences) || sequences.length === 0 || !sequences.every(isTensor)) {
    throw new ArgumentError(`${where}: expected a non-empty array of tensors`);
  }
  const rest = sequences[0].shape.slice(1);
  for (const s of sequences) {
    if (s.rank < 1 || s.shape[0] < 1 || s.rank !== rest.length + 1 || s.shape.slice(1).some((d, i) => d !== rest[i])) {
      throw new ShapeError(`${where}: sequences must be [L, ${rest.join(', ')}] with L >= 1, got ${sequences.map((q) => fmtShape(q.shape)).join(', ')}`);
    }
  }
  const T = Math.max(...sequences.map((s) => s.shape[0]));
  const value = options.paddingValue ?? 0;
  const columns = sequences.map((s) => {
    const p = T - s.shape[0];
    return (p === 0 ? s : s.pad([...rest.flatMap(() => [0, 0]), 0, p], value)).unsqueeze(1);
  });
  const padded = concat(columns, 1);
  return options.batchFirst ? padded.transpose(0, 1) : padded;
}

/** Packs a list of sequences [L_i, *] (torch.nn.utils.rnn.pack_sequence). */
export function packSequence(sequences: readonly Tensor[], options: { enforceSorted?: boolean } = {}): PackedSequence {
  const padded = padSequence(sequences);
  return packPaddedSequence(padded, sequences.map((s) => s.shape[0]), { enforceSorted: options.enforceSorted ?? true });
}

import { readFileSync } from 'node:fs';
import type { Module } from '@plexus/nn';
import type { AnyOptimizer, OptimizerStateDict, StateValue } from '@plexus/optim';
import type { Generator, GeneratorState, Tensor } from '@plexus/tensor';
import { ArgumentError, PlexusError, findBackend, fromData, getBackend, getDefaultGenerator, isTensor } from '@plexus/tensor';
import type { Scheduler } from '../scheduler.js';
import type { WriteFn } from './atomic.js';
import { writeFileAtomic } from './atomic.js';
import { parseState, stringifyState } from './json.js';
import type { HostTensor } from './safetensors.js';
import { decodeSafetensors, encodeSafetensors } from './safetensors.js';

/** Value of `__metadata__.format` in the checkpoints written here. */
export const CHECKPOINT_FORMAT = 'plexus-checkpoint-v1';
/** Optimizer state tensors are stored as `optimizer.state.<param index>.<name>`. */
export const OPTIMIZER_PREFIX = 'optimizer.state.';

export interface SaveOptions {
  /** Its state (moments, step counts, param groups with their lr) is saved for resuming. */
  optimizer?: AnyOptimizer;
  /** Its state dict is saved, with its class name. */
  scheduler?: Scheduler;
  /** The number of epochs completed (what `fit`'s `initialEpoch` should be when resuming). */
  epoch?: number;
  /** Anything JSON-serialisable (NaN and ±Infinity are kept). */
  extra?: unknown;
  /** Save the default generator's state (default true): shuffling, dropout and augmentation continue as if uninterrupted. */
  rng?: boolean;
  /** Other generators to save by name (a DataLoader's own generator, say). */
  generators?: Record<string, Generator>;
  /** The low-level write (default fs.writeSync); tests replace it to simulate a crash. */
  write?: WriteFn;
}

interface SavedOptimizer {
  type: string;
  paramGroups: unknown[];
  /** Per parameter index: its number-valued state entries. */
  numbers: Record<string, Record<string, number>>;
  /** Per parameter index: the names of its tensor-valued entries (stored as tensors). */
  tensors: Record<string, string[]>;
}

/** What `load` returns. */
export interface Checkpoint {
  /** The model's tensors under their stateDict names, on the current (or chosen) backend. */
  model: Record<string, Tensor>;
  optimizer?: { type: string; state: OptimizerStateDict };
  scheduler?: { type: string; state: Record<string, unknown> };
  epoch?: number;
  /** The default generator's state when saved. */
  rng?: GeneratorState;
  generators: Record<string, GeneratorState>;
  extra?: unknown;
  /** The raw `__metadata__` strings. */
  metadata: Record<string, string>;
}

function stateDictOf(model: Module | Record<string, Tensor>): Record<string, Tensor> {
  if (model !== null && typeof model === 'object' && typeof (model as Module).stateDict === 'function') return (model as Module).stateDict();
  if (model === null || typeof model !== 'object') throw new ArgumentError(`save: expected a Module or a state dict, got ${model === null ? 'null' : typeof model}`);
  for (const [k, v] of Object.entries(model)) if (!isTensor(v)) throw new ArgumentError(`save: state dict entry '${k}' is not a Tensor`);
  return model as Record<string, Tensor>;
}

async function toHost(t: Tensor): Promise<HostTensor> {
  return { dtype: t.dtype, shape: [...t.shape], data: await t.data() };
}

/**
 * Saves a model (or a state dict) to `path` in the safetensors format, with optionally the
 * optimizer, the scheduler, the epoch, the random generators' state and extra JSON, so that
 * `loadCheckpoint` resumes training exactly. The model's tensors keep their stateDict names
 * (the file loads in PyTorch's safetensors too); the optimizer's tensors are stored as
 * `optimizer.state.<i>.<name>`; everything else is JSON in `__metadata__`. The file is written
 * atomically: an interrupted save leaves the previous checkpoint intact.
 */
export async function save(model: Module | Record<string, Tensor>, path: string, options: SaveOptions = {}): Promise<void> {
  const tensors: Record<string, HostTensor> = {};
  for (const [name, t] of Object.entries(stateDictOf(model))) tensors[name] = await toHost(t);
  const metadata: Record<string, string> = { format: CHECKPOINT_FORMAT };
  const { optimizer, scheduler, epoch, extra } = options;
  if (optimizer) {
    const sd = optimizer.stateDict();
    const saved: SavedOptimizer = { type: optimizer.name, paramGroups: sd.paramGroups, numbers: {}, tensors: {} };
    for (const [index, entry] of Object.entries(sd.state)) {
      for (const [key, value] of Object.entries(entry as Record<string, StateValue>)) {
        if (typeof value === 'number') (saved.numbers[index] ??= {})[key] = value;
        else {
          const name = `${OPTIMIZER_PREFIX}${index}.${key}`;
          if (name in tensors) throw new ArgumentError(`save: the model has a tensor named '${name}', which the optimizer's state needs; rename that module`);
          (saved.tensors[index] ??= []).push(key);
          tensors[name] = await toHost(value);
        }
      }
    }
    metadata.optimizer = stringifyState(saved);
  }
  if (scheduler) metadata.scheduler = stringifyState({ type: scheduler.name, state: scheduler.stateDict() });
  if (epoch !== undefined) {
    if (!Number.isInteger(epoch) || epoch < 0) throw new ArgumentError(`save: epoch must be a non-negative integer, got ${epoch}`);
    metadata.epoch = String(epoch);
  }
  if (extra !== undefined) metadata.extra = stringifyState(extra);
  const rng: Record<string, GeneratorState> = {};
  if (options.rng ?? true) rng.default = getDefaultGenerator().getState();
  for (const [name, g] of Object.entries(options.generators ?? {})) {
    if (name === 'default') throw new ArgumentError("save: 'default' is the default generator's name; choose another for generators");
    rng[name] = g.getState();
  }
  if (Object.keys(rng).length > 0) metadata.rng = JSON.stringify(rng);
  writeFileAtomic(path, encodeSafetensors(tensors, metadata), { write: options.write });
}

export interface LoadOptions {
  /** The backend to create the tensors on (default: the current backend). */
  backend?: string;
}

function parseMeta(path: string, metadata: Record<string, string>, key: string): unknown {
  const text = metadata[key];
  if (text === undefined) return undefined;
  try {
    return parseState(text);
  } catch (e) {
    throw new PlexusError(`load: ${path}: __metadata__.${key} is not valid JSON (${(e as Error).message})`);
  }
}

/**
 * Reads a checkpoint written by `save` (or any safetensors file: its tensors then all count as
 * the model's). Throws a PlexusError naming the file, the byte offset and the problem for a
 * corrupt or truncated file.
 */
export async function load(path: string, options: LoadOptions = {}): Promise<Checkpoint> {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new PlexusError(`load: cannot read ${path}: ${(e as Error).message}`);
  }
  const { tensors, metadata } = decodeSafetensors(bytes, path);
  const backend = options.backend ? findBackend(options.backend) : getBackend();
  const toTensor = (h: HostTensor): Tensor => fromData('load', h.data, h.shape, { backend });

  const savedOpt = parseMeta(path, metadata, 'optimizer') as SavedOptimizer | undefined;
  const optimizerKeys = new Set<string>();
  let optimizer: Checkpoint['optimizer'];
  if (savedOpt !== undefined) {
    if (savedOpt === null || typeof savedOpt !== 'object' || !Array.isArray(savedOpt.paramGroups) || typeof savedOpt.type !== 'string') {
      throw new PlexusError(`load: ${path}: __metadata__.optimizer must be { type, paramGroups, numbers, tensors }`);
    }
    const state: Record<number, Record<string, StateValue>> = {};
    for (const [index, entry] of Object.entries(savedOpt.numbers ?? {})) state[Number(index)] = { ...entry };
    for (const [index, names] of Object.entries(savedOpt.tensors ?? {})) {
      for (const key of names) {
        const name = `${OPTIMIZER_PREFIX}${index}.${key}`;
        const h = tensors[name];
        if (!h) throw new PlexusError(`load: ${path}: the optimizer state lists tensor '${name}', which the file does not hold`);
        (state[Number(index)] ??= {})[key] = toTensor(h);
        optimizerKeys.add(name);
      }
    }
    optimizer = { type: savedOpt.type, state: { state, paramGroups: savedOpt.paramGroups as OptimizerStateDict['paramGroups'] } };
  }
  const model: Record<string, Tensor> = {};
  for (const [name, h] of Object.entries(tensors)) if (!optimizerKeys.has(name)) model[name] = toTensor(h);

  const scheduler = parseMeta(path, metadata, 'scheduler') as Checkpoint['scheduler'];
  if (scheduler !== undefined && (scheduler === null || typeof scheduler.type !== 'string' || typeof scheduler.state !== 'object')) {
    throw new PlexusError(`load: ${path}: __metadata__.scheduler must be { type, state }`);
  }
  let epoch: number | undefined;
  if (metadata.epoch !== undefined) {
    epoch = Number(metadata.epoch);
    if (!Number.isInteger(epoch) || epoch < 0) throw new PlexusError(`load: ${path}: __metadata__.epoch must be a non-negative integer, got '${metadata.epoch}'`);
  }
  const rngAll = (parseMeta(path, metadata, 'rng') ?? {}) as Record<string, GeneratorState>;
  for (const [name, s] of Object.entries(rngAll)) {
    if (s === null || typeof s !== 'object' || !Number.isSafeInteger(s.seed) || !Number.isSafeInteger(s.offset) || s.offset < 0) {
      throw new PlexusError(`load: ${path}: __metadata__.rng.${name} must be { seed, offset } integers`);
    }
  }
  const { default: rng, ...generators } = rngAll;
  return { model, optimizer, scheduler, epoch, rng, generators, extra: parseMeta(path, metadata, 'extra'), metadata };
}

export interface LoadCheckpointOptions extends LoadOptions {
  /** Restore this optimizer's state (the file must hold one of the same type). */
  optimizer?: AnyOptimizer;
  /** Restore this scheduler's state (the file must hold one of the same type); load it after the optimizer. */
  scheduler?: Scheduler;
  /** Restore the default generator's state (default true, when the file has it). */
  restoreRng?: boolean;
  /** Generators to restore by the names they were saved under. */
  generators?: Record<string, Generator>;
  /** Missing and unexpected model keys are errors (default true). */
  strict?: boolean;
}

/** Prefixes a Plexus error's message with the file, keeping its class (ShapeError, DTypeError…). */
function inFile<T>(path: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof PlexusError) e.message = `loadCheckpoint: ${path}: ${e.message}`;
    throw e;
  }
}

/**
 * Loads a checkpoint into `model` (shapes and dtypes checked against the model), and into the
 * optimizer, scheduler and random generators when given, so that training resumes exactly where
 * `save` left it. Returns the checkpoint (its `epoch` is the `initialEpoch` to resume with).
 */
export async function loadCheckpoint(model: Module, path: string, options: LoadCheckpointOptions = {}): Promise<Checkpoint> {
  const ckpt = await load(path, options);
  const { optimizer, scheduler } = options;
  if (optimizer && !ckpt.optimizer) throw new PlexusError(`loadCheckpoint: ${path} holds no optimizer state (save it with { optimizer })`);
  if (optimizer && ckpt.optimizer && ckpt.optimizer.type !== optimizer.name) {
    throw new ArgumentError(`loadCheckpoint: ${path} holds ${ckpt.optimizer.type} state, but the optimizer given is ${optimizer.name}`);
  }
  if (scheduler && !ckpt.scheduler) throw new PlexusError(`loadCheckpoint: ${path} holds no scheduler state (save it with { scheduler })`);
  if (scheduler && ckpt.scheduler && ckpt.scheduler.type !== scheduler.name) {
    throw new ArgumentError(`loadCheckpoint: ${path} holds ${ckpt.scheduler.type} state, but the scheduler given is ${scheduler.name}`);
  }
  for (const name of Object.keys(options.generators ?? {})) {
    if (!ckpt.generators[name]) throw new PlexusError(`loadCheckpoint: ${path} holds no generator named '${name}' (it has: ${Object.keys(ckpt.generators).join(', ') || 'none'})`);
  }
  inFile(path, () => model.loadStateDict(ckpt.model, { strict: options.strict ?? true }));
  if (optimizer && ckpt.optimizer) inFile(path, () => optimizer.loadStateDict(ckpt.optimizer!.state));
  // The schedulers' loadStateDict types differ; each accepts what its own stateDict() returned.
  if (scheduler && ckpt.scheduler) inFile(path, () => (scheduler.loadStateDict as (s: unknown) => void).call(scheduler, ckpt.scheduler!.state));
  if ((options.restoreRng ?? true) && ckpt.rng) getDefaultGenerator().setState(ckpt.rng);
  for (const [name, g] of Object.entries(options.generators ?? {})) g.setState(ckpt.generators[name]);
  return ckpt;
}

import type { Tensor } from '@plexus/tensor';
import { ArgumentError, BackendError, DTypeError, ShapeError, isFloating, isTensor, scope, zerosLike } from '@plexus/tensor';
import { noGrad, withGradMode } from '@plexus/autograd';
import { checkKnownKeys, checkNonNegative, definedEntries } from './validate.js';

/** The options every optimizer has; learning-rate schedules change `lr` of each group. */
export interface BaseOptions {
  lr: number;
}

/** A value an optimizer keeps per parameter between steps. */
export type StateValue = Tensor | number;
/** Per-parameter state, e.g. Adam's `{ step, expAvg, expAvgSq }`. */
export type ParamState = Record<string, StateValue | undefined>;

/** A group of parameters sharing options (PyTorch's param_groups entries). Options are mutable. */
export type ParamGroup<O extends BaseOptions = BaseOptions> = O & {
  params: Tensor[];
  /** Set by the first LR schedule attached (PyTorch's `initial_lr`); later schedules start from it. */
  initialLr?: number;
};

/** A group as given to the constructor or `addParamGroup`: options left out take the defaults. */
export type ParamGroupInput<O extends BaseOptions = BaseOptions> = Partial<O> & {
  params: Iterable<Tensor> | Tensor;
  initialLr?: number;
};

/** Parameters as given to an optimizer: tensors (one group), or groups with their own options. */
export type Params<O extends BaseOptions = BaseOptions> = Iterable<Tensor> | readonly ParamGroupInput<O>[];

/** A saved group: its options, and its parameters as indices counted across groups in order. */
export type SavedParamGroup<O extends BaseOptions = BaseOptions> = Omit<ParamGroup<O>, 'params'> & { params: number[] };

/** `stateDict()`'s plain object, shaped like PyTorch's: state keyed by parameter index. */
export interface OptimizerStateDict<O extends BaseOptions = BaseOptions> {
  state: Record<number, Record<string, StateValue>>;
  paramGroups: SavedParamGroup<O>[];
}

/** What `update` computes for one parameter: its new value and its new state. */
export interface Update<S extends ParamState> {
  param: Tensor;
  state: S;
}

/** The kind of each state entry an optimizer expects for a parameter (checked on load). */
export type StateSpec = Record<string, 'tensor' | 'number'>;

const GROUP_EXTRAS = ['params', 'initialLr'];

/** Deep-copies option values (arrays such as betas), so saved or default options never alias. */
function copyOptions<T extends object>(options: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) out[k] = Array.isArray(v) ? [...v] : v;
  return out as T;
}

/**
 * Merges user options over an optimizer's defaults, rejecting unknown names (a PyTorch-style
 * `weight_decay` would otherwise be ignored silently). For subclass constructors.
 */
export function resolveDefaults<O extends BaseOptions>(name: string, defaults: O, options: Partial<O> | undefined): O {
  if (options === undefined) return copyOptions(defaults);
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ArgumentError(`${name}: expected an options object, got ${options === null ? 'null' : Array.isArray(options) ? 'an array' : typeof options}`);
  }
  checkKnownKeys(name, 'option', options, Object.keys(defaults));
  return copyOptions({ ...defaults, ...definedEntries(options) });
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !isTensor(v) && !Array.isArray(v);

/**
 * Base class of the optimizers. Subclasses give their defaults, check options, and compute one
 * parameter's update in `update`; the base walks the groups, skips parameters without a
 * gradient, writes the new value with `assign` under `noGrad`, and keeps the state.
 */
export abstract class Optimizer<O extends BaseOptions = BaseOptions, S extends ParamState = ParamState> {
  /** The optimizer's name in error messages ('Adam', 'SGD', …). */
  readonly name: string;
  /** The options a group gets when it leaves one out. */
  readonly defaults: Readonly<O>;
  readonly paramGroups: ParamGroup<O>[] = [];
  /** Per-parameter state, created on a parameter's first step. */
  readonly state = new Map<Tensor, S>();

  constructor(params: Params<O>, defaults: O, name?: string) {
    this.name = name ?? new.target.name;
    this.validateOptions(defaults);
    this.defaults = copyOptions(defaults);
    const groups = this.splitParams(params);
    for (const g of groups) this.addParamGroup(g);
  }

  /** Throws an ArgumentError naming the optimizer when an option value is out of range. */
  protected validateOptions(options: O): void {
    checkNonNegative(this.name, 'lr', options.lr);
  }

  /** One parameter's update, written in tensor ops (runs under noGrad inside a scope). */
  protected abstract update(param: Tensor, grad: Tensor, state: S | undefined, group: ParamGroup<O>): Update<S>;

  /**
   * The state entries a parameter of `group` has once it has taken a step, checked by
   * `loadStateDict`. Undefined (the default) accepts any tensors and numbers.
   */
  protected stateSpec(_group: ParamGroup<O>): StateSpec | undefined {
    return undefined;
  }

  private splitParams(params: Params<O>): ParamGroupInput<O>[] {
    if (isTensor(params)) {
      throw new ArgumentError(`${this.name}: params must be an iterable of tensors or of parameter groups, got a single tensor ${params.describe()}; wrap it in an array`);
    }
    if (params === null || typeof params !== 'object' || !(Symbol.iterator in params)) {
      throw new ArgumentError(`${this.name}: params must be an iterable of tensors or of parameter groups, got ${params === null ? 'null' : typeof params}`);
    }
    const items: unknown[] = [...(params as Iterable<unknown>)];
    if (items.length === 0) throw new ArgumentError(`${this.name}: got an empty parameter list`);
    if (items.every(isTensor)) return [{ params: items } as unknown as ParamGroupInput<O>];
    if (items.every(isPlainObject)) return items as ParamGroupInput<O>[];
    throw new ArgumentError(`${this.name}: params must be all tensors or all parameter groups ({ params, ...options }), not a mix`);
  }

  /** Adds a group (e.g. layers unfrozen later); options it leaves out take the defaults. */
  addParamGroup(group: ParamGroupInput<O>): void {
    if (!isPlainObject(group)) {
      throw new ArgumentError(`${this.name}.addParamGroup: expected { params, ...options }, got ${isTensor(group) ? 'a tensor' : group === null ? 'null' : typeof group}`);
    }
    if (!('params' in group)) throw new ArgumentError(`${this.name}.addParamGroup: the group has no 'params'`);
    checkKnownKeys(this.name, 'parameter group option', group, [...Object.keys(this.defaults), ...GROUP_EXTRAS]);
    const raw = group.params as unknown;
    let params: unknown[];
    if (isTensor(raw)) params = [raw];
    else if (raw !== null && typeof raw === 'object' && Symbol.iterator in raw) params = [...(raw as Iterable<unknown>)];
    else throw new ArgumentError(`${this.name}: a parameter group's params must be a tensor or an iterable of tensors, got ${raw === null ? 'null' : typeof raw}`);
    const seen = new Set<Tensor>();
    params.forEach((p, i) => {
      if (!isTensor(p)) throw new ArgumentError(`${this.name}: params[${i}] of a parameter group is not a Tensor (got ${p === null ? 'null' : typeof p})`);
      if (!isFloating(p.dtype)) throw new DTypeError(`${this.name}: can only optimize floating tensors, got params[${i}] ${p.describe()}`);
      if (!p.isLeaf) throw new ArgumentError(`${this.name}: can't optimize a non-leaf tensor (params[${i}] ${p.describe()} was computed by an op); pass the leaf or use detach().requiresGrad_()`);
      if (seen.has(p)) throw new ArgumentError(`${this.name}: a parameter group lists the same tensor twice (params[${i}] ${p.describe()})`);
      seen.add(p);
    });
    for (const other of this.paramGroups) {
      if (other.params.some((p) => seen.has(p))) {
        throw new ArgumentError(`${this.name}: some parameters appear in more than one parameter group`);
      }
    }
    const { params: _params, ...options } = group;
    const merged = { ...copyOptions(this.defaults), ...copyOptions(definedEntries(options)) } as O;
    this.validateOptions(merged);
    this.paramGroups.push({ ...merged, params: params as Tensor[] });
  }

  /**
   * Clears the gradients: to null (default, like PyTorch; the next backward allocates fresh
   * ones), or to zero tensors.
   */
  zeroGrad(setToNone = true): void {
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        if (p.grad === null) continue;
        p.grad = setToNone ? null : noGrad(() => zerosLike(p.grad as Tensor).keep());
      }
    }
  }

  /**
   * One optimization step over every parameter that has a gradient (those with `grad` null are
   * skipped). `closure`, if given, re-evaluates the model and returns the loss, which is returned.
   */
  step<L = undefined>(closure?: () => L): L | undefined {
    const loss = closure ? withGradMode(true, closure) : undefined;
    noGrad(() => {
      for (const group of this.paramGroups) {
        for (const p of group.params) {
          const grad = p.grad;
          if (grad === null) continue;
          this.checkGrad(p, grad);
          const prev = this.state.get(p);
          // The scope frees the update's intermediates now; the new state survives it.
          const next = scope(() => {
            const r = this.update(p, grad, prev, group);
            p.assign(r.param);
            return r.state;
          });
          // keep(): state must outlive a scope() the caller may have wrapped the step in.
          for (const v of Object.values(next)) if (isTensor(v)) v.keep();
          if (Object.keys(next).length > 0) this.state.set(p, next);
        }
      }
    });
    return loss;
  }

  private checkGrad(p: Tensor, grad: Tensor): void {
    if (!isTensor(grad)) throw new ArgumentError(`${this.name}.step: a parameter's grad is not a Tensor (got ${typeof grad})`);
    if (grad.shape.length !== p.shape.length || grad.shape.some((d, i) => d !== p.shape[i])) {
      throw new ShapeError(`${this.name}.step: gradient of shape [${grad.shape.join(',')}] does not match its parameter's shape [${p.shape.join(',')}]`);
    }
    if (grad.dtype !== p.dtype) throw new DTypeError(`${this.name}.step: gradient is ${grad.dtype} but its parameter is ${p.dtype}`);
    if (grad.backend !== p.backend) {
      throw new BackendError(`${this.name}.step: gradient lives on '${grad.backend.name}' but its parameter on '${p.backend.name}'`);
    }
  }

  /**
   * The optimizer's state as a plain object: per-parameter state keyed by the parameter's index
   * (counted across groups in order) and each group's options with its parameter indices. The
   * tensors are the current ones; steps replace rather than mutate them, so the object is a
   * snapshot.
   */
  stateDict(): OptimizerStateDict<O> {
    const index = new Map<Tensor, number>();
    let next = 0;
    const paramGroups = this.paramGroups.map((group) => {
      const { params, ...options } = group;
      return { ...copyOptions(options), params: params.map((p) => (index.set(p, next), next++)) } as SavedParamGroup<O>;
    });
    const state: Record<number, Record<string, StateValue>> = {};
    for (const [p, s] of this.state) {
      const i = index.get(p);
      if (i === undefined) continue;
      const entry: Record<string, StateValue> = {};
      for (const [k, v] of Object.entries(s)) if (v !== undefined) entry[k] = v;
      state[i] = entry;
    }
    return { state, paramGroups };
  }

  /**
   * Restores a `stateDict()` taken from an optimizer of the same kind over parameters of the same
   * shapes, so training resumes exactly. Group options (lr included) come from the dict; state
   * tensors are copied onto each parameter's dtype and backend. Checks everything before changing
   * anything.
   */
  loadStateDict(stateDict: OptimizerStateDict<O>): void {
    const who = `${this.name}.loadStateDict`;
    if (!isPlainObject(stateDict) || !Array.isArray(stateDict.paramGroups) || !isPlainObject(stateDict.state)) {
      throw new ArgumentError(`${who}: expected { state, paramGroups } as returned by stateDict()`);
    }
    const saved = stateDict.paramGroups;
    if (saved.length !== this.paramGroups.length) {
      throw new ArgumentError(`${who}: the state dict has ${saved.length} parameter groups but this optimizer has ${this.paramGroups.length}`);
    }
    const byIndex = new Map<number, { param: Tensor; group: O }>();
    const newOptions: O[] = [];
    saved.forEach((sg, gi) => {
      const current = this.paramGroups[gi];
      if (!isPlainObject(sg) || !Array.isArray(sg.params)) throw new ArgumentError(`${who}: paramGroups[${gi}] must be { params: number[], ...options }`);
      if (sg.params.length !== current.params.length) {
        throw new ArgumentError(`${who}: parameter group ${gi} has ${sg.params.length} parameters in the state dict but ${current.params.length} in this optimizer`);
      }
      checkKnownKeys(who, 'parameter group option', sg, [...Object.keys(this.defaults), ...GROUP_EXTRAS]);
      const { params: ids, ...options } = sg;
      const merged = { ...copyOptions(this.defaults), ...copyOptions(options) } as unknown as O;
      this.validateOptions(merged);
      newOptions.push(merged);
      ids.forEach((id, j) => {
        if (!Number.isInteger(id) || byIndex.has(id)) throw new ArgumentError(`${who}: paramGroups[${gi}].params[${j}] must be a unique integer index, got ${id}`);
        byIndex.set(id, { param: current.params[j], group: merged });
      });
    });
    const newState = new Map<Tensor, S>();
    for (const [key, entry] of Object.entries(stateDict.state)) {
      const target = byIndex.get(Number(key));
      if (!target) throw new ArgumentError(`${who}: the state dict has state for parameter ${key}, which no parameter group lists`);
      if (!isPlainObject(entry)) throw new ArgumentError(`${who}: state[${key}] must be an object of tensors and numbers`);
      newState.set(target.param, this.loadParamState(who, key, target.param, entry, target.group as ParamGroup<O>));
    }
    // Everything checked: now change the optimizer.
    this.paramGroups.forEach((group, gi) => {
      for (const k of Object.keys(group)) if (k !== 'params') delete (group as unknown as Record<string, unknown>)[k];
      Object.assign(group, newOptions[gi]);
    });
    this.state.clear();
    for (const [p, s] of newState) this.state.set(p, s);
  }

  private loadParamState(who: string, key: string, p: Tensor, entry: Record<string, unknown>, group: ParamGroup<O>): S {
    const spec = this.stateSpec(group);
    const out: Record<string, StateValue> = {};
    for (const [name, value] of Object.entries(entry)) {
      if (value === undefined) continue;
      if (spec && !(name in spec)) {
        throw new ArgumentError(`${who}: state[${key}] has an entry '${name}' that ${this.name} does not keep (expected ${Object.keys(spec).join(', ') || 'no state'})`);
      }
      if (typeof value === 'number') {
        if (spec && spec[name] !== 'number') throw new ArgumentError(`${who}: state[${key}].${name} must be a tensor, got a number`);
        out[name] = value;
      } else if (isTensor(value)) {
        if (spec && spec[name] !== 'tensor') throw new ArgumentError(`${who}: state[${key}].${name} must be a number, got a tensor`);
        if (value.shape.length !== p.shape.length || value.shape.some((d, i) => d !== p.shape[i])) {
          throw new ShapeError(`${who}: state[${key}].${name} has shape [${value.shape.join(',')}] but its parameter has shape [${p.shape.join(',')}]`);
        }
        // A copy on the parameter's backend and dtype: the loaded optimizer owns its state.
        out[name] = noGrad(() => {
          const moved = value.backend === p.backend ? value : value.to(p.backend.name);
          return (moved.dtype === p.dtype ? moved.clone() : moved.cast(p.dtype)).keep();
        });
      } else {
        throw new ArgumentError(`${who}: state[${key}].${name} must be a tensor or a number, got ${value === null ? 'null' : typeof value}`);
      }
    }
    if (spec) {
      for (const [name, kind] of Object.entries(spec)) {
        if (!(name in out)) throw new ArgumentError(`${who}: state[${key}] lacks '${name}' (a ${kind}) that ${this.name} needs`);
      }
    }
    return out as S;
  }
}

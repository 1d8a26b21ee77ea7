import type { DType, Tensor } from '@plexus/tensor';
import { ArgumentError, DTypeError, PlexusError, ShapeError, fmtShape, isDType, isFloating, isTensor, noGrad, zeros } from '@plexus/tensor';
import { Parameter } from './parameter.js';
import { formatSummary } from './summary.js';

export interface RegisterBufferOptions {
  /** Part of `stateDict()` (default true). Non-persistent buffers are caches that can be rebuilt. */
  persistent?: boolean;
}

export interface LoadStateDictOptions {
  /** Missing and unexpected keys are errors (default true). Mis-shaped or mistyped tensors always are. */
  strict?: boolean;
}

export interface LoadStateDictResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

export interface SummaryOptions {
  /** dtype of the zeros fed through the model (default: the dtype of its first floating parameter). */
  dtype?: DType;
}

interface BufferEntry {
  tensor: Tensor;
  persistent: boolean;
}

/** Where a named tensor of a module tree lives, so that it can be read or replaced. */
interface Slot {
  module: Module;
  key: string;
  kind: 'parameter' | 'buffer';
  tensor: Tensor;
}

const join = (prefix: string, name: string): string => (prefix ? `${prefix}.${name}` : name);

/**
 * Base class of every layer and model (torch.nn.Module). Children and parameters are found in the
 * instance's own enumerable properties, in definition order: a property holding a Module is a
 * child, one holding a Parameter is a parameter. Arrays are not scanned (use ModuleList), so a
 * list of layers is never registered by accident. Buffers (running statistics and other state
 * that is saved but not trained) are registered explicitly with `registerBuffer`.
 *
 * Subclasses define `forward` with their own signature, e.g. `forward(x: Tensor): Tensor`.
 */
export abstract class Module {
  /** True in training mode (`train()`), false in evaluation mode (`eval()`). */
  training = true;
  // An ES private field is not a property, so the scan for children and parameters never sees it.
  readonly #buffers = new Map<string, BufferEntry>();

  abstract forward(...inputs: never[]): unknown;

  // ---- structure (overridden by containers that keep their children in a list) ----

  /** This module's direct children, by name. */
  protected namedOwnChildren(): [string, Module][] {
    return Object.entries(this).filter((e): e is [string, Module] => e[1] instanceof Module);
  }

  /** This module's direct parameters, by name. */
  protected namedOwnParameters(): [string, Parameter][] {
    return Object.entries(this).filter((e): e is [string, Parameter] => e[1] instanceof Parameter);
  }

  /** Replaces a direct parameter (used by `to()` and `functionalCall`). */
  protected setOwnParameter(name: string, value: Tensor): void {
    Reflect.set(this, name, value);
  }

  // ---- buffers ----

  /**
   * Registers a tensor that belongs to the module's state but is not trained, such as
   * BatchNorm's running mean. Update it in place with `getBuffer(name).assign(value)`.
   */
  registerBuffer(name: string, tensor: Tensor, options: RegisterBufferOptions = {}): void {
    const where = `${this.constructor.name}.registerBuffer`;
    if (typeof name !== 'string' || name === '' || name.includes('.')) {
      throw new ArgumentError(`${where}: buffer name must be a non-empty string without '.', got '${String(name)}'`);
    }
    if (!isTensor(tensor)) throw new ArgumentError(`${where}: buffer '${name}' must be a Tensor, got ${tensor === null ? 'null' : typeof tensor}`);
    if (Object.prototype.hasOwnProperty.call(this, name)) {
      throw new ArgumentError(`${where}: '${name}' is already a property of this module`);
    }
    // Like parameters, buffers are state that survives an enclosing scope().
    this.#buffers.set(name, { tensor: tensor.keep(), persistent: options.persistent ?? true });
  }

  /** The buffer registered under `name`. */
  getBuffer(name: string): Tensor {
    const entry = this.#buffers.get(name);
    if (!entry) {
      const known = [...this.#buffers.keys()];
      throw new ArgumentError(`${this.constructor.name}.getBuffer: no buffer '${name}' (buffers: ${known.length ? known.join(', ') : 'none'})`);
    }
    return entry.tensor;
  }

  /** @internal replaces a buffer's tensor (dtype or backend changes, functionalCall). */
  setBuffer(name: string, tensor: Tensor): void {
    const entry = this.#buffers.get(name);
    if (!entry) throw new ArgumentError(`${this.constructor.name}.setBuffer: no buffer '${name}'`);
    entry.tensor = tensor.keep();
  }

  private namedOwnBuffers(persistentOnly = false): [string, Tensor][] {
    return [...this.#buffers].filter(([, e]) => !persistentOnly || e.persistent).map(([n, e]) => [n, e.tensor]);
  }

  // ---- traversal ----

  /** Direct children, by name. */
  namedChildren(): [string, Module][] {
    return this.namedOwnChildren();
  }

  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** This module and all its descendants in pre-order, by dotted name (this one is ''). Each module once. */
  namedModules(prefix = ''): [string, Module][] {
    const out: [string, Module][] = [];
    const seen = new Set<Module>();
    const visit = (name: string, m: Module): void => {
      if (seen.has(m)) return;
      seen.add(m);
      out.push([name, m]);
      for (const [childName, child] of m.namedOwnChildren()) visit(join(name, childName), child);
    };
    visit(prefix, this);
    return out;
  }

  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** All parameters by dotted name (`layers.0.weight`); a parameter shared by two layers is listed once. */
  namedParameters(options: { recurse?: boolean } = {}): [string, Parameter][] {
    const seen = new Set<Parameter>();
    const out: [string, Parameter][] = [];
    const owners: [string, Module][] = options.recurse === false ? [['', this]] : this.namedModules();
    for (const [prefix, m] of owners) {
      for (const [name, p] of m.namedOwnParameters()) {
        if (seen.has(p)) continue;
        seen.add(p);
        out.push([join(prefix, name), p]);
      }
    }
    return out;
  }

  parameters(options: { recurse?: boolean } = {}): Parameter[] {
    return this.namedParameters(options).map(([, p]) => p);
  }

  namedBuffers(options: { recurse?: boolean } = {}): [string, Tensor][] {
    const owners: [string, Module][] = options.recurse === false ? [['', this]] : this.namedModules();
    return owners.flatMap(([prefix, m]) => m.namedOwnBuffers().map(([n, t]): [string, Tensor] => [join(prefix, n), t]));
  }

  buffers(options: { recurse?: boolean } = {}): Tensor[] {
    return this.namedBuffers(options).map(([, t]) => t);
  }

  /** Number of parameter elements (shared parameters counted once). */
  numParameters(options: { trainableOnly?: boolean } = {}): number {
    return this.parameters()
      .filter((p) => !options.trainableOnly || p.requiresGrad)
      .reduce((n, p) => n + p.size, 0);
  }

  /** Calls `fn` on every descendant, then on this module (as PyTorch does); returns this. */
  apply(fn: (m: Module) => void): this {
    for (const child of this.children()) child.apply(fn);
    fn(this);
    return this;
  }

  // ---- modes and gradients ----

  /** Sets training mode (true) or evaluation mode (false) here and in every descendant. */
  train(mode = true): this {
    if (typeof mode !== 'boolean') throw new ArgumentError(`${this.constructor.name}.train: mode must be a boolean, got ${typeof mode}`);
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  /** Clears every parameter's gradient (sets `.grad` to null, PyTorch's default). */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }

  /** Makes every parameter trainable (true) or frozen (false). */
  requiresGrad_(value = true): this {
    for (const p of this.parameters()) p.requiresGrad = value;
    return this;
  }

  // ---- dtype and backend ----

  /**
   * Converts floating parameters and buffers to a floating dtype (`'float64'`), or moves all of
   * them to another backend (`'cpu'`). Parameters are replaced by new ones (gradients dropped),
   * so build optimizers after calling this, as in PyTorch.
   */
  to(dtypeOrBackend: DType | string): this {
    const where = `${this.constructor.name}.to`;
    let convert: (t: Tensor) => Tensor;
    if (isDType(dtypeOrBackend)) {
      if (!isFloating(dtypeOrBackend)) throw new DTypeError(`${where}: modules convert to float32 or float64, got ${dtypeOrBackend}`);
      convert = (t) => (isFloating(t.dtype) ? t.cast(dtypeOrBackend) : t);
    } else {
      convert = (t) => t.to(dtypeOrBackend);
    }
    const replaced = new Map<Tensor, Parameter>();
    noGrad(() => {
      for (const m of this.modules()) {
        for (const [name, p] of m.namedOwnParameters()) {
          let q = replaced.get(p);
          if (!q) {
            q = new Parameter(convert(p), p.requiresGrad);
            replaced.set(p, q);
          }
          m.setOwnParameter(name, q);
        }
        for (const [name, t] of m.namedOwnBuffers()) m.setBuffer(name, convert(t));
      }
    });
    return this;
  }

  double(): this {
    return this.to('float64');
  }

  float(): this {
    return this.to('float32');
  }

  // ---- state ----

  /** Every parameter and buffer slot by dotted name, in PyTorch's state_dict order. */
  private slots(persistentOnly: boolean): Map<string, Slot> {
    const out = new Map<string, Slot>();
    for (const [prefix, m] of this.namedModules()) {
      for (const [key, tensor] of m.namedOwnParameters()) out.set(join(prefix, key), { module: m, key, kind: 'parameter', tensor });
      for (const [key, tensor] of m.namedOwnBuffers(persistentOnly)) out.set(join(prefix, key), { module: m, key, kind: 'buffer', tensor });
    }
    return out;
  }

  /** Parameters and persistent buffers by dotted name, as detached copies (a snapshot). */
  stateDict(): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    for (const [name, slot] of this.slots(true)) out[name] = slot.tensor.detach();
    return out;
  }

  /**
   * Copies tensors from `dict` into this module's parameters and buffers, in place. Throws one
   * error that lists every problem: missing and unexpected keys (when strict), and tensors whose
   * shape or dtype differ from the model's. Nothing is loaded when it throws.
   */
  loadStateDict(dict: Record<string, Tensor>, options: LoadStateDictOptions = {}): LoadStateDictResult {
    const strict = options.strict ?? true;
    const where = `${this.constructor.name}.loadStateDict`;
    if (dict === null || typeof dict !== 'object') throw new ArgumentError(`${where}: expected an object of tensors, got ${dict === null ? 'null' : typeof dict}`);
    const slots = this.slots(true);
    const missingKeys = [...slots.keys()].filter((k) => !(k in dict));
    const unexpectedKeys = Object.keys(dict).filter((k) => !slots.has(k));
    const shapeProblems: string[] = [];
    const dtypeProblems: string[] = [];
    const otherProblems: string[] = [];
    for (const [name, slot] of slots) {
      if (!(name in dict)) continue;
      const value: unknown = dict[name];
      if (!isTensor(value)) {
        otherProblems.push(`"${name}" is not a Tensor (got ${value === null ? 'null' : typeof value})`);
      } else if (value.shape.length !== slot.tensor.shape.length || value.shape.some((d, i) => d !== slot.tensor.shape[i])) {
        shapeProblems.push(`size mismatch for "${name}": the model has ${fmtShape(slot.tensor.shape)}, the state dict ${fmtShape(value.shape)}`);
      } else if (value.dtype !== slot.tensor.dtype) {
        dtypeProblems.push(`dtype mismatch for "${name}": the model has ${slot.tensor.dtype}, the state dict ${value.dtype}`);
      }
    }
    const lines: string[] = [];
    if (strict && missingKeys.length) lines.push(`missing key(s): ${missingKeys.map((k) => `"${k}"`).join(', ')}`);
    if (strict && unexpectedKeys.length) lines.push(`unexpected key(s): ${unexpectedKeys.map((k) => `"${k}"`).join(', ')}`);
    lines.push(...shapeProblems, ...dtypeProblems, ...otherProblems);
    if (lines.length) {
      const message = `${where}: error(s) loading the state dict:\n  ${lines.join('\n  ')}`;
      // The error's class names the kind of problem when there is only one kind.
      if (lines.length === shapeProblems.length) throw new ShapeError(message);
      if (lines.length === dtypeProblems.length) throw new DTypeError(message);
      throw new ArgumentError(message);
    }
    noGrad(() => {
      for (const [name, slot] of slots) {
        if (!(name in dict)) continue;
        const value = dict[name];
        slot.tensor.assign(value.backend === slot.tensor.backend ? value : value.to(slot.tensor.backend.name));
      }
    });
    return { missingKeys, unexpectedKeys };
  }

  /**
   * @internal Runs `fn` with some parameters and buffers (by dotted name) replaced by the given
   * tensors, then puts the originals back. See `functionalCall`.
   */
  withTensors<T>(tensors: Record<string, Tensor>, fn: () => T): T {
    const slots = this.slots(false);
    const unknown = Object.keys(tensors).filter((k) => !slots.has(k));
    if (unknown.length) {
      throw new ArgumentError(`functionalCall: ${this.constructor.name} has no parameter or buffer named ${unknown.map((k) => `"${k}"`).join(', ')}`);
    }
    const put = (slot: Slot, t: Tensor): void => {
      if (slot.kind === 'parameter') slot.module.setOwnParameter(slot.key, t);
      else slot.module.setBuffer(slot.key, t);
    };
    const swapped: Slot[] = [];
    try {
      for (const [name, t] of Object.entries(tensors)) {
        const slot = slots.get(name) as Slot;
        put(slot, t);
        swapped.push(slot);
      }
      return fn();
    } finally {
      for (const slot of swapped) put(slot, slot.tensor);
    }
  }

  // ---- description ----

  /** Layer settings shown by `toString()`, e.g. `inFeatures=4, outFeatures=2, bias=true`. */
  extraRepr(): string {
    return '';
  }

  /** The module tree, as PyTorch prints it. */
  toString(): string {
    const extra = this.extraRepr();
    const children = this.namedOwnChildren();
    if (children.length === 0) return `${this.constructor.name}(${extra})`;
    const lines = [...(extra ? extra.split('\n') : []), ...children.map(([name, m]) => `(${name}): ${m.toString()}`)];
    return `${this.constructor.name}(\n${lines.map((l) => `  ${l.split('\n').join('\n  ')}`).join('\n')}\n)`;
  }

  /**
   * A text table of every module: name, type, output shape and number of own parameters, with the
   * totals. With `inputShape` (batch dim included), zeros of that shape are run through
   * `forward` in evaluation mode and without gradients, to record each module's output shape;
   * the modules' modes are restored after.
   */
  summary(inputShape?: readonly number[], options: SummaryOptions = {}): string {
    const shapes = new Map<Module, string>();
    if (inputShape) this.traceShapes(inputShape, options, shapes);
    const rows = this.namedModules().map(([name, m]) => ({
      name: name === '' ? '(root)' : name,
      type: m.constructor.name,
      shape: shapes.get(m) ?? '-',
      params: m.namedOwnParameters().reduce((n, [, p]) => n + p.size, 0),
    }));
    return formatSummary(rows, this.numParameters(), this.numParameters({ trainableOnly: true }));
  }

  private traceShapes(inputShape: readonly number[], options: SummaryOptions, shapes: Map<Module, string>): void {
    const where = `${this.constructor.name}.summary`;
    if (!Array.isArray(inputShape) || inputShape.some((d) => !Number.isInteger(d) || d < 0)) {
      throw new ArgumentError(`${where}: inputShape must be an array of non-negative integers, got ${String(inputShape)}`);
    }
    const ref = this.parameters().find((p) => isFloating(p.dtype)) ?? this.buffers()[0];
    const dtype = options.dtype ?? (ref && isFloating(ref.dtype) ? ref.dtype : 'float32');
    const modules = this.modules();
    const modes = modules.map((m) => m.training);
    const describe = (out: unknown): string => {
      if (isTensor(out)) return fmtShape(out.shape);
      if (Array.isArray(out)) return `(${out.map(describe).join(', ')})`;
      return typeof out;
    };
    // A module may carry its own forward property already; put it back after.
    const ownForward = modules.map((m) => Object.getOwnPropertyDescriptor(m, 'forward'));
    for (const m of modules) {
      const original = m.forward as (...args: unknown[]) => unknown;
      // A non-enumerable own property shadows the prototype's forward while tracing.
      Object.defineProperty(m, 'forward', {
        configurable: true,
        writable: true,
        enumerable: false,
        value: (...args: unknown[]): unknown => {
          const out = original.apply(m, args);
          shapes.set(m, describe(out));
          return out;
        },
      });
    }
    try {
      this.eval();
      noGrad(() => {
        // Created here, inside the try, so the forward patches are always removed.
        const x = zeros(inputShape, { dtype, backend: ref?.backend });
        (this.forward as (x: Tensor) => unknown)(x);
      });
    } catch (e) {
      // Keep the error's class (ShapeError, ...) and say where it came from.
      if (e instanceof PlexusError) e.message = `${where}: the forward pass on zeros of shape ${fmtShape(inputShape)} failed: ${e.message}`;
      throw e;
    } finally {
      modules.forEach((m, i) => {
        const own = ownForward[i];
        if (own) Object.defineProperty(m, 'forward', own);
        else delete (m as { forward?: unknown }).forward;
        m.training = modes[i];
      });
    }
  }
}

/** A module whose forward maps one tensor to one tensor (what Sequential chains). */
export type UnaryModule = Module & { forward(x: Tensor): Tensor };

/**
 * Calls `fn` with some of `module`'s parameters and buffers (by dotted name, as in
 * `namedParameters()`) replaced by the given tensors, like torch.func.functional_call. Gradients
 * then flow to those tensors: useful for meta-learning, per-sample gradients and gradient checks.
 */
export function functionalCall<T>(module: Module, tensors: Record<string, Tensor>, fn: () => T): T {
  return module.withTensors(tensors, fn);
}

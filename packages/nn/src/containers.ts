import type { Tensor } from '@plexus/tensor';
import { ArgumentError, PlexusError } from '@plexus/tensor';
import type { UnaryModule } from './module.js';
import { Module } from './module.js';

function checkModule(where: string, m: unknown, i: number | string): void {
  if (!(m instanceof Module)) {
    throw new ArgumentError(`${where}: item ${i} must be a Module, got ${m === null ? 'null' : typeof m === 'object' ? m.constructor.name : typeof m}`);
  }
}

function resolveIndex(where: string, i: number, length: number): number {
  if (!Number.isInteger(i) || i < -length || i >= length) {
    throw new ArgumentError(`${where}: index ${i} is out of range for ${length} module(s)`);
  }
  return i < 0 ? i + length : i;
}

/**
 * A list of modules whose parameters belong to the owner (torch.nn.ModuleList). Children are
 * named 0, 1, 2, … It has no forward: iterate over it in the owner's forward.
 */
export class ModuleList<M extends Module = Module> extends Module implements Iterable<M> {
  // ES private: invisible to the property scan; children are reported by namedOwnChildren.
  readonly #items: M[] = [];

  constructor(modules: Iterable<M> = []) {
    super();
    this.push(...modules);
  }

  get length(): number {
    return this.#items.length;
  }

  /** Appends modules; returns this. */
  push(...modules: M[]): this {
    modules.forEach((m, i) => checkModule('ModuleList.push', m, this.#items.length + i));
    this.#items.push(...modules);
    return this;
  }

  /** The module at index `i` (negative counts from the end). */
  at(i: number): M {
    return this.#items[resolveIndex('ModuleList.at', i, this.#items.length)];
  }

  [Symbol.iterator](): Iterator<M> {
    return this.#items[Symbol.iterator]();
  }

  protected override namedOwnChildren(): [string, Module][] {
    return [...super.namedOwnChildren(), ...this.#items.map((m, i): [string, Module] => [String(i), m])];
  }

  forward(): never {
    throw new PlexusError('ModuleList has no forward(); iterate over it in the forward of the module that owns it');
  }
}

/**
 * Chains modules: the output of each is the input of the next (torch.nn.Sequential). Children
 * are named 0, 1, 2, …, or by the keys of an object: `new Sequential({ fc: …, act: … })`.
 */
export class Sequential extends Module implements Iterable<UnaryModule> {
  readonly #names: string[] = [];
  readonly #items: UnaryModule[] = [];

  constructor(...layers: UnaryModule[]);
  constructor(layers: Record<string, UnaryModule>);
  constructor(...args: UnaryModule[] | [Record<string, UnaryModule>]) {
    super();
    const first = args[0];
    if (args.length === 1 && first !== null && typeof first === 'object' && !(first instanceof Module)) {
      for (const [name, m] of Object.entries(first as Record<string, UnaryModule>)) this.add(name, m);
    } else {
      for (const m of args as UnaryModule[]) this.append(m);
    }
  }

  private add(name: string, m: UnaryModule): void {
    checkModule('Sequential', m, name);
    if (name === '' || name.includes('.') || this.#names.includes(name)) {
      throw new ArgumentError(`Sequential: layer name '${name}' must be non-empty, unique and without '.'`);
    }
    this.#names.push(name);
    this.#items.push(m);
  }

  get length(): number {
    return this.#items.length;
  }

  /** Appends a layer named by its position; returns this. */
  append(m: UnaryModule): this {
    this.add(String(this.#items.length), m);
    return this;
  }

  /** The layer at index `i` (negative counts from the end). */
  at(i: number): UnaryModule {
    return this.#items[resolveIndex('Sequential.at', i, this.#items.length)];
  }

  [Symbol.iterator](): Iterator<UnaryModule> {
    return this.#items[Symbol.iterator]();
  }

  protected override namedOwnChildren(): [string, Module][] {
    return [...super.namedOwnChildren(), ...this.#items.map((m, i): [string, Module] => [this.#names[i], m])];
  }

  forward(x: Tensor): Tensor {
    let y = x;
    for (const m of this.#items) y = m.forward(y);
    return y;
  }
}

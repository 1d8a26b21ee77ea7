/** Base class of every error Plexus throws on purpose. */
export class PlexusError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}
/** Shapes that do not fit the op (mismatched dims, bad axis, wrong rank). */
export class ShapeError extends PlexusError {}
/** A dtype the op or backend does not accept. */
export class DTypeError extends PlexusError {}
/** No backend, an unknown backend, a missing primitive or a disposed handle. */
export class BackendError extends PlexusError {}
/** Any other bad argument: non-finite sizes, wrong option values, out-of-range indices. */
export class ArgumentError extends PlexusError {}

export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}

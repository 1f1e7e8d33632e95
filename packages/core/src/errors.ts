/**
 * Every error core throws at its public boundary. Messages follow one pattern:
 * `<where>: <argument> <what is wrong>; expected <expected>` so a user can fix the call
 * without reading the source.
 */
export class RecurrentError extends Error {
  /** The entry point that rejected the call, e.g. `GRU.forward`. */
  readonly where: string;
  constructor(where: string, message: string) {
    super(`${where}: ${message}`);
    this.name = new.target.name;
    this.where = where;
  }
}

/** A tensor or array has the wrong shape or length. */
export class ShapeError extends RecurrentError {}

/** A value is out of range, not an integer, or not finite. */
export class ValueError extends RecurrentError {}

/** A buffer or tensor has the wrong element type or belongs to another backend. */
export class DTypeError extends RecurrentError {}

/** A tensor, layer or backend was used after `dispose()`. */
export class DisposedError extends RecurrentError {}

/** A requested backend or device cannot run here; `reason` says what is missing. */
export class BackendUnavailableError extends RecurrentError {}

/** A valid request for something this library does not implement (e.g. an ONNX attribute). */
export class UnsupportedError extends RecurrentError {}

/** Formats a shape for messages: `[4,8]`. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}

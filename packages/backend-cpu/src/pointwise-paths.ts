/**
 * Which loop ran each pointwise launch of a backend instance, so tests (and curious users of the
 * source) can tell that the WebAssembly path really ran and is not silently falling back.
 */
import type { Backend } from '@recurrent/core';

export interface PointwisePaths {
  /** Launches run by a WebAssembly SIMD module. */
  wasm: number;
  /** Launches run by a JavaScript loop compiled with `new Function`. */
  compiled: number;
  /** Launches run by the generic interpreter loop. */
  generic: number;
  /** Why a kernel could not be compiled to WebAssembly: `kernel pattern: reason`. */
  readonly fallbacks: string[];
}

const registry = new WeakMap<Backend, PointwisePaths>();

export function createPointwisePaths(backend: Backend): PointwisePaths {
  const paths: PointwisePaths = { wasm: 0, compiled: 0, generic: 0, fallbacks: [] };
  registry.set(backend, paths);
  return paths;
}

/** The counts of a CPU backend (undefined for any other backend). */
export function pointwisePaths(backend: Backend): PointwisePaths | undefined {
  return registry.get(backend);
}

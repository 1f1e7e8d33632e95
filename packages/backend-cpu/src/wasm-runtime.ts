/**
 * The parts of the WebAssembly JS API this package uses, typed here because the package's `lib`
 * has no DOM types; `wasmRuntime()` is undefined where the global is missing.
 */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

export interface WasmRuntime {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
}

/** Bytes per WebAssembly memory page. */
export const PAGE_BYTES = 65536;

export function wasmRuntime(): WasmRuntime | undefined {
  return (globalThis as { WebAssembly?: WasmRuntime }).WebAssembly;
}

/**
 * Grows `memory`, which holds `currentBytes` now, to at least `bytes`; false (memory unchanged)
 * past `maxBytes` or when the engine refuses. The caller then rebuilds its views.
 */
export function growMemory(
  memory: WasmMemory,
  currentBytes: number,
  bytes: number,
  maxBytes: number,
): boolean {
  if (bytes > maxBytes) return false;
  try {
    memory.grow(Math.ceil((bytes - currentBytes) / PAGE_BYTES));
  } catch {
    return false;
  }
  return true;
}

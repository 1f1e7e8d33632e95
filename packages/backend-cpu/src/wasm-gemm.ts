/**
 * GEMM through the WebAssembly SIMD kernel of `wasm-kernel-module.ts`.
 *
 * Backend buffers are JavaScript typed arrays, so each call brings what it reads into
 * WebAssembly memory. op(B) is packed into column panels of `lanes · KERNEL_VECTORS` (contiguous
 * per depth step: read in place, B's rows sit `rowStride` apart, and strides that are multiples
 * of 512 bytes alias in L1); the packed copy is cached per (buffer, view, orientation) and reused
 * while the buffer's write count is unchanged — the weights across all time steps of a pass.
 * A as stored is copied with `TypedArray.set` (a memcpy: same element type) and read in place
 * through strides; Aᵀ is packed per block into row panels, for the same reason as B. C is
 * computed in a dense scratch (read from C first only when beta ≠ 0) and copied back.
 *
 * Blocking: `ROW_BLOCK` rows × `COLUMN_BLOCK` columns × a depth block per kernel call, so a
 * B panel stays in L1 across the row panels and the A block in L2 across the column panels.
 * Elements are accumulated in the backend's dtype (f32x4 or f64x2 lanes), as BLAS does.
 */
import type { GemmOperand } from './gemm-packing.js';
import { packPanels } from './gemm-packing.js';
import {
  buildGemmModule,
  KERNEL_ROWS,
  KERNEL_VECTORS,
  lanesOf,
  type WasmElement,
} from './wasm-kernel-module.js';

const ROW_BLOCK = 128;
const COLUMN_BLOCK = 256;
const PAGE_BYTES = 65536;
/** Packed copies of B kept at once, and the most memory they may take (elements). */
const CACHE_ENTRIES = 16;
const CACHE_ELEMENTS = 16 << 20;
/** WebAssembly memory (32-bit) ends at 4 GiB; past this the caller falls back to the TypeScript GEMM. */
const MAX_BYTES = 2 ** 32 - PAGE_BYTES;

type Gather = (
  source: number,
  sourceStep: number,
  target: number,
  targetStep: number,
  count: number,
  wide: number,
) => void;

type Multiply = (
  a: number,
  aRowStep: number,
  aDepthStep: number,
  aPanelStep: number,
  b: number,
  bDepthStep: number,
  bPanelStep: number,
  c: number,
  cRowStep: number,
  rowPanels: number,
  columnPanels: number,
  depth: number,
  alpha: number,
  beta: number,
  readC: number,
) => void;

/** Runs the GEMM, or returns false (having changed nothing) when its scratch does not fit in memory. */
export type WasmGemm = (
  rows: number,
  columns: number,
  depth: number,
  a: GemmOperand,
  transposeA: boolean,
  b: GemmOperand,
  transposeB: boolean,
  c: GemmOperand,
  alpha: number,
  beta: number,
) => boolean;

/** The parts of the WebAssembly JS API used here (the package's `lib` has no DOM types). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmRuntime {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number }) => WasmMemory;
}

const moduleCache = new Map<WasmElement, object | null>();

function wasmRuntime(): WasmRuntime | undefined {
  return (globalThis as { WebAssembly?: WasmRuntime }).WebAssembly;
}

/** The compiled kernel module, or null where WebAssembly or its SIMD proposal is unavailable. */
function kernelModule(element: WasmElement): object | null {
  let module = moduleCache.get(element);
  if (module === undefined) {
    module = null;
    try {
      const runtime = wasmRuntime();
      const bytes = buildGemmModule(element);
      if (runtime?.validate(bytes)) module = new runtime.Module(bytes);
    } catch {
      module = null;
    }
    moduleCache.set(element, module);
  }
  return module;
}

function roundUp(value: number, multiple: number): number {
  return Math.ceil(value / multiple) * multiple;
}

/** A cached packed op(B): which view of which buffer, at which write count, where in memory. */
interface PackedCopy {
  readonly identity: number;
  readonly transposed: boolean;
  readonly offset: number;
  readonly rowStride: number;
  readonly depth: number;
  readonly columns: number;
  version: number;
  readonly start: number;
}

/** Below this many elements a plain loop copies faster than `subarray` + `set` (Node 20: a loop
 * moves about 3 ns per element, `set` costs about 90 ns a call plus a memcpy). */
const LOOP_COPY_ELEMENTS = 32;

/**
 * `target[to + k] = source[from + k]` for `k < count`: a loop for short runs (a time step's row),
 * `TypedArray.set` on a subarray (a memcpy when the element types match) for long ones.
 */
function copyElements(
  source: Float32Array | Float64Array,
  from: number,
  target: Float32Array | Float64Array,
  to: number,
  count: number,
): void {
  if (count < LOOP_COPY_ELEMENTS) {
    for (let k = 0; k < count; k++) target[to + k] = source[from + k]!;
  } else {
    target.set(source.subarray(from, from + count), to);
  }
}

/** A GEMM running on WebAssembly SIMD, or null when this runtime cannot run it. */
export function createWasmGemm(element: WasmElement): WasmGemm | null {
  const module = kernelModule(element);
  const runtime = wasmRuntime();
  if (!module || !runtime) return null;
  const memory = new runtime.Memory({ initial: 1 });
  const exports = new runtime.Instance(module, { env: { memory } }).exports;
  const multiply = exports.multiply as Multiply;
  const multiplyOne = exports.multiplyOne as Multiply;
  const gather = exports.gather as Gather;
  const elementBytes = element === 'f32' ? 4 : 8;
  const View = element === 'f32' ? Float32Array : Float64Array;
  const panelColumns = lanesOf(element) * KERNEL_VECTORS;
  const depthBlock = element === 'f32' ? 512 : 256;
  let heap: Float32Array | Float64Array = new View(memory.buffer);
  // Memory layout in elements: [packed copies of B | per-call scratch: A span, B, C tile].
  // At most CACHE_ENTRIES, searched by field comparison: a lookup runs once per GEMM call (every
  // time step of a pass), where building a string key would cost more than the search.
  const packedCopies: PackedCopy[] = [];
  let cacheEnd = 0;

  function findCopy(
    b: GemmOperand,
    transposed: boolean,
    depth: number,
    columns: number,
  ): PackedCopy | undefined {
    for (const copy of packedCopies) {
      if (
        copy.identity === b.identity &&
        copy.offset === b.offset &&
        copy.rowStride === b.rowStride &&
        copy.transposed === transposed &&
        copy.depth === depth &&
        copy.columns === columns
      ) {
        return copy;
      }
    }
    return undefined;
  }

  /** Grows the memory to hold `elements`, or returns false when it cannot. */
  function reserve(elements: number): boolean {
    const bytes = elements * elementBytes;
    if (bytes <= memory.buffer.byteLength) return true;
    if (bytes > MAX_BYTES) return false;
    try {
      memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / PAGE_BYTES));
    } catch {
      return false;
    }
    heap = new View(memory.buffer);
    return true;
  }

  /** Copies elements `[start, start + count)` of an operand's array to `heap[to]`. */
  function copySpan(operand: GemmOperand, start: number, count: number, to: number): void {
    copyElements(operand.data, start, heap, to, count);
  }

  /**
   * op(B) packed into column panels (`[depth][panelColumns]` each) at the returned element index,
   * from the cache when the buffer is unchanged; -1 when memory cannot grow.
   */
  function packedB(
    b: GemmOperand,
    transposed: boolean,
    depth: number,
    columns: number,
    scratch: number,
  ): number {
    const size = roundUp(columns, panelColumns) * depth;
    let copy = b.identity === 0 ? undefined : findCopy(b, transposed, depth, columns);
    if (copy?.version === b.version) return copy.start;
    if (!copy) {
      if (b.identity === 0 || size > CACHE_ELEMENTS) {
        return packB(b, transposed, depth, columns, scratch, scratch + size) ? scratch : -1;
      }
      if (packedCopies.length >= CACHE_ENTRIES || cacheEnd + size > CACHE_ELEMENTS) {
        packedCopies.length = 0;
        cacheEnd = 0;
      }
      copy = {
        identity: b.identity,
        transposed,
        offset: b.offset,
        rowStride: b.rowStride,
        depth,
        columns,
        version: b.version,
        start: cacheEnd,
      };
      cacheEnd += size;
      packedCopies.push(copy);
    }
    if (!packB(b, transposed, depth, columns, copy.start, cacheEnd)) {
      packedCopies.length = 0;
      cacheEnd = 0;
      return -1;
    }
    copy.version = b.version;
    return copy.start;
  }

  /**
   * Packs op(B) into column panels at `to`. B as stored: its span is copied to `free` (a memcpy)
   * and each panel gathered by the module, 32 bytes per depth step. Bᵀ needs a real transpose,
   * done here in TypeScript (the weights, packed once per pass).
   */
  function packB(
    b: GemmOperand,
    transposed: boolean,
    depth: number,
    columns: number,
    to: number,
    free: number,
  ): boolean {
    if (transposed) {
      if (!reserve(to + roundUp(columns, panelColumns) * depth)) return false;
      packPanels(heap, to, panelColumns, b, false, 0, 0, depth, columns);
      return true;
    }
    const span = (depth - 1) * b.rowStride + columns;
    if (!reserve(Math.max(free + span + panelColumns, to + roundUp(columns, panelColumns) * depth)))
      return false;
    copySpan(b, b.offset, span, free);
    for (let panel = 0; panel * panelColumns < columns; panel++) {
      const source = (free + panel * panelColumns) * elementBytes;
      const target = (to + panel * depth * panelColumns) * elementBytes;
      gather(source, b.rowStride * elementBytes, target, panelColumns * elementBytes, depth, 1);
    }
    return true;
  }

  return (rows, columns, depth, a, transposeA, b, transposeB, c, alpha, beta) => {
    const paddedRows = roundUp(rows, KERNEL_ROWS);
    const paddedColumns = roundUp(columns, panelColumns);
    const bStart = packedB(b, transposeB, depth, columns, cacheEnd);
    if (bStart < 0) return false;
    const bDepthStep = panelColumns;
    const bPanelStep = panelColumns * depth;
    const scratch = bStart === cacheEnd ? cacheEnd + paddedColumns * depth : cacheEnd;
    // A as stored is read in place from a copy of its span (rows past `rows` in the last panel
    // read padding). Aᵀ is copied too, then packed per block into row panels by the module: read
    // in place, each depth step would touch a new cache line, `rowStride` apart.
    const aRowStep = transposeA ? 1 : a.rowStride;
    const aDepthStep = transposeA ? a.rowStride : 1;
    const aSpan = transposeA ? (depth - 1) * a.rowStride + rows : (rows - 1) * a.rowStride + depth;
    const aReach = (paddedRows - 1) * aRowStep + (depth - 1) * aDepthStep + KERNEL_ROWS;
    const aCopy = scratch;
    const aPacked = aCopy + aReach;
    const tile = aPacked + (transposeA ? Math.min(paddedRows, ROW_BLOCK) * Math.min(depth, depthBlock) : 0);
    if (!reserve(tile + paddedRows * paddedColumns)) return false;
    copySpan(a, a.offset, aSpan, aCopy);
    const out = c.data;
    const readC = beta !== 0;
    // A dense C whose width fills whole panels moves in one memcpy; others row by row.
    const denseC = c.rowStride === columns && columns === paddedColumns;
    if (readC && denseC) copyElements(out, c.offset, heap, tile, rows * columns);
    else if (readC) {
      for (let i = 0; i < rows; i++) {
        copyElements(out, c.offset + i * c.rowStride, heap, tile + i * paddedColumns, columns);
      }
    }
    const bytes = elementBytes;
    for (let j0 = 0; j0 < columns; j0 += COLUMN_BLOCK) {
      const columnPanels = Math.ceil(Math.min(COLUMN_BLOCK, columns - j0) / panelColumns);
      const bBlock = bStart + (j0 / panelColumns) * bPanelStep;
      for (let i0 = 0; i0 < rows; i0 += ROW_BLOCK) {
        const blockRows = Math.min(ROW_BLOCK, rows - i0);
        const rowPanels = Math.ceil(blockRows / KERNEL_ROWS);
        for (let p0 = 0; p0 < depth; p0 += depthBlock) {
          const blockDepth = Math.min(depthBlock, depth - p0);
          if (transposeA) {
            for (let panel = 0; panel < rowPanels; panel++) {
              gather(
                (aCopy + p0 * a.rowStride + i0 + panel * KERNEL_ROWS) * bytes,
                a.rowStride * bytes,
                (aPacked + panel * blockDepth * KERNEL_ROWS) * bytes,
                KERNEL_ROWS * bytes,
                blockDepth,
                element === 'f64' ? 1 : 0,
              );
            }
          }
          // A single row (batch 1) goes to `multiplyOne`: a four-row panel would compute three
          // rows of padding.
          const single = !transposeA && blockRows === 1;
          (single ? multiplyOne : multiply)(
            transposeA ? aPacked * bytes : (aCopy + i0 * aRowStep + p0 * aDepthStep) * bytes,
            transposeA ? bytes : aRowStep * bytes,
            transposeA ? KERNEL_ROWS * bytes : aDepthStep * bytes,
            transposeA ? KERNEL_ROWS * blockDepth * bytes : (single ? 1 : KERNEL_ROWS) * aRowStep * bytes,
            (bBlock + p0 * bDepthStep) * bytes,
            bDepthStep * bytes,
            bPanelStep * bytes,
            (tile + i0 * paddedColumns + j0) * bytes,
            paddedColumns * bytes,
            single ? 1 : rowPanels,
            columnPanels,
            blockDepth,
            alpha,
            p0 === 0 ? beta : 1,
            p0 === 0 && !readC ? 0 : 1,
          );
        }
      }
    }
    if (denseC) copyElements(heap, tile, out, c.offset, rows * columns);
    else {
      for (let i = 0; i < rows; i++) {
        copyElements(heap, tile + i * paddedColumns, out, c.offset + i * c.rowStride, columns);
      }
    }
    return true;
  };
}

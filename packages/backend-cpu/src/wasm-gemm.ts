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
import { type GemmThreadPool, gemmThreadPool } from './gemm-thread-pool.js';
import {
  GEMM_UNITS_LAYOUT,
  type GemmKernels,
  JOB_FLOAT64S,
  JOB_SLOTS,
  MAX_UNITS,
  runGemmUnits,
} from './gemm-units.js';
import {
  buildGemmModule,
  KERNEL_ROWS,
  KERNEL_VECTORS,
  lanesOf,
  type WasmElement,
} from './wasm-kernel-module.js';
import { growMemory, PAGE_BYTES, type WasmMemory, wasmRuntime } from './wasm-runtime.js';

const ROW_BLOCK = 128;
const COLUMN_BLOCK = 256;
/** Packed copies of B kept at once, and the most memory they may take (elements). */
const CACHE_ENTRIES = 16;
const CACHE_ELEMENTS = 16 << 20;
/** WebAssembly memory (32-bit) ends at 4 GiB; past this the caller falls back to the TypeScript GEMM. */
const MAX_BYTES = 2 ** 32 - PAGE_BYTES;
/** A shared memory must declare its maximum: all of 32-bit memory (it is reserved, not committed). */
const SHARED_MAXIMUM_PAGES = 65536;
/**
 * Products smaller than this (multiply-adds) run on the calling thread: handing out work costs a
 * few atomic operations, waking a worker that went to sleep tens of microseconds, and a worker spins for a while after each job. A
 * `standard` time step's `h·Uᵀ` (32 × 128 × 384) is 1.6 M.
 */
const THREAD_MIN_MULTIPLY_ADDS = 1 << 19;
/** Units per participant: enough that whoever starts late or runs slow still balances out. */
const UNITS_PER_PARTICIPANT = 4;

/** A GEMM on WebAssembly SIMD, possibly shared with worker threads. */
export interface WasmGemm {
  /** Runs the GEMM, or returns false (having changed nothing) when its scratch does not fit in memory. */
  run(
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
  ): boolean;
  /** Threads that take part in large products (1: the calling thread only). */
  readonly threads: number;
  /** Lets the worker threads drop this GEMM's memory; later calls run on the calling thread. */
  release(): void;
}

const moduleCache = new Map<string, object | null>();

/**
 * The compiled kernel module (importing a shared memory when `shared`), or null where
 * WebAssembly, its SIMD proposal or (for `shared`) its threads proposal is unavailable.
 */
function kernelModule(element: WasmElement, shared: boolean): object | null {
  const key = `${element}${shared ? ' shared' : ''}`;
  let module = moduleCache.get(key);
  if (module === undefined) {
    module = null;
    try {
      const runtime = wasmRuntime();
      const bytes = buildGemmModule(element, shared ? SHARED_MAXIMUM_PAGES : undefined);
      if (runtime?.validate(bytes)) module = new runtime.Module(bytes);
    } catch {
      module = null;
    }
    moduleCache.set(key, module);
  }
  return module;
}

/** Workers drop a backend's memory once its GEMM is garbage-collected without `release`. */
const releaseOnCollect =
  typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry<() => void>((release) => release())
    : undefined;

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

/**
 * A GEMM running on WebAssembly SIMD, or null when this runtime cannot run it. With `threads` > 1
 * (and worker threads and shared WebAssembly memory available) large products are shared with
 * `threads − 1` workers of the thread pool; otherwise everything runs on the calling thread.
 */
export function createWasmGemm(element: WasmElement, threads = 1): WasmGemm | null {
  const runtime = wasmRuntime();
  if (!runtime) return null;
  let pool: GemmThreadPool | null = null;
  let module: object | null = null;
  let sharedMemory: WasmMemory | undefined;
  if (threads > 1) {
    module = kernelModule(element, true);
    pool = module ? gemmThreadPool(threads - 1) : null;
    try {
      if (pool)
        sharedMemory = new runtime.Memory({ initial: 1, maximum: SHARED_MAXIMUM_PAGES, shared: true });
    } catch {
      sharedMemory = undefined;
    }
  }
  if (!sharedMemory) {
    pool = null;
    module = kernelModule(element, false);
    if (!module) return null;
  }
  const memory = sharedMemory ?? new runtime.Memory({ initial: 1 });
  const exports = new runtime.Instance(module!, { env: { memory } }).exports;
  const kernels: GemmKernels = {
    multiply: exports.multiply as GemmKernels['multiply'],
    multiplyOne: exports.multiplyOne as GemmKernels['multiplyOne'],
    gather: exports.gather as GemmKernels['gather'],
  };
  const gather = kernels.gather;
  const participants = pool ? threads : 1;
  // Attached to the workers on the first product large enough to share.
  let memoryKey = 0;
  const localJob = new Float64Array(JOB_FLOAT64S);
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
    // `heap` spans the whole memory, which only this thread grows; reading `memory.buffer` costs
    // a call into the engine on every launch.
    if (bytes <= heap.byteLength) return true;
    if (!growMemory(memory, heap.byteLength, bytes, MAX_BYTES)) return false;
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

  function release(): void {
    if (pool && memoryKey !== 0) {
      releaseOnCollect?.unregister(api);
      pool.detach(memoryKey);
    }
    pool = null;
  }

  const run: WasmGemm['run'] = (rows, columns, depth, a, transposeA, b, transposeB, c, alpha, beta) => {
    const paddedRows = roundUp(rows, KERNEL_ROWS);
    const paddedColumns = roundUp(columns, panelColumns);
    const bStart = packedB(b, transposeB, depth, columns, cacheEnd);
    if (bStart < 0) return false;
    const scratch = bStart === cacheEnd ? cacheEnd + paddedColumns * depth : cacheEnd;
    const threaded = pool !== null && rows * columns * depth >= THREAD_MIN_MULTIPLY_ADDS && pool.usable();
    const sharing = threaded ? participants : 1;
    // Units: row blocks × column chunks; when sharing, chunks narrow (whole panels) until every
    // participant has several units.
    let rowBlock = ROW_BLOCK;
    let rowBlocks = Math.ceil(rows / rowBlock);
    const chunksWanted = Math.ceil((sharing * UNITS_PER_PARTICIPANT) / rowBlocks);
    const chunkColumns =
      sharing === 1
        ? COLUMN_BLOCK
        : Math.min(COLUMN_BLOCK, roundUp(Math.ceil(columns / chunksWanted), panelColumns));
    const columnChunks = Math.ceil(columns / chunkColumns);
    if (rowBlocks * columnChunks > MAX_UNITS) {
      rowBlock = roundUp(Math.ceil(rows / Math.floor(MAX_UNITS / columnChunks)), KERNEL_ROWS);
      rowBlocks = Math.ceil(rows / rowBlock);
    }
    // A as stored is read in place from a copy of its span (rows past `rows` in the last panel
    // read padding). Aᵀ is copied too, then packed per block into row panels (one area per
    // participant).
    const aRowStep = transposeA ? 1 : a.rowStride;
    const aDepthStep = transposeA ? a.rowStride : 1;
    const aSpan = transposeA ? (depth - 1) * a.rowStride + rows : (rows - 1) * a.rowStride + depth;
    const aReach = (paddedRows - 1) * aRowStep + (depth - 1) * aDepthStep + KERNEL_ROWS;
    const aCopy = scratch;
    const aPacked = aCopy + aReach;
    const aPackedStride = transposeA
      ? Math.min(roundUp(rowBlock, KERNEL_ROWS), paddedRows) * Math.min(depth, depthBlock)
      : 0;
    const tile = aPacked + sharing * aPackedStride;
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
    const job = threaded ? pool!.job : localJob;
    job[JOB_SLOTS.units] = rowBlocks * columnChunks;
    job[JOB_SLOTS.rowBlocks] = rowBlocks;
    job[JOB_SLOTS.chunkColumns] = chunkColumns;
    job[JOB_SLOTS.rows] = rows;
    job[JOB_SLOTS.columns] = columns;
    job[JOB_SLOTS.depth] = depth;
    job[JOB_SLOTS.depthBlock] = depthBlock;
    job[JOB_SLOTS.rowBlock] = rowBlock;
    job[JOB_SLOTS.kernelRows] = KERNEL_ROWS;
    job[JOB_SLOTS.panelColumns] = panelColumns;
    job[JOB_SLOTS.elementBytes] = elementBytes;
    job[JOB_SLOTS.transposeA] = transposeA ? 1 : 0;
    job[JOB_SLOTS.aBase] = aCopy;
    job[JOB_SLOTS.aRowStep] = aRowStep;
    job[JOB_SLOTS.aDepthStep] = aDepthStep;
    job[JOB_SLOTS.aRowStride] = a.rowStride;
    job[JOB_SLOTS.aPackedBase] = aPacked;
    job[JOB_SLOTS.aPackedStride] = aPackedStride;
    job[JOB_SLOTS.bStart] = bStart;
    job[JOB_SLOTS.bDepthStep] = panelColumns;
    job[JOB_SLOTS.bPanelStep] = panelColumns * depth;
    job[JOB_SLOTS.tile] = tile;
    job[JOB_SLOTS.paddedColumns] = paddedColumns;
    job[JOB_SLOTS.alpha] = alpha;
    job[JOB_SLOTS.beta] = beta;
    job[JOB_SLOTS.readC] = readC ? 1 : 0;
    if (threaded) {
      if (memoryKey === 0) {
        memoryKey = pool!.attach(module!, memory);
        releaseOnCollect?.register(api, pool!.detach.bind(pool, memoryKey), api);
      }
      // A worker failed: C is not written, and the caller runs the TypeScript GEMM instead.
      if (!pool!.run(memoryKey, participants - 1, kernels)) return false;
    } else {
      runGemmUnits(null, localJob, GEMM_UNITS_LAYOUT, kernels, 0, 0);
    }
    if (denseC) copyElements(heap, tile, out, c.offset, rows * columns);
    else {
      for (let i = 0; i < rows; i++) {
        copyElements(heap, tile + i * paddedColumns, out, c.offset + i * c.rowStride, columns);
      }
    }
    return true;
  };

  const api: WasmGemm = {
    run,
    get threads() {
      return pool ? participants : 1;
    },
    release,
  };
  return api;
}

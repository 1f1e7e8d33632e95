/**
 * The work of one WebAssembly GEMM call cut into *units* (a block of rows × a chunk of columns,
 * over the whole depth) and the loop that claims and runs them. The calling thread and the pool's
 * workers (`gemm-thread-pool.ts`) run the same loop on one shared memory, each claiming units
 * until none is left, so a worker that wakes late (or never) only means the caller does more of
 * them. Every element of C is computed by one unit in the same order whoever runs it, so results
 * are bit-identical to a single-threaded call.
 *
 * `runGemmUnits` is sent to the workers as source text (`Function.prototype.toString`), so it must
 * stay self-contained: no imports, no module-level names, no nested function declarations; every
 * index it needs comes in through `layout`.
 */

/** Int32 slots of the control block shared by the caller and the workers. */
export const CONTROL_SLOTS = {
  /** `sequence << UNIT_BITS | next unit`: claiming a unit is one compare-and-swap on it. */
  word: 0,
  /** Units of the current job finished (by anyone). */
  done: 1,
  /** Workers blocked in `Atomics.wait` on `word` (the caller notifies only when there are some). */
  sleepers: 2,
  /** Which shared memory (attached to the workers by message) the job runs on. */
  memoryKey: 3,
  /** Bumped whenever an attach or detach message is posted: workers read their port then. */
  mailEpoch: 4,
  /** Workers with index below this take part (the backend's `threads` − 1). */
  workerLimit: 5,
  /** Workers started and listening. */
  ready: 6,
  /** Units run by workers since start (for tests and benchmarks). */
  workerUnits: 7,
  /** Set by a worker whose kernel call threw: the caller stops using the pool. */
  failed: 8,
} as const;
export const CONTROL_INT32S = 9;
/** Bits of `word` holding the next unit; the rest holds the job's sequence number. */
export const UNIT_BITS = 11;
export const MAX_UNITS = (1 << UNIT_BITS) - 1;
export const SEQUENCE_MASK = (1 << (31 - UNIT_BITS)) - 1;

/** Float64 slots of a job's parameters; offsets and steps in elements of the memory's type. */
export const JOB_SLOTS = {
  units: 0,
  rowBlocks: 1,
  chunkColumns: 2,
  rows: 3,
  columns: 4,
  depth: 5,
  depthBlock: 6,
  rowBlock: 7,
  kernelRows: 8,
  panelColumns: 9,
  elementBytes: 10,
  transposeA: 11,
  aBase: 12,
  aRowStep: 13,
  aDepthStep: 14,
  aRowStride: 15,
  aPackedBase: 16,
  aPackedStride: 17,
  bStart: 18,
  bDepthStep: 19,
  bPanelStep: 20,
  tile: 21,
  paddedColumns: 22,
  alpha: 23,
  beta: 24,
  readC: 25,
} as const;
export const JOB_FLOAT64S = 26;

export interface GemmUnitsLayout {
  readonly control: typeof CONTROL_SLOTS;
  readonly job: typeof JOB_SLOTS;
  readonly unitBits: number;
}

export const GEMM_UNITS_LAYOUT: GemmUnitsLayout = {
  control: CONTROL_SLOTS,
  job: JOB_SLOTS,
  unitBits: UNIT_BITS,
};

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

type Gather = (
  source: number,
  sourceStep: number,
  target: number,
  targetStep: number,
  count: number,
  wide: number,
) => void;

/** The module exports a participant calls. */
export interface GemmKernels {
  readonly multiply: Multiply;
  readonly multiplyOne: Multiply;
  readonly gather: Gather;
}

/**
 * Claims and runs units of job `sequence` until none is left (or another job has started);
 * returns how many this participant ran. `participant` picks its own Aᵀ packing area. With
 * `control` null the caller runs every unit itself.
 */
export function runGemmUnits(
  control: Int32Array | null,
  job: Float64Array,
  layout: GemmUnitsLayout,
  kernels: GemmKernels,
  participant: number,
  sequence: number,
): number {
  const slot = layout.job;
  const units = job[slot.units]!;
  const rowBlocks = job[slot.rowBlocks]!;
  const chunkColumns = job[slot.chunkColumns]!;
  const rows = job[slot.rows]!;
  const columns = job[slot.columns]!;
  const depth = job[slot.depth]!;
  const depthBlock = job[slot.depthBlock]!;
  const rowBlock = job[slot.rowBlock]!;
  const kernelRows = job[slot.kernelRows]!;
  const panelColumns = job[slot.panelColumns]!;
  const bytes = job[slot.elementBytes]!;
  const transposeA = job[slot.transposeA] !== 0;
  const aBase = job[slot.aBase]!;
  const aRowStep = job[slot.aRowStep]!;
  const aDepthStep = job[slot.aDepthStep]!;
  const aRowStride = job[slot.aRowStride]!;
  const aPacked = job[slot.aPackedBase]! + participant * job[slot.aPackedStride]!;
  const bStart = job[slot.bStart]!;
  const bDepthStep = job[slot.bDepthStep]!;
  const bPanelStep = job[slot.bPanelStep]!;
  const tile = job[slot.tile]!;
  const paddedColumns = job[slot.paddedColumns]!;
  const alpha = job[slot.alpha]!;
  const beta = job[slot.beta]!;
  const readC = job[slot.readC]!;
  const unitMask = (1 << layout.unitBits) - 1;
  let ran = 0;
  let nextUnit = 0;
  for (;;) {
    let unit: number;
    if (control === null) {
      // The caller alone: units in order, no atomics (this path serves every batch-1 step product).
      if (nextUnit >= units) break;
      unit = nextUnit++;
    } else {
      const word = Atomics.load(control, layout.control.word);
      if (word >>> layout.unitBits !== sequence) break;
      unit = word & unitMask;
      if (unit >= units) break;
      if (Atomics.compareExchange(control, layout.control.word, word, word + 1) !== word) continue;
    }
    // Column chunk outer, row block inner: participants claiming neighbouring units share the
    // chunk's packed B panels.
    const chunk = Math.floor(unit / rowBlocks);
    const i0 = (unit - chunk * rowBlocks) * rowBlock;
    const j0 = chunk * chunkColumns;
    const blockRows = Math.min(rowBlock, rows - i0);
    const rowPanels = Math.ceil(blockRows / kernelRows);
    const columnPanels = Math.ceil(Math.min(chunkColumns, columns - j0) / panelColumns);
    const bBlock = bStart + (j0 / panelColumns) * bPanelStep;
    // A single row (batch 1) goes to `multiplyOne`: a four-row panel would compute three rows
    // of padding.
    const single = !transposeA && blockRows === 1;
    for (let p0 = 0; p0 < depth; p0 += depthBlock) {
      const blockDepth = Math.min(depthBlock, depth - p0);
      if (transposeA) {
        // Aᵀ read in place would touch a new cache line per depth step (`aRowStride` apart):
        // gather the block into row panels first.
        for (let panel = 0; panel < rowPanels; panel++) {
          kernels.gather(
            (aBase + p0 * aRowStride + i0 + panel * kernelRows) * bytes,
            aRowStride * bytes,
            (aPacked + panel * blockDepth * kernelRows) * bytes,
            kernelRows * bytes,
            blockDepth,
            bytes === 8 ? 1 : 0,
          );
        }
      }
      (single ? kernels.multiplyOne : kernels.multiply)(
        transposeA ? aPacked * bytes : (aBase + i0 * aRowStep + p0 * aDepthStep) * bytes,
        transposeA ? bytes : aRowStep * bytes,
        transposeA ? kernelRows * bytes : aDepthStep * bytes,
        transposeA ? kernelRows * blockDepth * bytes : (single ? 1 : kernelRows) * aRowStep * bytes,
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
        p0 === 0 && readC === 0 ? 0 : 1,
      );
    }
    ran++;
    if (control !== null) Atomics.add(control, layout.control.done, 1);
  }
  return ran;
}

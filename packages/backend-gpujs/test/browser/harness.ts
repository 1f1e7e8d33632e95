import { buildConformanceSuite, type OnnxVector, runCase } from '@recurrent/conformance';
import {
  activation,
  type Backend,
  type CellDefinition,
  cellVariants,
  createGru,
  gruCell,
  lstmCell,
  type PointwiseKernel,
  type RecurrentLayer,
  rnnCell,
} from '@recurrent/core';
import { createReferenceBackend } from '@recurrent/core/reference';
import { createGpuJsBackend, GpuJsBackendError, type GpuJsMode } from '../../src/index.js';

/**
 * The page side of `browser.test.ts`: bundled for the browser with this package's own entry
 * point, it runs a GRU forward and backward pass on the gpu.js backend and on core's float64
 * reference backend in the page, and reports the error of every tensor to the driving test.
 */

/** What one comparison run reports back to Node. */
export interface HarnessResult {
  readonly info: Backend['info'];
  /** max |a − r| / max(|r|, 1e-3) per tensor (output, states, every gradient). */
  readonly errors: Record<string, number>;
  /** Milliseconds for backend creation and for the whole first forward + backward (shader compiles included). */
  readonly createMs: number;
  readonly firstPassMs: number;
  /** Milliseconds for a second forward + backward with every shader already compiled. */
  readonly secondPassMs: number;
  readonly leakedBuffers: number;
}

/** A failed backend creation, as the page saw it. */
export interface HarnessError {
  readonly name: string;
  readonly message: string;
  readonly mode: string | undefined;
}

/** Deterministic values in [-1, 1) (xorshift), so both backends see the same data. */
function randomValues(length: number, seed: number): Float32Array {
  let state = seed >>> 0 || 1;
  const values = new Float32Array(length);
  for (let index = 0; index < length; index++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    values[index] = ((state >>> 0) / 0x100000000) * 2 - 1;
  }
  return values;
}

function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Number.POSITIVE_INFINITY;
  let scale = 1e-3;
  for (let index = 0; index < expected.length; index++) scale = Math.max(scale, Math.abs(expected[index]!));
  let worst = 0;
  for (let index = 0; index < expected.length; index++) {
    const error = Math.abs(actual[index]! - expected[index]!) / scale;
    worst = Number.isNaN(error) ? Number.POSITIVE_INFINITY : Math.max(worst, error);
  }
  return worst;
}

const batch = 3;
const steps = 10;
const inputSize = 5;
const options = { inputSize, hiddenSize: 16, bidirectional: true, seed: 7 } as const;

async function forwardBackward(layer: RecurrentLayer): Promise<Record<string, ArrayLike<number>>> {
  const x = { data: randomValues(batch * steps * inputSize, 11), shape: [batch, steps, inputSize] };
  const result = layer.forward(x, { training: true });
  const outputLength = result.output.shape.reduce((a, b) => a * b, 1);
  const gradients = layer.backward(result, {
    output: { data: randomValues(outputLength, 12), shape: result.output.shape },
  });
  const tensors: Record<string, ArrayLike<number>> = {
    output: await result.output.toArray(),
    hidden: await result.hidden.toArray(),
    dInput: await gradients.input!.toArray(),
    dInitialHidden: await gradients.initialHidden.toArray(),
  };
  for (const [layerIndex, layerGradients] of gradients.parameters.entries()) {
    for (const [direction, named] of layerGradients.entries()) {
      for (const [name, tensor] of Object.entries(named)) {
        if (tensor) tensors[`d${name}[${layerIndex}][${direction}]`] = await tensor.toArray();
      }
    }
  }
  result.dispose();
  gradients.dispose();
  return tensors;
}

/** Runs the comparison on `mode` (the backend's own choice when undefined). */
async function compareWithReference(mode: GpuJsMode | undefined): Promise<HarnessResult> {
  const createStart = performance.now();
  const backend = await createGpuJsBackend(mode === undefined ? {} : { mode });
  const createMs = performance.now() - createStart;
  try {
    const reference = createGru(createReferenceBackend(), options);
    const layer = createGru(backend, options);
    layer.setWeights(await reference.getWeights());
    const liveBefore = backend.liveBufferCount();
    const expected = await forwardBackward(reference);
    const firstStart = performance.now();
    const actual = await forwardBackward(layer);
    const firstPassMs = performance.now() - firstStart;
    const secondStart = performance.now();
    await forwardBackward(layer);
    const secondPassMs = performance.now() - secondStart;
    const errors: Record<string, number> = {};
    for (const [name, values] of Object.entries(expected)) {
      errors[name] = actual[name] ? relativeError(actual[name], values) : Number.POSITIVE_INFINITY;
    }
    const leakedBuffers = backend.liveBufferCount() - liveBefore;
    layer.dispose();
    reference.dispose();
    return { info: backend.info, errors, createMs, firstPassMs, secondPassMs, leakedBuffers };
  } finally {
    backend.destroy();
  }
}

function scaledProduct(a: number, b: number): number {
  return a * b + 0.5;
}

/** A kernel written here, not in core: two inputs, one step, one output that is added. */
const productKernel: PointwiseKernel = {
  name: 'harness/scaled-product',
  inputs: ['a', 'b'],
  steps: [{ name: 'p', args: ['a', 'b'], fn: scaledProduct }],
  outputs: ['p'],
  helpers: [],
};

/** Largest |a − r| / (1 + |r|). */
function pointError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Number.POSITIVE_INFINITY;
  let worst = 0;
  for (let index = 0; index < expected.length; index++) {
    const error = Math.abs(actual[index]! - expected[index]!) / (1 + Math.abs(expected[index]!));
    worst = Number.isNaN(error) ? Number.POSITIVE_INFINITY : Math.max(worst, error);
  }
  return worst;
}

/** One primitive check: its worst error and the bound it must stay under. */
export interface PrimitiveCheck {
  readonly error: number;
  readonly tolerance: number;
}

/**
 * The primitives on buffers larger than one texture row (4,096 elements in WebGL2), with
 * offsets, strides, transposes, `beta` and `add`, and reads and writes of one buffer in one
 * call: the same script on the backend and on the float64 reference, every buffer compared.
 */
async function comparePrimitives(mode: GpuJsMode): Promise<Record<string, PrimitiveCheck>> {
  const epsilon = 2 ** -23;
  const depth = 1100;
  const script = async (backend: Backend) => {
    const results: Record<string, ArrayLike<number>> = {};
    const upload = (length: number, seed: number) => {
      const buffer = backend.allocate(length);
      backend.write(buffer, randomValues(length, seed));
      return buffer;
    };
    // Writes and reads that start and end inside texture rows.
    const plain = backend.allocate(10_000);
    backend.write(plain, randomValues(6000, 1), 3000);
    results.write = await backend.download(plain, 2500, 7000);
    // GEMM: A and C share one buffer (disjoint regions); every transpose; alpha and beta.
    for (const [transposeA, transposeB] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      const shared = upload(60_000, 2);
      const other = upload(40_000, 3);
      const a = transposeA
        ? { buffer: shared, offset: 5, rows: depth, cols: 37, rowStride: 41 }
        : { buffer: shared, offset: 5, rows: 37, cols: depth, rowStride: 1103 };
      const b = transposeB
        ? { buffer: other, offset: 7, rows: 29, cols: depth, rowStride: 1101 }
        : { buffer: other, offset: 7, rows: depth, cols: 29, rowStride: 31 };
      const c = { buffer: shared, offset: 50_000, rows: 37, cols: 29, rowStride: 33 };
      backend.gemm(a, b, c, { transposeA, transposeB, alpha: 0.5, beta: 0.25 });
      results[`gemm ${transposeA ? 'T' : 'N'}${transposeB ? 'T' : 'N'}`] = await backend.download(shared);
      backend.dispose(shared);
      backend.dispose(other);
    }
    // Row sums over 1,200 rows into the same buffer, with beta.
    const sums = upload(30_000, 4);
    backend.sumRows(
      { buffer: sums, offset: 3, rows: 1200, cols: 13, rowStride: 17 },
      { buffer: sums, offset: 25_000, rows: 1, cols: 13, rowStride: 13 },
      0.5,
    );
    results.sumRows = await backend.download(sums);
    // A pointwise add into a view spanning texture rows of the buffer one input comes from.
    const values = upload(20_000, 5);
    const bias = upload(200, 6);
    backend.pointwise(productKernel, {
      rows: 50,
      units: 100,
      inputs: [
        { view: { buffer: values, offset: 11, rows: 50, cols: 120, rowStride: 120 }, column: 3 },
        { view: { buffer: bias, offset: 0, rows: 1, cols: 200, rowStride: 0 }, column: 50 },
      ],
      outputs: [
        {
          view: { buffer: values, offset: 9000, rows: 50, cols: 130, rowStride: 130 },
          column: 7,
          mode: 'add',
        },
      ],
    });
    results.pointwiseAdd = await backend.download(values);
    for (const buffer of [plain, sums, values, bias]) backend.dispose(buffer);
    return results;
  };
  const backend = await createGpuJsBackend({ mode });
  try {
    const expected = await script(createReferenceBackend());
    const actual = await script(backend);
    const checks: Record<string, PrimitiveCheck> = {};
    for (const [name, values] of Object.entries(expected)) {
      const tolerance = name.startsWith('gemm')
        ? 32 * Math.sqrt(depth) * epsilon
        : name === 'sumRows'
          ? 4 * 1200 * epsilon
          : 4 * epsilon;
      checks[name] = { error: pointError(actual[name]!, values), tolerance };
    }
    return checks;
  } finally {
    backend.destroy();
  }
}

/** The cells of `src/cell-kernels.test.ts`: every core variant plus a few activation choices. */
function kernelCells(): [string, CellDefinition][] {
  return [
    ...cellVariants.map((variant): [string, CellDefinition] => [variant.id, variant.create()]),
    ['gru hardSigmoid clip 3', gruCell({ gateActivation: activation('hardSigmoid'), clip: 3 })],
    [
      'lstm softsign/elu/scaledTanh',
      lstmCell({
        gateActivation: activation('softsign'),
        cellActivation: activation('elu', 0.5),
        hiddenActivation: activation('scaledTanh', 1.5, 0.7),
      }),
    ],
    ['rnn leakyRelu', rnnCell({ activation: activation('leakyRelu', 0.1) })],
    ['rnn softplus', rnnCell({ activation: activation('softplus') })],
  ];
}

/** One kernel launch with every output bound (odd ones in `add` mode), as `cell-kernels.test.ts` does. */
async function runCellKernel(
  backend: Backend,
  kernel: PointwiseKernel,
  cell: CellDefinition,
  data: Float32Array,
) {
  const rows = 3;
  const units = 7;
  const bound = kernel.inputs.filter((name) => !name.startsWith('c:'));
  const inputs = backend.allocate(rows * bound.length * units);
  backend.write(inputs, data.subarray(0, rows * bound.length * units));
  const outputs = backend.allocate(rows * kernel.outputs.length * units);
  backend.write(outputs, data.subarray(0, rows * kernel.outputs.length * units));
  const inputView = {
    buffer: inputs,
    offset: 0,
    rows,
    cols: bound.length * units,
    rowStride: bound.length * units,
  };
  const outputView = {
    buffer: outputs,
    offset: 0,
    rows,
    cols: kernel.outputs.length * units,
    rowStride: kernel.outputs.length * units,
  };
  backend.pointwise(kernel, {
    rows,
    units,
    inputs: kernel.inputs.map((name) =>
      name.startsWith('c:')
        ? (cell.constants[name] ?? 0)
        : { view: inputView, column: bound.indexOf(name) * units },
    ),
    outputs: kernel.outputs.map((_, index) => ({
      view: outputView,
      column: index * units,
      mode: index % 2 === 1 ? ('add' as const) : ('set' as const),
    })),
  });
  const result = await backend.download(outputs);
  backend.dispose(inputs);
  backend.dispose(outputs);
  return result;
}

/**
 * Every pointwise kernel of every cell (forward, backward, intermediate stages), inputs ×1 and
 * ×8 (saturating), against the float64 reference: worst |a − r| / (1 + |r|) per kernel.
 */
async function compareCellKernels(mode: GpuJsMode): Promise<Record<string, number>> {
  const backend = await createGpuJsBackend({ mode });
  const reference = createReferenceBackend();
  const errors: Record<string, number> = {};
  try {
    for (const [label, cell] of kernelCells()) {
      const kernels = [
        cell.forward,
        cell.backward,
        cell.intermediateForward,
        cell.intermediateBackward,
      ].filter((kernel): kernel is PointwiseKernel => kernel !== undefined);
      for (const kernel of kernels) {
        for (const scale of [1, 8]) {
          const data = randomValues(3 * 7 * 64, kernel.name.length * 31 + scale).map(
            (value) => value * scale,
          );
          const expected = await runCellKernel(reference, kernel, cell, data);
          const actual = await runCellKernel(backend, kernel, cell, data);
          errors[`${label}: ${kernel.name} ×${scale}`] = pointError(actual, expected);
        }
      }
    }
  } finally {
    backend.destroy();
  }
  return errors;
}

/** Creates a backend and reports how it failed, or null when it started. */
async function creationError(mode: GpuJsMode | undefined): Promise<HarnessError | null> {
  try {
    const backend = await createGpuJsBackend(mode === undefined ? {} : { mode });
    backend.destroy();
    return null;
  } catch (caught) {
    const error = caught as Error;
    return {
      name: error.name,
      message: error.message,
      mode: caught instanceof GpuJsBackendError ? caught.mode : undefined,
    };
  }
}

/** One conformance check's outcome, as the page reports it. */
export interface SuiteCheck {
  readonly id: string;
  readonly group: string;
  readonly status: string;
  readonly message: string;
}

/**
 * The whole shared conformance suite on `mode`, in the page, case by case as the suite's vitest
 * adapter runs it (the report runner, `runConformance`, lives in `@recurrent/conformance/node`).
 * The ONNX vectors come from the test, which reads them from disk.
 */
async function runSuite(mode: GpuJsMode, vectors: readonly OnnxVector[]): Promise<SuiteCheck[]> {
  const backend = await createGpuJsBackend({ mode });
  const reference = createReferenceBackend();
  const context = {
    backend,
    backendName: `gpujs-${mode}`,
    reference,
    expected: { device: mode, dtype: 'float32' as const },
  };
  const checks: SuiteCheck[] = [];
  try {
    for (const testCase of buildConformanceSuite({ vectors })) {
      const result = await runCase(testCase, context);
      checks.push({ id: result.id, group: result.group, status: result.status, message: result.message });
    }
  } finally {
    backend.destroy();
    reference.destroy();
  }
  return checks;
}

type WorkerReply = { readonly result: HarnessResult } | { readonly error: string };

/**
 * The GRU comparison in a dedicated module worker (this same bundle), where applications run
 * long work: workers have `navigator.gpu` and `OffscreenCanvas`, not `document`.
 */
function compareInWorker(mode: GpuJsMode | undefined): Promise<HarnessResult> {
  const worker = new Worker(new URL(import.meta.url), { type: 'module' });
  return new Promise<HarnessResult>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<WorkerReply>) => {
      if ('result' in event.data) resolve(event.data.result);
      else reject(new Error(`in the worker: ${event.data.error}`));
    };
    worker.onerror = (event) => reject(new Error(`worker failed: ${event.message}`));
    worker.postMessage({ mode });
  }).finally(() => worker.terminate());
}

const harness = {
  compareWithReference,
  compareInWorker,
  comparePrimitives,
  compareCellKernels,
  creationError,
  runSuite,
};
const inWorker = typeof document === 'undefined' && typeof postMessage === 'function';
if (inWorker) {
  addEventListener('message', (event) => {
    const { mode } = (event as MessageEvent<{ mode: GpuJsMode | undefined }>).data;
    compareWithReference(mode).then(
      (result) => postMessage({ result } satisfies WorkerReply),
      (error: unknown) =>
        postMessage({
          error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        } satisfies WorkerReply),
    );
  });
}
export type Harness = typeof harness;
(globalThis as { recurrentHarness?: Harness }).recurrentHarness = harness;

/**
 * GEMM micro-benchmark for the shapes an RNN pass runs (`pnpm --filter @recurrent/backend-cpu bench`).
 * For each shape and dtype: GFLOP/s per CPU second of this package's two GEMMs (WebAssembly SIMD
 * and TypeScript), median of 7 timed runs after 2 warm-up runs, each timed run repeated until it
 * lasts ≥ 20 ms of CPU time, against a naive i-j-p triple loop in the same process. The naive loop runs on a prefix of rows (≥ 1) so that one run stays
 * near 20 MFLOP; its GFLOP/s are per-element rates and so comparable.
 * Per-step products reuse the packed recurrent weights between calls, as they do across the time
 * steps of a pass; the all-step products pack their B operand on every call.
 * Prints a Markdown table; `--json` prints the rows as JSON instead; `--write-readme` also puts
 * the table into the package README.
 */
import { cpus } from 'node:os';
import { createGemmScratch, type GemmOperand, gemm } from '../src/gemm.js';
import { createWasmGemm } from '../src/wasm-gemm.js';
import { writeReadmeSection } from './readme-table.js';

interface Shape {
  readonly label: string;
  readonly rows: number;
  readonly depth: number;
  readonly columns: number;
  readonly transposeA: boolean;
  readonly transposeB: boolean;
  /** A per-step product: B (the recurrent weights) is unchanged between calls, as in a pass. */
  readonly step?: boolean;
}

// Names: a = standard (B 32, T 64, I 64, H 128, GRU G·H 384), b = large (B 64, T 128, I 128, H 256, G·H 1024: LSTM).
const shapes: Shape[] = [
  {
    label: 'step h·Uᵀ (std)',
    rows: 32,
    depth: 128,
    columns: 384,
    transposeA: false,
    transposeB: true,
    step: true,
  },
  {
    label: 'step dG·U (std)',
    rows: 32,
    depth: 384,
    columns: 128,
    transposeA: false,
    transposeB: false,
    step: true,
  },
  {
    label: 'step h·Uᵀ (large)',
    rows: 64,
    depth: 256,
    columns: 1024,
    transposeA: false,
    transposeB: true,
    step: true,
  },
  { label: 'x·Wᵀ all steps (std)', rows: 2048, depth: 64, columns: 384, transposeA: false, transposeB: true },
  {
    label: 'x·Wᵀ all steps (large)',
    rows: 8192,
    depth: 128,
    columns: 1024,
    transposeA: false,
    transposeB: true,
  },
  { label: 'dW = dGᵀ·x (std)', rows: 384, depth: 2048, columns: 64, transposeA: true, transposeB: false },
  { label: 'dW = dGᵀ·x (large)', rows: 1024, depth: 8192, columns: 128, transposeA: true, transposeB: false },
  { label: 'dX = dG·W (std)', rows: 2048, depth: 384, columns: 64, transposeA: false, transposeB: false },
  { label: 'dX = dG·W (large)', rows: 8192, depth: 1024, columns: 128, transposeA: false, transposeB: false },
];

type ArrayType = Float32ArrayConstructor | Float64ArrayConstructor;

/** `identity` 0 marks an operand the wasm GEMM may not cache (a new buffer every call). */
function operand(Type: ArrayType, rows: number, cols: number, identity = 0): GemmOperand {
  const data = new Type(rows * cols);
  for (let index = 0; index < data.length; index++) data[index] = Math.sin(index) * 0.5;
  return { data, offset: 0, rowStride: cols, identity, version: 0 };
}

function naive(shape: Shape, rows: number, a: GemmOperand, b: GemmOperand, c: GemmOperand): void {
  const { depth, columns, transposeA, transposeB } = shape;
  const ad = a.data;
  const bd = b.data;
  const cd = c.data;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < columns; j++) {
      let sum = 0;
      for (let p = 0; p < depth; p++) {
        const av = transposeA ? ad[p * a.rowStride + i]! : ad[i * a.rowStride + p]!;
        const bv = transposeB ? bd[j * b.rowStride + p]! : bd[p * b.rowStride + j]!;
        sum += av * bv;
      }
      cd[i * c.rowStride + j] = sum;
    }
  }
}

/** Seconds of this process's CPU time (user + system) since `start`. */
function cpuSeconds(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

/**
 * Median seconds per call of `run`, after warm-up, in CPU time of this (single-threaded) process:
 * on a shared machine that is loaded by other work, wall time measures the other work too.
 */
function time(run: () => void): number {
  for (let warm = 0; warm < 2; warm++) run();
  const start = process.cpuUsage();
  run();
  const once = Math.max(cpuSeconds(start) * 1000, 0.01);
  const repeats = Math.max(1, Math.ceil(20 / once));
  const samples: number[] = [];
  for (let sample = 0; sample < 7; sample++) {
    const begin = process.cpuUsage();
    for (let repeat = 0; repeat < repeats; repeat++) run();
    samples.push(cpuSeconds(begin) / repeats);
  }
  samples.sort((x, y) => x - y);
  return samples[3]!;
}

interface Result {
  shape: string;
  dims: string;
  dtype: string;
  wasmGflops: number;
  typescriptGflops: number;
  naiveGflops: number;
}

const results: Result[] = [];
for (const shape of shapes) {
  for (const Type of [Float32Array, Float64Array] as ArrayType[]) {
    const { rows, depth, columns, transposeA, transposeB } = shape;
    const a = transposeA ? operand(Type, depth, rows) : operand(Type, rows, depth);
    const identity = shape.step ? 1 : 0;
    const b = transposeB ? operand(Type, columns, depth, identity) : operand(Type, depth, columns, identity);
    const c = operand(Type, rows, columns);
    const scratch = createGemmScratch();
    const flops = 2 * rows * depth * columns;
    const seconds = time(() => gemm(scratch, rows, columns, depth, a, transposeA, b, transposeB, c, 1, 0));
    const wasmGemm = createWasmGemm(Type === Float32Array ? 'f32' : 'f64')!;
    const wasmSeconds = time(
      () => void wasmGemm.run(rows, columns, depth, a, transposeA, b, transposeB, c, 1, 0),
    );
    const naiveRows = Math.max(1, Math.min(rows, Math.floor(20e6 / (2 * depth * columns))));
    const naiveSeconds = time(() => naive(shape, naiveRows, a, b, c));
    results.push({
      shape: shape.label,
      dims: `${transposeA ? 'T' : 'N'}${transposeB ? 'T' : 'N'} ${rows}×${depth}·${depth}×${columns}`,
      dtype: Type === Float32Array ? 'float32' : 'float64',
      wasmGflops: flops / wasmSeconds / 1e9,
      typescriptGflops: flops / seconds / 1e9,
      naiveGflops: (2 * naiveRows * depth * columns) / naiveSeconds / 1e9,
    });
  }
}

const machine = `${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpus()[0]?.model}, Node ${process.version}`;
const table = [
  '| shape | op | dtype | wasm SIMD | TypeScript | naive | wasm ÷ naive |',
  '| --- | --- | --- | ---: | ---: | ---: | ---: |',
  ...results.map(
    (result) =>
      `| ${result.shape} | ${result.dims} | ${result.dtype} | ${result.wasmGflops.toFixed(1)} | ` +
      `${result.typescriptGflops.toFixed(2)} | ${result.naiveGflops.toFixed(2)} | ` +
      `${(result.wasmGflops / result.naiveGflops).toFixed(0)}× |`,
  ),
].join('\n');
if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ date: new Date().toISOString(), cpu: cpus()[0]?.model, results }, null, 2));
} else {
  console.log(`${machine}\n${table}`);
}
if (process.argv.includes('--write-readme')) writeReadmeSection('gemm-bench', `${machine}:\n\n${table}`);

/**
 * `@recurrent/core`'s Backend on typed arrays: float32 or float64 buffers in host memory,
 * a cache-blocked GEMM, row sums, and pointwise kernels compiled to WebAssembly SIMD (or to
 * JavaScript loops where that is not possible). Every call runs synchronously when it is made,
 * so `flush` has nothing to wait for.
 */
import type {
  Backend,
  BackendInfo,
  DeviceBuffer,
  DType,
  GemmOptions,
  MatrixView,
  PointwiseKernel,
  PointwiseLaunch,
} from '@recurrent/core';
import { type CpuBuffer, resolveBuffer } from './cpu-buffer.js';
import { cpuModel } from './cpu-model.js';
import { CpuBackendError } from './errors.js';
import { createGemmScratch, type GemmOperand, gemm, scaleMatrix } from './gemm.js';
import { defaultGemmThreads } from './gemm-thread-pool.js';
import { emptySignature, type LaunchSignature, recordSignature, sameSignature } from './launch-signature.js';
import { type KernelPlan, planKernel, runPointwiseGeneric } from './pointwise.js';
import {
  type CompiledPointwise,
  compilePointwise,
  constantsKey,
  launchPattern,
} from './pointwise-compile.js';
import { emptyLaunch, resolveLaunch } from './pointwise-launch.js';
import { createPointwisePaths } from './pointwise-paths.js';
import { sumRows } from './sum-rows.js';
import { checkView } from './view-check.js';
import { viewsOverlap } from './view-overlap.js';
import { createWasmGemm } from './wasm-gemm.js';
import { createWasmPointwise, type WasmPointwiseLoop } from './wasm-pointwise.js';

export interface CpuBackendOptions {
  /** Element type of every buffer. Default `float32`. */
  readonly dtype?: DType;
  /**
   * Run GEMMs on WebAssembly SIMD when the runtime supports it (default `true`); `false` forces
   * the TypeScript GEMM (and the JavaScript pointwise loops). `info.device` says which GEMM runs:
   * `wasm` or `cpu`.
   */
  readonly wasm?: boolean;
  /**
   * Run pointwise kernels (the cells' gates) as WebAssembly SIMD modules compiled from their
   * source (default `true`; `wasm: false` turns this off too). Kernels the compiler does not
   * understand run as JavaScript loops either way. In float32 the WebAssembly path computes in
   * float32 lanes; `false` keeps the JavaScript loops, which compute in float64 and round once
   * per store.
   */
  readonly wasmPointwise?: boolean;
  /**
   * Threads that share each large WebAssembly GEMM (the calling thread and `threads − 1` workers
   * of a pool shared by all backends of this thread). Default: the CPUs Node reports, at most 8;
   * 1 in browsers and wherever worker threads or shared WebAssembly memory are unavailable
   * (`info.adapter` says how many run). Results are bit-identical for any thread count.
   */
  readonly threads?: number;
}

/** Per kernel: its resolved dataflow and its compiled loops by pattern (and constants). */
interface KernelEntry {
  readonly plan: KernelPlan;
  readonly loops: Map<string, CompiledPointwise | null>;
  /** WebAssembly modules by pattern and constants; null where the kernel did not compile. */
  readonly wasmLoops: Map<string, WasmPointwiseLoop | null>;
  specialised: number;
  /** The previous launch's signature and what it ran, so a repeat (every time step) skips the keys. */
  readonly last: LaunchSignature;
}

const SPECIALISED_LOOPS = 16;

function emptyOperand(): GemmOperand {
  return { data: new Float64Array(0), offset: 0, rowStride: 0, identity: 0, version: 0 };
}

export function createCpuBackend(options: CpuBackendOptions = {}): Backend {
  const dtype: DType = options.dtype ?? 'float32';
  if (dtype !== 'float32' && dtype !== 'float64') {
    throw new CpuBackendError(
      'createCpuBackend',
      `dtype is ${String(dtype)}; expected 'float32' or 'float64'`,
    );
  }
  const threads = options.threads ?? defaultGemmThreads();
  if (!Number.isInteger(threads) || threads < 1) {
    throw new CpuBackendError(
      'createCpuBackend',
      `threads is ${String(threads)}; expected a positive integer`,
    );
  }
  const ArrayType = dtype === 'float64' ? Float64Array : Float32Array;
  const wasmGemm =
    options.wasm === false ? null : createWasmGemm(dtype === 'float64' ? 'f64' : 'f32', threads);
  const model = cpuModel();
  const gemmThreads = wasmGemm?.threads ?? 1;
  const adapter = gemmThreads > 1 ? `${model ?? 'CPU'}, ${gemmThreads} threads` : model;
  const wasmPointwise =
    options.wasm === false || options.wasmPointwise === false
      ? null
      : createWasmPointwise(dtype === 'float64' ? 'f64' : 'f32');
  const info: BackendInfo = {
    name: 'cpu',
    dtype,
    device: wasmGemm ? 'wasm' : 'cpu',
    ...(adapter ? { adapter } : {}),
    deterministic: true,
  };
  const live = new Set<CpuBuffer>();
  const gemmScratch = createGemmScratch();
  const sumScratch = { sums: new Float64Array(0) };
  const operands = { a: emptyOperand(), b: emptyOperand(), c: emptyOperand() };
  const launch = emptyLaunch();
  let kernels = new WeakMap<PointwiseKernel, KernelEntry>();
  let nextId = 1;
  let destroyed = false;

  function ensureAlive(operation: string): void {
    if (destroyed) throw new CpuBackendError(operation, 'the backend was destroyed');
  }

  function fillOperand(operand: GemmOperand, buffer: CpuBuffer, view: MatrixView): GemmOperand {
    operand.data = buffer.data;
    operand.offset = view.offset;
    operand.rowStride = view.rowStride;
    operand.identity = buffer.id;
    operand.version = buffer.version;
    return operand;
  }

  const backend: Backend = {
    info,

    allocate(length: number): DeviceBuffer {
      ensureAlive('allocate');
      if (!Number.isInteger(length) || length < 0) {
        throw new CpuBackendError('allocate', `length is ${length}; expected a non-negative integer`);
      }
      const buffer: CpuBuffer = {
        id: nextId++,
        length,
        owner: backend,
        data: new ArrayType(length),
        disposed: false,
        version: 0,
      };
      live.add(buffer);
      return buffer;
    },

    write(buffer: DeviceBuffer, data: ArrayLike<number>, offset = 0): void {
      const target = resolveBuffer(backend, buffer, 'write');
      if (!Number.isInteger(offset) || offset < 0 || offset + data.length > target.length) {
        throw new CpuBackendError(
          'write',
          `${data.length} elements at offset ${offset} do not fit buffer #${target.id} of ${target.length}`,
        );
      }
      target.data.set(data, offset);
      target.version++;
    },

    async download(buffer: DeviceBuffer, offset = 0, length?: number): Promise<Float32Array | Float64Array> {
      const source = resolveBuffer(backend, buffer, 'download');
      const count = length ?? source.length - offset;
      if (!Number.isInteger(offset) || !Number.isInteger(count) || offset < 0 || count < 0) {
        throw new CpuBackendError(
          'download',
          `offset ${offset} and length ${count} must be non-negative integers`,
        );
      }
      if (offset + count > source.length) {
        throw new CpuBackendError(
          'download',
          `elements [${offset}, ${offset + count}) are outside buffer #${source.id} of ${source.length}`,
        );
      }
      return source.data.slice(offset, offset + count);
    },

    dispose(buffer: DeviceBuffer): void {
      if (buffer.owner !== backend) {
        throw new CpuBackendError('dispose', 'buffer belongs to another backend instance');
      }
      const cpuBuffer = buffer as CpuBuffer;
      if (cpuBuffer.disposed) return;
      cpuBuffer.disposed = true;
      cpuBuffer.data = new ArrayType(0);
      live.delete(cpuBuffer);
    },

    isDisposed(buffer: DeviceBuffer): boolean {
      if (buffer.owner !== backend) {
        throw new CpuBackendError('isDisposed', 'buffer belongs to another backend instance');
      }
      return (buffer as CpuBuffer).disposed;
    },

    liveBufferCount(): number {
      return live.size;
    },

    gemm(a: MatrixView, b: MatrixView, c: MatrixView, gemmOptions: GemmOptions = {}): void {
      ensureAlive('gemm');
      const transposeA = gemmOptions.transposeA ?? false;
      const transposeB = gemmOptions.transposeB ?? false;
      const alpha = gemmOptions.alpha ?? 1;
      const beta = gemmOptions.beta ?? 0;
      const rows = transposeA ? a.cols : a.rows;
      const depth = transposeA ? a.rows : a.cols;
      const columns = transposeB ? b.rows : b.cols;
      const depthOfB = transposeB ? b.cols : b.rows;
      if (depth !== depthOfB || c.rows !== rows || c.cols !== columns) {
        throw new CpuBackendError(
          'gemm',
          `op(A) is [${rows}, ${depth}], op(B) is [${depthOfB}, ${columns}] and C is [${c.rows}, ${c.cols}]; ` +
            `expected C = [${rows}, ${columns}] and equal inner sizes`,
        );
      }
      const aBuffer = checkView(backend, a, 'gemm', 'A', { broadcast: true });
      const bBuffer = checkView(backend, b, 'gemm', 'B', { broadcast: true });
      const cBuffer = checkView(backend, c, 'gemm', 'C');
      if (viewsOverlap(a, c) || viewsOverlap(b, c)) {
        throw new CpuBackendError('gemm', 'C overlaps A or B; the output must be separate memory');
      }
      if (rows === 0 || columns === 0) return;
      cBuffer.version++;
      const operandA = fillOperand(operands.a, aBuffer, a);
      const operandB = fillOperand(operands.b, bBuffer, b);
      const operandC = fillOperand(operands.c, cBuffer, c);
      if (depth === 0 || alpha === 0) scaleMatrix(operandC, rows, columns, beta);
      else if (
        !wasmGemm?.run(
          rows,
          columns,
          depth,
          operandA,
          transposeA,
          operandB,
          transposeB,
          operandC,
          alpha,
          beta,
        )
      ) {
        // No WebAssembly SIMD here, or a product too large for 32-bit WebAssembly memory.
        gemm(
          gemmScratch,
          rows,
          columns,
          depth,
          operandA,
          transposeA,
          operandB,
          transposeB,
          operandC,
          alpha,
          beta,
        );
      }
    },

    sumRows(src: MatrixView, out: MatrixView, beta = 0): void {
      ensureAlive('sumRows');
      if (out.rows !== 1 || out.cols !== src.cols) {
        throw new CpuBackendError('sumRows', `out is [${out.rows}, ${out.cols}]; expected [1, ${src.cols}]`);
      }
      const source = checkView(backend, src, 'sumRows', 'src', { broadcast: true }).data;
      const outBuffer = checkView(backend, out, 'sumRows', 'out');
      if (viewsOverlap(src, out)) throw new CpuBackendError('sumRows', 'out overlaps src');
      outBuffer.version++;
      sumRows(
        sumScratch,
        source,
        src.offset,
        src.rows,
        src.cols,
        src.rowStride,
        outBuffer.data,
        out.offset,
        beta,
      );
    },

    pointwise(kernel: PointwiseKernel, pointwiseLaunch: PointwiseLaunch): void {
      ensureAlive('pointwise');
      const { rows, units, inputs, outputs } = pointwiseLaunch;
      if (inputs.length !== kernel.inputs.length || outputs.length !== kernel.outputs.length) {
        throw new CpuBackendError(
          'pointwise',
          `kernel ${kernel.name} takes ${kernel.inputs.length} inputs and ${kernel.outputs.length} outputs; ` +
            `the launch binds ${inputs.length} and ${outputs.length}`,
        );
      }
      if (!Number.isInteger(rows) || !Number.isInteger(units) || rows < 0 || units < 0) {
        throw new CpuBackendError(
          'pointwise',
          `launch is ${rows} × ${units}; expected non-negative integers`,
        );
      }
      let entry = kernels.get(kernel);
      if (!entry) {
        entry = {
          plan: planKernel(kernel),
          loops: new Map(),
          wasmLoops: new Map(),
          specialised: 0,
          last: emptySignature(),
        };
        kernels.set(kernel, entry);
      }
      resolveLaunch(backend, kernel, pointwiseLaunch, launch);
      if (rows === 0 || units === 0) return;
      // Loops are specialised to the constants' values (activation kinds fold away) until a kernel
      // has seen SPECIALISED_LOOPS sets of them; after that, one loop reads the constants.
      let pattern: string;
      let key: string;
      if (sameSignature(entry.last, launch)) {
        pattern = entry.last.pattern;
        key = entry.last.key;
      } else {
        pattern = launchPattern(launch);
        key = `${pattern}|${constantsKey(launch)}`;
        recordSignature(entry.last, launch, pattern, key);
      }
      if (wasmPointwise) {
        // Modules are specialised to the constants too (their branches fold away), for at most
        // SPECIALISED_LOOPS sets per kernel; launches past that, kernels outside the compiler's
        // subset and launches whose spans do not suit copying run the JavaScript loops below.
        let wasmLoop = entry.wasmLoops.get(key);
        if (wasmLoop === undefined && entry.wasmLoops.size < SPECIALISED_LOOPS) {
          const compiled = wasmPointwise.compile(kernel, entry.plan, pattern, launch.constants);
          wasmLoop = typeof compiled === 'string' ? null : compiled;
          if (typeof compiled === 'string') paths.fallbacks.push(`${kernel.name} ${pattern}: ${compiled}`);
          entry.wasmLoops.set(key, wasmLoop);
        }
        if (wasmLoop?.(launch)) {
          paths.wasm++;
          return;
        }
      }
      let loop = entry.loops.get(key) ?? entry.loops.get(pattern);
      if (loop === undefined) {
        const specialise = entry.specialised < SPECIALISED_LOOPS;
        loop = compilePointwise(entry.plan, pattern, specialise ? launch.constants : undefined);
        entry.loops.set(specialise ? key : pattern, loop);
        if (specialise) entry.specialised++;
      }
      if (loop) {
        paths.compiled++;
        loop(launch);
      } else {
        paths.generic++;
        runPointwiseGeneric(entry.plan, launch);
      }
    },

    flush(): Promise<void> {
      return Promise.resolve();
    },

    destroy(): void {
      for (const buffer of live) {
        buffer.disposed = true;
        buffer.data = new ArrayType(0);
      }
      live.clear();
      kernels = new WeakMap();
      wasmGemm?.release();
      destroyed = true;
    },
  };
  const paths = createPointwisePaths(backend);
  return backend;
}

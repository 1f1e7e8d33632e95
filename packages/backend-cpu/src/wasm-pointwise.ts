/**
 * Pointwise kernels compiled to WebAssembly SIMD. Per (kernel, binding pattern, constant values)
 * the step functions are parsed from their source, inlined into one vector graph with the
 * constants folded and branches if-converted (`scalar-function-lowering.ts`), and emitted as a
 * module (`wasm-pointwise-module.ts`) that runs 4 float32 or 2 float64 lanes per instruction.
 *
 * Data: backend buffers are JavaScript typed arrays, so each launch copies what it touches into
 * the engine's WebAssembly memory and back. Channels are grouped by buffer; each buffer's span
 * (from the first element any of its channels touches to the last) is copied in with one
 * `TypedArray.set` (a memcpy) and, when outputs live in it, copied back with another. The module
 * addresses channels in place inside those copies through (address, row step) pairs, so column
 * windows of a wide matrix (the gates of a `[B, G·H]` projection) and broadcast rows need no
 * gathering. A span that is mostly elements no channel touches is not copied: the launch returns
 * false and the caller runs the JavaScript loop.
 */
import type { PointwiseKernel } from '@recurrent/core';
import type { CpuArray } from './cpu-buffer.js';
import type { KernelPlan, ResolvedLaunch } from './pointwise.js';
import { Graph } from './pointwise-graph.js';
import { lowerKernel } from './pointwise-kernel-graph.js';
import type { Element } from './wasm-math.js';
import { buildPointwiseModule } from './wasm-pointwise-module.js';
import { growMemory, wasmRuntime } from './wasm-runtime.js';

/** Runs one launch; false (nothing changed) when its spans do not suit copying (caller falls back). */
export type WasmPointwiseLoop = (launch: ResolvedLaunch) => boolean;

export interface WasmPointwiseEngine {
  readonly element: Element;
  /**
   * Compiles a kernel for a binding pattern and constant values, or returns the reason it
   * cannot (a function outside the subset, a module the runtime rejects).
   */
  compile(
    kernel: PointwiseKernel,
    plan: KernelPlan,
    pattern: string,
    constants: readonly number[],
  ): WasmPointwiseLoop | string;
}

const MAX_BYTES = 2 ** 31;
/** Regions start after the channel table. */
const TABLE_BYTES = 1024;
/**
 * Elements below which copying a little more costs less than another `subarray` + `set` call
 * (about 130 ns each in Node 20, whatever the length up to a few hundred elements).
 */
const SHORT_REGION = 256;
/** Copy a buffer's span only while it is at most this many times the elements the launch touches. */
const SPAN_WASTE = 4;

let simdAvailable: boolean | undefined;

/** Whether this runtime validates a module using SIMD (f32x4 and f64x2). */
export function wasmSimdAvailable(): boolean {
  if (simdAvailable === undefined) {
    try {
      const graph = new Graph();
      const x = graph.input(0);
      const bytes = buildPointwiseModule({
        element: 'f64',
        inputs: [0],
        outputs: [{ node: graph.float('add', x, graph.constant(1)), add: false }],
        patterns: [],
      });
      simdAvailable = wasmRuntime()?.validate(bytes) ?? false;
    } catch {
      simdAvailable = false;
    }
  }
  return simdAvailable;
}

/** An engine for one element type with its own memory, or null without WebAssembly SIMD. */
export function createWasmPointwise(element: Element): WasmPointwiseEngine | null {
  const runtime = wasmRuntime();
  if (!runtime || !wasmSimdAvailable()) return null;
  const memory = new runtime.Memory({ initial: 1 });
  const elementBytes = element === 'f32' ? 4 : 8;
  const lanes = 16 / elementBytes;
  const View = element === 'f32' ? Float32Array : Float64Array;
  let heap: CpuArray = new View(memory.buffer);
  let table = new Int32Array(memory.buffer, 0, TABLE_BYTES / 4);

  function reserve(bytes: number): boolean {
    // `heap` spans the whole memory, which only this thread grows; reading `memory.buffer` costs
    // a call into the engine on every launch.
    if (bytes <= heap.byteLength) return true;
    if (!growMemory(memory, heap.byteLength, bytes, MAX_BYTES)) return false;
    heap = new View(memory.buffer);
    table = new Int32Array(memory.buffer, 0, TABLE_BYTES / 4);
    return true;
  }

  // Per-launch scratch, reused: the channels' arrays, bases and steps; the regions (one per buffer).
  const channelData: CpuArray[] = [];
  const channelBase: number[] = [];
  const channelStride: number[] = [];
  const regionData: CpuArray[] = [];
  const regionLow: number[] = [];
  const regionHigh: number[] = [];
  const regionStart: number[] = [];
  const regionWrites: boolean[] = [];
  const regionReads: boolean[] = [];
  const regionTiles: boolean[] = [];
  const regionStride: number[] = [];
  const regionNext: number[] = [];
  const regionChannel: number[] = [];
  const channelRegion: number[] = [];
  const channelGroup: number[] = [];
  const channelLow: number[] = [];
  const channelHigh: number[] = [];
  const order: number[] = [];
  const channelBuffer: number[] = [];
  const channelVersion: number[] = [];
  // The loop that last ran on this engine's memory: only after a launch of the same loop can a
  // read-only region still be in place from the previous launch.
  let lastLoop: object | null = null;

  function makeLoop(
    run: (rows: number, units: number) => void,
    inputs: number[],
    outputIndices: number[],
    adds: boolean[],
  ): WasmPointwiseLoop {
    const inputCount = inputs.length;
    const channels = inputCount + outputIndices.length;
    // Read-only regions of this loop's previous launch: which buffer span, at which write count,
    // copied where. A bias (or any input unchanged since) found again at the same place is not
    // copied again.
    const previousBuffer: number[] = [];
    const previousVersion: number[] = [];
    const previousLow: number[] = [];
    const previousHigh: number[] = [];
    const previousStart: number[] = [];
    let previousRegions = 0;
    const token = {};
    return (launch) => {
      const { rows, units } = launch;
      for (let c = 0; c < channels; c++) {
        const input = c < inputCount;
        const k = input ? inputs[c]! : outputIndices[c - inputCount]!;
        channelData[c] = (input ? launch.inputData[k] : launch.outputData[k])!;
        channelBase[c] = input ? launch.inputBase[k]! : launch.outputBase[k]!;
        channelStride[c] = rows > 1 ? (input ? launch.inputStride[k]! : launch.outputStride[k]!) : 0;
        channelBuffer[c] = input ? launch.inputBuffer[k]! : 0;
        channelVersion[c] = input ? launch.inputVersion[k]! : 0;
      }
      // Regions: channels of one buffer whose spans overlap (interleaved column windows, an
      // input aliasing an output) share one copy; disjoint spans are copied separately.
      let touched = 0;
      for (let c = 0; c < channels; c++) {
        const data = channelData[c]!;
        let group = 0;
        while (channelData[group] !== data) group++;
        channelGroup[c] = group;
        channelLow[c] = channelBase[c]!;
        channelHigh[c] = channelBase[c]! + (rows - 1) * channelStride[c]! + units;
        touched += channelStride[c] === 0 ? units : rows * units;
        // Insertion sort by (buffer, first element).
        let position = c;
        while (
          position > 0 &&
          (channelGroup[order[position - 1]!]! > group ||
            (channelGroup[order[position - 1]!] === group &&
              channelLow[order[position - 1]!]! > channelLow[c]!))
        ) {
          order[position] = order[position - 1]!;
          position--;
        }
        order[position] = c;
      }
      let regions = 0;
      for (let i = 0; i < channels; i++) {
        const c = order[i]!;
        const output = c >= inputCount;
        const setOutput = output && !adds[c - inputCount]!;
        const last = regions - 1;
        const sameBuffer = regions > 0 && regionData[last] === channelData[c];
        // Spans that only touch (a batch-1 launch's gate windows side by side) share one copy
        // too when that copies nothing more: both read-only, or a tiling of set outputs going
        // on; or when the region stays short enough that one more call costs more than the
        // extra elements.
        const touching =
          sameBuffer &&
          channelLow[c] === regionHigh[last] &&
          ((!output && !regionWrites[last]) ||
            (setOutput && regionTiles[last]!) ||
            channelHigh[c]! - regionLow[last]! <= SHORT_REGION);
        if (touching || (sameBuffer && channelLow[c]! < regionHigh[last]!)) {
          regionHigh[last] = Math.max(regionHigh[last]!, channelHigh[c]!);
          regionWrites[last] ||= output;
          // Still a tiling of set outputs: same row step, this window starts where the last ended.
          regionTiles[last] &&=
            setOutput && channelStride[c] === regionStride[last] && channelLow[c] === regionNext[last];
          regionNext[last] = channelLow[c]! + units;
        } else {
          regionData[regions] = channelData[c]!;
          regionLow[regions] = channelLow[c]!;
          regionHigh[regions] = channelHigh[c]!;
          regionWrites[regions] = output;
          regionTiles[regions] = setOutput;
          regionStride[regions] = channelStride[c]!;
          regionNext[regions] = channelLow[c]! + units;
          regionChannel[regions] = c;
          regions++;
        }
        channelRegion[c] = regions - 1;
      }
      for (let region = 0; region < regions; region++) {
        // A region is not read when set outputs tile it: every element in it is overwritten.
        const tiled =
          regionTiles[region]! &&
          (rows === 1 || regionNext[region]! - regionLow[region]! === regionStride[region]);
        regionReads[region] = !tiled;
      }
      let end = TABLE_BYTES / elementBytes;
      let spans = 0;
      for (let region = 0; region < regions; region++) {
        regionStart[region] = end;
        const span = regionHigh[region]! - regionLow[region]!;
        spans += span;
        end += Math.ceil(span / lanes) * lanes;
      }
      if (spans > SPAN_WASTE * touched + 1024 || !reserve((end + lanes) * elementBytes)) {
        for (let region = 0; region < regions; region++) regionData[region] = heap;
        for (let c = 0; c < channels; c++) channelData[c] = heap;
        return false;
      }
      const inPlace = lastLoop === token;
      for (let region = 0; region < regions; region++) {
        if (!regionReads[region]) continue;
        const channel = regionChannel[region]!;
        if (
          inPlace &&
          !regionWrites[region] &&
          region < previousRegions &&
          previousBuffer[region] === channelBuffer[channel] &&
          previousVersion[region] === channelVersion[channel] &&
          previousLow[region] === regionLow[region] &&
          previousHigh[region] === regionHigh[region] &&
          previousStart[region] === regionStart[region]
        ) {
          continue;
        }
        heap.set(regionData[region]!.subarray(regionLow[region]!, regionHigh[region]!), regionStart[region]!);
      }
      // A written region's memory holds this launch's results: never reused as an input copy.
      for (let region = 0; region < regions; region++) {
        const channel = regionChannel[region]!;
        previousBuffer[region] = regionWrites[region] ? -1 : channelBuffer[channel]!;
        previousVersion[region] = channelVersion[channel]!;
        previousLow[region] = regionLow[region]!;
        previousHigh[region] = regionHigh[region]!;
        previousStart[region] = regionStart[region]!;
      }
      previousRegions = regions;
      lastLoop = token;
      for (let c = 0; c < channels; c++) {
        const region = channelRegion[c]!;
        table[2 * c] = (regionStart[region]! + channelBase[c]! - regionLow[region]!) * elementBytes;
        table[2 * c + 1] = channelStride[c]! * elementBytes;
      }
      run(rows, units);
      for (let region = 0; region < regions; region++) {
        if (regionWrites[region]) {
          const start = regionStart[region]!;
          regionData[region]!.set(
            heap.subarray(start, start + regionHigh[region]! - regionLow[region]!),
            regionLow[region]!,
          );
        }
        // Drop the references so finished launches do not keep buffers alive.
        regionData[region] = heap;
      }
      for (let c = 0; c < channels; c++) channelData[c] = heap;
      return true;
    };
  }

  return {
    element,
    compile(kernel, plan, pattern, constants) {
      try {
        const lowered = lowerKernel(kernel, plan, pattern, constants, element);
        if (lowered.inputs.length + lowered.outputs.length > TABLE_BYTES / 8) return 'too many channels';
        const bytes = buildPointwiseModule({
          element,
          inputs: lowered.inputs,
          outputs: lowered.outputs,
          patterns: lowered.patterns,
        });
        // Synchronous compilation: browsers refuse it on the main thread above 4 KB (then: JS loop).
        const module = new runtime.Module(bytes);
        const instance = new runtime.Instance(module, { env: { memory } });
        const run = instance.exports.run as (rows: number, units: number) => void;
        return makeLoop(
          run,
          lowered.inputs,
          lowered.outputIndices,
          lowered.outputs.map((output) => output.add),
        );
      } catch (error) {
        return error instanceof Error ? error.message : String(error);
      }
    },
  };
}

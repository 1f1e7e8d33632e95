/**
 * The pointwise kernels on WebAssembly SIMD against the JavaScript loops, two tables:
 *
 * 1. each cell kernel alone (forward, backward), one launch over a time step's `B × H` elements
 *    bound as the sequence pass binds them (gates as column windows of `[B, G·H]`), µs per launch;
 * 2. a training step (forward with tape + backward, one layer, batch-first), GEMMs on WebAssembly
 *    in both, CPU ms per step.
 *
 * The two paths run interleaved, so load from other processes hits both alike; reported are
 * medians of CPU time (`process.cpuUsage`) after warm-up runs that compile every kernel and let
 * the engines tier the code up. `--large` adds the large shape, `--steps N` (default 7);
 * `--write-readme` puts the tables into the package README.
 * `pnpm --filter @recurrent/backend-cpu exec tsx --conditions @recurrent/source bench/pointwise-bench.ts`
 */

import { cpus } from 'node:os';
import {
  type Backend,
  type CellDefinition,
  createGru,
  createLstm,
  gruCell,
  lstmCell,
  type PointwiseKernel,
  type RecurrentLayer,
} from '@recurrent/core';
import { createCpuBackend } from '../src/index.js';
import { writeReadmeSection } from './readme-table.js';

const shapes = {
  standard: { batch: 32, steps: 64, input: 64, hidden: 128 },
  large: { batch: 64, steps: 128, input: 128, hidden: 256 },
};
const argument = (name: string) => process.argv[process.argv.indexOf(name) + 1];
const measured = process.argv.includes('--steps') ? Number(argument('--steps')) : 7;
const warmUp = 3;

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const selected = process.argv.includes('--large') ? ['standard', 'large'] : ['standard'];

/** Binds every input and output of a cell kernel as the sequence pass does, on `backend`. */
function bindKernel(
  backend: Backend,
  cell: CellDefinition,
  kernel: PointwiseKernel,
  batch: number,
  hidden: number,
) {
  const gates = cell.gates.length;
  const wide = () => {
    const buffer = backend.allocate(batch * gates * hidden);
    backend.write(
      buffer,
      Float32Array.from({ length: batch * gates * hidden }, (_, i) => Math.sin(i * 0.37) * 2),
    );
    return buffer;
  };
  const gateBuffers = { x: wide(), h: wide(), bx: wide(), bh: wide(), dx: wide(), dh: wide() };
  const dense = (seed: number) => {
    const buffer = backend.allocate(batch * hidden);
    backend.write(
      buffer,
      Float32Array.from({ length: batch * hidden }, (_, i) => Math.cos(i * 0.11 + seed)),
    );
    return { view: { buffer, offset: 0, rows: batch, cols: hidden, rowStride: hidden } };
  };
  const gateView = (prefix: keyof typeof gateBuffers, name: string, broadcast: boolean) => {
    const index = cell.gates.indexOf(name as never);
    const buffer = gateBuffers[prefix];
    const view = broadcast
      ? { buffer, offset: 0, rows: 1, cols: gates * hidden, rowStride: 0 }
      : { buffer, offset: 0, rows: batch, cols: gates * hidden, rowStride: gates * hidden };
    return { view, column: Math.max(0, index) * hidden };
  };
  const inputs = kernel.inputs.map((name, k) => {
    const constant = cell.constants[name];
    if (constant !== undefined) return constant;
    const [prefix, gate] = name.split(':') as [string, string];
    if (prefix === 'x' || prefix === 'h') return gateView(prefix, gate, false);
    if (prefix === 'bx' || prefix === 'bh') return gateView(prefix, gate, true);
    if (prefix === 'p') return 0;
    return dense(k);
  });
  const outputs = kernel.outputs.map((name, k) => {
    const [prefix, gate] = name.split(':') as [string, string];
    if (prefix === 'dx' || prefix === 'dh') return gateView(prefix, gate, false);
    if (prefix === 'dp') return null;
    return dense(100 + k);
  });
  return { rows: batch, units: hidden, inputs, outputs };
}

const machine = `${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpus()[0]?.model}, Node ${process.version}`;
const lines: string[] = [];
const print = (line: string) => {
  console.log(line);
  lines.push(line);
};
console.log(machine);
print('| cell kernel | B × H | dtype | JS µs / launch | wasm µs / launch | speed-up |');
print('| --- | --- | --- | ---: | ---: | ---: |');
for (const shapeName of selected) {
  const { batch, hidden } = shapes[shapeName as keyof typeof shapes];
  for (const [cellName, cell] of [
    ['GRU', gruCell()],
    ['LSTM', lstmCell()],
  ] as const) {
    for (const [kernelName, kernel] of [
      ['forward', cell.forward],
      ['backward', cell.backward],
    ] as const) {
      for (const dtype of ['float32', 'float64'] as const) {
        const runs = [false, true].map((wasmPointwise) => {
          const backend = createCpuBackend({ dtype, wasmPointwise });
          return { backend, launch: bindKernel(backend, cell, kernel, batch, hidden), times: [] as number[] };
        });
        const repeats = 50;
        for (let run = 0; run < warmUp + measured * 3; run++) {
          for (const entry of runs) {
            const cpuStart = process.cpuUsage();
            for (let i = 0; i < repeats; i++) entry.backend.pointwise(kernel, entry.launch);
            const used = process.cpuUsage(cpuStart);
            if (run >= warmUp) entry.times.push((used.user + used.system) / repeats);
          }
        }
        const [js, wasm] = runs.map((entry) => median(entry.times)) as [number, number];
        print(
          `| ${cellName} ${kernelName} | ${batch} × ${hidden} | ${dtype} | ${js.toFixed(0)} | ${wasm.toFixed(0)} | ${(js / wasm).toFixed(2)}× |`,
        );
        for (const entry of runs) entry.backend.destroy();
      }
    }
  }
}

print('');
print('| cell | shape | dtype | pointwise JS: CPU ms / step | pointwise wasm: CPU ms / step | speed-up |');
print('| --- | --- | --- | ---: | ---: | ---: |');
for (const shapeName of selected) {
  const shape = shapes[shapeName as keyof typeof shapes];
  for (const cellName of ['GRU', 'LSTM'] as const) {
    for (const dtype of ['float32', 'float64'] as const) {
      const { batch, steps, input, hidden } = shape;
      const x = {
        data: Float32Array.from({ length: batch * steps * input }, (_, i) => Math.sin(i)),
        shape: [batch, steps, input],
      };
      const dy = { data: new Float32Array(batch * steps * hidden).fill(0.01), shape: [batch, steps, hidden] };
      const runs = [false, true].map((wasmPointwise) => {
        const backend = createCpuBackend({ dtype, wasmPointwise });
        const options = { inputSize: input, hiddenSize: hidden, seed: 1 };
        const layer: RecurrentLayer =
          cellName === 'GRU' ? createGru(backend, options) : createLstm(backend, options);
        return { backend, layer, times: [] as number[] };
      });
      for (let run = 0; run < warmUp + measured; run++) {
        for (const entry of runs) {
          const cpuStart = process.cpuUsage();
          const result = entry.layer.forward(x, { training: true });
          const gradients = entry.layer.backward(result, { output: dy, inputGradient: true });
          await entry.backend.flush();
          const used = process.cpuUsage(cpuStart);
          if (run >= warmUp) entry.times.push((used.user + used.system) / 1000);
          gradients.dispose();
          result.dispose();
        }
      }
      const [js, wasm] = runs.map((entry) => median(entry.times)) as [number, number];
      print(
        `| ${cellName} | ${shapeName} | ${dtype} | ${js.toFixed(0)} | ${wasm.toFixed(0)} | ${(js / wasm).toFixed(2)}× |`,
      );
      for (const entry of runs) {
        entry.layer.dispose();
        entry.backend.destroy();
      }
    }
  }
}
if (process.argv.includes('--write-readme'))
  writeReadmeSection('pointwise-bench', `${machine}:\n\n${lines.join('\n')}`);

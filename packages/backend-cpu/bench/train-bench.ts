/**
 * End-to-end training step through `@recurrent/core` on this backend: one
 * `forward(x, { training: true })` plus `backward` (all parameter and input gradients) of a
 * one-layer GRU and LSTM, batch-first, at the two shapes. Reports the median wall and CPU
 * time of 5 steps after 2 warm-up steps, and the GEMM work per step as GFLOP/s per CPU second
 * (pointwise work is not counted, so this understates the total rate; CPU time, because on a
 * shared machine wall time also measures other work). `--typescript` adds the TypeScript GEMM;
 * `--write-readme` puts the table into the package README. `pnpm --filter @recurrent/backend-cpu bench:train`.
 */
import { cpus } from 'node:os';
import { createGru, createLstm, type RecurrentLayer } from '@recurrent/core';
import { createCpuBackend } from '../src/index.js';
import { writeReadmeSection } from './readme-table.js';

const shapes = {
  standard: { batch: 32, steps: 64, input: 64, hidden: 128 },
  large: { batch: 64, steps: 128, input: 128, hidden: 256 },
};

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const machine = `${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpus()[0]?.model}, Node ${process.version}`;
const lines = [
  '| cell | shape | dtype | GEMMs | wall ms / step | CPU ms / step | GEMM GFLOP/s |',
  '| --- | --- | --- | --- | ---: | ---: | ---: |',
];
console.log(machine);
console.log(lines.join('\n'));
for (const [shapeName, shape] of Object.entries(shapes)) {
  for (const cellName of ['GRU', 'LSTM'] as const) {
    for (const dtype of ['float32', 'float64'] as const) {
      for (const wasm of process.argv.includes('--typescript') ? [true, false] : [true]) {
        const backend = createCpuBackend({ dtype, wasm });
        const options = { inputSize: shape.input, hiddenSize: shape.hidden, seed: 1 };
        const layer: RecurrentLayer =
          cellName === 'GRU' ? createGru(backend, options) : createLstm(backend, options);
        const gates = cellName === 'GRU' ? 3 : 4;
        const { batch, steps, input, hidden } = shape;
        const x = {
          data: Float32Array.from({ length: batch * steps * input }, (_, i) => Math.sin(i)),
          shape: [batch, steps, input],
        };
        const dy = {
          data: new Float32Array(batch * steps * hidden).fill(0.01),
          shape: [batch, steps, hidden],
        };
        // Forward: x·Wᵀ and h·Uᵀ; backward: dh·U, dW, dU, dX — three times the forward GEMMs.
        const forwardFlops = 2 * steps * batch * gates * hidden * (input + hidden);
        const flops = 3 * forwardFlops;
        const times: number[] = [];
        const cpuTimes: number[] = [];
        for (let run = 0; run < 7; run++) {
          const start = performance.now();
          const cpuStart = process.cpuUsage();
          const result = layer.forward(x, { training: true });
          const gradients = layer.backward(result, { output: dy, inputGradient: true });
          await backend.flush();
          if (run >= 2) {
            times.push(performance.now() - start);
            const used = process.cpuUsage(cpuStart);
            cpuTimes.push((used.user + used.system) / 1000);
          }
          gradients.dispose();
          result.dispose();
        }
        const cpuMs = median(cpuTimes);
        const line =
          `| ${cellName} | ${shapeName} | ${dtype} | ${wasm ? 'wasm SIMD' : 'TypeScript'} | ` +
          `${median(times).toFixed(0)} | ${cpuMs.toFixed(0)} | ${(flops / (cpuMs / 1000) / 1e9).toFixed(2)} |`;
        console.log(line);
        lines.push(line);
        layer.dispose();
        backend.destroy();
      }
    }
  }
}
if (process.argv.includes('--write-readme'))
  writeReadmeSection('train-bench', `${machine}:\n\n${lines.join('\n')}`);

/**
 * Throughput of the gpu.js backend on the WebGPU path (`pnpm --filter @recurrent/backend-gpujs bench`).
 * Times one GRU layer forward (inference) and forward + backward (training) through core's
 * sequence engine, and the GEMM and row-sum shapes of that pass; `--large` adds the `large`
 * workload (B64 T128 I128 H256) and its all-step backward products, to see what limits a
 * training step on a real GPU. Each figure is the median of 5 timed runs
 * after 2 warm-up runs (the warm-up includes every shader compile, which is excluded).
 * Prints the adapter, then a Markdown table.
 */
import { type Backend, createGru } from '@recurrent/core';
import { createGpuJsBackend } from '../src/index.js';

const warmUp = 2;
const timed = 5;

async function median(run: () => Promise<void>): Promise<number> {
  for (let index = 0; index < warmUp; index++) await run();
  const times: number[] = [];
  for (let index = 0; index < timed; index++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

function values(length: number): Float32Array {
  const data = new Float32Array(length);
  for (let index = 0; index < length; index++) data[index] = Math.sin(index) * 0.5;
  return data;
}

async function gemmRow(
  backend: Backend,
  label: string,
  m: number,
  k: number,
  n: number,
  transposeB: boolean,
  transposeA = false,
) {
  const a = backend.allocate(m * k);
  const b = backend.allocate(k * n);
  const c = backend.allocate(m * n);
  backend.write(a, values(m * k));
  backend.write(b, values(k * n));
  const repeats = 20;
  const ms = await median(async () => {
    for (let index = 0; index < repeats; index++) {
      backend.gemm(
        transposeA
          ? { buffer: a, offset: 0, rows: k, cols: m, rowStride: m }
          : { buffer: a, offset: 0, rows: m, cols: k, rowStride: k },
        transposeB
          ? { buffer: b, offset: 0, rows: n, cols: k, rowStride: k }
          : { buffer: b, offset: 0, rows: k, cols: n, rowStride: n },
        { buffer: c, offset: 0, rows: m, cols: n, rowStride: n },
        { transposeA, transposeB },
      );
    }
    await backend.flush();
  });
  for (const buffer of [a, b, c]) backend.dispose(buffer);
  const perCall = ms / repeats;
  return `| gemm ${label} ${m}×${k}×${n} | ${perCall.toFixed(3)} ms | ${((2 * m * n * k) / perCall / 1e6).toFixed(2)} GFLOP/s |`;
}

async function sumRowsRow(backend: Backend, rows: number, cols: number) {
  const source = backend.allocate(rows * cols);
  const out = backend.allocate(cols);
  backend.write(source, values(rows * cols));
  const repeats = 20;
  const ms = await median(async () => {
    for (let index = 0; index < repeats; index++) {
      backend.sumRows(
        { buffer: source, offset: 0, rows, cols, rowStride: cols },
        { buffer: out, offset: 0, rows: 1, cols, rowStride: cols },
      );
    }
    await backend.flush();
  });
  backend.dispose(source);
  backend.dispose(out);
  const perCall = ms / repeats;
  return `| sumRows all steps ${rows}×${cols} | ${perCall.toFixed(3)} ms | ${((rows * cols * 4) / perCall / 1e6).toFixed(2)} GB/s read |`;
}

async function gruRows(
  backend: Backend,
  batch: number,
  steps: number,
  inputSize: number,
  hiddenSize: number,
) {
  const layer = createGru(backend, { inputSize, hiddenSize, seed: 1 });
  const x = { data: values(batch * steps * inputSize), shape: [batch, steps, inputSize] };
  const g = { data: values(batch * steps * hiddenSize), shape: [batch, steps, hiddenSize] };
  const label = `GRU B${batch} T${steps} I${inputSize} H${hiddenSize}`;
  const inference = await median(async () => {
    const result = layer.forward(x);
    await result.output.toArray();
    result.dispose();
  });
  const training = await median(async () => {
    const result = layer.forward(x, { training: true });
    const gradients = layer.backward(result, { output: g });
    await gradients.input!.toArray();
    gradients.dispose();
    result.dispose();
  });
  // Backward alone: the forward with tape is finished (flushed) before the clock starts.
  const backwardTimes: number[] = [];
  for (let run = 0; run < warmUp + timed; run++) {
    const result = layer.forward(x, { training: true });
    await backend.flush();
    const start = performance.now();
    const gradients = layer.backward(result, { output: g });
    await gradients.input!.toArray();
    if (run >= warmUp) backwardTimes.push(performance.now() - start);
    gradients.dispose();
    result.dispose();
  }
  backwardTimes.sort((first, second) => first - second);
  const backward = backwardTimes[Math.floor(backwardTimes.length / 2)]!;
  layer.dispose();
  return [
    `| ${label} forward | ${inference.toFixed(1)} ms | ${((steps * batch) / (inference / 1000)).toFixed(0)} samples·steps/s |`,
    `| ${label} forward+backward | ${training.toFixed(1)} ms | ${((steps * batch) / (training / 1000)).toFixed(0)} samples·steps/s |`,
    `| ${label} backward alone | ${backward.toFixed(1)} ms | ${((backward * 1000) / steps).toFixed(0)} µs per step |`,
  ];
}

const backend = await createGpuJsBackend();
console.log(`adapter: ${backend.info.adapter} (device ${backend.info.device})\n`);
console.log('| case | median time | throughput |\n| --- | --- | --- |');
console.log(await gemmRow(backend, 'step h·Uᵀ', 32, 128, 384, true));
console.log(await gemmRow(backend, 'x·Wᵀ all steps', 2048, 64, 384, true));
for (const row of await gruRows(backend, 32, 64, 64, 128)) console.log(row);
if (process.argv.includes('--large')) {
  // The large workload's products: per step h·Uᵀ and dG·U, then over all steps x·Wᵀ,
  // dW = dGᵀ·x, dU = dGᵀ·h, dX = dG·W, and the bias gradients' row sums.
  console.log(await gemmRow(backend, 'step h·Uᵀ (large)', 64, 256, 768, true));
  console.log(await gemmRow(backend, 'step dG·U (large)', 64, 768, 256, false));
  console.log(await gemmRow(backend, 'x·Wᵀ all steps (large)', 8192, 128, 768, true));
  console.log(await gemmRow(backend, 'dW = dGᵀ·x all steps (large)', 768, 8192, 128, false, true));
  console.log(await gemmRow(backend, 'dU = dGᵀ·h all steps (large)', 768, 8192, 256, false, true));
  console.log(await gemmRow(backend, 'dX = dG·W all steps (large)', 8192, 768, 128, false));
  console.log(await sumRowsRow(backend, 8192, 768));
  for (const row of await gruRows(backend, 64, 128, 128, 256)) console.log(row);
}
backend.destroy();

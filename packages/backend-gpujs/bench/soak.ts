/**
 * Memory soak of the gpu.js backend on the WebGPU path
 * (`pnpm --filter @recurrent/backend-gpujs bench:soak [--steps N]`, default 10,000 steps).
 * Trains a small GRU → Linear → mean squared error → Adam model, disposing every per-step
 * tensor, and samples live device buffers and process memory every 500 steps. Fails (exit 1)
 * when live buffers at the end differ from after the first step, when RSS grows by more than
 * the bound below over the value after 1,000 steps (or over the last sample when the run is
 * shorter), or when disposing the model does not bring live buffers back to where they started.
 */
import {
  Adam,
  type Backend,
  createGru,
  Linear,
  listGradients,
  listParameters,
  meanSquaredError,
} from '@recurrent/core';
import { createGpuJsBackend } from '../src/index.js';

/** RSS may grow at most this fraction, or this many MB, above the 1,000-step sample (the larger). */
const rssGrowthFraction = 0.2;
const rssGrowthMegabytes = 64;
const sampleEvery = 500;
const baselineStep = 1000;
const [batch, sequenceLength, inputSize, hiddenSize] = [4, 8, 4, 8];

interface Sample {
  readonly step: number;
  readonly seconds: number;
  readonly liveBuffers: number;
  readonly rssMegabytes: number;
  readonly heapMegabytes: number;
}

function stepsOption(): number {
  const index = process.argv.indexOf('--steps');
  const steps = index === -1 ? 10_000 : Number(process.argv[index + 1]);
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`soak: --steps must be a positive integer`);
  return steps;
}

function values(length: number, phase: number): Float32Array {
  const data = new Float32Array(length);
  for (let index = 0; index < length; index++) data[index] = Math.sin(index * 0.7 + phase) * 0.5;
  return data;
}

function sample(step: number, start: number, backend: Backend): Sample {
  const memory = process.memoryUsage();
  return {
    step,
    seconds: (performance.now() - start) / 1000,
    liveBuffers: backend.liveBufferCount(),
    rssMegabytes: memory.rss / 2 ** 20,
    heapMegabytes: memory.heapUsed / 2 ** 20,
  };
}

const steps = stepsOption();
const backend = await createGpuJsBackend({ mode: 'webgpu' });
console.log(`adapter: ${backend.info.adapter} (device ${backend.info.device}); ${steps} steps`);
const buffersAtStart = backend.liveBufferCount();
const gru = createGru(backend, { inputSize, hiddenSize, seed: 1 });
const readout = new Linear(backend, { inputSize: hiddenSize, outputSize: 1, seed: 2 });
const optimizer = new Adam([...listParameters(gru), ...readout.parameters], { learningRate: 0.01 });
const x = { data: values(batch * sequenceLength * inputSize, 0), shape: [batch, sequenceLength, inputSize] };
const target = { data: values(batch * sequenceLength, 1), shape: [batch, sequenceLength, 1] };

async function trainingStep(): Promise<number> {
  const result = gru.forward(x, { training: true });
  const prediction = readout.forward(result.output);
  const loss = await meanSquaredError(prediction, target);
  const readoutGradients = readout.backward(result.output, loss.gradient);
  const gruGradients = gru.backward(result, { output: readoutGradients.input! });
  optimizer.step([...listGradients(gruGradients), ...readoutGradients.parameters]);
  gruGradients.dispose();
  readoutGradients.dispose();
  loss.dispose();
  prediction.dispose();
  result.dispose();
  await backend.flush();
  return loss.value;
}

const start = performance.now();
const firstLoss = await trainingStep();
let lastLoss = firstLoss;
const buffersAfterWarmUp = backend.liveBufferCount();
const samples: Sample[] = [sample(1, start, backend)];
for (let step = 2; step <= steps; step++) {
  lastLoss = await trainingStep();
  if (step % sampleEvery === 0 || step === steps) {
    const latest = sample(step, start, backend);
    samples.push(latest);
    console.log(
      `step ${step}: ${latest.seconds.toFixed(1)} s, ${(step / latest.seconds).toFixed(1)} steps/s, ` +
        `${latest.liveBuffers} live buffers, RSS ${latest.rssMegabytes.toFixed(1)} MB, loss ${lastLoss.toFixed(5)}`,
    );
  }
}

console.log('\n| step | elapsed | live buffers | RSS | heap used |\n| --- | --- | --- | --- | --- |');
for (const row of samples) {
  console.log(
    `| ${row.step} | ${row.seconds.toFixed(1)} s | ${row.liveBuffers} | ${row.rssMegabytes.toFixed(1)} MB | ${row.heapMegabytes.toFixed(1)} MB |`,
  );
}
const last = samples.at(-1)!;
const baseline = samples.find((row) => row.step === baselineStep) ?? last;
const rssBound =
  baseline.rssMegabytes + Math.max(rssGrowthMegabytes, baseline.rssMegabytes * rssGrowthFraction);
console.log(
  `\nloss ${firstLoss.toFixed(5)} → ${lastLoss.toFixed(5)}; ${(steps / last.seconds).toFixed(1)} steps/s; ` +
    `RSS at step ${baseline.step} ${baseline.rssMegabytes.toFixed(1)} MB, bound ${rssBound.toFixed(1)} MB`,
);

const failures: string[] = [];
if (last.liveBuffers !== buffersAfterWarmUp) {
  failures.push(`live buffers ${last.liveBuffers} at the end; expected ${buffersAfterWarmUp} (after step 1)`);
}
const peakRss = Math.max(
  ...samples.filter((row) => row.step >= baseline.step).map((row) => row.rssMegabytes),
);
if (peakRss > rssBound) {
  failures.push(`RSS reached ${peakRss.toFixed(1)} MB; expected at most ${rssBound.toFixed(1)} MB`);
}
optimizer.dispose();
readout.dispose();
gru.dispose();
await backend.flush();
if (backend.liveBufferCount() !== buffersAtStart) {
  failures.push(`live buffers ${backend.liveBufferCount()} after dispose; expected ${buffersAtStart}`);
}
backend.destroy();
if (failures.length > 0) {
  console.error(`FAIL: ${failures.join('; ')}`);
  process.exitCode = 1;
} else {
  console.log(`PASS: live buffers flat at ${buffersAfterWarmUp}, back to ${buffersAtStart} after dispose`);
}

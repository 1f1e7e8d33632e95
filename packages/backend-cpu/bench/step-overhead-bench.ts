/**
 * Per-step overhead of a recurrent pass through `@recurrent/core` on this backend, where the
 * arithmetic is small and the bookkeeping around it shows: the `latency` shape (batch 1, 100
 * steps, 32 → 64, inference forward) as CPU µs per time step for RNN, GRU and LSTM, and the
 * `standard` training step (batch 32, 64 steps, 64 → 128, forward + backward with all
 * gradients) as CPU ms per step for GRU and LSTM, float32 and float64. Medians of CPU time
 * (`process.cpuUsage`, user + system) after warm-up runs that are not counted, because on a shared
 * machine wall time also measures other work.
 * `pnpm --filter @recurrent/backend-cpu exec tsx --conditions @recurrent/source bench/step-overhead-bench.ts
 * [--only latency|standard] [--runs N] [--threads N]`; add `--cpu-prof` after `tsx` for a profile.
 */
import { createGru, createLstm, createRnn, type RecurrentLayer } from '@recurrent/core';
import { createCpuBackend } from '../src/index.js';

const latency = { batch: 1, steps: 100, input: 32, hidden: 64 };
const standard = { batch: 32, steps: 64, input: 64, hidden: 128 };
const factories = { RNN: createRnn, GRU: createGru, LSTM: createLstm };

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index < 0 ? undefined : process.argv[index + 1];
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function sequence(batch: number, steps: number, width: number, value: (index: number) => number) {
  return {
    data: Float32Array.from({ length: batch * steps * width }, (_, i) => value(i)),
    shape: [batch, steps, width],
  };
}

/** Median CPU milliseconds of `run` over `runs` calls after `warmup` uncounted ones. */
async function cpuMilliseconds(run: () => Promise<void>, warmup: number, runs: number): Promise<number> {
  const times: number[] = [];
  for (let index = 0; index < warmup + runs; index++) {
    const start = process.cpuUsage();
    await run();
    const used = process.cpuUsage(start);
    if (index >= warmup) times.push((used.user + used.system) / 1000);
  }
  return median(times);
}

const only = argument('--only');
const threads = argument('--threads') === undefined ? undefined : Number(argument('--threads'));
const runs = Number(argument('--runs') ?? 21);
console.log('| shape | cell | dtype | CPU per step |');
console.log('| --- | --- | --- | ---: |');
for (const dtype of ['float32', 'float64'] as const) {
  if (only === undefined || only === 'latency') {
    for (const [name, create] of Object.entries(factories)) {
      const backend = createCpuBackend({ dtype, ...(threads === undefined ? {} : { threads }) });
      const { batch, steps, input, hidden } = latency;
      const layer: RecurrentLayer = create(backend, { inputSize: input, hiddenSize: hidden, seed: 1 });
      const x = sequence(batch, steps, input, Math.sin);
      // Ten forwards per sample, so one sample is several milliseconds of CPU time.
      const milliseconds = await cpuMilliseconds(
        async () => {
          for (let repeat = 0; repeat < 10; repeat++) layer.forward(x).dispose();
          await backend.flush();
        },
        20,
        runs,
      );
      console.log(`| latency | ${name} | ${dtype} | ${((milliseconds * 100) / steps).toFixed(1)} µs |`);
      layer.dispose();
    }
  }
  if (only === undefined || only === 'standard') {
    for (const name of ['GRU', 'LSTM'] as const) {
      const backend = createCpuBackend({ dtype, ...(threads === undefined ? {} : { threads }) });
      const { batch, steps, input, hidden } = standard;
      const layer = factories[name](backend, { inputSize: input, hiddenSize: hidden, seed: 1 });
      const x = sequence(batch, steps, input, Math.sin);
      const dy = sequence(batch, steps, hidden, () => 0.01);
      const milliseconds = await cpuMilliseconds(
        async () => {
          const result = layer.forward(x, { training: true });
          const gradients = layer.backward(result, { output: dy, inputGradient: true });
          await backend.flush();
          gradients.dispose();
          result.dispose();
        },
        3,
        Math.max(5, Math.round(runs / 2)),
      );
      console.log(`| standard train | ${name} | ${dtype} | ${milliseconds.toFixed(2)} ms |`);
      layer.dispose();
    }
  }
}

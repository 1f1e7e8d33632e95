import { describe, expect, it } from 'vitest';
import { makeBenchmark } from './test-report-builders.js';
import { describeShape, groupByWorkload, workloadKey } from './throughput-table.js';

describe('groupByWorkload', () => {
  it('puts each workload’s runners side by side, ours before the peers', () => {
    const groups = groupByWorkload([
      makeBenchmark({ runner: 'onnxruntime-node', peer: true, sequencesPerSecond: 900 }),
      makeBenchmark({ runner: 'cpu', sequencesPerSecond: 500 }),
      makeBenchmark({ runner: 'cpu', mode: 'train', sequencesPerSecond: 100 }),
      makeBenchmark({ runner: 'tfjs-wasm', peer: true, status: 'error', sequencesPerSecond: null }),
      makeBenchmark({ runner: 'gpujs', sequencesPerSecond: 700 }),
    ]);
    expect(groups.map((group) => group.key)).toEqual(['standard · gru · forward', 'standard · gru · train']);
    const forward = groups[0]!;
    expect(forward.rows.map((row) => row.runner)).toEqual(['cpu', 'gpujs', 'onnxruntime-node', 'tfjs-wasm']);
    expect(forward.bestSequencesPerSecond).toBe(900);
    expect(forward.shape).toBe('B8 · T16 · I32 → H64');
  });

  it('names workloads and shapes', () => {
    expect(workloadKey({ workload: 'large', cell: 'lstm', mode: 'train' })).toBe('large · lstm · train');
    expect(describeShape({ batch: 1, steps: 2, inputSize: 3, hiddenSize: 4 })).toBe('B1 · T2 · I3 → H4');
  });
});

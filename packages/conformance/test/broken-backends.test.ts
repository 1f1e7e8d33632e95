import { describe, expect, it } from 'vitest';
import { runConformance } from '../src/run-conformance.js';
import {
  createLeakingBackend,
  createNegatedInputWeightGradientBackend,
  createSilentFallbackBackend,
  createSwappedGateBackend,
} from './broken-backends.js';

describe('the suite catches broken backends and names the failing tensor', () => {
  it('a GRU forward kernel with two gate columns swapped', async () => {
    const report = await runConformance([{ name: 'swapped-gates', create: createSwappedGateBackend }], {
      cells: ['gru-reset-after', 'lstm'],
      groups: ['equivalence'],
    });
    const failed = report.checks.filter((check) => check.status === 'fail');
    // Every GRU reset-after configuration fails, starting with the forward output; the LSTM is untouched.
    expect(failed.map((check) => check.subject)).toEqual(Array(5).fill('gru-reset-after'));
    for (const check of failed) {
      const failingTensors = check
        .tensors!.filter((entry) => !(entry.error <= check.tolerance!))
        .map((entry) => entry.tensor);
      expect(failingTensors).toContain('output');
      expect(check.message).toContain('output');
    }
    expect(
      report.checks.filter((check) => check.subject === 'lstm').every((check) => check.status === 'pass'),
    ).toBe(true);
  });

  it('a negated input-weight gradient', async () => {
    const report = await runConformance(
      [{ name: 'negated-dw', create: () => createNegatedInputWeightGradientBackend(3) }],
      { cells: ['gru-reset-before'], groups: ['gradient', 'equivalence'] },
    );
    const elementwise = report.checks.find(
      (check) => check.id === 'gradient/gru-reset-before/forward-1-batch-first',
    )!;
    expect(elementwise.status).toBe('fail');
    expect(elementwise.worstTensor).toBe('layers[0][0].inputWeights');
    // Only that tensor is wrong: everything else still matches the finite differences.
    const failing = elementwise.tensors!.filter((entry) => !(entry.error <= elementwise.tolerance!));
    expect(failing.map((entry) => entry.tensor)).toEqual(['layers[0][0].inputWeights']);
    const equivalence = report.checks.find(
      (check) => check.id === 'equivalence/gru-reset-before/forward-1-batch-first',
    )!;
    expect(equivalence.status).toBe('fail');
    expect(equivalence.worstTensor).toBe('d layers[0][0].inputWeights');
    expect(equivalence.message).toContain('d layers[0][0].inputWeights');
  });

  it('a backend that leaks buffers', async () => {
    const report = await runConformance([{ name: 'leaky', create: createLeakingBackend }], {
      cells: ['rnn-tanh'],
      groups: ['invariants'],
    });
    const leak = report.checks.find((check) => check.id === 'invariants/rnn-tanh/no-leaks')!;
    expect(leak.status).toBe('fail');
    expect(leak.worstTensor).toBe('liveBufferCount after training forward+backward');
    expect(leak.message).toMatch(/leaked \d+ device buffer/);
  });

  it('a backend that runs somewhere other than requested', async () => {
    const report = await runConformance(
      [{ name: 'gpujs', create: createSilentFallbackBackend, expected: { device: 'webgpu' } }],
      { groups: ['capabilities'] },
    );
    expect(report.checks[0]!.status).toBe('fail');
    expect(report.checks[0]!.message).toContain("info.device is 'cpu' but 'webgpu' was requested");
  });

  it('reports a backend that cannot be created as unavailable, with the reason', async () => {
    const report = await runConformance(
      [
        {
          name: 'missing',
          create: () => {
            throw new Error('no WebGPU adapter');
          },
        },
      ],
      { groups: ['capabilities'] },
    );
    expect(report.backends).toEqual([{ name: 'missing', available: false, reason: 'no WebGPU adapter' }]);
    expect(report.checks).toEqual([]);
  });
});

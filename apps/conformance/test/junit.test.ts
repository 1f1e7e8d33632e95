import type { ConformanceReport } from '@recurrent/conformance';
import { describe, expect, it } from 'vitest';
import { gpuStatement } from '../src/gpu-statement.js';
import { toJUnit } from '../src/junit.js';

const check = (status: 'pass' | 'fail' | 'not-applicable', message: string) => ({
  id: `gradient/gru/${status}`,
  group: 'gradient' as const,
  backend: 'cpu',
  subject: 'gru',
  configuration: 'c',
  status,
  worstError: null,
  tolerance: null,
  message,
  durationMs: 12,
});

const report: ConformanceReport = {
  format: 'recurrent-conformance-report',
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  environment: {
    cpuModel: 'x',
    cores: 2,
    memoryBytes: 1,
    platform: 'linux',
    arch: 'x64',
    nodeVersion: 'v20',
  },
  backends: [
    {
      name: 'cpu',
      available: true,
      info: { name: 'cpu', dtype: 'float32', device: 'wasm', deterministic: true },
    },
    { name: 'gpujs', available: false, expected: { device: 'webgpu' }, reason: 'no WebGPU adapter' },
  ],
  checks: [
    check('pass', 'ok'),
    check('fail', 'output error 2 > 1e-4 <&>'),
    check('not-applicable', 'needs float64'),
  ],
  benchmarks: [],
  summary: { passed: 1, failed: 1, notApplicable: 1, errors: 0 },
};

describe('JUnit XML and the GPU statement', () => {
  it('one suite per backend; failures, skips with reasons, escaped messages', () => {
    const xml = toJUnit(report);
    expect(xml).toContain('<testsuite name="cpu" tests="3" failures="1" errors="0" skipped="1"');
    expect(xml).toContain('<failure message="output error 2 &gt; 1e-4 &lt;&amp;&gt;" />');
    expect(xml).toContain('<skipped message="needs float64" />');
    expect(xml).toContain('<skipped message="no WebGPU adapter" />');
  });
  it('never claims a GPU run that did not happen, and names software adapters', () => {
    expect(gpuStatement(report.backends)).toBe('GPU: gpujs did not run — no WebGPU adapter');
    const software = gpuStatement([
      {
        name: 'gpujs',
        available: true,
        info: {
          name: 'gpujs',
          dtype: 'float32',
          device: 'webgpu',
          adapter: 'llvmpipe (LLVM 15)',
          deterministic: true,
        },
      },
    ]);
    expect(software).toContain('software rasterizer');
  });
});

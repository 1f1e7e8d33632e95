import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { quickWorkloads } from '../src/bench/workloads.js';
import { runConformance } from '../src/run-conformance.js';
import { createLeakingBackend } from './broken-backends.js';

const schema = JSON.parse(readFileSync(new URL('../src/report-schema.json', import.meta.url), 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
// ISO 8601 as `Date#toISOString` writes it (ajv-formats would add a dependency for one format).
ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
const validate = ajv.compile(schema);

describe('report schema', () => {
  it('validates a real report with passing, failing, not-applicable checks, an unavailable backend and benchmarks', async () => {
    const report = await runConformance(
      [
        { name: 'leaky', create: createLeakingBackend },
        {
          name: 'absent',
          create: () => {
            throw new Error('not installed');
          },
        },
      ],
      {
        cells: ['rnn-tanh'],
        groups: ['capabilities', 'float32-gradient', 'invariants'],
        benchmark: {
          workloads: [{ ...quickWorkloads[0]!, steps: 2, hiddenSize: 3, inputSize: 2 }],
          cells: ['rnn'],
          repetitions: 1,
        },
      },
    );
    const statuses = new Set(report.checks.map((check) => check.status));
    expect([...statuses].sort()).toEqual(['fail', 'not-applicable', 'pass']);
    // Round-trip through JSON, as the report is written and read by the dashboard.
    const serialised = JSON.parse(JSON.stringify(report));
    const valid = validate(serialised);
    expect(validate.errors ?? [], JSON.stringify(validate.errors)).toEqual([]);
    expect(valid).toBe(true);
  });

  it('rejects a report missing required fields or with an unknown status', () => {
    expect(validate({ format: 'recurrent-conformance-report', version: 1 })).toBe(false);
    const check = {
      id: 'x',
      group: 'gradient',
      backend: 'b',
      subject: 's',
      configuration: 'c',
      status: 'skipped',
      worstError: null,
      tolerance: null,
      message: 'm',
      durationMs: 1,
    };
    const report = {
      format: 'recurrent-conformance-report',
      version: 1,
      createdAt: '2026-01-01T00:00:00.000Z',
      environment: {
        cpuModel: 'x',
        cores: 1,
        memoryBytes: 1,
        platform: 'linux',
        arch: 'x64',
        nodeVersion: 'v20',
      },
      backends: [],
      checks: [check],
      benchmarks: [],
      summary: { passed: 0, failed: 0, notApplicable: 0, errors: 0 },
    };
    expect(validate(report)).toBe(false);
    expect(validate({ ...report, checks: [{ ...check, status: 'pass' }] })).toBe(true);
    expect(validate({ ...report, backends: [{ name: 'gpujs', available: false }] })).toBe(false);
  });
});

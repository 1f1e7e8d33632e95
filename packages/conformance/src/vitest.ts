/**
 * `@recurrent/conformance/vitest`: one call in a backend package's test file runs the whole
 * suite against that backend, one vitest test per check. A check the backend cannot run
 * passes with its not-applicable reason annotated on the test (visible in reporters), so a
 * gap is declared, never skipped silently.
 */
import type { Backend } from '@recurrent/core';
import { createReferenceBackend } from '@recurrent/core/reference';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CheckContext, runCase } from './conformance-case.js';
import { buildConformanceSuite, type SuiteOptions } from './conformance-suite.js';
import type { BackendExpectation } from './report.js';
import { bundledOnnxVectors } from './vector-files.js';

export interface DescribeConformanceOptions extends SuiteOptions {
  /** What the backend must state in `info` (e.g. `{ device: 'webgpu' }`). */
  readonly expected?: BackendExpectation;
}

export function describeBackendConformance(
  name: string,
  createBackend: () => Backend | Promise<Backend>,
  options: DescribeConformanceOptions = {},
): void {
  describe(`${name} conformance`, () => {
    let context: CheckContext | undefined;
    beforeAll(async () => {
      const backend = await createBackend();
      context = {
        backend,
        backendName: name,
        reference: createReferenceBackend(),
        ...(options.expected ? { expected: options.expected } : {}),
      };
    });
    afterAll(() => {
      context?.backend.destroy();
      context?.reference.destroy();
    });
    for (const testCase of buildConformanceSuite({
      ...options,
      vectors: options.vectors ?? bundledOnnxVectors(),
    })) {
      it(testCase.id, async ({ annotate }) => {
        const result = await runCase(testCase, context!);
        if (result.status === 'not-applicable') {
          await annotate(`not applicable: ${result.message}`);
        }
        expect(
          result.status === 'pass' || result.status === 'not-applicable',
          `${testCase.id}: ${result.message}`,
        ).toBe(true);
      });
    }
  });
}

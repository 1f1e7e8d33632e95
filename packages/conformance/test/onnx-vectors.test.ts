import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createReferenceBackend } from '@recurrent/core/reference';
import { describe, expect, it } from 'vitest';
import { runConformance } from '../src/run-conformance.js';
import { bundledOnnxVectors, loadOnnxVectors } from '../src/vector-files.js';
import { createNegatedInputWeightGradientBackend } from './broken-backends.js';

const generated = fileURLToPath(new URL('../vectors/generated/', import.meta.url));
const gruVector = JSON.parse(
  readFileSync(
    new URL('../vectors/generated/gru_bidirectional_linear_before_reset_seq_lens.json', import.meta.url),
    'utf8',
  ),
);

describe('ONNX vectors through core’s import path', () => {
  it('every bundled vector passes on the reference backend, gradients included', async () => {
    const vectors = bundledOnnxVectors();
    expect(vectors.length).toBeGreaterThanOrEqual(12);
    const report = await runConformance([{ name: 'reference', create: () => createReferenceBackend() }], {
      groups: ['onnx-vectors'],
      vectors,
    });
    const notPassing = report.checks.filter((check) => check.status !== 'pass');
    expect(notPassing.map((check) => `${check.id}: ${check.message}`)).toEqual([]);
    expect(report.checks).toHaveLength(vectors.length);
    const withGradients = report.checks.filter((check) => check.configuration === 'outputs and gradients');
    expect(withGradients.length).toBeGreaterThan(0);
    expect(withGradients[0]!.tensors!.some((entry) => entry.tensor === 'd W')).toBe(true);
  });

  it('a wrong input-weight gradient fails the gradient vectors, naming d W', async () => {
    const vectors = await loadOnnxVectors([generated], generated);
    const report = await runConformance(
      [{ name: 'negated-dw', create: () => createNegatedInputWeightGradientBackend(2) }],
      {
        groups: ['onnx-vectors'],
        vectors: vectors.filter((vector) => vector.name.startsWith('gru_reverse_layout1')),
      },
    );
    expect(report.checks[0]!.status).toBe('fail');
    // I = 2, H = 3: only the input-weight product has two columns, so only d W is wrong.
    expect(report.checks[0]!.worstTensor).toBe('d W');
    const failing = report.checks[0]!.tensors!.filter(
      (entry) => !(entry.error <= report.checks[0]!.tolerance!),
    );
    expect(failing.map((entry) => entry.tensor)).toEqual(['d W']);
  });

  it('a wrong expectation fails naming the output; an unsupported attribute is an error naming it', async () => {
    const wrong = structuredClone(gruVector);
    wrong.outputs.Y_h.data[0] += 0.5;
    const unsupported = {
      ...structuredClone(gruVector),
      operator: 'LSTM',
      attributes: { ...gruVector.attributes, input_forget: 1 },
    };
    const report = await runConformance([{ name: 'reference', create: () => createReferenceBackend() }], {
      groups: ['onnx-vectors'],
      vectors: [
        { name: 'wrong', content: wrong },
        { name: 'unsupported', content: unsupported },
        { name: 'not-a-vector', content: { hello: 1 } },
      ],
    });
    const [mismatch, rejected, garbage] = report.checks;
    expect(mismatch).toMatchObject({ status: 'fail', worstTensor: 'Y_h' });
    expect(rejected!.status).toBe('error');
    expect(rejected!.message).toContain('input_forget');
    expect(garbage).toMatchObject({ status: 'error' });
    expect(garbage!.message).toContain('not an ONNX recurrent vector');
  });
});

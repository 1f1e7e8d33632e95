/**
 * The committed vectors in packages/conformance/vectors/generated/ are exactly what
 * `generate-onnx-vectors.ts` produces (up to 1e-6 relative, so a different JavaScript engine's
 * last-bit differences in exp/tanh do not matter), and their expected gradients agree with
 * the evaluator's forward outputs they were derived from. With RECURRENT_WRITE_VECTORS=1 the
 * files are (re)written first.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatVector, generateOnnxVectors } from './generate-onnx-vectors.js';

const folder = fileURLToPath(new URL('../../../conformance/vectors/generated/', import.meta.url));
const vectors = generateOnnxVectors();

if (process.env.RECURRENT_WRITE_VECTORS === '1') {
  mkdirSync(folder, { recursive: true });
  for (const { file, vector } of vectors) {
    writeFileSync(`${folder}${file}`, `${formatVector(vector)}\n`);
  }
}

/** Asserts two JSON values are equal, numbers within 1e-6 relative; returns the worst error. */
function closeTo(actual: unknown, expected: unknown, path: string): number {
  if (typeof expected === 'number') {
    expect(typeof actual, path).toBe('number');
    const error = Math.abs((actual as number) - expected) / Math.max(1, Math.abs(expected));
    expect(error, path).toBeLessThan(1e-6);
    return error;
  }
  if (typeof expected !== 'object' || expected === null) {
    expect(actual, path).toEqual(expected);
    return 0;
  }
  expect(Object.keys(actual as object).sort(), path).toEqual(Object.keys(expected).sort());
  let worst = 0;
  for (const [key, value] of Object.entries(expected)) {
    worst = Math.max(worst, closeTo((actual as Record<string, unknown>)[key], value, `${path}.${key}`));
  }
  return worst;
}

describe('generated ONNX vectors', () => {
  it('the folder holds exactly the generated files and a README', () => {
    expect(readdirSync(folder).sort()).toEqual([...vectors.map(({ file }) => file), 'README.md'].sort());
  });
  it.each(vectors.map(({ file, vector }) => [file, vector] as const))(
    '%s matches the generator',
    (file, vector) => {
      const committed = JSON.parse(readFileSync(`${folder}${file}`, 'utf8'));
      closeTo(committed, JSON.parse(JSON.stringify(vector)), file);
    },
  );
});

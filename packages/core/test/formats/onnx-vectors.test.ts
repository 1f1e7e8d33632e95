/**
 * Every ONNX recurrent vector in packages/conformance/vectors/ through `runOnnxRecurrent` on the
 * float64 reference backend: the 38 decoded ONNX node tests (onnx-rnn/, max abs error ≤ 1e-5 on
 * every output the file checks) and the generated vectors (generated/), whose `gradients` blocks
 * are checked through `onnxRecurrentGradients` (max |a − e| ≤ 1e-4 · max(1, max |e|)).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { type OnnxRecurrentNode, onnxRecurrentGradients, runOnnxRecurrent } from '../../src/index.js';
import { createReferenceBackend } from '../../src/reference/index.js';

interface VectorTensor {
  readonly dims: number[];
  readonly data: number[];
}
interface VectorFile extends OnnxRecurrentNode {
  readonly name: string;
  readonly outputs: Record<string, VectorTensor | null>;
  readonly gradients?: {
    readonly upstream: Record<string, VectorTensor>;
    readonly expected: Record<string, VectorTensor>;
  };
}

const vectorsRoot = new URL('../../../conformance/vectors/', import.meta.url);
const backend = createReferenceBackend();

function loadVectors(folder: string): [string, VectorFile][] {
  const directory = fileURLToPath(new URL(folder, vectorsRoot));
  return (readdirSync(directory, { recursive: true }) as string[])
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => [file, JSON.parse(readFileSync(`${directory}/${file}`, 'utf8')) as VectorFile]);
}

function maxAbsoluteError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let index = 0; index < expected.length; index++) {
    const error = Math.abs(actual[index]! - expected[index]!);
    worst = Number.isNaN(error) ? Number.POSITIVE_INFINITY : Math.max(worst, error);
  }
  return worst;
}

const report: string[] = [];
afterAll(() => {
  console.log(`ONNX vectors, max abs error per file:\n${report.join('\n')}`);
});

async function checkOutputs(file: string, vector: VectorFile): Promise<number> {
  const outputs = await runOnnxRecurrent(backend, vector);
  let worst = 0;
  let checked = 0;
  for (const [name, expected] of Object.entries(vector.outputs)) {
    if (expected === null) {
      continue;
    }
    const actual = outputs[name as 'Y' | 'Y_h' | 'Y_c'];
    expect(actual, `${file}: ${name} produced`).toBeDefined();
    expect(actual!.dims, `${file}: ${name} dims`).toEqual(expected.dims);
    worst = Math.max(worst, maxAbsoluteError(actual!.data, expected.data));
    checked++;
  }
  expect(checked, `${file} checks at least one output`).toBeGreaterThan(0);
  return worst;
}

const official = loadVectors('onnx-rnn/');

describe('ONNX node-test vectors (onnx-rnn/)', () => {
  it('finds all 38 vector files', () => {
    expect(official.length).toBe(38);
  });
  it.each(official)('%s', async (file, vector) => {
    const liveBefore = backend.liveBufferCount();
    const worst = await checkOutputs(file, vector);
    expect(backend.liveBufferCount()).toBe(liveBefore);
    report.push(`  ${file}: ${worst.toExponential(2)}`);
    expect(worst).toBeLessThanOrEqual(1e-5);
  });
});

const generated = loadVectors('generated/');

describe('generated vectors with gradients (generated/)', () => {
  it('finds the generated vectors, each with a gradients block', () => {
    expect(generated.length).toBeGreaterThanOrEqual(6);
    expect(generated.every(([, vector]) => vector.gradients !== undefined)).toBe(true);
  });
  it.each(generated)('%s', async (file, vector) => {
    const worst = await checkOutputs(file, vector);
    report.push(`  generated/${file}: ${worst.toExponential(2)}`);
    expect(worst).toBeLessThanOrEqual(1e-5);
    const { upstream, expected } = vector.gradients!;
    const gradients = await onnxRecurrentGradients(backend, vector, upstream);
    for (const [name, tensor] of Object.entries(expected)) {
      const actual = gradients[name as keyof typeof gradients];
      expect(actual, `${file}: gradient ${name}`).toBeDefined();
      expect(actual!.dims).toEqual(tensor.dims);
      const scale = Math.max(1, ...tensor.data.map(Math.abs));
      const error = maxAbsoluteError(actual!.data, tensor.data);
      report.push(`    d${name}: ${(error / scale).toExponential(2)} (relative to max(1, max|e|))`);
      expect(error, `${file}: gradient ${name}`).toBeLessThanOrEqual(1e-4 * scale);
    }
  });
});

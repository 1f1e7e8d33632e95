/**
 * The ONNX operator vectors (`vectors/**.json`, format in `vectors/onnx-rnn/README.md`): each
 * file is one ONNX RNN/GRU/LSTM node with its inputs, expected outputs and, optionally,
 * expected gradients for given upstream gradients. They run through core's ONNX import path
 * (`runOnnxRecurrent`, `onnxRecurrentGradients`) on the backend under test. A file using
 * something the importer does not implement is reported as an error naming it.
 *
 * Error measure (the format's): `max|a − e| / max(1, max|e|)` per tensor; tolerance 1e-4 for
 * float32 backends (the format's float32 bound) and 1e-6 for float64 ones (the fixtures are
 * float32 roundings of float64 results: ≤ 6e-8 relative; finite-difference gradients ≤ 1e-8).
 */
import {
  type Backend,
  type OnnxRecurrentNode,
  type OnnxTensor,
  type OnnxUpstream,
  onnxRecurrentGradients,
  runOnnxRecurrent,
} from '@recurrent/core';
import type { ConformanceCase } from '../conformance-case.js';
import type { TensorError } from '../report.js';
import { worstScaledDifference } from '../tensor-error.js';

/** One vector file as loaded. */
export interface OnnxVector {
  /** Path or name shown in reports. */
  readonly name: string;
  readonly content: unknown;
}

type NamedTensors = Readonly<Record<string, OnnxTensor | null | undefined>>;

/** The import path the vectors run through (core's, unless a test substitutes one). */
export interface OnnxImportPath {
  readonly run: (backend: Backend, node: OnnxRecurrentNode) => Promise<NamedTensors>;
  readonly gradients: (
    backend: Backend,
    node: OnnxRecurrentNode,
    upstream: OnnxUpstream,
  ) => Promise<NamedTensors>;
}

export const coreOnnxImportPath: OnnxImportPath = {
  run: async (backend, node) => ({ ...(await runOnnxRecurrent(backend, node)) }),
  gradients: async (backend, node, upstream) => ({
    ...(await onnxRecurrentGradients(backend, node, upstream)),
  }),
};

/** Tolerance by the backend's precision (see the header). */
export const onnxVectorTolerance = { float32: 1e-4, float64: 1e-6 } as const;

interface VectorContent extends OnnxRecurrentNode {
  readonly outputs?: NamedTensors;
  readonly gradients?: { readonly upstream: OnnxUpstream; readonly expected: NamedTensors };
}

export function onnxVectorCases(
  vectors: readonly OnnxVector[],
  importPath: OnnxImportPath = coreOnnxImportPath,
): ConformanceCase[] {
  return vectors.map((vector): ConformanceCase => {
    const content = vector.content as VectorContent;
    const withGradients = typeof content?.gradients === 'object' && content.gradients !== null;
    return {
      id: `onnx-vectors/${vector.name}`,
      group: 'onnx-vectors',
      subject: vector.name,
      configuration: withGradients ? 'outputs and gradients' : 'outputs',
      async run({ backend }) {
        if (typeof content !== 'object' || content === null || typeof content.operator !== 'string') {
          throw new Error(`${vector.name} is not an ONNX recurrent vector (no "operator")`);
        }
        const tensors: TensorError[] = [];
        compareNamed(tensors, '', await importPath.run(backend, content), content.outputs ?? {});
        if (withGradients) {
          const { upstream, expected } = content.gradients!;
          compareNamed(tensors, 'd ', await importPath.gradients(backend, content, upstream), expected);
        }
        return { kind: 'numeric', tolerance: onnxVectorTolerance[backend.info.dtype], tensors };
      },
    };
  });
}

function compareNamed(
  into: TensorError[],
  prefix: string,
  actual: NamedTensors,
  expected: NamedTensors,
): void {
  for (const [name, value] of Object.entries(expected)) {
    if (value === null || value === undefined) {
      continue;
    }
    const produced = actual[name];
    const label = `${prefix}${name}`;
    if (!produced) {
      into.push({ tensor: `${label} (not produced)`, error: Number.POSITIVE_INFINITY });
      continue;
    }
    if (produced.dims.join() !== value.dims.join()) {
      into.push({
        tensor: `${label} dims [${produced.dims}] vs [${value.dims}]`,
        error: Number.POSITIVE_INFINITY,
      });
      continue;
    }
    into.push(compareAbsolute(label, produced.data, value.data));
  }
}

/** `max|a − e| / max(1, max|e|)`, the vector format's measure. */
function compareAbsolute(
  tensor: string,
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
): TensorError {
  let scale = 1;
  for (let index = 0; index < expected.length; index++) {
    scale = Math.max(scale, Math.abs(expected[index]!));
  }
  return worstScaledDifference(tensor, actual, expected, scale);
}

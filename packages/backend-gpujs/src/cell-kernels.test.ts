import {
  activation,
  type Backend,
  type CellDefinition,
  cellVariants,
  gruCell,
  lstmCell,
  type PointwiseKernel,
  type PointwiseLaunch,
  rnnCell,
} from '@recurrent/core';
import { createReferenceBackend } from '@recurrent/core/reference';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestBackend, randomValues, testModes, view } from './test-backend.js';

/**
 * Every pointwise kernel of every cell variant core ships (its `cellVariants` list, so a new
 * variant is covered here without editing this file), plus a few activation choices, compiled
 * by gpu.js and compared with the float64 reference evaluating the same definition. Inputs are
 * float32 values in [-scale, scale); scale 8 drives the gates into saturation.
 */
const cells: readonly [string, CellDefinition][] = [
  ...cellVariants.map((variant): [string, CellDefinition] => [variant.id, variant.create()]),
  ['gru hardSigmoid clip 3', gruCell({ gateActivation: activation('hardSigmoid'), clip: 3 })],
  [
    'lstm softsign/elu/scaledTanh',
    lstmCell({
      gateActivation: activation('softsign'),
      cellActivation: activation('elu', 0.5),
      hiddenActivation: activation('scaledTanh', 1.5, 0.7),
    }),
  ],
  ['rnn leakyRelu', rnnCell({ activation: activation('leakyRelu', 0.1) })],
  ['rnn softplus', rnnCell({ activation: activation('softplus') })],
];

const rows = 3;
const units = 7;

async function runKernel(
  backend: Backend,
  kernel: PointwiseKernel,
  cell: CellDefinition,
  data: Float32Array,
) {
  const bound = kernel.inputs.filter((name) => !name.startsWith('c:'));
  const inputs = backend.allocate(rows * bound.length * units);
  backend.write(inputs, data.subarray(0, rows * bound.length * units));
  const outputCount = kernel.outputs.length;
  const outputs = backend.allocate(rows * outputCount * units);
  backend.write(outputs, data.subarray(0, rows * outputCount * units));
  const inputView = view(inputs, rows, bound.length * units);
  const outputView = view(outputs, rows, outputCount * units);
  const launch: PointwiseLaunch = {
    rows,
    units,
    inputs: kernel.inputs.map((name) => {
      if (name.startsWith('c:')) return cell.constants[name] ?? 0;
      return { view: inputView, column: bound.indexOf(name) * units };
    }),
    outputs: kernel.outputs.map((_, index) => ({
      view: outputView,
      column: index * units,
      mode: index % 2 === 1 ? ('add' as const) : ('set' as const),
    })),
  };
  backend.pointwise(kernel, launch);
  const result = await backend.download(outputs);
  backend.dispose(inputs);
  backend.dispose(outputs);
  return result;
}

describe.each(testModes)('core cell kernels through gpu.js (%s)', (mode) => {
  let backend: Backend;
  const reference = createReferenceBackend();
  beforeAll(async () => {
    backend = await createTestBackend(mode);
  });
  afterAll(() => backend.destroy());

  for (const [label, cell] of cells) {
    const kernels = [cell.forward, cell.backward, cell.intermediateForward, cell.intermediateBackward].filter(
      (kernel): kernel is PointwiseKernel => kernel !== undefined,
    );
    for (const kernel of kernels) {
      for (const scale of [1, 8]) {
        it(`${label}: ${kernel.name} matches the reference (inputs ×${scale})`, async () => {
          const data = randomValues(rows * units * 64, kernel.name.length * 31 + scale).map((v) => v * scale);
          const expected = await runKernel(reference, kernel, cell, data);
          const actual = await runKernel(backend, kernel, cell, data);
          let worst = 0;
          for (let index = 0; index < expected.length; index++) {
            const error = Math.abs(actual[index]! - expected[index]!) / (1 + Math.abs(expected[index]!));
            worst = Number.isNaN(error) ? Number.POSITIVE_INFINITY : Math.max(worst, error);
          }
          // A few float32 roundings per step through exp/tanh: well under 1e-5 relative.
          expect(worst).toBeLessThan(1e-5);
        });
      }
    }
  }
});

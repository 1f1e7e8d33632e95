import { type Backend, gruCell, lstmCell, type PointwiseLaunch } from '@recurrent/core';
import { describe, expect, it } from 'vitest';
import { createTestBackend, maxRelativeError, randomValues, upload, view } from './test-backend.js';

type Counting = Backend & { compiledKernelCount: number };

/**
 * `fusedRecurrentStep` (recurrent product + cell step in one launch) against the same step as
 * `gemm` then `pointwise`, with bindings shaped the way core's step binder makes them.
 */
describe.each([
  ['GRU', gruCell()],
  ['LSTM', lstmCell()],
] as const)('gpujs fusedRecurrentStep (%s)', (_label, cell) => {
  const batch = 3;
  const hidden = 70; // > 64: more than one workgroup per row
  const gates = cell.gates.length;
  const width = gates * hidden;

  async function run(backend: Backend, fused: boolean) {
    const kernel = cell.forward;
    const state = upload(backend, randomValues(3 * batch * hidden, 1));
    const weights = upload(
      backend,
      randomValues(width * hidden, 2).map((v) => v * 0.2),
    );
    const inputProjection = upload(backend, randomValues(batch * width, 3));
    const biases = upload(backend, randomValues(2 * width, 4));
    const peepholes = upload(backend, randomValues(3 * hidden, 6));
    const projection = backend.allocate(batch * width);
    const outputs = backend.allocate(cell.states.length * batch * hidden);
    const states = cell.states.map((_, index) => view(state, batch, hidden, index * batch * hidden));
    const projectionView = view(projection, batch, width);
    const gate = (name: string) => cell.gates.indexOf(name.slice(name.indexOf(':') + 1)) * hidden;
    const launch: PointwiseLaunch = {
      rows: batch,
      units: hidden,
      inputs: kernel.inputs.map((name) => {
        if (name.startsWith('c:')) return cell.constants[name] ?? 0;
        if (name.startsWith('x:')) return { view: view(inputProjection, batch, width), column: gate(name) };
        if (name.startsWith('h:')) return { view: projectionView, column: gate(name) };
        if (name.startsWith('bx:')) return { view: view(biases, batch, width, 0, 0), column: gate(name) };
        if (name.startsWith('bh:')) return { view: view(biases, batch, width, width, 0), column: gate(name) };
        if (name.startsWith('p:')) return { view: view(peepholes, batch, hidden, 0, 0) };
        return { view: states[cell.states.indexOf(name.slice('state:'.length) as never)]! };
      }),
      outputs: kernel.outputs.map((_, index) => ({
        view: view(outputs, batch, hidden, index * batch * hidden),
      })),
    };
    const step = {
      hidden: states[0]!,
      recurrentWeights: view(weights, width, hidden),
      projection: projectionView,
    };
    if (fused) {
      backend.fusedRecurrentStep!(step, kernel, launch);
    } else {
      backend.gemm(step.hidden, step.recurrentWeights, step.projection, { transposeB: true });
      backend.pointwise(kernel, launch);
    }
    const result = {
      projection: await backend.download(projection),
      outputs: await backend.download(outputs),
    };
    for (const buffer of [state, weights, inputProjection, biases, peepholes, projection, outputs]) {
      backend.dispose(buffer);
    }
    return result;
  }

  it('computes what gemm + pointwise compute, in one compiled launch', async () => {
    const fusedBackend = (await createTestBackend('webgpu', { fuseRecurrentStep: true })) as Counting;
    const separateBackend = await createTestBackend();
    expect(separateBackend.fusedRecurrentStep).toBeUndefined(); // opt-in only
    const fused = await run(fusedBackend, true);
    expect(fusedBackend.compiledKernelCount).toBe(1); // no GEMM pipeline: the product ran fused
    const separate = await run(separateBackend, false);
    expect(maxRelativeError(fused.projection, separate.projection)).toBeLessThan(1e-6);
    expect(maxRelativeError(fused.outputs, separate.outputs)).toBeLessThan(1e-6);
    fusedBackend.destroy();
    separateBackend.destroy();
  });
});

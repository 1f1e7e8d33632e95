import { describe, expect, it } from 'vitest';
import { type Backend, cellVariants, RecurrentLayer } from '../src/index.js';
import { createReferenceBackend } from '../src/reference/index.js';

/** A backend that offers the fused forward step (implemented as its definition) and counts uses. */
function withFusedStep(base: Backend): Backend & { fusedCalls: number } {
  const wrapped = Object.create(base) as Backend & { fusedCalls: number };
  wrapped.fusedCalls = 0;
  wrapped.fusedRecurrentStep = (step, kernel, launch) => {
    wrapped.fusedCalls++;
    base.gemm(step.hidden, step.recurrentWeights, step.projection, { transposeB: true });
    base.pointwise(kernel, launch);
  };
  return wrapped;
}

describe('Backend.fusedRecurrentStep', () => {
  it.each(cellVariants.map((variant) => [variant.id, variant] as const))(
    '%s: the fused path gives the same outputs and is used only for cells without an intermediate stage',
    async (_id, variant) => {
      const plain = createReferenceBackend();
      const fused = withFusedStep(createReferenceBackend());
      const input = { data: Array.from({ length: 2 * 4 * 3 }, (_, i) => Math.cos(i)), shape: [2, 4, 3] };
      const options = { inputSize: 3, hiddenSize: 4, bidirectional: true, seed: 3 };
      const results = [];
      for (const backend of [plain, fused]) {
        const layer = new RecurrentLayer(backend, variant.create(), options);
        const result = layer.forward(input, { sequenceLengths: [4, 3] });
        results.push([await result.output.toArray(), await result.hidden.toArray()]);
        result.dispose();
        layer.dispose();
      }
      expect(results[1]).toEqual(results[0]);
      const cell = variant.create();
      expect(fused.fusedCalls).toBe(cell.intermediateForward ? 0 : 2 * 4);
    },
  );
});

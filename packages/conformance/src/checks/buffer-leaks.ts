/** No device buffer leaked by a pass: `liveBufferCount` before = after. */
import type { RecurrentLayer } from '@recurrent/core';
import { forwardOptions, makeCaseData, upstreamGradients } from '../case-data.js';
import type { CheckOutcome } from '../conformance-case.js';
import { batchConfiguration } from './batch-invariance.js';

/** liveBufferCount is the same before and after forward + backward + dispose. */
export async function leaks(layer: RecurrentLayer): Promise<CheckOutcome> {
  const { backend } = layer;
  const data = makeCaseData(layer, batchConfiguration, 56);
  const phases: [string, () => Promise<void>][] = [
    [
      'training forward+backward',
      async () => {
        const result = layer.forward(data.input, forwardOptions(data, true));
        const gradients = layer.backward(result, upstreamGradients(data));
        await gradients.initialHidden.toArray();
        gradients.dispose();
        result.dispose();
      },
    ],
    [
      'inference forward',
      async () => {
        const result = layer.forward(data.input, forwardOptions(data));
        await result.output.toArray();
        result.dispose();
      },
    ],
  ];
  for (const [phase, body] of phases) {
    await backend.flush();
    const before = backend.liveBufferCount();
    await body();
    await backend.flush();
    const after = backend.liveBufferCount();
    if (after !== before) {
      return {
        kind: 'verdict',
        passed: false,
        failing: `liveBufferCount after ${phase}`,
        message: `${phase} leaked ${after - before} device buffer(s): liveBufferCount ${before} before, ${after} after`,
      };
    }
  }
  return {
    kind: 'verdict',
    passed: true,
    message: `liveBufferCount unchanged (${backend.liveBufferCount()}) after ${phases.map(([name]) => name).join(' and ')}`,
  };
}

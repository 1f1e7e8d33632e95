/**
 * Seeded host data for one check of one layer: the input, optional initial states, and the
 * random upstream gradients that define the scalar loss `L = Σ Y⊙G_y + Σ h_n⊙G_h (+ Σ c_n⊙G_c)`.
 */
import {
  type BackwardInput,
  type ForwardOptions,
  type HostTensor,
  Random,
  type RecurrentLayer,
  type SequenceResult,
} from '@recurrent/core';
import type { LayerConfiguration } from './layer-configurations.js';

export interface CaseData {
  readonly input: HostTensor;
  readonly initialHidden?: HostTensor;
  readonly initialCell?: HostTensor;
  readonly sequenceLengths?: readonly number[];
  readonly outputGradient: HostTensor;
  readonly hiddenGradient: HostTensor;
  readonly cellGradient?: HostTensor;
}

const size = (shape: readonly number[]) => shape.reduce((product, dimension) => product * dimension, 1);

/** Shapes of the input, the output and the states of `layer` in this configuration. */
export function caseShapes(layer: RecurrentLayer, configuration: LayerConfiguration) {
  const { batch, steps } = configuration;
  const batchFirst = layer.layout === 'batch-first';
  return {
    input: batchFirst ? [batch, steps, layer.inputSize] : [steps, batch, layer.inputSize],
    output: batchFirst ? [batch, steps, layer.outputSize] : [steps, batch, layer.outputSize],
    state: [layer.numLayers * layer.directions, batch, layer.hiddenSize],
  };
}

export function makeCaseData(
  layer: RecurrentLayer,
  configuration: LayerConfiguration,
  seed: number,
): CaseData {
  const random = new Random(seed);
  const shapes = caseShapes(layer, configuration);
  const hasCell = layer.cell.states.includes('cell');
  const host = (shape: number[]): HostTensor => ({ data: random.uniformArray(size(shape), -1, 1), shape });
  const input = host(shapes.input);
  const initialHidden = configuration.withInitialStates ? host(shapes.state) : undefined;
  const initialCell = configuration.withInitialStates && hasCell ? host(shapes.state) : undefined;
  return {
    input,
    ...(initialHidden ? { initialHidden } : {}),
    ...(initialCell ? { initialCell } : {}),
    ...(configuration.sequenceLengths ? { sequenceLengths: configuration.sequenceLengths } : {}),
    outputGradient: host(shapes.output),
    hiddenGradient: host(shapes.state),
    ...(hasCell ? { cellGradient: host(shapes.state) } : {}),
  };
}

/** Forward options for the case (initial states, lengths). */
export function forwardOptions(data: CaseData, training = false): ForwardOptions {
  return {
    ...(data.initialHidden ? { initialHidden: data.initialHidden } : {}),
    ...(data.initialCell ? { initialCell: data.initialCell } : {}),
    ...(data.sequenceLengths ? { sequenceLengths: data.sequenceLengths } : {}),
    training,
  };
}

/** The upstream gradients of the case's loss. */
export function upstreamGradients(data: CaseData): BackwardInput {
  return {
    output: data.outputGradient,
    hidden: data.hiddenGradient,
    ...(data.cellGradient ? { cell: data.cellGradient } : {}),
  };
}

/** The scalar loss of a forward result, accumulated in float64 on the host. */
export async function caseLoss(result: SequenceResult, data: CaseData): Promise<number> {
  let total = dot(await result.output.toArray(), data.outputGradient.data);
  total += dot(await result.hidden.toArray(), data.hiddenGradient.data);
  if (result.cell && data.cellGradient) {
    total += dot(await result.cell.toArray(), data.cellGradient.data);
  }
  return total;
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let index = 0; index < a.length; index++) {
    sum += a[index]! * b[index]!;
  }
  return sum;
}

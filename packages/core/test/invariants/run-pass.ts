/**
 * One forward (+ optional backward) pass of a layer on host data given sample-major, with every
 * result downloaded back to sample-major host arrays and every device handle disposed, so a test
 * can compare passes over different batch compositions, lengths or time orders element by element.
 */
import type { RecurrentLayer } from '../../src/index.js';
import { fromLayout, toLayout } from './layer-cases.js';

export interface PassInput {
  readonly batch: number;
  readonly steps: number;
  /** `[B][T][inputSize]`. */
  readonly input: ArrayLike<number>;
  /** `[L·D, B, H]`. */
  readonly initialHidden?: ArrayLike<number>;
  readonly initialCell?: ArrayLike<number>;
  readonly sequenceLengths?: readonly number[];
  /** When present, runs backward with these upstream gradients. */
  readonly upstream?: {
    /** `[B][T][outputSize]`. */
    readonly output: ArrayLike<number>;
    readonly hidden: ArrayLike<number>;
    readonly cell?: ArrayLike<number>;
  };
}

export interface PassOutput {
  /** `[B][T][outputSize]`. */
  readonly output: Float64Array;
  readonly hidden: Float64Array;
  readonly cell: Float64Array | undefined;
  readonly gradients?: {
    /** `[B][T][inputSize]`. */
    readonly input: Float64Array;
    readonly initialHidden: Float64Array;
    readonly initialCell: Float64Array | undefined;
    /** `layers[l][d].name` flattened to `"l.d.name"`. */
    readonly parameters: Record<string, Float64Array>;
  };
}

export async function runPass(layer: RecurrentLayer, pass: PassInput): Promise<PassOutput> {
  const { batch, steps } = pass;
  const stateShape = [layer.numLayers * layer.directions, batch, layer.hiddenSize];
  const result = layer.forward(toLayout(pass.input, batch, steps, layer.inputSize, layer.layout), {
    ...(pass.initialHidden ? { initialHidden: { data: pass.initialHidden, shape: stateShape } } : {}),
    ...(pass.initialCell ? { initialCell: { data: pass.initialCell, shape: stateShape } } : {}),
    ...(pass.sequenceLengths ? { sequenceLengths: pass.sequenceLengths } : {}),
    training: pass.upstream !== undefined,
  });
  try {
    const output = fromLayout(await result.output.toArray(), batch, steps, layer.outputSize, layer.layout);
    const hidden = Float64Array.from(await result.hidden.toArray());
    const cell = result.cell ? Float64Array.from(await result.cell.toArray()) : undefined;
    if (!pass.upstream) {
      return { output, hidden, cell };
    }
    const gradients = layer.backward(result, {
      output: toLayout(pass.upstream.output, batch, steps, layer.outputSize, layer.layout),
      hidden: { data: pass.upstream.hidden, shape: stateShape },
      ...(pass.upstream.cell ? { cell: { data: pass.upstream.cell, shape: stateShape } } : {}),
    });
    try {
      const parameters: Record<string, Float64Array> = {};
      for (const [layerIndex, directions] of gradients.parameters.entries()) {
        for (const [directionIndex, tensors] of directions.entries()) {
          for (const [name, tensor] of Object.entries(tensors)) {
            parameters[`${layerIndex}.${directionIndex}.${name}`] = Float64Array.from(
              await tensor!.toArray(),
            );
          }
        }
      }
      return {
        output,
        hidden,
        cell,
        gradients: {
          input: fromLayout(await gradients.input!.toArray(), batch, steps, layer.inputSize, layer.layout),
          initialHidden: Float64Array.from(await gradients.initialHidden.toArray()),
          initialCell: gradients.initialCell
            ? Float64Array.from(await gradients.initialCell.toArray())
            : undefined,
          parameters,
        },
      };
    } finally {
      gradients.dispose();
    }
  } finally {
    result.dispose();
  }
}

/** Element-wise sum of parameter-gradient records (per-sample contributions add up). */
export function addParameters(
  total: Record<string, Float64Array> | undefined,
  next: Record<string, Float64Array>,
): Record<string, Float64Array> {
  if (!total) {
    return Object.fromEntries(
      Object.entries(next).map(([name, values]) => [name, Float64Array.from(values)]),
    );
  }
  for (const [name, values] of Object.entries(next)) {
    const target = total[name]!;
    for (let index = 0; index < values.length; index++) {
      target[index]! += values[index]!;
    }
  }
  return total;
}

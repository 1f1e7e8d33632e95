/**
 * Moving ONNX-shaped sequences and states to and from the layer's shapes.
 *
 *   ONNX (layout 0)       layer (time-first)      ONNX (layout 1)       layer (batch-first)
 *   Y   [T, D, N, H]      output [T, N, D·H]      Y   [N, T, D, H]      output [N, T, D·H]
 *   Y_h [D, N, H]         hidden [D, N, H]        Y_h [N, D, H]         hidden [D, N, H]
 * Layout 1's `Y` is the batch-first output as it is; layout 0's swaps the D and N axes.
 */

/** Swaps the first two axes of a row-major `[first, second, inner]` array. */
export function swapLeadingAxes(
  values: ArrayLike<number>,
  first: number,
  second: number,
  inner: number,
): Float64Array {
  const result = new Float64Array(first * second * inner);
  for (let a = 0; a < first; a++) {
    for (let b = 0; b < second; b++) {
      for (let k = 0; k < inner; k++) {
        result[(b * first + a) * inner + k] = values[(a * second + b) * inner + k]!;
      }
    }
  }
  return result;
}

export interface SequenceGeometry {
  readonly batchFirst: boolean;
  readonly steps: number;
  readonly batch: number;
  readonly directions: number;
  readonly hiddenSize: number;
}

/** Layer output → ONNX `Y`, or (`toOnnx` false) ONNX `Y` → layer output. */
export function convertSequence(
  values: ArrayLike<number>,
  geometry: SequenceGeometry,
  toOnnx: boolean,
): Float64Array {
  const { batchFirst, steps, batch, directions, hiddenSize } = geometry;
  if (batchFirst) {
    return Float64Array.from(values);
  }
  const result = new Float64Array(steps * batch * directions * hiddenSize);
  for (let step = 0; step < steps; step++) {
    for (let sample = 0; sample < batch; sample++) {
      for (let direction = 0; direction < directions; direction++) {
        // layer [t, n, d·H + k]  ⇄  ONNX [t, d, n, k]
        const layerOffset = ((step * batch + sample) * directions + direction) * hiddenSize;
        const onnxOffset = ((step * directions + direction) * batch + sample) * hiddenSize;
        for (let unit = 0; unit < hiddenSize; unit++) {
          if (toOnnx) {
            result[onnxOffset + unit] = values[layerOffset + unit]!;
          } else {
            result[layerOffset + unit] = values[onnxOffset + unit]!;
          }
        }
      }
    }
  }
  return result;
}

/** Layer state `[D, N, H]` ⇄ ONNX `Y_h`/`Y_c`/`initial_h` (`[N, D, H]` for layout 1). */
export function convertState(
  values: ArrayLike<number>,
  geometry: SequenceGeometry,
  toOnnx: boolean,
): Float64Array {
  const { batchFirst, batch, directions, hiddenSize } = geometry;
  if (!batchFirst) {
    return Float64Array.from(values);
  }
  return toOnnx
    ? swapLeadingAxes(values, directions, batch, hiddenSize)
    : swapLeadingAxes(values, batch, directions, hiddenSize);
}

/** ONNX dims of `Y` and of the states. */
export function onnxDims(geometry: SequenceGeometry): { sequence: number[]; state: number[] } {
  const { batchFirst, steps, batch, directions, hiddenSize } = geometry;
  return batchFirst
    ? { sequence: [batch, steps, directions, hiddenSize], state: [batch, directions, hiddenSize] }
    : { sequence: [steps, directions, batch, hiddenSize], state: [directions, batch, hiddenSize] };
}

/**
 * Zeros every value of the samples in `samples` in a layer-shaped sequence (`sequence`) or
 * state (`[D, N, H]`). Used for ONNX length-0 samples, which the layer runs for one step.
 */
export function zeroSamples(
  values: Float64Array,
  geometry: SequenceGeometry,
  samples: readonly number[],
  kind: 'sequence' | 'state',
): Float64Array {
  const { batchFirst, steps, batch, directions, hiddenSize } = geometry;
  for (const sample of samples) {
    if (kind === 'state') {
      for (let direction = 0; direction < directions; direction++) {
        values.fill(
          0,
          (direction * batch + sample) * hiddenSize,
          (direction * batch + sample + 1) * hiddenSize,
        );
      }
      continue;
    }
    const width = directions * hiddenSize;
    for (let step = 0; step < steps; step++) {
      const row = batchFirst ? sample * steps + step : step * batch + sample;
      values.fill(0, row * width, (row + 1) * width);
    }
  }
  return values;
}

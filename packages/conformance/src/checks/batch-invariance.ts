/** Batch invariance: each sample run alone gives the rows it gets inside the batch. */
import type { HostTensor, RecurrentLayer } from '@recurrent/core';
import { caseShapes, forwardOptions, makeCaseData } from '../case-data.js';
import type { CheckOutcome } from '../conformance-case.js';
import { layerConfigurations } from '../layer-configurations.js';
import type { TensorError } from '../report.js';
import { compareTensor } from '../tensor-error.js';
import { equivalenceTolerance } from '../tolerances.js';

export const batchConfiguration = layerConfigurations[2]!;

/** Each sample run alone gives the rows it gets inside the batch. */
export async function batchInvariance(layer: RecurrentLayer): Promise<CheckOutcome> {
  const configuration = batchConfiguration;
  const data = makeCaseData(layer, configuration, 52);
  const whole = layer.forward(data.input, forwardOptions(data));
  const shapes = caseShapes(layer, configuration);
  const errors: TensorError[] = [];
  try {
    const output = await whole.output.toArray();
    const hidden = await whole.hidden.toArray();
    for (let sample = 0; sample < configuration.batch; sample++) {
      const pick = (tensor: HostTensor | undefined, batchAxis: number) =>
        tensor ? selectBatch(tensor, batchAxis, sample) : undefined;
      const inputAxis = layer.layout === 'batch-first' ? 0 : 1;
      const initialHidden = pick(data.initialHidden, 1);
      const initialCell = pick(data.initialCell, 1);
      const alone = layer.forward(pick(data.input, inputAxis)!, {
        ...(initialHidden ? { initialHidden } : {}),
        ...(initialCell ? { initialCell } : {}),
        ...(data.sequenceLengths ? { sequenceLengths: [data.sequenceLengths[sample]!] } : {}),
      });
      try {
        const expectedOutput = selectBatch({ data: output, shape: shapes.output }, inputAxis, sample).data;
        const expectedHidden = selectBatch({ data: hidden, shape: shapes.state }, 1, sample).data;
        errors.push(compareTensor(`output[sample ${sample}]`, await alone.output.toArray(), expectedOutput));
        errors.push(compareTensor(`hidden[sample ${sample}]`, await alone.hidden.toArray(), expectedHidden));
      } finally {
        alone.dispose();
      }
    }
  } finally {
    whole.dispose();
  }
  return {
    kind: 'numeric',
    tolerance: equivalenceTolerance(layer.backend.info.dtype, configuration, layer.cell.gates.length),
    tensors: errors,
  };
}

/** The slice of `tensor` at `index` along `axis`, keeping the axis with size 1. */
function selectBatch(tensor: HostTensor, axis: number, index: number): HostTensor {
  const shape = [...tensor.shape];
  const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const count = shape[axis]!;
  const data = new Float64Array(outer * inner);
  for (let block = 0; block < outer; block++) {
    for (let element = 0; element < inner; element++) {
      data[block * inner + element] = tensor.data[(block * count + index) * inner + element]!;
    }
  }
  shape[axis] = 1;
  return { data, shape };
}

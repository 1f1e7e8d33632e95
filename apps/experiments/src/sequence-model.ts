/**
 * A one-layer recurrent model with a linear read-out of the final hidden state, trained with
 * Adam and global-norm clipping — the same code path for every cell, so differences in the
 * results come from the cells alone.
 */
import {
  Adam,
  type Backend,
  type CellDefinition,
  clipGradientNorm,
  Linear,
  listGradients,
  listParameters,
  meanSquaredError,
  RecurrentLayer,
  softmaxCrossEntropy,
  type Tensor,
} from '@recurrent/core';

export type TaskKind = 'regression' | 'classification';

export interface SequenceModelOptions {
  readonly cell: CellDefinition;
  readonly inputSize: number;
  readonly hiddenSize: number;
  /** 1 for regression, the number of classes for classification. */
  readonly outputs: number;
  readonly task: TaskKind;
  readonly seed: number;
  readonly learningRate: number;
  readonly clipNorm: number;
}

export interface Batch {
  readonly inputs: Float64Array;
  readonly targets: ArrayLike<number>;
  readonly batch: number;
  readonly steps: number;
}

export interface Evaluation {
  readonly loss: number;
  /** Classification only: fraction of samples whose arg-max is the target. */
  readonly accuracy?: number;
}

export class SequenceModel {
  readonly layer: RecurrentLayer;
  readonly readout: Linear;
  private readonly optimizer: Adam;

  constructor(
    readonly backend: Backend,
    readonly options: SequenceModelOptions,
  ) {
    this.layer = new RecurrentLayer(backend, options.cell, {
      inputSize: options.inputSize,
      hiddenSize: options.hiddenSize,
      seed: options.seed,
    });
    this.readout = new Linear(backend, {
      inputSize: options.hiddenSize,
      outputSize: options.outputs,
      seed: options.seed + 1,
    });
    this.optimizer = new Adam([...listParameters(this.layer), ...this.readout.parameters], {
      learningRate: options.learningRate,
    });
  }

  /** One Adam step on `batch`; resolves with the loss before the step. */
  async trainStep(batch: Batch): Promise<number> {
    const { loss } = await this.lossAndGradients(batch, true, false);
    return loss;
  }

  /**
   * `‖∂L/∂h_t‖` averaged over the batch, indexed by distance `T − 1 − t` from the loss
   * (which reads only the final state). No update is applied.
   */
  async gradientFlow(batch: Batch): Promise<number[]> {
    const { flow } = await this.lossAndGradients(batch, false, true);
    return flow!;
  }

  async evaluate(batch: Batch): Promise<Evaluation> {
    const result = this.layer.forward({ data: batch.inputs, shape: this.inputShape(batch) });
    const prediction = this.readout.forward(result.hidden);
    try {
      const loss = await this.loss(prediction, batch);
      loss.dispose();
      if (this.options.task === 'regression') {
        return { loss: loss.value };
      }
      const logits = await prediction.toArray();
      const classes = this.options.outputs;
      let correct = 0;
      for (let sample = 0; sample < batch.batch; sample++) {
        let best = 0;
        for (let c = 1; c < classes; c++) {
          if (logits[sample * classes + c]! > logits[sample * classes + best]!) {
            best = c;
          }
        }
        correct += best === batch.targets[sample] ? 1 : 0;
      }
      return { loss: loss.value, accuracy: correct / batch.batch };
    } finally {
      prediction.dispose();
      result.dispose();
    }
  }

  dispose(): void {
    this.optimizer.dispose();
    this.readout.dispose();
    this.layer.dispose();
  }

  private inputShape(batch: Batch): number[] {
    return [batch.batch, batch.steps, this.options.inputSize];
  }

  private loss(prediction: Tensor, batch: Batch) {
    return this.options.task === 'regression'
      ? meanSquaredError(prediction, { data: batch.targets, shape: [1, batch.batch, 1] })
      : softmaxCrossEntropy(prediction, batch.targets);
  }

  private async lossAndGradients(batch: Batch, update: boolean, measureFlow: boolean) {
    const result = this.layer.forward(
      { data: batch.inputs, shape: this.inputShape(batch) },
      { training: true },
    );
    const prediction = this.readout.forward(result.hidden);
    const loss = await this.loss(prediction, batch);
    const readoutGradients = this.readout.backward(result.hidden, loss.gradient);
    const gradients = this.layer.backward(result, {
      hidden: readoutGradients.input!,
      inputGradient: false,
      hiddenStateGradients: measureFlow,
    });
    try {
      let flow: number[] | undefined;
      if (measureFlow) {
        flow = await perStepNorms(
          gradients.hiddenStates[0]!,
          batch.batch,
          batch.steps,
          this.options.hiddenSize,
        );
      }
      if (update) {
        const all = [...listGradients(gradients), ...readoutGradients.parameters];
        await clipGradientNorm(all, this.options.clipNorm);
        this.optimizer.step(all);
      }
      return { loss: loss.value, flow };
    } finally {
      gradients.dispose();
      readoutGradients.dispose();
      loss.dispose();
      prediction.dispose();
      result.dispose();
    }
  }
}

/** Mean over the batch of the L2 norm of `[B, T, H]` gradients per step, by distance from the end. */
async function perStepNorms(
  gradients: Tensor,
  batch: number,
  steps: number,
  hidden: number,
): Promise<number[]> {
  const values = await gradients.toArray();
  const byDistance = new Array<number>(steps).fill(0);
  for (let sample = 0; sample < batch; sample++) {
    for (let step = 0; step < steps; step++) {
      let squares = 0;
      for (let unit = 0; unit < hidden; unit++) {
        squares += values[(sample * steps + step) * hidden + unit]! ** 2;
      }
      byDistance[steps - 1 - step]! += Math.sqrt(squares) / batch;
    }
  }
  return byDistance;
}

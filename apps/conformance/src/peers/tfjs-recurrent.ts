/**
 * The TensorFlow.js peer workload as plain functions of tfjs tensors: the forward pass (one
 * big input projection, then per step one `matMul` with the recurrent weights and the gates)
 * and backpropagation through time written with tfjs ops. Separate from the runner so a test
 * can compare its gradients with the reference backend's.
 *
 * Weights in Keras orientation: `inputWeights [I, G·H]`, `recurrentWeights [H, G·H]`, gate
 * blocks in this library's canonical order (GRU update, reset, candidate, reset after the
 * product; LSTM input, forget, cell, output); two biases; zero initial states.
 */
type Tf = typeof import('@tensorflow/tfjs-core');
type TfTensor = import('@tensorflow/tfjs-core').Tensor;
type Tensor2D = import('@tensorflow/tfjs-core').Tensor2D;

export interface TfjsRecurrentProblem {
  readonly cell: 'rnn' | 'gru' | 'lstm';
  readonly steps: number;
  readonly batch: number;
  readonly hiddenSize: number;
  /** Time-major `[T·B, I]`. */
  readonly input: Tensor2D;
  readonly inputWeights: Tensor2D;
  readonly recurrentWeights: Tensor2D;
  readonly inputBias: TfTensor;
  readonly recurrentBias: TfTensor;
  /** dL/dY, `[T, B, H]`. */
  readonly outputGradient: TfTensor;
}

/** What backward needs from one forward step. */
export interface SavedStep {
  readonly previousHidden: TfTensor;
  readonly previousCell: TfTensor;
  readonly gates: TfTensor[];
  readonly extra: TfTensor;
}

export interface TfjsRecurrent {
  /** Forward over the sequence; with `saved`, keeps what backward needs (as a tape would). */
  readonly sequence: (saved?: SavedStep[]) => { outputs: TfTensor[]; hidden: TfTensor };
  /** `[dInputWeights, dRecurrentWeights, dInputBias, dRecurrentBias, dInput, dInitialHidden]`. */
  readonly backward: (saved: SavedStep[]) => TfTensor[];
}

export function createTfjsRecurrent(tf: Tf, problem: TfjsRecurrentProblem): TfjsRecurrent {
  const {
    cell,
    steps,
    batch,
    hiddenSize,
    input,
    inputWeights,
    recurrentWeights,
    inputBias,
    recurrentBias,
    outputGradient,
  } = problem;
  const columns = inputWeights.shape[1];
  const sequence = (saved?: SavedStep[]): { outputs: TfTensor[]; hidden: TfTensor } => {
    const projected = tf.reshape(tf.add(tf.matMul(input, inputWeights), inputBias), [steps, batch, columns]);
    const perStep = tf.unstack(projected);
    let hidden: TfTensor = tf.zeros([batch, hiddenSize]);
    let cellState: TfTensor = tf.zeros([batch, hiddenSize]);
    const outputs: TfTensor[] = [];
    for (const x of perStep) {
      const h = tf.add(tf.matMul(hidden as Tensor2D, recurrentWeights), recurrentBias);
      const previousHidden = hidden;
      const previousCell = cellState;
      let gates: TfTensor[];
      let extra: TfTensor = cellState;
      if (cell === 'rnn') {
        hidden = tf.tanh(tf.add(x, h));
        gates = [hidden];
      } else if (cell === 'gru') {
        const [xz, xr, xn] = tf.split(x, 3, 1) as [TfTensor, TfTensor, TfTensor];
        const [hz, hr, hn] = tf.split(h, 3, 1) as [TfTensor, TfTensor, TfTensor];
        const update = tf.sigmoid(tf.add(xz, hz));
        const reset = tf.sigmoid(tf.add(xr, hr));
        const candidate = tf.tanh(tf.add(xn, tf.mul(reset, hn)));
        hidden = tf.add(tf.mul(tf.sub(1, update), candidate), tf.mul(update, hidden));
        gates = [update, reset, candidate];
        extra = hn;
      } else {
        const [gi, gf, gg, go] = tf.split(tf.add(x, h), 4, 1) as [TfTensor, TfTensor, TfTensor, TfTensor];
        const [inputGate, forgetGate, candidate, outputGate] = [
          tf.sigmoid(gi),
          tf.sigmoid(gf),
          tf.tanh(gg),
          tf.sigmoid(go),
        ];
        cellState = tf.add(tf.mul(forgetGate, cellState), tf.mul(inputGate, candidate));
        hidden = tf.mul(outputGate, tf.tanh(cellState));
        gates = [inputGate, forgetGate, candidate, outputGate];
        extra = cellState;
      }
      saved?.push({ previousHidden, previousCell, gates, extra });
      outputs.push(hidden);
    }
    return { outputs, hidden };
  };

  // Backpropagation through time written with tfjs ops: per step (reversed) the gate
  // gradients and one product for dh_{t-1}; after the loop one product each for dW, dU, dX
  // and row sums for the biases (tfjs-core's Node build ships no gradient registrations,
  // so tf.grad cannot differentiate these kernels here).
  const backward = (saved: SavedStep[]): TfTensor[] => {
    const outputGradients = tf.unstack(outputGradient);
    let dHidden: TfTensor = tf.zeros([batch, hiddenSize]);
    let dCell: TfTensor = tf.zeros([batch, hiddenSize]);
    const dInputGates: TfTensor[] = new Array(steps);
    const dRecurrentGates: TfTensor[] = new Array(steps);
    const one = tf.scalar(1);
    const sigmoidDerivative = (value: TfTensor) => tf.mul(value, tf.sub(one, value));
    const tanhDerivative = (value: TfTensor) => tf.sub(one, tf.square(value));
    for (let step = steps - 1; step >= 0; step--) {
      const { previousHidden, previousCell, gates, extra } = saved[step]!;
      const dh = tf.add(dHidden, outputGradients[step]!);
      let dx: TfTensor;
      let dr: TfTensor;
      let dPrevious: TfTensor = tf.zeros([batch, hiddenSize]);
      if (cell === 'rnn') {
        dx = tf.mul(dh, tanhDerivative(gates[0]!));
        dr = dx;
      } else if (cell === 'gru') {
        const [update, reset, candidate] = gates as [TfTensor, TfTensor, TfTensor];
        const dCandidate = tf.mul(tf.mul(dh, tf.sub(one, update)), tanhDerivative(candidate));
        const dUpdate = tf.mul(tf.mul(dh, tf.sub(previousHidden, candidate)), sigmoidDerivative(update));
        const dReset = tf.mul(tf.mul(dCandidate, extra), sigmoidDerivative(reset));
        dx = tf.concat([dUpdate, dReset, dCandidate], 1);
        dr = tf.concat([dUpdate, dReset, tf.mul(dCandidate, reset)], 1);
        dPrevious = tf.mul(dh, update);
      } else {
        const [inputGate, forgetGate, candidate, outputGate] = gates as [
          TfTensor,
          TfTensor,
          TfTensor,
          TfTensor,
        ];
        const tanhCell = tf.tanh(extra);
        const dc = tf.add(dCell, tf.mul(tf.mul(dh, outputGate), tanhDerivative(tanhCell)));
        dx = tf.concat(
          [
            tf.mul(tf.mul(dc, candidate), sigmoidDerivative(inputGate)),
            tf.mul(tf.mul(dc, previousCell), sigmoidDerivative(forgetGate)),
            tf.mul(tf.mul(dc, inputGate), tanhDerivative(candidate)),
            tf.mul(tf.mul(dh, tanhCell), sigmoidDerivative(outputGate)),
          ],
          1,
        );
        dr = dx;
        dCell = tf.mul(dc, forgetGate);
      }
      dInputGates[step] = dx;
      dRecurrentGates[step] = dr;
      dHidden = tf.add(dPrevious, tf.matMul(dr as Tensor2D, recurrentWeights, false, true));
    }
    const dInputAll = tf.concat(dInputGates, 0) as Tensor2D;
    const dRecurrentAll = tf.concat(dRecurrentGates, 0) as Tensor2D;
    const previousAll = tf.concat(
      saved.map((entry) => entry.previousHidden),
      0,
    ) as Tensor2D;
    return [
      tf.matMul(input, dInputAll, true, false),
      tf.matMul(previousAll, dRecurrentAll, true, false),
      tf.sum(dInputAll, 0),
      tf.sum(dRecurrentAll, 0),
      tf.matMul(dInputAll, inputWeights, false, true),
      dHidden,
    ];
  };
  return { sequence, backward };
}

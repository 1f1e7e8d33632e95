/**
 * An independent float64 evaluator of the ONNX RNN, GRU and LSTM operators, written straight
 * from the operator equations (onnx.ai Operators.md, summarised in the vectors' README) with
 * plain loops. It deliberately imports nothing from `src/`: no activations, no gate tables,
 * no layouts, so a mistake in the library cannot hide in a shared helper. It is the oracle for
 * the property tests, the finite-difference gradients and the generated vectors.
 *
 * Per direction and sample, one step is (ONNX gate order, `·` the dot product over a row):
 *   RNN   H = f(x·Wi + h·Ri + Wbi + Rbi)
 *   GRU   z = f(x·Wz + h·Rz + Wbz + Rbz),  r = f(x·Wr + h·Rr + Wbr + Rbr)
 *         n = g(x·Wh + (r⊙h)·Rh + Rbh + Wbh)                 linear_before_reset = 0
 *         n = g(x·Wh + r⊙(h·Rh + Rbh) + Wbh)                 linear_before_reset ≠ 0
 *         H = (1 − z)⊙n + z⊙h
 *   LSTM  i = f(x·Wi + h·Ri + Pi⊙c + Wbi + Rbi),  f_ = f(x·Wf + h·Rf + Pf⊙c + Wbf + Rbf)
 *         g_ = g(x·Wc + h·Rc + Wbc + Rbc),  C = f_⊙c + i⊙g_
 *         o = f(x·Wo + h·Ro + Po⊙C + Wbo + Rbo),  H = o⊙h(C)
 * `clip` clamps every argument of f and g (not of h). Lengths: a sample runs steps 0..L−1
 * (reverse: L−1..0), `Y` is 0 past L, and L = 0 gives zero final states.
 */

export interface EquationTensor {
  readonly dims: readonly number[];
  readonly data: ArrayLike<number>;
}

export interface EquationNode {
  readonly operator: 'RNN' | 'GRU' | 'LSTM';
  readonly attributes?: {
    readonly hidden_size?: number;
    readonly direction?: string;
    readonly layout?: number;
    readonly activations?: readonly string[];
    readonly activation_alpha?: readonly number[];
    readonly activation_beta?: readonly number[];
    readonly clip?: number | null;
    readonly linear_before_reset?: number;
  };
  readonly inputs: Readonly<Record<string, EquationTensor | null | undefined>>;
}

export interface EquationOutputs {
  Y: EquationTensor;
  Y_h: EquationTensor;
  Y_c?: EquationTensor;
}

type Scalar = (x: number) => number;

function makeFunction(name: string, alpha: number | undefined, beta: number | undefined): Scalar {
  switch (name.toLowerCase()) {
    case 'sigmoid':
      return (x) => 1 / (1 + Math.exp(-x));
    case 'tanh':
      return (x) => Math.tanh(x);
    case 'relu':
      return (x) => Math.max(x, 0);
    case 'affine': {
      const a = alpha ?? 1;
      const b = beta ?? 0;
      return (x) => a * x + b;
    }
    case 'leakyrelu': {
      const a = alpha ?? 0.01;
      return (x) => (x < 0 ? a * x : x);
    }
    case 'thresholdedrelu': {
      const a = alpha ?? 1;
      return (x) => (x > a ? x : 0);
    }
    case 'scaledtanh': {
      const a = alpha ?? 1;
      const b = beta ?? 1;
      return (x) => a * Math.tanh(b * x);
    }
    case 'hardsigmoid': {
      const a = alpha ?? 0.2;
      const b = beta ?? 0.5;
      return (x) => Math.max(0, Math.min(1, a * x + b));
    }
    case 'elu': {
      const a = alpha ?? 1;
      return (x) => (x < 0 ? a * (Math.exp(x) - 1) : x);
    }
    case 'softsign':
      return (x) => x / (1 + Math.abs(x));
    case 'softplus':
      return (x) => Math.log(1 + Math.exp(x));
    default:
      throw new Error(`unknown activation ${name}`);
  }
}

const usesAlpha = ['affine', 'leakyrelu', 'thresholdedrelu', 'scaledtanh', 'hardsigmoid', 'elu'];
const usesBeta = ['affine', 'scaledtanh', 'hardsigmoid'];

/** Evaluates one node; outputs have ONNX shapes. */
export function evaluateOnnxEquations(node: EquationNode): EquationOutputs {
  const attributes = node.attributes ?? {};
  const op = node.operator;
  const X = node.inputs.X!;
  const W = node.inputs.W!;
  const R = node.inputs.R!;
  const directionName = attributes.direction ?? 'forward';
  const numDirections = directionName === 'bidirectional' ? 2 : 1;
  const layout = attributes.layout ?? 0;
  const H = attributes.hidden_size ?? R.dims[2]!;
  const T = layout === 0 ? X.dims[0]! : X.dims[1]!;
  const N = layout === 0 ? X.dims[1]! : X.dims[0]!;
  const I = X.dims[2]!;
  const G = op === 'RNN' ? 1 : op === 'GRU' ? 3 : 4;
  const perDirection = op === 'RNN' ? 1 : op === 'GRU' ? 2 : 3;
  const defaultNames =
    op === 'RNN' ? ['Tanh'] : op === 'GRU' ? ['Sigmoid', 'Tanh'] : ['Sigmoid', 'Tanh', 'Tanh'];
  let names = attributes.activations && attributes.activations.length > 0 ? [...attributes.activations] : [];
  if (names.length === 0) {
    for (let d = 0; d < numDirections; d++) {
      names.push(...defaultNames);
    }
  }
  names = names.slice(0, perDirection * numDirections);
  const alphas = attributes.activation_alpha ?? [];
  const betas = attributes.activation_beta ?? [];
  let alphaIndex = 0;
  let betaIndex = 0;
  const functions = names.map((name) => {
    const lower = name.toLowerCase();
    const alpha = usesAlpha.includes(lower) ? alphas[alphaIndex++] : undefined;
    const beta = usesBeta.includes(lower) ? betas[betaIndex++] : undefined;
    return makeFunction(name, alpha, beta);
  });
  const clip = attributes.clip ?? null;
  const clamp = (x: number) => (clip === null ? x : Math.min(clip, Math.max(-clip, x)));
  const lbr = attributes.linear_before_reset ?? 0;

  const B = node.inputs.B ?? null;
  const P = node.inputs.P ?? null;
  const lens = node.inputs.sequence_lens ?? null;
  const h0 = node.inputs.initial_h ?? null;
  const c0 = node.inputs.initial_c ?? null;

  const x = (t: number, n: number, i: number) =>
    X.data[layout === 0 ? (t * N + n) * I + i : (n * T + t) * I + i]!;
  const w = (d: number, row: number, i: number) => W.data[(d * G * H + row) * I + i]!;
  const r = (d: number, row: number, k: number) => R.data[(d * G * H + row) * H + k]!;
  const wb = (d: number, row: number) => (B ? B.data[d * 2 * G * H + row]! : 0);
  const rb = (d: number, row: number) => (B ? B.data[d * 2 * G * H + G * H + row]! : 0);
  const p = (d: number, row: number) => (P ? P.data[d * 3 * H + row]! : 0);
  const stateIndex = (d: number, n: number, j: number) =>
    layout === 0 ? (d * N + n) * H + j : (n * numDirections + d) * H + j;
  const yIndex = (t: number, d: number, n: number, j: number) =>
    layout === 0 ? ((t * numDirections + d) * N + n) * H + j : ((n * T + t) * numDirections + d) * H + j;

  const Y = new Float64Array(T * numDirections * N * H);
  const Yh = new Float64Array(numDirections * N * H);
  const Yc = new Float64Array(numDirections * N * H);

  for (let d = 0; d < numDirections; d++) {
    const reverse = directionName === 'reverse' || d === 1;
    const f = functions[d * perDirection]!;
    const g = functions[d * perDirection + 1]!;
    const hAct = functions[d * perDirection + 2]!;
    for (let n = 0; n < N; n++) {
      const L = lens ? lens.data[n]! : T;
      if (L === 0) {
        continue; // zero outputs and zero final states
      }
      let h = Array.from({ length: H }, (_, j) => (h0 ? h0.data[stateIndex(d, n, j)]! : 0));
      let c = Array.from({ length: H }, (_, j) => (c0 ? c0.data[stateIndex(d, n, j)]! : 0));
      for (let s = 0; s < L; s++) {
        const t = reverse ? L - 1 - s : s;
        // xw(row) = Xt·W[row] + Wb[row], hr(row, v) = v·R[row]
        const xw = (row: number) => {
          let sum = 0;
          for (let i = 0; i < I; i++) {
            sum += x(t, n, i) * w(d, row, i);
          }
          return sum;
        };
        const hr = (row: number, v: readonly number[]) => {
          let sum = 0;
          for (let k = 0; k < H; k++) {
            sum += v[k]! * r(d, row, k);
          }
          return sum;
        };
        const next = new Array<number>(H);
        const nextC = new Array<number>(H);
        if (op === 'RNN') {
          for (let j = 0; j < H; j++) {
            next[j] = f(clamp(xw(j) + hr(j, h) + wb(d, j) + rb(d, j)));
          }
        } else if (op === 'GRU') {
          const zt = new Array<number>(H);
          const rt = new Array<number>(H);
          for (let j = 0; j < H; j++) {
            zt[j] = f(clamp(xw(j) + hr(j, h) + wb(d, j) + rb(d, j)));
            rt[j] = f(clamp(xw(H + j) + hr(H + j, h) + wb(d, H + j) + rb(d, H + j)));
          }
          const resetH = h.map((value, k) => rt[k]! * value);
          for (let j = 0; j < H; j++) {
            const row = 2 * H + j;
            const pre =
              lbr === 0
                ? xw(row) + hr(row, resetH) + rb(d, row) + wb(d, row)
                : xw(row) + rt[j]! * (hr(row, h) + rb(d, row)) + wb(d, row);
            const ht = g(clamp(pre));
            next[j] = (1 - zt[j]!) * ht + zt[j]! * h[j]!;
          }
        } else {
          // ONNX LSTM rows: i = 0, o = H, f = 2H, c = 3H; P: i = 0, o = H, f = 2H.
          for (let j = 0; j < H; j++) {
            const it = f(clamp(xw(j) + hr(j, h) + p(d, j) * c[j]! + wb(d, j) + rb(d, j)));
            const ft = f(
              clamp(
                xw(2 * H + j) +
                  hr(2 * H + j, h) +
                  p(d, 2 * H + j) * c[j]! +
                  wb(d, 2 * H + j) +
                  rb(d, 2 * H + j),
              ),
            );
            const ct = g(clamp(xw(3 * H + j) + hr(3 * H + j, h) + wb(d, 3 * H + j) + rb(d, 3 * H + j)));
            nextC[j] = ft * c[j]! + it * ct;
            const ot = f(
              clamp(xw(H + j) + hr(H + j, h) + p(d, H + j) * nextC[j]! + wb(d, H + j) + rb(d, H + j)),
            );
            next[j] = ot * hAct(nextC[j]!);
          }
          c = nextC;
        }
        h = next;
        for (let j = 0; j < H; j++) {
          Y[yIndex(t, d, n, j)] = h[j]!;
        }
      }
      for (let j = 0; j < H; j++) {
        Yh[stateIndex(d, n, j)] = h[j]!;
        Yc[stateIndex(d, n, j)] = c[j]!;
      }
    }
  }
  const stateDims = layout === 0 ? [numDirections, N, H] : [N, numDirections, H];
  return {
    Y: { dims: layout === 0 ? [T, numDirections, N, H] : [N, T, numDirections, H], data: Y },
    Y_h: { dims: stateDims, data: Yh },
    ...(op === 'LSTM' ? { Y_c: { dims: stateDims, data: Yc } } : {}),
  };
}

/** `L = Σ upstream ⊙ outputs` over the upstream tensors given. */
export function equationLoss(
  node: EquationNode,
  upstream: Readonly<Partial<Record<'Y' | 'Y_h' | 'Y_c', EquationTensor>>>,
): number {
  const outputs = evaluateOnnxEquations(node);
  let loss = 0;
  for (const name of ['Y', 'Y_h', 'Y_c'] as const) {
    const weights = upstream[name];
    const values = outputs[name];
    if (weights && values) {
      for (let index = 0; index < weights.data.length; index++) {
        loss += weights.data[index]! * values.data[index]!;
      }
    }
  }
  return loss;
}

/**
 * Central differences of {@link equationLoss} with respect to input `name`; an absent input is
 * differentiated at zeros of `dims`.
 */
export function equationGradient(
  node: EquationNode,
  upstream: Readonly<Partial<Record<'Y' | 'Y_h' | 'Y_c', EquationTensor>>>,
  name: string,
  dims: readonly number[],
  epsilon = 1e-6,
): Float64Array {
  const existing = node.inputs[name];
  const values = existing
    ? Float64Array.from(existing.data)
    : new Float64Array(dims.reduce((a, b) => a * b, 1));
  const withValues = (): EquationNode => ({
    ...node,
    inputs: { ...node.inputs, [name]: { dims, data: values } },
  });
  const gradient = new Float64Array(values.length);
  for (let index = 0; index < values.length; index++) {
    const original = values[index]!;
    values[index] = original + epsilon;
    const plus = equationLoss(withValues(), upstream);
    values[index] = original - epsilon;
    const minus = equationLoss(withValues(), upstream);
    values[index] = original;
    gradient[index] = (plus - minus) / (2 * epsilon);
  }
  return gradient;
}

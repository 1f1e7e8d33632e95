/**
 * Activation functions stored by definition, not by name: a numeric kind plus the two
 * parameters ONNX uses (`alpha`, `beta`). Kernels receive the three numbers as constants,
 * so one compiled kernel serves every activation choice.
 *
 * kind  name             f(x)                                  default alpha, beta
 * 0     sigmoid          1 / (1 + e^-x)
 * 1     tanh             tanh(x)
 * 2     relu             max(0, x)
 * 3     hardSigmoid      max(0, min(1, alpha·x + beta))        0.2, 0.5 (ONNX)
 * 4     leakyRelu        x ≥ 0 ? x : alpha·x                   0.01
 * 5     thresholdedRelu  x > alpha ? x : 0                     1
 * 6     scaledTanh       alpha · tanh(beta·x)                  1, 1
 * 7     affine           alpha·x + beta                        1, 0
 * 8     elu              x ≥ 0 ? x : alpha·(e^x − 1)           1
 * 9     softsign         x / (1 + |x|)
 * 10    softplus         log(1 + e^x)
 */
import { ValueError } from './errors.js';

export const activationKinds = {
  sigmoid: 0,
  tanh: 1,
  relu: 2,
  hardSigmoid: 3,
  leakyRelu: 4,
  thresholdedRelu: 5,
  scaledTanh: 6,
  affine: 7,
  elu: 8,
  softsign: 9,
  softplus: 10,
} as const;

export type ActivationName = keyof typeof activationKinds;

export interface Activation {
  readonly name: ActivationName;
  readonly alpha: number;
  readonly beta: number;
}

const defaultParameters: Record<ActivationName, readonly [number, number]> = {
  sigmoid: [0, 0],
  tanh: [0, 0],
  relu: [0, 0],
  hardSigmoid: [0.2, 0.5],
  leakyRelu: [0.01, 0],
  thresholdedRelu: [1, 0],
  scaledTanh: [1, 1],
  affine: [1, 0],
  elu: [1, 0],
  softsign: [0, 0],
  softplus: [0, 0],
};

/** Builds an activation, filling in ONNX's default `alpha`/`beta` where not given. */
export function activation(name: ActivationName, alpha?: number, beta?: number): Activation {
  const defaults = defaultParameters[name];
  if (defaults === undefined) {
    throw new ValueError(
      'activation',
      `name is '${name}'; expected one of ${Object.keys(activationKinds).join(', ')}`,
    );
  }
  return { name, alpha: alpha ?? defaults[0], beta: beta ?? defaults[1] };
}

/** f(x) for activation `kind` (see the table above). Scalar-only: compiled by GPU backends. */
export function activate(kind: number, alpha: number, beta: number, x: number): number {
  if (kind === 0) {
    return 1 / (1 + Math.exp(-x));
  }
  if (kind === 1) {
    return Math.tanh(x);
  }
  if (kind === 2) {
    return Math.max(x, 0);
  }
  if (kind === 3) {
    return Math.min(Math.max(alpha * x + beta, 0), 1);
  }
  if (kind === 4) {
    return x >= 0 ? x : alpha * x;
  }
  if (kind === 5) {
    return x > alpha ? x : 0;
  }
  if (kind === 6) {
    return alpha * Math.tanh(beta * x);
  }
  if (kind === 7) {
    return alpha * x + beta;
  }
  if (kind === 8) {
    return x >= 0 ? x : alpha * (Math.exp(x) - 1);
  }
  if (kind === 9) {
    return x / (1 + Math.abs(x));
  }
  return Math.max(x, 0) + Math.log(1 + Math.exp(-Math.abs(x)));
}

/** f'(x) for activation `kind`. At kinks the right-hand derivative is used. */
export function activationSlope(kind: number, alpha: number, beta: number, x: number): number {
  if (kind === 0) {
    const s = 1 / (1 + Math.exp(-x));
    return s * (1 - s);
  }
  if (kind === 1) {
    const t = Math.tanh(x);
    return 1 - t * t;
  }
  if (kind === 2) {
    return x >= 0 ? 1 : 0;
  }
  if (kind === 3) {
    const y = alpha * x + beta;
    return y >= 0 && y <= 1 ? alpha : 0;
  }
  if (kind === 4) {
    return x >= 0 ? 1 : alpha;
  }
  if (kind === 5) {
    return x > alpha ? 1 : 0;
  }
  if (kind === 6) {
    const t = Math.tanh(beta * x);
    return alpha * beta * (1 - t * t);
  }
  if (kind === 7) {
    return alpha;
  }
  if (kind === 8) {
    return x >= 0 ? 1 : alpha * Math.exp(x);
  }
  if (kind === 9) {
    const d = 1 + Math.abs(x);
    return 1 / (d * d);
  }
  return 1 / (1 + Math.exp(-x));
}

/** f'(x) given y = f(x): exact and cheaper for sigmoid and tanh; the slope function otherwise. */
export function activationSlopeFromValue(
  kind: number,
  alpha: number,
  beta: number,
  x: number,
  y: number,
): number {
  if (kind === 0) {
    return y * (1 - y);
  }
  if (kind === 1) {
    return 1 - y * y;
  }
  return activationSlope(kind, alpha, beta, x);
}

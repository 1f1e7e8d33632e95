/**
 * ONNX `activations` / `activation_alpha` / `activation_beta` → one {@link Activation} list
 * per direction.
 *
 * The functions are listed per direction in the order (f[, g[, h]]), the forward direction
 * first. `activation_alpha` and `activation_beta` are consumed in that same order, each by the
 * functions that take that parameter (α: LeakyRelu, ThresholdedRelu, Elu, HardSigmoid, Affine,
 * ScaledTanh; β: HardSigmoid, Affine, ScaledTanh). A function left without a value gets the
 * default of the corresponding ONNX operator (LeakyRelu α = 0.01, ThresholdedRelu α = 1, Elu
 * α = 1, HardSigmoid α = 0.2, β = 0.5; Affine 1, 0; ScaledTanh 1, 1). ONNX Runtime 1.30 takes a
 * missing α/β of ThresholdedRelu, Affine and ScaledTanh as 0 instead; we follow the operator
 * text, so give those values explicitly when a model must match ONNX Runtime exactly.
 * Names are matched case-insensitively, as ONNX Runtime does.
 */
import { type Activation, type ActivationName, activation } from '../activation.js';
import { UnsupportedError, ValueError } from '../errors.js';

const onnxNames: Record<string, ActivationName> = {
  sigmoid: 'sigmoid',
  tanh: 'tanh',
  relu: 'relu',
  hardsigmoid: 'hardSigmoid',
  leakyrelu: 'leakyRelu',
  thresholdedrelu: 'thresholdedRelu',
  scaledtanh: 'scaledTanh',
  affine: 'affine',
  elu: 'elu',
  softsign: 'softsign',
  softplus: 'softplus',
};

const takesAlpha = new Set<ActivationName>([
  'leakyRelu',
  'thresholdedRelu',
  'elu',
  'hardSigmoid',
  'affine',
  'scaledTanh',
]);
const takesBeta = new Set<ActivationName>(['hardSigmoid', 'affine', 'scaledTanh']);

/**
 * The activations of each direction: `functionsPerDirection` entries each.
 * @param defaults the operator's default functions for one direction
 */
export function onnxActivations(
  where: string,
  names: readonly string[] | null | undefined,
  alphas: readonly number[] | null | undefined,
  betas: readonly number[] | null | undefined,
  defaults: readonly string[],
  directions: number,
): Activation[][] {
  const perDirection = defaults.length;
  const given = names === null || names === undefined || names.length === 0 ? undefined : names;
  const list = given ?? Array.from({ length: directions }, () => defaults).flat();
  if (!Array.isArray(list) || list.length !== perDirection * directions) {
    throw new ValueError(
      where,
      `attribute activations has ${Array.isArray(list) ? list.length : typeof list} entries; expected ${perDirection * directions} (${perDirection} per direction × ${directions})`,
    );
  }
  const alphaList = checkNumbers(where, 'activation_alpha', alphas);
  const betaList = checkNumbers(where, 'activation_beta', betas);
  let nextAlpha = 0;
  let nextBeta = 0;
  const parsed = list.map((name) => {
    const canonical = typeof name === 'string' ? onnxNames[name.toLowerCase()] : undefined;
    if (canonical === undefined) {
      throw new UnsupportedError(
        where,
        `attribute activations has '${String(name)}'; expected one of Relu, Tanh, Sigmoid, Affine, LeakyRelu, ThresholdedRelu, ScaledTanh, HardSigmoid, Elu, Softsign, Softplus`,
      );
    }
    const alpha = takesAlpha.has(canonical) ? alphaList[nextAlpha++] : undefined;
    const beta = takesBeta.has(canonical) ? betaList[nextBeta++] : undefined;
    return activation(canonical, alpha, beta);
  });
  if (nextAlpha < alphaList.length || nextBeta < betaList.length) {
    throw new ValueError(
      where,
      `activation_alpha has ${alphaList.length} and activation_beta ${betaList.length} values; expected at most ${nextAlpha} and ${nextBeta} (one per function that takes the parameter)`,
    );
  }
  return Array.from({ length: directions }, (_, direction) =>
    parsed.slice(direction * perDirection, (direction + 1) * perDirection),
  );
}

function checkNumbers(
  where: string,
  name: string,
  values: readonly number[] | null | undefined,
): readonly number[] {
  if (values === null || values === undefined) {
    return [];
  }
  if (
    !Array.isArray(values) ||
    values.some((value) => typeof value !== 'number' || !Number.isFinite(value))
  ) {
    throw new ValueError(where, `attribute ${name} is not a list of finite numbers; expected floats`);
  }
  return values;
}

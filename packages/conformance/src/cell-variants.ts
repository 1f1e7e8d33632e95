/**
 * Every cell variant the suite covers, from ONE list: core's `cellVariants` registry (so a
 * variant added to core is covered by every check on every backend with no change here), plus
 * configured variants that exercise options the registry's defaults do not (hard-sigmoid gates
 * and clipping).
 */
import {
  activation,
  type Backend,
  cellVariants as coreCellVariants,
  createGru,
  RecurrentLayer,
  type RecurrentLayerOptions,
} from '@recurrent/core';

/** The three families the benchmark grid and the FLOP convention know. */
export type CellFamily = 'rnn' | 'gru' | 'lstm';

export interface CellVariant {
  /** Stable name used in check ids, e.g. `gru-reset-before` (core's variant id). */
  readonly name: string;
  /** The cell's kind (`rnn`, `gru`, `lstm`, `gru-no-reset`, `mgu`, …). */
  readonly kind: string;
  /** Builds a layer of this variant on `backend`. */
  readonly create: (backend: Backend, options: RecurrentLayerOptions) => RecurrentLayer;
}

const configuredVariants: readonly CellVariant[] = [
  {
    name: 'gru-hard-sigmoid-clip',
    kind: 'gru',
    create: (backend, options) =>
      createGru(backend, { ...options, clip: 0.8, gateActivation: activation('hardSigmoid') }),
  },
];

export const cellVariants: readonly CellVariant[] = [
  ...coreCellVariants.map(
    (variant): CellVariant => ({
      name: variant.id,
      kind: variant.create().kind,
      create: (backend, options) => new RecurrentLayer(backend, variant.create(), options),
    }),
  ),
  ...configuredVariants,
];

/** The plain variant of each family (benchmarks, peers). */
export const familyVariant: Readonly<Record<CellFamily, CellVariant>> = {
  rnn: findVariant('rnn-tanh'),
  gru: findVariant('gru-reset-after'),
  lstm: findVariant('lstm'),
};

/**
 * Variants matching any of `names` (all when empty or absent): a variant name, a kind, or a
 * prefix before `-` (`gru` selects every GRU variant, ablations included).
 */
export function selectCellVariants(names?: readonly string[]): CellVariant[] {
  if (!names || names.length === 0) {
    return [...cellVariants];
  }
  return cellVariants.filter((variant) =>
    names.some(
      (name) => variant.name === name || variant.kind === name || variant.name.startsWith(`${name}-`),
    ),
  );
}

function findVariant(name: string): CellVariant {
  const found = cellVariants.find((variant) => variant.name === name);
  if (!found) {
    throw new Error(`@recurrent/conformance: core has no cell variant '${name}'`);
  }
  return found;
}

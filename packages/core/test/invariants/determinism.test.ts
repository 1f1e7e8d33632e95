/**
 * Determinism and exact weight round trips:
 *  - the same seed gives bit-identical weights and outputs (both initialisers, every cell and
 *    direction); another seed gives other weights;
 *  - `setWeights` then `getWeights` returns exactly what was set (every float64, signed zero,
 *    subnormals and extremes included), and a layer given another layer's weights computes
 *    bit-identical results.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CanonicalWeights, DirectionMode, InitializerName } from '../../src/index.js';
import { createReferenceBackend } from '../../src/reference/index.js';
import {
  cellVariants,
  layerOptions,
  newRandom,
  propertyParameters,
  randomValues,
  shapeCase,
} from './layer-cases.js';
import { runPass } from './run-pass.js';

const backend = createReferenceBackend();
const directions = fc.constantFrom<DirectionMode>('forward', 'reverse', 'bidirectional');
const initializers = fc.constantFrom<InitializerName>('pytorch', 'glorot');

/** Every value of every tensor, flattened in canonical order, for exact comparison. */
function flatten(weights: CanonicalWeights): number[] {
  return weights.layers.flatMap((layer) =>
    layer.flatMap((direction) => Object.values(direction).flatMap((values) => Array.from(values!))),
  );
}

/** Element-wise `Object.is`, so that −0 and +0 count as different. */
function expectIdentical(actual: readonly number[], expected: readonly number[], label: string): void {
  expect(actual.length, `${label}: length`).toBe(expected.length);
  const first = actual.findIndex((value, index) => !Object.is(value, expected[index]));
  expect(first, `${label}: first difference at ${first} (${actual[first]} vs ${expected[first]})`).toBe(-1);
}

describe('determinism', () => {
  it('the same seed gives identical weights and outputs; another seed other weights', async () => {
    const live = backend.liveBufferCount();
    await fc.assert(
      fc.asyncProperty(shapeCase(), directions, initializers, async (shape, direction, initializer) => {
        const options = { ...layerOptions(shape), direction, initializer };
        const first = cellVariants[shape.variant](backend, options);
        const second = cellVariants[shape.variant](backend, options);
        const other = cellVariants[shape.variant](backend, { ...options, seed: shape.seed + 1 });
        const weights = flatten(await first.getWeights());
        expectIdentical(flatten(await second.getWeights()), weights, 'same seed');
        expect(flatten(await other.getWeights())).not.toEqual(weights);
        const pass = {
          batch: shape.batch,
          steps: shape.steps,
          input: randomValues(newRandom(shape.seed), shape.batch * shape.steps * shape.inputSize),
        };
        const [a, b] = [await runPass(first, pass), await runPass(second, pass)];
        expectIdentical(Array.from(b.output), Array.from(a.output), 'output');
        expectIdentical(Array.from(b.hidden), Array.from(a.hidden), 'hidden');
        for (const layer of [first, second, other]) {
          layer.dispose();
        }
      }),
      propertyParameters(30),
    );
    expect(backend.liveBufferCount(), 'live buffers').toBe(live);
  });
});

describe('getWeights / setWeights', () => {
  it('round-trips every float64 exactly and carries the function over to another layer', async () => {
    const live = backend.liveBufferCount();
    // Any finite double, including −0, subnormals and ±Number.MAX_VALUE.
    const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
    await fc.assert(
      fc.asyncProperty(
        shapeCase(),
        directions,
        fc.array(finite, { minLength: 1, maxLength: 64 }),
        async (shape, direction, pool) => {
          const options = { ...layerOptions(shape), direction };
          const source = cellVariants[shape.variant](backend, options);
          const template = await source.getWeights();
          let next = 0;
          const chosen: CanonicalWeights = {
            layers: template.layers.map((layer) =>
              layer.map((tensors) =>
                Object.fromEntries(
                  Object.entries(tensors).map(([name, values]) => [
                    name,
                    Array.from(values!, () => pool[next++ % pool.length]!),
                  ]),
                ),
              ),
            ),
          };
          source.setWeights(chosen);
          expectIdentical(flatten(await source.getWeights()), flatten(chosen), 'getWeights after setWeights');

          // Ordinary weights, moved to a layer with another seed: identical function.
          const ordinary = cellVariants[shape.variant](backend, { ...options, seed: shape.seed + 9 });
          const target = cellVariants[shape.variant](backend, options);
          target.setWeights(await ordinary.getWeights());
          const pass = {
            batch: shape.batch,
            steps: shape.steps,
            input: randomValues(newRandom(shape.seed), shape.batch * shape.steps * shape.inputSize),
          };
          const [a, b] = [await runPass(ordinary, pass), await runPass(target, pass)];
          expectIdentical(Array.from(b.output), Array.from(a.output), 'output after setWeights');
          for (const layer of [source, ordinary, target]) {
            layer.dispose();
          }
        },
      ),
      propertyParameters(30),
    );
    expect(backend.liveBufferCount(), 'live buffers').toBe(live);
  });
});

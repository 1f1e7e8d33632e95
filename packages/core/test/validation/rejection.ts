/**
 * The contract every bad call must keep, checked in one place for all tables: it throws (or
 * rejects with) the named error class, the message starts with the entry point and names the
 * argument, what was expected and what was received, and nothing changed: weights identical,
 * no device buffer gained or lost, and the next valid call computes what a twin layer that never
 * went through the same arrangement computes (so not even the dropout random stream advanced).
 */
import { expect } from 'vitest';
import {
  type Backend,
  createGru,
  createLstm,
  type RecurrentError,
  type RecurrentLayer,
  type SequenceResult,
  Tensor,
} from '../../src/index.js';
import { createReferenceBackend } from '../../src/reference/index.js';

export const sizes = { inputSize: 3, hiddenSize: 2 };
export const [batch, steps] = [2, 4];

/** The layers and helpers a case may use; built fresh for every case. */
export interface Subject {
  readonly backend: Backend;
  /** Two stacked layers with dropout, batch-first: `[B=2, T=4, I=3]`, states `[2, 2, 2]`. */
  readonly gru: RecurrentLayer;
  /** One layer, states `[1, 2, 2]` for hidden and cell. */
  readonly lstm: RecurrentLayer;
  /** A valid `[2, 4, 3]` host input. */
  readonly x: { data: Float64Array; shape: number[] };
  /** Registers something the case created, disposed after the checks. */
  track<T extends { dispose(): void }>(value: T): T;
  /** A tensor on this subject's backend, tracked. */
  upload(data: ArrayLike<number>, shape: number[]): Tensor;
}

export interface BadCall {
  readonly name: string;
  readonly error: new (...args: never[]) => RecurrentError;
  /** Substrings the message must contain: entry point, argument, expected, received. */
  readonly message: readonly string[];
  /** Builds what the call needs (results, tensors) before the state is recorded. */
  readonly arrange?: (subject: Subject) => unknown;
  readonly act: (subject: Subject, arranged: never) => unknown;
}

const gruOptions = { ...sizes, numLayers: 2, dropout: 0.5, seed: 1 };

function createSubject(backend: Backend): Subject & { disposeTracked(): void; dispose(): void } {
  const tracked: { dispose(): void }[] = [];
  const gru = createGru(backend, gruOptions);
  const lstm = createLstm(backend, { ...sizes, seed: 2 });
  const x = {
    data: Float64Array.from({ length: batch * steps * sizes.inputSize }, (_, i) => Math.sin(i)),
    shape: [batch, steps, sizes.inputSize],
  };
  return {
    backend,
    gru,
    lstm,
    x,
    track(value) {
      tracked.push(value);
      return value;
    },
    upload(data, shape) {
      const tensor = Tensor.fromHost(backend, { data, shape });
      tracked.push(tensor);
      return tensor;
    },
    disposeTracked() {
      for (const value of tracked.splice(0).reverse()) {
        value.dispose();
      }
    },
    dispose() {
      gru.dispose();
      lstm.dispose();
    },
  };
}

function parameterBuffers(layer: RecurrentLayer): number {
  return layer.parameters.flat().reduce((total, direction) => total + Object.keys(direction).length, 0);
}

async function weightsOf(layer: RecurrentLayer): Promise<number[]> {
  const weights = await layer.getWeights();
  return weights.layers.flatMap((layerWeights) =>
    layerWeights.flatMap((direction) => Object.values(direction).flatMap((values) => Array.from(values!))),
  );
}

async function trainingOutput(layer: RecurrentLayer, x: Subject['x']): Promise<number[]> {
  const result: SequenceResult = layer.forward(x, { training: true });
  const output = Array.from(await result.output.toArray());
  result.dispose();
  return output;
}

/** Runs `act`, returning what it threw or rejected with (undefined when it succeeded). */
async function caught(act: () => unknown): Promise<unknown> {
  try {
    const value = act();
    if (value instanceof Promise) {
      await value;
    }
  } catch (error) {
    return error;
  }
  return undefined;
}

export async function expectRejectedWithoutSideEffects(badCall: BadCall): Promise<void> {
  const backend = createReferenceBackend();
  const subject = createSubject(backend);
  const liveBefore = backend.liveBufferCount();
  const arranged = badCall.arrange?.(subject);
  const liveArranged = backend.liveBufferCount();
  const weightsBefore = [await weightsOf(subject.gru), await weightsOf(subject.lstm)];

  const error = await caught(() => badCall.act(subject, arranged as never));

  expect(error, 'the call must throw').toBeInstanceOf(badCall.error);
  const { message } = error as Error;
  expect((error as Error).name).toBe(badCall.error.name);
  for (const part of badCall.message) {
    expect(message, `message names ${JSON.stringify(part)}`).toContain(part);
  }
  // A case may dispose a layer on purpose (use after dispose): its parameters leave with it.
  const released = [subject.gru, subject.lstm]
    .filter((layer) => layer.isDisposed)
    .reduce((total, layer) => total + parameterBuffers(layer), 0);
  expect(backend.liveBufferCount(), 'live buffers right after the failed call').toBe(liveArranged - released);
  subject.disposeTracked();
  expect(backend.liveBufferCount(), 'live buffers after disposing what the case made').toBe(
    liveBefore - released,
  );
  if (!subject.gru.isDisposed && !subject.lstm.isDisposed) {
    expect([await weightsOf(subject.gru), await weightsOf(subject.lstm)], 'weights untouched').toEqual(
      weightsBefore,
    );
    // The twin goes through the same arrangement (which may itself draw dropout masks), minus the bad call.
    const twin = createSubject(backend);
    badCall.arrange?.(twin);
    twin.disposeTracked();
    expect(await trainingOutput(subject.gru, subject.x), 'next valid call as if nothing happened').toEqual(
      await trainingOutput(twin.gru, twin.x),
    );
    twin.dispose();
  }
  subject.dispose();
  expect(backend.liveBufferCount(), 'nothing left on the backend').toBe(0);
}

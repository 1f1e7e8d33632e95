import type { Backend } from '../backend.js';
import { type GruOptions, gruCell } from '../cells/gru.js';
import { type LstmOptions, lstmCell } from '../cells/lstm.js';
import { type RnnOptions, rnnCell } from '../cells/rnn.js';
import type { RecurrentLayerOptions } from './layer-options.js';
import { RecurrentLayer } from './recurrent-layer.js';

// Cell factories read their options before the layer validates them; `options ?? {}` lets a
// missing options bag reach the layer's check (a ValueError naming `options`) instead of a TypeError.

/** A GRU layer stack; `resetAfter` (default true) picks the PyTorch/cuDNN variant. */
export function createGru(backend: Backend, options: RecurrentLayerOptions & GruOptions): RecurrentLayer {
  return new RecurrentLayer(backend, gruCell(options ?? {}), options);
}

/** An LSTM layer stack (forget-gate bias initialised to `forgetBias`, default 1). */
export function createLstm(backend: Backend, options: RecurrentLayerOptions & LstmOptions): RecurrentLayer {
  return new RecurrentLayer(backend, lstmCell(options ?? {}), options);
}

/** A vanilla RNN layer stack (tanh by default). */
export function createRnn(backend: Backend, options: RecurrentLayerOptions & RnnOptions): RecurrentLayer {
  return new RecurrentLayer(backend, rnnCell(options ?? {}), options);
}

import { createCpuBackend } from '@recurrent/backend-cpu';
import { createGpuJsBackend } from '@recurrent/backend-gpujs';
import type { Backend } from '@recurrent/core';
import { runLiveBenchmark } from './live-benchmark.js';
import {
  type LiveBackendChoice,
  type LiveRunMessage,
  type LiveRunRequest,
  liveBackends,
} from './live-run-protocol.js';

// Runs in a dedicated Web Worker so a long benchmark never freezes the page.

function post(message: LiveRunMessage) {
  (self as unknown as { postMessage(message: LiveRunMessage): void }).postMessage(message);
}

async function createBackend(choice: LiveBackendChoice): Promise<Backend> {
  switch (choice) {
    case 'cpu':
      return createCpuBackend({ dtype: 'float32' });
    case 'gpujs-webgl2':
      return createGpuJsBackend({ mode: 'webgl2' });
    case 'gpujs-webgpu':
      return createGpuJsBackend({ mode: 'webgpu' });
  }
}

function messageOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

async function handle(request: LiveRunRequest) {
  post({ type: 'progress', id: request.id, phase: 'starting', done: 0, total: 1 });
  let backend: Backend;
  try {
    backend = await createBackend(request.backend);
  } catch (cause) {
    post({ type: 'unavailable', id: request.id, reason: messageOf(cause) });
    return;
  }
  try {
    // A backend that quietly runs somewhere else than asked would make a GPU row measure the CPU.
    const expected: readonly string[] = liveBackends[request.backend].expectedDevices;
    if (!expected.includes(backend.info.device)) {
      post({
        type: 'failed',
        id: request.id,
        message: `${request.backend}: backend states device "${backend.info.device}"; expected ${expected.join(' or ')}`,
      });
      return;
    }
    const result = await runLiveBenchmark(`browser ${request.backend}`, backend, request.live, {
      warmupRuns: request.warmupRuns,
      repetitions: request.repetitions,
      onProgress: (phase, done, total) => post({ type: 'progress', id: request.id, phase, done, total }),
    });
    post({ type: 'done', id: request.id, result });
  } catch (cause) {
    post({ type: 'failed', id: request.id, message: messageOf(cause) });
  } finally {
    backend.destroy();
  }
}

// Requests are handled one at a time: two benchmarks sharing the machine would time each other.
let queue = Promise.resolve();
self.addEventListener('message', (event: MessageEvent<LiveRunRequest>) => {
  queue = queue.then(() => handle(event.data));
});

import type { LiveRunMessage, LiveRunRequest } from './live-run-protocol.js';

export type LiveRunOutcome = Exclude<LiveRunMessage, { type: 'progress' }>;
type Progress = Extract<LiveRunMessage, { type: 'progress' }>;

/** Talks to the benchmark worker; one worker for the page, created on first use. */
export class LiveRunClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (outcome: LiveRunOutcome) => void; onProgress: (progress: Progress) => void }
  >();

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./live-run-worker.ts', import.meta.url), { type: 'module' });
    worker.addEventListener('message', (event: MessageEvent<LiveRunMessage>) => {
      const message = event.data;
      const entry = this.pending.get(message.id);
      if (!entry) return;
      if (message.type === 'progress') {
        entry.onProgress(message);
        return;
      }
      this.pending.delete(message.id);
      entry.resolve(message);
    });
    // A worker that fails to load (e.g. a module error) fails every run waiting on it.
    worker.addEventListener('error', (event) => {
      for (const [id, entry] of this.pending) {
        entry.resolve({
          type: 'failed',
          id,
          message: `benchmark worker: ${event.message || 'failed to load'}`,
        });
      }
      this.pending.clear();
    });
    this.worker = worker;
    return worker;
  }

  /** Runs one request; resolves with its outcome (never rejects). */
  run(
    request: Omit<LiveRunRequest, 'id'>,
    onProgress: (progress: Progress) => void,
  ): Promise<LiveRunOutcome> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, { resolve, onProgress });
      this.ensureWorker().postMessage({ ...request, id } satisfies LiveRunRequest);
    });
  }
}

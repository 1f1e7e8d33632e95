/**
 * Runs jobs either in this thread on a given backend, or spread over worker threads (each with
 * its own CPU backend) so a 2-core machine runs two trainings at once. Results come back in
 * job order whatever the completion order.
 */
import { Worker } from 'node:worker_threads';
import type { Backend } from '@recurrent/core';
import { type Job, type Outcome, runJob } from './jobs.js';

export interface PoolOptions {
  /** Worker threads; 0 runs in this thread on `backend`. */
  readonly workers: number;
  readonly backend: Backend;
  readonly onDone?: (job: Job, done: number, total: number) => void;
}

export async function runJobs(jobs: readonly Job[], options: PoolOptions): Promise<Outcome[]> {
  const outcomes = new Array<Outcome>(jobs.length);
  let done = 0;
  if (options.workers === 0) {
    for (const [index, job] of jobs.entries()) {
      outcomes[index] = await runJob(options.backend, job);
      options.onDone?.(job, ++done, jobs.length);
    }
    return outcomes;
  }
  const url = new URL('./job-worker.js', import.meta.url);
  const workers = Array.from(
    { length: Math.min(options.workers, jobs.length) },
    () => new Worker(url, { workerData: { dtype: options.backend.info.dtype } }),
  );
  let next = 0;
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const feed = () => {
              if (next >= jobs.length) {
                resolve();
                return;
              }
              const id = next++;
              worker.postMessage({ id, job: jobs[id] });
            };
            worker.on('message', (message: { id: number; outcome?: Outcome; error?: string }) => {
              if (message.error !== undefined) {
                reject(new Error(`experiment job ${message.id} failed in a worker: ${message.error}`));
                return;
              }
              outcomes[message.id] = message.outcome!;
              options.onDone?.(jobs[message.id]!, ++done, jobs.length);
              feed();
            });
            worker.on('error', reject);
            feed();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return outcomes;
}

/** Worker-thread entry: runs experiment jobs sent by `job-pool.ts` on its own CPU backend. */
import { parentPort, workerData } from 'node:worker_threads';
import { createCpuBackend } from '@recurrent/backend-cpu';
import { type Job, runJob } from './jobs.js';

const backend = createCpuBackend({ dtype: (workerData as { dtype: 'float32' | 'float64' }).dtype });

parentPort!.on('message', async (message: { id: number; job: Job }) => {
  try {
    parentPort!.postMessage({ id: message.id, outcome: await runJob(backend, message.job) });
  } catch (error) {
    parentPort!.postMessage({
      id: message.id,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
  }
});

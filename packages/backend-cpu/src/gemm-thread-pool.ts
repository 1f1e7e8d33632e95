/**
 * Worker threads that take part in large WebAssembly GEMMs (`wasm-gemm.ts`), in Node. One pool
 * per JavaScript thread, started on first use and shared by every backend of that thread; each
 * backend that uses it attaches its shared `WebAssembly.Memory` (with the kernel module) by
 * message, and a job names the memory it runs on.
 *
 * Jobs go through a control block in a `SharedArrayBuffer` (`gemm-units.ts`), not messages: a
 * worker spins on it for a short while after each job, so the back-to-back products of a
 * recurrent pass reach it in well under a microsecond, and then sleeps in `Atomics.wait` until
 * the next job notifies it. The caller always works too, so a worker that is asleep, busy or
 * not started yet only costs the units it would have run.
 *
 * Node built-ins are looked up with `process.getBuiltinModule` (Node ≥ 20.16), not imported, so
 * the package still loads in browsers; there (and in older Node) there is no pool and GEMMs run
 * on the calling thread.
 */
import {
  CONTROL_INT32S,
  CONTROL_SLOTS,
  GEMM_UNITS_LAYOUT,
  type GemmKernels,
  JOB_FLOAT64S,
  runGemmUnits,
  SEQUENCE_MASK,
  UNIT_BITS,
} from './gemm-units.js';

/** After a job, how long a worker watches for the next one before it sleeps. */
const SPIN_MILLISECONDS = 0.5;
/** Most workers one pool starts (the caller is one more participant). */
export const MAX_GEMM_WORKERS = 7;

interface NodeMessagePort {
  postMessage(message: unknown): void;
  unref(): void;
}
interface NodeWorker {
  unref(): void;
  on(event: 'error', listener: (error: unknown) => void): void;
}
interface NodeWorkerThreads {
  Worker: new (
    source: string,
    options: { eval: true; workerData: unknown; transferList: unknown[] },
  ) => NodeWorker;
  MessageChannel: new () => { port1: NodeMessagePort; port2: unknown };
  isMainThread: boolean;
}
interface NodeLikeProcess {
  getBuiltinModule?: (id: string) => unknown;
}
interface NodeOs {
  availableParallelism?: () => number;
  cpus?: () => readonly unknown[];
}

function builtin<T>(id: string): T | undefined {
  try {
    const process = (globalThis as { process?: NodeLikeProcess }).process;
    return process?.getBuiltinModule?.(id) as T | undefined;
  } catch {
    return undefined;
  }
}

/** Threads a GEMM may use by default here: the CPUs Node reports (at most the pool's limit + 1), 1 in browsers. */
export function defaultGemmThreads(): number {
  if (!builtin<NodeWorkerThreads>('node:worker_threads')) return 1;
  const os = builtin<NodeOs>('node:os');
  const cpus = os?.availableParallelism?.() ?? os?.cpus?.().length ?? 1;
  return Math.max(1, Math.min(cpus, MAX_GEMM_WORKERS + 1));
}

export interface GemmThreadPool {
  /** Makes `memory` (instantiated from `module`) available to the workers; returns its key. */
  attach(module: object, memory: object): number;
  /** Drops the workers' instance of that memory (so it can be freed). */
  detach(key: number): void;
  /**
   * Runs the job whose parameters the caller wrote into `job`, on `memoryKey`, with up to
   * `workers` workers besides the caller (`kernels`: the caller's own instance). Returns false
   * when a worker failed (C's scratch then holds garbage; the pool is not used again).
   */
  run(memoryKey: number, workers: number, kernels: GemmKernels): boolean;
  /** False once a worker has failed; GEMMs then run on the calling thread. */
  usable(): boolean;
  /** The job parameter block to fill before `run`. */
  readonly job: Float64Array;
  /** Workers started so far, and how many are listening. */
  workerCount(): number;
  readyCount(): number;
  /** Units run by workers since the pool started. */
  workerUnits(): number;
  /** Jobs run through the pool since it started. */
  jobCount(): number;
}

type StartablePool = GemmThreadPool & { ensureWorkers(count: number): void };

let pool: StartablePool | null | undefined;

/**
 * The pool, with at least `workers` workers started (up to `MAX_GEMM_WORKERS`), or null where
 * worker threads or shared memory are unavailable.
 */
export function gemmThreadPool(workers: number): GemmThreadPool | null {
  if (pool === undefined) pool = createPool();
  pool?.ensureWorkers(Math.min(workers, MAX_GEMM_WORKERS));
  return pool ?? null;
}

function createPool(): StartablePool | null {
  const threads = builtin<NodeWorkerThreads>('node:worker_threads');
  if (!threads || typeof SharedArrayBuffer !== 'function') return null;
  const control = new Int32Array(new SharedArrayBuffer(CONTROL_INT32S * 4));
  const job = new Float64Array(new SharedArrayBuffer(JOB_FLOAT64S * 8));
  const ports: NodeMessagePort[] = [];
  const attached = new Map<number, { module: object; memory: object }>();
  let nextKey = 1;
  let sequence = 0;
  let jobs = 0;
  let broken = false;
  const source = workerSource();

  function post(message: unknown): void {
    for (const port of ports) port.postMessage(message);
    Atomics.add(control, CONTROL_SLOTS.mailEpoch, 1);
    // Sleeping workers read their mail only when woken.
    Atomics.notify(control, CONTROL_SLOTS.word);
  }

  return {
    job,
    ensureWorkers(count: number): void {
      while (!broken && ports.length < count) {
        const channel = new threads.MessageChannel();
        const index = ports.length;
        try {
          const worker = new threads.Worker(source, {
            eval: true,
            workerData: {
              control: control.buffer,
              job: job.buffer,
              layout: GEMM_UNITS_LAYOUT,
              port: channel.port2,
              index,
              spinMilliseconds: SPIN_MILLISECONDS,
            },
            transferList: [channel.port2],
          });
          // Idle workers must not keep the process alive.
          worker.unref();
          worker.on('error', () => {
            broken = true;
          });
        } catch {
          broken = true;
          return;
        }
        channel.port1.unref();
        ports.push(channel.port1);
        // A worker started after some memories were attached gets them in its first mail.
        for (const [key, { module, memory }] of attached) channel.port1.postMessage({ key, module, memory });
      }
    },
    attach(module: object, memory: object): number {
      const key = nextKey++;
      attached.set(key, { module, memory });
      post({ key, module, memory });
      return key;
    },
    detach(key: number): void {
      if (attached.delete(key)) post({ key, detach: true });
    },
    usable: () => !broken,
    run(memoryKey: number, workers: number, kernels: GemmKernels): boolean {
      const units = job[GEMM_UNITS_LAYOUT.job.units]!;
      jobs++;
      sequence = (sequence + 1) & SEQUENCE_MASK;
      Atomics.store(control, CONTROL_SLOTS.memoryKey, memoryKey);
      Atomics.store(control, CONTROL_SLOTS.workerLimit, workers);
      Atomics.store(control, CONTROL_SLOTS.done, 0);
      Atomics.store(control, CONTROL_SLOTS.word, sequence << UNIT_BITS);
      if (Atomics.load(control, CONTROL_SLOTS.sleepers) > 0) Atomics.notify(control, CONTROL_SLOTS.word);
      runGemmUnits(control, job, GEMM_UNITS_LAYOUT, kernels, 0, sequence);
      // Units claimed by workers may still be running: wait for them (spinning first, as they
      // are short), then sleep on `done`, which a worker notifies when it has run out of units.
      let done = Atomics.load(control, CONTROL_SLOTS.done);
      let until = 0;
      for (let spins = 1; done < units; spins++) {
        // Waking from `Atomics.wait` takes tens of microseconds, longer than most units.
        if ((spins & 63) === 0) {
          const now = performance.now();
          if (until === 0) until = now + SPIN_MILLISECONDS;
          else if (now > until) Atomics.wait(control, CONTROL_SLOTS.done, done, 1);
        }
        done = Atomics.load(control, CONTROL_SLOTS.done);
      }
      if (Atomics.load(control, CONTROL_SLOTS.failed) !== 0) {
        broken = true;
        return false;
      }
      return true;
    },
    workerCount: () => ports.length,
    readyCount: () => Atomics.load(control, CONTROL_SLOTS.ready),
    workerUnits: () => Atomics.load(control, CONTROL_SLOTS.workerUnits),
    jobCount: () => jobs,
  };
}

/**
 * The worker's program (CommonJS, run with `eval`). `runGemmUnits` travels as its source text, so
 * the caller and the workers run the very same loop.
 */
function workerSource(): string {
  return `'use strict';
const { workerData, receiveMessageOnPort } = require('node:worker_threads');
const { layout, port, index, spinMilliseconds } = workerData;
const control = new Int32Array(workerData.control);
const job = new Float64Array(workerData.job);
const slot = layout.control;
const runGemmUnits = (${runGemmUnits.toString()});
const instances = new Map();
let mailEpoch = -1;
function readMail() {
  mailEpoch = Atomics.load(control, slot.mailEpoch);
  for (let received = receiveMessageOnPort(port); received; received = receiveMessageOnPort(port)) {
    const mail = received.message;
    if (mail.detach) instances.delete(mail.key);
    else instances.set(mail.key, new WebAssembly.Instance(mail.module, { env: { memory: mail.memory } }).exports);
  }
}
readMail();
Atomics.add(control, slot.ready, 1);
let seen = -1;
for (;;) {
  let word = Atomics.load(control, slot.word);
  let until = performance.now() + spinMilliseconds;
  for (let spins = 1; word >>> layout.unitBits === seen; spins++) {
    if ((spins & 255) === 0 && performance.now() > until) {
      if (Atomics.load(control, slot.mailEpoch) !== mailEpoch) readMail();
      Atomics.add(control, slot.sleepers, 1);
      Atomics.wait(control, slot.word, word);
      Atomics.sub(control, slot.sleepers, 1);
      until = performance.now() + spinMilliseconds;
    }
    word = Atomics.load(control, slot.word);
  }
  seen = word >>> layout.unitBits;
  if (index >= Atomics.load(control, slot.workerLimit)) continue;
  if (Atomics.load(control, slot.mailEpoch) !== mailEpoch) readMail();
  const kernels = instances.get(Atomics.load(control, slot.memoryKey));
  if (kernels === undefined) continue;
  try {
    const ran = runGemmUnits(control, job, layout, kernels, index + 1, seen);
    if (ran > 0) {
      Atomics.add(control, slot.workerUnits, ran);
      // Once per job, not per unit (a notify takes a lock): the caller may have gone to sleep.
      Atomics.notify(control, slot.done);
    }
  } catch (error) {
    // The unit in hand is lost: say so, and count it done so the caller stops waiting.
    Atomics.store(control, slot.failed, 1);
    Atomics.add(control, slot.done, 1);
    Atomics.notify(control, slot.done);
    throw error;
  }
}
`;
}

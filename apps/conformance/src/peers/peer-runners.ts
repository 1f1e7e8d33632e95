/**
 * The peer baselines, created when their packages load; one that cannot start is reported
 * with its reason instead of failing the run.
 */
import type { WorkloadRunner } from '@recurrent/conformance';
import { createOnnxRuntimeRunner } from './onnx-runtime-runner.js';
import { createTfjsRunner } from './tfjs-runner.js';

export interface PeerAvailability {
  readonly runners: WorkloadRunner[];
  readonly unavailable: { readonly name: string; readonly reason: string }[];
}

const peers: readonly [string, () => Promise<WorkloadRunner>][] = [
  ['tfjs-cpu', () => createTfjsRunner('cpu')],
  ['tfjs-wasm', () => createTfjsRunner('wasm')],
  // The gpu.js backend's peer: TensorFlow.js on WebGPU, through the same Dawn adapter in Node.
  ['tfjs-webgpu', () => createTfjsRunner('webgpu')],
  ['onnxruntime-node', () => createOnnxRuntimeRunner()],
];

/** Every peer's name, in run order. */
export const peerNames: readonly string[] = peers.map(([name]) => name);

/** Creates the peers named in `selected` (default: all). */
export async function createPeerRunners(selected: readonly string[] = peerNames): Promise<PeerAvailability> {
  const runners: WorkloadRunner[] = [];
  const unavailable: { name: string; reason: string }[] = [];
  for (const [name, create] of peers.filter(([name]) => selected.includes(name))) {
    try {
      runners.push(await create());
    } catch (error) {
      unavailable.push({ name, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  return { runners, unavailable };
}

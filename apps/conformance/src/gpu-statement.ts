/**
 * What the run says about GPUs, from what the backends stated: a GPU run is claimed only
 * when a backend actually ran on a GPU device, and a software adapter (llvmpipe, SwiftShader)
 * is named as such.
 */
import type { BackendSummary } from '@recurrent/conformance';

const gpuDevices = ['webgpu', 'webgl', 'webgl2', 'headlessgl'];
const softwareAdapter = /llvmpipe|lavapipe|swiftshader|software|softpipe/i;

export function gpuStatement(backends: readonly BackendSummary[]): string {
  const gpu = backends.filter((backend) => backend.available && gpuDevices.includes(backend.info!.device));
  const missing = backends.filter(
    (backend) =>
      !backend.available &&
      [backend.expected?.device ?? []].flat().some((device) => gpuDevices.includes(device)),
  );
  const lines = gpu.map((backend) => {
    const adapter = backend.info!.adapter ?? 'unnamed adapter';
    const software = softwareAdapter.test(adapter)
      ? ' — a software rasterizer on the CPU, not a hardware GPU'
      : '';
    return `GPU: ${backend.name} ran on ${backend.info!.device} (${adapter})${software}`;
  });
  for (const backend of missing) {
    lines.push(`GPU: ${backend.name} did not run — ${backend.reason}`);
  }
  return lines.length > 0 ? lines.join('\n') : 'GPU: no GPU backend was selected; nothing ran on a GPU';
}

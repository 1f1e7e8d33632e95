/** The machine a report was produced on (Node only). */
import { arch, cpus, platform, totalmem } from 'node:os';
import type { Environment } from './report.js';

export function describeEnvironment(): Environment {
  const processors = cpus();
  return {
    cpuModel: processors[0]?.model.trim() || 'unknown',
    cores: Math.max(1, processors.length),
    memoryBytes: totalmem(),
    platform: platform(),
    arch: arch(),
    nodeVersion: process.version,
  };
}

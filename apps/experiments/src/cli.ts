#!/usr/bin/env node
/**
 * recurrent-experiments [--quick] [--backend cpu|cpu-f64|reference] [--seeds N] [--report FILE]
 *
 * Runs the gate-ablation and gradient-flow experiments and writes
 * `reports/experiments-<timestamp>.json` and `reports/experiments-latest.json`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createCpuBackend } from '@recurrent/backend-cpu';
import type { Backend } from '@recurrent/core';
import { createReferenceBackend } from '@recurrent/core/reference';
import { deriveFindings } from './findings.js';
import { type ExperimentsReport, experimentsSchema, experimentsSchemaVersion } from './report.js';
import { fullConfig, quickConfig, runExperiments } from './run-experiments.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    backend: { type: 'string', default: 'cpu' },
    seeds: { type: 'string' },
    workers: { type: 'string' },
    report: { type: 'string' },
    'reports-dir': { type: 'string', default: 'reports' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  process.stdout.write(
    'recurrent-experiments [--quick] [--backend cpu|cpu-f64|reference] [--seeds N] [--workers N] [--report FILE] [--reports-dir DIR]\n',
  );
  process.exit(0);
}

function backendNamed(name: string): Backend {
  switch (name) {
    case 'cpu':
      return createCpuBackend({ dtype: 'float32' });
    case 'cpu-f64':
      return createCpuBackend({ dtype: 'float64' });
    case 'reference':
      return createReferenceBackend();
    default:
      throw new Error(`--backend is '${name}'; expected cpu, cpu-f64 or reference`);
  }
}

const backend = backendNamed(values.backend!);
const base = values.quick ? quickConfig : fullConfig;
const seeds = values.seeds === undefined ? base.seeds : Number(values.seeds);
if (!Number.isInteger(seeds) || seeds < 1) {
  throw new Error(`--seeds is '${values.seeds}'; expected a positive integer`);
}
const config = { ...base, seeds };
const started = performance.now();
const tty = process.stderr.isTTY;
// Workers run the CPU backend; the reference backend stays in this thread.
const workers =
  values.workers !== undefined
    ? Number(values.workers)
    : backend.info.name === 'cpu'
      ? Math.min(2, cpus().length)
      : 0;
if (!Number.isInteger(workers) || workers < 0) {
  throw new Error(`--workers is '${values.workers}'; expected a non-negative integer`);
}
process.stderr.write(
  `recurrent-experiments: ${values.quick ? 'quick' : 'full'} run on ${backend.info.name}/${backend.info.dtype}, ${workers || 'no'} worker threads\n`,
);
const results = await runExperiments(backend, config, {
  workers,
  progress: (message, done, total) => {
    const line = `[${done}/${total}] ${message}`;
    process.stderr.write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
  },
});
if (tty) {
  process.stderr.write('\n');
}
const report: ExperimentsReport = {
  schema: experimentsSchema,
  version: experimentsSchemaVersion,
  createdAt: new Date().toISOString(),
  quick: values.quick!,
  environment: {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    backend: { name: backend.info.name, dtype: backend.info.dtype, device: backend.info.device },
  },
  config,
  ...results,
  findings: deriveFindings(results.gradientFlow, results.training),
  durationSeconds: (performance.now() - started) / 1000,
};

const directory = resolve(values['reports-dir']!);
const stamp = report.createdAt.replace(/[:.]/g, '-');
const target = values.report ? resolve(values.report) : join(directory, `experiments-${stamp}.json`);
mkdirSync(dirname(target), { recursive: true });
const text = `${JSON.stringify(report, null, 1)}\n`;
writeFileSync(target, text);
if (!values.report) {
  writeFileSync(join(directory, 'experiments-latest.json'), text);
}

process.stdout.write('\nParameter counts (model = cell + read-out):\n');
for (const row of results.parameterCounts) {
  process.stdout.write(
    `  ${row.task.padEnd(12)} ${row.sizing.padEnd(16)} ${row.cell.padEnd(28)} H=${String(row.hiddenSize).padStart(3)} ${row.modelParameters}\n`,
  );
}
process.stdout.write('\nFindings:\n');
for (const finding of report.findings) {
  process.stdout.write(`  - ${finding}\n`);
}
process.stdout.write(
  `\nReport: ${target} (${report.durationSeconds.toFixed(0)} s on ${backend.info.name}/${backend.info.dtype})\n`,
);

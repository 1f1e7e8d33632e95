/**
 * `check`, `bench` and `all`: select the backends, run, print the tables, write the reports.
 * Returns the exit code: 1 when a check failed or errored, or a backend named with
 * `--backend` was unavailable.
 */

import { writeFile } from 'node:fs/promises';
import {
  type BackendSpec,
  benchmarkCells,
  type CellFamily,
  type ConformanceReport,
  quickWorkloads,
  selectCellVariants,
  workloads,
} from '@recurrent/conformance';
import { runConformance } from '@recurrent/conformance/node';
import { backendSpecs, defaultBenchmarkBackends, namedOnlyBackendSpecs } from './backends.js';
import { gpuStatement } from './gpu-statement.js';
import { toJUnit } from './junit.js';
import type { CliArguments } from './parse-arguments.js';
import { UsageError } from './parse-arguments.js';
import { createPeerRunners } from './peers/peer-runners.js';
import { createProgress } from './progress.js';
import { writeReport } from './report-files.js';
import { benchmarkTable, checkSummaryTable } from './summary-table.js';

export function selectBackends(names: readonly string[] | undefined): BackendSpec[] {
  if (!names) {
    return [...backendSpecs];
  }
  const known = [...backendSpecs, ...namedOnlyBackendSpecs];
  return names.map((name) => {
    const spec = known.find((candidate) => candidate.name === name);
    if (!spec) {
      throw new UsageError(
        `unknown backend '${name}'; expected one of ${known.map((entry) => entry.name).join(', ')}`,
      );
    }
    return spec;
  });
}

export async function runCommand(args: CliArguments): Promise<number> {
  const specs = selectBackends(args.backends);
  const check = args.command !== 'bench';
  const bench = args.command !== 'check';
  const progress = createProgress();
  const cells = args.cells;
  if (cells && selectCellVariants(cells).length === 0) {
    throw new UsageError(`--cells '${cells.join(',')}' matches no cell variant`);
  }
  const grid = args.quick ? quickWorkloads : workloads;
  const chosenWorkloads = args.shapes
    ? args.shapes.map((name) => {
        const found = [...workloads, ...quickWorkloads].find((workload) => workload.name === name);
        if (!found) {
          throw new UsageError(
            `unknown shape '${name}'; expected one of ${[...workloads, ...quickWorkloads].map((w) => w.name).join(', ')}`,
          );
        }
        return found;
      })
    : grid;
  const benchCells = cells
    ? benchmarkCells.filter((family) => selectCellVariants(cells).some((variant) => variant.kind === family))
    : benchmarkCells;
  let peers: Awaited<ReturnType<typeof createPeerRunners>> = { runners: [], unavailable: [] };
  if (bench && args.peers) {
    peers = await createPeerRunners(args.peerNames);
    for (const peer of peers.runners) {
      progress.line(
        `peer ${peer.name}: ${Object.entries(peer.describe())
          .map(([key, value]) => `${key}=${value}`)
          .join(' ')}`,
      );
    }
    for (const peer of peers.unavailable) {
      progress.line(`peer ${peer.name}: unavailable — ${peer.reason}`);
    }
  }
  const benchmarked = args.backends ?? defaultBenchmarkBackends;
  const started = performance.now();
  const report = await runConformance(
    check ? specs : specs.filter((spec) => benchmarked.includes(spec.name)),
    {
      checks: check,
      ...(cells ? { cells } : {}),
      ...(bench
        ? {
            benchmark: {
              workloads: chosenWorkloads,
              cells: benchCells as CellFamily[],
              peers: peers.runners,
              backends: benchmarked,
              repetitions: args.repetitions ?? 5,
              warmupRuns: args.warmupRuns ?? 1,
              // Every runner, ours and the peers alike, is measured warm: JIT-compiled code needs
              // hundreds of calls of a millisecond workload before it is optimised, and short calls
              // need more than 5 samples for a steady median.
              warmupSeconds: args.quick ? 0.2 : 1,
              timedSeconds: args.quick ? 0.2 : 1,
              budgetSeconds: args.budgetSeconds ?? (args.quick ? 10 : 30),
              // Keeps `pnpm conformance` under 10 minutes on 2 cores (under 3 with --quick).
              // With an explicit --budget the caller has chosen a longer run: no total cap.
              totalBudgetSeconds:
                args.budgetSeconds !== undefined ? Number.POSITIVE_INFINITY : args.quick ? 60 : 330,
            },
          }
        : {}),
      onProgress: progress.onEvent,
    },
  );
  progress.finish();
  print(report, bench);
  console.log(gpuStatement(report.backends));
  console.log(`finished in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const written = await writeReport(report, args.report);
  console.log(`report: ${written.join(', ')}`);
  if (args.junit) {
    await writeFile(args.junit, toJUnit(report));
    console.log(`junit: ${args.junit}`);
  }
  if (args.json) {
    process.stdout.write(`${JSON.stringify(report)}\n`);
  }
  const missingRequested = args.backends ? report.backends.filter((backend) => !backend.available) : [];
  return report.summary.failed + report.summary.errors + missingRequested.length > 0 ? 1 : 0;
}

function print(report: ConformanceReport, bench: boolean): void {
  if (report.checks.length > 0 || report.backends.some((backend) => !backend.available)) {
    console.log("\nChecks (worst error / tolerance: the check group's worst ratio)");
    console.log(checkSummaryTable(report));
    const { passed, failed, notApplicable, errors } = report.summary;
    console.log(`\n${passed} passed, ${failed} failed, ${errors} errors, ${notApplicable} not applicable`);
  }
  if (bench) {
    const { cpuModel, cores, nodeVersion } = report.environment;
    console.log(
      `\nBenchmarks on ${cpuModel}, ${cores} cores, Node ${nodeVersion} (median of timed repetitions after warm-up)`,
    );
    console.log(benchmarkTable(report.benchmarks));
  }
}

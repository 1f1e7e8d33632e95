/**
 * `vectors <file-or-folder>…`: every vector file on every selected backend through the ONNX
 * import path, one line per file and backend with the worst error.
 */
import { loadOnnxVectors, runConformance } from '@recurrent/conformance/node';
import type { CliArguments } from './parse-arguments.js';
import { selectBackends } from './run-command.js';

export async function vectorsCommand(args: CliArguments): Promise<number> {
  const vectors = await loadOnnxVectors(args.paths);
  if (vectors.length === 0) {
    console.error(`no .json vector files under ${args.paths.join(', ')}`);
    return 1;
  }
  const report = await runConformance(selectBackends(args.backends), { groups: ['onnx-vectors'], vectors });
  if (args.json) {
    process.stdout.write(`${JSON.stringify({ backends: report.backends, checks: report.checks })}\n`);
  } else {
    for (const backend of report.backends.filter((entry) => !entry.available)) {
      console.log(`${backend.name}: unavailable — ${backend.reason}`);
    }
    for (const check of report.checks) {
      const worst =
        check.worstError === null ? '' : ` worst ${check.worstError.toExponential(1)} (${check.worstTensor})`;
      console.log(
        `${check.status.toUpperCase().padEnd(14)} ${check.backend.padEnd(9)} ${check.subject}${worst}: ${check.message}`,
      );
    }
  }
  return report.summary.failed + report.summary.errors > 0 ? 1 : 0;
}

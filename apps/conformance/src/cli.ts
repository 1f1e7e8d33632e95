#!/usr/bin/env node
/**
 * recurrent-conformance: the conformance suite and benchmarks over the installed backends.
 * See the README for usage; `--help` prints it.
 */
import { parseArguments, UsageError, usage } from './parse-arguments.js';
import { runCommand } from './run-command.js';
import { vectorsCommand } from './vectors-command.js';

async function main(argv: readonly string[]): Promise<number> {
  const args = parseArguments(argv);
  if (args.help) {
    console.log(usage);
    return 0;
  }
  return args.command === 'vectors' ? vectorsCommand(args) : runCommand(args);
}

main(process.argv.slice(2))
  .then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (error instanceof UsageError) {
        console.error(`recurrent-conformance: ${error.message}\n\n${usage}`);
        process.exitCode = 2;
      } else {
        console.error(error);
        process.exitCode = 1;
      }
    },
  )
  .finally(() => {
    // Dawn's event threads (WebGPU devices of gpu.js or TensorFlow.js) can keep Node's event
    // loop alive after the work is done; the unref'd timer ends the process only in that case,
    // after output has had time to drain.
    setTimeout(() => process.exit(), 2000).unref();
  });

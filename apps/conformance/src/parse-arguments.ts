/**
 * Command-line parsing for `recurrent-conformance` (node:util parseArgs), with every
 * rejected argument named in the error.
 */
import { parseArgs } from 'node:util';

export type Command = 'check' | 'bench' | 'all' | 'vectors';

export interface CliArguments {
  readonly command: Command;
  readonly backends?: readonly string[];
  readonly cells?: readonly string[];
  readonly shapes?: readonly string[];
  readonly quick: boolean;
  readonly json: boolean;
  readonly peers: boolean;
  readonly report?: string;
  readonly junit?: string;
  readonly repetitions?: number;
  readonly paths: readonly string[];
  readonly help: boolean;
}

export const usage = `Usage: recurrent-conformance [check|bench|all|vectors] [options]

  check                      run the conformance suite on the selected backends
  bench                      run the benchmark grid (our backends and peer baselines)
  all                        check, then bench (default)
  vectors <file-or-folder>…  run ONNX vector files through the ONNX import path

Options:
  --backend <a,b>   backends (reference, cpu, cpu-f64, gpujs; default: all)
  --cells <a,b>     cell variants or families (rnn, gru, lstm, gru-reset-before, …)
  --shapes <a,b>    benchmark workloads (latency, standard, large; default: all)
  --quick           the small benchmark grid (CI); checks are the same
  --no-peers        do not run TensorFlow.js / onnxruntime-node baselines
  --repetitions <n> timed repetitions per benchmark (default 5)
  --report <file>   also write the JSON report to <file>
  --junit <file>    write JUnit XML of the checks to <file>
  --json            print the report (vectors: the results) as JSON on stdout
  -h, --help        show this help`;

export class UsageError extends Error {}

const commands: readonly Command[] = ['check', 'bench', 'all', 'vectors'];

export function parseArguments(argv: readonly string[]): CliArguments {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const [first, ...rest] = positionals;
  const command = (first ?? 'all') as Command;
  if (!commands.includes(command)) {
    throw new UsageError(`unknown command '${first}'; expected one of ${commands.join(', ')}`);
  }
  if (command === 'vectors' && rest.length === 0 && !values.help) {
    throw new UsageError('vectors needs at least one file or folder');
  }
  if (command !== 'vectors' && rest.length > 0) {
    throw new UsageError(`unexpected argument '${rest[0]}' after '${command}'`);
  }
  const list = (value: string | undefined) =>
    value === undefined
      ? undefined
      : value
          .split(',')
          .map((entry) => entry.trim())
          .filter(Boolean);
  const repetitions = values.repetitions === undefined ? undefined : Number(values.repetitions);
  if (repetitions !== undefined && (!Number.isInteger(repetitions) || repetitions < 1)) {
    throw new UsageError(`--repetitions is '${values.repetitions}'; expected a positive integer`);
  }
  const backends = list(values.backend);
  const cells = list(values.cells);
  const shapes = list(values.shapes);
  return {
    command,
    ...(backends ? { backends } : {}),
    ...(cells ? { cells } : {}),
    ...(shapes ? { shapes } : {}),
    quick: values.quick ?? false,
    json: values.json ?? false,
    peers: !(values['no-peers'] ?? false),
    ...(values.report ? { report: values.report } : {}),
    ...(values.junit ? { junit: values.junit } : {}),
    ...(repetitions ? { repetitions } : {}),
    paths: command === 'vectors' ? rest : [],
    help: values.help ?? false,
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      backend: { type: 'string' },
      cells: { type: 'string' },
      shapes: { type: 'string' },
      quick: { type: 'boolean' },
      json: { type: 'boolean' },
      'no-peers': { type: 'boolean' },
      repetitions: { type: 'string' },
      report: { type: 'string' },
      junit: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

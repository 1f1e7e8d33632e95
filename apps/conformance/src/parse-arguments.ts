/**
 * Command-line parsing for `recurrent-conformance` (node:util parseArgs), with every
 * rejected argument named in the error.
 */
import { parseArgs } from 'node:util';
import { peerNames } from './peers/peer-runners.js';

export type Command = 'check' | 'bench' | 'all' | 'vectors';

export interface CliArguments {
  readonly command: Command;
  readonly backends?: readonly string[];
  readonly cells?: readonly string[];
  readonly shapes?: readonly string[];
  readonly quick: boolean;
  readonly json: boolean;
  readonly peers: boolean;
  /** The peers to run (`--peers`); all when absent. */
  readonly peerNames?: readonly string[];
  readonly report?: string;
  readonly junit?: string;
  readonly repetitions?: number;
  readonly warmupRuns?: number;
  readonly budgetSeconds?: number;
  readonly paths: readonly string[];
  readonly help: boolean;
}

export const usage = `Usage: recurrent-conformance [check|bench|all|vectors] [options]

  check                      run the conformance suite on the selected backends
  bench                      run the benchmark grid (our backends and peer baselines)
  all                        check, then bench (default)
  vectors <file-or-folder>…  run ONNX vector files through the ONNX import path

Options:
  --backend <a,b>   backends (reference, cpu, cpu-f64, gpujs; default: all; by name only: cpu-1thread, gpujs-fused, gpujs-tiled)
  --cells <a,b>     cell variants or families (rnn, gru, lstm, gru-reset-before, …)
  --shapes <a,b>    benchmark workloads (latency, standard, large; default: all)
  --quick           the small benchmark grid (CI); checks are the same
  --peers <a,b>     peer baselines to run (tfjs-cpu, tfjs-wasm, tfjs-webgpu, onnxruntime-node; default: all)
  --no-peers        do not run TensorFlow.js / onnxruntime-node baselines
  --repetitions <n> timed repetitions per benchmark (default 5)
  --warmup <n>      untimed warm-up calls per benchmark (default 1; GPU runners compile on the first)
  --budget <s>      seconds one benchmark combination may take (default 30, 10 with --quick;
                    given, the whole run has no total time cap, otherwise 330 s, 60 s with --quick)
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
  const warmupRuns = values.warmup === undefined ? undefined : Number(values.warmup);
  if (warmupRuns !== undefined && (!Number.isInteger(warmupRuns) || warmupRuns < 1)) {
    throw new UsageError(`--warmup is '${values.warmup}'; expected a positive integer`);
  }
  const budgetSeconds = values.budget === undefined ? undefined : Number(values.budget);
  if (budgetSeconds !== undefined && !(budgetSeconds > 0)) {
    throw new UsageError(`--budget is '${values.budget}'; expected a positive number of seconds`);
  }
  const backends = list(values.backend);
  const cells = list(values.cells);
  const shapes = list(values.shapes);
  const selectedPeers = list(values.peers);
  const unknownPeer = selectedPeers?.find((name) => !peerNames.includes(name));
  if (unknownPeer !== undefined) {
    throw new UsageError(`--peers names '${unknownPeer}'; expected some of ${peerNames.join(', ')}`);
  }
  return {
    command,
    ...(backends ? { backends } : {}),
    ...(cells ? { cells } : {}),
    ...(shapes ? { shapes } : {}),
    quick: values.quick ?? false,
    json: values.json ?? false,
    peers: !(values['no-peers'] ?? false),
    ...(selectedPeers ? { peerNames: selectedPeers } : {}),
    ...(values.report ? { report: values.report } : {}),
    ...(values.junit ? { junit: values.junit } : {}),
    ...(repetitions ? { repetitions } : {}),
    ...(warmupRuns ? { warmupRuns } : {}),
    ...(budgetSeconds ? { budgetSeconds } : {}),
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
      peers: { type: 'string' },
      repetitions: { type: 'string' },
      warmup: { type: 'string' },
      budget: { type: 'string' },
      report: { type: 'string' },
      junit: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

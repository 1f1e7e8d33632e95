import type { BenchmarkResult } from '@recurrent/conformance';
import { columnHeading, element } from '../dom.js';
import { formatRate } from '../format-number.js';
import type { LiveWorkload } from '../live/live-benchmark.js';
import type { LiveRunClient, LiveRunOutcome } from '../live/live-run-client.js';
import { type LiveBackendChoice, liveBackends } from '../live/live-run-protocol.js';
import { describeShape, groupByWorkload } from '../throughput-table.js';

interface WorkloadChoice {
  readonly label: string;
  readonly live: LiveWorkload;
}

/** A shape small enough to finish in a second on any backend; the default. */
const tinyWorkload: WorkloadChoice = {
  label: 'live-tiny · gru · forward — B4 · T16 · I16 → H32',
  live: {
    workload: { name: 'live-tiny', batch: 4, steps: 16, inputSize: 16, hiddenSize: 32 },
    cell: 'gru',
    mode: 'forward',
  },
};

function workloadChoices(results: readonly BenchmarkResult[]): WorkloadChoice[] {
  const fromReport = groupByWorkload(results.filter((result) => !result.runner.startsWith('browser '))).map(
    (group) => {
      const first = group.rows[0]!;
      return {
        label: `${group.key} — ${describeShape(first)}`,
        live: {
          workload: {
            name: first.workload,
            batch: first.batch,
            steps: first.steps,
            inputSize: first.inputSize,
            hiddenSize: first.hiddenSize,
          },
          cell: first.cell,
          mode: first.mode,
        },
      };
    },
  );
  return [tinyWorkload, ...fromReport];
}

function describeFailure(outcome: LiveRunOutcome): string {
  switch (outcome.type) {
    case 'unavailable':
      return `unavailable: ${outcome.reason}`;
    case 'failed':
      return `failed: ${outcome.message}`;
    case 'done':
      return `${outcome.result.status}: ${outcome.result.message ?? ''}`;
  }
}

function outcomeRow(backend: LiveBackendChoice, choice: WorkloadChoice, outcome: LiveRunOutcome) {
  const cells =
    outcome.type === 'done' && outcome.result.status === 'ok'
      ? [
          element('td', { 'data-field': 'mode' }, String(outcome.result.runnerInfo.device)),
          element('td', {}, 'ok'),
          element('td', { class: 'number' }, formatRate(outcome.result.sequencesPerSecond)),
          element('td', { class: 'number' }, formatRate(outcome.result.gflopsPerSecond)),
          element('td', { class: 'number' }, formatRate((outcome.result.medianSeconds ?? 0) * 1000)),
        ]
      : [
          element(
            'td',
            { 'data-field': 'mode' },
            outcome.type === 'done' ? String(outcome.result.runnerInfo.device) : '—',
          ),
          element(
            'td',
            { colspan: 4, class: outcome.type === 'unavailable' ? 'status-not-applicable' : 'status-fail' },
            describeFailure(outcome),
          ),
        ];
  return element(
    'tr',
    { class: 'live-result', 'data-backend': backend, 'data-outcome': outcome.type },
    element('th', { scope: 'row' }, liveBackends[backend].label),
    element('td', {}, choice.label),
    ...cells,
  );
}

export interface LiveRunViewOptions {
  readonly client: LiveRunClient;
  /** Results already in the report (for the workload list). */
  readonly results: readonly BenchmarkResult[];
  /** Called with each successful run so the charts can include it. */
  readonly onResult: (result: BenchmarkResult) => void;
}

/** Runs a chosen workload in this browser, in a Web Worker, on each chosen backend in turn. */
export function renderLiveRunView(container: HTMLElement, options: LiveRunViewOptions) {
  const choices = workloadChoices(options.results);
  const hasWebGpu = Boolean((navigator as { gpu?: unknown }).gpu);
  const workloadSelect = element(
    'select',
    { 'aria-label': 'workload', name: 'workload' },
    choices.map((choice, index) => element('option', { value: index }, choice.label)),
  );
  const backendBoxes = (Object.keys(liveBackends) as LiveBackendChoice[]).map((backend) => {
    const checked = backend !== 'gpujs-webgpu' || hasWebGpu;
    return element(
      'label',
      { class: 'checkbox' },
      element('input', { type: 'checkbox', name: 'backend', value: backend, checked }),
      ` ${liveBackends[backend].label}`,
      backend === 'gpujs-webgpu' && !hasWebGpu
        ? element('span', { class: 'hint' }, ' (this browser offers no WebGPU)')
        : null,
    );
  });
  const repetitionsInput = element('input', {
    type: 'number',
    min: 1,
    max: 50,
    value: 5,
    name: 'repetitions',
  });
  const progress = element('progress', { max: 1, value: 0, 'data-testid': 'live-progress' });
  const status = element(
    'span',
    { class: 'hint', 'data-testid': 'live-status', 'aria-live': 'polite' },
    'idle',
  );
  const resultsBody = element('tbody', {});
  const runButton = element('button', { type: 'button', class: 'primary' }, 'Run');

  runButton.addEventListener('click', async () => {
    const choice = choices[Number(workloadSelect.value)] ?? tinyWorkload;
    const backends = backendBoxes
      .map((box) => box.querySelector('input')!)
      .filter((input) => input.checked)
      .map((input) => input.value as LiveBackendChoice);
    const repetitions = Math.max(1, Math.min(50, Number(repetitionsInput.value) || 5));
    runButton.disabled = true;
    for (const [index, backend] of backends.entries()) {
      const outcome = await options.client.run(
        { backend, live: choice.live, warmupRuns: 2, repetitions },
        ({ phase, done, total }) => {
          // Each backend gets an equal share of the bar; within it, progress through its runs.
          progress.value =
            (index + (phase === 'timing' ? 0.3 + 0.7 * (done / total) : 0.3 * (done / total))) /
            backends.length;
          status.textContent = `${liveBackends[backend].label}: ${phase} ${done}/${total}`;
        },
      );
      resultsBody.append(outcomeRow(backend, choice, outcome));
      if (outcome.type === 'done' && outcome.result.status === 'ok') options.onResult(outcome.result);
    }
    progress.value = 1;
    status.textContent = backends.length > 0 ? 'done' : 'choose at least one backend';
    runButton.disabled = false;
  });

  container.replaceChildren(
    element(
      'p',
      { class: 'hint' },
      'Runs the real @recurrent packages in a Web Worker in this browser: warm-up runs first (excluded), then ' +
        'the timed repetitions; the median is shown and added to the Throughput view as "browser …" rows.',
    ),
    element(
      'div',
      { class: 'controls' },
      element('label', {}, 'Workload ', workloadSelect),
      element('label', {}, 'Repetitions ', repetitionsInput),
    ),
    element('div', { class: 'controls' }, backendBoxes),
    element('div', { class: 'controls' }, runButton, progress, status),
    element(
      'table',
      { class: 'data-table', 'data-testid': 'live-results' },
      element(
        'thead',
        {},
        element(
          'tr',
          {},
          ['backend', 'workload', 'mode', 'status', 'sequences/s', 'GFLOP/s', 'median ms'].map(columnHeading),
        ),
      ),
      resultsBody,
    ),
  );
}

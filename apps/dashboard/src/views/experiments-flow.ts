import type { ExperimentsReport } from '@recurrent/experiments';
import { cellColor } from '../charts/cell-colors.js';
import { renderLineChart } from '../charts/line-chart.js';
import { element } from '../dom.js';
import { type FlowPhase, flowPhases, gradientFlowChart } from '../experiments-series.js';
import { formatScientific } from '../format-number.js';

const phaseNames: Record<FlowPhase, string> = {
  initialisation: 'at initialisation',
  trained: 'after training',
};

/** The gradient-flow chart (log axis, one line per cell) with its phase toggle. */
export function flowCard(report: ExperimentsReport) {
  const phases = flowPhases(report);
  let phase: FlowPhase = phases[0] ?? 'initialisation';
  const holder = element('div', { class: 'chart', 'data-chart': 'gradient-flow' });
  const draw = () => {
    const chart = gradientFlowChart(report, phase);
    holder.replaceChildren();
    holder.dataset.phase = phase;
    renderLineChart(holder, {
      title: `‖∂L/∂h_t‖ ${phaseNames[phase]} (T = ${chart.steps}, mean over batch and seeds)`,
      xLabel: 'distance T − 1 − t from the loss',
      yLabel: '‖∂L/∂h_t‖',
      xs: chart.distances,
      series: chart.series.map((line, index) => ({
        label: line.cell,
        values: line.values,
        color: cellColor(line.cell, index),
      })),
      logY: true,
      decadeTicks: true,
      points: false,
      height: 340,
      maxWidth: 1340,
      formatY: formatScientific,
    });
  };
  const toggle = element(
    'div',
    { class: 'phase-toggle', role: 'radiogroup', 'aria-label': 'gradient-flow phase' },
    (['initialisation', 'trained'] as const).map((name) =>
      element(
        'label',
        { class: 'checkbox', title: phases.includes(name) ? undefined : 'not measured in this report' },
        element('input', {
          type: 'radio',
          name: 'flow-phase',
          value: name,
          checked: name === phase,
          disabled: !phases.includes(name),
          onchange: () => {
            phase = name;
            draw();
          },
        }),
        ` ${phaseNames[name]}`,
      ),
    ),
  );
  queueMicrotask(draw);
  return element(
    'article',
    { class: 'card chart-card', 'data-testid': 'gradient-flow' },
    element('h3', {}, 'Gradient flow: how far back the loss reaches'),
    element(
      'p',
      { class: 'hint' },
      'The loss is taken on the final state; each line is the gradient norm at the state that many steps earlier, ' +
        'on a log axis. A steeper fall means earlier steps get less signal to learn from.',
    ),
    toggle,
    phases.includes('trained')
      ? null
      : element(
          'p',
          { class: 'hint', 'data-testid': 'no-trained-phase' },
          report.config.flowTrainingSteps === 0
            ? 'This report measured gradient flow at initialisation only: its configuration trains no model for it.'
            : 'This report has no gradient flow after training.',
        ),
    holder,
  );
}

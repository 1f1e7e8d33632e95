/**
 * One colour per recurrent cell, the same in every experiments chart, so a reader can follow a
 * cell from the gradient-flow chart to the training curves. The full GRU and its variants are
 * blues, the ablations warm colours, the baselines (vanilla RNN, LSTM) grey and green; all from
 * the Okabe–Ito palette, distinct for the common kinds of colour blindness.
 */
const knownCells: Record<string, string> = {
  'rnn-tanh': '#6b6b6b',
  'gru-reset-after': '#0072b2',
  'gru-reset-before': '#56b4e9',
  lstm: '#009e73',
  'gru-no-reset': '#d55e00',
  'gru-no-update': '#e69f00',
  mgu: '#cc79a7',
};

const spareColors = ['#000000', '#8a7aa8', '#a08c5b', '#4f8a8b'];

/** The colour of `cell`; a cell this dashboard does not know gets a spare colour by its position. */
export function cellColor(cell: string, index: number): string {
  return knownCells[cell] ?? spareColors[index % spareColors.length]!;
}

/** `#rrggbb` with an alpha channel, for the min–max band under a cell's mean line. */
export function translucent(color: string, alpha: number): string {
  const channel = Math.round(Math.max(0, Math.min(1, alpha)) * 255)
    .toString(16)
    .padStart(2, '0');
  return `${color}${channel}`;
}

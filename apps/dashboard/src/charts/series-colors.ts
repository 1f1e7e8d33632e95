/**
 * Colours for our runners (saturated) and the peer baselines (muted, drawn dashed), chosen to
 * stay distinct for the common kinds of colour blindness (Okabe–Ito palette).
 */
const ownColors = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9'];
const peerColors = ['#6b6b6b', '#a08c5b', '#8a7aa8', '#4f8a8b'];

/** A stable colour per runner name within one chart. */
export function seriesColor(index: number, peer: boolean): string {
  const palette = peer ? peerColors : ownColors;
  return palette[index % palette.length]!;
}

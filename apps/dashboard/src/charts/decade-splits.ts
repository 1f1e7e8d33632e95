/**
 * Decade ticks for a log axis, every `step`-th decade so that at most `maxTicks` are labelled.
 * uPlot's own log splits walk 1, 2, …, 9 of every decade; across the tens of decades a gradient
 * norm can span, that walk took the page seconds.
 */
export function decadeSplits(min: number, max: number, maxTicks = 8): number[] {
  if (!(min > 0) || !(max > 0)) return [];
  const low = Math.floor(Math.log10(min) + 1e-9);
  const high = Math.ceil(Math.log10(max) - 1e-9);
  const step = Math.max(1, Math.ceil((high - low + 1) / maxTicks));
  const splits: number[] = [];
  for (let exponent = Math.ceil(low / step) * step; exponent <= high; exponent += step) {
    // `1e-24`, not `10 ** -24` (1.0000000000000001e-24).
    const value = Number(`1e${exponent}`);
    if (value >= min * (1 - 1e-9) && value <= max * (1 + 1e-9)) splits.push(value);
  }
  return splits;
}

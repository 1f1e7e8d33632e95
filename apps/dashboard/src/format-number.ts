/** Three significant digits with a thousands separator: `1,234`, `56.8`, `0.123`. */
export function formatRate(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  return value.toPrecision(3);
}

/** Errors and tolerances span many decades, so they are shown in scientific notation. */
export function formatError(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  if (value === 0) return '0';
  return value.toExponential(2);
}

/** `17.2 GiB` */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

/** A signed percentage: `-12.5%`, `+3.0%`. */
export function formatChange(fraction: number): string {
  const percent = fraction * 100;
  return `${percent >= 0 ? '+' : ''}${percent.toFixed(1)}%`;
}

/** An axis tick: no trailing zeros (`0`, `20`, `1.5`, `10,000`); empty for ticks uPlot hides. */
export function formatTick(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '';
  return Number(value.toPrecision(3)).toLocaleString('en-US');
}

/**
 * Gradient norms span tens of decades: scientific notation, with decade ticks kept short
 * (`1e-13`, `4.92e-2`).
 */
export function formatScientific(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '';
  if (value === 0) return '0';
  return value.toExponential(2).replace(/\.00e/, 'e').replace('e+', 'e');
}

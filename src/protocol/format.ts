/**
 * Formatting shared by the CLI, the extension and the webviews, so that one amount of money
 * reads the same everywhere.
 */

/** Dollars with enough significant digits to tell small per-call costs apart: $0, $0.00042, $0.13, $4.20, $1,234. */
export function usd(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value < 0) return `-${usd(-value)}`;
  if (value === 0) return '$0';
  if (value >= 100) return `$${value.toLocaleString('en-US', { maximumFractionDigits: 0 })}`;
  if (value >= 1) return `$${value.toFixed(2)}`;
  return `$${value.toPrecision(2).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '')}`;
}

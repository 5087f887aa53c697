import type { CallCost } from '../../protocol/hints';

/** Dollars with enough significant digits to tell small per-call costs apart. */
export function usd(value: number): string {
  if (value === 0) return '$0';
  if (value >= 100) return `$${value.toLocaleString('en-US', { maximumFractionDigits: 0 })}`;
  if (value >= 1) return `$${value.toFixed(2)}`;
  return `$${value.toPrecision(2).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '')}`;
}

export function tokens(cost: CallCost): string {
  return `${cost.tokens.method === 'estimate' ? '~' : ''}${cost.tokens.count.toLocaleString('en-US')}`;
}

export function percent(share: number): string {
  const p = share * 100;
  return p >= 10 ? `${p.toFixed(0)}%` : p >= 0.1 ? `${p.toFixed(1)}%` : '<0.1%';
}

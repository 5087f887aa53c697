import type { CallCost } from '../../protocol/hints';

export { usd } from '../../protocol/format';

/** A count with thousands separators, the same in every locale: 12,345. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function tokens(cost: CallCost): string {
  return `${cost.tokens.method === 'estimate' ? '~' : ''}${formatCount(cost.tokens.count)}`;
}

export function percent(share: number): string {
  const p = share * 100;
  return p >= 10 ? `${p.toFixed(0)}%` : p >= 0.1 ? `${p.toFixed(1)}%` : '<0.1%';
}

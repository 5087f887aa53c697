import type { CallCost } from '../../protocol/hints';

export { usd } from '../../protocol/format';

export function tokens(cost: CallCost): string {
  return `${cost.tokens.method === 'estimate' ? '~' : ''}${cost.tokens.count.toLocaleString('en-US')}`;
}

export function percent(share: number): string {
  const p = share * 100;
  return p >= 10 ? `${p.toFixed(0)}%` : p >= 0.1 ? `${p.toFixed(1)}%` : '<0.1%';
}

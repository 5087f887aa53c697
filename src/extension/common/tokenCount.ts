import * as vscode from 'vscode';
import { formatCount } from './format';

/**
 * "1 token", "12 tokens", "≥1 token + runtime values": a token count as the lens, the status bar and the pickers say it,
 * singular for exactly one (newuser31 read "1 tokens" on a one-token prompt). `mark` is the "≥" of a lower bound or the
 * "~" of an estimate.
 */
export function tokenCountText(count: number, mark = '', runtime = false): string {
  const shown = `${mark}${formatCount(count)}`;
  if (runtime) return count === 1 ? vscode.l10n.t('{0} token + runtime values', shown) : vscode.l10n.t('{0} tokens + runtime values', shown);
  return count === 1 ? vscode.l10n.t('{0} token', shown) : vscode.l10n.t('{0} tokens', shown);
}

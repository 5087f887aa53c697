/**
 * "Compress Prompt to a Target Reduction…": asks the share of tokens to remove, and after the
 * edit shows what was removed and why (the engine's removal summary, by rule), the stages the
 * target walked and whether it was reached — the editor's counterpart of the CLI's
 * `prompt compress --target-ratio` report.
 */
import * as vscode from 'vscode';
import type { CompressionResult } from '../../protocol/prompt';
import { parseReductionRatio } from '../../protocol/format';

/** `tokens`: the prompt's count to quote, or undefined for a prompt with runtime values (the target counts the literal as written). */
export async function askTargetRatio(tokens: number | undefined, model: string): Promise<number | undefined> {
  const value = await vscode.window.showInputBox({
    title: vscode.l10n.t('PepperPy: compress prompt to a target reduction'),
    prompt:
      tokens === undefined
        ? vscode.l10n.t('Share of the prompt\'s tokens ({0}, counted on the literal as written, placeholders included) to remove: a percentage (20%) or a fraction (0.2). Rule stages are applied, safest first, until it is reached or no safe rule is left.', model)
        : vscode.l10n.t('Share of the {0} tokens ({1}) to remove: a percentage (20%) or a fraction (0.2). Rule stages are applied, safest first, until it is reached or no safe rule is left.', tokens, model),
    value: '20%',
    validateInput: (v) => (parseReductionRatio(v) === undefined ? vscode.l10n.t('Enter a percentage between 0% and 100% (e.g. 20%) or a fraction between 0 and 1 (e.g. 0.2).') : undefined),
  });
  return value === undefined ? undefined : parseReductionRatio(value);
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();

/** The Markdown report of one compression: figures, target, stages, protected items, and each removal with its reason. */
export function compressionReportMarkdown(result: CompressionResult, source: string, model: string, lensTokens?: number): string {
  const lines = [
    `# ${vscode.l10n.t('What compression removed: {0}', source)}`,
    '',
    vscode.l10n.t('{0} → {1} tokens for {2} ({3}% fewer), language {4}.', result.tokensBefore, result.tokensAfter, model, result.reductionPercent.toFixed(1), result.language),
  ];
  // With runtime values the lens counts the fixed text only; these figures (and the target) count the literal as written.
  if (lensTokens !== undefined) lines.push('', vscode.l10n.t('These figures count the literal as written, its placeholders\' text included; the lens counts its fixed text only (≥{0} before).', lensTokens));
  if (result.target) {
    lines.push('', `**${vscode.l10n.t('Target: {0}% fewer tokens', Math.round(result.target.ratio * 1000) / 10)}** — ${result.target.message}`);
    lines.push('', vscode.l10n.t('Stages applied: {0}', result.target.stages.join(' → ')));
  } else {
    lines.push('', vscode.l10n.t('Level: {0}', result.level));
  }
  lines.push('', vscode.l10n.t('Protected items kept: {0} of {1} (placeholders, code, quotes, numbers, URLs, negations and constraints).', result.retention.kept, result.retention.total));
  const removed = result.removedSummary ?? [];
  lines.push('', `## ${vscode.l10n.t('Removed ({0})', removed.reduce((n, r) => n + r.count, 0))}`, '');
  if (removed.length === 0) {
    lines.push(vscode.l10n.t('Nothing: no rule found text it may remove without touching a protected item.'));
  } else {
    lines.push(`| ${vscode.l10n.t('Rule')} | ${vscode.l10n.t('Text')} | ${vscode.l10n.t('Times')} | ${vscode.l10n.t('Why')} |`, '|---|---|---:|---|');
    for (const r of removed) lines.push(`| ${cell(r.rule)} | \`${cell(r.text).replace(/`/g, "'")}\` | ${r.count} | ${cell(r.reason)} |`);
  }
  for (const w of result.warnings.filter((w) => w !== result.target?.message)) lines.push('', `> ${w}`);
  return `${lines.join('\n')}\n`;
}

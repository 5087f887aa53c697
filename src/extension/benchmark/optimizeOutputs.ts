/**
 * Places what `pipeline/optimizeAll` wrote (into a private folder under globalStorage)
 * next to the source config: `<name>.optimized.json`, `<name>.optimization-report.md` and
 * `<name>.optimization-report.json`. The source config is never touched; an existing
 * output is replaced only when the user says so. Paths inside the outputs are rewritten
 * so they point at the placed files, and the corpus stays relative to the config, as in
 * the source.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { writeFileAtomicSync } from '../../shared/files';
import type { Log } from '../common/log';

/** `ask` shows a modal; `always` replaces; `never` leaves the outputs in globalStorage. */
export type OverwritePolicy = 'ask' | 'always' | 'never';

export function outputPaths(configPath: string): { config: string; reportMarkdown: string; reportJson: string } {
  const dir = path.dirname(configPath);
  const base = path.basename(configPath).replace(/\.json$/i, '');
  return {
    config: path.join(dir, `${base}.optimized.json`),
    reportMarkdown: path.join(dir, `${base}.optimization-report.md`),
    reportJson: path.join(dir, `${base}.optimization-report.json`),
  };
}

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
}

/** `file` (relative to `fromDir`, or absolute) as a path relative to `toDir`, with forward slashes. */
function rebase(file: string, fromDir: string, toDir: string): string {
  const full = path.resolve(fromDir, file);
  const rel = path.relative(toDir, full);
  return rel === '' || path.isAbsolute(rel) ? full : rel.split(path.sep).join('/');
}

/** Rewrites a pipeline config's file paths (corpus, cross-encoder model) for a config moved from `fromDir` to `toDir`. */
export function relocateConfigPaths(config: Record<string, unknown>, fromDir: string, toDir: string): void {
  if (typeof config.corpus === 'string') config.corpus = rebase(config.corpus, fromDir, toDir);
  const components = config.components;
  const reranker = components && typeof components === 'object' ? (components as Record<string, unknown>).reranker : undefined;
  if (reranker && typeof reranker === 'object') {
    const r = reranker as Record<string, unknown>;
    if (r.type === 'cross_encoder' && typeof r.model === 'string' && r.model !== 'lexical-overlap') r.model = rebase(r.model, fromDir, toDir);
  }
}

export async function placeOptimizeOutputs(configPath: string, written: Record<string, string>, policy: OverwritePolicy, log: Log): Promise<{ files: Record<string, string>; note?: string }> {
  const from = { config: written.config, reportMarkdown: written.reportMarkdown, reportJson: written.reportJson };
  if (!from.config || !from.reportMarkdown || !from.reportJson) throw new Error('the engine did not say where it wrote the outputs');
  const to = outputPaths(configPath);
  if (path.resolve(to.config) === path.resolve(configPath)) throw new Error('the optimized config would replace the source config');
  const existing = Object.values(to).filter((f) => fs.existsSync(f));
  if (existing.length > 0) {
    let replace = policy === 'always';
    if (policy === 'ask') {
      const names = existing.map((f) => path.basename(f)).join(', ');
      const replaceLabel = vscode.l10n.t('Replace');
      const choice = await vscode.window.showWarningMessage(
        existing.length === 1 ? vscode.l10n.t('PepperPy: {0} already exists next to {1}.', names, path.basename(configPath)) : vscode.l10n.t('PepperPy: {0} already exist next to {1}.', names, path.basename(configPath)),
        { modal: true, detail: vscode.l10n.t('Replace them with the new results? The source config is never changed.') },
        replaceLabel,
      );
      replace = choice === replaceLabel;
    }
    if (!replace) {
      log.info(`Kept the existing optimization outputs; the new ones stay in ${path.dirname(from.config)}.`);
      return { files: from, note: `Existing outputs next to ${path.basename(configPath)} were kept; the new ones are in ${path.dirname(from.config)}.` };
    }
  }

  // The optimized config: the engine wrote its paths (corpus, cross-encoder model)
  // relative to the private folder; rewrite them relative to the placed file, which sits
  // beside the source, so they read as in the source.
  const optimized = readJson(from.config);
  relocateConfigPaths(optimized, path.dirname(from.config), path.dirname(to.config));
  const rel = (f: string) => path.basename(f);
  const replacePaths = (text: string) =>
    text
      .split(from.config).join(rel(to.config))
      .split(from.reportMarkdown).join(rel(to.reportMarkdown))
      .split(from.reportJson).join(rel(to.reportJson));

  const report = readJson(from.reportJson);
  report.files = { config: rel(to.config), reportMarkdown: rel(to.reportMarkdown), reportJson: rel(to.reportJson) };
  if (report.optimizedConfig && typeof report.optimizedConfig === 'object') relocateConfigPaths(report.optimizedConfig as Record<string, unknown>, path.dirname(from.config), path.dirname(to.config));

  writeFileAtomicSync(to.config, `${JSON.stringify(optimized, null, 2)}\n`);
  writeFileAtomicSync(to.reportJson, `${JSON.stringify(report, null, 2)}\n`);
  writeFileAtomicSync(to.reportMarkdown, replacePaths(fs.readFileSync(from.reportMarkdown, 'utf8')));
  // Only the private folder the runner created is removed (…/optimize-output/<run id>).
  if (path.basename(path.dirname(path.dirname(from.config))) === 'optimize-output') fs.rmSync(path.dirname(from.config), { recursive: true, force: true });
  log.info(`Wrote ${to.config}, ${to.reportMarkdown} and ${to.reportJson}.`);
  return { files: to };
}

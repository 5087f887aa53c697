/**
 * "PepperPy: Optimize RAG Pipeline", "PepperPy: Open Benchmarks" and "PepperPy: Set API
 * Key…". The optimize command picks a pipeline config (the active editor when it is one;
 * otherwise a config found in the workspace, a file picker, or a starter pipeline copied
 * from the bundled samples), runs `pipeline/optimizeAll` with progress and Cancel, places
 * `<name>.optimized.json` and the before/after report beside the config (never over the
 * config itself), opens the report and shows the run in the Benchmark panel.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunRecord } from '../../protocol/benchmark';
import type { BenchmarkRunner } from './benchmarkRunner';
import type { OverwritePolicy } from './optimizeOutputs';
import type { Log } from '../common/log';
import type { BenchmarkPanel } from './benchmarkPanel';
import { errorMessage } from '../../protocol/errors';

const STARTER_CONFIG = 'rag_pipeline.json';
const STARTER_FOLDER = 'pepperpy-rag';

export interface OptimizeRagOptions {
  /** What to do when the outputs exist already (default: ask). */
  overwrite?: OverwritePolicy;
  /** Skip opening the Markdown preview (tests). */
  openReport?: boolean;
  /** Create the starter pipeline in the first workspace folder instead of asking (tests). */
  starter?: boolean;
}

/** A JSON file that looks like a pipeline config (has `components`). */
function isPipelineConfig(document: vscode.TextDocument): boolean {
  if (!document.fileName.toLowerCase().endsWith('.json') || /\.(optimized|optimization-report)\.json$/i.test(document.fileName)) return false;
  try {
    const parsed = JSON.parse(document.getText()) as unknown;
    return typeof parsed === 'object' && parsed !== null && typeof (parsed as { components?: unknown }).components === 'object';
  } catch {
    return false;
  }
}

/**
 * The files the starter needs, relative to samples/rag: the config, every file it names
 * (the corpus and the cross-encoder's model, even a disabled one: the optimizer tries it),
 * the test queries the optimizer reads beside the config, and the README. Read from the
 * config itself, so a file added to it is copied too; a path that leaves the folder is a
 * packaging mistake and fails loudly.
 */
export function starterFiles(sampleDir: string): string[] {
  const config = JSON.parse(fs.readFileSync(path.join(sampleDir, STARTER_CONFIG), 'utf8')) as { corpus?: unknown; components?: { reranker?: { type?: unknown; model?: unknown } } };
  const files = [STARTER_CONFIG, 'queries.jsonl', 'README.md'];
  if (typeof config.corpus === 'string') files.push(config.corpus);
  const reranker = config.components?.reranker;
  if (reranker?.type === 'cross_encoder' && typeof reranker.model === 'string' && reranker.model !== 'lexical-overlap') files.push(reranker.model);
  const unique = [...new Set(files.map((f) => path.normalize(f)))];
  for (const f of unique) {
    if (path.isAbsolute(f) || f.split(path.sep).includes('..')) throw new Error(`the bundled starter config names ${f}, outside its folder`);
  }
  return unique;
}

/** Copies the bundled samples/rag into the workspace (a fresh folder, never over files). */
async function createStarter(extensionUri: vscode.Uri, folder: vscode.WorkspaceFolder): Promise<vscode.Uri> {
  let name = STARTER_FOLDER;
  for (let i = 2; fs.existsSync(path.join(folder.uri.fsPath, name)); i++) name = `${STARTER_FOLDER}-${i}`;
  const source = vscode.Uri.joinPath(extensionUri, 'samples', 'rag');
  const files = starterFiles(source.fsPath);
  const missing = files.filter((f) => !fs.existsSync(path.join(source.fsPath, f)));
  if (missing.length > 0) throw new Error(`the extension's starter files are incomplete (missing ${missing.join(', ')}); reinstall the extension`);
  const target = vscode.Uri.joinPath(folder.uri, name);
  await vscode.workspace.fs.createDirectory(target);
  for (const file of files) {
    const parts = file.split(path.sep);
    await vscode.workspace.fs.copy(vscode.Uri.joinPath(source, ...parts), vscode.Uri.joinPath(target, ...parts), { overwrite: false });
  }
  void vscode.window.showInformationMessage(vscode.l10n.t('PepperPy: created a starter RAG pipeline in {0} (config, corpus, test queries and the reranker model from the bundled samples).', `${name}/`));
  return vscode.Uri.joinPath(target, STARTER_CONFIG);
}

async function pickConfig(extensionUri: vscode.Uri): Promise<vscode.Uri | undefined> {
  const active = vscode.window.activeTextEditor?.document;
  if (active && active.uri.scheme === 'file' && isPipelineConfig(active)) return active.uri;

  type Item = vscode.QuickPickItem & { action: 'file' | 'browse' | 'starter'; uri?: vscode.Uri };
  const found = await vscode.workspace.findFiles('**/*pipeline*.json', '{**/node_modules/**,**/*.optimized.json,**/*.optimization-report.json}', 20);
  const items: Item[] = found.map((uri) => ({ label: `$(file) ${vscode.workspace.asRelativePath(uri, false)}`, description: vscode.l10n.t('pipeline config in the workspace'), action: 'file', uri }));
  items.push({ label: `$(folder-opened) ${vscode.l10n.t('Choose a pipeline config…')}`, action: 'browse' });
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (folder) items.push({ label: `$(new-folder) ${vscode.l10n.t('Create a starter RAG pipeline in this workspace')}`, description: vscode.l10n.t('{0}: config, corpus and queries from the samples', `${STARTER_FOLDER}/`), action: 'starter' });
  const choice = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('PepperPy: Optimize RAG Pipeline'), placeHolder: vscode.l10n.t('Which pipeline config (JSON) should be optimized?'), ignoreFocusOut: true });
  if (!choice) return undefined;
  if (choice.action === 'file') return choice.uri;
  if (choice.action === 'starter' && folder) return createStarter(extensionUri, folder);
  const picked = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { [vscode.l10n.t('Pipeline config')]: ['json'] }, title: vscode.l10n.t('PepperPy: choose a pipeline config') });
  return picked?.[0];
}

export function optimizeRagPipeline(context: vscode.ExtensionContext, panel: BenchmarkPanel, log: Log) {
  return async (target?: vscode.Uri | string, options: OptimizeRagOptions = {}): Promise<RunRecord | undefined> => {
    let uri: vscode.Uri | undefined;
    try {
      const folder = vscode.workspace.workspaceFolders?.[0];
      uri =
        typeof target === 'string' ? vscode.Uri.file(target)
        : target instanceof vscode.Uri ? target
        : options.starter && folder ? await createStarter(context.extensionUri, folder)
        : await pickConfig(context.extensionUri);
    } catch (error) {
      void vscode.window.showErrorMessage(vscode.l10n.t('PepperPy: could not create the starter pipeline: {0}', errorMessage(error)));
      return undefined;
    }
    if (!uri) return undefined;
    if (uri.scheme !== 'file') {
      void vscode.window.showErrorMessage(vscode.l10n.t('PepperPy: the pipeline config must be a file on disk.'));
      return undefined;
    }
    if (!fs.existsSync(uri.fsPath)) {
      void vscode.window.showErrorMessage(vscode.l10n.t('PepperPy: the pipeline config {0} does not exist. Pick another file, or run the command without a file to create a starter pipeline.', uri.fsPath));
      return undefined;
    }
    // Inside the workspace the panel's form shows (and re-runs) the path relative to it.
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const relative = root ? path.relative(root, uri.fsPath) : '';
    const configPath = root && relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : uri.fsPath;
    const record = await panel.launch({ kind: 'optimizeAll', configPath }, { overwrite: options.overwrite ?? 'ask' });
    if (!record) return undefined;
    if (record.status === 'failed') {
      const choice = await log.showErrorWithLogs(`PepperPy: optimizing ${path.basename(uri.fsPath)} failed: ${record.error ?? 'unknown error'}`, 'Open Config');
      if (choice === 'Open Config') await vscode.window.showTextDocument(uri);
    } else if (record.status === 'completed' && record.files?.reportMarkdown && options.openReport !== false) {
      try {
        await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.file(record.files.reportMarkdown));
      } catch (error) {
        log.warn(`Could not open the report preview: ${errorMessage(error)}`);
      }
    }
    return record;
  };
}

export function openBenchmarks(panel: BenchmarkPanel) {
  return () => panel.open();
}

/** "PepperPy: Set API Key"; the model picker passes the provider ('openai' or 'anthropic') to skip the question. */
export function setApiKey(runner: BenchmarkRunner) {
  return (provider?: unknown) => runner.promptForApiKey(provider === 'openai' || provider === 'anthropic' ? provider : undefined);
}

/**
 * The Benchmark panel: a form for every benchmark the engine runs, live progress with
 * Cancel, charts of the selected run, the history with a two-run comparison, and exports
 * (CSV, JSON, Markdown). The runs themselves go through BenchmarkRunner, which the
 * "Optimize RAG Pipeline" command shares, so a run started anywhere shows here.
 */
import { editorModelChoices } from '../client/editorModels';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { writeFileAtomicSync } from '../../shared/files';
import { DEFAULT_JUDGE_MODEL } from '../../shared/prompt/defaults';
import type { BenchmarkKind, BenchmarkRequest, BenchmarkViewState, RunRecord } from '../../protocol/benchmark';
import type { WebviewToHost } from '../../protocol/webview';
import { resolvePath, type BenchmarkRunner, type RunOptions } from './benchmarkRunner';
import { compareRuns, toCsv, toJson, toMarkdown } from './results';
import type { Log } from '../common/log';
import { PanelHost, plainJson } from '../common/panelHost';
import { ModelPicker } from '../common/modelPicker';
import type { EngineService } from '../client/engineService';
import { errorMessage } from '../../protocol/errors';

export const BENCHMARK_VIEW_TYPE = 'pepperpy.benchmark';

export type ExportFormat = 'csv' | 'json' | 'markdown';
const EXTENSIONS: Record<ExportFormat, string> = { csv: 'csv', json: 'json', markdown: 'md' };

/**
 * The form's starting values for each kind. Only paths that exist are filled in: with no
 * pipeline config found, the path fields stay empty and show their hint instead.
 */
function defaults(configPath = ''): Record<BenchmarkKind, BenchmarkRequest> {
  const queries = configPath ? configPath.replace(/[^/\\]+$/, 'queries.jsonl') : '';
  const dataset = queries && isFile(resolvePath(queries)) ? queries : '';
  return {
    pipeline: { kind: 'pipeline', configPath, iterations: 2, concurrency: [1, 2, 4] },
    profile: { kind: 'profile', configPath, runsPerQuery: 3 },
    rag: { kind: 'rag', configPath, dataset },
    latency: { kind: 'latency', models: ['local:bigram'], inputLengths: [100, 500], outputLengths: [32], batchSizes: [1, 2, 4, 8], iterations: 5, warmupIterations: 1 },
    model: { kind: 'model', models: ['local'], datasets: {} },
    quality: { kind: 'quality', models: ['local'], datasets: {}, evaluatorModel: DEFAULT_JUDGE_MODEL, repeats: 3 },
    optimizeAll: { kind: 'optimizeAll', configPath },
  };
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * The first input file of `request` that is not there, said once and plainly, or
 * undefined when every file exists. Checked before a run starts, so a wrong path is a
 * message in the form, not a failed run in the history.
 */
export function missingInput(request: BenchmarkRequest): string | undefined {
  const files: Array<{ what: string; value: string; hint: string }> = [];
  const browse = vscode.l10n.t('Choose the file with Browse… next to the field.');
  // `what` carries its article, so each language can agree it with the noun.
  if ('configPath' in request) files.push({ what: vscode.l10n.t('The pipeline config'), value: request.configPath, hint: `${browse} ${vscode.l10n.t('No config yet? Run "PepperPy: Optimize RAG Pipeline" and pick "Create a starter RAG pipeline".')}` });
  if ('queriesPath' in request && request.queriesPath !== undefined) files.push({ what: vscode.l10n.t('The test queries file'), value: request.queriesPath, hint: `${browse} ${vscode.l10n.t('Or leave the field empty to use queries.jsonl beside the config.')}` });
  if (request.kind === 'rag') files.push({ what: vscode.l10n.t('The dataset'), value: request.dataset, hint: browse });
  if (request.kind === 'model' || request.kind === 'quality') for (const [name, value] of Object.entries(request.datasets)) files.push({ what: vscode.l10n.t('The dataset "{0}"', name), value, hint: vscode.l10n.t('Give each dataset as name=path, with a path to a JSONL file in the workspace (or an absolute path).') });
  for (const f of files) {
    const full = resolvePath(f.value);
    let problem: string | undefined;
    try {
      if (!fs.statSync(full).isFile()) problem = vscode.l10n.t('is a folder, not a file');
    } catch {
      problem = vscode.l10n.t('does not exist');
    }
    if (problem) return `${f.what} ${f.value} ${problem}${full !== f.value ? ` ${vscode.l10n.t('(looked for {0})', full)}` : ''}. ${f.hint}`;
  }
  return undefined;
}

export class BenchmarkPanel implements vscode.Disposable {
  readonly host: PanelHost;
  private state: BenchmarkViewState;
  private refreshGeneration = 0;
  private defaultConfigFound = false;
  private readonly subscriptions: vscode.Disposable[] = [];
  /** "Add model…" and the judge's "Choose…" (the tests read its QuickPick). */
  readonly modelPicker: ModelPicker;

  constructor(
    context: vscode.ExtensionContext,
    private readonly log: Log,
    readonly runner: BenchmarkRunner,
    engine: EngineService,
  ) {
    this.modelPicker = new ModelPicker(engine, context.secrets, log);
    this.host = new PanelHost(context, log, { viewType: BENCHMARK_VIEW_TYPE, title: vscode.l10n.t('PepperPy: Benchmarks'), script: 'benchmark' }, (m) => this.onMessage(m));
    const d = defaults();
    this.state = { form: d.pipeline, defaults: d, runs: [], apiKeys: { openai: false, anthropic: false } };
    this.subscriptions.push(this.runner.onDidChange(() => void this.refresh()));
  }

  get currentState(): BenchmarkViewState {
    return this.state;
  }

  /** Opens (or reveals) the panel and shows the history. */
  async open(): Promise<void> {
    this.host.show();
    await this.refresh();
  }

  /** Launches a run from the panel (or a test) and shows its result when it ends. */
  async launch(request: BenchmarkRequest, options: RunOptions = {}): Promise<RunRecord | undefined> {
    this.state = { ...this.state, form: request, error: undefined, notice: undefined };
    this.host.show();
    await this.refresh();
    if (this.runner.running) {
      this.update({ error: `${this.runner.running.title} is still running: wait for it or cancel it first.` });
      return undefined;
    }
    const missing = missingInput(request);
    if (missing) {
      this.log.warn(missing);
      this.update({ error: missing });
      return undefined;
    }
    const record = await this.runner.run(request, options);
    this.showRecord(record);
    return record;
  }

  /** Shows a finished run (the command calls this after "Optimize RAG Pipeline"). */
  showRecord(record: RunRecord): void {
    this.host.show();
    // A failed run says why in its own headline; the banner above the form stays for
    // problems with the form, so the error is not on screen twice.
    this.state = { ...this.state, selected: this.forWebview(record), comparison: undefined, error: undefined };
    void this.refresh();
  }

  /** Writes one run as CSV, JSON or Markdown to `target`, atomically. */
  exportRun(runId: string, format: ExportFormat, target: string): string {
    const record = this.runner.history.get(runId);
    if (!record) throw new Error(vscode.l10n.t('There is no run {0} in the history.', runId));
    const text = format === 'csv' ? toCsv(record) : format === 'json' ? toJson(record) : toMarkdown(record);
    writeFileAtomicSync(target, text);
    this.log.info(`Exported ${record.title} as ${format} to ${target}.`);
    return target;
  }

  /**
   * Sends the state with the current history, progress and key status. Refreshes overlap
   * (every runner change starts one); the slow parts run first, a refresh that a newer one
   * overtook publishes nothing, and the rest is read at the moment it is sent, so an older
   * refresh can never put back a stale selection or progress.
   */
  async refresh(): Promise<void> {
    const generation = ++this.refreshGeneration;
    const apiKeys = { openai: await this.runner.hasApiKey('openai'), anthropic: await this.runner.hasApiKey('anthropic') };
    const editorModels = await editorModelChoices();
    if (!this.defaultConfigFound && this.state.form && 'configPath' in this.state.form && this.state.form.configPath === '') await this.findDefaultConfig();
    if (generation !== this.refreshGeneration) return;
    const running = this.runner.running;
    const runs = this.runner.history.list();
    const selectedId = this.state.selected?.id;
    const selected = selectedId ? this.runner.history.get(selectedId) : this.runner.history.get(runs[0]?.id ?? '');
    this.update({
      runs,
      apiKeys,
      editorModels,
      running: running ? { id: running.id, kind: running.request.kind, title: running.title, message: running.message, startedAt: running.startedAt, ...(running.percent !== undefined ? { percent: running.percent } : {}), ...(running.awaitingConfirmation ? { awaitingConfirmation: running.awaitingConfirmation } : {}) } : undefined,
      selected: selected ? this.forWebview(selected) : undefined,
    });
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.host.dispose();
  }

  /** The record without the engine's raw result, which the webview does not draw. */
  private forWebview(record: RunRecord): RunRecord {
    const { result: _result, ...rest } = record;
    return rest;
  }

  private update(patch: Partial<BenchmarkViewState>): void {
    this.state = plainJson<BenchmarkViewState>({ ...this.state, ...patch });
    this.host.post({ type: 'benchmark/didChange', state: this.state });
  }

  /** Points the form at a pipeline config in the workspace, when there is one. */
  private async findDefaultConfig(): Promise<void> {
    const found = await vscode.workspace.findFiles('**/*pipeline*.json', '{**/node_modules/**,**/*.optimized.json,**/*.optimization-report.json}', 5);
    const first = found.filter((u) => u.scheme === 'file' && isFile(u.fsPath)).map((u) => vscode.workspace.asRelativePath(u, false)).sort()[0];
    if (!first) return;
    this.defaultConfigFound = true;
    const d = defaults(first);
    const form = this.state.form.kind in d && 'configPath' in this.state.form ? d[this.state.form.kind] : this.state.form;
    this.state = { ...this.state, defaults: d, form };
  }

  private async onMessage(message: WebviewToHost): Promise<void> {
    switch (message.type) {
      case 'benchmark/run':
        await this.launch(message.request);
        break;
      case 'benchmark/cancel':
        if (!this.runner.cancel()) this.update({ notice: vscode.l10n.t('Nothing is running.') });
        break;
      case 'benchmark/select': {
        const record = this.runner.history.get(message.runId);
        if (!record) this.update({ error: vscode.l10n.t('There is no run {0} in the history.', message.runId) });
        else this.update({ selected: this.forWebview(record), comparison: undefined, error: undefined, notice: undefined });
        break;
      }
      case 'benchmark/compare': {
        const a = this.runner.history.get(message.a);
        const b = this.runner.history.get(message.b);
        if (!a || !b) this.update({ error: vscode.l10n.t('One of the runs to compare is no longer in the history.') });
        else this.update({ comparison: compareRuns(a, b), error: undefined, notice: undefined });
        break;
      }
      case 'benchmark/clearComparison':
        this.update({ comparison: undefined });
        break;
      case 'benchmark/export': {
        const record = this.runner.history.get(message.runId);
        if (!record) {
          this.update({ error: vscode.l10n.t('There is no run {0} in the history.', message.runId) });
          break;
        }
        const ext = EXTENSIONS[message.format];
        const root = vscode.workspace.workspaceFolders?.[0]?.uri;
        const name = `${record.kind}-${record.id}.${ext}`;
        const target = await vscode.window.showSaveDialog({
          title: vscode.l10n.t('Export {0}', record.title),
          ...(root ? { defaultUri: vscode.Uri.joinPath(root, name) } : {}),
          filters: message.format === 'csv' ? { CSV: ['csv'] } : message.format === 'json' ? { JSON: ['json'] } : { Markdown: ['md'] },
        });
        if (!target) break;
        try {
          const written = this.exportRun(record.id, message.format, target.fsPath);
          this.update({ notice: vscode.l10n.t('Exported to {0}.', path.basename(written)), error: undefined });
        } catch (error) {
          this.update({ error: vscode.l10n.t('Export failed: {0}', errorMessage(error)) });
        }
        break;
      }
      case 'benchmark/delete':
        this.runner.history.delete(message.runId);
        if (this.state.selected?.id === message.runId) this.state = { ...this.state, selected: undefined };
        if (this.state.comparison && (this.state.comparison.a.id === message.runId || this.state.comparison.b.id === message.runId)) this.state = { ...this.state, comparison: undefined };
        await this.refresh();
        break;
      case 'benchmark/browse': {
        const picked = await vscode.window.showOpenDialog({ canSelectMany: false, filters: message.field === 'configPath' ? { [vscode.l10n.t('Pipeline config')]: ['json'] } : { 'JSON Lines': ['jsonl', 'json'] }, title: vscode.l10n.t('PepperPy: choose a file') });
        const file = picked?.[0];
        if (!file) break;
        const value = vscode.workspace.asRelativePath(file, false);
        const form = { ...this.state.form } as Record<string, unknown>;
        if (message.field in form || message.field === 'queriesPath') form[message.field] = value;
        this.update({ form: form as BenchmarkRequest });
        break;
      }
      case 'benchmark/pickModel': {
        const picked = await this.modelPicker.pick({ title: message.field === 'models' ? vscode.l10n.t('PepperPy: add a model to the benchmark') : vscode.l10n.t('PepperPy: choose the judge model') });
        if (!picked || picked.kind === 'rules') break;
        this.update({ pickedModel: { field: message.field, name: picked.name, seq: (this.state.pickedModel?.seq ?? 0) + 1 } });
        // A key stored from the picker changes the key buttons too.
        await this.refresh();
        break;
      }
      case 'benchmark/setApiKey':
        await this.runner.promptForApiKey(message.provider);
        break;
      case 'benchmark/openFile': {
        const record = this.runner.history.get(message.runId);
        // Own keys only: `__proto__`, `constructor` or `toString` from the webview named Object.prototype's members.
        const file = record?.files && Object.hasOwn(record.files, message.file) ? record.files[message.file] : undefined;
        if (!file) {
          this.update({ error: vscode.l10n.t('That file is not part of the run.') });
          break;
        }
        const uri = vscode.Uri.file(path.isAbsolute(file) ? file : resolvePath(file));
        if (file.endsWith('.md')) await vscode.commands.executeCommand('markdown.showPreview', uri);
        else await vscode.window.showTextDocument(uri, { preview: true });
        break;
      }
      default:
        break;
    }
  }
}

/**
 * Runs one benchmark at a time through the engine, for the Benchmark panel and the
 * "Optimize RAG Pipeline" command alike: a progress notification with Cancel, the same
 * progress forwarded to the panel (whose own Cancel aborts the same request, so the
 * engine gets `$/cancelRequest`), the cost forecast confirmed before any paid call, API
 * keys read from SecretStorage only, and every run (finished, cancelled or failed) saved
 * to the history.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readPipelineConfig } from '../../shared/pipelineConfig';
import { type BenchmarkRequest, type RunRecord, type RunStatus } from '../../protocol/benchmark';
import { BenchmarkRunRequest, PipelineBenchmarkRequest, PipelineOptimizeAllRequest, PipelineProfileRequest, type JobProgress } from '../../protocol/engine';
import { EngineError, errorMessage } from '../../protocol/errors';
import type { BenchmarkRunResult } from '../../protocol/benchmarkRun';
import type { OptimizeAllResult, PipelineBenchmarkResult, PipelineSweepResult, ProfileResult } from '../../protocol/pipeline';

/** What one run of the panel returns, by kind (the engine's typed results, src/protocol). */
type RunResult = PipelineSweepResult | ProfileResult | BenchmarkRunResult | OptimizeAllResult;
import { apiKeySecret } from '../common/apiKeys';
import { storedKeyRefusal } from '../../shared/apiKeyHosts';
import { config } from '../common/config';
import type { EngineService } from '../client/engineService';
import type { Log } from '../common/log';
import { RunHistory } from './history';
import { placeOptimizeOutputs, type OverwritePolicy } from './optimizeOutputs';
import { optimizationConfig } from './optimizationSettings';
import { describeResult, runTitle } from './results';

export type ApiKeyProvider = 'openai' | 'anthropic';
const SECRET_KEY = (provider: ApiKeyProvider) => apiKeySecret(provider);

export interface RunningJob {
  id: string;
  request: BenchmarkRequest;
  title: string;
  startedAt: string;
  message: string;
  percent?: number;
  awaitingConfirmation?: string;
}

export interface RunOptions {
  /** For optimizeAll: what to do when `<name>.optimized.json` already exists (default: ask). */
  overwrite?: OverwritePolicy;
}

/** Paths in a request are relative to the first workspace folder. */
export function resolvePath(p: string): string {
  if (path.isAbsolute(p)) return p;
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  return root ? path.join(root, p) : path.resolve(p);
}

function isCostRefusal(error: unknown): error is EngineError {
  return error instanceof EngineError && error.code === 'badRequest' && /that was not confirmed/.test(error.message);
}

export class BenchmarkRunner implements vscode.Disposable {
  readonly history: RunHistory;
  private job: (RunningJob & { abort: AbortController }) | undefined;
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  /** Fires when a run starts, reports progress, or ends (the history changed). */
  readonly onDidChange = this.changeEmitter.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: Log,
    private readonly engine: EngineService,
  ) {
    this.history = new RunHistory(path.join(context.globalStorageUri.fsPath, 'benchmark-runs'), (m) => log.warn(m));
  }

  get running(): RunningJob | undefined {
    if (!this.job) return undefined;
    const { abort: _abort, ...job } = this.job;
    return job;
  }

  /** Cancels the running job, if any; the engine gets `$/cancelRequest`. */
  cancel(): boolean {
    if (!this.job) return false;
    this.log.info(`Cancelling ${this.job.title}.`);
    this.job.abort.abort();
    return true;
  }

  async hasApiKey(provider: ApiKeyProvider): Promise<boolean> {
    return (await this.context.secrets.get(SECRET_KEY(provider))) !== undefined;
  }

  /** Asks for a key (password box) and stores it in SecretStorage; an empty value removes it. */
  async promptForApiKey(provider?: ApiKeyProvider): Promise<boolean> {
    const chosen =
      provider ??
      (
        await vscode.window.showQuickPick(
          [
            { label: 'OpenAI', description: vscode.l10n.t('OpenAI-compatible APIs'), provider: 'openai' as const },
            { label: 'Anthropic', description: vscode.l10n.t('Claude models'), provider: 'anthropic' as const },
          ],
          { title: vscode.l10n.t('PepperPy: Set API Key'), placeHolder: vscode.l10n.t('Which provider?') },
        )
      )?.provider;
    if (!chosen) return false;
    const key = await vscode.window.showInputBox({
      title: vscode.l10n.t('PepperPy: {0} API key', chosen === 'openai' ? 'OpenAI' : 'Anthropic'),
      prompt: vscode.l10n.t('Stored in VS Code SecretStorage (the OS keychain), never in settings or logs. Leave empty to remove the stored key.'),
      password: true,
      ignoreFocusOut: true,
    });
    if (key === undefined) return false;
    if (key.trim() === '') {
      await this.context.secrets.delete(SECRET_KEY(chosen));
      void vscode.window.showInformationMessage(vscode.l10n.t('PepperPy: the {0} API key was removed.', chosen));
    } else {
      await this.context.secrets.store(SECRET_KEY(chosen), key.trim());
      void vscode.window.showInformationMessage(vscode.l10n.t('PepperPy: the {0} API key is stored in SecretStorage.', chosen));
    }
    this.changeEmitter.fire();
    return true;
  }

  /**
   * Runs `request` and saves the run. Resolves with the saved record whatever happened
   * (its status says completed, cancelled or failed); rejects only when another run is
   * still going.
   */
  async run(request: BenchmarkRequest, options: RunOptions = {}): Promise<RunRecord> {
    if (this.job) throw new EngineError('badRequest', vscode.l10n.t('{0} is still running.', this.job.title), vscode.l10n.t('Wait for it or cancel it first.'));
    const id = RunHistory.newId();
    const title = runTitle(request);
    const started = new Date();
    const abort = new AbortController();
    this.job = { id, request, title, startedAt: started.toISOString(), message: vscode.l10n.t('Starting…'), abort };
    this.changeEmitter.fire();
    let status: RunStatus = 'completed';
    let result: RunResult | undefined;
    let error: string | undefined;
    try {
      result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `PepperPy: ${title}`, cancellable: true }, async (progress, token) => {
        const sub = token.onCancellationRequested(() => abort.abort());
        let lastPercent = 0;
        const onProgress = (p: JobProgress) => {
          if (!this.job) return;
          const increment = p.percent !== undefined ? Math.max(0, p.percent - lastPercent) : undefined;
          if (p.percent !== undefined) lastPercent = p.percent;
          progress.report({ ...(p.message ? { message: p.message } : {}), ...(increment !== undefined ? { increment } : {}) });
          if (p.message) this.job.message = p.message;
          if (p.percent !== undefined) this.job.percent = p.percent;
          this.changeEmitter.fire();
        };
        try {
          return await this.withCostConfirmation(request, abort.signal, onProgress);
        } finally {
          sub.dispose();
        }
      });
    } catch (e) {
      if (e instanceof EngineError && e.code === 'cancelled') {
        status = 'cancelled';
        error = vscode.l10n.t('Cancelled by the user.');
      } else {
        status = 'failed';
        error = e instanceof EngineError ? e.fullMessage : errorMessage(e);
        this.log.error(`${title} failed: ${error}`);
      }
    }
    const durationMs = Date.now() - started.getTime();
    const described = result ? describeResult(request.kind, result) : { metrics: [], charts: {}, headline: '' };
    const record: RunRecord = {
      id,
      kind: request.kind,
      title,
      status,
      startedAt: started.toISOString(),
      durationMs,
      request,
      ...described,
      headline: status === 'completed' ? described.headline : status === 'cancelled' ? vscode.l10n.t('Cancelled.') : vscode.l10n.t('Failed: {0}', error ?? vscode.l10n.t('unknown error')),
      ...(result ? { result } : {}),
      ...(error ? { error } : {}),
    };
    if (status === 'completed' && request.kind === 'optimizeAll' && record.files) {
      try {
        const placed = await placeOptimizeOutputs(resolvePath(request.configPath), record.files, options.overwrite ?? 'ask', this.log);
        record.files = placed.files;
        if (placed.note) record.warnings = [...(record.warnings ?? []), placed.note];
      } catch (e) {
        record.warnings = [...(record.warnings ?? []), vscode.l10n.t('The outputs stay in {0}: {1}', path.dirname(record.files.config ?? ''), errorMessage(e))];
      }
    }
    try {
      this.history.save(record);
    } catch (e) {
      this.log.error(`Could not save the run to the history: ${errorMessage(e)}`);
    }
    this.job = undefined;
    this.log.info(`${title}: ${status} in ${(durationMs / 1000).toFixed(1)} s.`);
    this.changeEmitter.fire();
    return record;
  }

  dispose(): void {
    this.job?.abort.abort();
    this.changeEmitter.dispose();
  }

  /** Runs once without confirmation; if the engine refuses with a forecast, asks, then runs again confirmed. */
  private async withCostConfirmation(request: BenchmarkRequest, signal: AbortSignal, onProgress: (p: JobProgress) => void): Promise<RunResult> {
    try {
      return await this.execute(request, false, signal, onProgress);
    } catch (error) {
      if (!isCostRefusal(error)) throw error;
      const forecast = error.message.replace(/, and that was not confirmed\.?$/, '.');
      if (this.job) this.job.awaitingConfirmation = forecast;
      this.changeEmitter.fire();
      const confirm = vscode.l10n.t('Make the Paid Calls');
      const choice = await vscode.window.showWarningMessage(vscode.l10n.t('PepperPy: this benchmark makes paid API calls.'), { modal: true, detail: `${forecast}\n\n${vscode.l10n.t('The amount is an upper bound (every call at its full output limit).')}` }, confirm);
      if (this.job) delete this.job.awaitingConfirmation;
      if (choice !== confirm) throw new EngineError('cancelled', vscode.l10n.t('The paid calls were not confirmed; nothing was sent.'));
      this.log.info(`Paid calls confirmed: ${forecast}`);
      return this.execute(request, true, signal, onProgress);
    }
  }

  private async execute(request: BenchmarkRequest, confirmCost: boolean, signal: AbortSignal, onProgress: (p: JobProgress) => void): Promise<RunResult> {
    // Long jobs report progress, which re-arms the time-out; a profile step can be quiet for a while.
    const options = { signal, onProgress, timeoutMs: Math.max(config.requestTimeoutMs(), 120_000) };
    const apiKeys = { openai: await this.context.secrets.get(SECRET_KEY('openai')), anthropic: await this.context.secrets.get(SECRET_KEY('anthropic')) };
    const keys = Object.fromEntries(Object.entries(apiKeys).filter(([, v]) => v !== undefined)) as { openai?: string; anthropic?: string };
    // The stored key goes only where it was given for: the provider's own API or this machine (src/shared/apiKeyHosts.ts).
    const keyFor = (generator: { provider: string; base_url?: string | undefined }) => {
      if (generator.provider !== 'openai' && generator.provider !== 'anthropic') return undefined;
      const key = keys[generator.provider];
      if (key === undefined) return undefined;
      const refusal = storedKeyRefusal(generator.provider, generator.base_url);
      if (refusal) throw new EngineError('badRequest', vscode.l10n.t('Your stored API key was not sent: {0}.', refusal), vscode.l10n.t('Remove base_url from the pipeline config, or run it with the CLI (pepperpy-opt) and that server\'s own key if you trust it.'));
      return key;
    };
    const pipelineKey = (configPath: string) => {
      let generator;
      try {
        generator = readPipelineConfig(configPath).config.components.generator;
      } catch {
        // The engine reads the config again and reports what is wrong with it.
        return undefined;
      }
      return keyFor(generator);
    };
    const withKey = (configPath: string) => {
      const apiKey = pipelineKey(configPath);
      return { configPath, ...(apiKey ? { apiKey } : {}), ...(confirmCost ? { confirmCost } : {}) };
    };
    switch (request.kind) {
      case 'pipeline': {
        const configPath = resolvePath(request.configPath);
        const levels = [...new Set(request.concurrency)];
        const sweep: PipelineBenchmarkResult[] = [];
        for (const [i, concurrency] of levels.entries()) {
          const scale = (p: JobProgress): JobProgress => ({ ...p, ...(p.percent !== undefined ? { percent: Math.round((i * 100 + p.percent) / levels.length) } : {}), ...(levels.length > 1 && p.message ? { message: vscode.l10n.t('concurrency {0}: {1}', concurrency, p.message) } : {}) });
          sweep.push(await this.engine.request(PipelineBenchmarkRequest.type, { ...withKey(configPath), ...(request.queriesPath ? { queriesPath: resolvePath(request.queriesPath) } : {}), iterations: request.iterations, concurrency }, { ...options, onProgress: (p) => onProgress(scale(p)) }));
        }
        const first = sweep[0] ?? {};
        return levels.length > 1 ? { ...first, concurrencySweep: sweep.map((r, i) => ({ concurrency: levels[i], throughput: r.throughput, avgLatency: r.avgLatency, p90Latency: r.p90Latency })) } : first;
      }
      case 'profile': {
        const configPath = resolvePath(request.configPath);
        return this.engine.request(PipelineProfileRequest.type, { ...withKey(configPath), ...(request.queriesPath ? { queriesPath: resolvePath(request.queriesPath) } : {}), runsPerQuery: request.runsPerQuery }, options);
      }
      case 'rag': {
        const configPath = resolvePath(request.configPath);
        const { config: pipeline, corpusPath } = readPipelineConfig(configPath);
        const { name, ...rest } = pipeline;
        // Only the generator's own provider key, and only where it may go.
        const generator = pipeline.components.generator;
        const ragKey = keyFor(generator);
        const ragKeys = ragKey !== undefined ? { [generator.provider]: ragKey } : {};
        return this.engine.request(BenchmarkRunRequest.type, { kind: 'rag', params: { ragPipelines: { [name]: rest }, dataset: resolvePath(request.dataset), ...(corpusPath ? { corpusPath } : {}) }, apiKeys: ragKeys, ...(confirmCost ? { confirmCost } : {}) }, options);
      }
      case 'latency': {
        const { kind: _kind, ...params } = request;
        return this.engine.request(BenchmarkRunRequest.type, { kind: 'latency', params, apiKeys: keys, ...(confirmCost ? { confirmCost } : {}) }, options);
      }
      case 'model': {
        const datasets = Object.fromEntries(Object.entries(request.datasets).map(([k, v]) => [k, resolvePath(v)]));
        return this.engine.request(BenchmarkRunRequest.type, { kind: 'model', params: { models: request.models, tasks: Object.keys(datasets), datasets }, apiKeys: keys, ...(confirmCost ? { confirmCost } : {}) }, options);
      }
      case 'quality': {
        const evaluationDatasets = Object.fromEntries(Object.entries(request.datasets).map(([k, v]) => [k, resolvePath(v)]));
        return this.engine.request(BenchmarkRunRequest.type, { kind: 'quality', params: { models: request.models, evaluationDatasets, evaluatorModel: request.evaluatorModel, repeats: request.repeats }, apiKeys: keys, ...(confirmCost ? { confirmCost } : {}) }, options);
      }
      case 'optimizeAll': {
        const configPath = resolvePath(request.configPath);
        if (!fs.existsSync(configPath)) throw new EngineError('notFound', vscode.l10n.t('The pipeline config {0} does not exist.', configPath), vscode.l10n.t('Pick another file.'));
        const settings = optimizationConfig(this.log);
        // The engine writes into a private folder first; the outputs are then placed next to
        // the config without overwriting anything the user did not agree to.
        const outDir = path.join(this.context.globalStorageUri.fsPath, 'optimize-output', this.job?.id ?? RunHistory.newId());
        return this.engine.request(PipelineOptimizeAllRequest.type, { ...withKey(configPath), outDir, target: settings.optimizationStrategy, maxCostPerQuery: settings.maxCostPerQuery }, options);
      }
    }
  }
}

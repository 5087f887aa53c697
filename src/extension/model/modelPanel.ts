/**
 * The Model Optimization panel: pick an ONNX model (its `model/inspect` facts), an
 * operation and its parameters, and run it in the engine with live progress and a Cancel
 * that really cancels the engine job. Results (size, measured speed, fidelity, the provider
 * that ran) go to a history in globalStorage that the panel charts. The engine does the
 * work and checks the figures; this file checks the files (the source exists and is an
 * .onnx, the output is not the source, an existing output is replaced only when the user
 * says so) and cleans up after a cancelled or failed run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ModelCompressRequest, ModelInspectRequest, ModelOptimizeRequest, ModelPruneRequest, ModelQuantizeRequest } from '../../protocol/engine';
import { EngineError, errorMessage } from '../../protocol/errors';
import type { ModelInspection } from '../../protocol/model';
import {
  defaultOutputPath,
  defaultRequest,
  keptValue,
  ModelRunRequestSchema,
  OPERATION_LABELS,
  runLabel,
  type ModelRunRecord,
  type ModelRunRequest,
  type ModelViewState,
} from '../../protocol/modelPanel';
import type { WebviewToHost } from '../../protocol/webview';
import type { EngineService } from '../client/engineService';
import { figuresOf, panelWording, type EngineResult } from './figures';
import { ModelRunHistory } from './modelHistory';
import type { Log } from '../common/log';
import { PanelHost, plainJson } from '../common/panelHost';

export const MODEL_VIEW_TYPE = 'pepperpy.model';

/** Model jobs report progress between steps; a step on a large model can be quiet for minutes. */
const JOB_TIMEOUT_MS = 30 * 60_000;

export interface ModelRunOptions {
  /** What to do when the output file exists: ask (a modal dialog), replace it, or stop. */
  overwrite?: 'ask' | 'always' | 'never';
}

export { figuresOf };

function messageOf(error: unknown): string {
  if (error instanceof EngineError) return error.fullMessage;
  return errorMessage(error);
}

/** Resolves a path from the form: relative paths are relative to the first workspace folder. */
export function resolveUserPath(p: string): string {
  if (path.isAbsolute(p)) return path.normalize(p);
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  return path.resolve(root ?? process.cwd(), p);
}

/** Why `file` cannot be the source model, or undefined when it can. */
export function checkModelFile(file: string): string | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return `${file} does not exist. Choose an .onnx model file with "Choose model…".`;
  }
  if (stat.isDirectory()) return `${file} is a folder, not an ONNX model file.`;
  if (!/\.onnx$/i.test(file)) return `${path.basename(file)} is not an ONNX model: choose a file ending in .onnx (export PyTorch models with torch.onnx.export).`;
  if (stat.size === 0) return `${path.basename(file)} is empty (0 bytes): it is not a usable ONNX model.`;
  return undefined;
}

export class ModelPanel implements vscode.Disposable {
  readonly host: PanelHost;
  readonly history: ModelRunHistory;
  private state: ModelViewState;
  private job: { id: string; abort: AbortController } | undefined;
  private cancelCleanup: Promise<void> = Promise.resolve();
  private browseSeq = 0;

  constructor(
    context: vscode.ExtensionContext,
    private readonly log: Log,
    private readonly engine: EngineService,
  ) {
    this.host = new PanelHost(context, log, { viewType: MODEL_VIEW_TYPE, title: vscode.l10n.t('PepperPy: Model Optimization'), script: 'model' }, (m) => this.onMessage(m));
    this.history = new ModelRunHistory(context.globalStorageUri.fsPath, (m) => log.warn(m));
    this.state = { form: defaultRequest('quantize', ''), runs: [] };
  }

  get currentState(): ModelViewState {
    return this.state;
  }

  /** The running job's id, if any. */
  get runningId(): string | undefined {
    return this.job?.id;
  }

  /** Opens (or reveals) the panel; with a model, inspects it and puts it in the form. */
  async open(modelPath?: string): Promise<ModelViewState> {
    this.host.show();
    this.update({ runs: this.runsForWebview() });
    if (modelPath) await this.selectModel(modelPath);
    return this.state;
  }

  /** Puts a model in the form and shows what `model/inspect` found in it (or why it cannot be read). */
  async selectModel(modelPath: string): Promise<ModelInspection | undefined> {
    const file = resolveUserPath(modelPath);
    const name = path.basename(file);
    this.update({ model: { path: file, name, inspecting: true }, form: { ...this.state.form, modelPath: file, outPath: undefined }, error: undefined, notice: undefined });
    const problem = checkModelFile(file);
    if (problem) {
      this.update({ model: { path: file, name, error: problem } });
      return undefined;
    }
    try {
      const inspection = await this.engine.request(ModelInspectRequest.type, { modelPath: file }, { timeoutMs: 120_000 });
      this.update({ model: { path: file, name, inspection } });
      return inspection;
    } catch (error) {
      const message = `${name} could not be read as an ONNX model: ${messageOf(error)}`;
      this.log.warn(message);
      this.update({ model: { path: file, name, error: message } });
      return undefined;
    }
  }

  /**
   * Runs one operation in the engine and records it. Resolves to the record (completed,
   * cancelled or failed), or undefined when the run did not start (bad input, another job
   * running, an existing output the user chose to keep).
   */
  async run(input: ModelRunRequest, options: ModelRunOptions = {}): Promise<ModelRunRecord | undefined> {
    this.host.show();
    const parsed = ModelRunRequestSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      this.update({ error: issue?.message ?? vscode.l10n.t('The parameters are not valid.'), notice: undefined });
      return undefined;
    }
    const request = parsed.data;
    const modelPath = resolveUserPath(request.modelPath);
    // Show the model the run is about (its facts load while the run starts).
    if (this.state.model?.path !== modelPath && !this.job) void this.selectModel(modelPath);
    this.update({ form: input, error: undefined, notice: undefined });
    if (this.job) {
      this.update({ error: vscode.l10n.t('A model job is already running: wait for it or cancel it first.') });
      return undefined;
    }
    const problem = checkModelFile(modelPath);
    if (problem) {
      this.update({ error: problem });
      return undefined;
    }

    // Data files the operation reads.
    const data: Record<string, string | undefined> = {};
    for (const key of ['calibrationData', 'fineTuneDataset', 'trainingData', 'inputsPath'] as const) {
      const value = (request as Record<string, unknown>)[key];
      if (typeof value !== 'string' || value === '') continue;
      const file = resolveUserPath(value);
      if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) {
        this.update({ error: key === 'inputsPath' ? vscode.l10n.t('The sample inputs file {0} does not exist. Choose a .json, .npy, .npz, .png or .wav file, or leave the field empty to let the engine generate inputs.', file) : vscode.l10n.t('The data file {0} does not exist. Choose a text or JSONL file.', file) });
        return undefined;
      }
      data[key] = file;
    }

    const outPath = resolveUserPath(request.outPath || defaultOutputPath(modelPath, request));
    const outProblem = this.checkOutput(modelPath, outPath);
    if (outProblem) {
      this.update({ error: outProblem });
      return undefined;
    }
    const existed = fs.existsSync(outPath);
    if (existed) {
      const overwrite = options.overwrite ?? 'ask';
      let replace = overwrite === 'always';
      if (overwrite === 'ask') {
        const replaceLabel = vscode.l10n.t('Replace');
        const choice = await vscode.window.showWarningMessage(vscode.l10n.t('{0} already exists. Replace it?', path.basename(outPath)), { modal: true, detail: outPath }, replaceLabel);
        replace = choice === replaceLabel;
      }
      if (!replace) {
        this.update({ notice: vscode.l10n.t('Kept the existing {0}: choose another output path to keep both.', path.basename(outPath)) });
        return undefined;
      }
    }

    const id = ModelRunHistory.newId();
    const abort = new AbortController();
    this.job = { id, abort };
    const startedAt = new Date();
    const started = Date.now();
    // The operation in the user's language (OPERATION_LABELS is the English); the run label is technical terms.
    const operationWords = { quantize: vscode.l10n.t('Quantize'), prune: vscode.l10n.t('Prune'), compress: vscode.l10n.t('Compress'), optimize: vscode.l10n.t('Optimize for a device') }[request.operation] ?? OPERATION_LABELS[request.operation];
    const title = `${operationWords} ${path.basename(modelPath)} (${runLabel(request)})`;
    const before = existed ? fs.statSync(outPath).mtimeMs : undefined;
    this.update({ running: { id, title, message: vscode.l10n.t('Starting the engine…') }, selectedId: undefined });
    this.log.info(`Model job ${id}: ${title} → ${outPath}.`);

    let engineDone: () => void = () => undefined;
    const engineFinished = new Promise<void>((resolve) => {
      engineDone = resolve;
    });
    const record: ModelRunRecord = { id, operation: request.operation, label: runLabel(request), request: input, modelPath, outPath, status: 'completed', startedAt: startedAt.toISOString(), durationMs: 0, device: request.device };
    try {
      const result = await this.send(request, modelPath, outPath, data, abort.signal, (message, percent) => {
        if (this.job?.id !== id) return;
        this.update({ running: { id, title, message, ...(percent !== undefined ? { percent } : {}) } });
      }, engineDone);
      record.figures = figuresOf(request, result);
      // An automatic sparsity or size target: the label names the value the engine kept.
      record.label = runLabel(request, keptValue(record.figures));
      record.result = result;
      record.outPath = result.path;
    } catch (error) {
      const cancelled = error instanceof EngineError && error.code === 'cancelled';
      record.status = cancelled ? 'cancelled' : 'failed';
      record.error = cancelled ? 'Cancelled: the job was stopped before it finished; no new output was kept (a file already at the output path is unchanged).' : panelWording(messageOf(error));
      // A job stopped between writing and measuring can leave its output; the engine may
      // still be finishing a write when the cancel arrives, so look again once it has ended the job.
      const removeOutput = () => this.removeOutput(outPath, before);
      removeOutput();
      if (cancelled) this.cancelCleanup = engineFinished.then(removeOutput);
      this.log.info(`Model job ${id}: ${record.status}${cancelled ? '' : `: ${record.error}`}.`);
    } finally {
      this.job = undefined;
    }
    record.durationMs = Date.now() - started;
    try {
      this.history.save(record);
    } catch (error) {
      this.log.warn(`Could not save the model run to the history: ${messageOf(error)}`);
    }
    this.update({
      running: undefined,
      runs: this.runsForWebview(),
      selectedId: record.id,
      error: record.status === 'failed' ? record.error : undefined,
      notice: record.status === 'cancelled' ? record.error : undefined,
    });
    return record;
  }

  /**
   * Settles once the engine has ended the last cancelled job and the panel has removed what
   * that job left behind (a cancel can arrive while the engine is still writing).
   */
  get cancelledJobCleaned(): Promise<void> {
    return this.cancelCleanup;
  }

  /** Cancels the running job; false when nothing runs. */
  cancel(): boolean {
    if (!this.job) return false;
    this.job.abort.abort();
    return true;
  }

  dispose(): void {
    this.job?.abort.abort();
    this.host.dispose();
  }

  private checkOutput(modelPath: string, outPath: string): string | undefined {
    if (!/\.onnx$/i.test(outPath)) return vscode.l10n.t('The output {0} must end in .onnx.', path.basename(outPath));
    if (path.resolve(outPath) === path.resolve(modelPath)) return vscode.l10n.t('The output path is the source model: the source is never overwritten. Choose another output path.');
    try {
      if (fs.existsSync(outPath) && fs.realpathSync(outPath) === fs.realpathSync(modelPath)) return vscode.l10n.t('The output path is the source model (through a link): choose another output path.');
    } catch {
      // Unreadable links are caught by the write.
    }
    const dir = path.dirname(outPath);
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) return vscode.l10n.t('The output folder {0} does not exist.', dir);
    if (fs.existsSync(outPath) && fs.statSync(outPath).isDirectory()) return vscode.l10n.t('The output {0} is a folder.', outPath);
    return undefined;
  }

  /** Deletes an output (and its external data) written by a run that did not finish. */
  private removeOutput(outPath: string, mtimeBefore: number | undefined): void {
    for (const file of [outPath, `${outPath}.data`]) {
      try {
        const stat = fs.statSync(file);
        if (file === outPath && mtimeBefore !== undefined && stat.mtimeMs === mtimeBefore) continue;
        fs.unlinkSync(file);
        this.log.info(`Removed ${file}, left by a job that did not finish.`);
      } catch {
        // Not there: nothing to clean.
      }
    }
  }

  private async send(request: ReturnType<typeof ModelRunRequestSchema.parse>, modelPath: string, outPath: string, data: Record<string, string | undefined>, signal: AbortSignal, progress: (message: string, percent?: number) => void, onEngineDone: () => void): Promise<EngineResult> {
    const options = { signal, timeoutMs: JOB_TIMEOUT_MS, onProgress: (p: { message?: string; percent?: number }) => progress(p.message ?? 'Working…', p.percent), onEngineDone };
    const base = { modelPath, outPath, device: request.device, inputsPath: data.inputsPath };
    switch (request.operation) {
      case 'quantize':
        return this.engine.request(
          ModelQuantizeRequest.type,
          clean({
            ...base,
            quantizationType: request.quantizationType,
            bits: request.quantizationType === 'float' ? 16 : request.bits,
            method: request.method,
            blockSize: request.blockSize,
            floatFormat: request.floatFormat,
            // The format applies to int quantization; dynamic and float name their own.
            format: request.quantizationType === 'int' ? request.format : undefined,
            calibrationData: data.calibrationData,
          }),
          options,
        );
      case 'prune':
        return this.engine.request(
          ModelPruneRequest.type,
          clean({ ...base, sparsity: request.sparsity, method: request.method, activationAware: request.activationAware, fineTune: request.fineTune, fineTuneDataset: data.fineTuneDataset, fineTuneEpochs: request.fineTuneEpochs }),
          options,
        );
      case 'compress':
        return this.engine.request(
          ModelCompressRequest.type,
          clean({
            ...base,
            method: request.method,
            // The size target applies to low_rank only ('auto' for a student would mean nothing).
            targetSizeRatio: request.method === 'low_rank' ? request.targetSizeRatio : undefined,
            targetError: request.method === 'low_rank' ? request.targetError : undefined,
            studentModelConfig: clean({ numLayers: request.numLayers, intermediateRatio: request.intermediateRatio }),
            trainingData: data.trainingData,
            epochs: request.epochs,
          }),
          options,
        );
      case 'optimize':
        return this.engine.request(ModelOptimizeRequest.type, clean({ ...base, optimizationTarget: request.optimizationTarget, precision: request.precision, batchSize: request.batchSize }), options);
    }
  }

  private runsForWebview(): ModelRunRecord[] {
    return this.history.list().map(({ result: _result, ...rest }) => rest);
  }

  private update(patch: Partial<ModelViewState>): void {
    this.state = plainJson<ModelViewState>({ ...this.state, ...patch });
    this.host.post({ type: 'model/didChange', state: this.state });
  }

  private async onMessage(message: WebviewToHost): Promise<void> {
    switch (message.type) {
      case 'model/pick': {
        const picked = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { [vscode.l10n.t('ONNX model')]: ['onnx'] }, title: vscode.l10n.t('PepperPy: choose an ONNX model'), ...(vscode.workspace.workspaceFolders?.[0] ? { defaultUri: vscode.workspace.workspaceFolders[0].uri } : {}) });
        const file = picked?.[0];
        if (file) await this.selectModel(file.fsPath);
        break;
      }
      case 'model/inspect':
        await this.selectModel(message.modelPath);
        break;
      case 'model/run':
        await this.run(message.request);
        break;
      case 'model/cancel':
        if (!this.cancel()) this.update({ notice: vscode.l10n.t('Nothing is running.') });
        else if (this.state.running) this.update({ running: { ...this.state.running, message: vscode.l10n.t('Cancelling…') } });
        break;
      case 'model/browse': {
        let chosen: vscode.Uri | undefined;
        if (message.field === 'outPath') {
          const model = this.state.model?.path;
          chosen = await vscode.window.showSaveDialog({ title: vscode.l10n.t('PepperPy: save the optimized model as'), filters: { [vscode.l10n.t('ONNX model')]: ['onnx'] }, ...(model ? { defaultUri: vscode.Uri.file(defaultOutputPath(model, this.state.form)) } : {}) });
        } else if (message.field === 'inputsPath') {
          chosen = (await vscode.window.showOpenDialog({ canSelectMany: false, filters: { [vscode.l10n.t('Sample inputs (JSON, NumPy, PNG image, WAV recording)')]: ['json', 'npy', 'npz', 'png', 'wav'] }, title: vscode.l10n.t('PepperPy: choose sample inputs for the model') }))?.[0];
        } else {
          chosen = (await vscode.window.showOpenDialog({ canSelectMany: false, filters: { [vscode.l10n.t('Text or JSONL')]: ['txt', 'jsonl', 'json'], [vscode.l10n.t('All files')]: ['*'] }, title: vscode.l10n.t('PepperPy: choose a data file') }))?.[0];
        }
        if (chosen) this.update({ browsed: { field: message.field, path: chosen.fsPath, seq: ++this.browseSeq } });
        break;
      }
      case 'model/select':
        if (!this.history.get(message.runId)) this.update({ error: vscode.l10n.t('There is no run {0} in the history.', message.runId) });
        else this.update({ selectedId: message.runId, error: undefined, notice: undefined });
        break;
      case 'model/openOutput': {
        const record = this.history.get(message.runId);
        if (!record || record.status !== 'completed') {
          this.update({ error: vscode.l10n.t('That run has no output file.') });
          break;
        }
        if (!fs.existsSync(record.outPath)) {
          this.update({ error: `${record.outPath} no longer exists.` });
          break;
        }
        const uri = vscode.Uri.file(record.outPath);
        const inWorkspace = vscode.workspace.getWorkspaceFolder(uri) !== undefined;
        await vscode.commands.executeCommand(inWorkspace ? 'revealInExplorer' : 'revealFileInOS', uri);
        this.update({ notice: vscode.l10n.t('Revealed {0}.', path.basename(record.outPath)), error: undefined });
        break;
      }
      case 'model/copyResult': {
        const record = this.history.get(message.runId);
        if (!record) {
          this.update({ error: vscode.l10n.t('There is no run {0} in the history.', message.runId) });
          break;
        }
        await vscode.env.clipboard.writeText(JSON.stringify(record.result ?? record, null, 2));
        this.update({ notice: vscode.l10n.t('Copied the result JSON to the clipboard.'), error: undefined });
        break;
      }
      case 'model/delete':
        this.history.delete(message.runId);
        this.update({ runs: this.runsForWebview(), ...(this.state.selectedId === message.runId ? { selectedId: undefined } : {}) });
        break;
      default:
        break;
    }
  }
}

/** Drops undefined values so the engine's strict schemas see only what was set. */
function clean<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * The JSON-RPC protocol between the extension host and the engine process. Each message
 * is a namespace with its method name and its typed `RequestType`/`NotificationType`,
 * and a comment that says which side sends it. Long requests accept a `workDoneToken`
 * and report `JobProgress` through `$/progress`; all of them honour `$/cancelRequest`.
 */
import type { PromptHintsParams, PromptHintsAnswer, PromptSendsParams, PromptSendsResult } from './hints';
import { NotificationType, ProgressType, RequestType } from 'vscode-jsonrpc';
import type {
  CompressionResult,
  CountTokensParams,
  DistillationResult,
  OptimizedPrompt,
  PromptAnalysis,
  PromptAnalyzeParams,
  PromptCompressParams,
  PromptDistillParams,
  PromptOptimizeParams,
  TokenCount,
} from './prompt';
import type {
  CostEstimate,
  CostEstimateParams,
  CostOptimizeParams,
  CurrentCosts,
  CurrentCostsParams,
  ModelRecommendation,
  ModelSelection,
  ModelSelectParams,
  OptimizationPlan,
  RecommendModelParams,
} from './cost';
import type { PromptScanParams, PromptScanResult } from './scan';
import type { OptimizeAllResult, PipelineBenchmarkParams, PipelineBenchmarkResult, PipelineOptimizeAllParams, PipelineProfileParams, ProfileResult } from './pipeline';
import type { BenchmarkRunParams, BenchmarkRunResult } from './benchmarkRun';
import type {
  CompressedModel,
  ModelCompressParams,
  ModelInspection,
  ModelInspectParams,
  ModelOptimizeParams,
  ModelPruneParams,
  ModelQuantizeParams,
  OptimizedModel,
  PrunedModel,
  QuantizedModel,
} from './model';

export interface WorkDoneParams {
  /** A progress token the engine reports `JobProgress` against. */
  workDoneToken?: string | number;
}

export interface JobProgress {
  message?: string;
  /** 0-100 when the job knows how far along it is. */
  percent?: number;
}
export const JobProgressType = new ProgressType<JobProgress>();

export interface EngineInfo {
  version: string;
  pid: number;
  node: string;
  platform: string;
  /** Tokenizer encodings loaded so far (they load lazily). */
  encodingsLoaded: string[];
  startedAt: string;
}

/** Extension → engine: who is running, for logs and the health check. */
export namespace EngineInfoRequest {
  export const method = 'engine/info';
  export const type = new RequestType<Record<string, never> | undefined, EngineInfo, void>(method);
}

/** Extension → engine: the models local OpenAI-compatible servers serve now (src/protocol/localServers.ts), for the model picker. */
export namespace LocalModelsRequest {
  export const method = 'engine/localModels';
  export const type = new RequestType<import('./localServers').LocalModelsParams, import('./localServers').LocalModelsResult, void>(method);
}

/** Extension → engine: count the tokens of a text for a model. */
export namespace CountTokensRequest {
  export const method = 'prompt/countTokens';
  export const type = new RequestType<CountTokensParams, TokenCount, void>(method);
}

/** Extension → engine: the seed's `PromptAnalyzer.analyze` (the seed: the Python PepperPy `optimization` module; this call counts a prompt's tokens and scores it). */
export namespace PromptAnalyzeRequest {
  export const method = 'prompt/analyze';
  export const type = new RequestType<PromptAnalyzeParams & WorkDoneParams, PromptAnalysis, void>(method);
}

/** Extension → engine: the seed's `PromptCompressor.compress` (the Python module's prompt shortener; here deterministic, protected items kept). */
export namespace PromptCompressRequest {
  export const method = 'prompt/compress';
  export const type = new RequestType<PromptCompressParams & WorkDoneParams, CompressionResult, void>(method);
}

/** Extension → engine: the seed's `PromptDistiller.distill` (the Python module's keep-the-essence call; here extractive, under a token budget). */
export namespace PromptDistillRequest {
  export const method = 'prompt/distill';
  export const type = new RequestType<PromptDistillParams & WorkDoneParams, DistillationResult, void>(method);
}

/**
 * Extension → engine: the seed's `PromptOptimizer.optimize` (the Python module's prompt
 * rewrite for quality, efficiency or balance within max_tokens). With `llm`, the engine first
 * forecasts the cost and returns `llm.status: 'needsApproval'` unless `llm.approvedCostUsd`
 * covers it; only then does it call the provider.
 */
export namespace PromptOptimizeRequest {
  export const method = 'prompt/optimize';
  export const type = new RequestType<PromptOptimizeParams & WorkDoneParams, OptimizedPrompt, void>(method);
}

/**
 * Extension → engine: find the prompts in one document (`text` with `languageId` and
 * `fileName`) or in files and folders on disk (`paths`, recursive). Reports progress per
 * file and honours cancellation between files.
 */
export namespace PromptScanRequest {
  export const method = 'prompt/scan';
  export const type = new RequestType<PromptScanParams & WorkDoneParams, PromptScanResult, void>(method);
}

/** Extension/CLI → engine: what an ONNX model holds (inputs, ops, weights, quantizable layers). */
export namespace ModelInspectRequest {
  export const method = 'model/inspect';
  export const type = new RequestType<ModelInspectParams, ModelInspection, void>(method);
}

/** Extension/CLI → engine: the seed's `ModelQuantizer.quantize` (the Python module's 8/4/3/2-bit quantization; long: progress + cancel). */
export namespace ModelQuantizeRequest {
  export const method = 'model/quantize';
  export const type = new RequestType<ModelQuantizeParams, QuantizedModel, void>(method);
}

/** Extension/CLI → engine: the seed's `ModelPruner.prune` (the Python module's weight pruning to a sparsity; long: progress + cancel). */
export namespace ModelPruneRequest {
  export const method = 'model/prune';
  export const type = new RequestType<ModelPruneParams, PrunedModel, void>(method);
}

/** Extension/CLI → engine: the seed's `ModelCompressor.compress` (the Python module's distillation or low-rank compression; long: progress + cancel). */
export namespace ModelCompressRequest {
  export const method = 'model/compress';
  export const type = new RequestType<ModelCompressParams, CompressedModel, void>(method);
}

/** Extension/CLI → engine: the seed's `ModelOptimizer.optimize` (the Python module's precision and graph tuning for latency, throughput or memory; long: progress + cancel). */
export namespace ModelOptimizeRequest {
  export const method = 'model/optimize';
  export const type = new RequestType<ModelOptimizeParams, OptimizedModel, void>(method);
}

/**
 * Extension → engine: everything the editor shows for the prompts of one document
 * (lenses, hovers, diagnostics), in one answer per document version.
 */
export namespace PromptHintsRequest {
  export const method = 'editor/promptHints';
  export const type = new RequestType<PromptHintsParams, PromptHintsAnswer, void>(method);
}

/**
 * Extension → engine: the names a file imports from its project's modules and the model each is sent with there,
 * so that the prompts of the imported module are priced with that model (`PromptHintsParams.importedSends`).
 */
export namespace PromptSendsRequest {
  export const method = 'editor/promptSends';
  export const type = new RequestType<PromptSendsParams, PromptSendsResult, void>(method);
}

export interface DebugWaitParams extends WorkDoneParams {
  ms: number;
}
/**
 * Extension/tests → engine: wait, reporting progress, until cancelled or done. Registered
 * only when the engine runs with PEPPERPY_ENGINE_DEBUG=1; the tests use it to exercise
 * cancellation, time-outs and crashes in the middle of a request.
 */
export namespace DebugWaitRequest {
  export const method = 'debug/wait';
  export const type = new RequestType<DebugWaitParams, { waitedMs: number }, void>(method);
}

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';
export interface LogParams {
  level: LogLevel;
  message: string;
}
/** Engine → extension: a log line for the "PepperPy" output channel (the engine never writes to stdout). */
export namespace LogNotification {
  export const method = 'log/didLog';
  export const type = new NotificationType<LogParams>(method);
}

/** Extension/CLI → engine: the seed's `CostEstimator.estimate` (the Python module's cost of a model's workload over a number of days). */
export namespace CostEstimateRequest {
  export const method = 'cost/estimate';
  export const type = new RequestType<CostEstimateParams, CostEstimate, void>(method);
}

/** Extension/CLI → engine: the seed's `ModelSelector.select` (the Python module's cheapest model meeting a task's quality, price and latency limits). */
export namespace CostSelectRequest {
  export const method = 'cost/select';
  export const type = new RequestType<ModelSelectParams, ModelSelection, void>(method);
}

/** Extension/CLI → engine: the seed's `CostOptimizer.optimize` (the Python module's per-task cost-reduction plan; here exact, one model per task). */
export namespace CostOptimizeRequest {
  export const method = 'cost/optimize';
  export const type = new RequestType<CostOptimizeParams & WorkDoneParams, OptimizationPlan, void>(method);
}

/** Extension/CLI → engine: the seed's `CostOptimizer.recommend_model` (the Python module's cheaper replacement for one model that keeps a share of its quality). */
export namespace CostRecommendModelRequest {
  export const method = 'cost/recommendModel';
  export const type = new RequestType<RecommendModelParams, ModelRecommendation, void>(method);
}

/** Extension → engine: today's spend per model from the monitor's ledger (file or Redis). */
export namespace CostCurrentCostsRequest {
  export const method = 'cost/currentCosts';
  export const type = new RequestType<CurrentCostsParams, CurrentCosts, void>(method);
}

/** Extension → engine: the seed's PipelineBenchmark.run (the Python module's latency, throughput, token and quality measurement of a RAG pipeline) on a config file (long; progress, cancellable). */
export namespace PipelineBenchmarkRequest {
  export const method = 'pipeline/benchmark';
  export const type = new RequestType<PipelineBenchmarkParams & WorkDoneParams, PipelineBenchmarkResult, void>(method);
}

/** Extension → engine: the seed's PipelineProfiler.profile (the Python module's time per pipeline component, bottleneck flagged; long; progress, cancellable). */
export namespace PipelineProfileRequest {
  export const method = 'pipeline/profile';
  export const type = new RequestType<PipelineProfileParams & WorkDoneParams, ProfileResult, void>(method);
}

/** Extension → engine: the complete example, "PepperPy: Optimize RAG Pipeline" (long; progress, cancellable). */
export namespace PipelineOptimizeAllRequest {
  export const method = 'pipeline/optimizeAll';
  export const type = new RequestType<PipelineOptimizeAllParams & WorkDoneParams, OptimizeAllResult, void>(method);
}

/** Extension → engine: a latency, model, quality or RAG benchmark (long; progress, cancellable). */
export namespace BenchmarkRunRequest {
  export const method = 'benchmark/run';
  export const type = new RequestType<BenchmarkRunParams & WorkDoneParams, BenchmarkRunResult, void>(method);
}

/** Extension/CLI → engine: spend per UTC day and model over the last N days, from the ledger. */
export namespace CostHistoryRequest {
  export const method = 'cost/history';
  export const type = new RequestType<import('./cost').CostHistoryParams, import('./cost').CostHistory, void>(method);
}

/** Extension → engine: start the engine's one cost monitor (a running one is stopped first). */
export namespace CostMonitorStartRequest {
  export const method = 'cost/monitorStart';
  export const type = new RequestType<import('./cost').CostMonitorStartParams, import('./cost').CostMonitorStatus, void>(method);
}

/** Extension → engine: stop the cost monitor (no-op when none runs). */
export namespace CostMonitorStopRequest {
  export const method = 'cost/monitorStop';
  export const type = new RequestType<Record<string, never> | undefined, import('./cost').CostMonitorStatus, void>(method);
}

/** Extension → engine: whether the monitor runs, where, and today's spend. */
export namespace CostMonitorStatusRequest {
  export const method = 'cost/monitorStatus';
  export const type = new RequestType<Record<string, never> | undefined, import('./cost').CostMonitorStatus, void>(method);
}

/** Engine → extension: the monitor recorded a request (with today's total). */
export namespace CostDidRecordNotification {
  export const method = 'cost/didRecord';
  export const type = new NotificationType<import('./cost').CostDidRecordParams>(method);
}

/** Engine → extension: today's spend crossed the alert threshold (once per day). */
export namespace CostDidAlertNotification {
  export const method = 'cost/didAlert';
  export const type = new NotificationType<import('./cost').CostDidAlertParams>(method);
}

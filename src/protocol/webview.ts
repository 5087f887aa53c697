/**
 * Messages between webview panels and the extension host. Three kinds, as in GitLens:
 * commands (webview → host, no reply), requests with a reply, and `did…` notifications
 * (host → webview). Everything the webview sends is untrusted and is validated with these
 * schemas before use; the webview validates what it receives too.
 */
import { z } from 'zod';
import type { CostAlertInfo, CostEstimate, CostHistory, CostMonitorStatus, CurrentCosts, OptimizationPlan } from './cost';
import type { PromptAnalysis, TokenCount } from './prompt';
import { BenchmarkRequestSchema, RunIdSchema, type BenchmarkViewState } from './benchmark';
import { ModelRunIdSchema, ModelRunRequestSchema, type ModelViewState } from './modelPanel';

export const PANEL_IDS = ['analysis', 'cost', 'benchmark', 'model'] as const;
export type PanelId = (typeof PANEL_IDS)[number];

// ---- Webview → host -------------------------------------------------------------

export const WebviewToHostSchema = z.discriminatedUnion('type', [
  /** The page has loaded and wants its state. */
  z.object({ type: z.literal('ready') }).strict(),
  /** The user asked to analyze the same text again with another model. */
  z.object({ type: z.literal('analysis/reanalyze'), model: z.string().min(1).max(200) }).strict(),
  /** The user asked to copy the result as JSON to the clipboard. */
  z.object({ type: z.literal('analysis/copyJson') }).strict(),
  /** Cost Dashboard: start or stop the metering proxy with the current settings. */
  z.object({ type: z.literal('cost/startMonitor') }).strict(),
  z.object({ type: z.literal('cost/stopMonitor') }).strict(),
  /** Cost Dashboard: read the ledger and the monitor's status again. */
  z.object({ type: z.literal('cost/refresh') }).strict(),
  /** Cost Dashboard: the estimate form (the engine checks the figures again and names a bad one). */
  z
    .object({
      type: z.literal('cost/estimate'),
      model: z.string().trim().min(1, 'Choose a model').max(200),
      avgInputTokens: z.number({ message: 'Average input tokens must be a number' }).finite().min(0, 'Average input tokens cannot be negative'),
      avgOutputTokens: z.number({ message: 'Average output tokens must be a number' }).finite().min(0, 'Average output tokens cannot be negative'),
      queriesPerDay: z.number({ message: 'Queries per day must be a number' }).finite().min(0, 'Queries per day cannot be negative'),
      days: z.number({ message: 'Days must be a number' }).finite().min(0, 'Days cannot be negative'),
    })
    .strict(),
  /** Cost Dashboard: the optimization-plan form; `currentSetup` is the JSON text the user typed. */
  z
    .object({
      type: z.literal('cost/optimize'),
      currentSetup: z.string().min(2, 'The current setup is empty').max(200_000, 'The current setup is too long (200,000 characters at most)'),
      maxQualityReduction: z.number({ message: 'Max quality reduction must be a number' }).min(0, 'Max quality reduction must be between 0 and 1').max(1, 'Max quality reduction must be between 0 and 1'),
      targetCostReduction: z.number({ message: 'Target cost reduction must be a number' }).min(0, 'Target cost reduction must be between 0 and 1').max(1, 'Target cost reduction must be between 0 and 1'),
    })
    .strict(),
  /** Benchmark panel: launch a benchmark with the form's values (BenchmarkRequestSchema). */
  z.object({ type: z.literal('benchmark/run'), request: BenchmarkRequestSchema }).strict(),
  /** Benchmark panel: cancel the running benchmark (the engine gets $/cancelRequest). */
  z.object({ type: z.literal('benchmark/cancel') }).strict(),
  /** Benchmark panel: show one run of the history. */
  z.object({ type: z.literal('benchmark/select'), runId: RunIdSchema }).strict(),
  /** Benchmark panel: compare two runs side by side (b against a). */
  z.object({ type: z.literal('benchmark/compare'), a: RunIdSchema, b: RunIdSchema }).strict().refine((m) => m.a !== m.b, { message: 'Pick two different runs to compare', path: ['b'] }),
  z.object({ type: z.literal('benchmark/clearComparison') }).strict(),
  /** Benchmark panel: export one run; the host asks where with a save dialog. */
  z.object({ type: z.literal('benchmark/export'), runId: RunIdSchema, format: z.enum(['csv', 'json', 'markdown'], { message: 'Export as csv, json or markdown' }) }).strict(),
  z.object({ type: z.literal('benchmark/delete'), runId: RunIdSchema }).strict(),
  /** Benchmark panel: pick a file for a path field with an open dialog. */
  z.object({ type: z.literal('benchmark/browse'), field: z.enum(['configPath', 'queriesPath', 'dataset']) }).strict(),
  /** Benchmark panel: store an API key in SecretStorage (the host asks for it; the webview never sees it). */
  z.object({ type: z.literal('benchmark/setApiKey'), provider: z.enum(['openai', 'anthropic']) }).strict(),
  /** Benchmark panel: choose a model with the model picker (editor, local-server and key-based models) for the Models list or the judge. */
  z.object({ type: z.literal('benchmark/pickModel'), field: z.enum(['models', 'evaluatorModel']) }).strict(),
  /** Benchmark panel: open a file the run wrote (a report, the optimized config). */
  z.object({ type: z.literal('benchmark/openFile'), runId: RunIdSchema, file: z.string().min(1).max(100) }).strict(),
  /** Model Optimization panel: choose a model with an open dialog (the host inspects it). */
  z.object({ type: z.literal('model/pick') }).strict(),
  /** Model Optimization panel: inspect the model at a typed path. */
  z.object({ type: z.literal('model/inspect'), modelPath: z.string().trim().min(1, 'Enter the model path').max(4096, 'The model path is too long') }).strict(),
  /** Model Optimization panel: run an operation with the form's values (the host checks files; the engine checks figures again). */
  z.object({ type: z.literal('model/run'), request: ModelRunRequestSchema }).strict(),
  /** Model Optimization panel: cancel the running job (the engine gets $/cancelRequest). */
  z.object({ type: z.literal('model/cancel') }).strict(),
  /** Model Optimization panel: choose a data file, or where to save the output, with a dialog. */
  z.object({ type: z.literal('model/browse'), field: z.enum(['calibrationData', 'fineTuneDataset', 'trainingData', 'inputsPath', 'outPath']) }).strict(),
  /** Model Optimization panel: show, reveal, copy or forget one run of the history. */
  z.object({ type: z.literal('model/select'), runId: ModelRunIdSchema }).strict(),
  z.object({ type: z.literal('model/openOutput'), runId: ModelRunIdSchema }).strict(),
  z.object({ type: z.literal('model/copyResult'), runId: ModelRunIdSchema }).strict(),
  z.object({ type: z.literal('model/delete'), runId: ModelRunIdSchema }).strict(),
  /** The page rendered a state; its text lets tests check what the user sees. */
  z.object({ type: z.literal('didRender'), summary: z.string().max(10_000) }).strict(),
]);
export type WebviewToHost = z.infer<typeof WebviewToHostSchema>;

// ---- Host → webview ---------------------------------------------------------------

export interface AnalysisViewState {
  /** Where the text came from, for the heading ("selection in app.py"). */
  source: string;
  model: string;
  /** Models offered in the model picker. */
  models: string[];
  analysis?: PromptAnalysis;
  /**
   * A prompt found in code with runtime values (`${cwd}`, `{name}`), or with text chosen by a condition between literals
   * (`${formal ? "…" : "…"}`, no value named): the count of its fixed text, as the editor's lens counts it, and the values
   * left out. The panel shows this count ("≥ N") rather than `analysis.tokenCount`, which counts the interpolations as written.
   */
  fixed?: { tokens: TokenCount; runtimeValues: string[] };
  error?: string;
  /**
   * Set when the analyzed text can no longer be followed (its file was closed, the prompt was
   * deleted or is no longer found): why, shown over the figures, which are those of the last
   * version analyzed. While the text is followed, an edit analyzes it again (busy, with the old
   * figures shown until the new ones come).
   */
  stale?: string;
  /** The document line (1-based) of each suggestion's start, in the order of `analysis.optimizationSuggestions`; null where it has no range. */
  suggestionLines?: Array<number | null>;
  busy: boolean;
}

/** The token figure the Prompt Analysis panel leads with: the fixed text's lower bound for a prompt with runtime values, else the analysis's count. */
export function analysisHeadline(state: Pick<AnalysisViewState, 'analysis' | 'fixed'>): { tokens: TokenCount; atLeast: boolean; runtimeValues: string[] } | undefined {
  if (state.fixed) return { tokens: state.fixed.tokens, atLeast: true, runtimeValues: state.fixed.runtimeValues };
  return state.analysis ? { tokens: state.analysis.tokens, atLeast: false, runtimeValues: [] } : undefined;
}

/** Everything the Cost Dashboard shows; the host sends it whole on every change. */
export interface CostViewState {
  monitor: CostMonitorStatus | { running: false; alerts: CostAlertInfo[] };
  /** Where the ledger is (file path or redacted Redis URL), even when the monitor is off. */
  ledger: string;
  /** The proxy URL clients would use with the configured port (shown when the monitor is off). */
  configuredPort: number;
  history?: CostHistory;
  today?: CurrentCosts;
  /** Alerts seen by this window (newest last). */
  alerts: CostAlertInfo[];
  models: string[];
  estimateForm: { model: string; avgInputTokens: number; avgOutputTokens: number; queriesPerDay: number; days: number };
  estimate?: CostEstimate;
  estimateError?: string;
  /** `source`: for people, where the setup came from (the workspace's prompts, with what was defaulted); absent for the example. */
  planForm: { currentSetup: string; maxQualityReduction: number; targetCostReduction: number; source?: string };
  plan?: OptimizationPlan;
  planError?: string;
  /** What the panel is waiting for, if anything ("Starting the monitor…"). */
  busy?: string;
  /** A problem reading the ledger or starting the monitor. */
  error?: string;
}

export type HostToWebview =
  | { type: 'analysis/didChange'; state: AnalysisViewState }
  | { type: 'cost/didChange'; state: CostViewState }
  | { type: 'benchmark/didChange'; state: BenchmarkViewState }
  | { type: 'model/didChange'; state: ModelViewState }
  | { type: 'error/didOccur'; message: string };

/** Validates a message from a webview; returns a readable reason when it is rejected. */
export function parseWebviewMessage(raw: unknown): { ok: true; message: WebviewToHost } | { ok: false; reason: string } {
  const result = WebviewToHostSchema.safeParse(raw);
  if (result.success) return { ok: true, message: result.data };
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  return { ok: false, reason: `${issue?.message ?? 'invalid message'}${where}` };
}

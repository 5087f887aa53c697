/**
 * Messages and results of the cost area: the seed's `CostEstimator`, `CostMonitor`,
 * `ModelSelector` and `CostOptimizer` (the cost classes of the Python PepperPy `optimization`
 * module: estimate, live spend with alerts, model choice, per-task savings plan), in camelCase. Every money figure is in US dollars
 * and carries the source and date of the price it was computed from.
 */
import { z } from 'zod';

/** True for a real YYYY-MM-DD date (2026-02-28 yes, 2026-02-31 no). */
export function isCalendarDay(day: string): boolean {
  const date = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === day;
}

/** Largest token count one request may claim (10 M tokens: beyond every model's context window). */
export const MAX_TOKENS_PER_REQUEST = 10_000_000;
/** Largest request rate the estimator accepts (100 M a day: about 1,160 per second). */
export const MAX_QUERIES_PER_DAY = 100_000_000;
/** Longest estimate horizon (ten years). */
export const MAX_DAYS = 3650;

/** Where a price came from and how recent it is. */
export interface PriceSource {
  /** `bundled`: the data shipped inside @pydantic/genai-prices; `published`: genai-prices' published JSON fetched on request; `override`: the user's own prices; `local`: a model served on this machine (Ollama, LM Studio, llama.cpp, vLLM), $0. */
  kind: 'bundled' | 'published' | 'override' | 'local';
  /** The package and version, the URL fetched, or "user override". */
  name: string;
  /** ISO date (YYYY-MM-DD) of the data: the package release, the day it was fetched, or the override's date. */
  date: string;
  note?: string;
}

/** One model's prices in USD per million tokens. */
export interface ModelPriceInfo {
  /** The name asked for. */
  model: string;
  /** The catalog entry that matched it. */
  matchedModel: string;
  /**
   * Set to `matchedModel` when that entry is another model than the name asked for: the catalog
   * matches names by rules (starts with…), so `claude-sonnet-4-5-super` is priced as
   * `claude-sonnet-4-5`, and a fine-tune the catalog has no fine-tune price for is priced at its
   * base model's rate. Absent when they differ only by a release date, `-latest` or the way a
   * version is written (src/shared/cost/sameModel.ts). Every surface that shows the price says so.
   */
  pricedAs?: string;
  provider: string;
  /**
   * Set when the name was neither given a provider nor claimed by one's rules (open-weights ids such as
   * `Qwen/Qwen3.5-9B` or `meta-llama/…`, served by many hosts at their own rates): the name of the host whose
   * price this is, the first in the catalog that lists the name — not necessarily the host the code calls.
   */
  listedHost?: string;
  inputPerMTok: number;
  outputPerMTok: number;
  cachedInputPerMTok?: number;
  cacheWritePerMTok?: number;
  /** Only for models that bill reasoning tokens apart from output; otherwise they cost the output price. */
  reasoningPerMTok?: number;
  /** True when the price depends on the prompt's size (e.g. above 128k tokens); the figures above are the base tier. */
  tiered: boolean;
  source: PriceSource;
}

const tokens = (what: string) =>
  z
    .number({ message: `${what} must be a number` })
    .finite(`${what} must be finite`)
    .min(0, `${what} cannot be negative`)
    .max(MAX_TOKENS_PER_REQUEST, `${what} above ${MAX_TOKENS_PER_REQUEST} per request is not a real workload`);

const modelName = z.string().trim().min(1, 'model is required').max(200);

export const CostEstimateParamsSchema = z
  .object({
    model: modelName,
    avgInputTokens: tokens('avgInputTokens'),
    avgOutputTokens: tokens('avgOutputTokens'),
    queriesPerDay: z.number().finite().min(0, 'queriesPerDay cannot be negative').max(MAX_QUERIES_PER_DAY, `queriesPerDay above ${MAX_QUERIES_PER_DAY} is not a real workload`),
    days: z.number().finite().min(0, 'days cannot be negative').max(MAX_DAYS, `days above ${MAX_DAYS} (ten years) is not a real horizon`).default(30),
    /** Part of avgInputTokens read from the provider's prompt cache. */
    cachedInputTokens: tokens('cachedInputTokens').optional(),
    /** Reasoning tokens per query, billed on top of avgOutputTokens. */
    reasoningTokens: tokens('reasoningTokens').optional(),
    /** A provider id from genai-prices (openai, anthropic, google, ...) when the name is ambiguous. */
    providerId: z.string().min(1).max(100).optional(),
  })
  .strict()
  .refine((p) => p.avgInputTokens < 0 || (p.cachedInputTokens ?? 0) <= p.avgInputTokens, { message: 'cachedInputTokens is part of avgInputTokens and cannot exceed it', path: ['cachedInputTokens'] });
export type CostEstimateParams = z.input<typeof CostEstimateParamsSchema>;

/** The seed's `CostEstimator.estimate` result (total, input and output cost and total tokens). */
export interface CostEstimate {
  model: string;
  totalCost: number;
  inputCost: number;
  outputCost: number;
  /** Input + output (+ reasoning) tokens over the whole period. */
  totalTokens: number;
  inputTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  cachedInputTokens: number;
  queries: number;
  costPerQuery: number;
  dailyCost: number;
  days: number;
  price: ModelPriceInfo;
}

export const TASKS_HINT = 'summarization, classification, qa, rag, chat, reasoning, math, coding, multilingual, factuality';

export const ModelSelectParamsSchema = z
  .object({
    task: z.string().trim().min(1).max(100),
    /** Minimum acceptable quality on the task's benchmark, 0-1. */
    qualityThreshold: z.number().min(0).max(1).default(0),
    maxCostPer1kTokens: z.number().finite().positive('maxCostPer1kTokens must be positive').optional(),
    maxLatencyMs: z.number().finite().positive('maxLatencyMs must be positive').optional(),
    /** Share of input tokens used to blend input and output prices (default 0.75, the common 3:1 blend). */
    inputShare: z.number().min(0).max(1).optional(),
    /** What to do with models whose latency is unknown when maxLatencyMs is set (default `allow`, said in the evidence). */
    unknownLatency: z.enum(['allow', 'exclude']).optional(),
    /** A JSON file with the user's own benchmark results (docs/cost.md); they replace the bundled figures they cover. */
    benchmarkFile: z.string().min(1).max(4096).optional(),
    /** A JSONL ledger of the cost monitor: measured latencies per model replace cited ones. */
    ledgerFile: z.string().min(1).max(4096).optional(),
  })
  .strict();
export type ModelSelectParams = z.input<typeof ModelSelectParamsSchema>;

/** One benchmark figure behind a quality score. */
export interface QualityEvidence {
  benchmark: string;
  /** The score as published (e.g. 88.7 for 88.7 %). */
  value: number;
  /** The same on a 0-1 scale. */
  score: number;
  source: string;
  date: string;
  note?: string;
}

export interface LatencyEvidence {
  avgMs: number;
  samples?: number;
  source: string;
  date: string;
}

/** The seed's `ModelSelector.select` result (the chosen model, its cost per 1k tokens, quality score and latency). */
export interface ModelSelection {
  name: string;
  costPer1kTokens: number;
  qualityScore: number;
  /** Milliseconds; null when no measured or cited latency exists for the model. */
  avgLatency: number | null;
  evidence: {
    quality: QualityEvidence;
    latency?: LatencyEvidence;
    price: ModelPriceInfo;
    /** How the task maps to a benchmark and why. */
    taskBenchmark: { task: string; benchmark: string; rationale: string };
    notes: string[];
  };
  /** Other models that met every constraint, cheapest first. */
  alternatives: Array<{ name: string; costPer1kTokens: number; qualityScore: number; avgLatency: number | null }>;
  /** Models left out and why (at most 20). */
  excluded: Array<{ name: string; reason: string }>;
}

const usageSchema = z
  .object({
    queriesPerDay: z.number().finite().min(0).max(MAX_QUERIES_PER_DAY),
    /** Tokens per query, input and output together (the seed's `avg_tokens`: the per-task tokens per query in CostOptimizer's `current_setup.avg_usage`). */
    avgTokens: tokens('avgTokens').optional(),
    avgInputTokens: tokens('avgInputTokens').optional(),
    avgOutputTokens: tokens('avgOutputTokens').optional(),
  })
  .strict()
  .refine((u) => u.avgTokens !== undefined || (u.avgInputTokens !== undefined && u.avgOutputTokens !== undefined), {
    message: 'give avgTokens, or avgInputTokens and avgOutputTokens',
  });

/** One task's model and usage, for checking a record entry zod leaves out (a task named `__proto__`). */
export const CostTaskModelSchema = modelName;
export const CostTaskUsageSchema = usageSchema;
export const CostTaskKindSchema = z.string().min(1).max(100);

export const CostOptimizeParamsSchema = z
  .object({
    currentSetup: z
      .object({
        models: z.record(z.string().min(1).max(100), modelName),
        avgUsage: z.record(z.string().min(1).max(100), usageSchema),
        /**
         * The kind of work of a task whose name is not one (`"prompts.py:12 system prompt": "chat"`): the benchmark its
         * models are compared on is that kind's (TASKS_HINT). A task without one is looked up by its own name.
         */
        kinds: z.record(z.string().min(1).max(100), z.string().min(1).max(100)).optional(),
      })
      .strict(),
    /** Largest acceptable quality loss per task, as a fraction of the current model's score (0.1 = 10 %). */
    maxQualityReduction: z.number().min(0).max(1).default(0.1),
    /** Wanted cost reduction, 0-1 (0.3 = 30 %). */
    targetCostReduction: z.number().min(0).max(1).default(0),
    /** `leastQualityLoss`: reach the target losing as little quality as possible; `mostSavings`: save as much as the quality limit allows. */
    objective: z.enum(['leastQualityLoss', 'mostSavings']).optional(),
    inputShare: z.number().min(0).max(1).optional(),
    /** Days in a month for monthly figures (default 30). */
    daysPerMonth: z.number().min(1).max(31).optional(),
    /** Limit the candidates to these models (default: every model in the quality catalog with a price). */
    candidates: z.array(modelName).max(500).optional(),
    /** A JSON file with the user's own benchmark results (docs/cost.md); they replace the bundled figures they cover. */
    benchmarkFile: z.string().min(1).max(4096).optional(),
    /** A JSONL ledger of the cost monitor: measured latencies per model replace cited ones. */
    ledgerFile: z.string().min(1).max(4096).optional(),
  })
  .strict();
export type CostOptimizeParams = z.input<typeof CostOptimizeParamsSchema>;

export interface TaskRecommendation {
  currentModel: string;
  recommendedModel: string;
  /** The catalog model `currentModel` is priced as, when another (`ModelPriceInfo.pricedAs`): the plan's surfaces say so. */
  currentPricedAs?: string;
  /** The same for `recommendedModel`, when it differs from the current model. */
  recommendedPricedAs?: string;
  /** Dollars a month; 0 when the model stays. */
  monthlySavings: number;
  currentMonthlyCost: number;
  recommendedMonthlyCost: number;
  /** Relative change of the task's benchmark score, in percent (negative: worse). */
  qualityImpact: number;
  benchmark: string;
  reason: string;
}

/** The seed's `CostOptimizer.optimize` result (its optimization plan: savings percent, monthly savings, a recommendation per task). */
export interface OptimizationPlan {
  estimatedSavingsPercent: number;
  estimatedMonthlySavings: number;
  currentMonthlyCost: number;
  optimizedMonthlyCost: number;
  targetCostReduction: number;
  targetMet: boolean;
  /** One sentence that says whether the target is met, and if not, what is possible. */
  summary: string;
  /** When the target cannot be met within maxQualityReduction: the smallest per-task quality loss that would meet it, if any. */
  qualityReductionNeededForTarget?: number | null;
  objective: 'leastQualityLoss' | 'mostSavings';
  /** Token-weighted average quality change across tasks, in percent. */
  weightedQualityImpact: number;
  recommendations: Record<string, TaskRecommendation>;
  /** How the plan was searched: exact branch and bound, with the number of nodes visited. */
  method: { name: string; exact: true; nodesVisited: number; candidatesPerTask: Record<string, number> };
  priceSources: PriceSource[];
}

export const RecommendModelParamsSchema = z
  .object({
    currentModel: modelName,
    task: z.string().trim().min(1).max(100),
    /** Keep at least this share of the current model's quality (0.8 = 80 %). */
    qualityThreshold: z.number().min(0).max(1).default(0.8),
    maxLatencyMs: z.number().finite().positive().optional(),
    inputShare: z.number().min(0).max(1).optional(),
    /** A JSON file with the user's own benchmark results (docs/cost.md); they replace the bundled figures they cover. */
    benchmarkFile: z.string().min(1).max(4096).optional(),
    /** A JSONL ledger of the cost monitor: measured latencies per model replace cited ones. */
    ledgerFile: z.string().min(1).max(4096).optional(),
  })
  .strict();
export type RecommendModelParams = z.input<typeof RecommendModelParamsSchema>;

/** The seed's `CostOptimizer.recommend_model` result (the recommended model and its cost, quality and latency impact). */
export interface ModelRecommendation {
  model: string;
  currentModel: string;
  costReductionPercent: number;
  /** Relative change of the benchmark score, in percent. */
  qualityImpact: number;
  /** Relative change of average latency, in percent; null when either latency is unknown. */
  latencyImpact: number | null;
  reason: string;
  evidence: { benchmark: string; current: QualityEvidence; recommended: QualityEvidence; notes: string[] };
}

/** One request recorded by the monitor's proxy. */
export interface LedgerEntry {
  /** ISO time the request completed. */
  ts: string;
  id: string;
  /**
   * `proxy.refused`: a request the proxy would not forward (a target outside its upstreams,
   * a browser's Origin, a foreign Host, a time-out while the request arrived); cost 0, `error`
   * says why. `proxy.unmetered`: a request forwarded to an endpoint whose usage the proxy
   * does not read (`/v1/models`, `/v1/audio/...`); its cost is unknown (null) unless the
   * method is one that is not billed (GET, HEAD), and `costNote` says so.
   */
  api: 'openai.chat' | 'openai.responses' | 'openai.embeddings' | 'anthropic.messages' | 'proxy.refused' | 'proxy.unmetered';
  model: string;
  status: number;
  stream: boolean;
  latencyMs: number;
  /** Time to the first byte of the upstream's answer. */
  ttfbMs?: number;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  /**
   * USD; null when the cost is unknown (then `costNote` says why): no price for the model,
   * an answer cut by a time-out, a stop or the client hanging up (the upstream may have
   * billed it), or an unmetered endpoint.
   */
  cost: number | null;
  costNote?: string;
  priceSource?: PriceSource;
  /** The catalog model the cost is priced as, when another than `model` (`ModelPriceInfo.pricedAs`). */
  pricedAs?: string;
  /** True when the answer carried no usage (errors, aborted streams, malformed bodies). */
  usageMissing?: boolean;
  error?: string;
}

export const CurrentCostsParamsSchema = z
  .object({
    /** YYYY-MM-DD (UTC); default today. */
    day: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'day must be YYYY-MM-DD')
      .refine(isCalendarDay, 'day is not a date on the calendar (check the month and the day of the month)')
      .optional(),
    ledgerFile: z.string().min(1).max(4096).optional(),
    redisUrl: z.string().regex(/^rediss?:\/\//, 'redisUrl must start with redis:// or rediss://').optional(),
  })
  .strict();
export type CurrentCostsParams = z.infer<typeof CurrentCostsParamsSchema>;

export interface ModelSpend {
  cost: number;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  reasoningTokens: number;
  /** Requests whose cost is unknown (no price). */
  unpriced: number;
  avgLatencyMs: number;
  /** The catalog model its requests were priced as, when another than the model (the latest request's). */
  pricedAs?: string;
}

/** The seed's `CostMonitor.get_current_costs` (the spend so far per model), with totals. */
export interface CurrentCosts {
  day: string;
  byModel: Record<string, ModelSpend>;
  /** USD of the requests whose cost is known; `unknownCostRequests` are not in it. */
  totalCost: number;
  requests: number;
  /** Requests whose cost is unknown (cost null): the total is a lower bound when this is above 0. */
  unknownCostRequests?: number;
  ledger: string;
}

// ---- The monitor as a service of the engine process (the editor's Cost Dashboard) ----

export const CostHistoryParamsSchema = z
  .object({
    /** How many UTC days back from today, today included (default 14). */
    days: z.number().int().min(1).max(366).default(14),
    ledgerFile: z.string().min(1).max(4096).optional(),
    redisUrl: z.string().regex(/^rediss?:\/\//, 'redisUrl must start with redis:// or rediss://').optional(),
  })
  .strict();
export type CostHistoryParams = z.input<typeof CostHistoryParamsSchema>;

/** One UTC day of spend. */
export interface CostHistoryDay {
  day: string;
  totalCost: number;
  requests: number;
  /** USD per model (priced requests only). */
  byModel: Record<string, number>;
  /** Requests of the day whose cost is unknown (not in totalCost). */
  unknownCostRequests?: number;
}

/** Spend per day and model over the last N days, oldest day first (every day present, zero when idle). */
export interface CostHistory {
  days: CostHistoryDay[];
  /** Every model seen in the period, most expensive first. */
  models: string[];
  totalCost: number;
  requests: number;
  /** Requests whose cost is unknown (not in totalCost). */
  unknownCostRequests?: number;
  ledger: string;
}

export const CostMonitorSmtpSchema = z
  .object({
    host: z.string().trim().min(1).max(255),
    port: z.number().int().min(1).max(65535).default(587),
    secure: z.boolean().optional(),
    user: z.string().max(320).optional(),
    /** Sent by the extension from VS Code's SecretStorage; never logged or returned. */
    pass: z.string().max(1024).optional(),
    from: z.string().min(3).max(320),
    to: z.string().min(3).max(1000),
  })
  .strict();

const httpUrl = (what: string) => z.string().max(2048).regex(/^https?:\/\/\S+$/, `${what} must be an http(s) URL`);

/** The client time-outs' range (ms): the proxy's own check (src/engine/cost/monitor.ts) allows the same. */
export const CLIENT_TIMEOUT_MS = { min: 1, max: 3_600_000 } as const;
const clientTimeoutMs = (what: string) =>
  z
    .number({ message: `${what} must be a number of milliseconds` })
    .int(`${what} must be a whole number of milliseconds`)
    .min(CLIENT_TIMEOUT_MS.min, `${what} must be at least ${CLIENT_TIMEOUT_MS.min} ms`)
    .max(CLIENT_TIMEOUT_MS.max, `${what} must be at most ${CLIENT_TIMEOUT_MS.max} ms (an hour)`);

/**
 * Why an `allowedOrigins` entry can never match a browser's Origin header, or undefined
 * when it can: `*`, `null`, or an origin exactly as browsers send it (scheme://host[:port],
 * lower case, no path and no trailing slash).
 */
export function allowedOriginProblem(value: string): string | undefined {
  if (value === '*' || value === 'null') return undefined;
  let origin: string | undefined;
  try {
    const url = new URL(value);
    origin = url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : undefined;
  } catch {
    origin = undefined;
  }
  if (origin === value) return undefined;
  return origin ? `"${value}" is not an origin as browsers send it: write "${origin}"` : `"${value}" is not an origin: write scheme://host[:port], e.g. http://localhost:3000 (or * for any)`;
}

/** Why an `allowedHosts` entry is not a host name (`name` or `name:port`, as in a Host header), or undefined. */
export function allowedHostProblem(value: string): string | undefined {
  const m = /^(?:[A-Za-z0-9](?:[A-Za-z0-9._~-]{0,252})|\[[0-9A-Fa-f:.]{2,45}\])(?::(\d{1,5}))?$/.exec(value);
  if (m && (m[1] === undefined || (Number(m[1]) >= 1 && Number(m[1]) <= 65535))) return undefined;
  return `"${value}" is not a host name: write name or name:port as clients put it in the Host header, e.g. my-laptop.local or my-laptop.local:8787`;
}

function problemIssue(check: (value: string) => string | undefined) {
  return (value: string, ctx: z.RefinementCtx) => {
    const problem = check(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  };
}

export const CostMonitorStartParamsSchema = z
  .object({
    /** 0 picks any free port. */
    port: z.number().int().min(0).max(65535).default(8787),
    ledgerFile: z.string().min(1).max(4096).optional(),
    redisUrl: z.string().regex(/^rediss?:\/\//, 'redisUrl must start with redis:// or rediss://').optional(),
    /** USD per UTC day. */
    alertThreshold: z.number().finite().min(0, 'alertThreshold cannot be negative').max(1_000_000).optional(),
    /** A secret (from SecretStorage): never logged or returned. */
    alertWebhook: httpUrl('alertWebhook').optional(),
    smtp: CostMonitorSmtpSchema.optional(),
    upstreamOpenAi: httpUrl('upstreamOpenAi').optional(),
    upstreamAnthropic: httpUrl('upstreamAnthropic').optional(),
    /** Origin header values the proxy accepts (default none: requests from browser pages are refused, 403); `*` for any. */
    allowedOrigins: z.array(z.string().min(1).max(2048).superRefine(problemIssue(allowedOriginProblem))).max(50).optional(),
    /** Host header values accepted besides the proxy's own loopback address (default none: DNS rebinding is refused, 403). */
    allowedHosts: z.array(z.string().min(1).max(255).superRefine(problemIssue(allowedHostProblem))).max(50).optional(),
    /** How long a client may take to send a request's headers and its body (ms, default 30,000 each); past either: 408. */
    clientTimeouts: z
      .object({ headersMs: clientTimeoutMs('clientTimeouts.headersMs').optional(), bodyMs: clientTimeoutMs('clientTimeouts.bodyMs').optional() })
      .strict()
      .optional(),
  })
  .strict()
  .refine((p) => !(p.ledgerFile && p.redisUrl), { message: 'give either ledgerFile or redisUrl, not both' })
  .refine((p) => p.ledgerFile || p.redisUrl, { message: 'give ledgerFile or redisUrl' });
export type CostMonitorStartParams = z.input<typeof CostMonitorStartParamsSchema>;

/** An alert the monitor fired (its channels besides the editor's notification). */
export interface CostAlertInfo {
  day: string;
  threshold: number;
  totalCost: number;
  /** ISO time it fired. */
  at: string;
  /** `webhook` / `email` when configured; failures arrive as log lines. */
  channels: Array<'webhook' | 'email'>;
  /** Requests of the day whose cost is unknown when it fired: `totalCost` is then a lower bound. */
  unknownCostRequests?: number;
}

export interface CostMonitorStatus {
  running: boolean;
  /** The proxy's base URL (http://127.0.0.1:PORT). */
  url?: string;
  port?: number;
  /** What clients set: OPENAI_BASE_URL (…/v1) and ANTHROPIC_BASE_URL. */
  openAiBaseUrl?: string;
  anthropicBaseUrl?: string;
  /** Where it records (a file path or a redacted Redis URL). */
  ledger?: string;
  startedAt?: string;
  alertThreshold?: number;
  /** Alerts fired by this run. */
  alerts: CostAlertInfo[];
  /** Today's spend per model, when running. */
  today?: CurrentCosts;
  /** The engine process that runs it (the extension restarts the monitor when this changes). */
  enginePid: number;
}

/** Engine → extension: the proxy recorded one request. */
export interface CostDidRecordParams {
  entry: LedgerEntry;
  day: string;
  /** Today's (UTC) total after this request, USD. */
  todayTotal: number;
  todayRequests: number;
  /** Today's requests whose cost is unknown (not in todayTotal). */
  todayUnknownCostRequests?: number;
}

/** Engine → extension: today's spend crossed the alert threshold. */
export interface CostDidAlertParams {
  alert: CostAlertInfo;
  costs: CurrentCosts;
}

import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { allowedHostProblem, allowedOriginProblem, CLIENT_TIMEOUT_MS, type CostHistory, type CostOptimizeParams, type CurrentCosts } from '../../protocol/cost';
import { EngineError, errorMessage } from '../../protocol/errors';
import { usd } from '../../protocol/format';
import { currentCostsFromLedger } from '../cost/handlers';
import { CostEstimator } from '../cost/estimator';
import { JsonlLedger, RedisLedger, type Ledger } from '../cost/ledger';
import { CostMonitor } from '../cost/monitor';
import { history as costHistory } from '../cost/monitorHandlers';
import { CostOptimizer } from '../cost/optimizer';
import { describeSource, PriceCatalog } from '../../shared/cost/pricing';
import { pricedAsNote } from '../../shared/cost/sameModel';
import { ModelSelector } from '../cost/selector';
import { refuseSpecialFile } from '../../shared/files';
import { readTextInput, UsageError, type CliCommand, type TextInputKind } from './framework';

/** A cost setup: JSON, as large as a prompt at most. */
const SETUP_INPUT: TextInputKind = { what: 'setup file', expected: 'a JSON setup ({"currentSetup": …} or the setup itself)', maxChars: 2_000_000 };

type Values = Record<string, string | boolean | string[] | undefined>;

/**
 * A file option (--ledger, --benchmarks): a FIFO or a device is refused here, before it is
 * opened (a FIFO would block the command forever, /dev/zero would be read without end).
 */
function fileArg(values: Values, name: 'ledger' | 'benchmarks'): string | undefined {
  const file = str(values, name);
  if (file !== undefined) refuseSpecialFile(file, `${name === 'ledger' ? 'cost ledger' : 'benchmark results file'} (--${name})`, 'Pass a regular file.');
  return file;
}

function str(values: Values, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

function num(values: Values, name: string, required = false): number | undefined {
  const v = str(values, name);
  if (v === undefined) {
    if (required) throw new UsageError(`--${name} is required.`);
    return undefined;
  }
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${name} needs a number, got "${v}".`);
  return n;
}

/** The default ledger: the user's data folder, like the extension's global storage. */
export function defaultLedgerFile(): string {
  return process.env.PEPPERPY_COST_LEDGER ?? join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'pepperpy', 'cost-ledger.jsonl');
}

function ledgerFrom(values: Values): Ledger {
  const file = fileArg(values, 'ledger');
  const redis = str(values, 'redis');
  if (file && redis) throw new UsageError('Give --ledger FILE or --redis URL, not both.');
  if (redis) {
    if (!/^rediss?:\/\//.test(redis)) throw new UsageError('--redis needs a redis:// or rediss:// URL.');
    return new RedisLedger(redis);
  }
  if (!file) refuseSpecialFile(defaultLedgerFile(), 'cost ledger', 'Pass a regular file with --ledger.');
  return new JsonlLedger(file ?? defaultLedgerFile());
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The line that says a total leaves requests out: a request cut by a time-out, a stop or
 * the client hanging up (the provider may have billed it), one to a model without a price
 * or to an endpoint the proxy does not meter has no cost in the ledger, so the total is a
 * lower bound. Empty when every request's cost is known.
 */
export function unknownCostLine(unknown: number | undefined): string | undefined {
  if (!unknown) return undefined;
  return `${plural(unknown, 'request')} of unknown cost — cut by a time-out, stop or hang-up, or unpriced — not included: the total is a lower bound.`;
}

/** `cost today` (and the monitor's summary on exit) as text. */
export function costsText(costs: CurrentCosts): string {
  const lines = [`Spend on ${costs.day} (UTC): ${usd(costs.totalCost)} over ${plural(costs.requests, 'request')} (${costs.ledger})`];
  const unknown = unknownCostLine(costs.unknownCostRequests);
  if (unknown) lines.push(`  ${unknown}`);
  for (const [model, s] of Object.entries(costs.byModel).sort((a, b) => b[1].cost - a[1].cost)) {
    lines.push(`  ${model}: ${usd(s.cost)} (${plural(s.requests, 'request')}, ${s.inputTokens} in / ${s.outputTokens} out tokens${s.unpriced ? `, ${s.unpriced} of unknown cost` : ''}, avg ${s.avgLatencyMs.toFixed(0)} ms${s.pricedAs ? `; ${pricedAsNote(model, s.pricedAs)}` : ''})`);
  }
  return lines.join('\n');
}

/** `cost history` as text: the period's total, then each day that had requests, then each model's total. */
export function historyText(h: CostHistory): string {
  const lines = [`Spend over the last ${plural(h.days.length, 'day')} (UTC, ${h.days[0]?.day ?? ''} to ${h.days.at(-1)?.day ?? ''}): ${usd(h.totalCost)} over ${plural(h.requests, 'request')} (${h.ledger})`];
  const unknown = unknownCostLine(h.unknownCostRequests);
  if (unknown) lines.push(`  ${unknown}`);
  const busy = h.days.filter((d) => d.requests > 0);
  if (busy.length === 0) lines.push('  No requests recorded in these days.');
  for (const d of busy) lines.push(`  ${d.day}: ${usd(d.totalCost)} over ${plural(d.requests, 'request')}${d.unknownCostRequests ? ` (${d.unknownCostRequests} of unknown cost)` : ''}`);
  if (h.models.length > 0) {
    // Own keys only: a model may be named toString or __proto__.
    const totals = h.models.map((model) => [model, h.days.reduce((sum, d) => sum + (Object.hasOwn(d.byModel, model) ? d.byModel[model] : 0), 0)] as const);
    lines.push(`  By model: ${totals.map(([model, cost]) => `${model} ${usd(cost)}`).join(', ')}`);
  }
  return lines.join('\n');
}

/** A list option: comma-separated, and/or given more than once. */
function listArg(values: Values, name: string): string[] | undefined {
  const v = values[name];
  const raw = Array.isArray(v) ? v : typeof v === 'string' ? [v] : undefined;
  if (raw === undefined) return undefined;
  const items = raw.flatMap((x) => x.split(',')).map((x) => x.trim());
  if (items.some((x) => x === '')) throw new UsageError(`--${name} takes a comma-separated list without empty items, got "${raw.join(',')}".`);
  if (items.length > 50) throw new UsageError(`--${name} takes at most 50 values, got ${items.length}.`);
  return items;
}

/** --allowed-hosts / --allowed-origins, each entry checked as the engine's settings check it. */
function allowedArg(values: Values, name: 'allowed-hosts' | 'allowed-origins'): string[] | undefined {
  const items = listArg(values, name);
  const check = name === 'allowed-hosts' ? allowedHostProblem : allowedOriginProblem;
  for (const item of items ?? []) {
    const problem = check(item);
    if (problem) throw new UsageError(`--${name}: ${problem}.`);
  }
  return items;
}

/** --header-timeout-ms / --body-timeout-ms: whole milliseconds within the proxy's range. */
function timeoutArg(values: Values, name: 'header-timeout-ms' | 'body-timeout-ms'): number | undefined {
  const v = str(values, name);
  if (v === undefined) return undefined;
  const n = /^\d{1,7}$/.test(v.trim()) ? Number(v) : NaN;
  if (!(Number.isInteger(n) && n >= CLIENT_TIMEOUT_MS.min && n <= CLIENT_TIMEOUT_MS.max)) throw new UsageError(`--${name} takes whole milliseconds from ${CLIENT_TIMEOUT_MS.min} to ${CLIENT_TIMEOUT_MS.max.toLocaleString('en-US')}, got "${v}".`);
  return n;
}

const selectionOptions = {
  benchmarks: { type: 'string', valueName: 'FILE', description: 'Your own benchmark results (JSON, see docs/cost.md); they replace the bundled figures they cover.' },
  ledger: { type: 'string', valueName: 'FILE', description: 'A cost-monitor ledger whose measured latencies to use.' },
} as const;

export const costCommands: CliCommand[] = [
  {
    area: 'cost',
    verb: 'estimate',
    summary: 'Estimate what a steady workload costs (CostEstimator.estimate).',
    options: {
      model: { type: 'string', valueName: 'M', description: 'Model name, e.g. gpt-5.4 (or provider:model).' },
      input: { type: 'string', valueName: 'N', description: 'Average input tokens per query.' },
      output: { type: 'string', valueName: 'N', description: 'Average output tokens per query.' },
      'queries-per-day': { type: 'string', valueName: 'N', description: 'Queries per day.' },
      days: { type: 'string', valueName: 'N', description: 'Days (default 30).' },
      cached: { type: 'string', valueName: 'N', description: 'Of the input tokens, how many are read from the prompt cache.' },
      reasoning: { type: 'string', valueName: 'N', description: 'Reasoning tokens per query, on top of the output.' },
      provider: { type: 'string', valueName: 'ID', description: 'genai-prices provider id (openai, anthropic, google, ...).' },
    },
    examples: ['pepperpy-opt cost estimate --model gpt-5.4 --input 500 --output 300 --queries-per-day 1000 --days 30'],
    async run({ values }) {
      const model = str(values, 'model');
      if (!model) throw new UsageError('--model is required.');
      const estimate = await new CostEstimator().estimate({
        model,
        avgInputTokens: num(values, 'input', true)!,
        avgOutputTokens: num(values, 'output', true)!,
        queriesPerDay: num(values, 'queries-per-day', true)!,
        days: num(values, 'days') ?? 30,
        ...(num(values, 'cached') !== undefined ? { cachedInputTokens: num(values, 'cached') } : {}),
        ...(num(values, 'reasoning') !== undefined ? { reasoningTokens: num(values, 'reasoning') } : {}),
        ...(str(values, 'provider') ? { providerId: str(values, 'provider') } : {}),
      });
      const p = estimate.price;
      return {
        json: estimate,
        text: [
          `Estimated cost of ${estimate.model} over ${estimate.days} days (${estimate.queries} queries):`,
          `  Total cost:  ${usd(estimate.totalCost)}`,
          `  Input cost:  ${usd(estimate.inputCost)}`,
          `  Output cost: ${usd(estimate.outputCost)}`,
          `  Total tokens: ${estimate.totalTokens}`,
          `  Price: ${p.provider}/${p.matchedModel} $${p.inputPerMTok} in, $${p.outputPerMTok} out per 1M tokens${p.cachedInputPerMTok !== undefined ? `, $${p.cachedInputPerMTok} cached in` : ''}${p.tiered ? ' (base tier)' : ''}${p.pricedAs ? ` (${pricedAsNote(estimate.model, p.pricedAs)})` : ''}`,
          `  Source: ${describeSource(p.source)}`,
        ].join('\n'),
      };
    },
  },
  {
    area: 'cost',
    verb: 'select',
    summary: 'Pick the cheapest model that meets quality, price and latency limits (ModelSelector.select).',
    options: {
      task: { type: 'string', valueName: 'T', description: 'Task: summarization, classification, qa, rag, chat, reasoning, math, coding, multilingual, factuality.' },
      'quality-threshold': { type: 'string', valueName: 'X', description: 'Minimum benchmark score, 0-1.' },
      'max-cost-per-1k': { type: 'string', valueName: 'USD', description: 'Maximum blended price per 1,000 tokens.' },
      'max-latency-ms': { type: 'string', valueName: 'MS', description: 'Maximum average latency (checked only where latency is known).' },
      ...selectionOptions,
    },
    examples: ['pepperpy-opt cost select --task summarization --quality-threshold 0.8 --max-cost-per-1k 0.01 --max-latency-ms 500'],
    async run({ values }) {
      const task = str(values, 'task');
      if (!task) throw new UsageError('--task is required.');
      const s = await new ModelSelector().select({
        task,
        qualityThreshold: num(values, 'quality-threshold') ?? 0,
        ...(num(values, 'max-cost-per-1k') !== undefined ? { maxCostPer1kTokens: num(values, 'max-cost-per-1k') } : {}),
        ...(num(values, 'max-latency-ms') !== undefined ? { maxLatencyMs: num(values, 'max-latency-ms') } : {}),
        ...(fileArg(values, 'benchmarks') ? { benchmarkFile: fileArg(values, 'benchmarks') } : {}),
        ...(fileArg(values, 'ledger') ? { ledgerFile: fileArg(values, 'ledger') } : {}),
      });
      return {
        json: s,
        text: [
          `Recommended model: ${s.name}`,
          `  Cost per 1k tokens: ${usd(s.costPer1kTokens)}`,
          `  Quality score: ${s.qualityScore.toFixed(3)} (${s.evidence.quality.benchmark} ${s.evidence.quality.value}, ${s.evidence.quality.source}, ${s.evidence.quality.date})`,
          `  Average latency: ${s.avgLatency === null ? 'unknown' : `${s.avgLatency.toFixed(0)} ms`}`,
          `  Task ${s.evidence.taskBenchmark.task} → ${s.evidence.taskBenchmark.benchmark}: ${s.evidence.taskBenchmark.rationale}`,
          ...s.evidence.notes.map((n) => `  note: ${n}`),
          ...(s.alternatives.length > 0 ? [`  Alternatives: ${s.alternatives.map((a) => `${a.name} (${usd(a.costPer1kTokens)}, ${a.qualityScore.toFixed(3)})`).join(', ')}`] : []),
        ].join('\n'),
      };
    },
  },
  {
    area: 'cost',
    verb: 'optimize',
    summary: 'Choose one model per task to meet a cost target within a quality limit (CostOptimizer.optimize).',
    positionals: '<setup.json|->',
    options: {
      'max-quality-reduction': { type: 'string', valueName: 'X', description: 'Largest quality loss per task, as a fraction of the current score (default 0.1).' },
      'target-cost-reduction': { type: 'string', valueName: 'X', description: 'Wanted cost reduction, 0-1 (e.g. 0.3).' },
      objective: { type: 'string', valueName: 'O', description: 'leastQualityLoss (default with a target) or mostSavings.' },
      ...selectionOptions,
    },
    examples: ['pepperpy-opt cost optimize samples/cost/setup.json --target-cost-reduction 0.3 --max-quality-reduction 0.1'],
    async run({ positionals, values }, io) {
      if (positionals.length !== 1) throw new UsageError('Give one setup file (or - for standard input).');
      const { text, source } = await readTextInput(positionals[0], io, SETUP_INPUT);
      let setup: Record<string, unknown>;
      try {
        setup = JSON.parse(text) as Record<string, unknown>;
      } catch (error) {
        throw new EngineError('badRequest', `${source} is not JSON: ${errorMessage(error)}.`);
      }
      if (setup === null || typeof setup !== 'object' || Array.isArray(setup)) throw new EngineError('badRequest', `${source} holds ${setup === null ? 'null' : Array.isArray(setup) ? 'an array' : `a ${typeof setup}`}, not a setup object.`, 'Give {"currentSetup": {"task": {"model": …, "avgInputTokens": …, …}}} or the setup itself (see docs/cost.md).');
      const params = ('currentSetup' in setup ? setup : { currentSetup: setup }) as CostOptimizeParams;
      const objective = str(values, 'objective');
      if (objective !== undefined && objective !== 'leastQualityLoss' && objective !== 'mostSavings') throw new UsageError('--objective is leastQualityLoss or mostSavings.');
      const plan = await new CostOptimizer().optimize({
        ...params,
        ...(num(values, 'max-quality-reduction') !== undefined ? { maxQualityReduction: num(values, 'max-quality-reduction') } : {}),
        ...(num(values, 'target-cost-reduction') !== undefined ? { targetCostReduction: num(values, 'target-cost-reduction') } : {}),
        ...(objective ? { objective } : {}),
        ...(fileArg(values, 'benchmarks') ? { benchmarkFile: fileArg(values, 'benchmarks') } : {}),
        ...(fileArg(values, 'ledger') ? { ledgerFile: fileArg(values, 'ledger') } : {}),
      });
      const lines = [
        'Cost optimization plan:',
        `  ${plan.summary}`,
        `  Estimated reduction: ${plan.estimatedSavingsPercent}%`,
        `  Estimated monthly savings: ${usd(plan.estimatedMonthlySavings)} (${usd(plan.currentMonthlyCost)} → ${usd(plan.optimizedMonthlyCost)})`,
        '  Recommendations:',
      ];
      for (const [task, r] of Object.entries(plan.recommendations)) {
        lines.push(`    ${task}: ${r.currentModel} → ${r.recommendedModel}`);
        if (r.currentPricedAs) lines.push(`      Current price: ${pricedAsNote(r.currentModel, r.currentPricedAs)}`);
        if (r.recommendedPricedAs) lines.push(`      Recommended price: ${pricedAsNote(r.recommendedModel, r.recommendedPricedAs)}`);
        lines.push(`      Savings: ${usd(r.monthlySavings)} a month`, `      Quality impact: ${r.qualityImpact}% (${r.benchmark})`, `      ${r.reason}`);
      }
      lines.push(`  Prices: ${plan.priceSources.map(describeSource).join('; ')}`);
      return { json: plan, text: lines.join('\n') };
    },
  },
  {
    area: 'cost',
    verb: 'recommend',
    summary: 'A cheaper model for one task that keeps most of the quality (CostOptimizer.recommendModel).',
    options: {
      model: { type: 'string', valueName: 'M', description: 'The current model.' },
      task: { type: 'string', valueName: 'T', description: 'The task (e.g. rag).' },
      'quality-threshold': { type: 'string', valueName: 'X', description: 'Share of the current quality to keep (default 0.8).' },
      'max-latency-ms': { type: 'string', valueName: 'MS', description: 'Maximum average latency (checked only where latency is known).' },
      ...selectionOptions,
    },
    async run({ values }) {
      const model = str(values, 'model');
      const task = str(values, 'task');
      if (!model || !task) throw new UsageError('--model and --task are required.');
      const r = await new CostOptimizer().recommendModel({
        currentModel: model,
        task,
        qualityThreshold: num(values, 'quality-threshold') ?? 0.8,
        ...(num(values, 'max-latency-ms') !== undefined ? { maxLatencyMs: num(values, 'max-latency-ms') } : {}),
        ...(fileArg(values, 'benchmarks') ? { benchmarkFile: fileArg(values, 'benchmarks') } : {}),
        ...(fileArg(values, 'ledger') ? { ledgerFile: fileArg(values, 'ledger') } : {}),
      });
      return {
        json: r,
        text: [`Current model: ${r.currentModel}`, `Recommended model: ${r.model}`, `  Estimated savings: ${r.costReductionPercent}%`, `  Quality impact: ${r.qualityImpact}%`, `  Latency impact: ${r.latencyImpact === null ? 'unknown' : `${r.latencyImpact}%`}`, `  ${r.reason}`, ...r.evidence.notes.map((n) => `  note: ${n}`)].join('\n'),
      };
    },
  },
  {
    area: 'cost',
    verb: 'today',
    summary: "Today's spend per model from the monitor's ledger (CostMonitor.getCurrentCosts).",
    options: {
      ledger: { type: 'string', valueName: 'FILE', description: `JSONL ledger (default ${defaultLedgerFile()}).` },
      redis: { type: 'string', valueName: 'URL', description: 'Redis ledger (redis://host:port/db).' },
      day: { type: 'string', valueName: 'YYYY-MM-DD', description: 'Another UTC day.' },
    },
    async run({ values }) {
      const redis = str(values, 'redis');
      const explicit = fileArg(values, 'ledger');
      // Both given: --redis was used and --ledger silently ignored.
      if (explicit && redis) throw new UsageError('Give --ledger FILE or --redis URL, not both.');
      if (explicit && !existsSync(explicit)) throw new EngineError('notFound', `No cost ledger at ${explicit}.`, `Check the path; the monitor writes its ledger where --ledger points when it runs (default ${defaultLedgerFile()}).`);
      const costs = await currentCostsFromLedger({ ...(redis ? { redisUrl: redis } : { ledgerFile: fileArg(values, 'ledger') ?? defaultLedgerFile() }), ...(str(values, 'day') ? { day: str(values, 'day') } : {}) });
      return { json: { ...costs, unknownCostRequests: costs.unknownCostRequests ?? 0 }, text: costsText(costs) };
    },
  },
  {
    area: 'cost',
    verb: 'history',
    summary: 'Spend per UTC day and model over the last N days, from the monitor\'s ledger (as the Cost Dashboard charts it).',
    options: {
      days: { type: 'string', valueName: 'N', description: 'How many days back, today included (1-366, default 14).' },
      ledger: { type: 'string', valueName: 'FILE', description: `JSONL ledger (default ${defaultLedgerFile()}).` },
      redis: { type: 'string', valueName: 'URL', description: 'Redis ledger (redis://host:port/db).' },
    },
    examples: ['pepperpy-opt cost history --days 7'],
    async run({ values }) {
      const rawDays = str(values, 'days');
      const days = rawDays === undefined ? 14 : /^\d{1,3}$/.test(rawDays.trim()) ? Number(rawDays) : NaN;
      if (!(Number.isInteger(days) && days >= 1 && days <= 366)) throw new UsageError(`--days takes a whole number from 1 to 366, got "${rawDays}".`);
      const redis = str(values, 'redis');
      const explicit = fileArg(values, 'ledger');
      if (explicit && redis) throw new UsageError('Give --ledger FILE or --redis URL, not both.');
      if (explicit && !existsSync(explicit)) throw new EngineError('notFound', `No cost ledger at ${explicit}.`, `Check the path; the monitor writes its ledger where --ledger points when it runs (default ${defaultLedgerFile()}).`);
      const h = await costHistory({ days, ...(redis ? { redisUrl: redis } : { ledgerFile: explicit ?? defaultLedgerFile() }) });
      return { json: { ...h, unknownCostRequests: h.unknownCostRequests ?? 0 }, text: historyText(h) };
    },
  },
  {
    area: 'cost',
    verb: 'update-prices',
    summary: "Fetch genai-prices' published price data now (opt-in) and keep it, dated, for later runs.",
    options: {
      url: { type: 'string', valueName: 'URL', description: 'Where to fetch from (default: genai-prices published JSON).' },
      cache: { type: 'string', valueName: 'FILE', description: 'Where to keep it.' },
    },
    async run({ values }) {
      const catalog = await PriceCatalog.bundled();
      const source = await catalog.updateFromPublished({ ...(str(values, 'url') ? { url: str(values, 'url') } : {}), cacheFile: str(values, 'cache') ?? join(defaultLedgerFile(), '..', 'genai-prices.json') });
      return { json: { source }, text: `Prices updated from ${describeSource(source)}.` };
    },
  },
  {
    area: 'cost',
    verb: 'monitor',
    summary: 'Run the cost-monitoring proxy on 127.0.0.1 until SIGINT/SIGTERM.',
    options: {
      port: { type: 'string', valueName: 'N', description: 'Port (default 8787; 0 for any free port).' },
      ledger: { type: 'string', valueName: 'FILE', description: `JSONL ledger (default ${defaultLedgerFile()}).` },
      redis: { type: 'string', valueName: 'URL', description: 'Redis ledger instead of a file (redis://host:port/db).' },
      'alert-threshold': { type: 'string', valueName: 'USD', description: 'Daily spend that fires the alerts.' },
      'alert-webhook': { type: 'string', valueName: 'URL', description: 'Slack-compatible webhook for alerts.' },
      'alert-email': { type: 'string', valueName: 'TO', description: 'E-mail alerts to this address (needs --smtp-host and --smtp-from; password in PEPPERPY_SMTP_PASSWORD).' },
      'smtp-host': { type: 'string', valueName: 'HOST', description: 'SMTP server.' },
      'smtp-port': { type: 'string', valueName: 'N', description: 'SMTP port (default 587).' },
      'smtp-user': { type: 'string', valueName: 'USER', description: 'SMTP user.' },
      'smtp-from': { type: 'string', valueName: 'ADDR', description: 'Sender address.' },
      'upstream-openai': { type: 'string', valueName: 'URL', description: 'OpenAI-compatible upstream (default https://api.openai.com).' },
      'upstream-anthropic': { type: 'string', valueName: 'URL', description: 'Anthropic upstream (default https://api.anthropic.com).' },
      'allowed-hosts': { type: 'string', multiple: true, valueName: 'NAME[:PORT],…', description: 'Host header values accepted besides 127.0.0.1, localhost and [::1] (default none: another host name, as DNS rebinding sends, gets 403).' },
      'allowed-origins': { type: 'string', multiple: true, valueName: 'ORIGIN,…', description: 'Browser origins allowed to use the proxy, e.g. http://localhost:3000, or * for any (default none: a request with an Origin gets 403).' },
      'header-timeout-ms': { type: 'string', valueName: 'MS', description: `Time a client has to send a request's headers (default 30000, ${CLIENT_TIMEOUT_MS.min}-${CLIENT_TIMEOUT_MS.max}); past it: 408.` },
      'body-timeout-ms': { type: 'string', valueName: 'MS', description: `Time a client has to send a request's body once its headers arrived (default 30000, ${CLIENT_TIMEOUT_MS.min}-${CLIENT_TIMEOUT_MS.max}); past it: 408.` },
    },
    examples: [
      'pepperpy-opt cost monitor --port 8787 --alert-threshold 100',
      'OPENAI_BASE_URL=http://127.0.0.1:8787/v1 python app.py',
      'pepperpy-opt cost monitor --allowed-origins http://localhost:3000 --allowed-hosts devbox.local:8787 --header-timeout-ms 60000 --body-timeout-ms 120000',
    ],
    async run({ values }, io) {
      const port = num(values, 'port') ?? 8787;
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be an integer from 0 to 65535.');
      const email = str(values, 'alert-email');
      if (email && (!str(values, 'smtp-host') || !str(values, 'smtp-from'))) throw new UsageError('--alert-email needs --smtp-host and --smtp-from.');
      // Checked here: the monitor started with --smtp-port -25 and failed only at the first alert.
      const smtpPort = num(values, 'smtp-port');
      if (smtpPort !== undefined && (!Number.isInteger(smtpPort) || smtpPort < 1 || smtpPort > 65535)) throw new UsageError(`--smtp-port must be an integer from 1 to 65535, got "${str(values, 'smtp-port')}".`);
      const allowedHosts = allowedArg(values, 'allowed-hosts');
      const allowedOrigins = allowedArg(values, 'allowed-origins');
      const headersMs = timeoutArg(values, 'header-timeout-ms');
      const bodyMs = timeoutArg(values, 'body-timeout-ms');
      const monitor = new CostMonitor({
        ledger: ledgerFrom(values),
        port,
        ...(num(values, 'alert-threshold') !== undefined ? { alertThreshold: num(values, 'alert-threshold') } : {}),
        ...(str(values, 'alert-webhook') ? { alertWebhook: str(values, 'alert-webhook') } : {}),
        ...(email
          ? { alertEmail: { host: str(values, 'smtp-host')!, port: smtpPort ?? 587, from: str(values, 'smtp-from')!, to: email, ...(str(values, 'smtp-user') ? { user: str(values, 'smtp-user'), pass: process.env.PEPPERPY_SMTP_PASSWORD ?? '' } : {}) } }
          : {}),
        ...(str(values, 'upstream-openai') ? { upstreamOpenAi: str(values, 'upstream-openai') } : {}),
        ...(str(values, 'upstream-anthropic') ? { upstreamAnthropic: str(values, 'upstream-anthropic') } : {}),
        ...(allowedHosts ? { allowedHosts } : {}),
        ...(allowedOrigins ? { allowedOrigins } : {}),
        ...(headersMs !== undefined || bodyMs !== undefined ? { clientTimeouts: { ...(headersMs !== undefined ? { headersMs } : {}), ...(bodyMs !== undefined ? { bodyMs } : {}) } } : {}),
        log: (level, message) => io.stderr(`[${level}] ${message}\n`),
      });
      monitor.on('alert', (alert) => {
        const unknown = unknownCostLine(alert.costs.unknownCostRequests);
        io.stderr(`[alert] spend on ${alert.day} is ${usd(alert.totalCost)}, above ${usd(alert.threshold)}${unknown ? `; ${unknown}` : ''}\n`);
      });
      const address = await monitor.start();
      io.stderr(`pepperpy-opt cost monitor: listening on ${address.url} (OpenAI base URL ${address.url}/v1, Anthropic base URL ${address.url})\n`);
      const signal = await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
      void signal;
      // Stopped first: requests that finish while it drains (and refusals being written) are in the summary.
      await monitor.stop();
      const costs = monitor.getCurrentCosts();
      return { json: { address, costs: { ...costs, unknownCostRequests: costs.unknownCostRequests ?? 0 } }, text: costsText(costs) };
    },
  },
];

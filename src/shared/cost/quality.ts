/**
 * The model quality catalog behind `ModelSelector` and `CostOptimizer`: per-benchmark
 * scores with their source and date (data/model-quality.json), a map from tasks to the
 * benchmark that stands for them, and latencies that were measured or cited. The user's
 * own results (a JSON file in the same shape) replace the bundled figures they cover, and
 * latencies measured by the cost monitor's ledger replace cited ones.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { LatencyEvidence, LedgerEntry, QualityEvidence } from '../../protocol/cost';
import { TASKS_HINT } from '../../protocol/cost';
import { EngineError, errorMessage } from '../../protocol/errors';
import bundledQuality from './data/model-quality.json';
import bundledRetired from './data/retired-models.json';

const ScoreSchema = z.object({ value: z.number().finite(), source: z.string().min(1), date: z.string().min(4), row: z.string().optional(), note: z.string().optional() }).strict();
const LatencySchema = z.object({ avgMs: z.number().finite().positive(), samples: z.number().int().positive().optional(), source: z.string().min(1), date: z.string().min(4) }).strict();

export const QualityFileSchema = z
  .object({
    $comment: z.string().optional(),
    version: z.literal(1).optional(),
    /** True: use only this file, not the bundled figures. */
    replace: z.boolean().optional(),
    benchmarks: z.record(z.string(), z.object({ description: z.string().optional(), reference: z.string().optional(), scale: z.number().positive() }).strict()).optional(),
    /** `fallback`: benchmarks tried in order when the current model and a candidate have no `benchmark` score in common. */
    tasks: z.record(z.string(), z.object({ benchmark: z.string().min(1), rationale: z.string().min(1), fallback: z.array(z.string().min(1)).optional() }).strict()).optional(),
    latency: z.record(z.string(), LatencySchema).optional(),
    models: z.record(z.string(), z.object({ scores: z.record(z.string(), ScoreSchema) }).strict()).optional(),
  })
  .strict();
export type QualityFile = z.infer<typeof QualityFileSchema>;

export interface TaskBenchmark {
  task: string;
  benchmark: string;
  rationale: string;
}

/** Two models' scores on one benchmark: a comparison is only ever made on a benchmark both have. */
export interface PairedScores {
  benchmark: string;
  current: QualityEvidence;
  candidate: QualityEvidence;
  /** True when the task's own benchmark had no score in common and a fallback was used. */
  fallback: boolean;
}

export class QualityCatalog {
  private readonly benchmarks = new Map<string, { scale: number }>();
  private readonly tasks = new Map<string, TaskBenchmark>();
  private readonly fallbacks = new Map<string, string[]>();
  private readonly scores = new Map<string, Map<string, QualityEvidence>>();
  private readonly latencies = new Map<string, LatencyEvidence>();
  readonly sources: string[] = [];

  constructor(files: Array<{ data: QualityFile; origin: string }>) {
    for (const { data, origin } of files) {
      if (data.replace) {
        this.benchmarks.clear();
        this.tasks.clear();
        this.fallbacks.clear();
        this.scores.clear();
        this.latencies.clear();
        this.sources.length = 0;
      }
      this.sources.push(origin);
      for (const [name, b] of Object.entries(data.benchmarks ?? {})) this.benchmarks.set(name, { scale: b.scale });
      for (const [task, t] of Object.entries(data.tasks ?? {})) {
        this.tasks.set(task.toLowerCase(), { task: task.toLowerCase(), benchmark: t.benchmark, rationale: t.rationale });
        this.fallbacks.set(task.toLowerCase(), t.fallback ?? []);
      }
      for (const [model, l] of Object.entries(data.latency ?? {})) this.latencies.set(model.toLowerCase(), { ...l });
      for (const [model, entry] of Object.entries(data.models ?? {})) {
        const perModel = this.scores.get(model.toLowerCase()) ?? new Map<string, QualityEvidence>();
        for (const [benchmark, s] of Object.entries(entry.scores)) {
          const scale = this.benchmarks.get(benchmark)?.scale ?? (s.value > 1 ? 100 : 1);
          perModel.set(benchmark, { benchmark, value: s.value, score: s.value / scale, source: s.source, date: s.date, ...(s.note ? { note: s.note } : {}) });
        }
        this.scores.set(model.toLowerCase(), perModel);
      }
    }
  }

  /** The bundled catalog, overlaid with the user's file when one is given. */
  static load(userFile?: string): QualityCatalog {
    const files: Array<{ data: QualityFile; origin: string }> = [{ data: bundledQualityFile(), origin: 'bundled data/model-quality.json' }];
    if (userFile) files.push({ data: readQualityFile(userFile), origin: userFile });
    return new QualityCatalog(files);
  }

  taskBenchmark(task: string): TaskBenchmark {
    const found = this.tasks.get(task.toLowerCase().trim());
    if (!found) throw new EngineError('notFound', `No benchmark is mapped to the task "${task}". Known tasks: ${[...this.tasks.keys()].join(', ') || TASKS_HINT}.`, 'Use one of them, or map your task to a benchmark in your own results file (see docs/cost.md).');
    return found;
  }

  /** The benchmarks a task is judged on, in order: its own, then its fallbacks. */
  taskBenchmarks(task: string): string[] {
    const { benchmark, task: key } = this.taskBenchmark(task);
    return [benchmark, ...(this.fallbacks.get(key) ?? []).filter((b) => b !== benchmark)];
  }

  /**
   * The scores of `current` and `candidate` on the first of the task's benchmarks that both have
   * (the current model's score above 0), or undefined. Both numbers always come from the same
   * benchmark: a fallback is used only for a pair with no score in common on the task's own one.
   */
  paired(task: string, current: string, candidate: string): PairedScores | undefined {
    const order = this.taskBenchmarks(task);
    for (const benchmark of order) {
      const a = this.score(current, benchmark);
      const b = this.score(candidate, benchmark);
      if (a && b && a.score > 0) return { benchmark, current: a, candidate: b, fallback: benchmark !== order[0] };
    }
    return undefined;
  }

  hasTask(task: string): boolean {
    return this.tasks.has(task.toLowerCase().trim());
  }

  score(model: string, benchmark: string): QualityEvidence | undefined {
    return this.scores.get(model.toLowerCase())?.get(benchmark);
  }

  models(): string[] {
    return [...this.scores.keys()];
  }

  latency(model: string): LatencyEvidence | undefined {
    return this.latencies.get(model.toLowerCase());
  }

  /** Average latencies of successful requests in the monitor's ledger replace cited figures. */
  addMeasuredLatency(entries: LedgerEntry[], origin: string): void {
    const sums = new Map<string, { total: number; n: number; last: string }>();
    for (const e of entries) {
      if (e.status >= 400 || e.usageMissing || e.api === 'openai.embeddings') continue;
      const s = sums.get(e.model.toLowerCase()) ?? { total: 0, n: 0, last: e.ts };
      s.total += e.latencyMs;
      s.n++;
      if (e.ts > s.last) s.last = e.ts;
      sums.set(e.model.toLowerCase(), s);
    }
    for (const [model, s] of sums) this.latencies.set(model, { avgMs: s.total / s.n, samples: s.n, source: `measured by the cost monitor (${origin})`, date: s.last.slice(0, 10) });
  }
}

let bundledFile: QualityFile | undefined;

/**
 * The bundled data, validated once per process: the editor's hints load a catalog for each
 * document service. (Each `load` still builds its own catalog: `addMeasuredLatency` changes one.)
 */
function bundledQualityFile(): QualityFile {
  bundledFile ??= QualityFileSchema.parse(bundledQuality);
  return bundledFile;
}

/** Where a JSON value holds an own `__proto__` key (JSON.parse makes one from `"__proto__": …`), as a dotted path, or undefined. */
function protoKeyPath(value: unknown, at = ''): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (!Array.isArray(value) && Object.hasOwn(value, '__proto__')) return at ? `${at}.__proto__` : '__proto__';
  for (const [key, child] of Object.entries(value)) {
    const found = protoKeyPath(child, at ? `${at}.${key}` : key);
    if (found !== undefined) return found;
  }
  return undefined;
}

function readQualityFile(path: string): QualityFile {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new EngineError('notFound', `No such benchmark results file: ${path}.`, 'Check the path.');
    throw new EngineError('badRequest', `Cannot read benchmark results from ${path}: ${errorMessage(error)}.`);
  }
  // zod leaves a `__proto__` key out of the records it parses: such a model, task or benchmark would vanish without a word.
  const reserved = protoKeyPath(raw);
  if (reserved !== undefined) throw new EngineError('badRequest', `Benchmark results in ${path} use the name "__proto__" at ${reserved}: that name cannot be read (it is every object's prototype).`, 'Rename it (model, task and benchmark names are otherwise free).');
  const parsed = QualityFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new EngineError('badRequest', `Benchmark results in ${path} are not valid at ${issue.path.join('.') || 'root'}: ${issue.message}.`, 'See docs/cost.md for the file format.');
  }
  return parsed.data;
}

const RetiredEntrySchema = z
  .object({
    model: z.string().min(1),
    aliases: z.array(z.string().min(1)).optional(),
    provider: z.string().min(1),
    status: z.enum(['retired', 'deprecated']),
    /** When the provider announced the deprecation (YYYY-MM-DD). */
    deprecated: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
    /** The provider's shutdown date (YYYY-MM-DD), or null when the copies read did not give the day. */
    shutdownDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable(),
    replacement: z.string().optional(),
    source: z.url(),
    readFrom: z.url().optional(),
    note: z.string().optional(),
  })
  .strict();
export const RetiredFileSchema = z.object({ $comment: z.string().optional(), checked: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), models: z.array(RetiredEntrySchema) }).strict();
export type RetiredEntry = z.infer<typeof RetiredEntrySchema>;

/** data/retired-models.json, validated (on first use). */
let bundledRetiredFile: z.infer<typeof RetiredFileSchema> | undefined;

export interface LifecycleVerdict {
  /** `retired`: shut down by `at`; `deprecated`: shutdown announced (or flagged deprecated in the price data). */
  status: 'retired' | 'deprecated';
  /** One line for reasons and reports: who retired it, when, and the source. */
  reason: string;
  entry?: RetiredEntry;
}

/**
 * Which models are retired or deprecated: the sourced list in data/retired-models.json
 * (dated; a shutdown date in the past means retired) plus, when given, genai-prices'
 * own `deprecated` flag. Model recommendations skip every model this names.
 */
export class ModelLifecycle {
  private readonly byName = new Map<string, RetiredEntry>();
  readonly checked: string;

  constructor(data: unknown = bundledRetired, private readonly catalogDeprecated?: (model: string) => boolean) {
    // The bundled list is validated once per process, as the bundled quality file is (`bundledQualityFile`): a hint
    // service builds one per price catalog, and the optimizers one per call.
    const parsed = data === bundledRetired ? (bundledRetiredFile ??= RetiredFileSchema.parse(data)) : RetiredFileSchema.parse(data);
    this.checked = parsed.checked;
    for (const e of parsed.models) for (const name of [e.model, ...(e.aliases ?? [])]) this.byName.set(name.toLowerCase(), e);
  }

  /** The verdict for a model name (a `provider:` prefix is ignored), or undefined when it is current as far as the data says. */
  verdict(model: string, at: Date = new Date()): LifecycleVerdict | undefined {
    const name = model.trim().toLowerCase();
    const bare = /^[a-z0-9_-]+:(.+)$/.exec(name)?.[1] ?? name;
    const entry = this.byName.get(name) ?? this.byName.get(bare);
    if (entry) {
      const day = at.toISOString().slice(0, 10);
      const status = entry.shutdownDate === null ? entry.status : entry.shutdownDate <= day ? 'retired' : 'deprecated';
      const when = entry.shutdownDate === null ? 'shut down (date not given in the sources read)' : status === 'retired' ? `shut down on ${entry.shutdownDate}` : `shutdown announced for ${entry.shutdownDate}`;
      return { status, entry, reason: `${entry.model} is ${status} by ${entry.provider}: ${when} (${entry.source}; list checked ${this.checked})` };
    }
    if (this.catalogDeprecated?.(model)) return { status: 'deprecated', reason: `${model} is flagged deprecated in the @pydantic/genai-prices data` };
    return undefined;
  }

  entries(): RetiredEntry[] {
    return [...new Set(this.byName.values())];
  }
}

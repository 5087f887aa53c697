/**
 * The current setup of "PepperPy: Plan Cost Reduction" built from the prompts of the open
 * workspace (the models the editor's lens resolves, the input tokens it counts), in the
 * shape `cost/optimize` takes: one task per file and model (the prompts of one file that go
 * to one model: a group of call sites), or one per model when there are too many files for
 * an exact search over them. Output tokens, requests a day and the kind of work are not in
 * the code: the caller passes them (asked or defaulted) and says so.
 *
 * No `vscode` here, so that unit tests can run it.
 */

import { MAX_QUERIES_PER_DAY } from '../../protocol/cost';

/** One prompt the editor found: its file (relative to the workspace, `/`-separated), the lens's model and token count. */
export interface FoundPrompt {
  file: string;
  model: string;
  tokens: number;
  /** The prompt has runtime values, not counted: its real input is larger. */
  atLeast: boolean;
  /** The lens has no price for the model (a fine-tune's or in-house name): `cost/optimize` cannot plan it. */
  unpriced?: boolean;
}

export interface WorkspaceSetupOptions {
  /** Output tokens per request, for every task. */
  outputTokens: number;
  /** Requests a day each prompt is sent. */
  requestsPerDay: number;
  /** The kind of work of every task (a TASKS_HINT name): its benchmark decides the quality comparison. */
  kind: string;
  /** At most this many file-and-model tasks; above it, one task per model (default MAX_FILE_TASKS). */
  maxTasks?: number;
}

export interface WorkspaceSetup {
  setup: {
    models: Record<string, string>;
    avgUsage: Record<string, { queriesPerDay: number; avgInputTokens: number; avgOutputTokens: number }>;
    kinds: Record<string, string>;
  };
  prompts: number;
  files: number;
  /** Prompts whose count is a lower bound (runtime values). */
  atLeast: number;
  /** True when the tasks are one per model (more file-and-model groups than `maxTasks`). */
  byModel: boolean;
  /** Prompts left out because their model has no price, and those models (sorted); absent when none. */
  unpriced?: { prompts: number; models: string[] };
}

/**
 * The optimizer's search is exact (branch and bound over each task's candidates) and grows fast with the tasks
 * (`pepperpy-opt cost optimize`, khoj-ai/khoj ae229ca, 0.3 target): 9 tasks (khoj-ai/khoj/src/khoj/processor by file and model)
 * plan in 0.8 s, 22 (all of src/) in 8.6 s over 203,750,790 nodes, 95 (one per prompt) did not finish in 9 minutes.
 */
export const MAX_FILE_TASKS = 16;
/** Task names are 1 to 100 characters (CostOptimizeParamsSchema). */
const MAX_TASK_NAME = 100;

function taskName(file: string, model: string): string {
  const suffix = ` (${model})`;
  const room = MAX_TASK_NAME - suffix.length;
  if (room < 8) return `${file}${suffix}`.slice(0, MAX_TASK_NAME);
  return `${file.length > room ? `…${file.slice(file.length - room + 1)}` : file}${suffix}`;
}

/** Two decimals: the mean of a group's counts, close enough that the group's cost is its prompts' summed cost to the cent. */
function mean(sum: number, n: number): number {
  return Math.round((sum / n) * 100) / 100;
}

/** What `splicedPieces` reads of a prompt hint: its literal's range and its pieces' ranges (offsets). */
interface SpanHint {
  location: { range: { start: { offset: number }; end: { offset: number } } };
  pieces?: ReadonlyArray<{ range: { start: { offset: number }; end: { offset: number } } }>;
}

/**
 * The prompts of one file's hints that are pieces of another prompt of it (a module constant spliced into a composed
 * prompt, counted there in place): continue's CODEBLOCK_FORMATTING_INSTRUCTIONS is part of its three system messages, and
 * open-canvas's DEFAULT_CODE_PROMPT_RULES of its prompts. Planned on their own they were priced a second time, at the
 * requests a day of a prompt sent alone (newuser35). Returns their indexes in `prompts`.
 */
export function splicedPieces(prompts: readonly SpanHint[]): Set<number> {
  const spliced = new Set<number>();
  prompts.forEach((q, qi) => {
    for (const piece of q.pieces ?? []) {
      prompts.forEach((p, pi) => {
        if (pi !== qi && p.location.range.start.offset >= piece.range.start.offset && p.location.range.end.offset <= piece.range.end.offset) spliced.add(pi);
      });
    }
  });
  return spliced;
}

/** The groups renamed by `name`; a name given already gets " #2", " #3"… (cut to MAX_TASK_NAME before the number). */
function uniqueNames<G>(groups: Map<string, G>, name: (key: string) => string): Map<string, G> {
  const named = new Map<string, G>();
  for (const [key, g] of groups) {
    const base = name(key);
    let candidate = base;
    for (let i = 2; named.has(candidate); i++) {
      const suffix = ` #${i}`;
      candidate = `${base.slice(0, MAX_TASK_NAME - suffix.length)}${suffix}`;
    }
    named.set(candidate, g);
  }
  return named;
}

/**
 * The most requests a day per prompt the setup can take: a task's queries a day are its prompts × the requests, and
 * `cost/optimize` takes at most MAX_QUERIES_PER_DAY a task (above it the whole plan was refused, break35). The largest
 * group is the largest file-and-model group, or the largest model's when there are too many of those (`maxTasks`).
 */
export function maxRequestsPerDay(all: readonly FoundPrompt[], maxTasks = MAX_FILE_TASKS): number {
  const count = (key: (p: FoundPrompt) => string): Map<string, number> => {
    const counts = new Map<string, number>();
    for (const p of all) if (!p.unpriced) counts.set(key(p), (counts.get(key(p)) ?? 0) + 1);
    return counts;
  };
  const byFile = count((p) => `${p.file}\u0000${p.model}`);
  const groups = byFile.size > maxTasks ? count((p) => p.model) : byFile;
  const largest = Math.max(1, ...groups.values());
  return Math.floor(MAX_QUERIES_PER_DAY / largest);
}

/**
 * The setup for `prompts`, or undefined when none has a priced model. Tasks are in file, then model order. A prompt whose
 * model has no price is left out and counted (`unpriced`): one such prompt made `cost/optimize` refuse the whole setup.
 */
export function workspaceSetup(all: readonly FoundPrompt[], options: WorkspaceSetupOptions): WorkspaceSetup | undefined {
  const prompts = all.filter((p) => !p.unpriced);
  const unpriced = all.filter((p) => p.unpriced);
  if (prompts.length === 0) return undefined;
  const sorted = [...prompts].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.model < b.model ? -1 : a.model > b.model ? 1 : 0));
  const groupBy = (key: (p: FoundPrompt) => string): Map<string, { model: string; n: number; tokens: number; files: Set<string> }> => {
    const groups = new Map<string, { model: string; n: number; tokens: number; files: Set<string> }>();
    for (const p of sorted) {
      const k = key(p);
      const g = groups.get(k) ?? { model: p.model, n: 0, tokens: 0, files: new Set<string>() };
      g.n++;
      g.tokens += p.tokens;
      g.files.add(p.file);
      groups.set(k, g);
    }
    return groups;
  };
  // Grouped by the file and model themselves, then named: two files whose names end alike past the length limit are two
  // tasks (break35: `…/a/prompts.py` and `…/b/prompts.py` cut to one name were one task, their prompts summed).
  let groups = uniqueNames(groupBy((p) => `${p.file}\u0000${p.model}`), (key) => {
    const [file, model] = key.split('\u0000');
    return taskName(file, model);
  });
  const byModel = groups.size > (options.maxTasks ?? MAX_FILE_TASKS);
  if (byModel) {
    const perModel = groupBy((p) => p.model);
    groups = new Map([...perModel].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([model, g]) => [`${model} (${g.n} prompt${g.n === 1 ? '' : 's'} in ${g.files.size} file${g.files.size === 1 ? '' : 's'})`.slice(0, MAX_TASK_NAME), g]));
  }
  const setup: WorkspaceSetup['setup'] = { models: {}, avgUsage: {}, kinds: {} };
  for (const [task, g] of groups) {
    setup.models[task] = g.model;
    setup.avgUsage[task] = { queriesPerDay: g.n * options.requestsPerDay, avgInputTokens: mean(g.tokens, g.n), avgOutputTokens: options.outputTokens };
    setup.kinds[task] = options.kind;
  }
  return {
    setup,
    prompts: prompts.length,
    files: new Set(prompts.map((p) => p.file)).size,
    atLeast: prompts.filter((p) => p.atLeast).length,
    byModel,
    ...(unpriced.length > 0 ? { unpriced: { prompts: unpriced.length, models: [...new Set(unpriced.map((p) => p.model))].sort() } } : {}),
  };
}

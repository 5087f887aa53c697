/**
 * The seed's `CostOptimizer` (the Python PepperPy `optimization` module's plan to move tasks
 * to cheaper models within a quality loss). `optimize` chooses one model per task, exactly: a
 * branch-and-bound search over the tasks (candidates pruned to each task's Pareto front of
 * cost and quality loss) that returns the true optimum of
 *   - `leastQualityLoss`: the smallest token-weighted quality loss whose monthly cost meets
 *     the target reduction, every task within `maxQualityReduction`; or
 *   - `mostSavings`: the lowest monthly cost with every task within `maxQualityReduction`.
 * When the target cannot be met it says so, gives the best plan within the limit, and the
 * smallest per-task quality reduction that would meet the target.
 */
import type { z } from 'zod';
import {
  CostOptimizeParamsSchema,
  CostTaskKindSchema,
  CostTaskModelSchema,
  CostTaskUsageSchema,
  RecommendModelParamsSchema,
  TASKS_HINT,
  type CostOptimizeParams,
  type ModelRecommendation,
  type OptimizationPlan,
  type PriceSource,
  type RecommendModelParams,
  type TaskRecommendation,
} from '../../protocol/cost';
import { EngineError } from '../../protocol/errors';
import { sharedPriceCatalog, type PriceCatalog } from '../../shared/cost/pricing';
import { ModelLifecycle, type PairedScores, type QualityCatalog } from '../../shared/cost/quality';
import { pricedAsNote } from '../../shared/cost/sameModel';
import { blendedPer1k, DEFAULT_INPUT_SHARE, loadQuality } from './selector';
import { validate } from './validate';

const EPSILON = 1e-9;

/** One choice for one task in the search. */
export interface Choice {
  /** What is minimized first. */
  primary: number;
  /** Tie-break, minimized second. */
  secondary: number;
  /** What is summed against the budget. */
  weight: number;
}

/**
 * Exact minimum of Σ primary (ties: Σ secondary) choosing one item per group with
 * Σ weight ≤ budget. Depth-first branch and bound with lower bounds from each remaining
 * group's minimum; returns the chosen index per group, or undefined when nothing fits.
 */
export function branchAndBound(groups: Choice[][], budget: number): { picks: number[]; nodes: number } | undefined {
  const n = groups.length;
  const minPrimary = new Array<number>(n + 1).fill(0);
  const minWeight = new Array<number>(n + 1).fill(0);
  // Stryker disable next-line EqualityOperator: the bounds at i = 0 only prune the root on weight, and a root that fails that bound has no leaf within budget either, so the result (undefined) is the same
  for (let i = n - 1; i >= 0; i--) {
    minPrimary[i] = minPrimary[i + 1] + Math.min(...groups[i].map((c) => c.primary));
    minWeight[i] = minWeight[i + 1] + Math.min(...groups[i].map((c) => c.weight));
  }
  // Within a group, visit the best primary first so a good incumbent is found early.
  const orders = groups.map((g) => g.map((_, i) => i).sort((a, b) => g[a].primary - g[b].primary || g[a].secondary - g[b].secondary));
  let best: { primary: number; secondary: number; picks: number[] } | undefined;
  // Stryker disable next-line ArrayDeclaration: every index is assigned before a leaf copies the array
  const picks = new Array<number>(n).fill(0);
  let nodes = 0;
  const visit = (i: number, primary: number, secondary: number, weight: number): void => {
    nodes++;
    // Stryker disable next-line EqualityOperator: > and >= differ only when a sum is exactly budget + 1e-9
    if (weight + minWeight[i] > budget + EPSILON) return;
    // Stryker disable next-line EqualityOperator: > and >= differ only when a sum is exactly best + 1e-9
    if (best && primary + minPrimary[i] > best.primary + EPSILON) return;
    if (i === n) {
      if (
        !best ||
        // Stryker disable next-line EqualityOperator: < and <= differ only at exactly best - 1e-9
        primary < best.primary - EPSILON ||
        // Stryker disable next-line ConditionalExpression,EqualityOperator: the bound above already returned for primary > best + EPSILON, and primary < best - EPSILON was taken on the line before, so |primary - best| <= EPSILON always holds here
        (Math.abs(primary - best.primary) <= EPSILON &&
          // Stryker disable next-line EqualityOperator: < and <= differ only at exactly best - 1e-9
          secondary < best.secondary - EPSILON)
      ) {
        best = { primary, secondary, picks: [...picks] };
      }
      return;
    }
    for (const c of orders[i]) {
      const choice = groups[i][c];
      picks[i] = c;
      visit(i + 1, primary + choice.primary, secondary + choice.secondary, weight + choice.weight);
    }
  };
  visit(0, 0, 0, 0);
  return best ? { picks: best.picks, nodes } : undefined;
}

/** Keeps the candidates no other candidate beats on both cost and loss (ties keep the first). */
function paretoFront<T extends { cost: number; loss: number }>(items: T[]): T[] {
  const sorted = [...items].sort((a, b) => a.cost - b.cost || a.loss - b.loss);
  const front: T[] = [];
  let bestLoss = Infinity;
  for (const item of sorted) {
    // Stryker disable next-line EqualityOperator: < and <= differ only at exactly bestLoss - 1e-9
    if (item.loss < bestLoss - EPSILON) {
      front.push(item);
      bestLoss = item.loss;
    }
  }
  return front;
}

interface Candidate {
  model: string;
  cost: number;
  /** Relative quality loss, 0 when the candidate is as good or better. */
  loss: number;
  /** Relative change in percent (positive: better). */
  impact: number;
  /** The task's fallback benchmark the candidate was compared on, when the task's own has no score for both. */
  fallback?: string;
}

interface TaskContext {
  task: string;
  current: string;
  currentCost: number;
  benchmark: string;
  /** Share of all tokens that go to this task. */
  volumeShare: number;
  /** Every priced candidate with a score (before the quality limit), the current model included. */
  all: Candidate[];
  note?: string;
}

/**
 * A record of the parameters as a Map of task name → value, in the order given. Task names
 * are the user's: `toString` or `constructor` must not be found on Object.prototype, and
 * `__proto__`, which zod leaves out of the records it parses (so that it cannot change a
 * prototype), is taken from the raw input and checked on its own, like any other task.
 */
function taskMap<T>(parsed: Record<string, T>, raw: unknown, schema: z.ZodType<T>, what: string): Map<string, T> {
  const map = new Map<string, T>();
  const source = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const keys = [...Object.keys(source), ...Object.keys(parsed).filter((k) => !Object.hasOwn(source, k))];
  for (const key of keys) {
    if (Object.hasOwn(parsed, key)) map.set(key, parsed[key]);
    else if (key === '__proto__') map.set(key, validate(schema, source[key], `${what}.__proto__`));
  }
  return map;
}

function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export class CostOptimizer {
  /** `lifecycle` and `now` decide which models are retired or deprecated (default: the bundled list and genai-prices' flag, today). */
  constructor(private readonly deps: { prices?: PriceCatalog; quality?: QualityCatalog; lifecycle?: ModelLifecycle; now?: Date } = {}) {}

  async optimize(raw: CostOptimizeParams): Promise<OptimizationPlan> {
    const params = validate(CostOptimizeParamsSchema, raw, 'CostOptimizer.optimize');
    const prices = this.deps.prices ?? (await sharedPriceCatalog());
    const quality = this.deps.quality ?? (await loadQuality(params));
    const inputShare = params.inputShare ?? DEFAULT_INPUT_SHARE;
    const days = params.daysPerMonth ?? 30;
    const objective = params.objective ?? (params.targetCostReduction > 0 ? 'leastQualityLoss' : 'mostSavings');
    const sources = new Map<string, PriceSource>();
    // Models priced as another catalog entry (a made-up or fine-tuned name in the setup): the plan says so per task.
    const pricedAs = new Map<string, string>();

    const rawSetup = (raw as { currentSetup?: { models?: unknown; avgUsage?: unknown; kinds?: unknown } } | undefined)?.currentSetup;
    const models = taskMap(params.currentSetup.models, rawSetup?.models, CostTaskModelSchema, 'CostOptimizer.optimize currentSetup.models');
    const avgUsage = taskMap(params.currentSetup.avgUsage, rawSetup?.avgUsage, CostTaskUsageSchema, 'CostOptimizer.optimize currentSetup.avgUsage');
    const tasks = [...models.keys()];
    if (tasks.length === 0) throw new EngineError('badRequest', 'currentSetup.models is empty: give at least one task and its model.');
    const missingUsage = tasks.filter((t) => !avgUsage.has(t));
    if (missingUsage.length > 0) throw new EngineError('badRequest', `No avgUsage for task(s) ${missingUsage.join(', ')}.`, 'Give queriesPerDay and avgTokens (or avgInputTokens and avgOutputTokens) for every task.');
    const extraUsage = [...avgUsage.keys()].filter((t) => !models.has(t));
    if (extraUsage.length > 0) throw new EngineError('badRequest', `avgUsage names task(s) without a model: ${extraUsage.join(', ')}.`);
    const kinds = taskMap(params.currentSetup.kinds ?? {}, rawSetup?.kinds, CostTaskKindSchema, 'CostOptimizer.optimize currentSetup.kinds');
    const extraKinds = [...kinds.keys()].filter((t) => !models.has(t));
    if (extraKinds.length > 0) throw new EngineError('badRequest', `kinds names task(s) without a model: ${extraKinds.join(', ')}.`);
    const unknownKinds = [...new Set(kinds.values())].filter((k) => !quality.hasTask(k));
    if (unknownKinds.length > 0) throw new EngineError('badRequest', `Unknown task kind(s) in kinds: ${unknownKinds.join(', ')}.`, `Use one of ${TASKS_HINT}, or map your kind to a benchmark in your own results file (see docs/cost.md).`);
    /** The name a task's benchmark is looked up by: its kind, else its own name. */
    const kindOf = (task: string): string => kinds.get(task) ?? task;

    // Retired and deprecated models are never recommended, in a plan as in recommendModel and the selector (newuser32: the
    // plan offered o4-mini, shut down on 2026-10-23, that Select Model for a Task had just called retired).
    const lifecycle = this.deps.lifecycle ?? new ModelLifecycle(undefined, (m) => prices.isDeprecated(m));
    const now = this.deps.now ?? new Date();
    const priced = (params.candidates ?? quality.models()).filter((m) => prices.has(m));
    const candidateNames = priced.filter((m) => !lifecycle.verdict(m, now));
    const retiredCount = priced.length - candidateNames.length;
    const usageOf = (task: string) => avgUsage.get(task)!;
    const monthly = (model: string, task: string): number => {
      const u = usageOf(task);
      const input = u.avgInputTokens ?? (u.avgTokens ?? 0) * inputShare;
      const output = u.avgOutputTokens ?? (u.avgTokens ?? 0) * (1 - inputShare);
      const priced = prices.cost(model, { inputTokens: input, outputTokens: output });
      sources.set(`${priced.price.source.name}|${priced.price.source.date}`, priced.price.source);
      if (priced.price.pricedAs) pricedAs.set(model, priced.price.pricedAs);
      return priced.totalCost * u.queriesPerDay * days;
    };
    const volume = (task: string): number => {
      const u = usageOf(task);
      return u.queriesPerDay * (u.avgTokens ?? (u.avgInputTokens ?? 0) + (u.avgOutputTokens ?? 0));
    };
    const totalVolume = tasks.reduce((s, t) => s + volume(t), 0);

    const contexts: TaskContext[] = tasks.map((task) => {
      const current = models.get(task)!;
      const currentCost = monthly(current, task); // throws "no price for X" with suggestions
      // Stryker disable next-line ArithmeticOperator: with no token volume every cost is 0, so each front holds only the current model (impact 0) and the share multiplies nothing but 0
      const base = { task, current, currentCost, volumeShare: totalVolume > 0 ? volume(task) / totalVolume : 1 / tasks.length };
      const keep = (note: string): TaskContext => ({ ...base, benchmark: 'n/a', all: [{ model: current, cost: currentCost, loss: 0, impact: 0 }], note });
      const kind = kindOf(task);
      if (!quality.hasTask(kind)) return keep(`no benchmark is mapped to "${task}", so quality cannot be compared: kept`);
      // The task's benchmark first, then its fallbacks, as recommendModel: each candidate is compared with the current
      // model on the first of them both have a score for, never across two (a plan for gpt-4o found no current model:
      // the GPT-5.4 family has GPQA scores only, the summarization fallback).
      const benchmarks = quality.taskBenchmarks(kind);
      const benchmark = benchmarks[0];
      if (!benchmarks.some((b) => (quality.score(current, b)?.score ?? 0) > 0)) return { ...keep(`no published ${benchmarks.join(' or ')} score for ${current}, so quality loss cannot be judged: kept`), benchmark };
      const all: Candidate[] = [{ model: current, cost: currentCost, loss: 0, impact: 0 }];
      for (const model of candidateNames) {
        // Stryker disable next-line ConditionalExpression,MethodExpression: the current model listed again has its cost and loss 0, so the Pareto front drops it behind the current entry
        if (model.toLowerCase() === current.toLowerCase()) continue;
        const pair = quality.paired(kind, current, model);
        if (!pair) continue;
        const q0 = pair.current.score;
        const q = pair.candidate.score;
        all.push({ model, cost: monthly(model, task), loss: Math.max(0, (q0 - q) / q0), impact: ((q - q0) / q0) * 100, ...(pair.fallback ? { fallback: pair.benchmark } : {}) });
      }
      return { ...base, benchmark, all };
    });

    const currentTotal = contexts.reduce((s, c) => s + c.currentCost, 0);
    const budget = currentTotal * (1 - params.targetCostReduction);

    const solve = (maxLoss: number, mode: 'leastQualityLoss' | 'mostSavings') => {
      // Stryker disable next-line EqualityOperator: <= and < differ only at exactly maxLoss + 1e-9
      const fronts = contexts.map((c) => paretoFront(c.all.filter((x) => x.loss <= maxLoss + EPSILON)));
      const groups = fronts.map((front, i) =>
        front.map((x): Choice => {
          const weightedLoss = x.loss * contexts[i].volumeShare;
          return mode === 'leastQualityLoss' ? { primary: weightedLoss, secondary: x.cost, weight: x.cost } : { primary: x.cost, secondary: weightedLoss, weight: 0 };
        }),
      );
      // Stryker disable next-line ConditionalExpression: in mostSavings every weight is 0 and the budget is never negative, so any budget admits every plan
      const result = branchAndBound(groups, mode === 'leastQualityLoss' ? budget : Infinity);
      return result ? { fronts, ...result } : undefined;
    };

    let solution = solve(params.maxQualityReduction, objective);
    // Stryker disable next-line BooleanLiteral: assigned on every path below before it is read
    let targetMet = true;
    let fellBack = false;
    if (!solution) {
      // The target cannot be met within the quality limit: save as much as the limit allows instead.
      targetMet = false;
      fellBack = true;
      // Stryker disable next-line StringLiteral: solve treats every mode but leastQualityLoss as mostSavings
      solution = solve(params.maxQualityReduction, 'mostSavings');
    }
    // Stryker disable next-line all: unreachable; mostSavings weighs nothing, so keeping the current models always fits
    if (!solution) throw new EngineError('internal', 'The optimizer found no plan although keeping the current models is always one.');
    const chosen = solution.fronts.map((front, i) => front[solution.picks[i]]);
    const optimizedTotal = chosen.reduce((s, c) => s + c.cost, 0);
    const savings = currentTotal - optimizedTotal;
    const savingsPercent = currentTotal > 0 ? (savings / currentTotal) * 100 : 0;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: after the fallback no plan fits the budget, so the comparison is false as well; <= and < differ only at exactly budget + 1e-9
    if (!fellBack) targetMet = optimizedTotal <= budget + EPSILON;

    let qualityReductionNeededForTarget: number | null | undefined;
    if (!targetMet) {
      // The smallest per-task limit that would reach the target: try each distinct loss level in order.
      const distinct = [...new Set(contexts.flatMap((c) => c.all.map((x) => x.loss)))];
      // Stryker disable next-line MethodExpression,ConditionalExpression,EqualityOperator: levels at or under the limit cannot reach the target either (it was not met there), so leaving them in changes nothing
      const above = distinct.filter((l) => l > params.maxQualityReduction);
      const levels = above.sort((a, b) => a - b);
      qualityReductionNeededForTarget = null;
      for (const level of levels) {
        // Stryker disable next-line EqualityOperator: <= and < differ only at exactly level + 1e-9
        const cheapest = contexts.reduce((s, c) => s + Math.min(...c.all.filter((x) => x.loss <= level + EPSILON).map((x) => x.cost)), 0);
        // Stryker disable next-line EqualityOperator,ArithmeticOperator: the bound's tolerance; a total within 1e-9 of the budget does not occur
        if (cheapest <= budget + EPSILON) {
          // Rounded up, so the figure shown is always enough; float noise below 1e-10 (0.25000000000000006
          // for a 25 % loss) does not add a step, and stays within the EPSILON the limit is applied with.
          qualityReductionNeededForTarget = Math.ceil(level * 1e4 - 1e-6) / 1e4;
          break;
        }
      }
    }

    // Keyed by task names (any string): built as a Map, returned as own properties.
    const recommendationMap = new Map<string, TaskRecommendation>();
    contexts.forEach((c, i) => {
      const pick = chosen[i];
      const changed = pick.model !== c.current;
      // A kept model that is shut down fails every call: the plan says so rather than "keep" it silently (newuser40: kotaemon's
      // gpt-3.5-turbo, "keep $0", while the editor warned that calls to it fail).
      const shutDown = changed ? undefined : lifecycle.verdict(c.current, now);
      const warning = shutDown?.status === 'retired' ? ` Warning: ${shutDown.reason}, so calls to it fail: replace it (Select Model for a Task lists current models).` : '';
      recommendationMap.set(c.task, {
        currentModel: c.current,
        recommendedModel: pick.model,
        ...(pricedAs.has(c.current) ? { currentPricedAs: pricedAs.get(c.current) } : {}),
        ...(pricedAs.has(pick.model) && changed ? { recommendedPricedAs: pricedAs.get(pick.model) } : {}),
        monthlySavings: round(c.currentCost - pick.cost, 2),
        currentMonthlyCost: round(c.currentCost, 2),
        recommendedMonthlyCost: round(pick.cost, 2),
        qualityImpact: round(pick.impact, 2),
        benchmark: changed && pick.fallback ? pick.fallback : c.benchmark,
        reason:
          (c.note ??
          (changed
            ? `${pick.model} scores ${pick.impact >= 0 ? '+' : ''}${round(pick.impact, 1)} % on ${pick.fallback ?? c.benchmark} relative to ${c.current} and costs ${round(((c.currentCost - pick.cost) / c.currentCost) * 100, 1)} % less${pick.fallback ? ` (${pick.fallback} is the ${kindOf(c.task)} fallback: no ${c.benchmark} score for both)` : ''}`
            : `no cheaper model within ${round(params.maxQualityReduction * 100, 1)} % of ${c.current}'s ${c.benchmark} score is needed or available`)) + warning,
      });
    });
    const recommendations = Object.fromEntries(recommendationMap) as Record<string, TaskRecommendation>;
    const weightedQualityImpact = contexts.reduce((s, c, i) => s + chosen[i].impact * c.volumeShare, 0);
    const target = round(params.targetCostReduction * 100, 1);
    // A setup that costs nothing (no requests, free models) meets any target trivially: say so, not "0 % saved (target 30 %)".
    const summary = currentTotal <= 0
      ? 'Nothing to save: the current setup costs $0 a month (no requests, or only free models).'
      : targetMet
      ? `Target met: ${round(savingsPercent, 1)} % saved (target ${target} %), every task within ${round(params.maxQualityReduction * 100, 1)} % of its current quality.`
      : `Target not met: at most ${round(savingsPercent, 1)} % can be saved with every task within ${round(params.maxQualityReduction * 100, 1)} % of its current quality (target ${target} %). ${qualityReductionNeededForTarget === null ? 'No choice of the catalog models reaches the target at any quality loss.' : `Reaching it needs a quality reduction of up to ${round((qualityReductionNeededForTarget ?? 0) * 100, 1)} % per task.`}${retiredCount > 0 ? ` ${retiredCount} retired or deprecated model(s) of the quality data are left out (list checked ${lifecycle.checked}).` : ''}`;

    return {
      estimatedSavingsPercent: round(savingsPercent, 2),
      estimatedMonthlySavings: round(savings, 2),
      currentMonthlyCost: round(currentTotal, 2),
      optimizedMonthlyCost: round(optimizedTotal, 2),
      targetCostReduction: params.targetCostReduction,
      targetMet,
      summary,
      ...(qualityReductionNeededForTarget !== undefined ? { qualityReductionNeededForTarget } : {}),
      objective: fellBack ? 'mostSavings' : objective,
      weightedQualityImpact: round(weightedQualityImpact, 2),
      recommendations,
      method: { name: 'branch and bound over Pareto-pruned candidates per task', exact: true, nodesVisited: solution.nodes, candidatesPerTask: Object.fromEntries(contexts.map((c, i) => [c.task, solution.fronts[i].length])) },
      priceSources: [...sources.values()],
    };
  }

  /** The seed's `recommend_model` (the Python module's replacement for one model): the cheapest model keeping `qualityThreshold` of the current model's score. */
  async recommendModel(raw: RecommendModelParams): Promise<ModelRecommendation> {
    const params = validate(RecommendModelParamsSchema, raw, 'CostOptimizer.recommendModel');
    const prices = this.deps.prices ?? (await sharedPriceCatalog());
    const quality = this.deps.quality ?? (await loadQuality(params));
    const inputShare = params.inputShare ?? DEFAULT_INPUT_SHARE;
    // The task's benchmark first, then its fallbacks: each candidate is compared with the current
    // model on the first of them both have a score for, never across two benchmarks.
    const benchmarks = quality.taskBenchmarks(params.task);
    const benchmark = benchmarks[0];
    const currentPrice = prices.lookup(params.currentModel);
    const currentCost = blendedPer1k(currentPrice, inputShare);
    const currentQuality = benchmarks.map((b) => quality.score(params.currentModel, b)).find((q) => q !== undefined);
    if (!currentQuality) {
      throw new EngineError('notFound', `No published ${benchmarks.join(' or ')} score for ${params.currentModel}, so quality cannot be compared for ${params.task}.`, 'Add your own benchmark results for it (docs/cost.md).');
    }
    const currentLatency = quality.latency(params.currentModel);
    const notes: string[] = [`Costs compared at ${Math.round(inputShare * 100)} % input tokens.`];
    if (currentPrice.pricedAs) notes.push(`${params.currentModel}'s price: ${pricedAsNote(params.currentModel, currentPrice.pricedAs)}.`);
    const lifecycle = this.deps.lifecycle ?? new ModelLifecycle(undefined, (m) => prices.isDeprecated(m));
    const now = this.deps.now ?? new Date();
    const currentVerdict = lifecycle.verdict(params.currentModel, now);
    // Retired and deprecated models are never recommended; the evidence's quality entries carry their own dates.
    if (currentVerdict) notes.push(`${currentVerdict.reason}.`);
    let best: { model: string; cost: number; pricedAs?: string; pair: PairedScores; ratio: number; latency: ReturnType<QualityCatalog['latency']> } | undefined;
    for (const model of quality.models()) {
      // Stryker disable next-line ConditionalExpression,MethodExpression: the current model costs exactly currentCost, so the "only cheaper" filter below drops it anyway
      if (model.toLowerCase() === params.currentModel.toLowerCase()) continue;
      if (!prices.has(model)) continue;
      if (lifecycle.verdict(model, now)) continue;
      const pair = quality.paired(params.task, params.currentModel, model);
      if (!pair || pair.candidate.score < params.qualityThreshold * pair.current.score) continue;
      const latency = quality.latency(model);
      // Stryker disable next-line ConditionalExpression: without a limit, latency.avgMs > undefined is false anyway
      if (params.maxLatencyMs !== undefined && latency && latency.avgMs > params.maxLatencyMs) continue;
      const price = prices.lookup(model);
      const cost = blendedPer1k(price, inputShare);
      if (cost >= currentCost) continue;
      // Ties on price go to the larger share of the current model's score (each on its own pair's benchmark).
      const ratio = pair.candidate.score / pair.current.score;
      if (!best || cost < best.cost || (cost === best.cost && ratio > best.ratio)) best = { model, cost, ...(price.pricedAs ? { pricedAs: price.pricedAs } : {}), pair, ratio, latency };
    }
    const named = benchmarks.length > 1 ? `${benchmark} (or, failing a common score, ${benchmarks.slice(1).join(' then ')})` : benchmark;
    if (!best && currentVerdict) {
      throw new EngineError(
        'notFound',
        `No current model to recommend for ${params.task}: ${currentVerdict.reason}, and no current (not retired or deprecated) model in the quality data is cheaper and keeps ${round(params.qualityThreshold * 100, 1)} % of its ${named} score${params.maxLatencyMs !== undefined ? ` within ${params.maxLatencyMs} ms` : ''}.`,
        'Add benchmark results for current models (docs/cost.md), or choose a current model yourself.',
      );
    }
    if (!best) {
      return {
        model: params.currentModel,
        currentModel: params.currentModel,
        costReductionPercent: 0,
        qualityImpact: 0,
        latencyImpact: 0,
        reason: `No cheaper model keeps ${round(params.qualityThreshold * 100, 1)} % of ${params.currentModel}'s ${named} score${params.maxLatencyMs !== undefined ? ` within ${params.maxLatencyMs} ms` : ''}: keep it.`,
        evidence: { benchmark: currentQuality.benchmark, current: currentQuality, recommended: currentQuality, notes },
      };
    }
    const used = best.pair.benchmark;
    if (best.pricedAs) notes.push(`${best.model}'s price: ${pricedAsNote(best.model, best.pricedAs)}.`);
    if (best.pair.fallback) notes.push(`${benchmark}, the benchmark for ${params.task}, has no score for both ${params.currentModel} and ${best.model}: they are compared on ${used}, the task's fallback, with both scores from ${used}.`);
    if (params.maxLatencyMs !== undefined && !best.latency) notes.push(`Latency of ${best.model} is unknown (no measured or cited figure): not checked against ${params.maxLatencyMs} ms.`);
    const latencyImpact = best.latency && currentLatency ? round(((best.latency.avgMs - currentLatency.avgMs) / currentLatency.avgMs) * 100, 2) : null;
    if (latencyImpact === null) notes.push('Latency impact is unknown: measure both models through the cost monitor and pass its ledger.');
    const qualityImpact = round(((best.pair.candidate.score - best.pair.current.score) / best.pair.current.score) * 100, 2);
    return {
      model: best.model,
      currentModel: params.currentModel,
      costReductionPercent: round(((currentCost - best.cost) / currentCost) * 100, 2),
      qualityImpact,
      latencyImpact,
      reason: `${best.model} keeps ${round((best.pair.candidate.score / best.pair.current.score) * 100, 1)} % of ${params.currentModel}'s ${used} score at ${round((best.cost / currentCost) * 100, 1)} % of its price${best.pair.fallback ? ` (${used} is the ${params.task} fallback: no ${benchmark} score for both)` : ''}.`,
      evidence: { benchmark: used, current: best.pair.current, recommended: best.pair.candidate, notes },
    };
  }
}

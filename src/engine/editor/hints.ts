/**
 * Computes what the editor shows for the prompts of one document. Pure: no `vscode`, no
 * I/O beyond the price catalog it is given. Work per prompt (tokens, prices, analysis) is
 * cached by the prompt's text and model, so after a one-line edit only the scanner runs
 * again and the prompts that did not change come from the cache.
 */
import type { PromptLocation, TextRange } from '../../protocol/scan';
import type { CallCost, ContextWindowShare, ModelHint, PlacedSuggestion, PromptHint, PromptHintsResult } from '../../protocol/hints';
import type { OptimizationSuggestion } from '../../protocol/prompt';
import { EngineError } from '../../protocol/errors';
import type { PriceCatalog } from '../cost/pricing';
import { QualityCatalog } from '../cost/quality';
import { PromptAnalyzer } from '../prompt/analyzer';
import { findPrompts, sourceOffsetOf } from '../prompt/scanner';
import { sharedTokenizer } from '../prompt/tokenizer';
import { contextWindowOf } from './contextWindows';

export interface HintInputs {
  text: string;
  languageId: string;
  fileName?: string;
  defaultModel: string;
  compareModels: string[];
  callsPerDay: number;
  withSuggestions: boolean;
}

/** A small LRU keyed by strings. */
class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly capacity: number) {}
  get(key: string): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }
  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as string);
  }
}

/** Offsets → line/character, for placing suggestions. */
class LineIndex {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }
  position(offset: number): { offset: number; line: number; character: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { offset, line: lo, character: offset - this.starts[lo] };
  }
}

export class PromptHintService {
  private readonly costCache = new Lru<CallCost>(5_000);
  private readonly suggestionCache = new Lru<OptimizationSuggestion[]>(2_000);
  private readonly analyzer = new PromptAnalyzer();
  private quality: QualityCatalog | undefined;

  constructor(private readonly catalog: () => Promise<PriceCatalog>) {}

  async compute(input: HintInputs): Promise<PromptHintsResult> {
    const started = performance.now();
    const catalog = await this.catalog();
    const locations = findPrompts(input.text, input.languageId, input.fileName !== undefined ? { fileName: input.fileName } : {});
    const index = new LineIndex(input.text);
    let cachedPrompts = 0;
    const prompts: PromptHint[] = locations.map((location, i) => {
      const model = location.model?.name ?? input.defaultModel;
      const hit = this.costCache.get(`${model}\u0000${location.text}`) !== undefined;
      if (hit) cachedPrompts++;
      const cost = this.callCost(catalog, model, location.text);
      const compare = input.compareModels.filter((m) => m !== model).map((m) => this.callCost(catalog, m, location.text));
      const window = contextWindowOf(model);
      const contextWindow: ContextWindowShare | undefined = window ? { contextWindow: window.tokens, share: cost.tokens.count / window.tokens, source: window.source } : undefined;
      return {
        index: i,
        location,
        model,
        modelSource: location.model ? 'call' : 'default',
        cost,
        compare,
        ...(contextWindow ? { contextWindow } : {}),
        ...(cost.inputCostUsd !== undefined ? { monthlyCostUsd: cost.inputCostUsd * input.callsPerDay * 30 } : {}),
        suggestions: input.withSuggestions ? this.placeSuggestions(location, model, index) : [],
      };
    });
    const models = this.modelHints(catalog, locations);
    return { prompts, models, elapsedMs: performance.now() - started, cachedPrompts };
  }

  private callCost(catalog: PriceCatalog, model: string, text: string): CallCost {
    const key = `${model}\u0000${text}`;
    const cached = this.costCache.get(key);
    if (cached) return cached;
    const tokens = sharedTokenizer().count(text, model);
    let result: CallCost;
    try {
      const cost = catalog.cost(model, { inputTokens: tokens.count, outputTokens: 0 });
      result = { model, tokens, inputCostUsd: cost.inputCost, inputPerMTok: cost.price.inputPerMTok, outputPerMTok: cost.price.outputPerMTok, source: cost.price.source };
    } catch (error) {
      result = { model, tokens, error: error instanceof EngineError ? error.message : String(error) };
    }
    this.costCache.set(key, result);
    return result;
  }

  private placeSuggestions(location: PromptLocation, model: string, index: LineIndex): PlacedSuggestion[] {
    const key = `${model}\u0000${location.text}`;
    let suggestions = this.suggestionCache.get(key);
    if (!suggestions) {
      suggestions = this.analyzer.analyze(location.text, { model }).optimizationSuggestions;
      this.suggestionCache.set(key, suggestions);
    }
    return suggestions.map((s) => {
      if (!s.range) return { ...s };
      const start = sourceOffsetOf(location, s.range.start);
      // The end maps through the last character of the range, so an escape at the end stays inside.
      const end = s.range.end > s.range.start ? sourceOffsetOf(location, s.range.end - 1) + 1 : start;
      const documentRange: TextRange = { start: index.position(start), end: index.position(Math.max(start, end)) };
      return { ...s, documentRange };
    });
  }

  /**
   * Models that cost less per token and score within `SIMILAR_POINTS` of the model on the
   * general-knowledge benchmark of the bundled quality data (MMLU, from simple-evals).
   * Without a published score for the model there is no comparison, and none is shown.
   */
  private cheaperAlternatives(catalog: PriceCatalog, model: string, price: { inputPerMTok: number; outputPerMTok: number }): ModelHint['cheaperAlternatives'] {
    const SIMILAR_POINTS = 3;
    this.quality ??= QualityCatalog.load();
    const benchmark = 'MMLU';
    const own = this.quality.score(model, benchmark) ?? this.quality.score(catalog.lookup(model).matchedModel, benchmark);
    if (!own) return [];
    const blended = (p: { inputPerMTok: number; outputPerMTok: number }) => 0.75 * p.inputPerMTok + 0.25 * p.outputPerMTok;
    const alternatives: Array<ModelHint['cheaperAlternatives'][number] & { blended: number }> = [];
    for (const candidate of this.quality.models()) {
      const score = this.quality.score(candidate, benchmark);
      if (!score || score.value < own.value - SIMILAR_POINTS || candidate.toLowerCase() === model.toLowerCase()) continue;
      let candidatePrice;
      try {
        candidatePrice = catalog.lookup(candidate);
      } catch {
        continue;
      }
      if (blended(candidatePrice) >= blended(price) * 0.95) continue;
      alternatives.push({
        model: candidate,
        inputPerMTok: candidatePrice.inputPerMTok,
        outputPerMTok: candidatePrice.outputPerMTok,
        qualityNote: `${benchmark} ${score.value} vs ${own.value} ([source](${score.source}), ${score.date})`,
        blended: blended(candidatePrice),
      });
    }
    return alternatives
      .sort((a, b) => a.blended - b.blended)
      .slice(0, 3)
      .map(({ blended: _b, ...rest }) => rest);
  }

  private modelHints(catalog: PriceCatalog, locations: PromptLocation[]): ModelHint[] {
    const seen = new Set<number>();
    const hints: ModelHint[] = [];
    for (const location of locations) {
      const ref = location.model;
      if (!ref || seen.has(ref.range.start.offset)) continue;
      seen.add(ref.range.start.offset);
      const hint: ModelHint = { name: ref.name, range: ref.range, cheaperAlternatives: [] };
      try {
        const price = catalog.lookup(ref.name);
        hint.price = { inputPerMTok: price.inputPerMTok, outputPerMTok: price.outputPerMTok, ...(price.cachedInputPerMTok !== undefined ? { cachedInputPerMTok: price.cachedInputPerMTok } : {}), source: price.source };
      } catch (error) {
        hint.priceError = error instanceof Error ? error.message : String(error);
      }
      const window = contextWindowOf(ref.name);
      if (window) hint.contextWindow = window;
      if (hint.price) hint.cheaperAlternatives = this.cheaperAlternatives(catalog, ref.name, hint.price);
      hints.push(hint);
    }
    return hints;
  }
}

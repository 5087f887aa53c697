/**
 * Computes what the editor shows for the prompts of one document. Pure: no `vscode`, no
 * I/O beyond the price catalog it is given. Work per prompt (tokens, prices, analysis) is
 * cached by the prompt's text and model, and prompt finding and the quoted model names are
 * incremental per document (scanner/incremental.ts, scanner/mentions.ts), so after a one-line
 * edit only the statements the edit touched are scanned again and the prompts that did not
 * change come from the cache.
 */
import type { PromptLocation, PromptPiece, TextRange } from '../../protocol/scan';
import type { CallCost, ImportedConstant, ImportedSend, ModelHint, PieceHint, PlacedSuggestion, PromptHint, PromptHintsResult } from '../../protocol/hints';
import type { OptimizationSuggestion, TokenCount } from '../../protocol/prompt';
import { EngineError, errorMessage } from '../../protocol/errors';
import type { PriceCatalog } from '../cost/pricing';
import type { ProjectModel } from '../projectModel';
import type { ProjectProvider } from '../projectProvider';
import { ModelLifecycle, QualityCatalog } from '../cost/quality';
import { PromptAnalyzer } from '../prompt/analyzer';
import { sourceRangeOf } from '../prompt/scanner';
import { IncrementalPromptScanner, type IncrementalScanStats } from '../prompt/scanner/incremental';
import { IncrementalModelMentions, type MentionScanStats } from '../prompt/scanner/mentions';
import { SPLICED_ELSEWHERE } from '../prompt/scanner/evidence';
import { catalogPricingName } from '../prompt/scanner/models';
import { encodingForModel, sharedTokenizer } from '../prompt/tokenizer';
import { importedTextMap } from '../prompt/scanner/jinjaIncludes';
import { composePrompt, type ComposedPrompt } from './composed';
import { hostMissing, hostPricing } from '../cost/hostPrices';
import { contextWindowOf } from './contextWindows';
import { chooseModel, modelFamilies, modelKey } from './modelChoice';

/**
 * The suggestion kinds shown in the editor: those whose precision, measured on real prompts in
 * real code (test/fixtures/prompts/diagnostics-annotations.json, `npm run bench:diagnostics`),
 * is at least 0.9. The others stay in the Analyze Prompt panel, where they read as advice.
 */
export const EDITOR_KINDS: ReadonlySet<OptimizationSuggestion['kind']> = new Set(['politeness', 'verbosePhrase', 'filler', 'repetition', 'whitespace', 'undelimitedInput']);

export interface HintInputs {
  text: string;
  languageId: string;
  fileName?: string;
  defaultModel: string;
  /** Default model per provider (`pepperpy.defaultModels`); providers not listed use the built-in defaults. */
  defaultModels?: Record<string, string>;
  /** The one provider whose SDK the project's manifest lists, and where that was read (`@ai-sdk/anthropic in package.json`). */
  projectProvider?: ProjectProvider;
  /** The model the project's config file names, and where (`config/config2.yaml llm.model`); a model the price catalog does not know is left out. */
  projectModel?: ProjectModel;
  /** The document's classes that only its project's web routes use (`FindPromptsOptions.webOnlyClasses`), sorted; left out when unknown. */
  webOnlyClasses?: string[];
  /** What other files of the project send the document's names with (`ImportedSend`), one per name. */
  importedSends?: ImportedSend[];
  /** Constants the document imports from its project's modules, with their texts (the engine reads them: src/shared/prompt/scanner/importedModules.ts). */
  importedConstants?: ImportedConstant[];
  compareModels: string[];
  callsPerDay: number;
  withSuggestions: boolean;
  /** The document's URI: the scanner keeps the last version of each document and re-scans only what an edit changed. Without it, `fileName` is the key. */
  uri?: string;
  /** The document's version (informative: an unchanged text with the same settings is answered from the last result whatever the version). */
  version?: number;
}

/** A variable or key name fit for a title: identifiers and dotted/slashed key paths, not code fragments. */
const CLEAN_NAME = /^[A-Za-z_$][\w$-]*(?:[./][A-Za-z_$][\w$-]*)*$/;

/** `system prompt` with a clean name, or with the role; never raw code such as `length - 1]`. */
export function promptTitle(location: Pick<PromptLocation, 'kind' | 'boundName'>): string {
  const kind = location.kind === 'fewShot' ? 'few-shot example' : `${location.kind} prompt`;
  const name = location.boundName?.trim();
  // (`content`, the key of every role message's text, names nothing: "Goes out in one request with system prompt content (line 230)".)
  return name && name !== 'content' && name.length <= 60 && CLEAN_NAME.test(name) ? `${kind} \`${name}\`` : kind;
}

/** The expressions substituted into a prompt at run time, in order, without repeats. */
/**
 * The include tags of a composed prompt whose template was not counted, with why: a name the engine looked for and did not
 * find (or found to be the document itself), a cycle or too deep. (A name nobody looked for, where the engine reads no
 * files, is only a runtime value.)
 */
function includesNotCounted(composed: ComposedPrompt, importedBy: ReadonlyMap<string, ImportedConstant>): NonNullable<PromptHint['includesNotCounted']> {
  const out: NonNullable<PromptHint['includesNotCounted']> = [];
  for (const { key, why } of composed.includesNotCounted ?? []) {
    const name = key.slice('include "'.length, -1);
    const looked = importedBy.get(key)?.include;
    if (why === 'cycle' || why === 'depth') out.push({ name, why });
    else if (looked === 'missing' || looked === 'cycle') out.push({ name, why: looked });
  }
  return out;
}

export function runtimeValues(location: Pick<PromptLocation, 'placeholders'>): string[] {
  const seen = new Set<string>();
  for (const p of location.placeholders) if (p.syntax !== 'jinjaBlock') seen.add(p.name);
  return [...seen];
}

/** The prompt's fixed text: placeholders (interpolations and template fields) removed, which is what a lower bound counts. */
export function fixedText(location: Pick<PromptLocation, 'text' | 'placeholders'>): string {
  if (location.placeholders.length === 0) return location.text;
  let out = '';
  let at = 0;
  for (const p of [...location.placeholders].sort((a, b) => a.start - b.start)) {
    if (p.start < at) continue;
    out += location.text.slice(at, p.start);
    at = p.end;
  }
  return out + location.text.slice(at);
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

/**
 * An LRU of values keyed by a text and a short name (a model, an encoding), kept per text:
 * a key of the two joined (`${model}\u0000${text}`) is a new string of the text's length on
 * every look-up, copied and hashed each time, where the prompt's own text is hashed once.
 * The capacity counts texts.
 */
class TextLru<V> {
  private readonly texts: Lru<Map<string, V>>;
  constructor(capacity: number) {
    this.texts = new Lru(capacity);
  }
  get(text: string, name: string): V | undefined {
    return this.texts.get(text)?.get(name);
  }
  set(text: string, name: string, value: V): void {
    let byName = this.texts.get(text);
    if (!byName) this.texts.set(text, (byName = new Map<string, V>()));
    byName.set(name, value);
  }
}

/** Offsets → line/character, for placing suggestions. */
class LineIndex {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    // (indexOf searches natively: a character loop over a 3,000-line file is a measurable part of a cold answer.)
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
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
  /** By text, then model. */
  private readonly costCache = new TextLru<CallCost>(5_000);
  /** By text, then model. */
  private readonly suggestionCache = new TextLru<OptimizationSuggestion[]>(2_000);
  private readonly pricedCache = new Lru<boolean>(2_000);
  private readonly priceCache = new Lru<Omit<CallCost, 'model' | 'tokens'>>(5_000);
  /** By text, then encoding. */
  private readonly countCache = new TextLru<number>(5_000);
  private readonly tokenTemplates = new Lru<TokenCount>(500);
  /** By text, then model. */
  private readonly pieceTokenCache = new TextLru<number>(2_000);
  private readonly analyzer = new PromptAnalyzer();
  private quality: QualityCatalog | undefined;
  private lifecycle: { catalog: PriceCatalog; lifecycle: ModelLifecycle } | undefined;
  /** Prompt finding, incremental per document (scanner/incremental.ts). */
  private readonly scanner = new IncrementalPromptScanner();
  /** Quoted model names, incremental per document the same way (scanner/mentions.ts). */
  private readonly mentions = new IncrementalModelMentions();
  /** The last answer per document, for the same text and settings asked again. */
  private readonly answers = new Lru<{ text: string; settings: string; catalog: PriceCatalog; result: PromptHintsResult }>(16);
  /** A model hover's price, window and cheaper alternatives per model name, for one catalog (the alternatives take a pass over the catalog). */
  private modelInfo: { catalog: PriceCatalog; byName: Lru<Omit<ModelHint, 'name' | 'range'>> } | undefined;
  private priceNames: { catalog: PriceCatalog; byName: Map<string, string> } | undefined;
  /** A prompt's model's lifecycle verdict per name (null: in service), for one catalog. */
  private promptLifecycles: { catalog: PriceCatalog; byName: Lru<NonNullable<ModelHint['lifecycle']> | null> } | undefined;

  constructor(private readonly catalog: () => Promise<PriceCatalog>) {}

  /** How the last scan went: incremental or whole, and how many top-level statements it scanned (for `bench:editor`). */
  get lastScan(): IncrementalScanStats {
    return this.scanner.lastScan;
  }

  /** How the last model-mention scan went (scanner/mentions.ts), for `bench:editor`. */
  get lastMentionScan(): MentionScanStats {
    return this.mentions.lastScan;
  }

  async compute(input: HintInputs): Promise<PromptHintsResult> {
    const started = performance.now();
    const catalog = await this.catalog();
    const key = input.uri ?? input.fileName ?? `untitled:${input.languageId}`;
    const settings = JSON.stringify([input.languageId, input.fileName, input.defaultModel, input.defaultModels, input.projectProvider, input.projectModel, input.webOnlyClasses, input.importedSends, input.importedConstants, input.compareModels, input.callsPerDay, input.withSuggestions]);
    const last = this.answers.get(key);
    if (last && last.text === input.text && last.settings === settings && last.catalog === catalog) {
      // The same version again: the same answer (shared, not copied: callers only read it).
      return { ...last.result, elapsedMs: performance.now() - started, cachedPrompts: last.result.prompts.length };
    }
    const locations = this.scanner.scan(key, input.text, input.languageId, {
      ...(input.fileName !== undefined ? { fileName: input.fileName } : {}),
      ...(input.webOnlyClasses && input.webOnlyClasses.length > 0 ? { webOnlyClasses: new Set(input.webOnlyClasses) } : {}),
      ...(splicedElsewhereOf(input.importedSends)),
    });
    const index = new LineIndex(input.text);
    let cachedPrompts = 0;
    // Only a configured model the catalog knows counts (the editor checked it too, perhaps against another catalog).
    const { projectModel, ...rest } = input;
    const choice = { ...(projectModel && catalog.has(projectModel.model) ? input : rest), isKnown: (m: string) => this.priced(catalog, m), modelFamilies: modelFamilies(catalog.modelNames()) };
    const imported = input.importedConstants && input.importedConstants.length > 0 ? importedTextMap(input.importedConstants) : undefined;
    const importedBy = new Map((input.importedConstants ?? []).map((c) => [c.name, c]));
    const splicedSends = input.importedSends?.some((s) => s.spliced !== undefined) ? new Map(input.importedSends.filter((s) => s.spliced !== undefined).map((s) => [s.name, s])) : undefined;
    // Per answer: what every prompt of the same model shares (its context window, its lifecycle verdict).
    const perModel = new Map<string, { window: ReturnType<typeof contextWindowOf>; lifecycle: ModelHint['lifecycle'] | null }>();
    const prompts: PromptHint[] = locations.map((location, i) => {
      const chosen = chooseModel(location, choice);
      const model = chosen.model;
      // What every hint says of its prompt, counted or not. (Built by assignment, in the order the spread literal gave,
      // since the answer is sent as JSON: a literal of spreads was a measurable part of a cold answer.)
      const hint = { index: i, location, model, modelSource: chosen.source } as PromptHint;
      if (chosen.via) hint.modelVia = chosen.via;
      if (location.provider) hint.provider = location.provider;
      hint.title = promptTitle(location);
      if (location.unterminated) {
        // A literal still being typed: its "text" is the code after it. The lens stays (so the lines
        // do not jump while typing) but counts, prices and analyzes nothing until the literal is closed.
        hint.runtimeValues = [];
        hint.cost = { model, tokens: this.tokenCount('', model) };
        hint.compare = [];
        hint.suggestions = [];
        return hint;
      }
      // A composed prompt is counted as composed: fragments in place, `+` pieces in order, runtime values left out.
      const composed = composePrompt(location, input.text, imported);
      const counted = composed.counted;
      // (Priced at the host the code sends it to, when that is not the vendor: hostPrices.ts.)
      const known = this.costCache.get(counted, location.provider ? `${location.provider}\u0000${model}` : model);
      if (known) cachedPrompts++;
      const cost = known ?? this.callCost(catalog, model, counted, location.provider);
      const compare: CallCost[] = [];
      for (const m of input.compareModels) if (m !== model) compare.push(this.callCost(catalog, m, counted));
      let shared = perModel.get(model);
      if (!shared) {
        const window = contextWindowOf(model, { contextWindow: (m) => catalog.contextWindow(this.priceName(catalog, m)) });
        perModel.set(model, (shared = { window, lifecycle: this.lifecycleFor(catalog, model).modelLifecycle ?? null }));
      }
      const window = shared.window;
      hint.runtimeValues = composed.runtimeValues;
      if (composed.sentAsWritten) hint.sentAsWritten = composed.sentAsWritten;
      // (Longer branches that add no token, the line breaks around a Jinja loop's `{{ item.content }}`, give no second count:
      // "≥83 tokens (≥83 with the longer branches)" said nothing; breaker47.)
      const longer = composed.withLongerBranches !== undefined ? this.tokenCount(composed.withLongerBranches, model).count : undefined;
      if (longer !== undefined && longer !== cost.tokens.count) hint.tokensWithLongerBranches = longer;
      if ((composed.imported && composed.imported.length > 0) || composed.included) {
        const texts: NonNullable<PromptHint['importedTexts']> = (composed.imported ?? []).flatMap((name) => {
          const c = importedBy.get(name);
          return c ? [{ name, file: c.file, line: c.line, tokens: this.tokenCount(c.text, model).count, text: c.text }] : [];
        });
        // (An included template's count is of its text as it is sent, its own tags rendered: not of the file as written.)
        for (const { key, counted: text } of composed.included ?? []) {
          const c = importedBy.get(key);
          if (c) texts.push({ name: key, file: c.file, line: 0, tokens: this.tokenCount(text, model).count, text: c.text, include: true });
        }
        if (texts.length > 0) hint.importedTexts = texts;
      }
      const notCounted = includesNotCounted(composed, importedBy);
      if (notCounted.length > 0) hint.includesNotCounted = notCounted;
      const splicedBy = location.boundName !== undefined ? splicedSends?.get(location.boundName) : undefined;
      if (splicedBy?.spliced !== undefined && location.evidence.some((e) => e.detail.startsWith(SPLICED_ELSEWHERE))) hint.splicedInto = splicedBy.spliced;
      if (location.pieces && composed.pieces.length > 1) hint.pieces = this.pieceHints(location.pieces, composed, model);
      hint.cost = cost;
      hint.compare = compare;
      if (window) hint.contextWindow = { contextWindow: window.tokens, share: cost.tokens.count / window.tokens, source: window.source };
      if (cost.inputCostUsd !== undefined) hint.monthlyCostUsd = cost.inputCostUsd * input.callsPerDay * 30;
      if (shared.lifecycle) hint.modelLifecycle = shared.lifecycle;
      hint.suggestions = input.withSuggestions ? this.placeSuggestions(location, model, index) : [];
      return hint;
    });
    const models = this.modelHints(catalog, locations, key, input.text, index);
    const result: PromptHintsResult = { prompts, models, elapsedMs: performance.now() - started, cachedPrompts };
    this.answers.set(key, { text: input.text, settings, catalog, result });
    return result;
  }

  /** Each piece's range and own token count (its fixed text, with the prompt's model). */
  private pieceHints(pieces: PromptPiece[], composed: ComposedPrompt, model: string): PieceHint[] {
    const own = (text: string): number => {
      let n = this.pieceTokenCache.get(text, model);
      if (n === undefined) {
        n = sharedTokenizer().count(text, model).count;
        this.pieceTokenCache.set(text, model, n);
      }
      return n;
    };
    return pieces.map((p, i) => ({
      range: p.range,
      tokens: own(composed.pieces[i].counted),
      ...(p.fills ? { fills: p.fills } : {}),
      ...(p.shared ? { shared: true as const } : {}),
    }));
  }

  private callCost(catalog: PriceCatalog, model: string, text: string, provider?: string): CallCost {
    const key = provider ? `${provider}\u0000${model}` : model;
    const cached = this.costCache.get(text, key);
    if (cached) return cached;
    const tokens = this.tokenCount(text, model);
    // The price of a count: prompts of the same length cost the same.
    const priceKey = `${key}\u0000${tokens.count}`;
    let price = this.priceCache.get(priceKey);
    if (!price) {
      const host = hostPricing(model, provider);
      const at = host ? { host: host.host, ...('local' in host ? { local: true as const } : {}) } : {};
      try {
        if (host && 'error' in host) throw new EngineError('notFound', host.error);
        const cost = catalog.cost(host ? host.name : this.priceName(catalog, model), { inputTokens: tokens.count, outputTokens: 0 });
        price = { inputCostUsd: cost.inputCost, inputPerMTok: cost.price.inputPerMTok, outputPerMTok: cost.price.outputPerMTok, ...(cost.price.pricedAs ? { pricedAs: cost.price.pricedAs } : {}), ...(cost.price.listedHost ? { listedHost: cost.price.listedHost } : {}), source: cost.price.source, ...at };
      } catch (error) {
        price = { error: host && !('error' in host) ? hostMissing(model, host.host) : error instanceof EngineError ? error.message : String(error), ...at };
      }
      this.priceCache.set(priceKey, price);
    }
    const result: CallCost = { model, tokens, ...price };
    this.costCache.set(text, key, result);
    return result;
  }

  /** `sharedTokenizer().count(text, model)`, counted once per encoding and text: gpt-4o, gpt-4o-mini and the estimated families all use o200k_base. */
  private tokenCount(text: string, model: string): TokenCount {
    let template = this.tokenTemplates.get(model);
    if (!template) this.tokenTemplates.set(model, (template = sharedTokenizer().count('', model)));
    const encoding = encodingForModel(model).encoding;
    let count = this.countCache.get(text, encoding);
    if (count === undefined) {
      count = sharedTokenizer().countWithEncoding(text, encoding);
      this.countCache.set(text, encoding, count);
    }
    return { ...template, count };
  }

  private placeSuggestions(location: PromptLocation, model: string, index: LineIndex): PlacedSuggestion[] {
    let suggestions = this.suggestionCache.get(location.text, model);
    if (!suggestions) {
      suggestions = this.analyzer.suggestions(location.text, { model, kinds: EDITOR_KINDS });
      this.suggestionCache.set(location.text, model, suggestions);
    }
    // (Looked for only when a finding has no range of its own: most prompts have no finding.)
    let firstWord: RegExpExecArray | null | undefined;
    return suggestions.filter((s) => EDITOR_KINDS.has(s.kind)).map((s) => {
      // A finding about the whole prompt is shown on its first word, not as a squiggle over all of it.
      if (!s.range && firstWord === undefined) firstWord = /\S{1,40}/.exec(location.text);
      const range = s.range ?? (firstWord ? { start: firstWord.index, end: firstWord.index + firstWord[0].length } : undefined);
      if (!range) return { ...s };
      // Escapes at either end stay inside, whole: blank lines written "\n\n\n\n" are marked as eight characters, not one backslash.
      const { start, end } = sourceRangeOf(location, range.start, range.end);
      const documentRange: TextRange = { start: index.position(start), end: index.position(end) };
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
      // Never point a user at a model that is shut down or about to be.
      if (this.lifecycleOf(catalog).verdict(candidate)) continue;
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

  /** The name the catalog prices a model under (`catalogPricingName`), per catalog; cached, since each try resolves the name. */
  private priceName(catalog: PriceCatalog, name: string): string {
    if (this.priceNames?.catalog !== catalog) this.priceNames = { catalog, byName: new Map() };
    let priced = this.priceNames.byName.get(name);
    if (priced === undefined) {
      priced = catalogPricingName(name, catalog);
      if (this.priceNames.byName.size > 2_000) this.priceNames.byName.clear();
      this.priceNames.byName.set(name, priced);
    }
    return priced;
  }

  /** Whether the catalog prices a name; cached, since a miss computes the closest names. */
  private priced(catalog: PriceCatalog, name: string): boolean {
    let known = this.pricedCache.get(name);
    if (known === undefined) {
      known = catalog.has(this.priceName(catalog, name));
      this.pricedCache.set(name, known);
    }
    return known;
  }

  private modelHints(catalog: PriceCatalog, locations: PromptLocation[], key: string, text: string, lines: LineIndex): ModelHint[] {
    const seen = new Set<number>();
    const hints: ModelHint[] = [];
    // (Not a key of the app's own that a call names as its model: `model: 'agent'`, modelChoice.ts `modelKey`.)
    const refs: Array<{ name: string; range: TextRange }> = locations.flatMap((l) => (l.model && !modelKey(l, (m) => this.priced(catalog, m), modelFamilies(catalog.modelNames())) ? [l.model] : []));
    // Every other quoted model name the catalog prices (a dataclass default, a list of choices, a constant).
    for (const m of this.mentions.mentions(key, text)) {
      if (this.priced(catalog, m.name)) refs.push({ name: m.name, range: { start: lines.position(m.start), end: lines.position(m.end) } });
    }
    if (this.modelInfo?.catalog !== catalog) this.modelInfo = { catalog, byName: new Lru(500) };
    const infos = this.modelInfo.byName;
    for (const ref of refs) {
      if (seen.has(ref.range.start.offset)) continue;
      seen.add(ref.range.start.offset);
      let info = infos.get(ref.name);
      if (!info) infos.set(ref.name, (info = this.modelInfoOf(catalog, ref.name)));
      hints.push({ name: ref.name, range: ref.range, ...info });
    }
    return hints;
  }

  private modelInfoOf(catalog: PriceCatalog, name: string): Omit<ModelHint, 'name' | 'range'> {
    const hint: Omit<ModelHint, 'name' | 'range'> = { cheaperAlternatives: [] };
    try {
      const price = catalog.lookup(this.priceName(catalog, name));
      hint.price = { inputPerMTok: price.inputPerMTok, outputPerMTok: price.outputPerMTok, ...(price.cachedInputPerMTok !== undefined ? { cachedInputPerMTok: price.cachedInputPerMTok } : {}), ...(price.pricedAs ? { pricedAs: price.pricedAs } : {}), source: price.source };
    } catch (error) {
      hint.priceError = errorMessage(error);
    }
    const window = contextWindowOf(name, { contextWindow: (m) => catalog.contextWindow(this.priceName(catalog, m)) });
    if (window) hint.contextWindow = window;
    if (hint.price) hint.cheaperAlternatives = this.cheaperAlternatives(catalog, this.priceName(catalog, name), hint.price);
    const lifecycle = this.lifecycleOf(catalog);
    const verdict = lifecycle.verdict(this.priceName(catalog, name));
    if (verdict) {
      // A replacement that is itself retired or deprecated (o1-mini → o4-mini) is no advice: left out.
      const replacement = verdict.entry?.replacement && !lifecycle.verdict(verdict.entry.replacement) ? verdict.entry.replacement : undefined;
      hint.lifecycle = {
        status: verdict.status,
        reason: verdict.reason,
        ...(verdict.entry?.shutdownDate ? { shutdownDate: verdict.entry.shutdownDate } : {}),
        ...(replacement ? { replacement } : {}),
        ...(verdict.entry?.source ? { source: verdict.entry.source } : {}),
      };
    }
    return hint;
  }

  /** `{ modelLifecycle }` when a prompt's model is retired or deprecated (bolt.new's prompts go to claude-3-5-sonnet-20240620, shut down); cached per name. */
  private lifecycleFor(catalog: PriceCatalog, model: string): { modelLifecycle?: ModelHint['lifecycle'] } {
    if (this.promptLifecycles?.catalog !== catalog) this.promptLifecycles = { catalog, byName: new Lru(500) };
    let known = this.promptLifecycles.byName.get(model);
    if (known === undefined) {
      const lifecycle = this.lifecycleOf(catalog);
      const verdict = lifecycle.verdict(this.priceName(catalog, model));
      const replacement = verdict?.entry?.replacement && !lifecycle.verdict(verdict.entry.replacement) ? verdict.entry.replacement : undefined;
      known = verdict
        ? { status: verdict.status, reason: verdict.reason, ...(verdict.entry?.shutdownDate ? { shutdownDate: verdict.entry.shutdownDate } : {}), ...(replacement ? { replacement } : {}), ...(verdict.entry?.source ? { source: verdict.entry.source } : {}) }
        : null;
      this.promptLifecycles.byName.set(model, known);
    }
    return known ? { modelLifecycle: known } : {};
  }

  /** The retired/deprecated list, with the price catalog's own deprecated flag; built once per catalog. */
  private lifecycleOf(catalog: PriceCatalog): ModelLifecycle {
    if (this.lifecycle?.catalog !== catalog) this.lifecycle = { catalog, lifecycle: new ModelLifecycle(undefined, (m) => catalog.isDeprecated(m)) };
    return this.lifecycle.lifecycle;
  }
}

/** The document's names that other files splice into their prompts (`ImportedSend.spliced`), as the scanner takes them. */
function splicedElsewhereOf(sends: readonly ImportedSend[] | undefined): { splicedElsewhere?: ReadonlyMap<string, string> } {
  const spliced = (sends ?? []).filter((s) => s.spliced !== undefined);
  return spliced.length > 0 ? { splicedElsewhere: new Map(spliced.map((s) => [s.name, (s.spliced as { file: string }).file])) } : {};
}

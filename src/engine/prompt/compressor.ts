/**
 * The seed's PromptCompressor (the Python PepperPy `optimization` module's token-reducing
 * prompt compressor): deterministic, rule-based compression. It deletes
 * politeness and filler, shortens verbose phrasing (phrase → replacement pairs from the
 * language pack), drops repeated sentences and collapses whitespace, and it never edits a
 * protected span. The result is checked against the original's protected items; if any
 * went missing the compressor backs off rather than return a damaged prompt.
 */
import type { CompressionLevel, CompressionResult, CompressionTarget, Removal, RemovalKind, RemovalSummary } from '../../protocol/prompt';
import { DEFAULT_MODEL } from '../../shared/prompt/defaults';
import { compiledPack, detectLanguage, matchesAny, type CompiledPack } from '../../shared/prompt/languages';
import { analyzeProtected, checkRetention, isSentenceLevel, protectedItems, spansWithin, type ProtectedSpan } from '../../shared/prompt/protected';
import { normalizeWhitespace } from '../../shared/prompt/spans';
import { words, type TextUnit } from '../../shared/prompt/text';
import { sharedTokenizer, type TokenizerService } from '../../shared/prompt/tokenizer';
import { ruleReason } from './compressReasons';
import { headingFolds, inFragment, planAuxiliaries, planCopulas, planDemonstratives, planFutureAuxiliaries, planHeadingCase, planListSpacing, type HeadingFold } from './telegraphic';

export const COMPRESSION_LEVELS: readonly CompressionLevel[] = ['light', 'medium', 'aggressive'];

export interface CompressOptions {
  level?: CompressionLevel;
  model?: string;
  /** Forces the language pack; detected when absent. */
  language?: string;
  /**
   * Token reduction to reach (0-1, e.g. 0.2 = remove at least 20 % of the tokens). The rule
   * stages (STAGES) are applied one more at a time until the reduction is reached or no safe
   * stage is left; `level` is then ignored and the result says which stage stopped it.
   */
  targetRatio?: number;
}

/**
 * Rule stages, safest first; each level is a prefix of the list ("light" = the first stage,
 * "medium" = the first two, "aggressive" = all). `--target-ratio` walks them one by one.
 */
export const STAGES = [
  { name: 'light', level: 'light', rules: ['politeness', 'repetition', 'whitespace'] },
  { name: 'medium', level: 'medium', rules: ['softConstraintClauses', 'genericRole', 'verbose', 'ritual', 'demonstrative', 'imperativeLead', 'reducedRelative', 'shortForm', 'contraction', 'filler', 'dropPronoun', 'subjectPronoun', 'fragmentArticle', 'markdownEmphasis', 'listSpacing', 'headingEcho', 'headingCase'] },
  { name: 'aggressive: labels, filler, near-duplicates', level: 'aggressive', rules: ['inputLabel', 'fillerAggressive', 'nearDuplicate', 'seriesConjunction'] },
  { name: 'aggressive: articles', level: 'aggressive', rules: ['article'] },
  { name: 'aggressive: auxiliaries, copulas', level: 'aggressive', rules: ['auxiliary', 'copula'] },
  { name: 'aggressive: role copulas', level: 'aggressive', rules: ['roleCopula'] },
] as const satisfies ReadonlyArray<{ name: string; level: CompressionLevel; rules: readonly string[] }>;

export type CompressionRule = (typeof STAGES)[number]['rules'][number];

function rulesUpTo(stageCount: number): Set<CompressionRule> {
  return new Set(STAGES.slice(0, stageCount).flatMap((s) => s.rules as readonly CompressionRule[]));
}

function stagesForLevel(level: CompressionLevel): number {
  let n = 0;
  STAGES.forEach((s, i) => {
    if (COMPRESSION_LEVELS.indexOf(s.level) <= COMPRESSION_LEVELS.indexOf(level)) n = i + 1;
  });
  return n;
}

interface Edit extends Removal {
  rule?: string;
  /** Upper-case the first letter that follows (the deletion left it starting a sentence). */
  capitalizeNext?: boolean;
}

/**
 * 0: free; 1: protected; 2: first letter of a protected sentence (may be re-cased only);
 * 3 (medium and aggressive): inside a constraint or output-format clause: only safe edits
 * (articles, verbose phrase → short form, filler, politeness, "you should" → imperative, and
 * at the aggressive level telegraphic cuts) may touch it; 4: a keep word of such a clause
 * (a negation, a quantifier or limit, a hard-constraint word: KEEP_WORD) or the word right
 * after it: never edited, only re-cased when it comes to open the sentence.
 */
type Mask = Uint8Array;

/** Negation words of every pack (an edit never touches them or the word after them). */
const NEGATION_WORDS = ['not', 'no', 'nor', 'never', 'none', 'nothing', 'cannot', "can't", "don't", "doesn't", "didn't", "won't", "mustn't", "shouldn't", "isn't", "aren't", 'without', 'avoid', 'não', 'nunca', 'jamais', 'nem', 'nenhum', 'nenhuma', 'nada', 'sem', 'evite', 'jamás', 'ni', 'ninguno', 'ninguna', 'sin', 'evita'];
/** Whether a clause holds a negation (its filler stays: "do not just list" is not "do not list"). */
const NEGATION = new RegExp(`(?<![\\p{L}\\p{N}_'’])(?:${NEGATION_WORDS.map((w) => w.replace(/'/g, "['’]")).join('|')})(?![\\p{L}\\p{N}_])`, 'iu');
/** Quantifier, limit and hard-constraint words of every pack (longest first: "no more than" before "no"). */
/** A whole word that negates the word after it (any "-n't" form too). */
const NEGATED_BY = new RegExp(`^(?:${NEGATION_WORDS.map((w) => w.replace(/'/g, "['’]")).join('|')}|\\p{L}+n['’]t)$`, 'iu');

const LIMIT_WORDS = [
  'no more than', 'no less than', 'at most', 'at least', 'only', 'exactly', 'maximum', 'minimum', 'all', 'every', 'each', 'any', 'must', 'always', 'strictly', 'required',
  'pelo menos', 'no máximo', 'no mínimo', 'apenas', 'somente', 'só', 'exatamente', 'estritamente', 'sempre', 'deve', 'devem', 'máximo', 'mínimo', 'todos', 'todas', 'cada', 'qualquer',
  'al menos', 'como máximo', 'como mínimo', 'solo', 'sólo', 'solamente', 'únicamente', 'exclusivamente', 'exactamente', 'estrictamente', 'siempre', 'debe', 'debes', 'deben', 'cualquier',
];
const keepAlternatives = [...NEGATION_WORDS, ...LIMIT_WORDS].sort((a, b) => b.length - a.length).map((w) => w.replace(/ /g, '\\s+').replace(/'/g, "['’]"));
/** Every keep word: it and the word after it stay, in order, at every level. */
const KEEP_WORD = new RegExp(`(?<![\\p{L}\\p{N}_'’])(?:${keepAlternatives.join('|')})(?![\\p{L}\\p{N}_])`, 'giu');

/**
 * `softClauses`: constraint and format clauses take safe edits, their keep words (KEEP_WORD)
 * and the word after each stay locked. Without it (light level, clean-up) they stay verbatim.
 */
function buildMask(text: string, spans: readonly ProtectedSpan[], softClauses = false): Mask {
  const mask = new Uint8Array(text.length);
  for (const span of spans) if (!isSentenceLevel(span)) mask.fill(1, span.start, span.end);
  for (const span of spans) {
    if (!isSentenceLevel(span)) continue;
    const firstFree = mask[span.start] === 0;
    if (!softClauses) {
      mask.fill(1, span.start, span.end);
    } else {
      // A negated clause takes no filler cut: the negation scopes over it ("do not read it carefully" is not "do not read it").
      const value = NEGATION.test(span.text) ? 5 : 3;
      for (let i = span.start; i < span.end; i++) if (mask[i] === 0) mask[i] = value;
      const lock = (from: number, to: number) => {
        for (let i = from; i < to; i++) if (mask[i] === 3 || mask[i] === 5) mask[i] = 4;
      };
      // The word after a keep word, as the oracle counts words: a number or a symbol before it does not count ("only 3 short words" keeps "3 short").
      const lockNext = (from: number) => {
        let at = from;
        for (;;) {
          const word = /^[^\p{L}\p{N}]*[\p{L}\p{N}][\p{L}\p{N}'’-]*/u.exec(text.slice(at, Math.min(span.end, at + 200)));
          if (!word) return;
          lock(at, at + word[0].length);
          at += word[0].length;
          if (/\p{L}/u.test(word[0])) return;
        }
      };
      KEEP_WORD.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = KEEP_WORD.exec(span.text)) !== null) {
        const at = span.start + m.index;
        lock(at, at + m[0].length);
        lockNext(at + m[0].length);
      }
      KEEP_WORD.lastIndex = 0;
    }
    if (firstFree && mask[span.start] === 1) mask[span.start] = 2;
  }
  return mask;
}

/**
 * How an edit may touch soft-protected clauses: `false` not at all, `true` any of them (a safe
 * edit), `'unnegated'` only those without a negation (a filler cut).
 */
type Softness = boolean | 'unnegated';

/** Whether mask value `v` is open to an edit of the given softness. */
const opens = (v: number, soft: Softness) => v === 0 || (soft !== false && v === 3) || (soft === true && v === 5);

/** Whether [start, end) may be edited: free text, or soft-protected text for a meaning-preserving edit. */
function isFree(mask: Mask, start: number, end: number, soft: Softness = false): boolean {
  for (let i = start; i < end; i++) if (!opens(mask[i], soft)) return false;
  return true;
}

/**
 * What the compressed text must still contain: every exact item (numbers, quotes, code,
 * names…), every negated clause whole, and of the other constraint clauses the runs no edit
 * may touch (the cue and the word after it, names, numbers inside).
 */
function retentionItems(text: string, spans: readonly ProtectedSpan[], mask: Mask): string[] {
  const items = new Set(protectedItems(spans.filter((s) => !isSentenceLevel(s) || mask.subarray(s.start, s.end).every((v) => v !== 3 && v !== 5))));
  for (const span of spans) {
    if (!isSentenceLevel(span)) continue;
    let i = span.start;
    while (i < span.end) {
      if (mask[i] === 3 || mask[i] === 5) {
        i++;
        continue;
      }
      let j = i;
      while (j < span.end && mask[j] !== 3 && mask[j] !== 5) j++;
      // Trimmed by hand: a `[…]+$` pattern backtracks quadratically on long runs of punctuation.
      let a = i;
      let b = j;
      while (a < b && /[\s,;:]/.test(text[a])) a++;
      while (b > a && /[\s,;:]/.test(text[b - 1])) b--;
      const run = normalizeWhitespace(text.slice(a, b));
      if (/[\p{L}\p{N}]/u.test(run)) items.add(run);
      i = j;
    }
  }
  return [...items];
}

function matchCase(original: string, replacement: string): string {
  if (replacement.length === 0) return replacement;
  const first = original[0];
  return first !== first.toLowerCase() ? (replacement[0]).toUpperCase() + replacement.slice(1) : replacement;
}

class EditPlan {
  readonly edits: Edit[] = [];
  /** The rule planning now; stamped on each edit for the removal report. */
  rule = 'whitespace';
  private readonly taken: Uint8Array;

  constructor(
    private readonly text: string,
    private readonly mask: Mask,
    private readonly units: readonly TextUnit[] = [],
  ) {
    this.taken = new Uint8Array(text.length);
  }

  /** Deletes or replaces [start, end) when it touches nothing protected or already edited. */
  tryEdit(kind: RemovalKind, start: number, end: number, replacement: string, soft: Softness = false): boolean {
    const text = this.text;
    if (!isFree(this.mask, start, end, soft) || !this.isUntaken(start, end)) return false;
    const open = (i: number) => opens(this.mask[i], soft);
    const original = text.slice(start, end);
    const value = matchCase(original, replacement);
    // A phrase that maps to itself ("em vez de", "dentro do possível") only shields its words from shorter phrases: no edit to report.
    if (value === original) {
      this.taken.fill(1, start, end);
      return true;
    }
    let capitalizeNext = false;
    if (value === '') {
      // Take the punctuation and space that belonged to the phrase ("Please, answer" → "Answer").
      let e = end;
      while (e < text.length && /[,;]/.test(text[e]) && open(e)) e++;
      while (e < text.length && /[ \t]/.test(text[e]) && open(e)) e++;
      if (e === end || e === text.length || /[\n.!?]/.test(text[e] ?? '')) {
        // Nothing followed: take the space before instead ("answer, please." → "answer.").
        let s = start;
        while (s > 0 && /[ \t]/.test(text[s - 1]) && open(s - 1) && this.taken[s - 1] === 0) s--;
        while (s > 0 && /[,;]/.test(text[s - 1]) && open(s - 1) && this.taken[s - 1] === 0 && /[ \t.!?\n]/.test(text[e] ?? '\n')) s--;
        if (s < start && this.isUntaken(s, start)) start = s;
        // A whole sentence of politeness ("…the article. Thank you.") takes its own end mark along, and at a line start the space after it.
        if ((start === 0 || /[.!?\n]/.test(text[start - 1])) && /[.!?]/.test(text[e] ?? '')) {
          while (e < text.length && /[.!?]/.test(text[e]) && open(e)) e++;
          if (start === 0 || text[start - 1] === '\n') while (e < text.length && /[ \t]/.test(text[e]) && open(e)) e++;
        }
      }
      if (!this.isUntaken(end, e)) e = end;
      end = e;
      capitalizeNext = this.atSentenceStart(start);
    }
    this.taken.fill(1, start, end);
    this.edits.push({ kind, rule: this.rule, text: text.slice(start, end), replacement: value, start, end, capitalizeNext });
    return true;
  }

  /** Replaces exactly [start, end) (no punctuation or space taken along), under the same conditions as tryEdit. */
  tryExact(kind: RemovalKind, start: number, end: number, replacement: string, soft: Softness = false): boolean {
    if (!isFree(this.mask, start, end, soft) || !this.isUntaken(start, end)) return false;
    this.taken.fill(1, start, end);
    this.edits.push({ kind, rule: this.rule, text: this.text.slice(start, end), replacement, start, end });
    return true;
  }

  /** Deletes exactly [start, end) regardless of protection (a label its heading repeats); the retention check still applies. */
  deleteEcho(start: number, end: number): boolean {
    if (!this.isUntaken(start, end)) return false;
    this.taken.fill(1, start, end);
    this.edits.push({ kind: 'repetition', rule: this.rule, text: this.text.slice(start, end), replacement: '', start, end });
    return true;
  }

  /** Takes back the edits planned after the first `count`. */
  undoSince(count: number): void {
    for (const edit of this.edits.splice(count)) this.taken.fill(0, edit.start, edit.end);
  }

  /** The unit that holds `position`, if any. */
  unitAt(position: number): TextUnit | undefined {
    let lo = 0;
    let hi = this.units.length - 1;
    let found: TextUnit | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const unit = this.units[mid];
      if (unit.start <= position) {
        found = unit;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: equivalent, every caller passes the position of a word, which always lies inside a unit
    return found && position <= found.end ? found : undefined;
  }

  /** True when `position` begins a unit: only list markers, quotes or spaces lie between. */
  atSentenceStart(position: number): boolean {
    const found = this.unitAt(position);
    if (!found) return false;
    return /^[\s"'“(*>#•\-\d.)]*$/.test(this.text.slice(found.start, position));
  }

  /** Deletes a whole unit (a repeated sentence) regardless of protection: its twin keeps the content. */
  deleteUnit(unit: TextUnit, kind: RemovalKind = 'repetition'): boolean {
    let end = unit.end;
    while (end < this.text.length && /[ \t]/.test(this.text[end])) end++;
    if (!this.isUntaken(unit.start, end)) return false;
    this.taken.fill(1, unit.start, end);
    this.edits.push({ kind, rule: this.rule, text: this.text.slice(unit.start, end), replacement: '', start: unit.start, end });
    return true;
  }

  private isUntaken(start: number, end: number): boolean {
    for (let i = start; i < end; i++) if (this.taken[i] !== 0) return false;
    return true;
  }

  apply(): string {
    const sorted = [...this.edits].sort((a, b) => a.start - b.start);
    let out = '';
    let cursor = 0;
    let capitalize = false;
    const append = (chunk: string, sourceStart: number | undefined) => {
      if (capitalize && chunk.length > 0) {
        const i = chunk.search(/\S/);
        if (i !== -1) {
          const ch = chunk[i];
          const lockedSource = sourceStart !== undefined && this.mask[sourceStart + i] === 1;
          if (/\p{Ll}/u.test(ch) && !lockedSource) chunk = chunk.slice(0, i) + ch.toUpperCase() + chunk.slice(i + 1);
          capitalize = false;
        }
      }
      out += chunk;
    };
    for (const edit of sorted) {
      append(this.text.slice(cursor, edit.start), cursor);
      append(edit.replacement, undefined);
      if (edit.capitalizeNext) capitalize = true;
      cursor = edit.end;
    }
    append(this.text.slice(cursor), cursor);
    return out;
  }
}

function applyPattern(plan: EditPlan, text: string, pattern: RegExp | undefined, kind: RemovalKind, replacementFor: (match: string) => string, soft: Softness = false): void {
  if (!pattern) return;
  pattern.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = pattern.exec(text)) !== null) {
    plan.tryEdit(kind, m.index, m.index + m[0].length, replacementFor(m[0]), soft);
  }
  pattern.lastIndex = 0;
}

/** Drops trailing spaces and punctuation in linear time (a `[…]+$` pattern backtracks quadratically on long runs). */
function trimTrailingPunctuation(text: string): string {
  let end = text.length;
  while (end > 0 && /[\s.!?;:,…]/u.test(text[end - 1])) end--;
  return text.slice(0, end);
}

function unitKey(unit: TextUnit, protectedUnit: boolean): string {
  const normalized = trimTrailingPunctuation(normalizeWhitespace(unit.text));
  return protectedUnit ? normalized : normalized.toLowerCase();
}

function jaccard(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const w of a) if (b.has(w)) shared++;
  return shared / (a.size + b.size - shared || 1);
}

/** Units over which near-duplicate detection (quadratic) still runs. */
const NEAR_DUPLICATE_LIMIT = 1000;

const roleKey = (unit: TextUnit) => (unit.text.length > 300 ? '' : trimTrailingPunctuation(normalizeWhitespace(unit.text)).toLowerCase());

/** Drops a generic role sentence ("You are a helpful assistant.") when a more specific role sentence follows it. */
function planGenericRoles(plan: EditPlan, units: readonly TextUnit[], pack: CompiledPack): void {
  if (pack.genericRoles.size === 0) return;
  for (let i = 0; i < units.length; i++) {
    const unit = units[i];
    if (unit.kind === 'code' || unit.kind === 'structured' || unit.kind === 'heading' || !pack.genericRoles.has(roleKey(unit))) continue;
    const specific = units.slice(i + 1, i + 6).some((u) => u.kind !== 'code' && u.kind !== 'structured' && !pack.genericRoles.has(roleKey(u)) && matchesAny(pack.role, u.text.slice(0, 40)));
    if (specific) plan.deleteUnit(unit, 'filler');
  }
}

function planRepetition(plan: EditPlan, units: readonly TextUnit[], spans: readonly ProtectedSpan[], nearDuplicates: boolean): void {
  const seen = new Map<string, TextUnit>();
  const prose = units.filter((u) => u.kind !== 'heading');
  const spansIn = (unit: TextUnit) => spansWithin(spans, unit.start, unit.end);
  const earlier: Array<{ unit: TextUnit; words: Set<string> }> = [];
  for (const unit of prose) {
    const inner = unit.kind === 'code' || unit.kind === 'structured' ? [] : spansIn(unit);
    const protectedUnit = unit.kind === 'code' || unit.kind === 'structured' || inner.length > 0;
    const key = unitKey(unit, protectedUnit);
    // Only real sentences repeat: never a list marker or a fragment of one or two words.
    if (key.length === 0 || (!protectedUnit && words(key).length < 3) || !/\p{L}/u.test(key)) continue;
    const twin = seen.get(key);
    if (twin) {
      plan.deleteUnit(unit);
      continue;
    }
    seen.set(key, unit);
    if (nearDuplicates && unit.kind !== 'code' && unit.kind !== 'structured' && prose.length <= NEAR_DUPLICATE_LIMIT) {
      const set = new Set(words(unit.text));
      if (set.size >= 5) {
        const near = earlier.find((e) => jaccard(e.words, set) >= 0.85 && inner.every((s) => e.unit.text.includes(s.text)));
        if (near) {
          plan.deleteUnit(unit);
          continue;
        }
        earlier.push({ unit, words: set });
      }
    }
  }
}

const phraseKey = (m: string) => m.toLowerCase().replace(/\s+/g, ' ');

/**
 * Sentence openers that only announce an instruction ("You will write…", "You should use…"):
 * dropped when they start a sentence and the next word is not a blocker ("You will be
 * given…" stays), leaving the imperative ("Write…", "Use…").
 */
function planImperativeLeads(plan: EditPlan, text: string, pack: CompiledPack): void {
  const pattern = pack.imperativeLeads;
  if (!pattern) return;
  pattern.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = pattern.exec(text)) !== null) {
    const end = m.index + m[0].length;
    const next = /^[ \t]+([\p{L}']+)(?:[ \t]+([\p{L}']+))?/u.exec(text.slice(end, end + 80));
    if (!next || !/^\p{Ll}/u.test(next[1])) continue;
    // Either of the next two words may block: "You will also need to…" keeps its subject.
    const following = [next[1], next[2]].filter((w): w is string => w !== undefined).map((w) => w.toLowerCase());
    if (following.some((w) => pack.imperativeBlockers.has(w))) continue;
    if (!plan.atSentenceStart(m.index)) continue;
    plan.tryEdit('verbosePhrase', m.index, end, '', true);
  }
  pattern.lastIndex = 0;
}

/**
 * Rewrites that apply only where a word (or a quote, number or placeholder) follows:
 * contractions ("you are right" → "you're right", never "who you're.") and, at the
 * aggressive level, input labels ("My first request is "…"" → "First request: "…"").
 */
function planFollowedRewrites(plan: EditPlan, text: string, pattern: RegExp | undefined, table: ReadonlyMap<string, string>): void {
  if (!pattern) return;
  pattern.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = pattern.exec(text)) !== null) {
    const end = m.index + m[0].length;
    if (!/^[ \t]+[\p{L}\p{N}"“'{]/u.test(text.slice(end, end + 3))) continue;
    const replacement = table.get(phraseKey(m[0]));
    if (replacement !== undefined) plan.tryEdit('verbosePhrase', m.index, end, replacement, true);
  }
  pattern.lastIndex = 0;
}

/**
 * Aggressive level: articles ("the", "a", "an") dropped where a lower-case article stands
 * between two words and the next word is not a blocker ("a few" keeps its article). Only
 * outside protected spans, like every other edit.
 */
function planArticles(plan: EditPlan, text: string, pack: CompiledPack, where?: (position: number) => boolean): void {
  const pattern = pack.articles;
  // Stryker disable next-line ConditionalExpression: equivalent, en, pt and es all define this pattern
  if (!pattern) return;
  pattern.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = pattern.exec(text)) !== null) {
    const end = m.index + m[0].length;
    if (where && !where(m.index)) continue;
    const next = /^[ \t]+([\p{L}\p{N}][\p{L}\p{N}'-]*)/u.exec(text.slice(end, end + 60));
    if (!next || pack.articleBlockers.has(next[1].toLowerCase())) continue;
    const nextWord = next[1].toLowerCase();
    if (pack.prepositionArticles.has(m[0].toLowerCase()) && pack.articleBlockerEndings.some((e) => nextWord.length > e.length + 1 && nextWord.endsWith(e))) continue;
    // "colunas (A a L)", "de 18 a 30": before a number or a lone capital the word is a preposition of a range, not an article.
    if (pack.prepositionArticles.has(m[0].toLowerCase()) && /^(?:\p{N}+|\p{Lu})$/u.test(next[1])) continue;
    if (!/^\p{Ll}/u.test(m[0])) {
      // "The email should…" → "Email should…": an opening article goes when a lower-case word follows.
      if (!plan.atSentenceStart(m.index) || !/^\p{Ll}/u.test(next[1])) continue;
    } else {
      const previous = /([\p{L}\p{N}']+)(,?)[ \t]+$/u.exec(text.slice(Math.max(0, m.index - 40), m.index));
      if (!previous || pack.articleKeepAfter.has(previous[1].toLowerCase())) continue;
      // "any of the steps", "3 of the sentences" keep their article: "any of steps" does not read.
      const partitive = /([\p{L}\p{N}]+)[ \t]+[\p{L}]+[ \t]+$/u.exec(text.slice(Math.max(0, m.index - 40), m.index));
      if (partitive && ['of', 'de'].includes(previous[1].toLowerCase()) && (/^\p{N}+$/u.test(partitive[1]) || pack.partitiveQuantifiers.has(partitive[1].toLowerCase()))) continue;
    }
    plan.tryEdit('filler', m.index, end, '', true);
  }
  pattern.lastIndex = 0;
}

/**
 * Aggressive level, telegraphic style: a role sentence loses its copula and article
 * ("You are an expert at X" → "Expert at X"; "Eres un traductor" → "Traductor").
 */
function planRoleCopulas(plan: EditPlan, text: string, pack: CompiledPack): void {
  const pattern = pack.roleCopulas;
  // Stryker disable next-line ConditionalExpression: equivalent, en, pt and es all define this pattern
  if (!pattern) return;
  pattern.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = pattern.exec(text)) !== null) {
    const end = m.index + m[0].length;
    const next = /^[ \t]+([\p{L}][\p{L}'-]*)/u.exec(text.slice(end, end + 60));
    if (!next || !/^\p{Ll}/u.test(next[1]) || pack.articleBlockers.has(next[1].toLowerCase()) || pack.imperativeBlockers.has(next[1].toLowerCase())) continue;
    // A bare noun ("You are a tutor." → "Tutor.") no longer reads as a role: at least two words must follow.
    const rest = (/^[^.!?\n]*/.exec(text.slice(end, end + 200))?.[0] ?? '').replace(pack.fillerAggressive ?? /$^/, ' ');
    if (pack.fillerAggressive) pack.fillerAggressive.lastIndex = 0;
    if ((rest.match(/[\p{L}\p{N}]+/gu) ?? []).length < 2) continue;
    if (!plan.atSentenceStart(m.index)) continue;
    plan.tryEdit('verbosePhrase', m.index, end, '', true);
  }
  pattern.lastIndex = 0;
}

/**
 * Aggressive level: a subject pronoun before a verb that reads as an imperative goes
 * ("You only output Markdown" → "Only output Markdown"). Only the verbs listed in the pack.
 */
function planSubjectPronouns(plan: EditPlan, text: string, pack: CompiledPack): void {
  const pattern = pack.subjectPronouns;
  // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent, a pack has both subject pronouns and their verbs (en) or neither (pt, es)
  if (!pattern || pack.pronounVerbs.size === 0) return;
  pattern.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = pattern.exec(text)) !== null) {
    const end = m.index + m[0].length;
    const next = /^[ \t]+([\p{L}][\p{L}'-]*)/u.exec(text.slice(end, end + 40));
    if (!next || !/^\p{Ll}/u.test(next[1]) || !pack.pronounVerbs.has(next[1].toLowerCase())) continue;
    if (!plan.atSentenceStart(m.index)) continue;
    plan.tryEdit('filler', m.index, end, '', true);
  }
  pattern.lastIndex = 0;
}

/** Aggressive level: bold/italic markers around a short run of words, and decorative rule lines (`---`, `***`). */
function planMarkdownEmphasis(plan: EditPlan, text: string): void {
  const emphasis = /(\*\*|__)(?=\S)([^*_\n`]{1,80}?)(?<=\S)\1/g;
  let m: RegExpExecArray | null;
  while ((m = emphasis.exec(text)) !== null) {
    const open = m.index;
    const close = m.index + m[1].length + m[2].length;
    // Both markers or neither.
    const before = plan.edits.length;
    if (plan.tryExact('whitespace', open, open + m[1].length, '', true) && !plan.tryExact('whitespace', close, close + m[1].length, '', true)) plan.undoSince(before);
  }
  const rule = /^[ \t]*(?:-{3,}|\*{3,}|_{3,})[ \t]*$/gm;
  while ((m = rule.exec(text)) !== null) {
    // Only between two paragraphs (not a YAML front-matter fence or a table line).
    const after = text.slice(m.index + m[0].length, m.index + m[0].length + 2);
    if (m.index === 0 || !after.startsWith('\n')) continue;
    plan.tryExact('whitespace', m.index, m.index + m[0].length + 1, '', true);
  }
}

/**
 * Filler words deleted, except an adverb coordinated with another ("clearly and concisely"
 * keeps both: "concisely" alone would leave "and concisely" behind).
 */
function planFiller(plan: EditPlan, text: string, pattern: RegExp | undefined, pack: CompiledPack): void {
  // Stryker disable next-line ConditionalExpression: equivalent, en, pt and es all define filler, fillerAdverbs and fillerAggressive
  if (!pattern) return;
  pattern.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = pattern.exec(text)) !== null) {
    const end = m.index + m[0].length;
    // The coordinated partner is another adverb ("-ly", "-mente"): "read carefully and list" still loses "carefully".
    const after = /^[ \t]*([\p{L}&]+)[ \t]+([\p{L}]+)/u.exec(text.slice(end, end + 40));
    const before = /([\p{L}]+)[ \t]+([\p{L}&]+)[ \t]*$/u.exec(text.slice(Math.max(0, m.index - 40), m.index));
    const adverb = (w: string) => /(?:ly|mente)$/iu.test(w);
    if ((after && pack.coordinators.has(after[1].toLowerCase()) && adverb(after[2])) || (before && pack.coordinators.has(before[2].toLowerCase()) && adverb(before[1]))) continue;
    // Right after a negation the word is what is negated: "doesn't fully support" is not "doesn't support".
    const previous = /([\p{L}'’]+)[ \t]*$/u.exec(text.slice(Math.max(0, m.index - 40), m.index));
    if (previous && NEGATED_BY.test(previous[1])) continue;
    plan.tryEdit('filler', m.index, end, '', 'unnegated');
  }
  pattern.lastIndex = 0;
}

/**
 * Medium level, pro-drop languages (es, pt): a subject pronoun goes before a lower-case word
 * ("y tú responderás" → "y responderás"), unless that word is a blocker ("tú y yo").
 */
function planDropPronouns(plan: EditPlan, text: string, pack: CompiledPack): void {
  const pattern = pack.dropPronouns;
  if (!pattern) return;
  pattern.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = pattern.exec(text)) !== null) {
    const end = m.index + m[0].length;
    const next = /^[ \t]+([\p{L}][\p{L}'-]*)/u.exec(text.slice(end, end + 40));
    if (!next || !/^\p{Ll}/u.test(next[1]) || pack.dropPronounBlockers.has(next[1].toLowerCase())) continue;
    // "entre tú y yo", "como yo,": a pronoun after a preposition or before punctuation is an object, not a subject.
    const previous = /([\p{L}]+)[ \t]*$/u.exec(text.slice(Math.max(0, m.index - 20), m.index))?.[1]?.toLowerCase();
    // After a coordinator the pronoun is a subject again ("y tú lo resumirás"); the blockers there are prepositions.
    // Stryker disable next-line ConditionalExpression: equivalent, `has(undefined)` is false anyway (the test only narrows the type)
    if (previous !== undefined && pack.dropPronounBlockers.has(previous) && !pack.coordinators.has(previous)) continue;
    plan.tryEdit('filler', m.index, end, '', true);
  }
  pattern.lastIndex = 0;
}

/**
 * Aggressive level: the conjunction closing a comma series goes ("clear, concise, and
 * polite" → "clear, concise, polite"), only where an earlier comma in the same sentence and a
 * short item (three words at most) just before it make it a series.
 */
function planSeriesConjunctions(plan: EditPlan, text: string, pack: CompiledPack): void {
  // Stryker disable next-line ConditionalExpression: equivalent, with no series conjunction the loop below edits nothing (a shortcut)
  if (pack.seriesConjunctions.size === 0) return;
  const pattern = /,[ \t]+([\p{L}]+)[ \t]+(?=[\p{L}\p{N}])/gu;
  let m: RegExpExecArray | null;
  while ((m = pattern.exec(text)) !== null) {
    if (!pack.seriesConjunctions.has(m[1].toLowerCase())) continue;
    // The sentence so far: the items before it must be short ("A, B, and C"), not clauses.
    const head = text.slice(Math.max(0, m.index - 120), m.index);
    const sentence = head.slice(Math.max(head.lastIndexOf('\n'), head.search(/[.!?:;][^.!?:;]*$/)) + 1);
    const items = sentence.split(',');
    // At least one earlier comma, and the item just before is short (a series item, not a clause).
    const previousItem = (items[items.length - 1].match(/[\p{L}\p{N}]+/gu) ?? []).length;
    if (items.length < 2 || previousItem === 0 || previousItem > 3) continue;
    const start = m.index + m[0].indexOf(m[1]);
    const stop = m.index + m[0].length;
    plan.tryExact('filler', start, stop, '', true);
  }
}

/**
 * Medium level: a relative pronoun and its copula before a past participle go ("services that
 * are provided by the user" → "services provided by the user"; "el texto que está escrito" →
 * "el texto escrito"). Only after a word that can head the noun phrase (not "all that is
 * needed"), and only before a participle the pack recognises.
 */
function planReducedRelatives(plan: EditPlan, text: string, pack: CompiledPack): void {
  const pattern = pack.reducedRelatives;
  // Stryker disable next-line ConditionalExpression: equivalent, en, pt and es all define this pattern
  if (!pattern) return;
  pattern.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = pattern.exec(text)) !== null) {
    const end = m.index + m[0].length;
    const next = /^[ \t]+([\p{L}]+)(?![\p{L}'’-])/u.exec(text.slice(end, end + 40))?.[1]?.toLowerCase();
    const previous = /([\p{L}]+)[ \t]+$/u.exec(text.slice(Math.max(0, m.index - 40), m.index))?.[1]?.toLowerCase();
    if (!next || !previous || pack.participleBlockers.has(next) || pack.participleBlockers.has(previous)) continue;
    const participle = pack.participles.has(next) || pack.participleEndings.some((e) => next.length > e.length + 2 && next.endsWith(e));
    if (!participle || plan.atSentenceStart(m.index)) continue;
    // "an AI who is trapped but has been given access": the relative pronoun is the subject of the next clause too.
    const after = /^[ \t]+[\p{L}]+[ \t,]+([\p{L}]+)/u.exec(text.slice(end, end + 60))?.[1]?.toLowerCase();
    if (after && (pack.coordinators.has(after) || pack.pack.clauseBreaks.some((w) => w.toLowerCase() === after))) continue;
    plan.tryExact('verbosePhrase', m.index, end + 1, '', true);
  }
  pattern.lastIndex = 0;
}

/** A heading echoed as a label on the next line ("# INPUT" then "INPUT:"): the label goes, the heading says it. */
function planHeadingEcho(plan: EditPlan, text: string): void {
  const pattern = /^[ \t]*(?:\*\*)?#{1,6}[ \t]*([^\n#*:]+?)[ \t]*:?[ \t]*(?:\*\*)?[ \t]*\n(?:[ \t]*\n)*([ \t]*([^\n:]+?):[ \t]*)$/gm;
  let m: RegExpExecArray | null;
  while ((m = pattern.exec(text)) !== null) {
    if (m[1].trim().toLowerCase() !== m[3].trim().toLowerCase()) continue;
    const start = m.index + m[0].length - m[2].length;
    plan.deleteEcho(start, m.index + m[0].length);
  }
}

function planPhrases(plan: EditPlan, text: string, pack: CompiledPack, rules: ReadonlySet<CompressionRule>): void {
  const step = (rule: CompressionRule, run: () => void) => {
    if (!rules.has(rule)) return;
    plan.rule = rule;
    run();
  };
  if (!rules.has('verbose')) {
    step('politeness', () => applyPattern(plan, text, pack.politeness, 'politeness', () => '', true));
    return;
  }
  step('roleCopula', () => planRoleCopulas(plan, text, pack));
  // Longer phrases first: "please note that" is one filler phrase, not "please" and a stranded "note that".
  step('verbose', () => applyPattern(plan, text, pack.compressVerbosePattern, 'verbosePhrase', (m) => pack.compressVerbose.get(phraseKey(m)) ?? m, true));
  step('ritual', () => planFiller(plan, text, pack.ritual, pack));
  step('demonstrative', () => planDemonstratives(plan, text, pack));
  step('imperativeLead', () => planImperativeLeads(plan, text, pack));
  // After imperative leads ("You will write" → "Write" saves more), before contractions (which would take "I will" first).
  step('auxiliary', () => planAuxiliaries(plan, text, pack));
  step('auxiliary', () => planFutureAuxiliaries(plan, text, pack));
  step('reducedRelative', () => planReducedRelatives(plan, text, pack));
  step('subjectPronoun', () => planSubjectPronouns(plan, text, pack));
  step('inputLabel', () => planFollowedRewrites(plan, text, pack.verboseAggressivePattern, pack.verboseAggressive));
  step('shortForm', () => planFollowedRewrites(plan, text, pack.shortFormsPattern, pack.shortForms));
  step('contraction', () => planFollowedRewrites(plan, text, pack.contractionsPattern, pack.contractions));
  step('filler', () => planFiller(plan, text, pack.filler, pack));
  step('filler', () => planFiller(plan, text, pack.fillerAdverbs, pack));
  step('dropPronoun', () => planDropPronouns(plan, text, pack));
  step('politeness', () => applyPattern(plan, text, pack.politeness, 'politeness', () => '', true));
  step('fillerAggressive', () => planFiller(plan, text, pack.fillerAggressive, pack));
  step('seriesConjunction', () => planSeriesConjunctions(plan, text, pack));
  step('copula', () => planCopulas(plan, text, pack));
  step('article', () => planArticles(plan, text, pack));
  // Medium: headings, list items and labels are fragments by convention; they lose their articles, full sentences keep them.
  // Stryker disable next-line OptionalChaining: equivalent, an article is a word and a word always lies inside a unit
  if (!rules.has('article')) step('fragmentArticle', () => planArticles(plan, text, pack, (at) => inFragment(text, at, plan.unitAt(at)?.kind)));
  step('markdownEmphasis', () => planMarkdownEmphasis(plan, text));
  step('listSpacing', () => planListSpacing(plan, text));
  step('headingEcho', () => planHeadingEcho(plan, text));
}

/** Whitespace and punctuation left over by deletions, fixed only outside protected spans. */
function cleanup(text: string, language: string): { text: string; removedChars: number } {
  const analysis = analyzeProtected(text, language);
  const mask = buildMask(text, analysis.spans);
  const plan = new EditPlan(text, mask);
  const rules: Array<[RegExp, string]> = [
    [/[ \t]+$/gm, ''],
    [/(?<=\S)[ \t]{2,}(?=\S)/g, ' '],
    [/\n{3,}/g, '\n\n'],
    [/(?<=\S)[ \t]+(?=[,.;:!?](?:\s|$))/g, ''],
    [/(?<=[,;])[ \t]*[,;]/g, ''],
    [/^[ \t]*[,;][ \t]*/gm, ''],
  ];
  for (const [pattern, replacement] of rules) {
    pattern.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = pattern.exec(text)) !== null) {
      if (m[0].length === 0) {
        pattern.lastIndex++;
        continue;
      }
      const start = m.index;
      const end = start + m[0].length;
      if (isFree(mask, start, end)) plan.edits.push({ kind: 'whitespace', text: m[0], replacement, start, end });
    }
  }
  // Overlapping rule hits: keep the first of each overlap.
  plan.edits.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Edit[] = [];
  for (const edit of plan.edits) {
    const last = kept[kept.length - 1];
    if (!last || edit.start >= last.end) kept.push(edit);
  }
  plan.edits.length = 0;
  plan.edits.push(...kept);
  const out = plan.apply();
  const trimmed = out.trim() === '' ? out : out.replace(/^\s*\n/, '').replace(/\s+$/, '');
  return { text: trimmed, removedChars: text.length - trimmed.length };
}

/** A section heading's capitals are typography, not a name: the words to fold lose their name protection (and retention item). */
function releaseFolded(spans: readonly ProtectedSpan[], folds: readonly HeadingFold[]): readonly ProtectedSpan[] {
  return folds.length === 0 ? spans : spans.filter((s) => s.kind !== 'name' || !folds.some((f) => f.start < s.end && s.start < f.end));
}

interface Pass {
  text: string;
  removed: Edit[];
  retention: CompressionResult['retention'];
  warnings: string[];
}

/** One pass of the given rules over `text`; undone whole when a protected item would be lost. */
function runRules(text: string, language: string, pack: CompiledPack, rules: ReadonlySet<CompressionRule>): Pass {
  const warnings: string[] = [];
  const analysis = analyzeProtected(text, language);
  const folds: HeadingFold[] = rules.has('headingCase') ? headingFolds(text, pack) : [];
  const spans = releaseFolded(analysis.spans, folds);
  // From the medium level, constraint and format clauses take safe edits; their keep words (KEEP_WORD) and the word after each stay.
  const mask = buildMask(text, spans, rules.has('softConstraintClauses'));
  const items = retentionItems(text, spans, mask);
  const plan = new EditPlan(text, mask, analysis.units);
  if (rules.has('genericRole')) {
    plan.rule = 'genericRole';
    planGenericRoles(plan, analysis.units, pack);
  }
  // Every level drops exact repeats; near-duplicates only at the aggressive level.
  plan.rule = 'repetition';
  planRepetition(plan, analysis.units, analysis.spans, rules.has('nearDuplicate'));
  planPhrases(plan, text, pack, rules);
  plan.rule = 'headingCase';
  planHeadingCase(plan, folds);
  let candidate = plan.apply();
  let removed: Edit[] = [...plan.edits].sort((a, b) => a.start - b.start);

  const cleaned = cleanup(candidate, language);
  if (checkRetention(items, cleaned.text).missing.length === 0) {
    if (cleaned.removedChars > 0) removed.push({ kind: 'whitespace', rule: 'whitespace', text: `${cleaned.removedChars} whitespace/punctuation characters`, replacement: '', start: 0, end: 0 });
    candidate = cleaned.text;
  } else {
    warnings.push('Whitespace clean-up was skipped: it would have changed a protected item.');
  }
  let retention = checkRetention(items, candidate);
  if (retention.missing.length > 0) {
    warnings.push(`Compression was undone: it would have lost ${retention.missing.length} protected item(s), e.g. ${JSON.stringify(retention.missing[0])}.`);
    candidate = text;
    removed = [];
    retention = checkRetention(items, candidate);
  }
  return { text: candidate, removed, retention, warnings };
}

/**
 * What compression at the medium and aggressive levels guarantees to keep of `text`: every
 * exact item (numbers, quotes, code, placeholders, names unless `includeNames` is false, but not
 * the capitals of a section heading the medium level folds) and,
 * in each constraint or output-format clause, the runs no edit may touch (each keep word of
 * KEEP_WORD with the word after it). The distiller and optimizer check their output against it.
 */
export function retainedItems(text: string, language: string, options: { includeNames?: boolean } = {}): string[] {
  // The medium level folds section headings ("# STEPS" → "# Steps"): their capitals are no item to keep.
  const all = releaseFolded(analyzeProtected(text, language).spans, headingFolds(text, compiledPack(language)));
  const spans = all.filter((s) => s.kind !== 'name' || options.includeNames !== false);
  return retentionItems(text, spans, buildMask(text, spans, true));
}

/** What was removed, grouped by rule and text (case-insensitive), most frequent first. */
export function summarizeRemovals(removed: readonly Removal[]): RemovalSummary[] {
  const groups = new Map<string, RemovalSummary>();
  for (const r of removed) {
    const rule = r.rule ?? r.kind;
    // A removed blank line normalizes to nothing: the report names it instead of showing "".
    const text = r.start === 0 && r.end === 0 ? 'whitespace/punctuation characters' : normalizeWhitespace(r.text).toLowerCase() || '(blank line)';
    const label = r.replacement === '' ? text : `${text} → ${normalizeWhitespace(r.replacement).toLowerCase()}`;
    const key = `${rule}\u0000${label}`;
    const count = r.start === 0 && r.end === 0 ? Number(/^\d+/.exec(r.text)?.[0] ?? 1) : 1;
    const group = groups.get(key);
    if (group) group.count += count;
    else groups.set(key, { rule, reason: ruleReason(rule), text: label, count });
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || a.rule.localeCompare(b.rule) || a.text.localeCompare(b.text));
}

export class PromptCompressor {
  constructor(private readonly tokenizer: TokenizerService = sharedTokenizer()) {}

  compress(text: string, options: CompressOptions = {}): CompressionResult {
    const started = performance.now();
    const model = options.model ?? DEFAULT_MODEL;
    const detected = options.language ?? detectLanguage(text).language;
    const language = detected === 'und' ? 'en' : detected;
    const pack = compiledPack(language);
    const before = this.tokenizer.count(text, model);

    let pass: Pass;
    let level: CompressionLevel;
    let target: CompressionTarget | undefined;
    let afterCount: ReturnType<TokenizerService['count']>;
    if (options.targetRatio !== undefined) {
      const ratio = options.targetRatio;
      if (!(ratio > 0 && ratio < 1)) throw new RangeError(`targetRatio must lie between 0 and 1 (exclusive), got ${ratio}.`);
      let stage = 0;
      do {
        stage++;
        pass = runRules(text, language, pack, rulesUpTo(stage));
        afterCount = this.tokenizer.count(pass.text, model);
      } while (stage < STAGES.length && before.count > 0 && (before.count - afterCount.count) / before.count < ratio);
      const reduction = before.count === 0 ? 0 : (before.count - afterCount.count) / before.count;
      const reached = reduction >= ratio;
      level = STAGES[stage - 1].level;
      target = {
        ratio,
        reached,
        stages: STAGES.slice(0, stage).map((s) => s.name),
        message: reached
          ? `Target of ${(100 * ratio).toFixed(1)} % reached after stage "${STAGES[stage - 1].name}" (${(100 * reduction).toFixed(1)} %).`
          : `Target of ${(100 * ratio).toFixed(1)} % NOT reached: every safe rule was applied and the reduction is ${(100 * reduction).toFixed(1)} %. Removing more would drop content or protected items.`,
      };
      if (!reached) pass.warnings.push(target.message);
    } else {
      level = options.level ?? 'medium';
      pass = runRules(text, language, pack, rulesUpTo(stagesForLevel(level)));
      afterCount = this.tokenizer.count(pass.text, model);
    }

    const removed: Removal[] = pass.removed.map(({ capitalizeNext: _capitalize, ...r }) => r);
    return {
      text: pass.text,
      level,
      language,
      tokensBefore: before.count,
      tokensAfter: afterCount.count,
      tokensSaved: before.count - afterCount.count,
      reductionPercent: before.count === 0 ? 0 : Math.round((10000 * (before.count - afterCount.count)) / before.count) / 100,
      charactersBefore: text.length,
      charactersAfter: pass.text.length,
      removed,
      removedSummary: summarizeRemovals(removed),
      ...(target ? { target } : {}),
      retention: pass.retention,
      tokens: afterCount,
      warnings: pass.warnings,
      elapsedMs: performance.now() - started,
    };
  }
}

export type { CompressionLevel, CompressionResult, Removal, RemovalKind };

/**
 * The seed's PromptCompressor: deterministic, rule-based compression. It deletes
 * politeness and filler, shortens verbose phrasing (phrase → replacement pairs from the
 * language pack), drops repeated sentences and collapses whitespace, and it never edits a
 * protected span. The result is checked against the original's protected items; if any
 * went missing the compressor backs off rather than return a damaged prompt.
 */
import type { CompressionLevel, CompressionResult, Removal, RemovalKind } from '../../protocol/prompt';
import { DEFAULT_MODEL } from './defaults';
import { compiledPack, detectLanguage, matchesAny, type CompiledPack } from './languages';
import { analyzeProtected, checkRetention, isSentenceLevel, protectedItems, spansWithin, type ProtectedSpan } from './protected';
import { normalizeWhitespace } from './spans';
import { words, type TextUnit } from './text';
import { sharedTokenizer, type TokenizerService } from './tokenizer';

export const COMPRESSION_LEVELS: readonly CompressionLevel[] = ['light', 'medium', 'aggressive'];

export interface CompressOptions {
  level?: CompressionLevel;
  model?: string;
  /** Forces the language pack; detected when absent. */
  language?: string;
}

interface Edit extends Removal {
  /** Upper-case the first letter that follows (the deletion left it starting a sentence). */
  capitalizeNext?: boolean;
}

/**
 * 0: free; 1: protected; 2: first letter of a protected sentence (may be re-cased only);
 * 3 (aggressive level only): inside a constraint or output-format clause that holds no negation: only
 * meaning-preserving edits (verbose phrase → short form, contractions, politeness, and at the
 * aggressive level articles) may touch it, never its cue word ("only", "must", "JSON"…) or
 * the word after the cue.
 */
type Mask = Uint8Array;

/** Negation words of every pack: a clause holding one is kept verbatim ("do not just list" is not "do not list"). */
const NEGATION = /(?<![\p{L}\p{N}_'])(?:not|no|nor|never|none|nothing|cannot|can't|don't|doesn't|won't|mustn't|shouldn't|without|não|nunca|jamais|nem|nenhum|nenhuma|nada|sem|jamás|ni|ninguno|ninguna|sin)(?![\p{L}\p{N}_])/iu;
/** Hard-constraint words of every pack: they and the word after them are never edited. */
const CONSTRAINT_WORD = /(?<![\p{L}\p{N}_])(?:only|must|always|exactly|strictly|at most|at least|no more than|avoid|required|apenas|somente|só|sempre|deve|devem|exatamente|estritamente|no máximo|no mínimo|evite|solo|sólo|solamente|únicamente|exclusivamente|siempre|debe|debes|deben|exactamente|estrictamente|como máximo|como mínimo|evita)(?![\p{L}\p{N}_])/giu;

function buildMask(text: string, spans: readonly ProtectedSpan[], softClauses = false): Mask {
  const mask = new Uint8Array(text.length);
  for (const span of spans) if (!isSentenceLevel(span)) mask.fill(1, span.start, span.end);
  for (const span of spans) {
    if (!isSentenceLevel(span)) continue;
    const firstFree = mask[span.start] === 0;
    if (!softClauses || NEGATION.test(span.text)) {
      mask.fill(1, span.start, span.end);
    } else {
      for (let i = span.start; i < span.end; i++) if (mask[i] === 0) mask[i] = 3;
      // The cue: the clause's first word, each constraint word, and the word after each of them.
      const hard = (from: number) => {
        const word = /^[^\p{L}\p{N}]*[\p{L}\p{N}][\p{L}\p{N}'’-]*/u.exec(text.slice(from, span.end));
        if (word) for (let i = from; i < from + word[0].length; i++) if (mask[i] === 3) mask[i] = 1;
        return word ? from + word[0].length : from;
      };
      hard(hard(span.start));
      CONSTRAINT_WORD.lastIndex = 0;
      let m: RegExpExecArray | null;
      const body = span.text;
      while ((m = CONSTRAINT_WORD.exec(body)) !== null) hard(hard(span.start + m.index));
      CONSTRAINT_WORD.lastIndex = 0;
    }
    if (firstFree) mask[span.start] = 2;
  }
  return mask;
}

/** Whether [start, end) may be edited: free text, or soft-protected text for a meaning-preserving edit. */
function isFree(mask: Mask, start: number, end: number, soft = false): boolean {
  for (let i = start; i < end; i++) if (mask[i] !== 0 && !(soft && mask[i] === 3)) return false;
  return true;
}

/**
 * What the compressed text must still contain: every exact item (numbers, quotes, code,
 * names…), every negated clause whole, and of the other constraint clauses the runs no edit
 * may touch (the cue and the word after it, names, numbers inside).
 */
function retentionItems(text: string, spans: readonly ProtectedSpan[], mask: Mask): string[] {
  const items = new Set(protectedItems(spans.filter((s) => !isSentenceLevel(s) || mask.subarray(s.start, s.end).every((v) => v !== 3))));
  for (const span of spans) {
    if (!isSentenceLevel(span)) continue;
    let i = span.start;
    while (i < span.end) {
      if (mask[i] === 3) {
        i++;
        continue;
      }
      let j = i;
      while (j < span.end && mask[j] !== 3) j++;
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
  private readonly taken: Uint8Array;

  constructor(
    private readonly text: string,
    private readonly mask: Mask,
    private readonly units: readonly TextUnit[] = [],
  ) {
    this.taken = new Uint8Array(text.length);
  }

  /** Deletes or replaces [start, end) when it touches nothing protected or already edited. */
  tryEdit(kind: RemovalKind, start: number, end: number, replacement: string, soft = false): boolean {
    const text = this.text;
    if (!isFree(this.mask, start, end, soft) || !this.isUntaken(start, end)) return false;
    const open = (i: number) => this.mask[i] === 0 || (soft && this.mask[i] === 3);
    const original = text.slice(start, end);
    const value = matchCase(original, replacement);
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
      }
      if (!this.isUntaken(end, e)) e = end;
      end = e;
      capitalizeNext = this.atSentenceStart(start);
    }
    this.taken.fill(1, start, end);
    this.edits.push({ kind, text: text.slice(start, end), replacement: value, start, end, capitalizeNext });
    return true;
  }

  /** True when `position` begins a unit: only list markers, quotes or spaces lie between. */
  atSentenceStart(position: number): boolean {
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
    if (!found || position > found.end) return false;
    return /^[\s"'“(*>#•\-\d.)]*$/.test(this.text.slice(found.start, position));
  }

  /** Deletes a whole unit (a repeated sentence) regardless of protection: its twin keeps the content. */
  deleteUnit(unit: TextUnit, kind: RemovalKind = 'repetition'): boolean {
    let end = unit.end;
    while (end < this.text.length && /[ \t]/.test(this.text[end])) end++;
    if (!this.isUntaken(unit.start, end)) return false;
    this.taken.fill(1, unit.start, end);
    this.edits.push({ kind, text: this.text.slice(unit.start, end), replacement: '', start: unit.start, end });
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

function applyPattern(plan: EditPlan, text: string, pattern: RegExp | undefined, kind: RemovalKind, replacementFor: (match: string) => string, soft = false): void {
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

function planRepetition(plan: EditPlan, units: readonly TextUnit[], spans: readonly ProtectedSpan[], level: CompressionLevel): void {
  const seen = new Map<string, TextUnit>();
  const prose = units.filter((u) => u.kind !== 'heading');
  const spansIn = (unit: TextUnit) => spansWithin(spans, unit.start, unit.end);
  const earlier: Array<{ unit: TextUnit; words: Set<string> }> = [];
  for (const unit of prose) {
    const inner = unit.kind === 'code' || unit.kind === 'structured' ? [] : spansIn(unit);
    const protectedUnit = unit.kind === 'code' || unit.kind === 'structured' || inner.length > 0;
    const key = unitKey(unit, protectedUnit);
    if (key.length === 0) continue;
    const twin = seen.get(key);
    if (twin) {
      plan.deleteUnit(unit);
      continue;
    }
    seen.set(key, unit);
    if (level === 'aggressive' && unit.kind !== 'code' && unit.kind !== 'structured' && prose.length <= NEAR_DUPLICATE_LIMIT) {
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
    plan.tryEdit('verbosePhrase', m.index, end, '');
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
function planArticles(plan: EditPlan, text: string, pack: CompiledPack): void {
  const pattern = pack.articles;
  if (!pattern) return;
  pattern.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = pattern.exec(text)) !== null) {
    if (!/^\p{Ll}/u.test(m[0])) continue;
    const end = m.index + m[0].length;
    const next = /^[ \t]+([\p{L}][\p{L}'-]*)/u.exec(text.slice(end, end + 60));
    if (!next || pack.articleBlockers.has(next[1].toLowerCase())) continue;
    const previous = /([\p{L}\p{N}']+)(,?)[ \t]+$/u.exec(text.slice(Math.max(0, m.index - 40), m.index));
    if (!previous || pack.articleKeepAfter.has(previous[1].toLowerCase())) continue;
    plan.tryEdit('filler', m.index, end, '', true);
  }
  pattern.lastIndex = 0;
}

function planPhrases(plan: EditPlan, text: string, pack: CompiledPack, level: CompressionLevel): void {
  if (level === 'light') {
    applyPattern(plan, text, pack.politeness, 'politeness', () => '', true);
    return;
  }
  // Longer phrases first: "please note that" is one filler phrase, not "please" and a stranded "note that".
  applyPattern(plan, text, pack.verbosePattern, 'verbosePhrase', (m) => pack.verbose.get(phraseKey(m)) ?? m, true);
  planImperativeLeads(plan, text, pack);
  if (level === 'aggressive') planFollowedRewrites(plan, text, pack.verboseAggressivePattern, pack.verboseAggressive);
  planFollowedRewrites(plan, text, pack.contractionsPattern, pack.contractions);
  applyPattern(plan, text, pack.filler, 'filler', () => '');
  applyPattern(plan, text, pack.politeness, 'politeness', () => '', true);
  if (level === 'aggressive') {
    applyPattern(plan, text, pack.fillerAggressive, 'filler', () => '');
    planArticles(plan, text, pack);
  }
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

export class PromptCompressor {
  constructor(private readonly tokenizer: TokenizerService = sharedTokenizer()) {}

  compress(text: string, options: CompressOptions = {}): CompressionResult {
    const started = performance.now();
    const level = options.level ?? 'medium';
    const model = options.model ?? DEFAULT_MODEL;
    const detected = options.language ?? detectLanguage(text).language;
    const language = detected === 'und' ? 'en' : detected;
    const pack = compiledPack(language);
    const warnings: string[] = [];

    const analysis = analyzeProtected(text, language);
    // Below the aggressive level constraint clauses stay verbatim: the distiller and optimizer check them whole.
    const mask = buildMask(text, analysis.spans, level === 'aggressive');
    const items = retentionItems(text, analysis.spans, mask);
    const plan = new EditPlan(text, mask, analysis.units);
    if (level !== 'light') planGenericRoles(plan, analysis.units, pack);
    // Every level drops exact repeats; near-duplicates only at the aggressive level.
    planRepetition(plan, analysis.units, analysis.spans, level);
    planPhrases(plan, text, pack, level);
    let candidate = plan.apply();
    let removed: Removal[] = [...plan.edits].sort((a, b) => a.start - b.start);

    const cleaned = cleanup(candidate, language);
    if (checkRetention(items, cleaned.text).missing.length === 0) {
      if (cleaned.removedChars > 0) removed.push({ kind: 'whitespace', text: `${cleaned.removedChars} whitespace/punctuation characters`, replacement: '', start: 0, end: 0 });
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

    const before = this.tokenizer.count(text, model);
    const after = this.tokenizer.count(candidate, model);
    return {
      text: candidate,
      level,
      language,
      tokensBefore: before.count,
      tokensAfter: after.count,
      tokensSaved: before.count - after.count,
      reductionPercent: before.count === 0 ? 0 : Math.round((10000 * (before.count - after.count)) / before.count) / 100,
      charactersBefore: text.length,
      charactersAfter: candidate.length,
      removed,
      retention,
      tokens: after,
      warnings,
      elapsedMs: performance.now() - started,
    };
  }
}

export type { CompressionLevel, CompressionResult, Removal, RemovalKind };

/**
 * The seed's PromptCompressor (the Python PepperPy `optimization` module's token-reducing
 * prompt compressor): deterministic, rule-based compression. It deletes
 * politeness and filler, shortens verbose phrasing (phrase → replacement pairs from the
 * language pack), drops repeated sentences and collapses whitespace, and it never edits a
 * protected span. The result is checked against the original's protected items; if any
 * went missing the compressor backs off rather than return a damaged prompt.
 *
 * This module holds the public entry points (PromptCompressor, retainedItems,
 * summarizeRemovals) and one pass of the rules with its clean-up and retention check. The
 * parts live beside it: the stages and levels (compressStages.ts), the protection mask and
 * keep words (compressMask.ts), the edit plan (compressPlan.ts), and the rule planners for
 * whole sentences (compressSentences.ts) and for phrases (compressPhrases.ts). Other modules
 * import from here; the stage list is re-exported so they need not know the split.
 */
import type { CompressionLevel, CompressionResult, CompressionTarget, Removal, RemovalKind, RemovalSummary } from '../../protocol/prompt';
import { DEFAULT_MODEL } from '../../shared/prompt/defaults';
import { compiledPack, detectLanguage, supportedLanguages, type CompiledPack } from '../../shared/prompt/languages';
import { isOtherLatinLanguage, OTHER_LANGUAGE_NAMES } from '../../shared/prompt/otherLanguages';
import { analyzeProtected, checkRetention, type ProtectedSpan } from '../../shared/prompt/protected';
import { normalizeWhitespace } from '../../shared/prompt/spans';
import type { TextUnit } from '../../shared/prompt/text';
import { sharedTokenizer, type TokenizerService } from '../../shared/prompt/tokenizer';
import { metaSentenceUnits, planMetaSentences, releaseUnits } from './compressGuards';
import { buildMask, isFree, retentionItems } from './compressMask';
import { planPhrases } from './compressPhrases';
import { EditPlan, type Edit } from './compressPlan';
import { ruleReason } from './compressReasons';
import { planDoubledWords, planGenericRoles, planRepetition } from './compressSentences';
import { rulesUpTo as allRulesUpTo, STAGES, stagesForLevel, type CompressionRule } from './compressStages';
import { headingGlossRanges, roleHeadingRange } from './compressMarkdown';
import { headingFolds, planHeadingCase, type HeadingFold } from './telegraphic';

export { COMPRESSION_LEVELS, STAGES, type CompressionRule } from './compressStages';

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
  /**
   * Counts a candidate's tokens for the target (default: the tokenizer on the text as given). A
   * caller that compresses a masked text (interpolations replaced by sentinels) counts the
   * unmasked text, so the target is met by the result the user gets.
   */
  measure?: (text: string) => number;
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
  // A blank first line and trailing space go; U+0085 (NEXT LINE) is a line break too, though JavaScript's \s leaves it out.
  const trimmed = out.trim() === '' ? out : out.replace(/^\s*\n/, '').replace(/[\s\u0085]+$/, '');
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
  // Aggressive: a meta sentence ("Ensure you follow ALL these instructions…") goes whole, its capitals with it.
  const metas = rules.has('metaSentence') ? metaSentenceUnits(analysis.units, pack) : [];
  // From the medium level, the role section's heading at the top goes before its role sentence; the names in it are no items to keep.
  const roleHeading = rules.has('roleHeading') ? roleHeadingRange(text, pack) : undefined;
  // So do the "//" glosses of a heading ("// What we are trying to achieve" under "# GOAL"; compress51en).
  const glosses = rules.has('headingEcho') ? headingGlossRanges(text, pack).map((r): TextUnit => ({ ...r, kind: 'heading', text: '' })) : [];
  const spans = releaseUnits(releaseFolded(analysis.spans, folds), [...metas, ...(roleHeading ? [{ ...roleHeading, kind: 'heading', text: '' } satisfies TextUnit] : []), ...glosses]);
  // From the medium level, constraint and format clauses take safe edits; their keep words (KEEP_WORD) and the word after each stay.
  const mask = buildMask(text, spans, rules.has('softConstraintClauses'));
  const items = retentionItems(text, spans, mask);
  const plan = new EditPlan(text, mask, analysis.units, pack.pack.indefiniteArticles);
  if (rules.has('genericRole')) {
    plan.rule = 'genericRole';
    planGenericRoles(plan, analysis.units, pack);
  }
  plan.rule = 'metaSentence';
  planMetaSentences(plan, text, metas);
  // Every level drops exact repeats; near-duplicates only at the aggressive level.
  plan.rule = 'repetition';
  planRepetition(plan, text, analysis.units, analysis.spans, rules.has('nearDuplicate'));
  if (rules.has('doubledWords')) {
    plan.rule = 'doubledWords';
    planDoubledWords(plan, text, pack);
  }
  planPhrases(plan, text, pack, rules);
  plan.rule = 'headingCase';
  planHeadingCase(plan, folds);
  plan.keepLabelsFilled();
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

/**
 * What was removed, grouped by rule and text, most frequent first. Grouping ignores case ("Please"
 * and "please" are one line), but the line shows the text as the prompt had it at its first
 * occurrence: lower-casing it would misquote the prompt ("STEPS → Steps" read "steps → steps").
 */
export function summarizeRemovals(removed: readonly Removal[]): RemovalSummary[] {
  const groups = new Map<string, RemovalSummary>();
  for (const r of removed) {
    const rule = r.rule ?? r.kind;
    // A removed blank line normalizes to nothing: the report names it instead of showing "".
    // An insertion (the colon that ends a heading written as a label) replaced nothing: the report says so.
    const text = r.start === 0 && r.end === 0 ? 'whitespace/punctuation characters' : r.text === '' ? '(inserted)' : normalizeWhitespace(r.text) || '(blank line)';
    const label = r.replacement === '' ? text : `${text} → ${normalizeWhitespace(r.replacement)}`;
    const key = `${rule}\u0000${label.toLowerCase()}`;
    const count = r.start === 0 && r.end === 0 ? Number(/^\d+/.exec(r.text)?.[0] ?? 1) : 1;
    const group = groups.get(key);
    if (group) group.count += count;
    else groups.set(key, { rule, reason: ruleReason(rule), text: label, count });
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || a.rule.localeCompare(b.rule) || a.text.localeCompare(b.text));
}

/** The rules no language's words drive: exact repeats and extra whitespace. */
const NEUTRAL_RULES: ReadonlySet<CompressionRule> = new Set<CompressionRule>(['repetition', 'whitespace']);

function languageNeutral(rules: ReadonlySet<CompressionRule>): Set<CompressionRule> {
  return new Set([...rules].filter((r) => NEUTRAL_RULES.has(r)));
}

/** Why a prompt in French, Italian, German… kept its wording (the CLI prints it; the editor says it in its own words). */
export function otherLanguageWarning(language: string): string {
  return `The rewrite rules are written for ${supportedLanguages().join(', ')}, and this prompt is in ${OTHER_LANGUAGE_NAMES[language] ?? language}: its wording is left as written (only exact repeats and extra whitespace go).`;
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
    // A French, Italian, German… prompt: no pack is written for it, and another language's rules mangle it (otherLanguages.ts).
    const other = isOtherLatinLanguage(language);
    const rulesUpTo = other ? (stages: number) => languageNeutral(allRulesUpTo(stages)) : allRulesUpTo;

    let pass: Pass;
    let level: CompressionLevel;
    let target: CompressionTarget | undefined;
    let afterCount: ReturnType<TokenizerService['count']>;
    if (options.targetRatio !== undefined) {
      const ratio = options.targetRatio;
      if (!(ratio > 0 && ratio < 1)) throw new RangeError(`targetRatio must lie between 0 and 1 (exclusive), got ${ratio}.`);
      const measure = options.measure ?? ((t: string) => this.tokenizer.count(t, model).count);
      const measuredBefore = measure(text);
      const reductionOf = (t: string) => (measuredBefore === 0 ? 0 : (measuredBefore - measure(t)) / measuredBefore);
      let stage = 0;
      let reduction = 0;
      do {
        stage++;
        pass = runRules(text, language, pack, rulesUpTo(stage));
        reduction = reductionOf(pass.text);
      } while (stage < STAGES.length && measuredBefore > 0 && reduction < ratio);
      afterCount = this.tokenizer.count(pass.text, model);
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
    if (other) pass.warnings.unshift(otherLanguageWarning(language));
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

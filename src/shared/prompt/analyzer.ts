/**
 * The seed's PromptAnalyzer (the prompt analyzer class of the Python PepperPy `optimization`
 * module: token count, complexity, redundancy and clarity out of 10, suggestions): token count, three 0-10 scores computed from measurable
 * features (definitions in docs/prompt-scores.md), the detected language, and
 * suggestions that each name a character range and the tokens the change would save.
 */
import type { OptimizationSuggestion, PromptAnalysis, PromptFeatures, TokenCount } from '../../protocol/prompt';
import { DEFAULT_MODEL } from './defaults';
import { compiledPack, countAmbiguous, countMatches, detectLanguage, isAmbiguousIdiom, matchesAny, type CompiledPack } from './languages';
import { adverbialFillerStays, inFixedExpression, notedAfterCondition, notedAfterTo, notedAsNoun, politenessStays, quantityForm, restrictiveFiller, SUBJECT_PHRASE } from './languages/phrases';
import { analyzeProtected, isSentenceLevel, spansWithin, type ProtectedAnalysis } from './protected';
import { normalizeWhitespace, RangeIndex } from './spans';
import { fieldsOfRecords, notesOnDifferentBlocks, onlyUnitOfSection, subItemsOfDifferentParents, templateBoundaries, templateScope, words, type TextUnit } from './text';
import { sharedTokenizer, type TokenizerService } from './tokenizer';

export { DEFAULT_MODEL } from './defaults';

export interface AnalyzeOptions {
  model?: string;
  /**
   * Set when the call that sends the prompt gives the model an output schema (structuredOutput.ts): the schema states
   * the output format, so `hasOutputFormat` holds and no "No output format stated" is reported.
   */
  outputSchema?: string;
  /** Forces the language pack; detected when absent. */
  language?: string;
}

export interface SuggestionOptions extends AnalyzeOptions {
  /**
   * The kinds the caller reads (the editor shows six). Suggestions of other kinds may then be
   * left out, and the features they need not measured, whenever leaving them out cannot change
   * the ones of these kinds (the cap of 200 is the only way one kind affects another).
   */
  kinds?: ReadonlySet<OptimizationSuggestion['kind']>;
}

/** Suggestions past this many are summarized: a 1 MB prompt must not produce a 1 MB report. */
const MAX_SUGGESTIONS = 200;

const round1 = (x: number) => Math.round(x * 10) / 10;
const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/** An XML-style section that holds the answer's format: `<output_format>`, `<response-format>`, `<output_schema type="json">`. */
const OUTPUT_FORMAT_TAG = /<(?:output|response|answer)[_-]?(?:format|schema)(?:\s[^<>]*)?>/i;

/** Features of a prompt the scores are computed from. */
export function measureFeatures(text: string, protectedAnalysis: ProtectedAnalysis, pack: CompiledPack): PromptFeatures {
  const units = protectedAnalysis.units.filter((u) => u.kind !== 'code' && u.kind !== 'structured');
  const allWords = words(text);
  const instructionUnits = units.filter((u) => isInstruction(u, pack));
  const conditions = units.reduce((n, u) => n + countMatches(pack.conditions, u.text), 0);
  let listDepth = 0;
  for (const u of protectedAnalysis.units) {
    if (u.kind === 'listItem') {
      const indent = /^[ \t]*/.exec(text.slice(text.lastIndexOf('\n', u.start - 1) + 1, u.start + 1))?.[0].length ?? 0;
      listDepth = Math.max(listDepth, 1 + Math.floor(indent / 2));
    }
  }
  let headingDepth = 0;
  for (const u of protectedAnalysis.units) if (u.kind === 'heading') headingDepth = Math.max(headingDepth, (/^#+/.exec(u.text)?.[0].length ?? 1) > 2 ? 2 : 1);
  const nesting = listDepth + headingDepth + bracketDepth(text);

  // Redundancy: repeated word trigrams, duplicate sentences, filler.
  const trigramCounts = new Map<string, number>();
  for (let i = 0; i + 2 < allWords.length; i++) {
    const key = `${allWords[i]} ${allWords[i + 1]} ${allWords[i + 2]}`;
    trigramCounts.set(key, (trigramCounts.get(key) ?? 0) + 1);
  }
  let repeatedTrigrams = 0;
  for (const count of trigramCounts.values()) if (count > 1) repeatedTrigrams += count - 1;
  const trigramTotal = Math.max(0, allWords.length - 2);
  const seen = new Map<string, TextUnit>();
  let duplicateUnits = 0;
  const boundaries = templateBoundaries(text);
  const records = fieldsOfRecords(text);
  for (const u of units) {
    if (!isRepeatable(u)) continue;
    const key = repetitionKey(u, boundaries);
    const twin = seen.get(key);
    if (twin && !subItemsOfDifferentParents(text, u, twin) && !records(u, twin)) duplicateUnits++;
    else if (!twin) seen.set(key, u);
  }
  const fillerWords = phraseWordCount(text, pack.politeness) + phraseWordCount(text, pack.filler) + phraseWordCount(text, pack.verbosePattern);

  const hasTask = instructionUnits.length > 0 || /\?/.test(text);
  // A section tagged for it says it too (Perplexica's classifier: `<output_format>` around a JSON schema, a block no prose unit holds).
  const hasOutputFormat = protectedAnalysis.spans.some((s) => s.kind === 'outputFormat') || units.some((u) => matchesAny(pack.outputFormat, u.text)) || OUTPUT_FORMAT_TAG.test(text);
  const hasRole = matchesAny(pack.role, text.slice(0, 2000));
  const input = findInputs(protectedAnalysis, pack);
  const ambiguousWords = units.reduce((n, u) => n + countAmbiguous(pack, u.text), 0);

  return {
    words: allWords.length,
    sentences: units.length,
    instructions: instructionUnits.length,
    conditions,
    nestingDepth: nesting,
    longSentences: units.filter((u) => words(u.text).length > 30).length,
    repeatedTrigramShare: trigramTotal === 0 ? 0 : repeatedTrigrams / trigramTotal,
    duplicateSentences: duplicateUnits,
    fillerWordShare: allWords.length === 0 ? 0 : fillerWords / allWords.length,
    hasTask,
    hasOutputFormat,
    hasRole,
    inputs: input.total,
    delimitedInputs: input.delimited,
    ambiguousWords,
  };
}

/**
 * Filler that carries meaning where it stands, so removing it would change or break the
 * sentence: "rather than" (a comparison), "not just" (a contrast), "just"/"simply" after a
 * subject (= only, recently), "just the …" (= only), intensifiers ("very short" ≠ "short"), the
 * speaker's own voice ("I really enjoyed"), "make sure to not …". Exported so the compressor can
 * apply the same judgement (it still removes some of these at the default level).
 */
export function keepsMeaning(kind: OptimizationSuggestion['kind'], text: string, start: number, end: number): boolean {
  // "make sure to not provide" → "not provide": the instruction loses its verb.
  if ((kind === 'filler' || kind === 'verbosePhrase') && /^\s*not\b/i.test(text.slice(end, end + 5)) && /\bto\s*$/i.test(text.slice(start, end))) return true;
  if (kind !== 'filler') return false;
  const word = text.slice(start, end).trim().toLowerCase();
  if (word === 'rather' && /^\s+than\b/i.test(text.slice(end, end + 6))) return true;
  // At a clause's edge, before its verb, "rather" means "instead": "…in the same block: rather output results with print()"
  // (smolagents' code agent prompt, newuser46), "do not guess, but rather ask".
  if (word === 'rather' && /(?:^|[.!?:;,\n]|\bbut)\s*$/i.test(text.slice(Math.max(0, start - 5), start)) && /^\s+\p{Ll}/u.test(text.slice(end, end + 3))) return true;
  // "just the changing lines", "specifics, just the topic": "just" means "only".
  if (word === 'just' && (/^\s+(?:the|a|an|one|this|that|these|those|your|my|\d)\b/i.test(text.slice(end, end + 8)) || /,\s*$/.test(text.slice(Math.max(0, start - 3), start)))) return true;
  // After a subject ("the user just says", "you just proposed", "the tool simply logs") these words mean "only" or "recently".
  if ((word === 'just' || word === 'simply' || word === 'merely') && !/(?:^|[.!?:;,\n]\s*|\b(?:than|can|could|should|will|would|usually|often|then|and|or|to)\s+)$/i.test(text.slice(Math.max(0, start - 12), start))) return true;
  // "a very short summary" is not "a short summary".
  if (word === 'very' || word === 'muito' || word === 'muy') return true;
  // "decline my instruction honestly if you cannot…" (CAMEL's role-playing prompts): after the verb it says how, unlike
  // "Honestly, …" or "…, honestly, …" at a clause's edge.
  if (word === 'honestly' && !/(?:^|[.!?:;,\n(])\s*$/.test(text.slice(Math.max(0, start - 3), start)) && !/^\s*[,.!?;:)]/.test(text.slice(end, end + 2))) return true;
  // "I really enjoyed…": the speaker's own voice.
  if (/\b(?:I|we)\s+$/.test(text.slice(Math.max(0, start - 4), start))) return true;
  // "If the content was truncated, note that the user can …": after a condition the phrase is the main
  // clause's verb (what to do then); without it the instruction becomes a statement (browser-use, newuser26).
  if (notedAfterCondition(text, start, end)) return true;
  // "It is crucial to remember that …": removed alone, the phrase leaves its "to" without a verb.
  if (notedAfterTo(text, start, end) >= 0) return true;
  // "Keep a note that …": a noun, not filler.
  if (notedAsNoun(text, start, end)) return true;
  if (restrictiveFiller(text, start, end)) return true;
  // "make sure to not provide" → "not provide": the instruction loses its verb.
  if (/^\s*not\b/i.test(text.slice(end, end + 5))) return true;
  if (/\b(?:not|but|não|no|mas|pero|sino)\s+$/i.test(text.slice(Math.max(0, start - 5), start))) return true;
  return false;
}


/**
 * Politeness and filler inside quoted speech are the speaker's words, not the prompt's: a
 * "please" that ends an utterance ("a refund, please.") or a line of a dialogue transcript
 * ("Customer: Thank you very much.").
 */
function isSpeech(kind: OptimizationSuggestion['kind'], text: string, start: number, end: number, speakers: () => ReadonlySet<string>): boolean {
  if (kind !== 'politeness' && kind !== 'filler') return false;
  if (/^\s*[.?!]/.test(text.slice(end, end + 3)) && /[,]\s*$/.test(text.slice(Math.max(0, start - 3), start))) return true;
  const lead = leadOf(text, start);
  const speaker = lead.atLineStart ? SPEAKER.exec(lead.text) : null;
  if (!speaker) return false;
  // A transcript: another line starts with a different speaker's name.
  const turns = speakers();
  return turns.size >= 2 && turns.has(speaker[1]);
}

/** The text before `start` on its line, looking back at most 120 characters (linear on 1 MB lines). */
function leadOf(text: string, start: number): { text: string; atLineStart: boolean } {
  const from = Math.max(0, start - 120);
  for (let i = start - 1; i >= from; i--) if (text.charCodeAt(i) === 10) return { text: text.slice(i + 1, start), atLineStart: true };
  return { text: text.slice(from, start), atLineStart: from === 0 };
}

/**
 * The range a deleted phrase takes with the punctuation around it, so that the fix leaves no stray comma or empty
 * brackets: "Basically, keep it short" loses "Basically," (and the caller capitalizes "keep"), "You should, really, be"
 * and "Answer, basically: yes" lose ", really" and ", basically", "And honestly, we're" loses "honestly,", and a phrase
 * that is all of an emphasis or a bracket ("**Basically**,", "(basically)") goes with its marks.
 */
function punctuationAroundDeletion(text: string, start: number, end: number): { start: number; end: number } {
  // The phrase alone inside emphasis marks or brackets: the marks go with it (and, for brackets, the space before them).
  const wrapped = /(\*\*|__|\*|_|\()$/.exec(text.slice(Math.max(0, start - 2), start));
  if (wrapped) {
    const close = wrapped[1] === '(' ? ')' : wrapped[1];
    if (text.startsWith(close, end)) {
      start -= wrapped[1].length;
      end += close.length;
      if (wrapped[1] === '(') while (start > 0 && (text[start - 1] === ' ' || text[start - 1] === '\t') && /[ \t]/.test(text[end] ?? '')) start--;
    }
  }
  // ", really," or ", basically:" — the comma before goes, and what follows stays.
  const commaBefore = /,[ \t]*$/.exec(text.slice(Math.max(0, start - 8), start));
  if (commaBefore && /^[,.;:!?]/.test(text.slice(end, end + 1))) return { start: start - commaBefore[0].length, end: text[end] === ',' ? end + 1 : end };
  // "Basically, keep…", "And honestly, we're…": the comma after goes with the phrase.
  if (text[end] === ',' && text[end + 1] !== ',') return { start, end: end + 1 };
  return { start, end };
}

const SPEAKER = /^[ \t]*(\p{Lu}[\p{L}]*(?: \p{Lu}[\p{L}]*){0,2}):[ \t]/u;

/** The names that start lines as "Name: …" (at most 50 kept: a transcript has few speakers). */
function speakersOf(text: string): Set<string> {
  const names = new Set<string>();
  for (const m of text.matchAll(/^[ \t]*(\p{Lu}[\p{L}]*(?: \p{Lu}[\p{L}]*){0,2}):[ \t]/gmu)) {
    names.add(m[1]);
    if (names.size >= 50) break;
  }
  return names;
}

/** Sentences shorter than this many words ("1.", "---", "Answer:") are not reported as repeated: repeating them is structure, not redundancy. */
const MIN_REPEATED_WORDS = 4;

/** A unit whose repetition is worth reporting: a real sentence, not a heading, separator, list marker or short fragment. */
export function isRepeatable(u: TextUnit): boolean {
  return sentenceWords(u) >= MIN_REPEATED_WORDS;
}

/**
 * The words of a unit that could repeat as a sentence: none for a heading, code or data; else the words as written,
 * separated by spaces (a path, "mathweb/flask/app.py", is one, not four), leaving out a list marker and JSON-like arrays
 * or objects of quoted strings, which are example data (`- Retrieved facts: ["Name is John"]`). Compression's
 * repetition rule reads the same count.
 */
export function sentenceWords(u: TextUnit): number {
  if (u.kind === 'heading' || u.kind === 'code' || u.kind === 'structured') return 0;
  const written = withoutQuotedData(u.text.replace(/^\s*(?:[-*+•>]|\d{1,3}[.)])\s+/, ''));
  return written.split(/\s+/).filter((w) => /\p{L}/u.test(w)).length;
}

/**
 * `text` with each array or object of quoted strings replaced by a space: from a "[" or "{" to the next "]" or "}" when
 * a double quote lies between them, the leftmost opener first. The same as
 * `text.replace(/\[[^\]]*"[^\]]*\]|\{[^}]*"[^}]*\}/g, ' ')`, in linear time: the expression scanned to the end of the
 * text from every opener of a run with no closer after it (a prompt holding 40,000 "{" took 18 s to analyze, break34).
 */
export function withoutQuotedData(text: string): string {
  if (!text.includes('"')) return text;
  const n = text.length;
  const quotesBefore = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) quotesBefore[i + 1] = quotesBefore[i] + (text[i] === '"' ? 1 : 0);
  const nextOf = (close: string): Int32Array => {
    const next = new Int32Array(n + 1).fill(-1);
    for (let i = n - 1; i >= 0; i--) next[i] = text[i] === close ? i : next[i + 1];
    return next;
  };
  const nextSquare = nextOf(']');
  const nextCurly = nextOf('}');
  let out = '';
  let kept = 0;
  for (let i = 0; i < n; i++) {
    const c = text[i];
    if (c !== '[' && c !== '{') continue;
    const close = (c === '[' ? nextSquare : nextCurly)[i + 1];
    if (close < 0 || quotesBefore[close] - quotesBefore[i + 1] === 0) continue;
    out += `${text.slice(kept, i)} `;
    kept = close + 1;
    i = close;
  }
  return out + text.slice(kept);
}

/** What a repeat shares with its twin: the sentence, in the same stretch of a template (`templateBoundaries`: not another branch of an if). */
function repetitionKey(u: TextUnit, boundaries: readonly number[]): string {
  return `${templateScope(boundaries, u.start)}\u0000${normalizeWhitespace(u.text).toLowerCase().replace(/[\s.!?;:,]+$/, '')}`;
}

/** A sentence as users see it in a message: the first words, cut at a word boundary. */
export function shortQuote(text: string, max = 60): string {
  const flat = normalizeWhitespace(text);
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.]+$/, '')}…`;
}

function bracketDepth(text: string): number {
  let depth = 0;
  let max = 0;
  const limit = Math.min(text.length, 200_000);
  for (let i = 0; i < limit; i++) {
    const ch = text[i];
    if (ch === '(' || ch === '[' || ch === '{') max = Math.max(max, ++depth);
    else if ((ch === ')' || ch === ']' || ch === '}') && depth > 0) depth--;
  }
  return Math.max(0, max - 1);
}

function phraseWordCount(text: string, pattern: RegExp | undefined): number {
  if (!pattern) return 0;
  pattern.lastIndex = 0;
  let n = 0;
  let m: RegExpExecArray | null;
  while ((m = pattern.exec(text)) !== null) n += words(m[0]).length;
  pattern.lastIndex = 0;
  return n;
}

/** An instruction: a unit that starts with (or contains, after "you will"/"I want you to") a task verb, or a hard constraint. */
export function isInstruction(unit: TextUnit, pack: CompiledPack): boolean {
  const head = unit.text.replace(/^[\s\-*+•\d.)#>]+/, '').slice(0, 160);
  if (!pack.taskVerbs) return false;
  pack.taskVerbs.lastIndex = 0;
  const m = pack.taskVerbs.exec(head);
  pack.taskVerbs.lastIndex = 0;
  if (m && m.index <= 40) return true;
  return /\b(do not|don't|never|must|always)\b|\b(não|nunca|sempre|deve)\b|\b(no|nunca|siempre|debe)\b/i.test(head.slice(0, 40));
}

interface InputCount {
  total: number;
  delimited: number;
  undelimited: TextUnit[];
}

/** A rule or fence line ("----", "====", "```", '"""'): what it opens is set apart from the instructions. */
const RULE_LINE = /^\s*(?:-{3,}|={3,}|\*{3,}|_{3,}|#{3,}|`{3,}[\w-]*|~{3,}|"{3}|'{3})\s*$/;

/** Inputs are labelled lines ("Question: …"), quoted requests and data blocks; they count as delimited when quoted, fenced or tagged. */
function findInputs(analysis: ProtectedAnalysis, pack: CompiledPack): InputCount {
  let total = 0;
  let delimited = 0;
  const undelimited: TextUnit[] = [];
  const units = analysis.units;
  const delimiting = (u: TextUnit) => spansWithin(analysis.spans, u.start, u.end).some((s) => s.kind === 'quoted' || s.kind === 'placeholder' || s.kind === 'xmlTag');
  for (let i = 0; i < units.length; i++) {
    const u = units[i];
    if (u.kind === 'code' || u.kind === 'structured') {
      total++;
      delimited++;
      continue;
    }
    if (!matchesAny(pack.inputLabels, u.text.slice(0, 60))) continue;
    // A label is a name of up to three words ("User context:"), not a clause ending in a colon ("Once you understand the request you MUST:").
    const label = /^([\p{L} ]{1,40}):/u.exec(u.text);
    const labelled = u.kind === 'label' || (label !== null && words(label[1]).length <= 3) || /\b(is|é|es)\s*[:"“']/iu.test(u.text);
    if (!labelled) continue;
    total++;
    // A label alone on its line ("CONTEXT:") labels the block after it: one fenced by rule lines ("----\n{context}\n----",
    // kotaemon's citation prompt, newuser40), a code block, a quote or a tag delimits it as on the label's own line. A bare
    // placeholder on the next line does not: the text put there reads on as instructions ("Question:\n{input}", judged in
    // the diagnostics corpus).
    const next = label !== null && u.text.slice(label[0].length).trim() === '' ? units[i + 1] : undefined;
    const nextDelimits = next !== undefined && (next.kind === 'code' || next.kind === 'structured' || (RULE_LINE.test(next.text) && units.slice(i + 2, i + 5).some((n) => RULE_LINE.test(n.text))) || spansWithin(analysis.spans, next.start, next.end).some((s) => s.kind === 'quoted' || s.kind === 'xmlTag'));
    if (delimiting(u) || u.kind === 'label' || nextDelimits) delimited++;
    else undelimited.push(u);
  }
  return { total, delimited, undelimited };
}

/** complexity: saturating sum of instructions, conditions, nesting and long sentences. */
export function complexityScore(f: PromptFeatures): number {
  const raw = 0.5 * f.instructions + 0.8 * f.conditions + 1.0 * f.nestingDepth + 0.5 * f.longSentences;
  return round1((10 * raw) / (raw + 6));
}

/** redundancy: repeated trigrams, duplicate sentences and filler, capped at 10. */
export function redundancyScore(f: PromptFeatures): number {
  const duplicateShare = f.sentences === 0 ? 0 : f.duplicateSentences / f.sentences;
  return round1(10 * clamp01(1.5 * f.repeatedTrigramShare + 1.0 * duplicateShare + 2.0 * f.fillerWordShare));
}

/** clarity: points for an explicit task, output format, delimited inputs and a role; ambiguity costs. */
export function clarityScore(f: PromptFeatures): number {
  if (f.words === 0) return 0;
  const task = f.hasTask ? 3 : 0;
  const format = f.hasOutputFormat ? 2 : 0;
  const inputs = f.inputs === 0 ? 2 : 2 * (f.delimitedInputs / f.inputs);
  const role = f.hasRole ? 1 : 0;
  const ambiguityPer100Words = (100 * f.ambiguousWords) / Math.max(f.words, 1);
  const precision = Math.max(0, 2 - 0.5 * ambiguityPer100Words);
  return round1(task + format + inputs + role + precision);
}

/**
 * Whether text[start, end) is an item of a parenthesized list of words ("bare object words (day, life,
 * stuff, things, food)"): a word the prompt names, not one it uses, so it is not vague wording.
 */
function listedItem(text: string, start: number, end: number): boolean {
  const open = text.lastIndexOf('(', start);
  const close = text.indexOf(')', end);
  if (open < 0 || close < 0 || close - open > 600) return false;
  if (text.slice(open, start).includes(')') || text.slice(end, close).includes('(')) return false;
  if ((text.slice(open, close).match(/,/g) ?? []).length < 2) return false;
  const before = text.slice(open, start).trimEnd();
  const after = text.slice(end, close + 1).trimStart();
  return /[(,]$/.test(before) && /^[,)]/.test(after);
}

/**
 * Whether an "etc"/"and so on" at `start` closes a series of at least two examples ("(1, 2, 3, etc.)",
 * "grep, sed, etc."): the examples say what is meant, so it is not vague wording (newuser25 on morphic).
 */
function endsExampleSeries(text: string, start: number, word: string): boolean {
  if (!/^(?:etc|and so on)$/i.test(word)) return false;
  const from = Math.max(0, start - 200);
  let clause = text.slice(from, start);
  const cut = Math.max(clause.lastIndexOf('('), clause.lastIndexOf('\n'), clause.search(/[.!?:;]\s[^.!?:;]*$/));
  if (cut >= 0) clause = clause.slice(cut + 1);
  return /,\s*$/.test(clause) && (clause.match(/,/g) ?? []).length >= 2;
}

export class PromptAnalyzer {
  constructor(private readonly tokenizer: TokenizerService = sharedTokenizer()) {}

  countTokens(text: string, model: string = DEFAULT_MODEL): number {
    return this.tokenizer.count(text, model).count;
  }

  countTokensDetailed(text: string, model: string = DEFAULT_MODEL): TokenCount {
    return this.tokenizer.count(text, model);
  }

  analyze(text: string, options: AnalyzeOptions = {}): PromptAnalysis {
    const started = performance.now();
    const model = options.model ?? DEFAULT_MODEL;
    const tokens = this.tokenizer.count(text, model);
    const detection = options.language ? { language: options.language, confidence: 1 } : detectLanguage(text);
    const pack = compiledPack(detection.language === 'und' ? 'en' : detection.language);
    const protectedAnalysis = analyzeProtected(text, pack.pack.code);
    const measured = measureFeatures(text, protectedAnalysis, pack);
    const features = options.outputSchema ? { ...measured, hasOutputFormat: true } : measured;
    const suggestions = this.suggest(text, protectedAnalysis, pack, () => features, model);
    const wordList = text.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu);
    return {
      tokenCount: tokens.count,
      tokens,
      characterCount: [...text].length,
      wordCount: wordList ? wordList.length : 0,
      lineCount: text.length === 0 ? 0 : text.split(/\r\n|\r|\n/).length,
      complexityScore: complexityScore(features),
      redundancyScore: redundancyScore(features),
      clarityScore: clarityScore(features),
      language: detection.language,
      languageConfidence: detection.confidence,
      features,
      optimizationSuggestions: suggestions,
      elapsedMs: performance.now() - started,
    };
  }

  /**
   * `analyze(text, options).optimizationSuggestions`, without the rest of the analysis (the
   * prompt's token count, word and character counts, scores): what the editor's hints need.
   */
  suggestions(text: string, options: SuggestionOptions = {}): OptimizationSuggestion[] {
    const model = options.model ?? DEFAULT_MODEL;
    const detection = options.language ? { language: options.language, confidence: 1 } : detectLanguage(text);
    const pack = compiledPack(detection.language === 'und' ? 'en' : detection.language);
    const protectedAnalysis = analyzeProtected(text, pack.pack.code);
    // The features serve only the missing-task and missing-format suggestions: measured when those are wanted.
    let features: PromptFeatures | undefined;
    const measure = (): PromptFeatures => {
      const measured = measureFeatures(text, protectedAnalysis, pack);
      return options.outputSchema ? { ...measured, hasOutputFormat: true } : measured;
    };
    return this.suggest(text, protectedAnalysis, pack, () => (features ??= measure()), model, options.kinds);
  }

  private suggest(text: string, analysis: ProtectedAnalysis, pack: CompiledPack, featuresOf: () => PromptFeatures, model: string, kinds?: ReadonlySet<OptimizationSuggestion['kind']>): OptimizationSuggestion[] {
    const out: OptimizationSuggestion[] = [];
    let omitted = 0;
    const add = (s: OptimizationSuggestion) => {
      if (out.length < MAX_SUGGESTIONS) out.push(s);
      else omitted++;
    };
    const saved = (start: number, end: number, replacement: string) => {
      // Tokens of the surrounding line before and after the change: exact for that line.
      const lineStart = text.lastIndexOf('\n', start - 1) + 1;
      let lineEnd = text.indexOf('\n', end);
      if (lineEnd === -1) lineEnd = text.length;
      if (lineEnd - lineStart > 4000) return Math.max(0, this.tokenizer.count(text.slice(start, end), model).count - this.tokenizer.count(replacement, model).count);
      const before = text.slice(lineStart, lineEnd);
      const after = text.slice(lineStart, start) + replacement + text.slice(end, lineEnd);
      return Math.max(0, this.tokenizer.count(before, model).count - this.tokenizer.count(after, model).count);
    };
    let speakerNames: Set<string> | undefined;
    const speakers = () => (speakerNames ??= speakersOf(text));
    const exact = new RangeIndex(analysis.spans.filter((s) => !isSentenceLevel(s)));
    const blocked = (start: number, end: number) => exact.overlaps(start, end);
    const phrases: Array<[RegExp | undefined, OptimizationSuggestion['kind'], (m: string) => string, string]> = [
      [pack.politeness, 'politeness', () => '', 'Politeness adds tokens without changing the answer'],
      [pack.verbosePattern, 'verbosePhrase', (m) => pack.verbose.get(m.toLowerCase().replace(/\s+/g, ' ')) ?? m, 'Shorter wording says the same'],
      [pack.filler, 'filler', () => '', 'Filler word'],
    ];
    // One phrase, one finding: a phrase in two lists ("make sure to" is verbose wording and filler) was
    // reported twice on the same words, two diagnostics and two quick fixes doing the same edit (newuser26).
    const phraseSpans = new Set<string>();
    for (const [pattern, kind, replacementFor, why] of phrases) {
      if (!pattern) continue;
      pattern.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = pattern.exec(text)) !== null) {
        const start = m.index;
        let end = start + m[0].length;
        if (blocked(start, end) || keepsMeaning(kind, text, start, end) || isSpeech(kind, text, start, end, speakers)) continue;
        // The compressor's grammar checks: "would rather" keeps its "rather"; "a lot of" becomes "many" only before a plural.
        if (kind === 'filler' && (inFixedExpression(text, start, end, pack.fillerFixed) || adverbialFillerStays(pack, text, start, end))) continue;
        // "Greetings, small talk, or thanks (…)" names an item; "Thanks for your help!" is the ritual rule's whole.
        if (kind === 'politeness' && politenessStays(text, start, end)) continue;
        const quantity = kind === 'verbosePhrase' ? quantityForm(pack, m[0].toLowerCase().replace(/\s+/g, ' '), text, end, start) : undefined;
        if (quantity === null) continue;
        // A phrase the pack maps to itself is a shield ("at the same time as" keeps its words; "at the same time" alone
        // becomes "simultaneously"): nothing to suggest.
        if (kind === 'verbosePhrase' && quantity === undefined && replacementFor(m[0]).toLowerCase() === m[0].toLowerCase().replace(/\s+/g, ' ')) continue;
        const span = `${start}:${start + m[0].trimEnd().length}`;
        if (phraseSpans.has(span)) continue;
        phraseSpans.add(span);
        if (out.length >= MAX_SUGGESTIONS) {
          // Past the cap only the count matters: skip the token counts.
          omitted++;
          continue;
        }
        const proposed = quantity ?? replacementFor(m[0]);
        let replacement = proposed;
        // The fix's own start: the punctuation around the phrase may move it back (punctuationAroundDeletion).
        let fixStart = start;
        const lead = leadOf(text, start);
        const startsSentence = (lead.atLineStart && /^[\s\-*+•>#]*(?:\d{1,3}[.)]\s+)?$/.test(lead.text)) || /[.!?]["')\]]?\s+$/.test(lead.text);
        // "…, and your task is to research" → "…, and research" would hand the task to the speaker: only a sentence start can lose its subject.
        if (kind === 'verbosePhrase' && !startsSentence && SUBJECT_PHRASE.test(m[0])) continue;
        if (replacement !== '') {
          if (startsSentence && /^\p{Lu}/u.test(m[0])) replacement = replacement[0].toUpperCase() + replacement.slice(1);
          // "…grains and so on." → "…grains etc.", not "etc..": the abbreviation's period ends the sentence.
          if (replacement.endsWith('.') && text[end] === '.' && text[end + 1] !== '.') end++;
          // Before an ellipsis ("and so on..." / "and so on…") the abbreviation loses its period: "etc...", not "etc....".
          else if (replacement.endsWith('.') && (text[end] === '.' || text[end] === '…')) replacement = replacement.slice(0, -1);
          // A replacement that opens with a comma or a colon ("…step-by-step about how to achieve the best possible results
          // by following…" → ", following…") takes the spaces before it: "step-by-step, following", not "step-by-step , following".
          if (/^[,;:]/.test(replacement)) while (fixStart > 0 && (text[fixStart - 1] === ' ' || text[fixStart - 1] === '\t')) fixStart--;
        } else {
          const tidied = punctuationAroundDeletion(text, start, end);
          fixStart = tidied.start;
          end = tidied.end;
          // A deletion takes the space after it, and a sentence it started still starts with a capital. (Not after a
          // word: ", really," taken from "You should, really, be" leaves "You should be", its space kept.)
          const afterSpace = fixStart === 0 || /\s/.test(text[fixStart - 1]);
          if (afterSpace && ((lead.atLineStart && lead.text === '') || /\s$/.test(lead.text) || fixStart < start)) while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
          const next = /^([*_`]*)(\p{Ll})/u.exec(text.slice(end, end + 8));
          if (startsSentence && next && !blocked(end, end + next[0].length)) {
            replacement = next[1] + next[2].toUpperCase();
            end += next[0].length;
          }
        }
        // The diagnostic marks the phrase itself; the fix may reach a little further.
        const phraseEnd = start + m[0].trimEnd().length;
        const fix = fixStart !== start || end !== phraseEnd || replacement !== proposed ? { fix: { start: fixStart, end, replacement } } : {};
        add({ kind, message: proposed ? `${why}: replace "${m[0]}" with "${replacement}".` : `${why}: remove "${m[0].trim()}".`, range: { start, end: phraseEnd }, tokensSaved: saved(fixStart, end, replacement), replacement: proposed === '' ? '' : replacement, ...fix });
      }
      pattern.lastIndex = 0;
    }
    const seen = new Map<string, { unit: TextUnit; index: number }>();
    const boundaries = templateBoundaries(text);
    const records = fieldsOfRecords(text);
    for (const [i, u] of analysis.units.entries()) {
      if (!isRepeatable(u)) continue;
      const key = repetitionKey(u, boundaries);
      const earlier = seen.get(key);
      const first = earlier?.unit;
      // A note on each of two different blocks is no repeat (notesOnDifferentBlocks), nor a field of two example records, as for the compressor.
      if (earlier && (notesOnDifferentBlocks(analysis.units, i, earlier.index) || subItemsOfDifferentParents(text, u, earlier.unit) || records(u, earlier.unit))) continue;
      // A repeat that is its section's only rule is still one, but no quick fix takes it (the heading would stand over nothing).
      const fix = first && !onlyUnitOfSection(analysis.units, i) ? { replacement: '', ...wholeLineFix(text, u) } : {};
      if (first) add({ kind: 'repetition', message: `This repeats an earlier sentence, "${shortQuote(first.text)}"; keep one.`, range: { start: u.start, end: u.end }, tokensSaved: this.tokenizer.count(u.text, model).count, ...fix });
      else seen.set(key, { unit: u, index: i });
    }
    const ws = /[ \t]{2,}(?=\S)|[ \t]+$|\n{3,}/gm;
    const contentEnd = text.trimEnd().length;
    let wsCount = 0;
    let wsWeighed = 0;
    let m: RegExpExecArray | null;
    while ((m = ws.exec(text)) !== null) {
      if (m[0].length === 0) {
        ws.lastIndex++;
        continue;
      }
      if (analysis.index.overlaps(m.index, m.index + m[0].length) || m.index === 0 || text[m.index - 1] === '\n') continue;
      // Blank lines with nothing but white space after them: the literal's closing layout (`"""…\n\n\n""".strip()`), which
      // the rewrites keep as written (newuser33: "Extra whitespace." saving nothing under khoj's templates). A space that
      // ends the last line is still sent, and still reported.
      if (m[0].startsWith('\n') && m.index >= contentEnd) continue;
      if (!m[0].startsWith('\n') && alignsWithNeighbour(text, m.index, m.index + m[0].length)) continue;
      // (At most 200 runs weighed: each weighing counts the tokens of its line twice.)
      if (wsCount < 20 && wsWeighed++ < 200) {
        // Blank lines collapse to one; spaces at a line's end go; a run inside a line becomes one space.
        let after = m.index + m[0].length;
        let replacement = m[0].startsWith('\n') ? '\n\n' : after === text.length || text[after] === '\n' || text[after] === '\r' ? '' : ' ';
        // Spaces that end a line followed by extra blank lines are one finding, the spaces and the blank lines, not two
        // at the same place (newuser37: "Extra whitespace." at Col 101 and again at Col 102 of node-DeepResearch's
        // error-analyzer.ts, the second saving nothing).
        const blank = replacement === '' ? /^\n{3,}/.exec(text.slice(after, after + 64)) : null;
        if (blank && after < contentEnd && !analysis.index.overlaps(after, after + blank[0].length)) {
          let end = after + blank[0].length;
          while (text[end] === '\n') end++;
          after = end;
          replacement = '\n\n';
          ws.lastIndex = end;
        }
        // A run the model's tokenizer reads as one token either way is no saving: mem0's ADDITIVE_EXTRACTION_PROMPT puts two
        // blank lines before each `## ` heading ("\n\n\n" is one o200k token, as "\n\n" is), and 20 "Extra whitespace."
        // squiggles with quick fixes saved nothing (newuser43).
        const tokensSaved = saved(m.index, after, replacement);
        if (tokensSaved > 0) {
          wsCount++;
          add({ kind: 'whitespace', message: 'Extra whitespace.', range: { start: m.index, end: after }, tokensSaved, replacement });
        }
      }
    }
    const undelimited = findInputs(analysis, pack).undelimited;
    // What follows adds at most 20 vague words, 2 missing parts and the undelimited inputs: when that
    // cannot reach the cap, kinds the caller does not read change nothing it reads, and are skipped.
    const wanted = (kind: OptimizationSuggestion['kind']): boolean => !kinds || kinds.has(kind) || out.length + 22 + undelimited.length >= MAX_SUGGESTIONS;
    if (pack.ambiguous && wanted('ambiguousWording')) {
      pack.ambiguous.lastIndex = 0;
      let count = 0;
      while ((m = pack.ambiguous.exec(text)) !== null && count < 20) {
        if (isAmbiguousIdiom(pack, m[0]) || exact.contains(m.index) || listedItem(text, m.index, m.index + m[0].length) || endsExampleSeries(text, m.index, m[0])) continue;
        count++;
        add({ kind: 'ambiguousWording', message: `"${m[0]}" is vague: say exactly what you mean (a number, a list, a criterion).`, range: { start: m.index, end: m.index + m[0].length }, tokensSaved: 0 });
      }
      pack.ambiguous.lastIndex = 0;
    }
    if (wanted('missingTask') || wanted('missingOutputFormat')) {
      const features = featuresOf();
      if (features.words > 0 && !features.hasTask) add({ kind: 'missingTask', message: 'No explicit task found: start with what the model must do (e.g. "Summarize…", "Answer…").', tokensSaved: 0 });
      if (features.words > 0 && !features.hasOutputFormat) add({ kind: 'missingOutputFormat', message: 'No output format stated: say how the answer should look (length, list, JSON, language).', tokensSaved: 0 });
    }
    for (const u of undelimited) {
      add({ kind: 'undelimitedInput', message: 'Delimit the input (quotes, a fenced block or <input> tags) so the model cannot mistake it for instructions.', range: { start: u.start, end: u.end }, tokensSaved: 0 });
    }
    if (omitted > 0) out.push({ kind: 'length', message: `${omitted} more suggestions of the same kinds were left out.`, tokensSaved: 0 });
    return out;
  }
}

/**
 * The fix of a repeated unit alone on its line (an indented list item): the line with its indentation and line break,
 * so that no blank line is left inside a list (llamacoder's "   - ALWAYS create multiple files…", newuser28).
 */
function wholeLineFix(text: string, u: TextUnit): { fix?: { start: number; end: number; replacement: string } } {
  let start = u.start;
  while (start > 0 && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
  let end = u.end;
  while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
  if ((start > 0 && text[start - 1] !== '\n') || text[end] !== '\n') return {};
  return { fix: { start, end: end + 1, replacement: '' } };
}

/**
 * Whether the spaces at [start, end) inside a line line up what follows them with the line above or below: the same
 * character in the same column, after a space there too. Few-shot examples align their labels so (graphiti's
 * extract_nodes.py: `GOOD → "phones": null` over `BAD  → "phones": …`, newuser36), and collapsing the run would undo the
 * layout the example shows, for one token.
 */
function alignsWithNeighbour(text: string, start: number, end: number): boolean {
  if (end >= text.length || text[end] === '\n' || text[end] === '\r') return false;
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const column = end - lineStart;
  const mark = text[end];
  const lineAt = (from: number): string => {
    const stop = text.indexOf('\n', from);
    return text.slice(from, stop < 0 ? text.length : stop);
  };
  const neighbours: string[] = [];
  if (lineStart > 0) neighbours.push(lineAt(text.lastIndexOf('\n', lineStart - 2) + 1));
  const lineEnd = text.indexOf('\n', end);
  if (lineEnd >= 0) neighbours.push(lineAt(lineEnd + 1));
  // A mark, not a word (a double space before a word is a slip, whatever stands above it: "You are a  scraper"), and a run that
  // makes up for a shorter text before it ("BAD  →" under "GOOD →"), not one that every line has ("1.  **Step:**").
  if (/[\p{L}\p{N}]/u.test(mark)) return false;
  const runFrom = start - lineStart;
  return neighbours.some((line) => {
    if (line[column] !== mark || line[column - 1] !== ' ') return false;
    let k = column - 1;
    while (k > 0 && line[k - 1] === ' ') k--;
    return k !== runFrom && k > 0;
  });
}

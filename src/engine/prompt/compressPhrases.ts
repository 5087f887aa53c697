/**
 * Rule planners that edit words and phrases inside sentences: politeness, verbose phrases,
 * filler, imperative leads, contractions, articles, pronouns, copulas, markdown emphasis and
 * the like, and `planPhrases`, which runs them in the order that matters (longer phrases
 * before the shorter ones they contain). Each planner only proposes edits to the edit plan,
 * which refuses any that touch protected text. The telegraphic rules in telegraphic.ts are
 * called from here too.
 */
import type { RemovalKind } from '../../protocol/prompt';
import type { CompiledPack } from '../../shared/prompt/languages';
import { adverbialFillerStays, courtesyRunEnd, inFixedExpression, notedAfterCondition, notedAfterTo, notedAsNoun, politenessStays, quantityForm, restrictiveFiller, SUBJECT_PHRASE } from '../../shared/prompt/languages/phrases';
import { addresseeVerbStays, contractionStays, droppedObjectStays, indefiniteStays } from './compressGuards';
import { NEGATED_BY, type Softness } from './compressMask';
import type { EditPlan } from './compressPlan';
import type { CompressionRule } from './compressStages';
import { inRelativeClause, inSubordinateOrQuestion, planCoordinatedSubjunctives, planSubjunctiveLeads } from './compressSubjunctive';
import { fullSentence, inFragment, planAuxiliaries, planCopulas, planDemonstratives, planFutureAuxiliaries, planListSpacing } from './telegraphic';
import { planHeadingGlosses, planHeadingLabels, planListMarkers, planRoleHeading } from './compressMarkdown';
import { planAddresseeClitics, planAggressiveOpeners, planGoingToFutures, planLabelSentences, planMesocliticFutures, planNegatedDeterminers, planPlainWords, planPresentTense, planRoleLeads, planSentenceOpeners, planShortClauses, planTaskLeads } from './compressRewrites';

function applyPattern(plan: EditPlan, text: string, pack: CompiledPack, pattern: RegExp | undefined, kind: RemovalKind, replacementFor: (match: string) => string, soft: Softness = false): void {
  if (!pattern) return;
  pattern.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = pattern.exec(text)) !== null) {
    // "Greetings, small talk, or thanks (…)": an item the prompt names, not its courtesy (the analyzer agrees).
    if (kind === 'politeness' && politenessStays(text, m.index, m.index + m[0].length)) continue;
    // "please, please!": the repetitions go as one phrase.
    const end = kind === 'politeness' ? courtesyRunEnd(text, m.index, m.index + m[0].length) : m.index + m[0].length;
    const done = plan.tryEdit(kind, m.index, end, replacementFor(m[0]), soft);
    if (done) pattern.lastIndex = Math.max(pattern.lastIndex, end);
    if (done && questionLead(pack, m[0]) && (plan.atSentenceStart(m.index) || afterLeadIn(plan, text, m.index))) endAsInstruction(plan, m.index);
  }
  pattern.lastIndex = 0;
}

const phraseKey = (m: string) => m.toLowerCase().replace(/\s+/g, ' ');

/** Whether a politeness phrase asks a question ("can you please", "você poderia"; the pack's `questionLeads`). */
function questionLead(pack: CompiledPack, phrase: string): boolean {
  const key = phraseKey(phrase);
  return pack.questionLeads.some((lead) => key === lead || key.startsWith(`${lead} `));
}

/**
 * Whether only a short lead-in and its comma stand between the sentence start and `at` ("Tell me, could
 * you list…", "Now, can you…"): two words at most, so "What is X, could you…" (a question of its own) is not one.
 */
function afterLeadIn(plan: EditPlan, text: string, at: number): boolean {
  const unit = plan.unitAt(at);
  if (!unit) return false;
  return /^[\s"'“(*>#•\-\d.)]*[\p{L}'’]+(?:[ \t]+[\p{L}'’]+)?,[ \t]*$/u.test(text.slice(unit.start, at));
}

/**
 * After a question lead went from the sentence at `at` ("Can you please provide a suggestion?"), the
 * sentence is an instruction: its "?" becomes "." ("Provide a suggestion?" it was). Only a sentence
 * with that one "?" at its end (before a closing quote or bracket).
 */
function endAsInstruction(plan: EditPlan, at: number): void {
  const unit = plan.unitAt(at);
  if (!unit) return;
  const mark = /\?["'”’)\]]*$/u.exec(unit.text);
  // A question it quotes or introduces ("Can you answer: what is 2+2?") stays one.
  if (!mark || unit.text.indexOf('?') !== mark.index || /[:"“'‘«]/u.test(unit.text.slice(0, mark.index))) return;
  const position = unit.start + mark.index;
  plan.replaceEndMark(position, position + 1, '.');
}

/**
 * Verbose phrases → their short form. A quantity phrase ("a lot of") takes the short form for
 * the class of the noun after it ("many tools", "much detail"); with no known class it stays as
 * written, and stays shielded from shorter phrases inside it ("a lot" is aggressive filler).
 */
/** Whether a verbose phrase opens with a request lead ("quiero que respondas"). */
function startsWithLead(pack: CompiledPack, phrase: string): boolean {
  const lead = pack.subjunctiveLeadsPattern;
  return lead !== undefined && new RegExp(lead.source, lead.flags.replace('g', '')).exec(phrase)?.index === 0;
}

function planVerbose(plan: EditPlan, text: string, pack: CompiledPack, possessivesGo = false): void {
  const pattern = pack.compressVerbosePattern;
  // Stryker disable next-line ConditionalExpression: equivalent, en, pt and es all define verbose phrases
  if (!pattern) return;
  pattern.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = pattern.exec(text)) !== null) {
    const key = phraseKey(m[0]);
    // A subjunctive lead is planSubjunctiveLeads' to rewrite, with its verb.
    if (pack.subjunctiveLeads.has(key)) continue;
    const end = m.index + m[0].length;
    // "O que eu quero que você faça é…" lost "eu quero que você" ("O que faça é…"): in a relative clause the phrase stays;
    // so does a request phrase after a subordinator or a negation, or in a question ("Si quiero que respondas, …").
    if (inRelativeClause(text, m.index, m[0]) || (startsWithLead(pack, m[0]) && inSubordinateOrQuestion(text, m.index, end, pack))) {
      plan.tryEdit('verbosePhrase', m.index, end, m[0], true);
      continue;
    }
    const quantity = quantityForm(pack, key, text, end, m.index);
    // A quantity phrase with no known form maps to itself: that shields it.
    let replacement = quantity === undefined ? (pack.compressVerbose.get(key) ?? m[0]) : (quantity ?? m[0]);
    // pt "o seu resumo" → "seu resumo" would keep the possessive the aggressive level drops ("O seu resumo deve ser…" gave
    // "Seu resumo deve ser…"): there the article and the possessive rules take both words.
    if (possessivesGo && pack.pack.possessives.includes(replacement.toLowerCase())) continue;
    // A label made of the phrase ("mi primera orden es" → "primera orden:") before a colon already written: one colon
    // ("Mi primera orden es: escribe…" gave "Primera orden:: escribe…").
    if (replacement.endsWith(':') && /^[ \t]*:/.test(text.slice(end, end + 16))) replacement = replacement.slice(0, -1);
    // "…grains and so on." → "…grains etc.", not "etc..": the abbreviation's period ends the sentence.
    // Before an ellipsis ("and so on..." / "and so on…") the abbreviation's period goes too: "etc...", not "etc....".
    if (replacement.endsWith('.') && (text[end] === '.' || text[end] === '…')) replacement = replacement.slice(0, -1);
    const stays = replacement === '' && (addresseeVerbStays(text, m.index, end, key, pack) || (SUBJECT_PHRASE.test(key) && pack.coordinators.has(/([\p{L}]+)[ \t]*$/u.exec(text.slice(Math.max(0, m.index - 12), m.index))?.[1]?.toLowerCase() ?? '')));
    plan.tryEdit('verbosePhrase', m.index, end, stays ? m[0] : replacement, true);
  }
  pattern.lastIndex = 0;
}

/**
 * Whether the word after `at` is an infinitive by the pack's endings: "escrever", "ser", "lembrar-se", or a stem the pack lists
 * before a hyphenated pronoun ("enviá-la", "traduzi-lo").
 */
function infinitiveAt(text: string, at: number, pack: CompiledPack): boolean {
  const word = /^[ \t]+(\p{Ll}+)(-\p{Ll}+)?/u.exec(text.slice(at, at + 60));
  if (!word) return false;
  const stem = word[1];
  return pack.infinitiveEndings.some((e) => stem.length > e.length && stem.endsWith(e)) || (word[2] !== undefined && pack.infinitiveCliticStems.some((e) => stem.length > e.length + 1 && stem.endsWith(e)));
}

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
    if (pack.infinitiveEndings.length > 0 && !infinitiveAt(text, end, pack)) continue;
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
function planFollowedRewrites(plan: EditPlan, text: string, pattern: RegExp | undefined, table: ReadonlyMap<string, string>, stays?: (end: number, phrase: string, replacement: string) => boolean): void {
  if (!pattern) return;
  pattern.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = pattern.exec(text)) !== null) {
    const end = m.index + m[0].length;
    const replacement = table.get(phraseKey(m[0]));
    if (!/^[ \t]+[\p{L}\p{N}"“'{]/u.test(text.slice(end, end + 3)) || (replacement !== undefined && stays?.(end, m[0], replacement))) continue;
    if (replacement !== undefined) plan.tryEdit('verbosePhrase', m.index, end, replacement, true);
  }
  pattern.lastIndex = 0;
}

/**
 * Aggressive level: articles ("the", "a", "an") dropped where a lower-case article stands
 * between two words and the next word is not a blocker ("a few" keeps its article). Only
 * outside protected spans, like every other edit.
 */
function planArticles(plan: EditPlan, text: string, pack: CompiledPack, where?: (position: number) => boolean, pattern: RegExp | undefined = pack.articles): void {
  // Stryker disable next-line ConditionalExpression: equivalent, en, pt and es all define this pattern
  if (!pattern) return;
  pattern.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = pattern.exec(text)) !== null) {
    const end = m.index + m[0].length;
    if (where && !where(m.index)) continue;
    const next = /^[ \t]+([\p{L}\p{N}][\p{L}\p{N}'-]*)/u.exec(text.slice(end, end + 60));
    if (!next || pack.articleBlockers.has(next[1].toLowerCase())) continue;
    // "cuatro opciones, una correcta y tres incorrectas": before "and" + a count the article is the numeral "one".
    if (countedAfter(text, end, pack)) continue;
    const nextWord = next[1].toLowerCase();
    if (pack.prepositionArticles.has(m[0].toLowerCase()) && pack.articleBlockerEndings.some((e) => nextWord.length > e.length + 1 && nextWord.endsWith(e))) continue;
    // pt "acesso a um terminal", "a mim": before another article or a pronoun the word is the preposition.
    if (pack.prepositionArticles.has(m[0].toLowerCase()) && pack.prepositionArticleNext.has(nextWord)) continue;
    // "uma a uma", "um a um" (one by one): a word repeated around a short one is an idiom, not article and noun.
    if (inRepeatedPair(text, m.index, end)) continue;
    // An idiom that holds the article keeps it: "one line at a time" is not "one line at time", pt "de uma vez" (at once) is not "de vez" (for good).
    if (inFixedExpression(text, m.index, end, pack.fillerFixed)) continue;
    // "colunas (A a L)", "de 18 a 30": before a number or a lone capital the word is a preposition of a range, not an article.
    if (pack.prepositionArticles.has(m[0].toLowerCase()) && /^(?:\p{N}+|\p{Lu})$/u.test(next[1])) continue;
    if (!/^\p{Ll}/u.test(m[0])) {
      // "The email should…" → "Email should…": an opening article goes when a lower-case word follows.
      if (!plan.atSentenceStart(m.index) || !/^\p{Ll}/u.test(next[1])) continue;
    } else {
      const previous = /([\p{L}\p{N}']+)(,?)[ \t]+$/u.exec(text.slice(Math.max(0, m.index - 40), m.index));
      if (!previous || pack.articleKeepAfter.has(previous[1].toLowerCase())) continue;
      // "many an error", "half an hour", "such a case": a predeterminer keeps its "a"/"an" (not "the": "half the time" is
      // another matter), so "half an answer" does not become "half answer".
      if (pack.predeterminers.has(previous[1].toLowerCase()) && isIndefinite(pack, m[0])) continue;
      // "any of the steps", "3 of the sentences" keep their article: "any of steps" does not read.
      const partitive = /([\p{L}\p{N}]+)[ \t]+[\p{L}]+[ \t]+$/u.exec(text.slice(Math.max(0, m.index - 40), m.index));
      if (partitive && ['of', 'de'].includes(previous[1].toLowerCase()) && (/^\p{N}+$/u.test(partitive[1]) || pack.partitiveQuantifiers.has(partitive[1].toLowerCase()))) continue;
      // Inside a name or a title the article is part of it: "Marvin the Paranoid Android", "The Hitchhiker's Guide to the
      // Galaxy" (PrefectHQ/marvin's slackbot status template; aggressive gave "Marvin Paranoid Android … Guide to Galaxy").
      if (/^\p{Lu}/u.test(next[1]) && inTitle(text, m.index)) continue;
    }
    plan.tryEdit('filler', m.index, end, '', true);
  }
  pattern.lastIndex = 0;
}

/** Short words a title writes in lower case between its capitalised ones ("Guide to the Galaxy", "Lord of the Rings"). */
const TITLE_LINKS: ReadonlySet<string> = new Set(['to', 'of', 'in', 'on', 'at', 'for', 'from', 'and', 'with', 'by']);

/**
 * Whether the article at `start` (before a capitalised word) stands inside a name or a title: the word before it is
 * capitalised and does not open its sentence ("Marvin the Paranoid"), or it is a title's lower-case link word after a
 * capitalised one ("Guide to the Galaxy"). "Use the OpenAI API" at a sentence's start is no title.
 */
function inTitle(text: string, start: number): boolean {
  const m = /(?:^|(\S*)(\s+))(\S+)[ \t]+$/u.exec(text.slice(Math.max(0, start - 80), start));
  if (!m) return false;
  const before = m[1] ?? '';
  const word = m[3];
  const capital = (w: string) => /^["“'‘(]?\p{Lu}/u.test(w);
  // The word opens its sentence: nothing before it, or an end of sentence or a line break.
  // So does a word after a list marker that opens its line: "- Write the IDEAS bullets as exactly 16 words." (fabric's
  // extract_wisdom output instructions; aggressive kept "the", taking "Write" for a title word).
  const opens = before === '' || /[.!?:]["”')]?$/u.test(before) || (m[2] ?? '').includes('\n') || (m[1] !== undefined && listMarkerOpens(text, start - m[0].length));
  if (capital(word)) return !opens;
  return TITLE_LINKS.has(word.toLowerCase()) && capital(before);
}

/** Whether a list marker ("-", "*", "+", "•", "1.", "2)") starting at `at` is the first thing on its line. */
function listMarkerOpens(text: string, at: number): boolean {
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  return /^[ \t]*$/u.test(text.slice(lineStart, at)) && /^(?:[-*+•]|\d{1,3}[.)])[ \t]/u.test(text.slice(at, at + 5));
}

/** Whether the word after `end` is followed by a coordinator and a count: "una [correcta] y tres …", "uma [certa] e 3 …". */
function countedAfter(text: string, end: number, pack: CompiledPack): boolean {
  const m = /^[ \t]+\p{L}+[ \t]+(\p{L}+)[ \t]+([\p{L}\p{N}]+)/u.exec(text.slice(end, end + 60));
  return m !== null && pack.coordinators.has(m[1].toLowerCase()) && (/^\p{N}+$/u.test(m[2]) || pack.numberWords.has(m[2].toLowerCase()));
}

/** Whether `article` is the pack's indefinite article ("a"/"an"). */
function isIndefinite(pack: CompiledPack, article: string): boolean {
  const forms = pack.pack.indefiniteArticles;
  const word = article.toLowerCase();
  return forms !== undefined && (word === forms.consonant.toLowerCase() || word === forms.vowel.toLowerCase());
}

/**
 * Whether the word at [start, end) is one of three words "W a W" (the first and last the same,
 * a preposition of one or two letters between): "uma a uma", "dia a dia", "paso a paso". Not
 * "the commands the AI": the middle word is long there.
 */
function inRepeatedPair(text: string, start: number, end: number): boolean {
  const words = (s: string) => (s.match(/[\p{L}\p{N}]+/gu) ?? []).map((w) => w.toLowerCase());
  const before = words(/(?:[\p{L}\p{N}]+[ \t]+){0,2}$/u.exec(text.slice(Math.max(0, start - 60), start))?.[0] ?? '');
  const after = words(/^(?:[ \t]+[\p{L}\p{N}]+){0,2}/u.exec(text.slice(end, end + 60))?.[0] ?? '');
  const window = [...before, text.slice(start, end).toLowerCase(), ...after];
  const at = before.length;
  return [at - 2, at - 1, at].some((i) => i >= 0 && i + 2 < window.length && window[i] === window[i + 2] && window[i + 1].length <= 2);
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

/** Python's special names (the data model's methods and module attributes): `__x__` with one of these is code, not bold. */
const PYTHON_DUNDERS = new Set(
  (
    'init new del repr str bytes format hash bool len iter next reversed contains call enter exit aenter aexit await aiter anext ' +
    'getitem setitem delitem missing getattr getattribute setattr delattr dir get set delete set_name init_subclass class_getitem ' +
    'eq ne lt le gt ge add sub mul matmul truediv floordiv mod divmod pow lshift rshift and or xor neg pos abs invert ' +
    'radd rsub rmul iadd isub imul index int float complex round trunc floor ceil copy deepcopy reduce reduce_ex getstate setstate ' +
    'sizeof subclasses mro post_init name main file doc dict slots module qualname annotations all version author package path ' +
    'spec loader builtins debug import class weakref wrapped code defaults globals closure self func'
  ).split(' '),
);

/** Aggressive level: bold/italic markers around a short run of words, and decorative rule lines (`---`, `***`). */
function planMarkdownEmphasis(plan: EditPlan, text: string): void {
  const emphasis = /(\*\*|__)(?=\S)([^*_\n`]{1,80}?)(?<=\S)\1/g;
  let m: RegExpExecArray | null;
  // A prompt that asks for bold text ("bullets with bolded keywords", morphic's search prompt) shows that format in its
  // own bold: the markers are part of the example, not decoration (newuser25: medium stripped them from the sample).
  // (Asked in plain words: "use **bold** labels" only emphasizes the word.)
  const asksForBold = ASKS_FOR_BOLD.test(text.replace(emphasis, ' '));
  emphasis.lastIndex = 0;
  while (!asksForBold && (m = emphasis.exec(text)) !== null) {
    // A Python dunder name in code, not bold: "if __name__ == …" in aider's prompt became "if name == …". Code tells it:
    // "(", "[" or "." right after ("__init__(self)", "__init__.py"), a comparison or assignment after, or "." before ("obj.__dict__").
    const after = text.slice(m.index + m[0].length, m.index + m[0].length + 4);
    if (m[1] === '__' && /^\w+$/.test(m[2]) && (/^(?:[([]|\.\w|[ \t]*[=!]?=)/.test(after) || text[m.index - 1] === '.')) continue;
    // …and a Python data-model name is one in prose too: "The __init__ method must be short" is no bold "init" (break26).
    if (m[1] === '__' && PYTHON_DUNDERS.has(m[2])) continue;
    const open = m.index;
    const close = m.index + m[1].length + m[2].length;
    // Both markers or neither.
    const before = plan.edits.length;
    if (plan.tryExact('markdown', open, open + m[1].length, '', true) && !plan.tryExact('markdown', close, close + m[1].length, '', true)) plan.undoSince(before);
  }
  const rule = /^[ \t]*(?:-{3,}|\*{3,}|_{3,})[ \t]*$/gm;
  while ((m = rule.exec(text)) !== null) {
    // Only between two paragraphs (not a YAML front-matter fence or a table line).
    const after = text.slice(m.index + m[0].length, m.index + m[0].length + 2);
    if (m.index === 0 || !after.startsWith('\n')) continue;
    // A rule next to a placeholder line fences inserted input ("------------\n{context_str}\n------------" in LangChain's
    // refine prompt): it tells the model where the input starts and ends, so it stays.
    if (PLACEHOLDER_LINE.test(neighbourLine(text, m.index, -1)) || PLACEHOLDER_LINE.test(neighbourLine(text, m.index + m[0].length, 1))) continue;
    plan.tryExact('markdown', m.index, m.index + m[0].length + 1, '', true);
  }
}

/** Words that ask for bold or emphasized output (en, pt, es). */
const ASKS_FOR_BOLD = /\b(?:bold(?:ed|face)?|emphasi[sz]e[ds]?|negrito|negrita|destacad[oa]s?|em destaque)\b/i;

/** A line holding a placeholder (`{x}`, `{{x}}`, `${x}`, `<<x>>`, `[X]`, `%(x)s`; a masked interpolation is `{…}` too). */
const PLACEHOLDER_LINE = /\{\{?[^{}\n]{1,200}\}\}?|<<[^<>\n]{1,100}>>|\[[A-Z_][A-Z0-9_ ]{0,60}\]|%\([A-Za-z_]\w{0,63}\)[a-z]/;

/**
 * The nearest non-blank line before the line that starts at `at` (`direction` -1), or after
 * the line that ends at `at` (+1); '' when there is none within 50 lines.
 */
function neighbourLine(text: string, at: number, direction: -1 | 1): string {
  if (direction < 0) {
    let end = at - 1;
    for (let n = 0; n < 50 && end > 0; n++) {
      const start = text.lastIndexOf('\n', end - 1) + 1;
      const line = text.slice(start, end);
      if (line.trim() !== '') return line;
      end = start - 1;
    }
    return '';
  }
  let start = at + 1;
  for (let n = 0; n < 50 && start < text.length; n++) {
    const next = text.indexOf('\n', start);
    const end = next < 0 ? text.length : next;
    const line = text.slice(start, end);
    if (line.trim() !== '') return line;
    start = end + 1;
  }
  return '';
}

/**
 * Filler words deleted, except an adverb coordinated with another ("clearly and concisely"
 * keeps both: "concisely" alone would leave "and concisely" behind).
 */
/**
 * Whether the "just" at `start` is the adjective coordinated with another one after an article ("a fair and just judge";
 * not "the file and just answer", whose next word is a verb of the pack), or says when before an irregular past form ("the
 * user just said", "just sent": the pack's participles). break36: "a fair and just judge" became "a fair and judge".
 */
function justAdjectiveOrPast(text: string, start: number, end: number, pack: CompiledPack): boolean {
  const next = /^[ \t]+([\p{L}'’]+)/u.exec(text.slice(end, end + 40))?.[1]?.toLowerCase();
  if (next === undefined) return false;
  if (pack.participles.has(next)) return true;
  if (!/(?:^|[^\p{L}])(?:a|an|the|most|more|so)[ \t]+\p{L}+[ \t]+(?:and|or)[ \t]+$/iu.test(text.slice(Math.max(0, start - 40), start))) return false;
  return !pack.pronounVerbs.has(next) && !matchesWord(pack.taskVerbs, next);
}

/** Whether `pattern` (a phrase pattern of the pack) matches the whole of `word`. */
function matchesWord(pattern: RegExp | undefined, word: string): boolean {
  if (!pattern) return false;
  pattern.lastIndex = 0;
  const m = pattern.exec(word);
  pattern.lastIndex = 0;
  return m !== null && m.index === 0 && m[0].length === word.length;
}

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
    // So is an adverbial phrase: "requirements carefully & to the letter" is not "requirements & to the letter" (NextChat's
    // GitHub Copilot mask, newuser30).
    const partner = (w: string) => adverb(w) || pack.coordinatedPrepositions.has(w.toLowerCase());
    if ((after && pack.coordinators.has(after[1].toLowerCase()) && partner(after[2])) || (before && pack.coordinators.has(before[2].toLowerCase()) && adverb(before[1]))) continue;
    // Right after a negation the word is what is negated: "doesn't fully support" is not "doesn't support".
    const previous = /([\p{L}'’]+)[ \t]*$/u.exec(text.slice(Math.max(0, m.index - 40), m.index));
    if (previous && NEGATED_BY.test(previous[1])) continue;
    // A fixed expression that holds it keeps it: "rather than", "quite a few", "would rather" ("I would rather you…" is not "I'd you…").
    if (inFixedExpression(text, m.index, end, pack.fillerFixed)) continue;
    // Before an acronym pt "muito" is a quantity, not an intensifier: "mostram muito HTML" (a lot of HTML) is
    // not "mostram HTML" (ChatGPT-Shortcut card 111); the mass nouns it quantifies most ("muito texto") are in fillerFixed.
    if (m[0].toLowerCase() === 'muito' && /^[ \t]+\p{Lu}{2,}(?![\p{L}\p{N}-])/u.test(text.slice(end, end + 20))) continue;
    // es "de hecho", pt "de fato" go only as a sentence adverb, never after a noun: "una pareja de hecho", "estado de fato".
    if (adverbialFillerStays(pack, text, m.index, end)) continue;
    // "If …, note that the user can …": the condition's main verb, not filler.
    if (notedAfterCondition(text, m.index, end) || notedAsNoun(text, m.index, end)) continue;
    // "It's crucial to remember that …": the infinitive's verb goes only with its "to" ("it is important to note that").
    const to = notedAfterTo(text, m.index, end);
    if (to >= 0 && plan.untaken(to, to + 2)) continue;
    // "is just to remove", "any obviously irrelevant": the word bounds the instruction.
    if (restrictiveFiller(text, m.index, end)) continue;
    // An adjective goes only before its noun: "be knowledgeable of", "both informative and", "concise and helpful." keep it.
    if (pack.adjectiveFillers.has(phraseKey(m[0]))) {
      const next = /^[ \t]*([\p{L}'’]+)/u.exec(text.slice(end, end + 40))?.[1]?.toLowerCase();
      // The word it is said of may stand before an adverb: "You are really helpful." (breaker45: aggressive gave "You're.").
      const said = /([\p{L}'’]+)[ \t]+(\p{L}+(?:ly|mente))[ \t]*$/iu.exec(text.slice(Math.max(0, m.index - 60), m.index))?.[1];
      const keptAfter = (w: string | undefined): boolean => w !== undefined && pack.adjectiveKeepAfter.has(w.toLowerCase().replace(/’/g, "'"));
      if (keptAfter(previous?.[1]) || keptAfter(said) || (next !== undefined && pack.adjectiveKeepBefore.has(next))) continue;
      // Nor, in English, where its clause ends with no noun after it: "The answers were clear and truly helpful." is a
      // predicate. (Spanish and Portuguese adjectives follow their noun: "um assistente prestativo." still loses it.)
      if (pack.pack.code === 'en' && /^[ \t]*(?:[.!?;:)]|\r?\n|$)/u.test(text.slice(end, end + 3))) continue;
      // An item of a series of adjectives takes one comma along and leaves the other: "well structured, informative,
      // in-depth" → "well structured, in-depth", "a clear, informative summary" → "a clear summary" (gpt-researcher,
      // newuser29: "well structured\nin-depth" and "clear, summary" were left).
      // (Before the series' conjunction both commas go, as for any aside: "concise, helpful, and friendly" → "concise and friendly".)
      const conjunction = /^,[ \t]+([\p{L}]+)/u.exec(text.slice(end, end + 40))?.[1]?.toLowerCase();
      const series = conjunction !== undefined && pack.coordinators.has(conjunction) ? undefined : adjectiveSeriesItem(text, m.index, end);
      if (series) {
        plan.tryExact('filler', series[0], series[1], '', 'unnegated');
        continue;
      }
      // The intensifier before it goes with it: "a really helpful assistant" left "a really assistant" (breaker49). Kept
      // by a rule (a constraint, a quotation), it keeps the adjective; already dropped, the adjective goes alone.
      if (previous && INTENSIFIER.test(previous[1])) {
        const from = m.index - previous[0].length;
        if (plan.untaken(from, from + previous[1].length)) {
          plan.tryEdit('filler', from, end, '', 'unnegated');
          continue;
        }
      }
    }
    // A manner adverb that ends its clause says how to do it: "answer the question thoroughly." (morphic, newuser25),
    // "read the contract carefully." It goes where it only intensifies: "carefully read", "thoroughly consider".
    // The same for an aggressive-level "-ly" adverb: "If the sources disagree, state that clearly." (gpt-researcher, newuser29).
    const manner = pattern === pack.fillerAdverbs || (pattern === pack.fillerAggressive && /ly$/iu.test(m[0]));
    if (manner && /^[ \t]*(?:[.,;:!?)]|\r?\n|$)/u.test(text.slice(end, end + 3))) continue;
    // So does an "-ly" filler after the verb's words, before the clause ends or a coordinated verb: "say so honestly and
    // offer to look at other rooms" (livekit/agents' hotel receptionist, session 35), "answer every question honestly."
    // Sentence-first ("Honestly, …") or after an auxiliary ("should really read") it still goes.
    // (After a placeholder, a quotation or a bracket, the verb's object ends there: "Write {{ this }} literally." — breaker49.)
    // (A sentence adverb there is still filler: "say ${msg} basically.")
    const afterObject = previous === null && !SENTENCE_ADVERB.test(m[0]) && /[}\])"'”’`][ \t]*$/u.test(text.slice(Math.max(0, m.index - 4), m.index));
    if (pattern === pack.filler && /ly$/iu.test(m[0]) && (afterObject || (previous && /^\p{Ll}/u.test(previous[1]) && !pack.finiteVerbs.has(previous[1].toLowerCase()))) && !/[,;:]$/u.test(text.slice(Math.max(0, m.index - 2), m.index).trimEnd())) {
      const rest = text.slice(end, end + 40);
      const coordinated = /^[ \t]+([\p{L}]+)[ \t]+\p{Ll}/u.exec(rest);
      // (Or before a comma: "Answer every question honestly, then stop." lost "honestly".)
      if (/^[ \t]*(?:[.,;:!?)]|\r?\n|$)/u.test(rest) || (coordinated && pack.coordinators.has(coordinated[1].toLowerCase()))) continue;
    }
    // Before a quotation the word bounds it: "If the user says just “a large meal,” …" (livekit/agents' drive-thru, session 35).
    if (/^[ \t]+["“‘«]/u.test(text.slice(end, end + 4))) continue;
    // "just" before a past form or after "have" says when: "assume the customer just pulled up" (livekit/agents-js drive-thru),
    // "You have just taken the following action" (stagehand), "an event the user just triggered" (pipecat): session 35.
    if (/^just$/i.test(m[0]) && (/^[ \t]+\p{Ll}+ed(?![\p{L}])/u.test(text.slice(end, end + 30)) || /(?:^|[^\p{L}])(?:have|has|had)[ \t]+$|['’]ve[ \t]+$/iu.test(text.slice(Math.max(0, m.index - 12), m.index)))) continue;
    if (/^just$/i.test(m[0]) && justAdjectiveOrPast(text, m.index, end, pack)) continue;
    // es "y asegúrate de incluir", pt "por isso fique à vontade para ser": without its lead the infinitive is no instruction.
    if (pack.infinitivePrepositions.has(/\p{L}+$/u.exec(m[0])?.[0].toLowerCase() ?? '') && infinitiveAt(text, end, pack) && !plan.atSentenceStart(m.index)) continue;
    plan.tryEdit('filler', m.index, end, '', 'unnegated');
  }
  pattern.lastIndex = 0;
}

/** Fillers that say nothing of how a thing is done, wherever they stand ("literally", "honestly", "simply" may). */
const SENTENCE_ADVERB = /^(?:basically|actually|really|definitely|certainly|obviously|essentially)$/i;

/** A word that says how much of the adjective after it (an "-ly"/"-mente" adverb or one of these). */
const INTENSIFIER = /^(?:very|so|quite|super|too|\p{L}+ly|muy|tan|muito|t[aã]o|bem|\p{L}+mente)$/iu;

/**
 * The span an adjective filler at [start, end) takes when it is an item of a comma series: the comma
 * before it ("clear, informative" → [", informative"]), or else the comma after it ("helpful,
 * friendly" → ["helpful, "]); undefined when no comma joins it to a neighbouring word.
 */
function adjectiveSeriesItem(text: string, start: number, end: number): [number, number] | undefined {
  const before = /[\p{L}\p{N}](,[ \t]+)$/u.exec(text.slice(Math.max(0, start - 40), start));
  if (before) return [start - before[1].length, end];
  const after = /^,[ \t]+(?=[\p{L}\p{N}])/u.exec(text.slice(end, end + 40));
  return after ? [start, end + after[0].length] : undefined;
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
    // "Tú y yo escribimos", "Eu e tu jogamos": a verb in the first person plural (clitics skipped) has a coordinated
    // subject, whose pronouns stay ("Tú y escribimos" was left).
    if (/^(?:[ \t]+(?:me|te|se|nos|lo|la|los|las|le|les|lhe|lhes|o|a|os|as))*[ \t]+\p{L}+mos(?![\p{L}'’-])/u.test(text.slice(end, end + 60))) continue;
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
    // "clicking, typing, scrolling, and more": the conjunction opens the series' open end, which a comma alone does not close.
    if (pack.seriesOpenEnds?.test(text.slice(m.index + m[0].indexOf(m[1]) + m[1].length, m.index + m[0].length + 20))) continue;
    // The sentence so far: the items before it must be short ("A, B, and C"), not clauses.
    const head = text.slice(Math.max(0, m.index - 120), m.index);
    const sentence = head.slice(Math.max(head.lastIndexOf('\n'), head.search(/[.!?:;][^.!?:;]*$/)) + 1);
    const items = sentence.split(',');
    // At least one earlier comma, and the item just before is short (a series item, not a clause).
    const previousItem = (items[items.length - 1].match(/[\p{L}\p{N}]+/gu) ?? []).length;
    if (items.length < 2 || previousItem === 0 || previousItem > 3) continue;
    if (!plan.untaken(m.index, m.index + 1)) continue; // its comma went with a filler item: "concise and friendly" (newuser28)
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

export function planPhrases(plan: EditPlan, text: string, pack: CompiledPack, rules: ReadonlySet<CompressionRule>): void {
  const step = (rule: CompressionRule, run: () => void) => {
    if (!rules.has(rule)) return;
    plan.rule = rule;
    run();
  };
  if (!rules.has('verbose')) {
    step('politeness', () => applyPattern(plan, text, pack, pack.politeness, 'politeness', () => '', true));
    return;
  }
  // Before the heading rules (its words would become a label), and before the heading case runs after these.
  step('roleHeading', () => planRoleHeading(plan, text, pack));
  // A heading's gloss ("// What we are trying to achieve") goes before the contraction takes a word of it (compress51en).
  step('headingEcho', () => planHeadingGlosses(plan, text, pack));
  step('roleCopula', () => planRoleCopulas(plan, text, pack));
  // Longer phrases first: "please note that" is one filler phrase, not "please" and a stranded "note that".
  // Before the verbose phrases: pt "o meu" → "meu" would take the label's first word.
  step('inputLabel', () => planLabelSentences(plan, text, pack));
  // Before the phrase rules that may take the auxiliary first: pt "eu vou fazer isso" → "faço isso" (promptking-pt, tuning).
  // Before the present tense, which would take the verb alone: "Te daré" → "Doy" in one edit, not "Te doy".
  // Before the present tense and the reader's pronoun, which would take part of the frame ("vou fazer isso colocando").
  step('shortClause', () => planShortClauses(plan, text, pack));
  step('addresseeClitic', () => planAddresseeClitics(plan, text, pack, rules.has('presentTense')));
  step('presentTense', () => planPresentTense(plan, text, pack));
  step('verbose', () => planTaskLeads(plan, text, pack));
  step('verbose', () => planVerbose(plan, text, pack, rules.has('possessive')));
  step('verbose', () => planSubjunctiveLeads(plan, text, pack));
  step('verbose', () => planCoordinatedSubjunctives(plan, text, pack));
  step('verbose', () => planGoingToFutures(plan, text, pack));
  step('verbose', () => planMesocliticFutures(plan, text, pack));
  step('verbose', () => planSentenceOpeners(plan, text, pack));
  step('plainWord', () => planPlainWords(plan, text, pack));
  step('ritual', () => planFiller(plan, text, pack.ritual, pack));
  step('demonstrative', () => planDemonstratives(plan, text, pack));
  step('imperativeLead', () => planImperativeLeads(plan, text, pack));
  // After imperative leads ("You will write" → "Write" saves more), before contractions (which would take "I will" first).
  step('auxiliary', () => planAuxiliaries(plan, text, pack));
  step('auxiliary', () => planFutureAuxiliaries(plan, text, pack));
  step('reducedRelative', () => planReducedRelatives(plan, text, pack));
  step('subjectPronoun', () => planSubjectPronouns(plan, text, pack));
  step('inputLabel', () => planFollowedRewrites(plan, text, pack.verboseAggressivePattern, pack.verboseAggressive));
  step('shortForm', () => planFollowedRewrites(plan, text, pack.shortFormsPattern, pack.shortForms, (end, phrase, replacement) => droppedObjectStays(text, end, phrase, replacement)));
  step('contraction', () => planFollowedRewrites(plan, text, pack.contractionsPattern, pack.contractions, (end) => contractionStays(text, end, pack)));
  step('filler', () => planFiller(plan, text, pack.filler, pack));
  step('filler', () => planFiller(plan, text, pack.fillerAdverbs, pack));
  step('dropPronoun', () => planDropPronouns(plan, text, pack));
  step('politeness', () => applyPattern(plan, text, pack, pack.politeness, 'politeness', () => '', true));
  step('fillerAggressive', () => planFiller(plan, text, pack.fillerAggressive, pack));
  step('aggressiveOpener', () => planAggressiveOpeners(plan, text, pack));
  step('negatedDeterminer', () => planNegatedDeterminers(plan, text, pack));
  step('seriesConjunction', () => planSeriesConjunctions(plan, text, pack));
  step('copula', () => planCopulas(plan, text, pack));
  step('article', () => planArticles(plan, text, pack));
  // Medium: headings, list items and labels are fragments by convention; they lose their articles, full sentences keep them.
  // Stryker disable next-line OptionalChaining: equivalent, an article is a word and a word always lies inside a unit
  if (!rules.has('article')) step('fragmentArticle', () => planArticles(plan, text, pack, (at) => inFragment(text, at, plan.unitAt(at)?.kind) && !fullSentence(plan.unitAt(at)?.text ?? '', pack) && !indefiniteStays(text, at, pack)));
  step('possessive', () => planArticles(plan, text, pack, undefined, pack.possessives));
  step('markdownEmphasis', () => planMarkdownEmphasis(plan, text));
  step('listMarker', () => planListMarkers(plan, text, pack));
  step('headingLabel', () => planHeadingLabels(plan, text, pack));
  step('listSpacing', () => planListSpacing(plan, text));
  step('headingEcho', () => planHeadingEcho(plan, text));
  // Last: it also shortens the role leads other rules wrote ("Quiero que desempeñes el papel de un" → "Sé", not "Actúa como").
  step('roleLead', () => planRoleLeads(plan, text, pack));
}

/**
 * The seed's PromptDistiller (the Python PepperPy `optimization` module's keep-the-essence
 * class): keeps the essence of a prompt under a token budget by
 * extractive selection. The text is first compressed (medium); then every unit that holds
 * a protected item (a constraint, an output format, code, a placeholder, a number...) is
 * kept, and the remaining sentences are added by informativeness until the budget is
 * spent. Nothing is paraphrased, so every kept sentence is the author's own.
 */
import type { DistillationResult, DroppedUnit } from '../../protocol/prompt';
import { PromptCompressor, retainedItems } from './compressor';
import { DEFAULT_MODEL } from '../../shared/prompt/defaults';
import { compiledPack, detectLanguage, escapeRegExp, matchesAny, type CompiledPack } from '../../shared/prompt/languages';
import { analyzeProtected, checkRetention, type ProtectedAnalysis, type ProtectedSpan } from '../../shared/prompt/protected';
import { exampleBlocks } from '../../shared/prompt/examples';
import { words, type TextUnit } from '../../shared/prompt/text';
import { inputBlocks, mergeInputBlocks } from './distillInput';
import { closure, INTRO, linkUnits } from './distillLinks';
import { sharedTokenizer, type TokenizerService } from '../../shared/prompt/tokenizer';

export interface DistillOptions {
  /** Token budget; default: 60% of the compressed prompt. */
  maxTokens?: number;
  model?: string;
  language?: string;
}

/** Share of the compressed prompt kept when no budget is given. */
export const DEFAULT_DISTILL_SHARE = 0.6;

/** Above this many units the redundancy term (quadratic) is skipped. */
const MMR_LIMIT = 400;

interface Candidate {
  unit: TextUnit;
  index: number;
  tokens: number;
  mustKeep: boolean;
  /** It holds a protected item other than a name. */
  holdsItem: boolean;
  score: number;
  words: Set<string>;
}

/**
 * Joins kept units, keeping the separator the original had before each one (a space
 * inside a paragraph, a newline between lines), so lists and labels keep their shape.
 */
export function joinUnits(text: string, kept: readonly TextUnit[]): string {
  let out = '';
  let previous: TextUnit | undefined;
  for (const unit of kept) {
    if (!previous) {
      // The first unit keeps its line's indentation too: in an indented template (`` dedent` `` in Continue's prompts)
      // a first line at column 0 and the rest at 8 would come out indented by 8 after dedenting.
      out += lineIndent(text, unit.start);
    } else {
      const gap = text.slice(previous.end, unit.start);
      // A blank line in what lies between (not merely dropped lines) is a paragraph break.
      const newlines = /\n[ \t]*\n/.test(gap) ? 2 : gap.includes('\n') ? 1 : 0;
      // A unit put on a new line keeps its line's indentation: a nested list item stays nested, and so does a sentence
      // whose line began with a dropped one.
      out += newlines === 0 ? ' ' : (newlines >= 2 ? '\n\n' : '\n') + lineIndent(text, unit.start);
    }
    out += unit.text;
    previous = unit;
  }
  return out;
}

/** A heading's level: its number of hashes. */
const headingLevel = (text: string): number => /^\s*(#{1,6})/.exec(text)?.[1].length ?? 1;

/** The indentation of the line that holds `at`. */
function lineIndent(text: string, at: number): string {
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart, at))?.[0] ?? '';
}

/** Strips a list marker, emphasis and heading hashes from the start of a unit. */
// Sticky (`y`): anchored at index 0 like `^`.
const bare = (text: string) => text.replace(/[\s>#*_•+-]*(?:\d{1,3}[.)]\s*)?[*_]*/uy, '');

/**
 * The prompt's main instruction, which distillation never drops: the first unit after a
 * heading that names the task ("# TASK", "## Instruções"), else the first unit whose first
 * or second word is a task verb ("Write…", "Now write…", "Act as…") or that assigns the task
 * ("You're tasked with…"), else the first prose unit. Returns its index in `units`, or -1 when the prompt has no prose unit.
 */
export function mainInstructionIndex(units: readonly TextUnit[], pack: CompiledPack): number {
  const prose = (u: TextUnit) => isProse(u, pack);
  for (let i = 0; i < units.length; i++) {
    // "# OUTPUT INSTRUCTIONS" names the format, not the task.
    if (units[i].kind !== 'heading' || !matchesAny(pack.taskHeadings, units[i].text) || matchesAny(pack.outputFormat, units[i].text)) continue;
    for (let j = i + 1; j < units.length && units[j].kind !== 'heading'; j++) if (prose(units[j])) return j;
  }
  for (let i = 0; i < units.length; i++) {
    if (!prose(units[i])) continue;
    // The verb opens the unit (the base text is compressed: "I want you to act as" is already "Act as").
    const text = bare(units[i].text);
    if (
      matchesAny(pack.taskVerbs, firstWords(text)) ||
      matchesAny(pack.taskVerbs, firstWords(afterLeadClause(text, pack))) ||
      statesTask(text, pack) ||
      assignsTask(text, pack) ||
      usesMeansForTask(text, pack)
    ) {
      // A format rule ("Respond only with code, and with no markdown formatting.") is no task: an English sentence before
      // it that opens with a verb and its object is ("Replace the Username property with an Email property.", vercel/ai's
      // predicted-output example: breaker45, distill kept the format rule and dropped the task).
      if (matchesAny(pack.outputFormat, text) && matchesAny(pack.hardConstraints, text)) {
        const task = units.slice(0, i).findIndex((u) => prose(u) && opensWithVerbAndObject(bare(u.text), pack));
        if (task >= 0) return task;
      }
      return i;
    }
  }
  return units.findIndex(prose);
}

/** English words that open a sentence before an article without being a verb ("In the", "For each", "All the"). */
const NOT_VERBS_EN = new Set(['about', 'above', 'across', 'after', 'against', 'all', 'along', 'among', 'around', 'as', 'at', 'before', 'behind', 'below', 'between', 'beyond', 'both', 'but', 'by', 'during', 'each', 'either', 'every', 'except', 'for', 'from', 'here', 'how', 'in', 'inside', 'into', 'like', 'near', 'neither', 'next', 'now', 'of', 'off', 'on', 'once', 'only', 'onto', 'out', 'outside', 'over', 'per', 'since', 'so', 'such', 'than', 'then', 'there', 'through', 'throughout', 'thus', 'to', 'toward', 'towards', 'under', 'upon', 'via', 'what', 'why', 'with', 'within', 'without', 'yet']);

/**
 * Whether an English unit opens as an imperative with its object: a capitalised word that is no function word, then an
 * article, "this"/"these"/"your" or "it"/"them" ("Replace the Username property…", "Fix this function."). Other languages: false.
 */
function opensWithVerbAndObject(text: string, pack: CompiledPack): boolean {
  if (pack.pack.code !== 'en') return false;
  const m = /^(\p{Lu}\p{Ll}+)[ \t]+(the|a|an|this|these|those|your|its|it|them)\b/u.exec(text);
  if (!m) return false;
  const word = m[1].toLowerCase();
  const closed = [pack.pack.articles, pack.pack.subordinators, pack.pack.coordinators, pack.pack.subjectPronouns, pack.pack.finiteVerbs, pack.pack.conditions, pack.pack.predeterminers];
  return !NOT_VERBS_EN.has(word) && !closed.some((list) => list?.includes(word));
}

/**
 * Whether `text` gives the model a task as an obligation: a task verb right after one of the language's
 * `taskObligations`, anywhere in the unit (Perplexica's "…and it has to classify the query…", "You also have to generate
 * a standalone follow-up question…"). "You have to be careful" gives none.
 */
export function statesTask(text: string, pack: CompiledPack): boolean {
  const obligations = pack.taskObligations;
  if (!obligations) return false;
  obligations.lastIndex = 0;
  let found = false;
  for (let m = obligations.exec(text); m && !found; m = obligations.exec(text)) {
    found = matchesAny(pack.taskVerbs, firstWord(text.slice(m.index + m[0].length)));
  }
  obligations.lastIndex = 0;
  return found;
}

/**
 * Whether `text` hands the model its task with one of the language's `taskAssignments`, whatever verb follows ("You're
 * tasked with reflecting on the following conversation…", open-canvas's reflection prompt via newuser35: no unit of it opens
 * with a task verb, and the main instruction fell back to the role sentence before it).
 */
export function assignsTask(text: string, pack: CompiledPack): boolean {
  const assignments = pack.taskAssignments;
  if (!assignments) return false;
  assignments.lastIndex = 0;
  const found = assignments.test(text);
  assignments.lastIndex = 0;
  return found;
}

/**
 * Whether `text` opens with one of the language's `taskMeans` and, in its first sentence, a `taskPurposeLinks` word is
 * followed by a task verb: "Use the following pieces of context to answer the question at the end." (kotaemon's citation
 * QA prompt, whose distillation dropped it and kept "Provide DETAILED answer…" as the main instruction; newuser40), "Read
 * the text below and summarize it". "Use bullets." and "Use the tools to the best of your ability." give no task.
 */
export function usesMeansForTask(text: string, pack: CompiledPack): boolean {
  const means = pack.taskMeans;
  const links = pack.taskPurposeLinks;
  if (!means || !links) return false;
  means.lastIndex = 0;
  const opening = means.exec(text);
  means.lastIndex = 0;
  if (opening?.index !== 0) return false;
  const sentence = /^[^.;:!?\n]*/u.exec(text.slice(opening[0].length))?.[0] ?? '';
  let found = false;
  links.lastIndex = 0;
  for (let m = links.exec(sentence); m && !found; m = links.exec(sentence)) {
    found = matchesAny(pack.taskVerbs, firstWord(sentence.slice(m.index + m[0].length)));
  }
  links.lastIndex = 0;
  return found;
}

/** The first word of `text`. */
const firstWord = (text: string): string => /^\s*\S*/.exec(text)?.[0] ?? '';

/**
 * The units distillation keeps as the task: the main instruction and, in its paragraph (no blank line, heading or bare
 * tag between), each unit that states a task as an obligation ("You also have to generate a standalone follow-up
 * question…" after "…it has to classify the query…"): a second task is a main instruction too.
 */
export function taskIndexes(base: string, units: readonly TextUnit[], pack: CompiledPack): number[] {
  const main = mainInstructionIndex(units, pack);
  if (main < 0) return [];
  const tasks = [main];
  const boundary = (u: TextUnit) => u.kind === 'heading' || TAG_ONLY.test(u.text);
  for (let i = main + 1; i < units.length && !boundary(units[i]) && !/\n[ \t]*\n/.test(base.slice(units[i - 1].end, units[i].start)); i++) {
    if (isProse(units[i], pack) && statesTask(bare(units[i].text), pack)) tasks.push(i);
  }
  for (let i = main - 1; i >= 0 && !boundary(units[i]) && !/\n[ \t]*\n/.test(base.slice(units[i].end, units[i + 1].start)); i--) {
    if (isProse(units[i], pack) && statesTask(bare(units[i].text), pack)) tasks.push(i);
  }
  return tasks.sort((a, b) => a - b);
}

/** The first two words of `text`. */
const firstWords = (text: string): string => text.split(/\s+/).slice(0, 2).join(' ');

/**
 * The text after a leading clause that sets up the instruction ("Given the new context, refine the original answer…" →
 * "refine the original answer…"), or '' when the unit does not open with one: the clause opens with one of the
 * language's `instructionLeads` and ends at a comma within the same sentence.
 */
function afterLeadClause(text: string, pack: CompiledPack): string {
  const leads = pack.instructionLeads;
  if (!leads) return '';
  leads.lastIndex = 0;
  const lead = leads.exec(text);
  leads.lastIndex = 0;
  if (lead?.index !== 0) return '';
  const comma = text.indexOf(',', lead[0].length);
  if (comma < 0 || comma > 200 || /[.;:!?\n]/.test(text.slice(0, comma))) return '';
  return text.slice(comma + 1).trimStart();
}

/**
 * The role sentence ("You are an expert at…", "Act as…"), which distillation never drops either: the
 * first prose unit that opens with a role phrase of the language. -1 when there is none.
 */
export function roleIndex(units: readonly TextUnit[], pack: CompiledPack): number {
  const role = pack.role;
  if (!role) return -1;
  // A role labelled as such ("Role: You are an expert Forensic Cinematic Analyst…") opens after its label.
  const label = new RegExp(`^${escapeRegExp(pack.pack.headings.role)}\\s*:\\s*`, 'iu');
  const named = units.findIndex((u) => {
    if (!isProse(u, pack)) return false;
    role.lastIndex = 0;
    // Medium compression contracts "You are" (mem0's "You're a smart memory manager…", "Imagine you're an experienced
    // Ethereum developer…"); the role phrases do not list that.
    const match = role.exec(bare(u.text).replace(label, '').replace(/\b(you)['’]re\b/giu, '$1 are'));
    role.lastIndex = 0;
    return match?.index === 0;
  });
  if (named >= 0) return named;
  // No role phrase: a prompt that opens by telling the model what it does ("You maintain detailed, information-dense entity
  // memories from episode text.", graphiti's summary prompt via newuser36) has its role in that first sentence.
  const first = units.findIndex((u) => isProse(u, pack));
  // A sentence: a list's first item ("* You can install Ubuntu applications…", a capability list) is not an opening.
  return first >= 0 && units[first].kind === 'sentence' && addressesModel(bare(units[first].text).replace(label, ''), pack) ? first : -1;
}

/**
 * The sentence right after the role, in its paragraph, when it tells the model what it does ("You are an expert search
 * query expander… You optimize user queries by extensively analyzing potential user intents…": node-DeepResearch's query
 * rewriter, whose distillation kept the role and dropped the task after it, newuser37). Not after a blank line, a
 * heading or a bare tag line; only the next sentence (the ones after it are left to the budget).
 */
export function roleParagraphAddresses(base: string, units: readonly TextUnit[], role: number, pack: CompiledPack): number[] {
  const next = role + 1;
  if (role < 0 || next >= units.length) return [];
  const u = units[next];
  if (u.kind !== 'sentence' || TAG_ONLY.test(u.text) || /\n[ \t]*\n/.test(base.slice(units[role].end, u.start))) return [];
  return addressesModel(bare(u.text), pack) ? [next] : [];
}

/** Whether `text` opens with a pronoun that addresses the model and a word after it ("You maintain…", "Você analisa…"). */
function addressesModel(text: string, pack: CompiledPack): boolean {
  const pronouns = pack.addressPronouns;
  if (!pronouns) return false;
  pronouns.lastIndex = 0;
  const match = pronouns.exec(text);
  pronouns.lastIndex = 0;
  return match?.index === 0 && /^\s+\p{L}/u.test(text.slice(match[0].length));
}

/**
 * The units distillation selects from, in the compressed text `base`: those of `analyzeProtected`, with each input block
 * (distillInput.ts: an article after "…for this article:", a delimited "``\n{placeholder}\n``") made one unit.
 */
export function distillUnits(base: string, language: string, analysis: ProtectedAnalysis = analyzeProtected(base, language)): TextUnit[] {
  return mergeInputBlocks(base, analysis.units, inputBlocks(base, analysis.units, analysis.spans, compiledPack(language)));
}

/**
 * A sentence, a list item, or a labelled line that is not the prompt's input ("Question: …"); not a bare tag line
 * (Perplexica's "<role>", which was its classifier prompt's main instruction).
 */
function isProse(u: TextUnit, pack: CompiledPack): boolean {
  if (TAG_ONLY.test(u.text)) return false;
  return u.kind === 'sentence' || u.kind === 'listItem' || (u.kind === 'label' && !matchesAny(pack.inputLabels, u.text.slice(0, 40)));
}

/** A unit that is only XML-like tags ("<role>", "</labels>"). */
const TAG_ONLY = /^\s*(?:<\/?[A-Za-z][\w:.-]*(?:\s[^<>]*)?>\s*)+$/;
/** A line that only opens tags (`<artifact_info>`), no closing one: a section starts after it. */
const OPENING_TAG_ONLY = /^\s*(?:<[A-Za-z][\w:.-]*(?:\s[^<>]*)?>\s*)+$/;

export class PromptDistiller {
  private readonly compressor: PromptCompressor;

  constructor(private readonly tokenizer: TokenizerService = sharedTokenizer()) {
    this.compressor = new PromptCompressor(tokenizer);
  }

  distill(text: string, options: DistillOptions = {}): DistillationResult {
    const started = performance.now();
    const model = options.model ?? DEFAULT_MODEL;
    const detected = options.language ?? detectLanguage(text).language;
    const language = detected === 'und' ? 'en' : detected;
    const tokensBefore = this.tokenizer.count(text, model).count;
    // Names count as protected for the compressor; here a sentence whose only protected content is a name may be dropped.
    const originalItems = retainedItems(text, language, { includeNames: false });

    const compressed = this.compressor.compress(text, { level: 'medium', model, language });
    const base = compressed.text;
    const maxTokens = Math.max(1, options.maxTokens ?? Math.ceil(compressed.tokensAfter * DEFAULT_DISTILL_SHARE));
    const analysis = analyzeProtected(base, language);
    const pack = compiledPack(language);
    // The second and later examples of a group (bolt.new's three `<example>` elements) go whole, and before any instruction.
    const blocks = exampleBlocks(base).filter((b) => b.position > 0);
    const units = splitAtBlocks(base, distillUnits(base, language, analysis), blocks);
    const candidates = this.score(units, analysis.spans, language, model);
    const extra = blocks.map((b) => ({ block: b, members: units.flatMap((u, k) => (u.start >= b.start && u.end <= b.end ? [k] : [])) })).filter((e) => e.members.length > 0);
    const inExtra = new Set(extra.flatMap((e) => e.members));
    // Data and code inside such an example are kept only with their example.
    for (const k of inExtra) candidates[k].mustKeep = false;
    // The main instruction (and a task its paragraph adds as an obligation) and the role sentence are kept whatever the budget.
    for (const task of taskIndexes(base, units, pack)) candidates[task].mustKeep = true;
    const role = roleIndex(units, pack);
    if (role >= 0) candidates[role].mustKeep = true;
    for (const said of roleParagraphAddresses(base, units, role, pack)) candidates[said].mustKeep = true;
    // A line that introduces what follows ("Here are some examples of correct usage:", "For example:")
    // stays with a block that stays: examples keep their labels (issue 12, item 2).
    for (let i = candidates.length - 2; i >= 0; i--) {
      if (!candidates[i].mustKeep && candidates[i + 1].mustKeep && INTRO.test(candidates[i].unit.text)) candidates[i].mustKeep = true;
    }
    // What a kept unit needs stays with it (its item's first sentence, its parent item, its intro): links point back,
    // so one pass from the last unit up closes them.
    const links = linkUnits(base, units);
    // An intro that always stays ("Provide a TL;DR for this article:", "…write a sentence that says something like:") keeps the
    // line it introduces: without it the intro would introduce nothing, and for a main instruction that line is its input. Of a
    // list, its first item, unless another item always stays; a numbered intro keeps none: "3. Draft Email:" reads as a step
    // alone, and its items are left to the budget. ("**When NOT to use `createDocument`:**", kept for its negation and code,
    // stood over nothing in the Vercel ai-chatbot prompt.)
    for (const [intro, units] of links.introduces) {
      const first = candidates[Math.min(...units)];
      if (!candidates[intro].mustKeep) continue;
      if (first.unit.kind === 'listItem') {
        if (!NUMBERED.test(candidates[intro].unit.text) && !units.some((u) => candidates[u].mustKeep)) first.mustKeep = true;
        continue;
      }
      // A line without a letter (mem0's stray "``" before its placeholder) introduces nothing by itself.
      if (/\p{L}/u.test(first.unit.text)) first.mustKeep = true;
    }
    // (Some links go both ways: repeat until nothing changes.)
    for (let changed = true; changed; ) {
      changed = false;
      for (let i = candidates.length - 1; i >= 0; i--) {
        if (!candidates[i].mustKeep) continue;
        for (const r of links.requires[i]) {
          if (candidates[r].mustKeep) continue;
          candidates[r].mustKeep = true;
          changed = true;
        }
      }
    }
    // An example that holds the main instruction, the role or what a kept unit needs stays whole.
    for (let e = extra.length - 1; e >= 0; e--) {
      if (!extra[e].members.some((k) => candidates[k].mustKeep)) continue;
      for (const k of extra[e].members) {
        candidates[k].mustKeep = true;
        inExtra.delete(k);
      }
      extra.splice(e, 1);
    }

    let selected: Candidate[];
    const repeated = new Set<number>();
    const dropped: DroppedUnit[] = [];
    const drop = (c: Candidate) => dropped.push({ text: c.unit.text, start: c.unit.start, end: c.unit.end, tokens: c.tokens, reason: 'budget', score: round2(c.score) });
    if (compressed.tokensAfter <= maxTokens) {
      selected = candidates;
    } else {
      // A line said again word for word ("• ***REMEMBER TO CACHE CURRENT FINDINGS BEFORE SCROLLING***" three times in
      // nanobrowser's navigator prompt, newuser41) says nothing new: under a budget, only its first time stays.
      const firstOf = new Map<string, number>();
      for (const c of candidates) {
        // (A bullet line in capitals is data to the protected-span finder; other data, a table's rows, may well repeat.)
        const line = c.unit.kind === 'sentence' || c.unit.kind === 'listItem' || (c.unit.kind === 'structured' && /^\s*[-*+•]\s+\S[^\n]*$/u.test(c.unit.text));
        if (!line || c.unit.text.length < 20) continue;
        const key = c.unit.text.replace(/\s+/g, ' ').trim();
        const first = firstOf.get(key);
        if (first === undefined) firstOf.set(key, c.index);
        else if (!links.requires.some((r, k) => k !== c.index && r.includes(c.index))) repeated.add(c.index);
      }
      for (const k of repeated) candidates[k].mustKeep = false;
      selected = candidates.filter((c) => c.mustKeep);
      const chosen = new Set(selected);
      let used = selected.reduce((n, c) => n + c.tokens + 1, 0);
      const optional = candidates.filter((c) => !c.mustKeep && !inExtra.has(c.index) && !repeated.has(c.index));
      const useMmr = optional.length <= MMR_LIMIT;
      const remaining = new Set(optional);
      // A unit comes with what it needs that is not in yet (a second sentence brings its item's first): its cost is theirs too.
      const needs = (c: Candidate) => closure(links, c.index).filter((k) => !chosen.has(candidates[k])).map((k) => candidates[k]);
      // Ends when no remaining unit fits (also when none remains).
      for (;;) {
        let best: Candidate[] | undefined;
        let bestValue = -Infinity;
        for (const c of remaining) {
          const group = needs(c);
          if (group.some((g) => inExtra.has(g.index))) continue;
          if (used + group.reduce((n, g) => n + g.tokens + 1, 0) > maxTokens) continue;
          let value = c.score;
          if (useMmr) {
            let overlap = 0;
            for (const s of selected) overlap = Math.max(overlap, jaccard(c.words, s.words));
            value -= 0.5 * overlap * c.score;
          }
          if (value > bestValue) {
            bestValue = value;
            best = group;
          }
        }
        if (!best) break;
        for (const g of best) {
          selected.push(g);
          chosen.add(g);
          remaining.delete(g);
          used += g.tokens + 1;
        }
      }
      // Then the further examples, whole and in order, while they fit.
      for (const e of extra) {
        const group = [...new Set(e.members.flatMap((k) => closure(links, k)))].map((k) => candidates[k]).filter((c) => !chosen.has(c));
        if (group.some((g) => remaining.has(g)) || used + group.reduce((n, g) => n + g.tokens + 1, 0) > maxTokens) continue;
        for (const g of group) {
          selected.push(g);
          chosen.add(g);
          used += g.tokens + 1;
        }
      }
      // An intro line ("Guidelines:", "- BODY:") whose list went entirely goes too: it would introduce nothing. A numbered
      // item stays ("3. Draft Email:"): without it the list's numbers would skip one.
      for (const [intro, units] of links.introduces) {
        const c = candidates[intro];
        if (!chosen.has(c) || c.mustKeep || NUMBERED.test(c.unit.text) || units.some((u) => chosen.has(candidates[u]))) continue;
        if (links.requires.some((r, k) => r.includes(intro) && chosen.has(candidates[k]))) continue;
        chosen.delete(c);
        remaining.add(c);
      }
      // So does a heading whose whole section went ("# IDENTITY and PURPOSE" over nothing). One over no units at all, one
      // that names the input ("# INPUT", where the input goes) or that holds a protected item stays.
      for (const c of candidates) {
        if (c.unit.kind !== 'heading' || !chosen.has(c) || c.holdsItem || matchesAny(pack.inputLabels, c.unit.text)) continue;
        const level = headingLevel(c.unit.text);
        const section: Candidate[] = [];
        for (let k = c.index + 1; k < candidates.length && !(candidates[k].unit.kind === 'heading' && headingLevel(candidates[k].unit.text) <= level); k++) {
          if (candidates[k].unit.kind !== 'heading') section.push(candidates[k]);
        }
        if (section.length === 0 || section.some((u) => chosen.has(u))) continue;
        chosen.delete(c);
        remaining.add(c);
      }
      selected = selected.filter((c) => chosen.has(c));
      for (const c of remaining) drop(c);
      selected.sort((a, b) => a.index - b.index);
      // The sum of unit counts is an estimate of the joined count: trim the lowest-scored optional units until the exact
      // count fits, never one a kept unit needs.
      let output = joinUnits(base, selected.map((c) => c.unit));
      let count = this.tokenizer.count(output, model).count;
      while (count > maxTokens) {
        // A further example goes before any instruction: the last one kept, whole.
        const lastExample = [...extra].reverse().find((e) => e.members.every((k) => chosen.has(candidates[k])));
        if (lastExample) {
          for (const k of lastExample.members) chosen.delete(candidates[k]);
          selected = selected.filter((c) => chosen.has(c));
          output = joinUnits(base, selected.map((c) => c.unit));
          count = this.tokenizer.count(output, model).count;
          continue;
        }
        const needed = new Set(selected.flatMap((c) => links.requires[c.index]));
        const victim = selected.filter((c) => !c.mustKeep && !needed.has(c.index) && !inExtra.has(c.index)).sort((a, b) => a.score - b.score)[0];
        if (!victim) break;
        selected.splice(selected.indexOf(victim), 1);
        drop(victim);
        output = joinUnits(base, selected.map((c) => c.unit));
        count = this.tokenizer.count(output, model).count;
      }
    }
    for (const k of repeated) {
      const c = candidates[k];
      dropped.push({ text: c.unit.text, start: c.unit.start, end: c.unit.end, tokens: c.tokens, reason: 'duplicate', score: round2(c.score) });
    }
    for (const e of extra) {
      if (e.members.some((k) => selected.includes(candidates[k]))) continue;
      const text = base.slice(e.block.start, e.block.end).trim();
      dropped.push({ text, start: e.block.start, end: e.block.end, tokens: this.tokenizer.count(text, model).count, reason: 'example', score: 0 });
    }
    for (const r of compressed.removed) if (r.kind === 'repetition') dropped.push({ text: r.text, start: r.start, end: r.end, tokens: this.tokenizer.count(r.text, model).count, reason: 'duplicate', score: 0 });
    dropped.sort((a, b) => a.start - b.start);

    const output = selected.length === candidates.length ? base : joinUnits(base, selected.map((c) => c.unit));
    const tokens = this.tokenizer.count(output, model);
    return {
      text: output,
      language,
      maxTokens,
      tokensBefore,
      tokensAfter: tokens.count,
      reductionPercent: tokensBefore === 0 ? 0 : round2((100 * (tokensBefore - tokens.count)) / tokensBefore),
      fitsBudget: tokens.count <= maxTokens,
      keptUnits: selected.length,
      dropped,
      retention: checkRetention(originalItems, output),
      tokens,
      elapsedMs: performance.now() - started,
    };
  }

  /**
   * Informativeness of a unit: the mean inverse frequency of its content words within the
   * prompt (rare words carry the specifics), plus a bonus for instructions and for the
   * first sentence (usually the role or the task).
   */
  private score(units: readonly TextUnit[], spans: readonly ProtectedSpan[], language: string, model: string): Candidate[] {
    const pack = compiledPack(language);
    const df = new Map<string, number>();
    const unitWords = units.map((u) => new Set(words(u.text).filter((w) => w.length > 3)));
    for (const set of unitWords) for (const w of set) df.set(w, (df.get(w) ?? 0) + 1);
    const n = Math.max(units.length, 1);
    let spanCursor = 0;
    // analyzeProtected returns its spans sorted by start.
    const sortedSpans = spans;
    const roleAt = roleIndex(units, pack);
    return units.map((unit, index) => {
      while (spanCursor < sortedSpans.length && (sortedSpans[spanCursor]).end <= unit.start) spanCursor++;
      // Code, data, headings and the labelled input ("Question: …") are the prompt's subject: always kept.
      // A bare input label line ("INPUT:", fabric's slot for the input) is the input's label too.
      const inputSlot = (unit.kind === 'label' || INPUT_SLOT.test(unit.text)) && matchesAny(pack.inputLabels, unit.text.slice(0, 60));
      // So is the slot that ends a completion prompt ("…article:\n\n<article>\n\nTL;DR:"): the answer starts there.
      const answerSlot = index === units.length - 1 && index > 0 && ANSWER_SLOT.test(unit.text);
      let mustKeep = unit.kind === 'heading' || inputSlot || answerSlot;
      // An input block (distillInput.ts) is 'structured' too, though it may hold no protected span: data is kept whole.
      if (unit.kind === 'code' || unit.kind === 'structured') mustKeep = true;
      // A sentence its author labels in capitals ("IMPORTANT: Prefer Vite…", "CRITICAL: …") is an instruction they insist on.
      if (EMPHASIS_LABEL.test(unit.text)) mustKeep = true;
      let holdsItem = false;
      for (let i = spanCursor; i < sortedSpans.length && (sortedSpans[i]).start < unit.end; i++) {
        const span = sortedSpans[i];
        if (span.kind !== 'name') holdsItem = true;
      }
      if (holdsItem) mustKeep = true;
      const set = unitWords[index];
      let idf = 0;
      for (const w of set) idf += Math.log(1 + n / (df.get(w) ?? 1));
      const informativeness = set.size === 0 ? 0 : idf / set.size;
      const instruction = matchesAny(pack.taskVerbs, unit.text.slice(0, 60)) ? 0.5 : 0;
      // So is the sentence that opens a tagged or headed section: it says what the section is about (bolt.new's "You are operating
      // in an environment called WebContainer, …" under <system_constraints>, "Bolt creates a SINGLE, comprehensive artifact for
      // each project." under <artifact_info>; both went first, and the sentences after them spoke of what was never introduced,
      // newuser39).
      const opensSection = index > 0 && isProse(unit, pack) && (units[index - 1].kind === 'heading' || OPENING_TAG_ONLY.test(units[index - 1].text));
      // (Not the role sentence, which is kept apart; a section's opening that merely starts with a role phrase is no role: "You're
      // operating in an environment called WebContainer" once Compress contracted it, and "you're" is a role phrase.)
      const first = (index === 0 && !matchesAny(pack.role, unit.text.slice(0, 40))) || (opensSection && index !== roleAt) ? 1 : 0;
      const question = /\?\s*$/.test(unit.text) ? 0.5 : 0;
      return {
        unit,
        index,
        tokens: this.tokenizer.count(unit.text, model).count,
        mustKeep,
        holdsItem,
        score: informativeness + instruction + first + question,
        words: set,
      };
    });
  }
}

/**
 * Cuts the units that straddle an example block's edge (bolt.new's whole `<examples>` list is one data unit), so that each
 * block is made of whole units; the pieces keep the unit's kind, without the white space at their edges.
 */
export function splitAtBlocks(text: string, units: readonly TextUnit[], blocks: ReadonlyArray<{ start: number; end: number }>): TextUnit[] {
  if (blocks.length === 0) return [...units];
  const out: TextUnit[] = [];
  for (const unit of units) {
    const cuts = blocks.flatMap((b) => [b.start, b.end]).filter((at) => at > unit.start && at < unit.end).sort((a, b) => a - b);
    if (cuts.length === 0) {
      out.push(unit);
      continue;
    }
    let from = unit.start;
    for (const at of [...cuts, unit.end]) {
      let s = from;
      let e = at;
      while (s < e && /\s/.test(text[s])) s++;
      while (e > s && /\s/.test(text[e - 1])) e--;
      if (e > s) out.push({ start: s, end: e, kind: unit.kind, text: text.slice(s, e) });
      from = at;
    }
  }
  return out;
}

/** A numbered list item ("3. Draft Email:"). */
const NUMBERED = /^\d{1,3}[.)]\s/;

/** A line that is only a short label and a colon ("INPUT:", "Text:"). */
const INPUT_SLOT = /^[\s>#*_-]*[\p{L}][\p{L} ]{0,30}:\s*$/u;

/** A line that is only a short label and a colon, "TL;DR:" and "To-do's:" included. */
const ANSWER_SLOT = /^[\s>#*_-]*[\p{L}][\p{L}\p{N} ;'’-]{0,30}:\s*$/u;

/** A unit opened by an emphasis label in capitals, after a list marker or bold (en, pt, es). */
const EMPHASIS_LABEL = /^[\s>*_#-]*(?:\d+[.)]\s*)?(?:ULTRA\s+|VERY\s+|MUITO\s+|MUY\s+)?(?:IMPORTANT|CRITICAL|WARNING|MANDATORY|REQUIRED|IMPORTANTE|CRÍTICO|ATENÇÃO|OBRIGATÓRIO|ATENCIÓN|OBLIGATORIO)\b[*_]*\s*[:!-]/u;

function jaccard(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const w of a) if (b.has(w)) shared++;
  return shared / (a.size + b.size - shared || 1);
}

const round2 = (x: number) => Math.round(x * 100) / 100;

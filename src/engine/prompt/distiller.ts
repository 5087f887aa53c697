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
import { compiledPack, detectLanguage, matchesAny, type CompiledPack } from '../../shared/prompt/languages';
import { analyzeProtected, checkRetention, type ProtectedSpan } from '../../shared/prompt/protected';
import { words, type TextUnit } from '../../shared/prompt/text';
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
    if (previous) {
      const gap = text.slice(previous.end, unit.start);
      // A blank line in what lies between (not merely dropped lines) is a paragraph break.
      const newlines = /\n[ \t]*\n/.test(gap) ? 2 : gap.includes('\n') ? 1 : 0;
      // A unit that starts its line keeps that line's indentation: a nested list item stays nested.
      const indent = /\n([ \t]*)$/.exec(gap)?.[1] ?? '';
      out += (newlines >= 2 ? '\n\n' : newlines === 1 ? '\n' : ' ') + indent;
    }
    out += unit.text;
    previous = unit;
  }
  return out;
}

/** Strips a list marker, emphasis and heading hashes from the start of a unit. */
// Sticky (`y`): anchored at index 0 like `^`.
const bare = (text: string) => text.replace(/[\s>#*_•+-]*(?:\d{1,3}[.)]\s*)?[*_]*/uy, '');

/**
 * The prompt's main instruction, which distillation never drops: the first unit after a
 * heading that names the task ("# TASK", "## Instruções"), else the first unit whose first
 * or second word is a task verb ("Write…", "Now write…", "Act as…"), else the first prose
 * unit. Returns its index in `units`, or -1 when the prompt has no prose unit.
 */
export function mainInstructionIndex(units: readonly TextUnit[], pack: CompiledPack): number {
  const prose = (u: TextUnit) => u.kind === 'sentence' || u.kind === 'listItem' || (u.kind === 'label' && !matchesAny(pack.inputLabels, u.text.slice(0, 40)));
  for (let i = 0; i < units.length; i++) {
    // "# OUTPUT INSTRUCTIONS" names the format, not the task.
    if (units[i].kind !== 'heading' || !matchesAny(pack.taskHeadings, units[i].text) || matchesAny(pack.outputFormat, units[i].text)) continue;
    for (let j = i + 1; j < units.length && units[j].kind !== 'heading'; j++) if (prose(units[j])) return j;
  }
  for (let i = 0; i < units.length; i++) {
    if (!prose(units[i])) continue;
    // The verb opens the unit (the base text is compressed: "I want you to act as" is already "Act as").
    const opening = bare(units[i].text).split(/\s+/).slice(0, 2).join(' ');
    if (matchesAny(pack.taskVerbs, opening)) return i;
  }
  return units.findIndex(prose);
}

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
    const candidates = this.score(analysis.units, analysis.spans, language, model);
    // The main instruction is kept whatever the budget: examples and context go first.
    const main = mainInstructionIndex(analysis.units, compiledPack(language));
    if (main >= 0) candidates[main].mustKeep = true;
    // A line that introduces what follows ("Here are some examples of correct usage:", "For example:")
    // stays with a block that stays: examples keep their labels (issue 12, item 2).
    for (let i = candidates.length - 2; i >= 0; i--) {
      if (!candidates[i].mustKeep && candidates[i + 1].mustKeep && /:\s*$/.test(candidates[i].unit.text)) candidates[i].mustKeep = true;
    }
    keepParentsOfKeptItems(base, candidates);

    let selected: Candidate[];
    const dropped: DroppedUnit[] = [];
    if (compressed.tokensAfter <= maxTokens) {
      selected = candidates;
    } else {
      selected = candidates.filter((c) => c.mustKeep);
      let used = selected.reduce((n, c) => n + c.tokens + 1, 0);
      const optional = candidates.filter((c) => !c.mustKeep);
      const useMmr = optional.length <= MMR_LIMIT;
      const remaining = new Set(optional);
      // Ends when no remaining unit fits (also when none remains).
      for (;;) {
        let best: Candidate | undefined;
        let bestValue = -Infinity;
        for (const c of remaining) {
          if (used + c.tokens + 1 > maxTokens) continue;
          let value = c.score;
          if (useMmr) {
            let overlap = 0;
            for (const s of selected) overlap = Math.max(overlap, jaccard(c.words, s.words));
            value -= 0.5 * overlap * c.score;
          }
          if (value > bestValue) {
            bestValue = value;
            best = c;
          }
        }
        if (!best) break;
        selected.push(best);
        remaining.delete(best);
        used += best.tokens + 1;
      }
      for (const c of remaining) dropped.push({ text: c.unit.text, start: c.unit.start, end: c.unit.end, tokens: c.tokens, reason: 'budget', score: round2(c.score) });
      selected.sort((a, b) => a.index - b.index);
      // The sum of unit counts is an estimate of the joined count: trim the lowest-scored optional units until the exact count fits.
      let output = joinUnits(base, selected.map((c) => c.unit));
      let count = this.tokenizer.count(output, model).count;
      while (count > maxTokens) {
        const victim = selected.filter((c) => !c.mustKeep).sort((a, b) => a.score - b.score)[0];
        if (!victim) break;
        selected.splice(selected.indexOf(victim), 1);
        dropped.push({ text: victim.unit.text, start: victim.unit.start, end: victim.unit.end, tokens: victim.tokens, reason: 'budget', score: round2(victim.score) });
        output = joinUnits(base, selected.map((c) => c.unit));
        count = this.tokenizer.count(output, model).count;
      }
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
    return units.map((unit, index) => {
      while (spanCursor < sortedSpans.length && (sortedSpans[spanCursor]).end <= unit.start) spanCursor++;
      // Code, data, headings and the labelled input ("Question: …") are the prompt's subject: always kept.
      let mustKeep = unit.kind === 'heading' || (unit.kind === 'label' && matchesAny(pack.inputLabels, unit.text.slice(0, 60)));
      // Stryker disable next-line all: equivalent, a code or data unit is built from its block's span (segmentUnits), so the span loop below keeps it too
      if (unit.kind === 'code' || unit.kind === 'structured') mustKeep = true;
      // A sentence its author labels in capitals ("IMPORTANT: Prefer Vite…", "CRITICAL: …") is an instruction they insist on.
      if (EMPHASIS_LABEL.test(unit.text)) mustKeep = true;
      for (let i = spanCursor; i < sortedSpans.length && (sortedSpans[i]).start < unit.end; i++) {
        const span = sortedSpans[i];
        if (span.kind !== 'name') mustKeep = true;
      }
      const set = unitWords[index];
      let idf = 0;
      for (const w of set) idf += Math.log(1 + n / (df.get(w) ?? 1));
      const informativeness = set.size === 0 ? 0 : idf / set.size;
      const instruction = matchesAny(pack.taskVerbs, unit.text.slice(0, 60)) ? 0.5 : 0;
      const first = index === 0 && !matchesAny(pack.role, unit.text.slice(0, 40)) ? 1 : 0;
      const question = /\?\s*$/.test(unit.text) ? 0.5 : 0;
      return {
        unit,
        index,
        tokens: this.tokenizer.count(unit.text, model).count,
        mustKeep,
        score: informativeness + instruction + first + question,
        words: set,
      };
    });
  }
}

/**
 * A nested list item that stays keeps the item (or the "…:" line) it hangs from: without it, its
 * sub-items would read as sub-items of the previous parent ("- shell:" dropped put "ALWAYS provide
 * --yes" under "- start:"). Walks from the last unit up, so a kept parent keeps its own parent.
 */
function keepParentsOfKeptItems(text: string, candidates: Candidate[]): void {
  // The unit's indentation, or -1 when it does not start its line (a second sentence).
  const indentOf = (start: number): number => {
    const lineStart = text.lastIndexOf('\n', start - 1) + 1;
    const lead = text.slice(lineStart, start);
    return /^[ \t]*$/.test(lead) ? lead.length : -1;
  };
  // The item's marker ("-", "*", "1."): under "* For breadth-first queries:" the "- …" items at the same indentation are
  // its children (claude-cookbooks research_lead_agent.md), so an item of another marker ending with ":" is a parent too.
  const markerOf = (unit: TextUnit): string => /^([-*+•]|\d+[.)])\s/.exec(unit.text)?.[1].replace(/^\d+/, '1') ?? '';
  for (let i = candidates.length - 1; i > 0; i--) {
    const unit = candidates[i].unit;
    if (!candidates[i].mustKeep || unit.kind !== 'listItem') continue;
    const indent = indentOf(unit.start);
    if (indent < 0) continue;
    const marker = markerOf(unit);
    for (let j = i - 1; j >= 0; j--) {
      const parent = candidates[j].unit;
      const parentIndent = indentOf(parent.start);
      if (parentIndent < 0 || parentIndent > indent) continue;
      if (parentIndent === indent) {
        // A sibling (same marker) is passed over; another line at this indentation is the parent when it introduces a
        // list ("…:"); else a nested item looks further up for its less-indented parent, a top-level one has none.
        if (parent.kind === 'listItem' && markerOf(parent) === marker) continue;
        if (/:\s*$/.test(parent.text)) {
          candidates[j].mustKeep = true;
          break;
        }
        if (indent > 0) continue;
        break;
      }
      if (parent.kind === 'listItem' || /:\s*$/.test(parent.text)) candidates[j].mustKeep = true;
      break;
    }
  }
}

/** A unit opened by an emphasis label in capitals, after a list marker or bold (en, pt, es). */
const EMPHASIS_LABEL = /^[\s>*_#-]*(?:\d+[.)]\s*)?(?:ULTRA\s+|VERY\s+|MUITO\s+|MUY\s+)?(?:IMPORTANT|CRITICAL|WARNING|MANDATORY|REQUIRED|IMPORTANTE|CRÍTICO|ATENÇÃO|OBRIGATÓRIO|ATENCIÓN|OBLIGATORIO)\b[*_]*\s*[:!-]/u;

function jaccard(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const w of a) if (b.has(w)) shared++;
  return shared / (a.size + b.size - shared || 1);
}

const round2 = (x: number) => Math.round(x * 100) / 100;

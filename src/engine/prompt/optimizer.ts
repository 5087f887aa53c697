/**
 * The seed's PromptOptimizer (the Python PepperPy `optimization` module's prompt rewrite for
 * quality, efficiency or balance within max_tokens). Local mode (no key, no network) compresses the prompt for
 * the target, splits it into role, task, context, constraints, output format, examples
 * and input, puts instructions before data, delimits the input, and fits the budget by
 * dropping the least informative context first. LLM mode asks a configured model for a
 * rewrite, but only after a cost forecast the caller approved, and keeps the rewrite only
 * if every protected item of the original survives and it fits the budget.
 */
import type { CostForecast, OptimizationTarget, OptimizedPrompt, PromptSectionName } from '../../protocol/prompt';
import { PromptCompressor, retainedItems } from './compressor';
import { DEFAULT_MODEL } from '../../shared/prompt/defaults';
import { compiledPack, detectLanguage, matchesAny, type CompiledPack } from '../../shared/prompt/languages';
import { catalogPriceLookup, LocalServerRewriter, type LlmRewriter, type PriceLookup } from './llm';
import { isInstruction } from '../../shared/prompt/analyzer';
import { analyzeProtected, checkRetention, protectedItems, spansWithin, type ProtectedAnalysis } from '../../shared/prompt/protected';
import { normalizeWhitespace } from '../../shared/prompt/spans';
import { words, type TextUnit } from '../../shared/prompt/text';
import { sharedTokenizer, type TokenizerService } from '../../shared/prompt/tokenizer';
import { EngineError, errorMessage } from '../../protocol/errors';
import { EDITOR_LM_COST_LABEL, EDITOR_LM_PREFIX } from '../../protocol/editorLm';

export interface OptimizeOptions {
  target?: OptimizationTarget;
  maxTokens?: number;
  model?: string;
  language?: string;
}

export interface LlmOptimizeOptions extends OptimizeOptions {
  rewriter: LlmRewriter;
  /** The largest forecast cost (USD) the caller approved; without it only the forecast is returned. */
  approvedCostUsd?: number;
  priceLookup?: PriceLookup;
  signal?: AbortSignal;
}

/**
 * Compression level per target. Every target uses the default (grammar-preserving) level:
 * `aggressive` writes telegraphically (articles and auxiliaries go), which is right for
 * Compress but not for a rewrite that has to read well.
 */
const LEVEL_FOR_TARGET = { quality: 'medium', balanced: 'medium', efficiency: 'medium' } as const;

interface Placed {
  unit: TextUnit;
  section: PromptSectionName;
  order: number;
  mustKeep: boolean;
  /** A code or structured block taken for input only because nothing labelled it: it may be part of the instructions (an XML section). */
  unlabelled?: boolean;
}

/** Units that must stay together: a label and what it introduces, a list, a few-shot pair. */
interface Segment {
  units: Placed[];
  section: PromptSectionName;
  start: number;
  end: number;
}

/** Segments between blank lines (a heading or a line ending in ":" glued to what follows): the only things ever moved. */
interface Block {
  segments: Segment[];
  start: number;
  end: number;
  /** Only examples or input: it may move after the instructions. */
  data: boolean;
  order: number;
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const BLANK_LINE = /\n[ \t]*\r?\n/;
const EXAMPLE_LEAD = /^[\s#*>-]*(?:examples?|exemplos?|ejemplos?|for example|por exemplo|por ejemplo)\b/iu;
const EXAMPLE_WORD = /\b(?:examples?|exemplos?|ejemplos?)\b/iu;
/** An instruction that points back at text before it: moving that text after it would break the reference. */
const BACK_REFERENCE = /\b(?:above|preceding|previous|earlier|acima|anterior(?:es|mente)?|arriba|precedente)\b/iu;

/** A prompt that already has its own headings keeps its structure: reordering it would do more harm than good. */
function isAlreadyStructured(analysis: ProtectedAnalysis): boolean {
  return analysis.units.filter((u) => u.kind === 'heading').length >= 2;
}

function classify(analysis: ProtectedAnalysis, pack: CompiledPack): Placed[] {
  const placed: Placed[] = [];
  const spansIn = (u: TextUnit) => spansWithin(analysis.spans, u.start, u.end);
  analysis.units.forEach((unit, order) => {
    const inner = spansIn(unit);
    const mustKeep = unit.kind === 'code' || unit.kind === 'structured' || inner.some((s) => s.kind !== 'name');
    let section: PromptSectionName;
    const previous = analysis.units[order - 1];
    if (unit.kind === 'code' || unit.kind === 'structured') {
      section = previous && matchesAny(pack.outputFormat, previous.text) ? 'outputFormat' : /example|exemplo|ejemplo/i.test(previous?.text ?? '') ? 'examples' : 'input';
    } else if (order < 3 && matchesAny(pack.role, unit.text.slice(0, 60))) {
      section = 'role';
    } else if (isInputUnit(unit, pack, inner.some((s) => s.kind === 'quoted'))) {
      section = 'input';
    } else if (inner.some((s) => s.kind === 'constraint')) {
      section = 'constraints';
    } else if (inner.some((s) => s.kind === 'outputFormat')) {
      section = 'outputFormat';
    } else if (isInstruction(unit, pack) || /\?\s*$/.test(unit.text)) {
      section = 'task';
    } else {
      section = 'context';
    }
    const unlabelled = (unit.kind === 'code' || unit.kind === 'structured') && section === 'input' && !(previous && (endsWithColon(previous.text) || matchesAny(pack.inputLabels, previous.text.slice(0, 60))));
    placed.push({ unit, section, order, mustKeep, ...(unlabelled ? { unlabelled } : {}) });
  });
  return placed;
}

/** Data rather than instructions: a labelled line ("Question: …") or "My first request is "…"". */
function isInputUnit(unit: TextUnit, pack: CompiledPack, hasQuote: boolean): boolean {
  const head = unit.text.slice(0, 60);
  if (!matchesAny(pack.inputLabels, head)) return false;
  if (unit.kind === 'label') return true;
  return hasQuote && /\b(is|é|es)\b/iu.test(head);
}

const HEADED_SECTIONS: ReadonlySet<PromptSectionName> = new Set(['role', 'examples', 'input']);
const endsWithColon = (text: string) => /:\s*$/.test(text);

/**
 * True when `text` opens with a label ("task:") that one of `segment`'s units opens with too: gpt-researcher's
 * auto_agent_instructions lists three `task: … response: {…}` examples in a row, and the second and third came out
 * under "Input:" (newuser29).
 */
function repeatsLabel(segment: Segment, text: string): boolean {
  const label = /^\s*([\p{L}][\p{L} _-]{0,30}):/u.exec(text)?.[1]?.toLowerCase();
  // Any line of the example may hold it: "examples:\ntask: …\nresponse:" is one unit.
  return label !== undefined && segment.units.some((p) => [...p.unit.text.matchAll(/^[ \t]*([\p{L}][\p{L} _-]{0,30}):/gmu)].some((m) => m[1].toLowerCase() === label));
}

/** Groups units that belong together, in their original order. */
function segmentsOf(placed: readonly Placed[], base: string): Segment[] {
  const segments: Segment[] = [];
  let current: Segment | undefined;
  for (const p of placed) {
    const previous = current?.units[current.units.length - 1];
    const gap = previous ? base.slice(previous.unit.end, p.unit.start) : '';
    const sameParagraph = previous !== undefined && !BLANK_LINE.test(gap);
    const glued =
      previous !== undefined &&
      (previous.unit.kind === 'heading' ||
        endsWithColon(previous.unit.text) ||
        (sameParagraph && previous.unit.kind === 'listItem' && p.unit.kind === 'listItem') ||
        (sameParagraph && previous.unit.kind === 'label' && p.unit.kind === 'label' && gap.includes('\n')));
    if (current && glued) {
      current.units.push(p);
      current.end = p.unit.end;
      continue;
    }
    current = { units: [p], section: p.section, start: p.unit.start, end: p.unit.end };
    segments.push(current);
  }
  segments.forEach((s, i) => {
    const first = s.units[0];
    const introducesExamples = EXAMPLE_LEAD.test(first.unit.text) || (EXAMPLE_WORD.test(first.unit.text) && endsWithColon(first.unit.text));
    if (introducesExamples && s.units.length > 1) s.section = 'examples';
    else if (s.units.length > 1 && first.unit.kind === 'heading') s.section = s.units[1].section;
    // A block of code or data right after an example, with no label of its own, is the rest of that example.
    else if (i > 0 && segments[i - 1].section === 'examples' && s.units.every((p) => p.unlabelled)) s.section = 'examples';
    // The next example of a list: it opens with a label the example before it used ("task: …"), no blank line between.
    else if (i > 0 && segments[i - 1].section === 'examples' && !BLANK_LINE.test(base.slice(segments[i - 1].end, s.start)) && repeatsLabel(segments[i - 1], first.unit.text)) s.section = 'examples';
  });
  return segments;
}

function blocksOf(segments: readonly Segment[], base: string): Block[] {
  const blocks: Block[] = [];
  let current: Block | undefined;
  for (const s of segments) {
    const last = current?.segments[current.segments.length - 1];
    const lastUnit = last?.units[last.units.length - 1];
    const joins = current !== undefined && last !== undefined && (!BLANK_LINE.test(base.slice(last.end, s.start)) || lastUnit?.unit.kind === 'heading' || endsWithColon(lastUnit?.unit.text ?? ''));
    if (current && joins) {
      current.segments.push(s);
      current.end = s.end;
      continue;
    }
    current = { segments: [s], start: s.start, end: s.end, data: false, order: blocks.length };
    blocks.push(current);
  }
  for (const b of blocks) b.data = b.segments.every((s) => (s.section === 'input' || s.section === 'examples') && !s.units.some((p) => p.unlabelled));
  return blocks;
}

/**
 * Instructions first, data last, moving whole blocks only, and only the common case that is
 * safe to move: data blocks that open the prompt (a text, then what to do with it) go after
 * the rest. Data in the middle stays where it is: the blocks around it may belong to it.
 * Undefined when nothing needs to move; a reason when moving would break a reference ("the text above").
 */
function reorderBlocks(blocks: readonly Block[]): { order: Block[]; moved: number } | { order?: undefined; refused: string } | undefined {
  let prefix = 0;
  while (prefix < blocks.length && blocks[prefix].data) prefix++;
  if (prefix === 0 || prefix === blocks.length) return undefined;
  const rest = blocks.slice(prefix);
  if (rest.some((b) => b.segments.some((s) => s.units.some((p) => BACK_REFERENCE.test(p.unit.text))))) return { refused: 'Kept the order: an instruction refers to text before it, so the data was not moved after it.' };
  return { order: [...rest, ...blocks.slice(0, prefix)], moved: prefix };
}

/** `base[start, end)` without the dropped units, whitespace between what is left kept as it was. */
function sliceWithout(base: string, start: number, end: number, dropped: ReadonlySet<Placed>, units: readonly Placed[]): string {
  const gone = units.filter((p) => dropped.has(p)).sort((a, b) => a.unit.start - b.unit.start);
  if (gone.length === 0) return base.slice(start, end);
  let out = '';
  let at = start;
  for (const p of gone) {
    out += base.slice(at, p.unit.start);
    at = p.unit.end;
    // The separator after a dropped unit goes with it (the one before stays for what follows).
    while (at < end && (base[at] === ' ' || base[at] === '\t')) at++;
  }
  out += base.slice(at, end);
  // Leading blank lines go; a leading indentation stays (see lineStartOf).
  return out.replace(/[ \t]+$/gm, '').replace(/\n{3,}/g, '\n\n').replace(/^(?:[ \t]*\n)+/, '').trimEnd();
}

/**
 * Where the line of `start` begins when only spaces or tabs stand before it there, else `start`: a block or
 * segment that starts a line keeps its indentation ("    This is a sample text", an indented example under
 * "### Section Header" in gpt-researcher's subtopic prompt, lost it while the header kept its own; newuser29).
 */
function lineStartOf(base: string, start: number): number {
  let s = start;
  while (s > 0 && (base[s - 1] === ' ' || base[s - 1] === '\t')) s--;
  return s === 0 || base[s - 1] === '\n' ? s : start;
}

interface Rendered {
  text: string;
  sections: Array<{ name: PromptSectionName; text: string }>;
  /** Why headings were not added where the target asked for them. */
  headingsRefused?: string;
  headed: boolean;
}

/**
 * The blocks in `order`, minus `dropped` units. Quality (and balanced with three or more
 * sections) adds a heading per section when each section is one run of consecutive
 * segments; otherwise the text keeps its own layout.
 */
function render(order: readonly Block[], dropped: ReadonlySet<Placed>, target: OptimizationTarget, pack: CompiledPack, base: string): Rendered {
  const segments = order.flatMap((b) => b.segments).filter((s) => s.units.some((p) => !dropped.has(p)));
  // Headings only name what is recognised reliably: the role, examples and input. Everything
  // else (task, context, constraints, format) stays together, in its order, under "Task".
  const runs: Array<{ name: PromptSectionName; segments: Segment[] }> = [];
  for (const s of segments) {
    const name = HEADED_SECTIONS.has(s.section) ? s.section : 'task';
    const last = runs[runs.length - 1];
    if (last && last.name === name) last.segments.push(s);
    else runs.push({ name, segments: [s] });
  }
  const segmentText = (s: Segment) => sliceWithout(base, lineStartOf(base, s.start), s.end, dropped, s.units);
  const separator = (a: Segment, b: Segment) => {
    if (a.end > b.start) return '\n\n';
    const gap = base.slice(a.end, lineStartOf(base, b.start));
    return BLANK_LINE.test(gap) ? '\n\n' : gap.includes('\n') ? '\n' : ' ';
  };
  const runText = (segs: readonly Segment[]) => segs.map((s, i) => (i === 0 ? '' : separator(segs[i - 1], s)) + segmentText(s)).join('');
  const plain = order
    .map((b) => {
      const kept = b.segments.filter((s) => s.units.some((p) => !dropped.has(p)));
      if (kept.length === 0) return '';
      const units = b.segments.flatMap((s) => s.units);
      return sliceWithout(base, lineStartOf(base, b.start), b.end, dropped, units);
    })
    .filter((t) => t !== '')
    .join('\n\n');
  const sections = runs.map((r) => ({ name: r.name, text: runText(r.segments) }));
  const wantsHeadings = target === 'quality' ? runs.length >= 2 : target === 'balanced' ? runs.length >= 3 : false;
  if (!wantsHeadings) return { text: plain, sections, headed: false };
  const names = runs.map((r) => r.name);
  const rank = (name: PromptSectionName) => ['role', 'task', 'examples', 'input'].indexOf(name);
  if (new Set(names).size !== names.length || names.some((n, i) => i > 0 && rank(n) < rank(names[i - 1]))) {
    return { text: plain, sections, headed: false, headingsRefused: 'Kept the text as one piece: its parts alternate between sections, and headings would have split sentences that belong together.' };
  }
  const headings = pack.pack.headings;
  const blocks = runs.map((r) => {
    let body = runText(r.segments);
    if (r.name === 'input' && !r.segments.every((s) => s.units.every((p) => p.unit.kind === 'code' || p.unit.kind === 'structured'))) body = `<input>\n${body}\n</input>`;
    return target === 'quality' ? `## ${headings[r.name]}\n${body}` : `${headings[r.name]}:\n${body}`;
  });
  return { text: blocks.join('\n\n'), sections: runs.map((r, i) => ({ name: r.name, text: blocks[i].replace(/^[^\n]*\n/, '') })), headed: true };
}

/** Why a target left the prompt as it was, in words a user can act on. */
function noImprovementReason(target: OptimizationTarget, changes: readonly string[]): string {
  const why = changes.find((c) => c.startsWith('Kept'));
  const goal = { quality: 'clearer structure', efficiency: 'fewer tokens', balanced: 'fewer tokens or clearer structure' }[target];
  return `No safe improvement for ${target}: found no change toward ${goal} that keeps the wording and order intact${why ? ` (${why.replace(/\.$/, '').replace(/^Kept/, 'kept')})` : ''}. The prompt is returned unchanged.`;
}

export class PromptOptimizer {
  private readonly compressor: PromptCompressor;

  constructor(private readonly tokenizer: TokenizerService = sharedTokenizer()) {
    this.compressor = new PromptCompressor(tokenizer);
  }

  optimize(text: string, options: OptimizeOptions = {}): OptimizedPrompt {
    const started = performance.now();
    const target = options.target ?? 'balanced';
    const model = options.model ?? DEFAULT_MODEL;
    const detected = options.language ?? detectLanguage(text).language;
    const language = detected === 'und' ? 'en' : detected;
    const pack = compiledPack(language);
    const tokensBefore = this.tokenizer.count(text, model).count;
    const items = retainedItems(text, language);
    const changes: string[] = [];

    const compressed = this.compressor.compress(text, { level: LEVEL_FOR_TARGET[target], model, language });
    if (compressed.tokensSaved > 0) changes.push(`Compressed (${compressed.level}): ${compressed.removed.filter((r) => r.kind !== 'whitespace' && r.kind !== 'markdown').length} phrase(s) removed or shortened, ${compressed.tokensSaved} tokens saved.`);
    const duplicates = compressed.removed.filter((r) => r.kind === 'repetition').length;
    if (duplicates > 0) changes.push(`Merged ${duplicates} duplicate sentence(s).`);
    const base = compressed.text;
    const analysis = analyzeProtected(base, language);

    let output: string;
    let sections: Array<{ name: PromptSectionName; text: string }>;
    let placed: Placed[] = [];
    let order: Block[] = [];
    const dropped = new Set<Placed>();
    const structured = isAlreadyStructured(analysis);
    if (structured || base.trim() === '') {
      output = base;
      sections = base.trim() === '' ? [] : [{ name: 'task', text: base }];
      if (structured) changes.push('Kept the existing section structure (the prompt already has headings).');
    } else {
      placed = classify(analysis, pack);
      const blocks = blocksOf(segmentsOf(placed, base), base);
      const reordered = reorderBlocks(blocks);
      order = reordered?.order ?? blocks;
      if (reordered?.order && reordered.moved > 0) changes.push(`Reordered: moved ${reordered.moved} block(s) of examples or input after the instructions, each block whole.`);
      else if (reordered && reordered.order === undefined) changes.push(reordered.refused);
      const rendered = render(order, dropped, target, pack, base);
      output = rendered.text;
      sections = rendered.sections;
      if (rendered.headingsRefused) changes.push(rendered.headingsRefused);
      if (output.includes('<input>') && !base.includes('<input>')) changes.push('Delimited the input with <input> tags.');
      if (rendered.headed) changes.push(`Split into sections: ${sections.map((x) => x.name).join(', ')}.`);
    }

    // Fit the budget: drop the least informative optional units, context first, never protected ones.
    let tokens = this.tokenizer.count(output, model);
    if (options.maxTokens !== undefined && tokens.count > options.maxTokens && placed.length > 0) {
      const priority: Record<PromptSectionName, number> = { context: 0, examples: 1, task: 2, role: 3, input: 4, constraints: 5, outputFormat: 5 };
      const df = new Map<string, number>();
      for (const p of placed) for (const w of new Set(words(p.unit.text))) df.set(w, (df.get(w) ?? 0) + 1);
      const info = (p: Placed) => {
        const ws = [...new Set(words(p.unit.text))];
        return ws.length === 0 ? 0 : ws.reduce((n, w) => n + 1 / (df.get(w) ?? 1), 0) / ws.length;
      };
      // A unit that introduces others ("Examples:") or a heading is not dropped on its own.
      const optional = placed.filter((p) => !p.mustKeep && p.unit.kind !== 'heading' && !endsWithColon(p.unit.text)).sort((a, b) => priority[a.section] - priority[b.section] || info(a) - info(b));
      for (const victim of optional) {
        if (tokens.count <= options.maxTokens) break;
        dropped.add(victim);
        const rendered = render(order, dropped, target, pack, base);
        output = rendered.text;
        sections = rendered.sections;
        tokens = this.tokenizer.count(output, model);
      }
      if (dropped.size > 0) changes.push(`Dropped ${dropped.size} low-information sentence(s) to fit ${options.maxTokens} tokens.`);
      if (tokens.count > options.maxTokens && target !== 'efficiency') {
        const compact = render(order, dropped, 'efficiency', pack, base);
        const compactTokens = this.tokenizer.count(compact.text, model);
        if (compactTokens.count < tokens.count) {
          output = compact.text;
          sections = compact.sections;
          tokens = compactTokens;
          changes.push('Removed section headings to fit the budget.');
        }
      }
    }

    let retention = checkRetention(items, output);
    if (retention.missing.length > checkRetention(items, base).missing.length) {
      // Cannot happen by construction; if it does, fall back to the compressed text, which is checked too.
      changes.push(`Restructuring lost ${retention.missing.length} protected item(s); returned the compressed prompt instead.`);
      output = base;
      tokens = this.tokenizer.count(output, model);
      retention = checkRetention(items, output);
    }
    let declined: string | undefined;
    if (normalizeWhitespace(output) === normalizeWhitespace(text)) {
      output = text;
      tokens = this.tokenizer.count(output, model);
      declined = noImprovementReason(target, changes);
      changes.push(declined);
    }
    return {
      text: output,
      target,
      mode: 'local',
      language,
      tokensBefore,
      tokensAfter: tokens.count,
      reductionPercent: tokensBefore === 0 ? 0 : round2((100 * (tokensBefore - tokens.count)) / tokensBefore),
      ...(options.maxTokens !== undefined ? { maxTokens: options.maxTokens } : {}),
      fitsBudget: options.maxTokens === undefined || tokens.count <= options.maxTokens,
      sections,
      changes,
      retention,
      tokens,
      ...(declined !== undefined ? { declined } : {}),
      elapsedMs: performance.now() - started,
    };
  }

  /** The rewrite request an LLM would receive, and what it may cost, without calling it. */
  async forecast(text: string, options: LlmOptimizeOptions): Promise<{ forecast: CostForecast; system: string; user: string; draft: OptimizedPrompt }> {
    const draft = this.optimize(text, options);
    const items = protectedItems(analyzeProtected(text, draft.language).spans);
    const { system, user } = rewritePrompt(text, draft, items, options.maxTokens);
    const counted = this.tokenizer.count(`${system}\n${user}`, options.rewriter.model);
    // Chat formats add a few tokens per message; 8 covers both providers' framing.
    const inputTokens = counted.count + 8;
    const maxOutputTokens = Math.min(8192, Math.max(256, Math.ceil(1.5 * (options.maxTokens ?? draft.tokensBefore)) + 64));
    // The editor's models have no per-token price, whatever their name: the user's plan covers them.
    // A model on a local server costs nothing per token ($0, LOCAL_COST_LABEL), whatever its name.
    const editorModel = options.rewriter.provider === 'vscode';
    const localCost = options.rewriter instanceof LocalServerRewriter ? options.rewriter.costNote : undefined;
    const price = editorModel ? undefined : localCost !== undefined ? { inputPerMTok: 0, outputPerMTok: 0, note: localCost } : await (options.priceLookup ?? catalogPriceLookup)(options.rewriter.model, options.rewriter.provider);
    const forecast: CostForecast = {
      provider: options.rewriter.provider,
      model: options.rewriter.model,
      inputTokens,
      maxOutputTokens,
      tokenMethod: counted.method,
      priced: price !== undefined,
      priceNote: price ? price.note : editorModel ? `${EDITOR_LM_COST_LABEL}: ${EDITOR_LM_PREFIX}${options.rewriter.model} is the editor's model, with no per-token price; VS Code asks for your consent before its first use.` : `No price is known for ${options.rewriter.model}; add a price override to get a cost forecast.`,
    };
    if (price) {
      forecast.inputCostUsd = (inputTokens * price.inputPerMTok) / 1e6;
      forecast.maxOutputCostUsd = (maxOutputTokens * price.outputPerMTok) / 1e6;
      forecast.maxTotalCostUsd = forecast.inputCostUsd + forecast.maxOutputCostUsd;
    }
    return { forecast, system, user, draft };
  }

  /**
   * LLM-assisted optimization. Returns the local result with `llm.status`:
   * `needsApproval` (no call made: the forecast exceeds the approved cost, or no approval was given),
   * `accepted` (the rewrite passed the checks and is the text), `rejected` (it lost a protected
   * item or broke the budget; the local text is returned) or `failed` (the call failed).
   */
  async optimizeWithLlm(text: string, options: LlmOptimizeOptions): Promise<OptimizedPrompt> {
    const { forecast, system, user, draft } = await this.forecast(text, options);
    const approved = options.approvedCostUsd;
    // No money is at stake with the editor's models (VS Code shows its own consent prompt) or a local server.
    if (options.rewriter.provider !== 'vscode' && options.rewriter.provider !== 'local' && (approved === undefined || (forecast.maxTotalCostUsd !== undefined && forecast.maxTotalCostUsd > approved))) {
      const reason = approved === undefined ? 'No cost was approved: review the forecast and approve it to run the rewrite.' : `The forecast (up to $${forecast.maxTotalCostUsd?.toFixed(6)}) exceeds the approved $${approved}.`;
      return { ...draft, llm: { forecast, status: 'needsApproval', reason } };
    }
    const model = options.model ?? DEFAULT_MODEL;
    let response;
    const started = performance.now();
    try {
      response = await options.rewriter.rewrite({ system, user, maxOutputTokens: forecast.maxOutputTokens, ...(options.signal ? { signal: options.signal } : {}) });
    } catch (error) {
      // A cancelled job is cancelled, not a failed rewrite.
      if (error instanceof EngineError && error.code === 'cancelled') throw error;
      return { ...draft, llm: { forecast, status: 'failed', reason: error instanceof EngineError ? error.fullMessage : errorMessage(error) } };
    }
    // The model's own time, from the request to the parsed answer (measured, not estimated).
    const latencyMs = performance.now() - started;
    const usage = response.usage;
    const rewrite = stripFence(response.text);
    const items = protectedItems(analyzeProtected(text, draft.language).spans);
    const retention = checkRetention(items, rewrite);
    const tokens = this.tokenizer.count(rewrite, model);
    let reason: string | undefined;
    if (rewrite.trim() === '') reason = 'The model returned an empty rewrite.';
    else if (retention.missing.length > 0) reason = `The rewrite lost ${retention.missing.length} protected item(s): ${retention.missing.slice(0, 3).map((m) => JSON.stringify(m)).join(', ')}.`;
    else if (options.maxTokens !== undefined && tokens.count > options.maxTokens && tokens.count > draft.tokensAfter) reason = `The rewrite has ${tokens.count} tokens, over the budget of ${options.maxTokens}.`;
    if (reason) return { ...draft, llm: { forecast, status: 'rejected', reason, latencyMs, ...(usage ? { usage } : {}) } };
    return {
      ...draft,
      text: rewrite,
      mode: 'llm',
      tokensAfter: tokens.count,
      reductionPercent: draft.tokensBefore === 0 ? 0 : round2((100 * (draft.tokensBefore - tokens.count)) / draft.tokensBefore),
      fitsBudget: options.maxTokens === undefined || tokens.count <= options.maxTokens,
      sections: [{ name: 'task', text: rewrite }],
      changes: [`Rewritten by ${forecast.provider}/${forecast.model}; all ${retention.total} protected items kept.`],
      retention,
      tokens,
      llm: { forecast, status: 'accepted', latencyMs, ...(usage ? { usage } : {}) },
    };
  }
}

/** The instructions sent to the rewriting model: the protected items are listed so it can keep them verbatim. */
export function rewritePrompt(text: string, draft: OptimizedPrompt, items: readonly string[], maxTokens: number | undefined): { system: string; user: string } {
  const goal = { quality: 'make it clearer and better structured', efficiency: 'make it as short as possible', balanced: 'make it shorter and clearer' }[draft.target];
  const system = [
    'You rewrite prompts for large language models. Return only the rewritten prompt, with no preamble or commentary.',
    `Goal: ${goal}${maxTokens ? `, within ${maxTokens} tokens` : ''}. Keep the prompt's language (${draft.language}).`,
    'Keep every item listed under PROTECTED exactly as written (same characters): placeholders, code, numbers, quoted strings, names, constraints and output-format instructions.',
    'Put instructions before data and keep inputs delimited.',
  ].join('\n');
  const user = [`PROTECTED (${items.length}):`, ...items.map((item) => `- ${item}`), '', 'PROMPT:', '<<<', text, '>>>'].join('\n');
  return { system, user };
}

function stripFence(text: string): string {
  const m = /^\s*```[\w-]*\n([\s\S]*?)\n```\s*$/.exec(text);
  return (m ? (m[1]) : text).trim();
}

/**
 * The seed's PromptOptimizer. Local mode (no key, no network) compresses the prompt for
 * the target, splits it into role, task, context, constraints, output format, examples
 * and input, puts instructions before data, delimits the input, and fits the budget by
 * dropping the least informative context first. LLM mode asks a configured model for a
 * rewrite, but only after a cost forecast the caller approved, and keeps the rewrite only
 * if every protected item of the original survives and it fits the budget.
 */
import type { CostForecast, OptimizationTarget, OptimizedPrompt, PromptSectionName } from '../../protocol/prompt';
import { PromptCompressor } from './compressor';
import { DEFAULT_MODEL } from './defaults';
import { compiledPack, detectLanguage, matchesAny, type CompiledPack } from './languages';
import { catalogPriceLookup, type LlmRewriter, type PriceLookup } from './llm';
import { isInstruction } from './analyzer';
import { analyzeProtected, checkRetention, protectedItems, spansWithin, type ProtectedAnalysis } from './protected';
import { words, type TextUnit } from './text';
import { sharedTokenizer, type TokenizerService } from './tokenizer';

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

const SECTION_ORDER: readonly PromptSectionName[] = ['role', 'task', 'context', 'constraints', 'outputFormat', 'examples', 'input'];
const LEVEL_FOR_TARGET = { quality: 'medium', balanced: 'medium', efficiency: 'aggressive' } as const;

interface Placed {
  unit: TextUnit;
  section: PromptSectionName;
  order: number;
  mustKeep: boolean;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

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
    placed.push({ unit, section, order, mustKeep });
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

function render(placed: readonly Placed[], target: OptimizationTarget, pack: CompiledPack): { text: string; sections: Array<{ name: PromptSectionName; text: string }> } {
  const bySection = new Map<PromptSectionName, Placed[]>();
  for (const p of placed) bySection.set(p.section, [...(bySection.get(p.section) ?? []), p]);
  const sections: Array<{ name: PromptSectionName; text: string }> = [];
  const headings = pack.pack.headings;
  const blocks: string[] = [];
  const present = SECTION_ORDER.filter((name) => (bySection.get(name) ?? []).length > 0);
  const useHeadings = target === 'quality' || (target === 'balanced' && present.length >= 3);
  for (const name of present) {
    const items = (bySection.get(name) ?? []).sort((a, b) => a.order - b.order);
    const asList = name === 'constraints' && items.length > 1;
    let body = asList
      ? items.map((p) => (/^\s*(?:[-*+•]|\d{1,3}[.)])\s/.test(p.unit.text) ? p.unit.text.trim() : `- ${p.unit.text}`)).join('\n')
      : items.map((p) => p.unit.text).join(items.some((p) => p.unit.kind !== 'sentence') ? '\n' : ' ');
    if (name === 'input' && target !== 'efficiency' && !items.every((p) => p.unit.kind === 'code' || p.unit.kind === 'structured')) {
      body = `<input>\n${body}\n</input>`;
    }
    sections.push({ name, text: body });
    if (!useHeadings) blocks.push(body);
    else if (target === 'quality') blocks.push(`## ${headings[name]}\n${body}`);
    else blocks.push(`${headings[name]}:\n${body}`);
  }
  const separator = useHeadings ? '\n\n' : '\n';
  return { text: blocks.join(separator), sections };
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
    const items = protectedItems(analyzeProtected(text, language).spans);
    const changes: string[] = [];

    const compressed = this.compressor.compress(text, { level: LEVEL_FOR_TARGET[target], model, language });
    if (compressed.tokensSaved > 0) changes.push(`Compressed (${compressed.level}): ${compressed.removed.filter((r) => r.kind !== 'whitespace').length} phrase(s) removed or shortened, ${compressed.tokensSaved} tokens saved.`);
    const duplicates = compressed.removed.filter((r) => r.kind === 'repetition').length;
    if (duplicates > 0) changes.push(`Merged ${duplicates} duplicate sentence(s).`);
    const base = compressed.text;
    const analysis = analyzeProtected(base, language);

    let output: string;
    let sections: Array<{ name: PromptSectionName; text: string }>;
    let placed: Placed[] = [];
    const structured = isAlreadyStructured(analysis);
    if (structured || base.trim() === '') {
      output = base;
      sections = base.trim() === '' ? [] : [{ name: 'task', text: base }];
      if (structured) changes.push('Kept the existing section structure (the prompt already has headings).');
    } else {
      placed = classify(analysis, pack);
      const rendered = render(placed, target, pack);
      output = rendered.text;
      sections = rendered.sections;
      const moved = placed.some((p, i) => i > 0 && SECTION_ORDER.indexOf(p.section) < SECTION_ORDER.indexOf((placed[i - 1]).section));
      if (moved) changes.push('Reordered: instructions first, data last.');
      if (sections.some((s) => s.name === 'input' && s.text.startsWith('<input>'))) changes.push('Delimited the input with <input> tags.');
      if (target !== 'efficiency' && sections.length > 1) changes.push(`Split into sections: ${sections.map((s) => s.name).join(', ')}.`);
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
      const optional = placed.filter((p) => !p.mustKeep).sort((a, b) => priority[a.section] - priority[b.section] || info(a) - info(b));
      let removedCount = 0;
      for (const victim of optional) {
        if (tokens.count <= options.maxTokens) break;
        placed = placed.filter((p) => p !== victim);
        const rendered = render(placed, target, pack);
        output = rendered.text;
        sections = rendered.sections;
        tokens = this.tokenizer.count(output, model);
        removedCount++;
      }
      if (removedCount > 0) changes.push(`Dropped ${removedCount} low-information sentence(s) to fit ${options.maxTokens} tokens.`);
      if (tokens.count > options.maxTokens && target !== 'efficiency') {
        const compact = render(placed, 'efficiency', pack);
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
    if (retention.missing.length > 0) {
      // Cannot happen by construction; if it does, fall back to the compressed text, which is checked too.
      changes.push(`Restructuring lost ${retention.missing.length} protected item(s); returned the compressed prompt instead.`);
      output = base;
      tokens = this.tokenizer.count(output, model);
      retention = checkRetention(items, output);
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
    const price = await (options.priceLookup ?? catalogPriceLookup)(options.rewriter.model, options.rewriter.provider);
    const forecast: CostForecast = {
      provider: options.rewriter.provider,
      model: options.rewriter.model,
      inputTokens,
      maxOutputTokens,
      tokenMethod: counted.method,
      priced: price !== undefined,
      priceNote: price ? price.note : `No price is known for ${options.rewriter.model}; add a price override to get a cost forecast.`,
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
    if (approved === undefined || (forecast.maxTotalCostUsd !== undefined && forecast.maxTotalCostUsd > approved)) {
      const reason = approved === undefined ? 'No cost was approved: review the forecast and approve it to run the rewrite.' : `The forecast (up to $${forecast.maxTotalCostUsd?.toFixed(6)}) exceeds the approved $${approved}.`;
      return { ...draft, llm: { forecast, status: 'needsApproval', reason } };
    }
    const model = options.model ?? DEFAULT_MODEL;
    let response;
    try {
      response = await options.rewriter.rewrite({ system, user, maxOutputTokens: forecast.maxOutputTokens, ...(options.signal ? { signal: options.signal } : {}) });
    } catch (error) {
      return { ...draft, llm: { forecast, status: 'failed', reason: error instanceof Error ? error.message : String(error) } };
    }
    const usage = response.usage;
    const rewrite = stripFence(response.text);
    const items = protectedItems(analyzeProtected(text, draft.language).spans);
    const retention = checkRetention(items, rewrite);
    const tokens = this.tokenizer.count(rewrite, model);
    let reason: string | undefined;
    if (rewrite.trim() === '') reason = 'The model returned an empty rewrite.';
    else if (retention.missing.length > 0) reason = `The rewrite lost ${retention.missing.length} protected item(s): ${retention.missing.slice(0, 3).map((m) => JSON.stringify(m)).join(', ')}.`;
    else if (options.maxTokens !== undefined && tokens.count > options.maxTokens && tokens.count > draft.tokensAfter) reason = `The rewrite has ${tokens.count} tokens, over the budget of ${options.maxTokens}.`;
    if (reason) return { ...draft, llm: { forecast, status: 'rejected', reason, ...(usage ? { usage } : {}) } };
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
      llm: { forecast, status: 'accepted', ...(usage ? { usage } : {}) },
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

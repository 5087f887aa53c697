import { HEURISTIC_SUGGESTION_KINDS, type CompressionLevel, type OptimizationSuggestion, type OptimizationTarget } from '../../protocol/prompt';
import { parseReductionRatio } from '../../protocol/format';
import * as l10n from '@vscode/l10n';
import { DEFAULT_MODEL, PromptAnalyzer } from '../../shared/prompt/analyzer';
import { COMPRESSION_LEVELS } from '../prompt/compressor';
import { compressKeepingAtoms, distillKeepingAtoms, optimizeKeepingAtoms, optimizeWithLlmKeepingAtoms } from '../prompt/handlers';
import { createRewriter } from '../prompt/llm';
import { isLocalModelName } from '../../shared/localModels';
import { frontMatterEnd } from '../../shared/prompt/scanner/documents';
import { codeDialectOf, findPrompts, isPromptFile, scanLanguageOf } from '../../shared/prompt/scanner';
import { readTextInput, UsageError, type CliCommand, type OptionSpec } from './framework';
import { sharedPriceCatalog } from '../../shared/cost/pricing';
import { ModelLifecycle } from '../../shared/cost/quality';
import { catalogPricingName } from '../../shared/prompt/scanner/models';

function modelOption(values: Record<string, unknown>): string {
  const model = values.model;
  if (model === undefined) return DEFAULT_MODEL;
  if (typeof model !== 'string' || model.trim() === '') throw new UsageError('--model needs a model name, e.g. --model gpt-5.4.');
  return model.trim();
}

/** `1 line`, `2 lines`. */
const counted = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * `source: 9 tokens (estimate, o200k_base) for gpt-9`, then the count's note on a line of its own: the note was put
 * between the count and "for gpt-9", which ended its sentence ("…estimated with OpenAI's o200k_base. for gpt-9", newuser32).
 */
function tokenLine(source: string, count: { count: number; method: string; encoding: string; note?: string }, model: string, frontMatter: boolean): string {
  const head = `${source}: ${counted(count.count, 'token')} (${count.method === 'exact' ? 'exact' : 'estimate'}, ${count.encoding}) for ${model}${frontMatter ? LEFT_OUT_NOTE : ''}`;
  return count.note ? `${head}\n  note: ${count.note}` : head;
}

function maxTokensOption(values: Record<string, unknown>): number | undefined {
  const raw = values['max-tokens'];
  if (raw === undefined) return undefined;
  const n = typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 1_000_000) throw new UsageError(`--max-tokens needs a whole number from 1 to 1000000, got ${JSON.stringify(raw)}.`);
  return n;
}

/** `--target-ratio`: a fraction (0.2) or a percentage (20%), strictly between 0 and 1. */
function targetRatioOption(values: Record<string, unknown>): number | undefined {
  const raw = values['target-ratio'];
  if (raw === undefined) return undefined;
  const n = typeof raw === 'string' ? parseReductionRatio(raw) : undefined;
  if (n === undefined) throw new UsageError(`--target-ratio needs a reduction between 0 and 1 (e.g. 0.2) or a percentage (e.g. 20%), got ${JSON.stringify(raw)}.`);
  return n;
}

function oneInput(positionals: string[]): string | undefined {
  if (positionals.length > 1) throw new UsageError(`Expected one input, got ${positionals.length}: ${positionals.join(' ')}.`);
  return positionals[0];
}

/**
 * The front matter of a prompt file (.prompty, dotprompt's .prompt, a VS Code `.github/prompts/*.prompt.md`: the files
 * the scanner reads as prompts whole): its configuration, not prompt text. The rewrite verbs keep it as written and
 * rewrite the body, as the editor does (compress dropped a .prompty's closing `---` as a Markdown rule, break30);
 * '' for any other input.
 */
function frontMatterOf(text: string, source: string): string {
  return isPromptFile(source) ? text.slice(0, frontMatterEnd(text)) : '';
}

/**
 * The language of a source file whose prompts are string literals among code (Python, TypeScript, JavaScript), by its
 * name; undefined for prompt text, documents and stdin. The verbs read their input as one prompt: on MetaGPT's
 * write_code.py `prompt compress` rewrote the code as prose (a repeated line of code dropped as "repetition") and printed
 * Python that no longer parsed, and `prompt count` gave the whole file's tokens where the editor's lens counts its
 * prompt (newuser31).
 */
function sourceCodeLanguage(source: string): string | undefined {
  const lang = scanLanguageOf(undefined, source);
  const dialect = lang ? codeDialectOf(lang) : undefined;
  if (!dialect) return undefined;
  return dialect.lang === 'python' ? 'Python' : dialect.typescript ? 'TypeScript' : 'JavaScript';
}

/** The rewrite verbs refuse a source file: rewriting it as one prompt breaks its code. */
function refuseSourceCode(source: string, verb: string): void {
  const language = sourceCodeLanguage(source);
  if (language === undefined) return;
  throw new UsageError(`${source} is ${language} source, not a prompt: ${verb} would rewrite its code as prose. \`pepperpy-opt prompt scan ${source}\` lists the prompts in it; rewrite one in the editor (PepperPy: ${verb === 'optimize' ? 'Optimize' : verb === 'distill' ? 'Distill' : 'Compress'} Prompt with the cursor in it), or pass its text on stdin (-).`);
}

/** What count and analyze add for a source file: they measured the whole file, code included. */
function sourceCodeNote(source: string, text: string): string | undefined {
  const language = sourceCodeLanguage(source);
  if (language === undefined) return undefined;
  const prompts = findPrompts(text, undefined, { fileName: source }).length;
  return `${source} is ${language} source: these figures are for the whole file, code included. \`pepperpy-opt prompt scan ${source}\` counts the ${prompts} ${prompts === 1 ? 'prompt' : 'prompts'} in it, as the editor's lenses do.`;
}

/** What the editor's hover and diagnostic say of a retired or deprecated model (src/extension/prompt/hover.ts `lifecycleMessage`). */
interface LifecycleNote {
  status: 'retired' | 'deprecated';
  shutdownDate?: string;
  replacement?: string;
  source?: string;
  message: string;
}

/**
 * `--model claude-3-7-sonnet-latest`: the editor warns that calls to it fail, `prompt count` and `analyze` said nothing
 * (newuser33). The same sentence, the same l10n keys, with the catalog's deprecated flag as in the editor.
 */
async function lifecycleNote(model: string): Promise<LifecycleNote | undefined> {
  const catalog = await sharedPriceCatalog();
  const lifecycle = new ModelLifecycle(undefined, (m) => catalog.isDeprecated(m));
  const verdict = lifecycle.verdict(catalogPricingName(model, catalog));
  if (!verdict) return undefined;
  const date = verdict.entry?.shutdownDate ?? undefined;
  // A replacement that is itself retired or deprecated is no advice (as in the editor).
  const replacement = verdict.entry?.replacement && !lifecycle.verdict(verdict.entry.replacement) ? verdict.entry.replacement : undefined;
  const when =
    verdict.status === 'retired'
      ? date ? l10n.t('{0} was shut down on {1}: calls to it fail.', model, date) : l10n.t('{0} is retired: calls to it fail.', model)
      : date ? l10n.t('{0} is deprecated: its shutdown is announced for {1}.', model, date) : l10n.t('{0} is deprecated.', model);
  const message = `${when}${replacement ? ` ${l10n.t('The provider names {0} as its replacement.', replacement)}` : ''}`;
  return { status: verdict.status, ...(date ? { shutdownDate: date } : {}), ...(replacement ? { replacement } : {}), ...(verdict.entry?.source ? { source: verdict.entry.source } : {}), message };
}

const KEPT_NOTE = ' (front matter kept as written)';
const LEFT_OUT_NOTE = ' (the body; the front matter is configuration, left out)';

const MODEL_OPTION: OptionSpec = { type: 'string', valueName: 'M', description: `Model to count tokens for (default ${DEFAULT_MODEL}).` };

/** The LLM key comes from the environment only, so it never lands in shell history or process listings. */
function llmApiKey(provider: 'openai' | 'anthropic'): string {
  const key = process.env.PEPPERPY_LLM_API_KEY ?? (provider === 'anthropic' ? process.env.ANTHROPIC_API_KEY : process.env.OPENAI_API_KEY);
  if (!key) throw new UsageError(`--llm ${provider} needs an API key in PEPPERPY_LLM_API_KEY or ${provider === 'anthropic' ? 'ANTHROPIC_API_KEY' : 'OPENAI_API_KEY'}.`);
  return key;
}

export const promptCommands: CliCommand[] = [
  {
    area: 'prompt',
    verb: 'analyze',
    summary: 'Analyze a prompt: token count for a model, size, scores and suggestions.',
    positionals: '<file|->',
    options: { model: { type: 'string', valueName: 'M', description: `Model to count tokens for (default ${DEFAULT_MODEL}).` } },
    examples: ['pepperpy-opt prompt analyze samples/prompts/seed-example-pt.txt --model gpt-5.4', 'echo "Summarize this" | pepperpy-opt prompt analyze - --json'],
    async run({ positionals, values }, io) {
      if (positionals.length > 1) throw new UsageError(`Expected one input, got ${positionals.length}: ${positionals.join(' ')}.`);
      const model = modelOption(values);
      const { text: input, source } = await readTextInput(positionals[0], io);
      // A prompt file's front matter is its configuration, not text sent to the model (break30).
      const head = frontMatterOf(input, source);
      const text = input.slice(head.length);
      const analysis = new PromptAnalyzer().analyze(text, { model });
      const note = sourceCodeNote(source, input);
      const lifecycle = await lifecycleNote(model);
      const lines = [
        tokenLine(source, analysis.tokens, model, head !== ''),
        ...(lifecycle ? [`  note: ${lifecycle.message}`] : []),
        ...(note ? [`  note: ${note}`] : []),
        `  ${counted(analysis.characterCount, 'character')}, ${counted(analysis.wordCount, 'word')}, ${counted(analysis.lineCount, 'line')}`,
      ];
      if (analysis.complexityScore !== undefined) lines.push(`  complexity ${analysis.complexityScore}/10, redundancy ${analysis.redundancyScore}/10, clarity ${analysis.clarityScore}/10`);
      const line = (s: OptimizationSuggestion) => `  - [${s.kind}] ${s.message}${s.tokensSaved > 0 ? ` (saves ~${s.tokensSaved} ${s.tokensSaved === 1 ? 'token' : 'tokens'})` : ''}`;
      for (const s of analysis.optimizationSuggestions) if (!HEURISTIC_SUGGESTION_KINDS.has(s.kind)) lines.push(line(s));
      // The heuristics about the whole prompt apart, as questions (HEURISTIC_SUGGESTION_KINDS: wrong on most real prompts).
      const checks = analysis.optimizationSuggestions.filter((s) => HEURISTIC_SUGGESTION_KINDS.has(s.kind));
      if (checks.length > 0) lines.push('  worth checking (heuristics, wrong on most real prompts: a persona, chat or user message, or a prompt sent with a JSON schema, needs no stated task or format):', ...checks.map(line));
      return { json: { source, model, ...analysis, ...(head ? { frontMatter: 'left out' } : {}), ...(note ? { note } : {}), ...(lifecycle ? { lifecycle } : {}) }, text: lines.join('\n') };
    },
  },
  {
    area: 'prompt',
    verb: 'count',
    summary: 'Count the tokens of a text for a model.',
    positionals: '<file|->',
    options: { model: { type: 'string', valueName: 'M', description: `Model to count tokens for (default ${DEFAULT_MODEL}).` } },
    async run({ positionals, values }, io) {
      if (positionals.length > 1) throw new UsageError(`Expected one input, got ${positionals.length}.`);
      const model = modelOption(values);
      const { text: input, source } = await readTextInput(positionals[0], io);
      const head = frontMatterOf(input, source);
      const count = new PromptAnalyzer().countTokensDetailed(input.slice(head.length), model);
      const note = sourceCodeNote(source, input);
      const lifecycle = await lifecycleNote(model);
      const text = `${tokenLine(source, count, model, head !== '')}${lifecycle ? `\n  note: ${lifecycle.message}` : ''}${note ? `\n  note: ${note}` : ''}`;
      return { json: { source, ...count, ...(head ? { frontMatter: 'left out' } : {}), ...(note ? { note } : {}), ...(lifecycle ? { lifecycle } : {}) }, text };
    },
  },
  {
    area: 'prompt',
    verb: 'compress',
    summary: 'Compress a prompt: remove politeness, filler, repetition and verbose phrasing; never touch protected items.',
    positionals: '<file|->',
    options: {
      model: MODEL_OPTION,
      level: { type: 'string', valueName: 'L', description: `Compression level: ${COMPRESSION_LEVELS.join(', ')} (default medium).` },
      'target-ratio': { type: 'string', valueName: 'R', description: 'Token reduction to reach, 0-1 or a percentage (0.2 or 20%): rule stages are applied one at a time until it is reached or no safe rule is left. Overrides --level.' },
    },
    examples: ['pepperpy-opt prompt compress samples/prompts/seed-example-pt.txt --level aggressive', 'cat samples/prompts/seed-example-pt.txt | pepperpy-opt prompt compress - --json', 'pepperpy-opt prompt compress samples/prompts/seed-example-pt.txt --target-ratio 0.2'],
    async run({ positionals, values }, io) {
      const model = modelOption(values);
      const level = values.level === undefined ? 'medium' : String(values.level);
      if (!(COMPRESSION_LEVELS as readonly string[]).includes(level)) throw new UsageError(`--level must be one of ${COMPRESSION_LEVELS.join(', ')}, got "${level}".`);
      const targetRatio = targetRatioOption(values);
      if (targetRatio !== undefined && values.level !== undefined) throw new UsageError('Give --level or --target-ratio, not both.');
      const { text: input, source } = await readTextInput(oneInput(positionals), io);
      refuseSourceCode(source, 'compress');
      const head = frontMatterOf(input, source);
      const result = compressKeepingAtoms(input.slice(head.length), { model, level: level as CompressionLevel, ...(targetRatio !== undefined ? { targetRatio } : {}) });
      result.text = head + result.text;
      const summary = `${source}: ${result.tokensBefore} → ${result.tokensAfter} tokens (-${result.reductionPercent}%, ${result.level}, ${result.language}); ${result.retention.kept}/${result.retention.total} protected items kept${head ? KEPT_NOTE : ''}`;
      const removedLines = (result.removedSummary ?? []).map((r) => `#   ${r.rule}: ${JSON.stringify(r.text)} ×${r.count} (${r.reason})`);
      const lines = [result.text, '', `# ${summary}`];
      if (result.target) lines.push(`# target: ${result.target.message}`, `# stages applied: ${result.target.stages.join(' → ')}`);
      if (removedLines.length > 0) lines.push('# removed (rule: text ×count (why)):', ...removedLines);
      lines.push(...result.warnings.filter((w) => w !== result.target?.message).map((w) => `# warning: ${w}`));
      return { json: { source, model, ...result }, text: lines.join('\n') };
    },
  },
  {
    area: 'prompt',
    verb: 'distill',
    summary: 'Distill a prompt to its essence under a token budget (extractive; protected items kept first).',
    positionals: '<file|->',
    options: {
      model: MODEL_OPTION,
      'max-tokens': { type: 'string', valueName: 'N', description: 'Token budget (default: 60% of the compressed prompt).' },
    },
    examples: ['pepperpy-opt prompt distill samples/prompts/seed-example-pt.txt --max-tokens 50'],
    async run({ positionals, values }, io) {
      const model = modelOption(values);
      const maxTokens = maxTokensOption(values);
      const { text: input, source } = await readTextInput(oneInput(positionals), io);
      refuseSourceCode(source, 'distill');
      const head = frontMatterOf(input, source);
      const result = distillKeepingAtoms(input.slice(head.length), { model, ...(maxTokens ? { maxTokens } : {}) });
      result.text = head + result.text;
      const lines = [result.text, '', `# ${source}: ${result.tokensBefore} → ${result.tokensAfter} tokens (budget ${result.maxTokens}${result.fitsBudget ? '' : `, NOT met: ${result.tokensAfter} is as low as it goes, since the main instruction, the role sentence, the input and the sentences that hold protected items are always kept`})${head ? KEPT_NOTE : ''}`];
      for (const d of result.dropped) lines.push(`# dropped (${d.reason}, ${d.tokens} tokens): ${d.text.replace(/\s+/g, ' ').slice(0, 100)}`);
      return { json: { source, model, ...result }, text: lines.join('\n') };
    },
  },
  {
    area: 'prompt',
    verb: 'optimize',
    summary: 'Optimize a prompt: restructure into role, task, context, constraints, output format and input; fit a budget.',
    positionals: '<file|->',
    options: {
      model: MODEL_OPTION,
      target: { type: 'string', valueName: 'T', description: 'quality, efficiency or balanced (default balanced).' },
      'max-tokens': { type: 'string', valueName: 'N', description: 'Token budget for the optimized prompt.' },
      llm: { type: 'string', valueName: 'P', description: 'Ask an LLM for the rewrite: openai (or any OpenAI-compatible server) or anthropic (key from PEPPERPY_LLM_API_KEY), or a local server model such as ollama:llama3.2 (no key, $0; `engine models` lists them).' },
      'llm-model': { type: 'string', valueName: 'M', description: 'The model that rewrites (with --llm).' },
      'llm-base-url': { type: 'string', valueName: 'URL', description: 'API base URL (with --llm), e.g. http://127.0.0.1:11434/v1.' },
      'approve-usd': { type: 'string', valueName: 'USD', description: 'Run the LLM rewrite if its forecast cost is at most this; without it only the forecast is printed.' },
    },
    epilog: ['Exit code 1 when --llm was given and the model call failed; the local rules\' rewrite is still printed, with "LLM status: failed" and why.'],
    examples: ['pepperpy-opt prompt optimize samples/prompts/seed-example-pt.txt --target quality --max-tokens 100', 'pepperpy-opt prompt optimize samples/prompts/seed-example-pt.txt --llm openai --llm-model gpt-5.4-mini', 'pepperpy-opt prompt optimize samples/prompts/seed-example-pt.txt --llm openai --llm-model gpt-5.4-mini --approve-usd 0.01', 'pepperpy-opt prompt optimize samples/prompts/seed-example-pt.txt --llm ollama:llama3.2'],
    async run({ positionals, values }, io) {
      const model = modelOption(values);
      const maxTokens = maxTokensOption(values);
      const target = values.target === undefined ? 'balanced' : String(values.target);
      if (!['quality', 'efficiency', 'balanced'].includes(target)) throw new UsageError(`--target must be quality, efficiency or balanced, got "${target}".`);
      const { text: input, source } = await readTextInput(oneInput(positionals), io);
      refuseSourceCode(source, 'optimize');
      const head = frontMatterOf(input, source);
      const text = input.slice(head.length);
      const options = { model, target: target as OptimizationTarget, ...(maxTokens ? { maxTokens } : {}) };
      // Checked before anything else: a negative budget was ignored without --llm (and with a local model).
      const approveRaw = values['approve-usd'];
      const approved = approveRaw === undefined ? undefined : Number(approveRaw);
      if (approved !== undefined && (typeof approveRaw !== 'string' || approveRaw.trim() === '' || !Number.isFinite(approved) || approved < 0)) throw new UsageError(`--approve-usd needs a non-negative number, got ${JSON.stringify(approveRaw)}.`);
      let result;
      if (values.llm !== undefined) {
        const provider = String(values.llm);
        if (provider === 'vscode' || provider.startsWith('vscode:')) throw new UsageError(l10n.t('vscode: models are only available inside VS Code; use ollama:… or an API key.'));
        const baseUrl = values['llm-base-url'];
        if (isLocalModelName(provider)) {
          // A model on a local server (ollama:llama3.2): no key, $0, no approval needed; its base URL stays on localhost.
          const rewriter = createRewriter({ provider: 'local', model: provider, ...(typeof baseUrl === 'string' ? { baseUrl } : {}) });
          result = await optimizeWithLlmKeepingAtoms(text, { ...options, rewriter });
        } else {
          if (provider !== 'openai' && provider !== 'anthropic') throw new UsageError(`--llm must be openai, anthropic or a local server model (ollama:MODEL, lmstudio:MODEL, llamacpp:MODEL, vllm:MODEL), got "${provider}".`);
          const llmModel = values['llm-model'];
          if (typeof llmModel !== 'string' || llmModel.trim() === '') throw new UsageError('--llm needs --llm-model, the model that rewrites.');
          const rewriter = createRewriter({ provider, model: llmModel.trim(), apiKey: llmApiKey(provider), ...(typeof baseUrl === 'string' ? { baseUrl } : {}) });
          result = await optimizeWithLlmKeepingAtoms(text, { ...options, rewriter, ...(approved !== undefined ? { approvedCostUsd: approved } : {}) });
        }
      } else {
        result = optimizeKeepingAtoms(text, options);
      }
      result.text = head + result.text;
      const lines = [result.text, '', `# ${source}: ${result.tokensBefore} → ${result.tokensAfter} tokens (${result.target}, ${result.mode})${result.fitsBudget ? '' : ` — over the budget of ${result.maxTokens}`}${head ? KEPT_NOTE : ''}`];
      for (const change of result.changes) lines.push(`# ${change}`);
      if (result.llm) {
        const f = result.llm.forecast;
        lines.push(`# LLM forecast: ${f.inputTokens} input + up to ${f.maxOutputTokens} output tokens on ${f.provider}/${f.model}: ${f.priced ? `up to $${(f.maxTotalCostUsd ?? 0).toFixed(6)}` : 'no price known'} (${f.priceNote})`);
        lines.push(`# LLM status: ${result.llm.status}${result.llm.reason ? ` — ${result.llm.reason}` : ''}${result.llm.latencyMs !== undefined ? ` (${Math.round(result.llm.latencyMs)} ms)` : ''}`);
      }
      // Asked for a model's rewrite and the call failed: a script must see it (the rules' rewrite is still printed).
      return { json: { source, model, ...result }, text: lines.join('\n'), ...(result.llm?.status === 'failed' ? { exitCode: 1 } : {}) };
    },
  },
];

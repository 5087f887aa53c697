import { DEFAULT_MODEL, PromptAnalyzer } from '../prompt/analyzer';
import { readTextInput, UsageError, type CliCommand } from './framework';

function modelOption(values: Record<string, unknown>): string {
  const model = values.model;
  if (model === undefined) return DEFAULT_MODEL;
  if (typeof model !== 'string' || model.trim() === '') throw new UsageError('--model needs a model name, e.g. --model gpt-4o.');
  return model.trim();
}

function tokenLine(count: { count: number; method: string; encoding: string; note?: string }): string {
  return `${count.count} tokens (${count.method === 'exact' ? 'exact' : 'estimate'}, ${count.encoding})${count.note ? `\n  note: ${count.note}` : ''}`;
}

export const promptCommands: CliCommand[] = [
  {
    area: 'prompt',
    verb: 'analyze',
    summary: 'Analyze a prompt: token count for a model, size, scores and suggestions.',
    positionals: '<file|->',
    options: { model: { type: 'string', valueName: 'M', description: `Model to count tokens for (default ${DEFAULT_MODEL}).` } },
    examples: ['pepperpy-opt prompt analyze prompt.txt --model gpt-4o', 'echo "Summarize this" | pepperpy-opt prompt analyze - --json'],
    async run({ positionals, values }, io) {
      if (positionals.length > 1) throw new UsageError(`Expected one input, got ${positionals.length}: ${positionals.join(' ')}.`);
      const model = modelOption(values);
      const { text, source } = await readTextInput(positionals[0], io);
      const analysis = new PromptAnalyzer().analyze(text, { model });
      const lines = [
        `${source}: ${tokenLine(analysis.tokens)} for ${model}`,
        `  ${analysis.characterCount} characters, ${analysis.wordCount} words, ${analysis.lineCount} lines`,
      ];
      if (analysis.complexityScore !== undefined) lines.push(`  complexity ${analysis.complexityScore}/10, redundancy ${analysis.redundancyScore}/10, clarity ${analysis.clarityScore}/10`);
      for (const s of analysis.optimizationSuggestions) lines.push(`  - [${s.kind}] ${s.message}${s.tokensSaved > 0 ? ` (saves ~${s.tokensSaved} tokens)` : ''}`);
      return { json: { source, model, ...analysis }, text: lines.join('\n') };
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
      const { text, source } = await readTextInput(positionals[0], io);
      const count = new PromptAnalyzer().countTokensDetailed(text, model);
      return { json: { source, ...count }, text: `${source}: ${tokenLine(count)} for ${model}` };
    },
  },
];

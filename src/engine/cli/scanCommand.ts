import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { EngineError } from '../../protocol/errors';
import { DEFAULT_MODEL } from '../../shared/prompt/analyzer';
import { scanPaths, summarize } from '../../shared/prompt/scanner/scanFiles';
import { UsageError, type CliCommand } from './framework';

/** `pepperpy-opt prompt scan <paths...>`: every prompt found in source files, with lines, kind and tokens. */
export const scanCommand: CliCommand = {
  area: 'prompt',
  verb: 'scan',
  summary: 'Find the prompts in source files and folders (Python, TS/JS, YAML, JSON, Markdown, prompt files).',
  positionals: '<paths...>',
  options: {
    model: { type: 'string', valueName: 'M', description: `Model to count tokens for when the code names none (default ${DEFAULT_MODEL}).` },
    'min-confidence': { type: 'string', valueName: 'C', description: 'Report only prompts with at least this confidence, 0-1.' },
  },
  examples: ['pepperpy-opt prompt scan src/', 'pepperpy-opt prompt scan samples/prompts/seed-example-pt.txt samples/rag/ --json'],
  async run({ positionals, values }) {
    if (positionals.length === 0) throw new UsageError('Give at least one file or folder to scan.');
    for (const p of positionals) {
      if (!existsSync(p)) throw new EngineError('notFound', `No such file or folder: ${p}.`, 'Check the path.');
    }
    const model = typeof values.model === 'string' && values.model.trim() ? values.model.trim() : DEFAULT_MODEL;
    let minConfidence: number | undefined;
    if (typeof values['min-confidence'] === 'string') {
      // A decimal only: Number('') is 0 (an empty value showed every candidate) and Number('0x1') is 1.
      const raw = values['min-confidence'];
      minConfidence = /^\s*(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/.test(raw) ? Number(raw) : NaN;
      if (!Number.isFinite(minConfidence) || minConfidence < 0 || minConfidence > 1) throw new UsageError(`--min-confidence needs a number from 0 to 1, got ${JSON.stringify(raw)}.`);
    }
    const started = performance.now();
    const files = scanPaths(positionals, { keepSource: true, ...(minConfidence !== undefined ? { minConfidence } : {}) });
    const prompts = summarize(files, model);
    const elapsedMs = Math.round(performance.now() - started);
    const skipped = files.filter((f) => f.skipped);
    const json = {
      prompts,
      filesScanned: files.length - skipped.length,
      filesSkipped: skipped.map((f) => ({ file: f.file, reason: f.skipped })),
      promptCount: prompts.length,
      elapsedMs,
    };
    const lines = prompts.map((p) => {
      const lines = p.startLine === p.endLine ? `${p.startLine}` : `${p.startLine}-${p.endLine}`;
      // "≥24 tokens + runtime values (os_name, shell)": the same lower bound the editor's lens shows.
      if (p.unterminated) return `${p.file}:${lines}  ${p.kind.padEnd(9)} literal not closed (a syntax error in the file): not counted ${p.boundName ? `${p.boundName}: ` : ''}`.trimEnd();
      const count = `${p.tokensAtLeast ? '≥' : ''}${p.tokens}`.padStart(6);
      const runtime = p.runtimeValues ? ` + runtime values (${p.runtimeValues.slice(0, 4).join(', ')}${p.runtimeValues.length > 4 ? ', …' : ''})` : '';
      return `${p.file}:${lines}  ${p.kind.padEnd(9)} ${count} tokens${p.tokenMethod === 'estimate' ? '~' : ''}${runtime} ${p.api ? `[${p.api}] ` : ''}${p.boundName ? `${p.boundName}: ` : ''}"${p.preview}"`;
    });
    // A file named on the command line and skipped (binary, too large, unknown type) is named with the reason, not only counted.
    const named = new Set(positionals.map((p) => resolve(p)));
    for (const f of skipped) if (named.has(resolve(f.file))) lines.push(`skipped ${f.file}: ${f.skipped}`);
    lines.push(`${prompts.length} prompt${prompts.length === 1 ? '' : 's'} in ${json.filesScanned} file${json.filesScanned === 1 ? '' : 's'} (${skipped.length} skipped) in ${elapsedMs} ms; tokens for ${model} unless the code names a model.`);
    return { json, text: lines.join('\n') };
  },
};

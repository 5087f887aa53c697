import type { PromptAnalysis, TokenCount } from '../../protocol/prompt';
import { sharedTokenizer, type TokenizerService } from './tokenizer';

export interface AnalyzeOptions {
  model?: string;
}

export const DEFAULT_MODEL = 'gpt-4o';

/** The seed's PromptAnalyzer: token count and measurable features of a prompt. */
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
    const words = text.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu);
    return {
      tokenCount: tokens.count,
      tokens,
      characterCount: [...text].length,
      wordCount: words ? words.length : 0,
      lineCount: text.length === 0 ? 0 : text.split(/\r\n|\r|\n/).length,
      optimizationSuggestions: [],
      elapsedMs: performance.now() - started,
    };
  }
}

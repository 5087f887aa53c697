/**
 * A model set by a fallback in one class of a file, read by that class (issue 12, item 5; finder45). TypeScript's
 * non-null assertion `model: this.config.model!` (Lezer's PostfixExpression) was not followed, so
 * `if (!this.config.model) this.config.model = "gpt-4o-mini"` priced nothing where the file named two models; and a
 * property was resolved by its name across the file, so `this.model = config.model || "gpt-4.1-nano-2025-04-14"` in one
 * class was priced at another class's `this.config.model = "gpt-4o-mini"`. (`model: this.config.model!` is the common way
 * to pass an optional config's model in TypeScript: `find_string` finds it in ten public files at once.)
 */
import * as assert from 'node:assert/strict';
import { sharedPriceCatalog } from '../../../src/shared/cost/pricing';
import { PromptHintService } from '../../../src/shared/hints/hints';

async function models(text: string, languageId: string, fileName: string): Promise<string[]> {
  const { prompts } = await new PromptHintService(sharedPriceCatalog).compute({ text, languageId, fileName, defaultModel: 'gpt-5.4', compareModels: [], callsPerDay: 1000, withSuggestions: false });
  return prompts.map((p) => `${text.slice(0, p.location.range.start.offset).split('\n').length} ${p.model}`);
}

const SYSTEM = '"You are a helpful assistant that answers questions about the memories of the user."';

describe('a model set by a fallback in one class of a file (finder45)', () => {
  it('TypeScript: each class sends its own fallback, through `!` too', async () => {
    const src = [
      'import OpenAI from "openai";',
      'export class NanoLLM {',
      '  private model: string;',
      '  private client = new OpenAI();',
      '  constructor(config: { model?: string }) {',
      '    this.model = config.model || "gpt-4.1-nano-2025-04-14";',
      '  }',
      '  async ask(q: string) {',
      `    return this.client.chat.completions.create({ model: this.model, messages: [{ role: "system", content: ${SYSTEM} }, { role: "user", content: q }] });`,
      '  }',
      '}',
      'export class MiniLLM {',
      '  private client = new OpenAI();',
      '  constructor(private config: { model?: string }) {',
      '    if (!this.config.model) this.config.model = "gpt-4o-mini";',
      '  }',
      '  async ask(q: string) {',
      `    return this.client.chat.completions.create({ model: this.config.model!, messages: [{ role: "system", content: ${SYSTEM} }, { role: "user", content: q }] });`,
      '  }',
      '}',
      '',
    ].join('\n');
    assert.deepEqual(await models(src, 'typescript', '/w/llms.ts'), ['9 gpt-4.1-nano-2025-04-14', '18 gpt-4o-mini']);
  });

  it('a class that sets no property of that name still reads the file\'s other clues', async () => {
    const src = [
      'import OpenAI from "openai";',
      'export class Config {',
      '  model = "gpt-4o-mini";',
      '}',
      'export class Asker {',
      '  private client = new OpenAI();',
      '  constructor(private config: Config) {}',
      '  async ask(q: string) {',
      `    return this.client.chat.completions.create({ model: this.config.model!, messages: [{ role: "system", content: ${SYSTEM} }] });`,
      '  }',
      '}',
      '',
    ].join('\n');
    assert.deepEqual(await models(src, 'typescript', '/w/asker.ts'), ['9 gpt-4o-mini']);
  });
});

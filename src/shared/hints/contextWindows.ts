/**
 * Context windows. OpenAI's come from gpt-tokenizer's model data (its `models.gen`
 * module, generated from OpenAI's model list); other providers' are not in any package we
 * ship, so they are unknown here rather than guessed.
 */
interface ModelSpecLike {
  context_window?: number;
  max_input_tokens?: number;
}

let specs: Record<string, ModelSpecLike> | undefined;
const GPT_TOKENIZER_VERSION = '4.0.0';

function load(): Record<string, ModelSpecLike> {
  if (!specs) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily from node_modules, like the encodings.
      specs = require('gpt-tokenizer/cjs/models.gen') as Record<string, ModelSpecLike>;
    } catch {
      specs = {};
    }
  }
  return specs;
}

export function contextWindowOf(model: string): { tokens: number; source: string } | undefined {
  const name = model.trim().toLowerCase().replace(/^(openai|azure)[/:]/, '');
  const spec = load()[name];
  const tokens = spec?.context_window ?? spec?.max_input_tokens;
  if (typeof tokens !== 'number' || !(tokens > 0)) return undefined;
  return { tokens, source: `gpt-tokenizer ${GPT_TOKENIZER_VERSION} model data` };
}

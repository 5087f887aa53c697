/**
 * Context windows. OpenAI's come from gpt-tokenizer's model data (its `models.gen`
 * module, generated from OpenAI's model list); other providers' (Claude, Gemini, Mistral…)
 * from the `context_window` genai-prices lists for the model the price catalog matched.
 * A model neither lists is unknown here rather than guessed.
 */
import type { PriceSource } from '../../protocol/cost';
import { pricedAs } from '../cost/sameModel';

/** The part of the price catalog this needs (PriceCatalog.contextWindow). */
export interface CatalogWindows {
  contextWindow(model: string): { tokens: number; matchedModel: string; source: PriceSource } | undefined;
}
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

export function contextWindowOf(model: string, catalog?: CatalogWindows): { tokens: number; source: string } | undefined {
  const name = model.trim().toLowerCase().replace(/^(openai|azure)[/:]/, '');
  // A fine-tune (`ft:gpt-4o-mini-2024-07-18:org::id`) has its base model's window.
  const base = /^ft:([^:]+):/.exec(name)?.[1];
  const spec = load()[base ?? name];
  const tokens = spec?.context_window ?? spec?.max_input_tokens;
  if (typeof tokens === 'number' && tokens > 0) return { tokens, source: `gpt-tokenizer ${GPT_TOKENIZER_VERSION} model data${base ? `, of the fine-tune's base model ${base}` : ''}` };
  const listed = catalog?.contextWindow(model);
  if (!listed) return undefined;
  // Name the catalog's model when it is not the code's (a prefix match), as the price note does.
  const of = pricedAs(model, listed.matchedModel) === undefined ? '' : `, listed for ${listed.matchedModel}`;
  return { tokens: listed.tokens, source: `${listed.source.name}${of}` };
}

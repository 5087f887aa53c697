/**
 * Whether a catalog price is for the model the code names. genai-prices matches names with
 * rules such as "starts with claude-sonnet-4-5", so a made-up `claude-sonnet-4-5-super` gets the
 * price of `claude-sonnet-4-5`, and a surface that showed only the price would present it as the
 * named model's. Two names are the same model when they differ only by a release-date suffix
 * (`-20250929`, `-2024-08-06`, Vertex's `@20250514`, OpenAI's four-digit `-0613`), by `-latest`,
 * by a zero minor version (`claude-sonnet-4-20250514` is listed as `claude-sonnet-4-0`), by how a
 * version number is written (`claude-sonnet-4.5`, `claude-sonnet-4-5`, Azure's `gpt-35-turbo`),
 * by case, or by a provider prefix (`anthropic:`, `openrouter/`): those are snapshots and aliases
 * of one model, and genai-prices lists them so. Anything else (`-super`, `gpt-5-chat-latest`
 * priced as `gpt-5`) is said. A fine-tune is its base model only where the catalog has a
 * fine-tune price (`ft:gpt-4o-mini`); priced at the base model's rate, it is said, because
 * fine-tuned models are billed at other rates.
 */
import { fineTuneBase, isFineTuneAtBaseRate } from '../../protocol/fineTune';

/**
 * A release date (`-20250929`, `-2024-08-06`, `@20250514`), OpenAI's four-digit snapshot (`-0613`,
 * `-0125`: a month and a day; genai-prices lists `gpt-4-0613` as an alias of `gpt-4`) or `-latest`
 * at the end of a name. Four digits that are no month and day (Mistral's `-2407`, Groq's `-8192`) stay.
 */
const RELEASE_SUFFIX = /(?:[-@](?:20\d{2}-\d{2}-\d{2}|20\d{6})|-(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])|-latest)$/;

/** A `.0`/`-0` minor version at the end (`claude-sonnet-4-0` is Anthropic's alias of `claude-sonnet-4-20250514`). */
const ZERO_MINOR = /(\d)[-.]0$/;

/**
 * The name without case, surrounding spaces, release-date suffixes, `-latest` and a zero minor
 * version (`claude-3-5-haiku-20241022` → `claude-3-5-haiku`, `claude-sonnet-4-0` → `claude-sonnet-4`).
 */
export function modelStem(name: string): string {
  let stem = name.trim().toLowerCase();
  for (let before = ''; before !== stem; ) {
    before = stem;
    stem = stem.replace(RELEASE_SUFFIX, '');
  }
  return stem.replace(ZERO_MINOR, '$1');
}

/**
 * The name, and the name after each provider, namespace or region prefix (`openrouter:anthropic/claude-x` →
 * `anthropic/claude-x`, `claude-x`; Bedrock's `us.anthropic.claude-x-v2:0` → `anthropic.claude-x-v2:0`,
 * `claude-x-v2:0`). A prefix ends before a letter: what follows `:` in Bedrock's `-v2:0` is a version, not a
 * name, and `0` would make every two such names the same model.
 */
function withoutPrefixes(name: string): string[] {
  const names = [name];
  for (let i = 0; i < name.length; i++) if ((name[i] === ':' || name[i] === '/' || name[i] === '.') && /\p{L}/u.test(name[i + 1] ?? '')) names.push(name.slice(i + 1));
  return names;
}

/**
 * The ways one version number is written: `4.5` as `4-5` (Anthropic's ids; genai-prices matches
 * `claude-3.5-sonnet` to `claude-3-5-sonnet`) and as `45` (Azure's `gpt-35-turbo`, which
 * genai-prices lists as an alias of `gpt-3.5-turbo`). `3-5` and `35` are never made equal to each
 * other, only to `3.5`, so `llama-3-70b` and `llama-370b` stay apart.
 */
function spellings(stem: string): [dashed: string, joined: string] {
  return [stem.replace(/(\d)\.(?=\d)/g, '$1-'), stem.replace(/(\d)\.(?=\d)/g, '$1')];
}

function sameStem(name: string, catalogModel: string): boolean {
  const asked = withoutPrefixes(modelStem(name)).map((n) => spellings(modelStem(n)));
  const entry = withoutPrefixes(modelStem(catalogModel)).map((n) => spellings(modelStem(n)));
  return asked.some(([dashed, joined]) => dashed !== '' && entry.some((e) => e[0] === dashed || e[1] === joined));
}

/** True when `catalogModel` (the catalog entry a price came from) is the model `name` names, up to a release date or `-latest`. */
export function isSameModel(name: string, catalogModel: string): boolean {
  const tuned = fineTuneBase(name);
  const tunedEntry = fineTuneBase(catalogModel);
  // A fine-tune and a catalog fine-tune price of the same base (ft:gpt-4o-2024-08-06:acme::id and
  // genai-prices' ft:gpt-4o) are one model; a fine-tune priced as a plain model is not.
  if (tuned !== undefined || tunedEntry !== undefined) return tuned !== undefined && tunedEntry !== undefined && sameStem(tuned, tunedEntry);
  return sameStem(name, catalogModel);
}

/** The catalog entry when it is another model than `name` (for `ModelPriceInfo.pricedAs`), else undefined. */
export function pricedAs(name: string, catalogModel: string): string | undefined {
  return isSameModel(name, catalogModel) ? undefined : catalogModel;
}

/**
 * "priced as claude-sonnet-4-5, the catalog's closest match for claude-sonnet-4-5-super" (English: for
 * the engine and the CLI). A fine-tune priced at its base model's rate says that instead.
 */
export function pricedAsNote(name: string, catalogModel: string): string {
  if (isFineTuneAtBaseRate(name, catalogModel)) {
    return `priced as ${catalogModel}, the base model of the fine-tune ${name}: the catalog has no fine-tune price, and fine-tuned models are billed at other rates`;
  }
  return `priced as ${catalogModel}, the catalog's closest match for ${name}`;
}

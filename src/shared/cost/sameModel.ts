/**
 * Whether a catalog price is for the model the code names. genai-prices matches names with
 * rules such as "starts with claude-sonnet-4-5", so a made-up `claude-sonnet-4-5-super` gets the
 * price of `claude-sonnet-4-5`, and a surface that showed only the price would present it as the
 * named model's. Two names are the same model when they differ only by a release-date suffix
 * (`-20250929`, `-2024-08-06`, Vertex's `@20250514`), by `-latest`, by a zero minor version
 * (`claude-sonnet-4-20250514` is listed as `claude-sonnet-4-0`), by case, or by a provider prefix
 * (`anthropic:`, `openrouter/`): those are snapshots and aliases of one model. Anything else
 * (`-super`, `gpt-5-chat-latest` priced as `gpt-5`) is said.
 */

/** A release date (`-20250929`, `-2024-08-06`, `@20250514`) or `-latest` at the end of a name. */
const RELEASE_SUFFIX = /(?:[-@](?:20\d{2}-\d{2}-\d{2}|20\d{6})|-latest)$/;

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

/** True when `catalogModel` (the catalog entry a price came from) is the model `name` names, up to a release date or `-latest`. */
export function isSameModel(name: string, catalogModel: string): boolean {
  const asked = withoutPrefixes(modelStem(name)).map(modelStem);
  const entry = withoutPrefixes(modelStem(catalogModel)).map(modelStem);
  return asked.some((a) => a !== '' && entry.includes(a));
}

/** The catalog entry when it is another model than `name` (for `ModelPriceInfo.pricedAs`), else undefined. */
export function pricedAs(name: string, catalogModel: string): string | undefined {
  return isSameModel(name, catalogModel) ? undefined : catalogModel;
}

/** "priced as claude-sonnet-4-5, the catalog's closest match for claude-sonnet-4-5-super" (English: for the engine and the CLI). */
export function pricedAsNote(name: string, catalogModel: string): string {
  return `priced as ${catalogModel}, the catalog's closest match for ${name}`;
}

/**
 * Fine-tuned model names, for the "priced as" notes (src/shared/cost/sameModel.ts) and the surfaces
 * that word them in the editor and the webviews. No imports, so the webview bundle stays small.
 */

/**
 * The base model of a fine-tuned model's name, else undefined. OpenAI names fine-tunes
 * `ft:BASE:ORG:SUFFIX:ID` (`ft:gpt-4o-mini-2024-07-18:acme::9Xyz`), Azure `BASE.ft-ID`;
 * genai-prices names its fine-tune prices the same way (`ft:gpt-4o`, `ft:gpt-3.5-turbo-`,
 * `gpt-4o-mini-2024-07-18.ft-`), so the trailing dash of those goes too.
 */
export function fineTuneBase(name: string): string | undefined {
  const lower = name.trim().toLowerCase();
  const openai = /(?:^|[:/])ft:([^:]+)/.exec(lower);
  if (openai) return openai[1].replace(/-+$/, '');
  const azure = /^(.+?)\.ft-[0-9a-z]*$/.exec(lower);
  return azure ? azure[1] : undefined;
}

/**
 * True when a fine-tune's price is its base model's (`ft:gpt-4-0613:acme::id` priced as `gpt-4`, whose
 * genai-prices rule takes `ft:gpt-4-0…`): the catalog has no fine-tune price for it, and fine-tuned
 * models are billed at other rates, so every surface says so in place of "closest match".
 */
export function isFineTuneAtBaseRate(name: string, catalogModel: string): boolean {
  const base = fineTuneBase(name);
  if (base === undefined || fineTuneBase(catalogModel) !== undefined) return false;
  const entry = catalogModel.trim().toLowerCase().replace(/^.*[:/]/, '');
  return entry !== '' && base.replace(/^.*[:/]/, '').startsWith(entry);
}

/**
 * Which model a prompt is priced with when its call may name none: the call's model, one
 * resolved in the file, the model of another file that imports the prompt and sends it (`ImportedSend`), the model the project's config file names (src/shared/projectModel.ts:
 * MetaGPT's config2.yaml `llm.model`, a .env `OPENAI_MODEL`) unless the file's provider is another,
 * the default model of the file's provider, the default model of the project's one provider (its
 * manifest, src/shared/projectProvider.ts), or the global default.
 * The editor's hints (hints.ts) and the CLI's `prompt scan` both decide here, so the two price
 * the same file the same way.
 */
import type { ImportedSend, PromptHint } from '../../protocol/hints';
import type { PromptLocation } from '../../protocol/scan';
import { defaultModelFor, FILE_MODEL_VIA, providerOfModelName } from '../prompt/scanner/models';
import { isHostId, providerLabel, servesVendor } from '../prompt/scanner/providers';
import type { ProjectModel } from '../projectModel';
import type { ProjectProvider } from '../projectProvider';

export interface ModelChoiceInputs {
  /** The model when nothing else decides (`pepperpy.defaultModel`, the CLI's `--model`). */
  defaultModel: string;
  /** Default model per provider; providers not listed use the built-in defaults. */
  defaultModels?: Record<string, string>;
  /** The one provider whose SDK the project's manifest lists, and where that was read. */
  projectProvider?: ProjectProvider;
  /** The model the project's config file names (already checked against the price catalog), and where. */
  projectModel?: ProjectModel;
  /** What other files of the project send the document's names with (promptSends.ts), one per name. */
  importedSends?: readonly ImportedSend[];
  /** Whether the price catalog knows a model name (`modelKey`: a call to none of the LLM SDKs may name a key of the app's, not a model). */
  isKnown?: (model: string) => boolean;
  /** The families of the catalog's model names (`modelFamilies`): a bare `vicuna` is a model, not a key. */
  modelFamilies?: ReadonlySet<string>;
}

/**
 * Whether the model a prompt's call names is a key of the app's own rather than a model: node-DeepResearch's
 * `generator.generateObject({ model: 'agent', system: "…" })` (app.ts:652) passes `'agent'`, a key of its config.json's
 * `tools`, to its own `ObjectGeneratorSafe`, which looks the model up (`getModel('agent')`); priced as a model "agent",
 * the prompt had "no price (agent)" (newuser46). Read as a key when the call is to none of the LLM SDKs the scanner knows
 * (the prompt has no `api`), the name is a word of letters that the price catalog does not know and no provider's naming
 * claims, and it is written in the call or in a constant of the file (`model: TOOL_NAME`). An unknown name on an SDK's call stays the model
 * (`ollama.chat({ model: 'vicuna' })`): local and private models are named so.
 */
export function modelKey(location: Pick<PromptLocation, 'model' | 'api' | 'provider'>, isKnown: ((model: string) => boolean) | undefined, families?: ReadonlySet<string>): boolean {
  const ref = location.model;
  if (!ref || !isKnown || location.api !== undefined || (location.provider !== undefined && isHostId(location.provider))) return false;
  if (ref.via !== undefined && !/^[A-Za-z_$][\w$]*$/.test(ref.via)) return false;
  // (Letters only, as a key of code is written: a model's name has a version or a size in it, `llama3`, `qwen2.5`, `phi3`,
  // `orca-mini`. A bare word that names a family of models is a model still: `vicuna`, `phi`, `llama`, as Ollama names
  // a family's default tag, passed to an app's own wrapper, `chatWithModel({ model: 'vicuna' })`.)
  return /^[A-Za-z_$]+$/.test(ref.name) && !isKnown(ref.name) && providerOfModelName(ref.name) === undefined && !isModelFamily(ref.name, families);
}

/**
 * Families of models that Ollama's library serves by the bare word (`ollama pull falcon`) and the price data does not
 * list (it lists `vicuna-13b`, `phi-4`, `zephyr-7b`… for the others: `modelFamilies`).
 */
const LOCAL_FAMILIES: ReadonlySet<string> = new Set(['falcon', 'llava', 'orca', 'starcoder', 'tinyllama', 'stablelm', 'smollm']);

/** Whether a bare word names a family of models (`modelFamilies` of the price data, or one of `LOCAL_FAMILIES`). */
export function isModelFamily(word: string, families: ReadonlySet<string> | undefined): boolean {
  const lower = word.toLowerCase();
  return LOCAL_FAMILIES.has(lower) || (families?.has(lower) ?? false);
}

const familiesOf = new WeakMap<readonly string[], ReadonlySet<string>>();

/**
 * The families of the price data's model names: the word a name opens with, before its version or size (`vicuna` of
 * `lmsys/vicuna-13b-v1.5`, `phi` of `phi-4`, `qwen` of `qwen.qwen3-32b-v1:0`), after its vendor's path or Bedrock prefix.
 * A word followed by a suffix only (`text-embedding-3`, `meta-llama-3.1`, `yi-large`) is no family: keys such as
 * `text`, `meta`, `coder` or `router` stay keys. Cached per list (the catalog keeps its list).
 */
export function modelFamilies(names: readonly string[]): ReadonlySet<string> {
  let out = familiesOf.get(names);
  if (out) return out;
  const found = new Set<string>();
  for (const name of names) {
    const own = name.toLowerCase().replace(/^.*\//, '').replace(/^[a-z-]+\.(?=[a-z])/, '');
    const family = /^([a-z]{2,})(?:-v?|_)?\d/.exec(own)?.[1];
    if (family) found.add(family);
  }
  out = found;
  familiesOf.set(names, out);
  return out;
}

export interface ModelChoice {
  model: string;
  source: PromptHint['modelSource'];
  /** For people: how the model was found. */
  via?: string;
}

/**
 * The model of one prompt. `names` says where the defaults come from, for `via`: the editor's
 * settings by default; the CLI passes its own words (it has no settings).
 */
export function chooseModel(location: PromptLocation, input: ModelChoiceInputs, names: { defaults: string; fallback: string; setFallback?: string } = { defaults: 'pepperpy.defaultModels', fallback: 'pepperpy.defaultModel', setFallback: 'set pepperpy.defaultModel in the workspace settings to the model the app uses' }): ModelChoice {
  // An MCP server's tool description or instructions: the client's model reads them, which this code does not choose.
  if (location.readBy === 'mcpClient') return { model: input.defaultModel, source: 'default', via: `${names.fallback}: an MCP client's model reads it, not this server's` };
  const ref = location.model;
  if (ref && modelKey(location, input.isKnown, input.modelFamilies)) {
    // (A key of the app's own config, not a model: priced as if the call named none, and the hover says why.)
    const rest = chooseModel({ ...location, model: undefined }, input, names);
    const note = `"${ref.name}" (line ${ref.range.start.line + 1}) is no model the price data knows, passed to a call of none of the LLM SDKs: read as a key of the app's own`;
    return { ...rest, via: rest.via ? `${rest.via}; ${note}` : note };
  }
  if (ref) {
    if (!ref.via) return { model: ref.name, source: 'call' };
    const line = ref.range.start.line + 1;
    if (ref.via.startsWith(FILE_MODEL_VIA)) return { model: ref.name, source: 'file', via: `${ref.via}, line ${line}` };
    return { model: ref.name, source: 'resolved', via: `from ${ref.via} (line ${line})` };
  }
  // A prompt module's constant that another file imports and sends (open-canvas's reflection/index.ts sends REFLECT_SYSTEM_PROMPT with claude).
  const sent = sentElsewhere(location, input.importedSends);
  if (sent?.model) {
    const others = sent.others ? `; ${sent.others === 1 ? '1 other file sends' : `${sent.others} other files send`} it with another model` : '';
    const how = sent.model.how === 'call' ? `sent from ${sent.file} (line ${sent.model.line})` : `the only model set in ${sent.file} (line ${sent.model.line}), which imports it`;
    return { model: sent.model.name, source: 'imported', via: `${how}${others}` };
  }
  // Otherwise the provider of the file that sends it counts as this file's own.
  const provider = location.provider ?? sent?.provider;
  const sentBy = !location.provider && sent?.provider ? `; ${sent.file} sends it` : '';
  // The project's configured model, unless the file's own provider is another one's (an Anthropic call in an OpenAI-configured project).
  const configured = input.projectModel;
  if (configured && configFits(provider, providerOfModelName(configured.model))) {
    return { model: configured.model, source: 'config', via: `from ${configured.from}` };
  }
  const byProvider = defaultModelFor(provider, input.defaultModels);
  if (byProvider && provider) {
    return { model: byProvider, source: 'provider', via: `${providerLabel(provider)}'s default model (${names.defaults}${sentBy})` };
  }
  // The file shows no provider (a prompt module apart from the call): the project's one LLM SDK decides.
  const project = input.projectProvider;
  const byProject = project?.provider ? defaultModelFor(project.provider, input.defaultModels) : undefined;
  if (project?.provider && byProject) {
    return { model: byProject, source: 'provider', via: `${providerLabel(project.provider)}'s default model (${names.defaults}; ${project.from})` };
  }
  // Several providers' SDKs in the manifest: none decides, and the hover says why it is the fallback.
  // (An app's own config of its provider, node-DeepResearch's config.json `defaults.llm_provider`, has no shape common to
  // apps: the hover says which setting prices these prompts instead: fix38.)
  // Providers' SDKs only as a library's optional extras: alternatives its users choose from, none of which decides.
  if (project?.optional) return { model: input.defaultModel, source: 'default', via: `${names.fallback}: the code does not say which provider this prompt goes to, and ${project.from} only as an optional extra, one of the alternatives the library's users choose from${names.setFallback ? `; ${names.setFallback}` : ''}` };
  if (project?.several) return { model: input.defaultModel, source: 'default', via: `${names.fallback}: the code does not say which provider this prompt goes to, and ${project.from} are several providers' SDKs${names.setFallback ? `; ${names.setFallback}` : ''}` };
  return { model: input.defaultModel, source: 'default', via: names.fallback };
}

/** The send of the name a module-level prompt is bound to, when another file imports it (a bare identifier only: `self.x` and keys are not importable). */
function sentElsewhere(location: PromptLocation, sends: readonly ImportedSend[] | undefined): ImportedSend | undefined {
  const name = location.boundName;
  if (!sends || sends.length === 0 || !name || !/^[A-Za-z_$][\w$]*$/.test(name)) return undefined;
  return sends.find((s) => s.name === name);
}

/** Providers whose own SDK a project uses for their models, so that an OpenAI SDK call is no call to them. */
const OWN_SDK_ONLY: ReadonlySet<string> = new Set(['anthropic', 'google']);

/**
 * Whether a configured model can be the model of a call to `callProvider`: the same provider, or no
 * provider seen. The OpenAI SDK is also the documented client of DeepSeek, xAI, Groq, Together and
 * of any OpenAI-compatible server (`OpenAI(base_url=os.getenv("OPENAI_BASE_URL"))` with
 * `OPENAI_MODEL=deepseek-chat` in the .env), so an OpenAI call takes a configured model of those
 * providers, or of none the names show (`qwen-max`); not an Anthropic or Google model.
 */
function configFits(callProvider: string | undefined, configProvider: string | undefined): boolean {
  // (A host serves vendors' models under their names: a configured Claude model fits a Bedrock call, not an Azure OpenAI one.)
  if (!callProvider || configProvider === callProvider || (isHostId(callProvider) && (configProvider === undefined || servesVendor(callProvider, configProvider)))) return true;
  return callProvider === 'openai' && (configProvider === undefined || !OWN_SDK_ONLY.has(configProvider));
}

/**
 * The model named beside a literal in code (context.ts notes it in the literal's context): a `model=`/`model:` argument or
 * property, a model given first by position, or a record's own model settings (`modelConfig: { model }`).
 */
import type { SyntaxNode } from '@lezer/common';
import type { ModelRef } from './literalContext';
import { calleeText, simpleValue, textOf, type Lang } from './codeSyntax';

const MODEL_KEYS = /^(model|model_?name|model_?id|modelId|engine|deployment_?name|deployment|azure_deployment)$/;

/** Calls that look a value up by a key or name (their first string argument is that key). */
const LOOKUP_CALLEE = /(^|\.)(get|getenv|getattr|pop|setdefault|getItem|get_secret|get_setting)$/;

/**
 * Values of a `model` setting that name no model but say where to take one from: deer-flow's subagents run on
 * `SubagentConfig(…, model="inherit")` (the lead agent's model), and configs write "default" or "auto". Priced as a model
 * they gave "no price (inherit)" and a hover of near names ("curie, m2-her…", newuser34); without them the prompt gets
 * the project's or the default model, as a prompt with no `model=` does.
 */
export const NO_MODEL_VALUE = /^(inherit(ed)?|default|auto|none|null|same|parent|unset)$/i;

/** A string that reads as a model's name, whoever it is passed to: a family name, optionally after its provider (`openai:`, `anthropic/`). */
const MODEL_LIKE = /^((openai|anthropic|google[-\w]*|vertex|groq|ollama|mistral|xai|deepseek|bedrock|azure|openrouter)[:/])?(gpt-|o[134]\b|o[134]-|claude|gemini|gemma|llama|mistral|mixtral|codestral|command|deepseek|qwen|grok|phi-|chatgpt|text-davinci|sonar)/i;

/**
 * Calls whose string argument is the model (a provider's factory): the Vercel AI SDK's `openai("gpt-4o")`,
 * `google.chat("…")`, `gateway("…")`, `createOpenAI({…})("…")` (a call made on a call's result). The string of any other
 * call is its own key (node-DeepResearch's `getModel('fallback')` looks the tool up in its config.json: priced as a model
 * named "fallback", "no price", and Estimate Cost failed, newuser37), unless it reads as a model (MODEL_LIKE).
 */
const PROVIDER_FACTORY =
  /^(openai|azure|anthropic|google|vertex|mistral|groq|xai|deepseek|cohere|bedrock|ollama|perplexity|togetherai|together|fireworks|openrouter|gateway|cerebras|deepinfra|lmstudio|chutes)(\.(chat|languageModel|responses|completion|messages))?$/;

function isProviderFactory(src: string, call: SyntaxNode): boolean {
  const callee = call.firstChild;
  return callee?.name === 'CallExpression' || PROVIDER_FACTORY.test(calleeText(src, call));
}

/** The model named by a `model` argument or property value: a string, or `openai("gpt-4o")`. */
function modelValue(src: string, node: SyntaxNode | null, lang: Lang): ModelRef | undefined {
  if (!node) return undefined;
  let lit: SyntaxNode | null = node;
  let factory = true;
  if (node.name === 'CallExpression') {
    // A lookup's first string is the key, not the model (`cfg.get("model", "gpt-4o")`, `os.getenv("OPENAI_MODEL")`): models.ts reads its default.
    if (LOOKUP_CALLEE.test(calleeText(src, node))) return undefined;
    const args = node.getChild('ArgList');
    lit = args?.getChild('String') ?? null;
    factory = isProviderFactory(src, node);
  }
  if (!lit || lit.name !== 'String') return undefined;
  const name = simpleValue(src, lit, lang);
  if (!name || name.length > 120 || /\s/.test(name) || NO_MODEL_VALUE.test(name)) return undefined;
  if (!factory && !MODEL_LIKE.test(name)) return undefined;
  return { name, start: lit.from, end: lit.to };
}

/** Finds `model=` (Python) or `model:` (object literals) among a call's arguments. */
export function modelInArgs(src: string, args: SyntaxNode, lang: Lang): ModelRef | undefined {
  for (let c = args.firstChild; c; c = c.nextSibling) {
    if (lang === 'python' && c.name === 'VariableName' && c.nextSibling?.name === 'AssignOp' && MODEL_KEYS.test(textOf(src, c))) {
      const m = modelValue(src, c.nextSibling.nextSibling, lang);
      if (m) return m;
    }
    if (lang === 'javascript' && c.name === 'ObjectExpression') {
      const m = modelInObject(src, c, lang);
      if (m) return m;
    }
    if (lang === 'python' && c.name === 'DictionaryExpression') {
      const m = modelInDict(src, c, lang);
      if (m) return m;
    }
  }
  // A model given first by position: `GenerativeModel("gemini-1.5-pro")`, `Agent("openai:gpt-4o", …)`.
  const first = args.firstChild?.nextSibling;
  if (first?.name === 'String') {
    const m = modelValue(src, first, lang);
    if (m && /^(openai:|anthropic:|google[-\w]*:|groq:|ollama:)?(gpt-|o[134]\b|o[134]-|claude|gemini|llama|mistral|mixtral|command|deepseek|qwen|grok|phi-|chatgpt|text-davinci)/i.test(m.name)) return m;
  }
  return undefined;
}

/**
 * A record's own model settings, beside its messages: NextChat's masks are `{ context: [{ role, content }…],
 * modelConfig: { model: "gpt-4", temperature: 0.3, … } }`, and a mask's turns go to that model (newuser30).
 * Only a key that says "model" (never a generic `config` or `options`), and only one object down.
 */
const MODEL_CONFIG_KEYS = /^(model_?config|modelConfig|model_?settings|modelSettings|model_?params|modelParams|llm_?config|llmConfig)$/;

/** The model of a record's model settings, named after them (`modelConfig.model`): the hover says where it came from, not "in this call". */
function viaSettings(m: ModelRef | undefined, key: string): ModelRef | undefined {
  return m ? { ...m, via: m.via ?? `${key}.model` } : undefined;
}

export function modelInObject(src: string, obj: SyntaxNode, lang: Lang, nested = true): ModelRef | undefined {
  let config: SyntaxNode | undefined;
  let configKey = '';
  for (const prop of obj.getChildren('Property')) {
    const key = prop.firstChild;
    const name = key ? (simpleValue(src, key, lang) ?? '') : '';
    if (key && MODEL_KEYS.test(name)) {
      const m = modelValue(src, prop.lastChild, lang);
      if (m) return m;
    }
    if (nested && !config && MODEL_CONFIG_KEYS.test(name) && prop.lastChild?.name === 'ObjectExpression') [config, configKey] = [prop.lastChild, name];
  }
  return config ? viaSettings(modelInObject(src, config, lang, false), configKey) : undefined;
}

export function modelInDict(src: string, dict: SyntaxNode, lang: Lang, nested = true): ModelRef | undefined {
  let config: SyntaxNode | undefined;
  let configKey = '';
  for (let c = dict.firstChild; c; c = c.nextSibling) {
    if (c.name !== 'String' || c.nextSibling?.name !== ':') continue;
    const name = simpleValue(src, c, lang) ?? '';
    const value = c.nextSibling.nextSibling;
    if (MODEL_KEYS.test(name)) {
      const m = modelValue(src, value, lang);
      if (m) return m;
    }
    if (nested && !config && MODEL_CONFIG_KEYS.test(name) && value?.name === 'DictionaryExpression') [config, configKey] = [value, name];
  }
  return config ? viaSettings(modelInDict(src, config, lang, false), configKey) : undefined;
}

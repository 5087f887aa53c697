/**
 * Model resolution for the scanner's candidates (models.ts resolves expressions): the model of the call or object
 * around a prompt, of the call a prompt variable is sent in, of the prompt a module constant is spliced into, or
 * the file's only model, in that order.
 */
import type { Tree } from '@lezer/common';
import type { Candidate } from './candidate';
import { isLlmApiCall } from './evidence';
import { FILE_MODEL_VIA, FileModelResolver, MODEL_KEY_IN_SOURCE, type Lang } from './models';
import { hostOfCallee, providerOfCallee, providerOfImports, providerOfModelName, servesOtherVendorsModels, type ProviderId } from './providers';

/**
 * Fills in the model (and the provider of the call a prompt variable is passed to) of
 * candidates whose call does not name a model as a literal. Cheap for files without
 * model arguments: it returns before touching the tree.
 */
export function resolveCandidateModels(src: string, tree: Tree, lang: Lang, candidates: Candidate[], imports: ReadonlySet<string>): void {
  // (One resolver for both steps: its caches of the names' occurrences and definitions serve both.)
  let resolver: FileModelResolver | undefined;
  const isApiCall = (callee: string): boolean => isLlmApiCall(callee, imports);
  for (const candidate of candidates) {
    const ctx = candidate.context;
    // (Asked only for a prompt whose literal sits in no LLM call and no message list: build.ts.)
    // A schema's description goes out where the file passes its class (`response_format=DocsAnalysis`), or the class
    // that nests it in a field (`actions: list[DocAction]`).
    const schema = ctx.schemaClass;
    if (schema) {
      candidate.sentSites = () => {
        candidate.sentSites = undefined;
        resolver ??= new FileModelResolver(src, tree, lang);
        const r = resolver;
        const site = r.sentSite(schema, undefined, isApiCall, 0) ?? r.classesHolding(schema).map((holder) => r.sentSite(holder, undefined, isApiCall, 0)).find((s) => s !== undefined);
        return site ? [site] : [];
      };
      continue;
    }
    // A prompt bound to a name and sent from elsewhere in the file (a literal in a call or a list knows it already; the items
    // of a list of objects are alternatives, and a use of the list's name sends one of them, not all: bolt.new's starters).
    if (!ctx.boundName || !/^[A-Za-z_$][\w$]*$/.test(ctx.boundName) || ctx.calleeAt?.length || ctx.messageList) continue;
    const name = ctx.boundName;
    // A literal that is the content of a role message bound to the name (`user_prompt = {"role": "user", "content": f"…"}`):
    // the name is the message, an item of the list it is put in (`messages=[system_prompt, user_prompt]`).
    const message = ctx.role !== undefined ? { role: ctx.role } : undefined;
    candidate.sentSites = () => {
      candidate.sentSites = undefined;
      resolver ??= new FileModelResolver(src, tree, lang);
      return resolver.sentSites(name, ctx.topLevel ? undefined : ctx.scope, isApiCall, 1, message);
    };
  }
  // `Agent('openai:gpt-4o', …)` (pydantic-ai's hello world) names its model without the word "model" anywhere in the file.
  if (candidates.length === 0 || !/model|engine|deployment|\bllm\b|\bAgent\s*[[(]/i.test(src)) return;
  MODEL_KEY_IN_SOURCE.lastIndex = 0;
  const namesModels = MODEL_KEY_IN_SOURCE.test(src);
  MODEL_KEY_IN_SOURCE.lastIndex = 0;
  if (!namesModels) return;
  const importProvider = providerOfImports(imports);
  for (const candidate of candidates) {
    if (candidate.context.model) continue;
    // Resolved only for the candidates judged to be prompts (build.ts calls it), so string literals that are not prompts cost nothing.
    candidate.resolveModel = () => {
      candidate.resolveModel = undefined;
      resolver ??= new FileModelResolver(src, tree, lang);
      resolveOne(resolver, tree, candidate, importProvider, isApiCall);
    };
  }
}

function resolveOne(resolver: FileModelResolver, tree: Tree, candidate: Candidate, importProvider: ProviderId | undefined, isApiCall: (callee: string) => boolean): void {
  resolveModelOf(resolver, tree, candidate, importProvider, isApiCall);
  // A model made by a host's model object (`BedrockModel(…)`, `inference.LLM(…)`) is sent to that host.
  const host = candidate.context.model?.host;
  if (host) candidate.context.provider = host;
}

/** The provider a callee names: a host's client or model class first (`AzureOpenAI`, `ChatBedrock`), else a vendor's. */
function providerOfCall(callee: string): string | undefined {
  return hostOfCallee(callee) ?? providerOfCallee(callee);
}

function resolveModelOf(resolver: FileModelResolver, tree: Tree, candidate: Candidate, importProvider: ProviderId | undefined, isApiCall: (callee: string) => boolean): void {
  const ctx = candidate.context;
  const first = candidate.segments[0];
  if (!first || ctx.model) return;
  const node = tree.resolveInner(first.start, 1);
  const around = resolver.modelAround(node);
  if (around) {
    ctx.model = around;
    return;
  }
  // The call names its model by an expression that names none here (a parameter of the function): the provider's default, not a guess from the file.
  if (around === null) return;
  // A function registered on an agent by its decorator (`@agent.tool`): that agent's model.
  const registered = resolver.decoratedAgentModel(node);
  if (registered) {
    ctx.model = { ...registered.model, via: `the agent ${registered.agent}, which ${registered.decorator} registers this on` };
    return;
  }
  // A schema's description (a field's or the class's docstring): the model of the call the class is passed to, or the
  // class that nests it (crewAI's docs_check.py passes `response_format=DocsAnalysis` with gpt-4o-mini; its `DocAction`
  // is a field of it; both were priced with the default model).
  if (ctx.schemaClass) {
    const cls = ctx.schemaClass;
    const found = [cls, ...resolver.classesHolding(cls)].map((name) => ({ name, use: resolver.usage(name) })).find((u) => u.use?.model || u.use?.unknown);
    if (found?.use?.callee) {
      const p = providerOfCall(found.use.callee);
      if (p) ctx.provider = p;
    }
    if (found?.use?.model) {
      ctx.model = { ...found.use.model, via: `${found.use.model.via}, where ${found.name === cls ? cls : `${found.name}, which holds ${cls},`} is sent` };
      return;
    }
    if (found?.use?.unknown) return;
  }
  if (ctx.boundName && /^[A-Za-z_$][\w$]*$/.test(ctx.boundName)) {
    // A variable assigned in a function is sent from that function: a same-named variable of another function is another prompt.
    const use = resolver.usage(ctx.boundName, ctx.topLevel ? undefined : ctx.scope);
    if (use?.callee) {
      const p = providerOfCall(use.callee);
      if (p) ctx.provider = p;
    }
    if (use?.model) {
      ctx.model = { ...use.model, via: `${use.model.via}, where ${ctx.boundName} is sent` };
      return;
    }
    if (use?.unknown) return;
    // Passed to a function of the file that sends it (`_call_claude(prompt, …)`): the model that function sends it with.
    const helped = use ? undefined : resolver.helperUsage(ctx.boundName, ctx.topLevel ? undefined : ctx.scope);
    if (helped) {
      const p = helped.callee ? providerOfCall(helped.callee) : undefined;
      if (p) ctx.provider = p;
      ctx.model = { ...helped.model, via: `${helped.model.via}, where ${helped.helper}() sends ${ctx.boundName}` };
      return;
    }
    // Carried into another variable that is sent (`full_prompt = f"System: {RAG_PROMPT}…"`, then `contents=[full_prompt]`).
    const carried = use || candidate.splicedInto?.length ? undefined : resolver.carriedUsage(ctx.boundName, ctx.topLevel ? undefined : ctx.scope);
    if (carried) {
      const p = carried.callee ? providerOfCall(carried.callee) : undefined;
      if (p) ctx.provider = p;
      if (carried.model) {
        ctx.model = { ...carried.model, via: `${carried.model.via}, where ${carried.carrier} (line ${carried.line}), which holds ${ctx.boundName}, is sent` };
        return;
      }
      if (carried.unknown) return;
    }
    // Sent in a message of a list that a call sends by name (`msg = {"role": "user", "content": PROMPT}`,
    // `messages = [system_msg, msg]`, `create(model="gpt-4o-mini", messages=messages)`, or `messages.append(msg)`): that
    // call's model, as for a message written in the list.
    if (!use && !helped && !carried) {
      const site = resolver.sentSite(ctx.boundName, ctx.topLevel ? undefined : ctx.scope, isApiCall, 1, ctx.role !== undefined && !ctx.messageList ? { role: ctx.role } : undefined);
      const sent = site?.call !== undefined ? resolver.modelOfCallAt(site.call) : undefined;
      if (sent) {
        const p = providerOfCall(sent.callee);
        if (p) ctx.provider = p;
        if (sent.model) {
          ctx.model = { ...sent.model, via: `${sent.model.via}, where ${ctx.boundName} is sent` };
          return;
        }
        if (sent.model === null) return;
      }
    }
  }
  // A module constant spliced into a prompt (`SYSTEM_PROMPT = f"{PERSONA} …"`) is sent with that prompt: its model (newuser25).
  for (const host of candidate.splicedInto ?? []) {
    host.resolveModel?.();
    const model = host.context.model;
    if (host.context.provider) ctx.provider = host.context.provider;
    if (model) {
      ctx.model = { ...model, via: `${model.via}, where ${ctx.boundName ?? 'it'} is spliced into ${host.context.boundName ?? 'a prompt'}` };
      return;
    }
    if (host.context.provider) return;
  }
  const fm = resolver.fileModel(ctx.topLevel ? undefined : ctx.scope);
  if (!fm) return;
  const wanted = ctx.provider ?? ctx.callees.map(providerOfCallee).find((p) => p !== undefined) ?? importProvider;
  const own = providerOfModelName(fm.name);
  if (!wanted || !own || own === wanted || servesOtherVendorsModels(wanted)) ctx.model = { ...fm, via: `${FILE_MODEL_VIA} (${fm.via})` };
}

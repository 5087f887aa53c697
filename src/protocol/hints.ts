/**
 * What the editor shows for the prompts in one document: code lenses, hovers, diagnostics
 * and the status bar all come from one `editor/promptHints` answer per document version.
 */
import { z } from 'zod';
import type { PriceSource } from './cost';
import type { OptimizationSuggestion, TokenCount } from './prompt';
import type { PromptLocation, TextRange } from './scan';

/** The input cost of sending a prompt once to a model. */
export interface CallCost {
  model: string;
  tokens: TokenCount;
  /** USD for the prompt's input tokens, or undefined with `error` when there is no price. */
  inputCostUsd?: number;
  inputPerMTok?: number;
  outputPerMTok?: number;
  source?: PriceSource;
  /** The catalog model the price is from, when it is another model than `model` (`ModelPriceInfo.pricedAs`). */
  pricedAs?: string;
  /** The host whose price this is when the name is an open-weights id many hosts list (`ModelPriceInfo.listedHost`). */
  listedHost?: string;
  /**
   * The host the code sends the model to, whose price this is (or is missing): `AWS Bedrock`, `Groq`, `Ollama`
   * (src/shared/cost/hostPrices.ts). With `local`, a model on a local server: no per-token API price, $0 in sums.
   */
  host?: string;
  local?: true;
  /** "No price for X; closest known: …". */
  error?: string;
}

export interface ContextWindowShare {
  contextWindow: number;
  /** tokens / contextWindow, 0-1. */
  share: number;
  source: string;
}

/** A suggestion placed in the document: its range is in document offsets. */
export interface PlacedSuggestion extends OptimizationSuggestion {
  documentRange?: TextRange;
}

/** One piece of a prompt composed in code (`PromptLocation.pieces`, same order). */
export interface PieceHint {
  range: TextRange;
  /** The piece's own token count (its fixed text, with the prompt's model). */
  tokens: number;
  /** Set on a fragment taken in from a variable: the interpolation it fills. */
  fills?: string;
  /** A module constant's literal that is a prompt of its own too (`PromptPiece.shared`): it has its own lens and label. */
  shared?: true;
}

export interface PromptHint {
  /** Stable within one answer: the index into `prompts`. */
  index: number;
  location: PromptLocation;
  /** The model named in the same call, else the default model. */
  model: string;
  /**
   * Where `model` came from: `call` (a literal in the call), `resolved` (an expression in
   * the call resolved in the same file: a constant, a field default, an environment
   * default), `file` (the only model the file's model settings hold), `imported` (the model of another file of the
   * project that imports the prompt and sends it: `ImportedSend`), `provider` (the default model of the
   * prompt's provider, `pepperpy.defaultModels`), `config` (the project's config file:
   * `config/config2.yaml llm.model`) or `default` (`pepperpy.defaultModel`).
   */
  modelSource: 'call' | 'resolved' | 'file' | 'imported' | 'config' | 'provider' | 'default';
  /** For people: how the model was found (`MODEL (line 12)`, `Anthropic's default (pepperpy.defaultModels)`). */
  modelVia?: string;
  /** The provider the prompt is sent to, when known (`anthropic`, `openai`, `google`…). */
  provider?: string;
  /** A title for the prompt (`system prompt \`SYSTEM_PROMPT\``), built from its kind and a clean variable or key name. */
  title: string;
  /**
   * Expressions interpolated or substituted at run time (`{question}`, `${context}`), in
   * order, without repeats. When there are any, the token counts and costs are lower
   * bounds: they count the prompt's fixed text only.
   */
  runtimeValues: string[];
  /**
   * Single-brace fields in the prose of a Jinja template (`{remaining_steps}` beside `{%- for … %}`), which Jinja sends
   * as written, braces and all: the hover says so. Absent when there are none.
   */
  sentAsWritten?: string[];
  /**
   * Set when an interpolation chooses between literals (`${cond ? `…` : ''}`, `{"…" if cond else ""}`): `cost` counts
   * the shorter branch of each (the lower bound), this the fixed text with the longer one, for the same model.
   */
  tokensWithLongerBranches?: number;
  /**
   * Constants the prompt interpolates that its file imports from another module of the project (`${commonSecurityRules}`
   * from `./common`): their text, read from that module on disk (its saved version), is counted in place, and they are
   * not runtime values. `file` is relative to the document's folder; `line` is 0-based. `text` is the constant's text (an
   * included template's as written, its own tags in it): Analyze Prompt composes the prompt with it, as the lens counts it.
   */
  importedTexts?: Array<{ name: string; file: string; line: number; tokens: number; text: string; include?: true }>;
  /**
   * Templates a Jinja `{% include "x.j2" %}` tag names that are not counted in place (each tag stays a runtime value):
   * `missing`, no such file in the template's folder, the folders above it or a `FileSystemLoader` folder; `cycle`, a
   * template that includes itself; `depth`, includes nested too deep. (Counted ones are in `importedTexts`, with `include`.)
   */
  includesNotCounted?: Array<{ name: string; why: 'missing' | 'cycle' | 'depth' }>;
  /**
   * A module-level text that another file of the project imports and splices into a prompt of its own (nanobrowser's
   * `commonSecurityRules`, in navigator.ts's system prompt): that file (relative to the workspace folder) and the 1-based
   * line where it splices it. The prompt there counts this text in place; this lens is the piece alone.
   */
  splicedInto?: { file: string; line: number };
  /**
   * Set for a prompt composed in code from several pieces: each piece with its own count.
   * `cost` then counts the composed text (fragments in place of the interpolations they
   * fill, `+` pieces in source order, runtime values left out).
   */
  pieces?: PieceHint[];
  cost: CallCost;
  compare: CallCost[];
  contextWindow?: ContextWindowShare;
  /** cost.inputCostUsd × callsPerDay × 30, when there is a price. */
  monthlyCostUsd?: number;
  /** The prompt's model is shut down or deprecated (`ModelHint.lifecycle`): the hover warns that calls to it fail. */
  modelLifecycle?: ModelHint['lifecycle'];
  suggestions: PlacedSuggestion[];
}

/** A constant a document imports from another module of its project, with its text (src/shared/prompt/scanner/importedModules.ts). */
export interface ImportedConstant {
  /** The name the document uses. */
  name: string;
  text: string;
  /** The module's file, relative to the document's folder. */
  file: string;
  /** 0-based line of the constant in that file. */
  line: number;
  /**
   * Set for a template a Jinja `{% include "x.j2" %}` tag names (src/shared/prompt/scanner/jinjaIncludes.ts): `name` is
   * `include "x.j2"`, `text` the template as written (composed in place with its own tags), `line` 0. `missing`: no folder
   * searched holds it (`text` empty, `file` the name as written); `cycle`: the name is the document itself.
   */
  include?: 'found' | 'missing' | 'cycle';
}

/** What a hover on a model-name literal shows. */
export interface ModelHint {
  name: string;
  range: TextRange;
  /** `pricedAs`: the catalog model the price is from, when it is another model than `name` (`ModelPriceInfo.pricedAs`). */
  price?: { inputPerMTok: number; outputPerMTok: number; cachedInputPerMTok?: number; pricedAs?: string; source: PriceSource };
  priceError?: string;
  contextWindow?: { tokens: number; source: string };
  /** Cheaper models of similar quality, from the cost catalog, when one is known (never a retired or deprecated one). */
  cheaperAlternatives: Array<{ model: string; inputPerMTok: number; outputPerMTok: number; qualityNote: string }>;
  /**
   * Set when the model is retired (calls to it fail) or deprecated (a shutdown is announced), from the
   * sourced, dated list in src/shared/cost/data/retired-models.json or genai-prices' own flag.
   */
  lifecycle?: { status: 'retired' | 'deprecated'; reason: string; shutdownDate?: string; replacement?: string; source?: string };
}

export interface PromptHintsResult {
  prompts: PromptHint[];
  models: ModelHint[];
  /** Set when the document was not scanned, with the reason. */
  skipped?: string;
  elapsedMs: number;
  /** How many prompts were answered from the engine's cache (unchanged since the last version). */
  cachedPrompts: number;
  /**
   * The answer's id, unique to one engine process (`<process>.<n>`), set by the engine on `editor/promptHints` answers: the
   * editor names the answer it holds in the next request (`since`) and may then get a `PromptHintsDelta` against it.
   */
  id?: string;
  /**
   * The project modules the document's imports resolved to (paths relative to the document's folder), those that gave no
   * constant too (`String(process.env.RULES)`): the editor prices the document again when one of them changes on disk,
   * its watcher's event or not (breaker43's module that gets its text later; the watcher can miss an event).
   */
  modulesRead?: string[];
}

/**
 * An item of a delta that the editor already holds: `[index in the base answer's list, offset shift, line shift]`. The item
 * is the base's with every document position (`TextPosition`: offset + shift, line + shift, character unchanged; a
 * segment's `runs` source offsets + shift) moved, and a prompt's `index` its place in the new list. The engine sends one
 * only after checking that this gives the new item exactly (src/shared/hints/delta.ts).
 */
export type HintRef = [index: number, offsetShift: number, lineShift: number];

/**
 * An `editor/promptHints` answer given as changes to an answer the editor holds (the request's `since`): the prompts and
 * model names that did not change (their ranges may have moved) are `HintRef`s, the others whole. An editor that does
 * not hold `base` (any more) asks again without `since` and gets the whole answer.
 */
export interface PromptHintsDelta {
  /** The id of the answer the refs point into: the request's `since`. */
  base: string;
  /** The id of the whole answer this delta stands for. */
  id: string;
  prompts: Array<PromptHint | HintRef>;
  models: Array<ModelHint | HintRef>;
  skipped?: string;
  elapsedMs: number;
  cachedPrompts: number;
  modulesRead?: string[];
}

/** What `editor/promptHints` answers: the whole answer, or (with `since`) a delta against the answer the editor holds. */
export type PromptHintsAnswer = PromptHintsResult | PromptHintsDelta;

export const MAX_HINT_DOCUMENT_CHARS = 2_000_000;

/**
 * Another file of the project imports one of the document's names and sends it to a model
 * (src/shared/prompt/scanner/promptSends.ts): open-canvas's `reflection/index.ts` sends
 * `REFLECT_SYSTEM_PROMPT` from `reflection/prompts.ts` with claude-3-5-sonnet. A prompt bound to
 * `name` whose own code names no model is priced with it.
 */
export const ImportedSendSchema = z
  .object({
    /** The name the document binds and the other file imports. */
    name: z.string().regex(/^[A-Za-z_$][\w$]*$/).max(200),
    /** The importing file, relative to the workspace folder (for people). */
    file: z.string().min(1).max(600),
    /** The 1-based line of that file where it sends the name (or imports it). */
    line: z.number().int().min(1).max(100_000_000),
    /** The model that file sends it with, when it says: `call` (the call that sends it), `file` (the one model the file sets). */
    model: z.object({ name: z.string().trim().min(1).max(200), line: z.number().int().min(1).max(100_000_000), how: z.enum(['call', 'file']) }).strict().optional(),
    /** The provider of the sending call or of that file's one LLM SDK. */
    provider: z.string().trim().min(1).max(50).optional(),
    /** How many other files import and send the same name with another model (the first file by path is the one named). */
    others: z.number().int().min(0).max(100_000).optional(),
    /** A file that splices the name into one of its prompts (relative to the workspace folder), and the 1-based line: its literal is a piece of that prompt. */
    spliced: z.object({ file: z.string().min(1).max(600), line: z.number().int().min(1).max(100_000_000) }).strict().optional(),
  })
  .strict();
export type ImportedSend = z.infer<typeof ImportedSendSchema>;

/** Extension → engine: the names a file imports from its project's modules and what it sends them with (`ImportedSend` without the file). */
export const PromptSendsParamsSchema = z
  .object({
    text: z.string().max(2_000_000, 'The document is longer than 2000000 characters.'),
    languageId: z.string().min(1).max(100),
    fileName: z.string().max(4096).optional(),
  })
  .strict();
export type PromptSendsParams = z.input<typeof PromptSendsParamsSchema>;

/** A name one file imports from a module of its project, and what the file does with it (src/shared/prompt/scanner/promptSends.ts). */
export interface PromptSend {
  /** The module as written (`./prompts.js`, `.prompts`, `app.agents.prompts`). */
  module: string;
  /** The name the module exports. */
  name: string;
  /** The name in the importing file (an `as` alias), when another. */
  local?: string;
  /** The model the file sends it with, and how that was found (1-based line in the importing file). */
  model?: { name: string; line: number; how: 'call' | 'file' };
  /** The provider of the call that sends it, or of the file's one LLM SDK. */
  provider?: string;
  /** The 1-based line where the file sends it (or splices it into a prompt, or imports it, when no sending call was found). */
  line: number;
  /** The file writes it into one of its prompts (`${NAME}`, `{NAME}` in an f-string, an operand of the prompt's `+`). */
  spliced?: true;
}

export interface PromptSendsResult {
  sends: PromptSend[];
}

export const PromptHintsParamsSchema = z
  .object({
    text: z.string().max(MAX_HINT_DOCUMENT_CHARS, `The document is longer than ${MAX_HINT_DOCUMENT_CHARS} characters.`),
    languageId: z.string().min(1).max(100),
    fileName: z.string().max(4096).optional(),
    defaultModel: z.string().trim().min(1).max(200),
    /** Default model per provider (`anthropic` → `claude-…`), for prompts whose call names no model; missing providers use the built-in defaults. */
    defaultModels: z
      .record(z.string().trim().min(1).max(50), z.string().trim().min(1).max(200))
      .refine((r) => Object.keys(r).length <= 50, 'At most 50 providers in defaultModels.')
      .optional(),
    compareModels: z.array(z.string().trim().min(1).max(200)).max(20).default([]),
    callsPerDay: z.number().finite().min(0).max(1e9).default(1000),
    /**
     * The one LLM provider whose SDK the project's manifest lists (`@ai-sdk/anthropic` in
     * package.json), and where that was read: the model of a prompt whose file shows no
     * provider (its call, its SDK import) is that provider's default, not `defaultModel`.
     * `several` (no `provider`): the manifest lists several providers' SDKs; the hover says so. `optional` (no `provider`):
     * it lists providers' SDKs only as optional extras or development groups, alternatives none of which decides.
     */
    projectProvider: z
      .object({ provider: z.string().trim().min(1).max(50).optional(), from: z.string().max(300), several: z.literal(true).optional(), optional: z.literal(true).optional() })
      .strict()
      .refine((p) => (p.provider === undefined) === (p.several === true || p.optional === true) && !(p.several && p.optional), { message: 'projectProvider names one provider, or says several, or optional extras only' })
      .optional(),
    /** The model the project's config file names (`gpt-4-turbo` from `config/config2.yaml llm.model`): prompts whose code names no model use it. */
    projectModel: z
      .object({ model: z.string().trim().min(1).max(200), from: z.string().max(600) })
      .strict()
      .optional(),
    /**
     * The document's Python classes that its project's web routes take or return and that no file passes to a model
     * (src/shared/prompt/scanner/projectSchemas.ts): their `Field(description=…)` is API documentation, not a prompt.
     * Left out until the editor has indexed the project: the document is then judged alone.
     */
    webOnlyClasses: z.array(z.string().regex(/^\w+$/).max(200)).max(5000).optional(),
    /** What other files of the project send the document's names with (`ImportedSend`), one per name; left out until the editor has looked. */
    importedSends: z.array(ImportedSendSchema).max(5000).optional(),
    /** Skip the analyzer (diagnostics) when the caller only needs counts. */
    withSuggestions: z.boolean().default(true),
    /** The document's URI: the engine keeps its last version and re-scans only what an edit changed (without it, `fileName` is the key). */
    uri: z.string().min(1).max(4096).optional(),
    /** The document's version, sent with `uri`. */
    version: z.number().int().optional(),
    /**
     * The id of the answer for this `uri` that the editor holds (`PromptHintsResult.id`): the engine may answer with a
     * `PromptHintsDelta` against it. Unknown to the engine (restarted, forgotten): the whole answer.
     */
    since: z.string().min(1).max(100).optional(),
  })
  .strict();
export type PromptHintsParams = z.input<typeof PromptHintsParamsSchema>;

/**
 * What a language module tells the judge (evidence.ts) about a literal: where it sits, as a
 * `LiteralContext` (code.ts and context.ts for Python and TypeScript/JavaScript, documents.ts
 * for YAML, JSON, Markdown and prompt files), and the judge's answer, a `Judgement`. In a file
 * of their own so that the language modules need not import the judge to describe a literal.
 */
import type { Evidence, PromptKind, StripKind } from '../../../protocol/scan';

export interface ModelRef {
  name: string;
  start: number;
  end: number;
  /** How a model not written in the call was found (`MODEL`, `self.config.model`): see models.ts. */
  via?: string;
  /** The host its model object sends to (`BedrockModel(…)`: providers.ts `hostOfCallee`). */
  host?: string;
}

export interface LiteralContext {
  /** Keyword arguments, properties or dict/YAML/JSON keys whose value holds the literal, nearest first. */
  keys: string[];
  /** Variable, constant, attribute or function (for a returned literal) the literal is bound to. */
  boundName?: string;
  /** Callee text of the nearest call whose arguments contain the literal, and the other calls around it. */
  callees: string[];
  /** Where each call of `callees` starts (source offset), in the same order: the call a prompt is sent in (`PromptLocation.sentIn`). */
  calleeAt?: number[];
  /** Position among the nearest call's positional arguments (when passed directly). */
  argIndex?: number;
  /** True when the literal is directly an argument of the nearest call (not inside a dict or list). */
  direct?: boolean;
  /** The `role` sibling in the same message dict/object, or the role of a `("system", "...")` tuple. */
  role?: string;
  /** Identity of the list of messages the literal's message is in, and its index, for few-shot detection. */
  messageList?: { id: number; index: number };
  /** Name the message list is bound to (`example_messages`), for few-shot detection. */
  listName?: string;
  /** A piece of a `+` chain mixing literals with runtime values. */
  composed?: boolean;
  /** The variables a composed prompt concatenates (`user_prompt + "…"`). */
  composedWith?: string[];
  /** The first operand of a `+` chain when it is a variable of the same function assigned once, before, and used only there (joined.ts). */
  chainHead?: string;
  /** Otherwise, the variable the `+` chain starts with, which build.ts makes a piece when it is a module constant assigned once. */
  constantHead?: string;
  /**
   * Every operand of a `+` chain that is not a literal, in order: as written (for naming runtime values), its name when it
   * is a bare variable that is no parameter of the function around (a module constant may fill it: build.ts), its offset.
   */
  chainValues?: Array<{ written: string; name?: string; at: number }>;
  /** The agent whose run this literal is the input of, when the callee's receiver is a variable bound to an agent (`agentRunOf`). */
  agentRun?: string;
  /** The callee of the agent run that the variable this literal is bound to is passed to (`Runner.run(agent, user_message)`). */
  sentTo?: string;
  /** The role of the message whose content is the variable this literal is bound to (`{"role": "user", "content": grading}`). */
  sentAsContent?: string;
  /** The function in which that variable is bound, when `sentAsContent` is set (`claudeSonnetLazyApplyPrompt`). */
  sentAsContentIn?: string;
  /**
   * Set with `sentAsContent` when the same function sends the variable itself as the message's content, or as its text
   * part (context.ts `noteLocalMessageContent`): the literal is the whole message, so a short one is still a prompt, as
   * a literal written in the message is (smolagents' `content = [{"type": "text", "text": f"New task:\n{self.task}"}]`).
   */
  wholeLocalMessage?: true;
  /** The prompt-named value that the name this literal is bound to (or returned by) is joined to with `+` (fileNames.ts `splicedNames`). */
  splicedInto?: string;
  /** Another file of the project that imports the name this module-level literal is bound to and splices it into a prompt (`FindPromptsOptions.splicedElsewhere`). */
  splicedElsewhere?: string;
  /**
   * The function that returns this literal, when a template literal of the file interpolates its result
   * (`${formatUserPrompt(…)}`): `fileNames.ts` `noteInterpolated`.
   */
  interpolatedInto?: string;
  /** Bound at the top level of the file (a module constant), not inside a function. */
  topLevel?: boolean;
  /** The extent of the function the literal is in (the innermost one), for names local to it. */
  scope?: { from: number; to: number };
  /**
   * The extent of the innermost branch or loop statement inside that function that holds the literal
   * (`if`, `for`, `while`, `try`, `switch`): a fragment assigned there may not be set
   * when a prompt outside it is sent.
   */
  conditional?: { from: number; to: number };
  /** The literal is a branch of a ternary (ternary.ts): chosen always or never by a constant of the file, or at run time. */
  ternary?: TernaryChoice;
  /** Keys beside the literal in its nearest dict, object, keyword arguments or YAML/JSON map. */
  siblingKeys?: string[];
  /** Those of `siblingKeys` whose value is a string literal (`tools: "Tools"` in a table of UI labels is no tool list). */
  textKeys?: readonly string[];
  /** The string value of a `type` key beside the literal (`"type": "patch"`), when it has one. */
  typeText?: string;
  /** Tool evidence found by the language module: a registered tool's docstring, a zod `.describe()`, a tool class attribute. */
  tool?: string;
  /** The prompt class the literal is the text of (`TextPrompt("…")`), a transparent wrapper like `dedent`. */
  promptClass?: string;
  /** A string attribute of a class of prompts (`class EditBlockPrompts`) or the return of an `@agent.instructions` function. */
  promptHolder?: string;
  /** A top-level block scalar of a YAML file named for its prompts: the file's name (documents.ts, build.ts). */
  promptFile?: string;
  model?: ModelRef;
  /** The provider of the call a prompt variable is passed to, when models.ts found one. */
  provider?: string;
  /** Contexts that rule a literal out or count against it. */
  negatives: Array<'docstring' | 'bareExpression' | 'log' | 'raise' | 'assert' | 'comparison' | 'taggedTemplate' | 'separator' | 'typePosition' | 'subscript' | 'ui' | 'asked' | 'test' | 'returnType' | 'settings' | 'dataModel' | 'webModel' | 'toolResult' | 'client' | 'webRecord' | 'printfArgument' | 'localeExample' | 'replacedText' | 'uiCatalog' | 'chatDisplay'>;
  /**
   * The Python class whose `Field(description=…)` the literal is, when the file neither passes that class to a model
   * nor rules it out: `findPrompts` looks it up in the project's web-only classes (projectSchemas.ts).
   */
  fieldClass?: string;
  /**
   * The Python class whose `Field(description=…)` or docstring the literal is, when it is sent as part of that class's
   * schema (a tool's description): where the file passes the class to a call (`response_format=DocsAnalysis`) gives its
   * model and its request (modelCandidates.ts).
   */
  schemaClass?: string;
  /** Names of the imports of the file (`openai`, `langchain_core.prompts`, `@ai-sdk/openai`). */
  imports: ReadonlySet<string>;
  /** The literal goes through an indentation stripper before it is sent (`` stripIndents`…` ``, `textwrap.dedent("""…""")`). */
  dedent?: DedentKind;
  /** The literal's ends are stripped before it is sent, after any `dedent` (`"""…""".strip()`, `` `…`.trim() ``). */
  strip?: StripKind;
}

/** How a ternary's branch is chosen (ternary.ts). */
export type TernaryChoice = 'always' | 'never' | 'runtime';

/** Indentation strippers whose output is counted instead of the literal as written (src/shared/hints/composed.ts). */
export type DedentKind = 'stripIndents' | 'stripIndent' | 'textwrap.dedent' | 'inspect.cleandoc' | 'dedent';

export interface Judgement {
  score: number;
  kind: PromptKind;
  api?: string;
  /** The index in `context.callees` of the LLM call that `api` was recognised from, when it was one of them. */
  apiCallee?: number;
  evidence: Evidence[];
  confidence: number;
}

/**
 * Result types of finding prompts in source files (`prompt/scan` and the editor features
 * built on it). A prompt is a string literal (or a whole prompt file, or a Markdown
 * block) that the engine judged, from evidence, to be text sent to an LLM. Ranges are
 * exact so the editor can put code lenses and diagnostics on them and rewrite a literal's
 * content while keeping the host language valid (see `LiteralQuoting`).
 */
import { z } from 'zod';

/** A position in a document: a UTF-16 offset plus 0-based line and character, as VS Code counts them. */
export interface TextPosition {
  offset: number;
  line: number;
  character: number;
}

/** End exclusive. */
export interface TextRange {
  start: TextPosition;
  end: TextPosition;
}

/** `tool`: a tool, function or parameter description sent to the model with a tool schema. */
export type PromptKind = 'system' | 'user' | 'assistant' | 'template' | 'fewShot' | 'tool';

export type PlaceholderSyntax =
  /** Python f-string or `str.format` field: `{name}`, `{obj.attr!r:>10}`. */
  | 'brace'
  /** Mustache / Handlebars / Jinja expression: `{{ name }}`. */
  | 'mustache'
  /** Jinja statement: `{% for x in y %}`. */
  | 'jinjaBlock'
  /** JavaScript template literal interpolation: `${name}`. */
  | 'dollarBrace'
  /** printf-style mapping key: `%(name)s`. */
  | 'percent';

export interface Placeholder {
  /** The expression or name inside the delimiters, trimmed. */
  name: string;
  syntax: PlaceholderSyntax;
  /** Offsets into the decoded `text`, end exclusive. */
  start: number;
  end: number;
  /** True when the host language interpolates it (f-string, template literal); false for format/template fields resolved later. */
  interpolated: boolean;
}

export type HostLanguage = 'python' | 'javascript' | 'yaml' | 'json' | 'markdown' | 'promptFile';

/**
 * How a literal is written, which is what re-encoding replacement text needs. `style`
 * names the literal form in its language.
 */
/** A method that strips a string's ends (Python's whitespace for `strip`, JavaScript's for `trim`). */
export type StripKind = 'strip' | 'lstrip' | 'rstrip' | 'trim' | 'trimStart' | 'trimEnd';

export interface LiteralQuoting {
  language: HostLanguage;
  style:
    | 'string' // Python or JavaScript quoted string
    | 'template' // JavaScript template literal
    | 'yamlPlain'
    | 'yamlSingle'
    | 'yamlDouble'
    | 'yamlBlockLiteral'
    | 'yamlBlockFolded'
    | 'jsonString'
    | 'markdownFence'
    | 'markdownText'
    | 'file';
  /** The quote character(s) for quoted strings: `'`, `"`, `` ` ``. */
  quote?: string;
  /** Python triple-quoted string. */
  triple?: boolean;
  /** Python string prefix as written (`f`, `rb`, `Rf`…), empty when none. */
  prefix?: string;
  raw?: boolean;
  /** Python f-string (interpolations are kept in `text` as `{expr}`). */
  formatted?: boolean;
  /**
   * The interpolations of an f-string or template literal as they appear in `text`
   * (`{name}`, `${user.id}`). Re-encoding keeps these as live interpolations and escapes
   * any other brace, so a rewrite can never introduce a reference to an unknown variable.
   */
  interpolations?: string[];
  /** YAML block scalars and Markdown fences: the indentation every content line carries. */
  indent?: string;
  /**
   * YAML block scalars whose header gives the indentation (`|2`, `>-2`): the first content line may start with
   * spaces of its own (beyond `indent`), which a header without the indicator would take as the indentation.
   */
  indentIndicator?: number;
  /** Markdown fences: the fence marker (```` ``` ````, `~~~`…). */
  fence?: string;
  /** Markdown fences: the rest of the opening fence line as written (its info string, ` prompt`). */
  info?: string;
  /**
   * Prompt files: the template engine the file's name says renders it (`jinja` for `.j2`, `.jinja`, `.jinja2`), whose only
   * fields are its tags (`{{ }}`, `{% %}`): a single-brace `{i}` in it is text (an example of code), never a runtime value.
   */
  engine?: 'jinja';
}

/**
 * One literal of a prompt. A prompt made of several adjacent literals (Python's
 * `("a" "b")`, JavaScript's `'a' + 'b'`) has one segment per literal.
 */
export interface LiteralSegment {
  range: TextRange;
  contentRange: TextRange;
  quoting: LiteralQuoting;
  /** Where this segment's decoded text starts in the prompt's `text`. */
  textStart: number;
  /**
   * Maps decoded text back to source: runs `[textOffset, sourceOffset, length]` in which
   * decoded and source characters correspond one to one; text between runs came from an
   * escape sequence (see `sourceOffsetOf`).
   */
  runs: Array<[number, number, number]>;
}

/**
 * One literal of a prompt composed in code (`prompt = "a" + x + "b"`, `"\n".join([...])`,
 * `` `…${fragment}…` `` where `fragment` holds prompt text). Unlike segments, pieces are
 * separated by code, so each is rewritten on its own.
 */
export interface PromptPiece {
  range: TextRange;
  contentRange: TextRange;
  /** The piece's decoded text. */
  text: string;
  /**
   * Set on a fragment taken in from a variable (`categoriesContext = \`…\``): the variable's
   * name, which another piece interpolates (`${categoriesContext}`). The composed prompt has
   * the fragment's text in place of that interpolation.
   */
  fills?: string;
  /**
   * Set on the literal of a module constant that starts a `+` chain (`COMMON_PROMPT + """…"""`): counted in
   * place, but a prompt of its own as well, so the lens and the span (`promptSpan`) stay on the other pieces.
   */
  shared?: true;
  quoting: LiteralQuoting;
  segments: LiteralSegment[];
}

export type EvidenceKind = 'api' | 'argument' | 'name' | 'role' | 'shape' | 'file' | 'negative';

export interface Evidence {
  kind: EvidenceKind;
  /** What was seen, for people: `passed as system= to client.messages.create (Anthropic)`. */
  detail: string;
  /** Contribution to the score (negative for evidence against). */
  weight: number;
}

/** The elements of a joined list (`PromptLocation.joined`): a piece's index in `pieces`, or a runtime value as written. */
export type JoinedElements = Array<{ piece: number; dedent?: 'stripIndents' | 'stripIndent' | 'dedent' | 'inspect.cleandoc'; choice?: number } | { value: string; spread?: true }>;

export interface PromptLocation {
  /** The whole literal, quotes and prefix included (all segments for a concatenation). */
  range: TextRange;
  /** The literal's content between its quotes (for several segments: from the first content start to the last content end). */
  contentRange: TextRange;
  kind: PromptKind;
  /** The decoded text: escapes resolved, interpolations kept as placeholders. */
  text: string;
  placeholders: Placeholder[];
  /** Quoting of the first (usually only) segment. */
  quoting: LiteralQuoting;
  segments: LiteralSegment[];
  /**
   * Set when a literal of the prompt is not closed in the source (a closing quote or an
   * interpolation's closing brace not typed yet): the parser reads the code after it as its
   * text, so `text` is not the prompt. Nothing counts, prices, analyzes or rewrites it until
   * the literal is closed.
   */
  unterminated?: true;
  /**
   * Set when the prompt is composed in code from several literals: every piece in source
   * order, this location's own literal (`range`, `text`, `segments`) among them. Token counts
   * of the whole prompt are the sum over the pieces (runtime values excluded).
   */
  pieces?: PromptPiece[];
  /**
   * Set on a single literal joined with `+` to values known only at run time
   * (`prompt + "\n\nQuestion: " + question`): those operands as written, before and after it.
   * They are runtime values: the prompt's count is a lower bound.
   */
  runtimeOperands?: { before: string[]; after: string[] };
  /**
   * Set on a prompt written as a list of lines joined into one string (`"\n".join(["…", x])`,
   * `` [`…`, "…"].join("\n") ``): the separator, and every element of the list in order, as the
   * index of its piece in `pieces` (0 for this location's own literal when there are no pieces)
   * or as the code of a runtime value (`spread` for `*xs` / `...xs`, which may add no line); `dedent` when the
   * piece is a `` dedent`…` `` / `` stripIndent(s)`…` `` template, whose indentation the model does not get; pieces with
   * the same `choice` stand side by side and are alternatives, one of which is sent (the branches of an `if`).
   */
  joined?: {
    separator: string;
    elements: JoinedElements;
    /**
     * Lists of the same function joined inside an interpolation of one of the pieces (`` `<actions>\n${actionSections.join('\n\n')}\n</actions>` ``,
     * node-DeepResearch's system prompt): each counted in place of the interpolation written `value` (as written between
     * `${` and `}` or `{` and `}`), with its own separator and elements, whose pieces are pieces of this prompt too.
     */
    splices?: Array<{ value: string; separator: string; elements: JoinedElements }>;
  };
  /** The LLM API the literal is passed to, when one was recognised: `OpenAI`, `Anthropic`, `LangChain`… */
  api?: string;
  /**
   * Where the literal goes out, as positions in the document: the LLM call it is written in (`call`, the call's start)
   * and the literal list of messages it is an item of (`list`, the list's start). Prompts that share either go
   * out in one request (`requestOf`, src/shared/hints/request.ts): a system and a user message of one `messages` list, an
   * Anthropic `system=` and the `messages=` of the same call, a tool's description in its `tools=`.
   */
  sentIn?: {
    call?: TextPosition;
    list?: TextPosition;
    /**
     * The other requests it goes out in, when its name is sent by several calls (multiCAD-MCP's cli_agent.py sends
     * `SYSTEM_PROMPT` to Claude and, in a message of a `messages` list, to MiniMax), in the order of its uses: each a
     * request of its own (`requestsOf`), priced once per call; `call`/`list` above are the first. At most 8.
     */
    also?: Array<{ call?: TextPosition; list?: TextPosition }>;
  };
  /** The name the literal is bound to (`SYSTEM_PROMPT`, `system=`, a YAML key path). */
  boundName?: string;
  /**
   * The model named in the same call or document (`model="gpt-4o"`), with the range of its
   * literal. `via` is set when the call names it through an expression (`model=MODEL`,
   * `self.config.model`, an environment default) resolved in the same file.
   */
  model?: { name: string; range: TextRange; via?: string };
  /** The provider the prompt is sent to (`anthropic`, `openai`, `google`…), from the call, the model or the file's SDK import. */
  provider?: string;
  /**
   * `mcpClient`: a text an MCP server gives its clients (a tool's description, the server's instructions): the model of
   * the MCP client reads it, which the server does not choose, so neither the server's own model nor its SDK prices it.
   */
  readBy?: 'mcpClient';
  /**
   * The literal goes through an indentation stripper before it is sent: common-tags'
   * `` stripIndents`…` `` / `` stripIndent`…` ``, the `` dedent`…` `` tag (the npm package dedent, or
   * an app's own of that name) or Python's `textwrap.dedent("""…""")`; `inspect.cleandoc` for the docstring of a
   * DSPy signature, which DSPy sends cleaned (its `instructions`). Token counts are of the stripped text, as the model gets it.
   */
  dedent?: 'stripIndents' | 'stripIndent' | 'textwrap.dedent' | 'inspect.cleandoc' | 'dedent';
  /**
   * The literal's ends are stripped before it is sent, after any `dedent`: Python's `"""…""".strip()` (also
   * `lstrip`/`rstrip`, on `textwrap.dedent(…)` too), JavaScript's `` `…`.trim() `` (`trimStart`/`trimEnd`). Counted stripped.
   */
  strip?: StripKind;
  evidence: Evidence[];
  /** 0-1, from the evidence score. */
  confidence: number;
}

/**
 * Where a prompt is in its file: for a composed prompt, from its first piece to its last (its
 * `range` is one piece, the longest literal, which need not be the first: a joined list's third
 * line), else its range. The editor's lens stands on `start`, and `prompt scan` prints these
 * lines, so that both name the same line.
 */
export function promptSpan(location: Pick<PromptLocation, 'range' | 'pieces'>): TextRange {
  let { start, end } = location.range;
  for (const p of location.pieces ?? []) {
    if (p.shared) continue;
    if (p.range.start.offset < start.offset) start = p.range.start;
    if (p.range.end.offset > end.offset) end = p.range.end;
  }
  return { start, end };
}

export interface FileScanResult {
  /** The path as given or found (relative to the scan root when a directory was scanned). */
  file: string;
  languageId: string;
  prompts: PromptLocation[];
  /** Set when the file was skipped (binary, too large, unreadable, unknown language). */
  skipped?: string;
  elapsedMs: number;
}

/** One prompt in the compact report of `prompt/scan` and `pepperpy-opt prompt scan`. */
export interface ScanSummaryItem {
  file: string;
  /** 1-based, inclusive, for people; a composed prompt's run from its first piece (where the lens stands) to its last (`promptSpan`). */
  startLine: number;
  endLine: number;
  kind: PromptKind;
  /** Tokens of the prompt's fixed text (composed pieces in place, runtime values left out), as the editor's lens counts it. */
  tokens: number;
  tokenMethod: 'exact' | 'estimate';
  /** True when runtime values are left out of `tokens`: the prompt sent is at least that long. */
  tokensAtLeast?: true;
  /** The expressions substituted at run time, in order, without repeats. */
  runtimeValues?: string[];
  /** The count with the longer branch of each interpolation that chooses between literals (`tokens` has the shorter). */
  tokensWithLongerBranches?: number;
  /** The prompt's literal is not closed (the file has a syntax error there): `tokens` is 0, its text runs into the code after it. */
  unterminated?: true;
  model: string;
  api?: string;
  boundName?: string;
  /** A module constant that another scanned file splices into a prompt of its own: that file (the scan's path for it). */
  splicedInto?: string;
  /** Constants imported from other modules of the project and counted in place (`PromptHint.importedTexts`): name, file relative to the prompt's file, 1-based line. */
  importedTexts?: Array<{ name: string; file: string; line: number }>;
  confidence: number;
  preview: string;
}

export interface PromptScanResult {
  files: FileScanResult[];
  filesScanned: number;
  filesSkipped: number;
  promptCount: number;
  elapsedMs: number;
}

/** Largest text accepted by a `prompt/scan` request for one document (characters). */
export const MAX_SCAN_CHARS = 5_000_000;

export const PromptScanParamsSchema = z
  .object({
    /** A document's text; with `languageId` and `fileName`, scans one open document. */
    text: z.string().max(MAX_SCAN_CHARS, `The document is longer than ${MAX_SCAN_CHARS} characters.`).optional(),
    languageId: z.string().min(1).max(100).optional(),
    fileName: z.string().max(4096).optional(),
    /** Files or folders to scan on disk (recursive). */
    paths: z.array(z.string().min(1).max(4096)).max(1000).optional(),
    /** Minimum confidence to report (default: the scanner's threshold). */
    minConfidence: z.number().min(0).max(1).optional(),
  })
  .strict()
  .refine((p) => p.text !== undefined || (p.paths !== undefined && p.paths.length > 0), { message: 'Give either text (with languageId or fileName) or paths.' });
export type PromptScanParams = z.infer<typeof PromptScanParamsSchema>;

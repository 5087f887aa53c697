/**
 * `{name}` in a JavaScript template literal. The language substitutes only `${…}`: a `{name}`
 * is sent as written (an inline JSX example, `<LineChart data={data}>` in llamacoder's prompt)
 * unless the literal is evidently a format template for a library or helper that fills
 * `{name}` later: LangChain.js/LlamaIndex templates (`PromptTemplate.fromTemplate`,
 * `ChatPromptTemplate.fromMessages`), a `.replace('{name}', …)` or `/\{name\}/` elsewhere in
 * the file, or the literal's variable handed to a `format…`/`fill…`/`render…` call or
 * `.format(…)`/`.invoke(…)`, or a prompt-named export of a file that imports LangChain. Python `.format` strings, f-strings and quoted JavaScript strings
 * are not decided here (their `{name}` stays a field). A `{{NAME}}` in JavaScript is decided the
 * same way when the prompt's values are `${…}` substitutions (`mustacheIsFilled`), and a `{{name}}`
 * of a Python literal full of single braces (an example of code) when nothing renders it (`codeMustaches`) or that
 * `str.format` fills (`formatEscapes`: an escaped `{name}`); an f-string's escaped `{name}` is text when the f-string goes
 * straight to a chat API (`fStringSent`) or holds a brace that no formatter takes (`fStringNoTemplate`).
 */
import type { LiteralQuoting, Placeholder } from '../../../protocol/scan';

/** APIs and callees that fill `{name}` fields of the text they are given. */
const TEMPLATE_API = /PromptTemplate|fromTemplate|from_template|fromMessages|from_messages|^LangChain$|^LlamaIndex$/;

/** True for a JavaScript template literal, whose `{name}` is text unless there is evidence. */
export function bracesAreText(quoting: LiteralQuoting): boolean {
  return quoting.language === 'javascript' && quoting.style === 'template';
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface FieldEvidence {
  /** The file's text. */
  source: string;
  /** The variable that holds the literal (`systemPrompt`, `this.prompts.title`), if any. */
  boundName?: string;
  /** The API the literal is passed to and the calls around it. */
  apis: readonly string[];
  /**
   * The prompt (or the composition it is a piece of) substitutes `${…}` in JavaScript: its values are filled by the
   * language, so a `{{NAME}}` beside them is a marker sent as written (continue's hole filler: `${prefix}{{FILL_HERE}}${suffix}`)
   * unless the file renders it.
   */
  jsInterpolates?: boolean;
  /** The modules the file imports (`@langchain/core/messages`). */
  imports?: ReadonlySet<string>;
  /** Where the literal ends in `source` (a `.format(` right after it fills it: `"""…""".format(…)`), when known. */
  literalEnd?: number;
  /** Where the language's own substitutions (`{user}` of an f-string, `${x}`) lie in the prompt's text, when known. */
  interpolated?: ReadonlyArray<{ start: number; end: number }>;
}

/** A template engine or a renderer in the file: `{{name}}` may be filled. */
const MUSTACHE_RENDERER = /\b(?:handlebars|Handlebars|mustache|Mustache|nunjucks|liquidjs|Hogan)\b|\b(?:compile|render|renderString|renderTemplate|fillTemplate|interpolate)\s*\(/;

/**
 * A hand-written renderer of every tag: a regular expression for any `{{…}}` (Flowise's `template.replace(/{{(.*?)}}/g, …)`,
 * `/\{\{\s*(\w+)\s*\}\}/g`), or a tag built from a key (Flowise's `.replace(`{{${queryPrefix}}}`, query)`, `"{{" + key + "}}"`).
 */
const ANY_TAG_RENDERER = /\\?\{\\?\{(?:\\s[*+?]?|\s)*(?:\(|\[|\\w|\.\*)|\{\{\$\{|(['"`])\{\{\1\s*\+/;

/** Whether something in the file fills `{{field}}`: a renderer, or the tag as its own string or expression. */
export function mustacheIsFilled(field: string, e: FieldEvidence): boolean {
  if (e.apis.some((a) => TEMPLATE_API.test(a)) || MUSTACHE_RENDERER.test(e.source) || ANY_TAG_RENDERER.test(e.source)) return true;
  const name = escapeRegExp(field.trim());
  // The tag as a string of its own, an argument or a value (`.replace('{{FILL_HERE}}', …)`), not quoted inside prose
  // ("formatted as '{{HOLE_NAME}}'"), or in a regular expression (`/\{\{FILL_HERE\}\}/`, or unescaped as continue's
  // `.replace(/{{prefix}}/g, …)`).
  const own = new RegExp(`[(,[=:]\\s*(['"\`])\\{\\{\\s*${name}\\s*\\}\\}\\1|\\\\\\{\\\\\\{\\s*${name}|[(,=]\\s*\\/\\{\\{\\s*${name}\\s*\\}\\}\\/`);
  return own.test(e.source);
}

/** LangChain among a JavaScript file's imports: `@langchain/core/prompts`, `langchain`, `langchain/chains`. */
const LANGCHAIN_IMPORT = /^(?:@langchain\/|langchain(?:\/|$))/;

/**
 * Whether the literal is a LangChain template filled in another file: the file imports LangChain and exports the literal
 * under a prompt's name (Perplexica's legacy prompts/webSearch.ts: `export const webSearchResponsePrompt = \`…{context}…
 * {date}…\``, handed to `ChatPromptTemplate.fromMessages` by search/metaSearchAgent.ts). A single brace that is no field
 * (a JSON example, `{"query": "…"}`, or code) says the text is no such template: LangChain's f-string format rejects it
 * unless doubled (`{{`), so such a literal is sent as written. A module of prompts that imports nothing at all is read the
 * same way (open-canvas's `prompts.ts` files, filled by `.replace("{reflections}", …)` in the files that import them).
 */
function exportedLangChainTemplate(e: FieldEvidence, text: string | undefined): boolean {
  // (A module of prompts that imports nothing hands its exports to the files that fill them: open-canvas's
  // reflection/prompts.ts, whose `{artifact}` and `{reflections}` reflection/index.ts fills with `.replace`; newuser35.)
  if (text === undefined || !e.imports || (e.imports.size > 0 && ![...e.imports].some((m) => LANGCHAIN_IMPORT.test(m)))) return false;
  if (e.imports.size === 0 && /\bimport\b|\brequire\s*\(/.test(e.source)) return false;
  const bound = e.boundName;
  if (!bound || !/^[A-Za-z_$][\w$]*$/.test(bound) || !/prompt|template/i.test(bound)) return false;
  const name = escapeRegExp(bound);
  const exported = new RegExp(`\\bexport\\s+(?:const|let|var)\\s+${name}(?![\\w$])|\\bexport\\s*\\{[^}]*(?<![\\w$.])${name}(?![\\w$])[^}]*\\}|\\bexports\\.${name}\\s*=`);
  if (!exported.test(e.source)) return false;
  // (A field after `=` is a JSX attribute of an example, `<LineChart data={data} />`: text. So is one after a LaTeX command
  // or another argument, `\frac{df}{dx}`: paloma's String.raw system prompt shows TeX, and its `{df}` was a runtime value.)
  const rest = text.replace(/\$\{[^{}]*\}/g, '').replace(/\{\{|\}\}/g, '').replace(/(?<!=\s*)(?<!\\[A-Za-z]+|\})\{[A-Za-z_]\w*\}/g, '');
  return !/[{}]/.test(rest);
}

/** Whether something in the file fills the `{field}` of the literal described by `e` (`text`: the literal's text). */
export function fieldIsFilled(field: string, e: FieldEvidence, text?: string): boolean {
  if (e.apis.some((a) => TEMPLATE_API.test(a))) return true;
  if (exportedLangChainTemplate(e, text)) return true;
  const written = `{${field}}`;
  // The field as its own string or regular expression: `.replace('{data}', …)`, `.replaceAll("{data}", …)`, `/\{data\}/g`.
  for (const q of ["'", '"', '`']) if (e.source.includes(`${q}${written}${q}`)) return true;
  if (e.source.includes(`\\{${field}\\}`) || e.source.includes(`(/${written}/`)) return true;
  return variableFormatted(e);
}

/**
 * Whether something in the file fills a `${name}` marker written as text (an escaped `\${name}` in a template literal): a
 * template API, the marker as its own string (`.replace("${name}", …)`), or a replacement of any such marker built from a
 * key or matched by a regular expression (node-DeepResearch's `text.replace(`\${${paramKey}}`, …)`, `/\$\{(\w+)\}/g`).
 */
export function dollarMarkerFilled(field: string, e: FieldEvidence): boolean {
  if (e.apis.some((a) => TEMPLATE_API.test(a))) return true;
  const written = `\${${field}}`;
  if (e.source.includes(`'${written}'`) || e.source.includes(`"${written}"`)) return true;
  // (A regular expression literal opening with the marker; not the escape itself, which the prompt's own text holds.)
  return /(?:^|[(,=:\s])\/\\\$\\?\{|`\\\$\{\$\{|(['"])\$\{\1\s*\+/m.test(e.source);
}

/** Whether the literal's variable is formatted or rendered in the file (see `fieldIsFilled`). */
function variableFormatted(e: FieldEvidence): boolean {
  const bound = e.boundName?.slice(e.boundName.lastIndexOf('.') + 1);
  if (!bound || !/^[A-Za-z_$][\w$]*$/.test(bound)) return false;
  const name = escapeRegExp(bound);
  // The literal's variable formatted: `prompt.format({ data })`, `fillTemplate(PROMPT, vars)`, `PromptTemplate.fromTemplate(PROMPT)`.
  const formatted = new RegExp(`(?<![\\w$])${name}\\s*\\.\\s*(?:format\\w*|invoke|partial)\\s*\\(|(?:format|fill|render|interpolate|template|compile)\\w*\\s*\\(\\s*(?:[\\w$.]+\\s*,\\s*)?${name}(?![\\w$])`, 'i');
  return formatted.test(e.source);
}

/** A template engine in a Python file, or the literal's variable handed to one: `{{name}}` may be rendered. */
export const PYTHON_RENDERER = /\b(?:jinja2|Jinja|Environment|Template|chevron|pystache|render_template\w*|from_template|PromptTemplate|template_format)\b|\.render\(\s*[^)\s]/;

/**
 * Whether the `{{…}}` of a Python literal (not an f-string) are text of an example of code: the literal is full of single
 * braces (JSON, CSS, JS: MetaGPT's CODE_REVIEW_CONTEXT shows a Vue page with `{{ score }}`), so it is no `str.format`
 * template (a single brace would break it), and nothing in the file renders it with a template engine.
 */
function codeMustaches(placeholders: readonly Placeholder[], text: string, e: FieldEvidence): boolean {
  if (placeholders.some((p) => p.syntax === 'jinjaBlock' || p.syntax === 'brace' || p.syntax === 'percent')) return false;
  let single = 0;
  for (let i = text.indexOf('{'); i >= 0; i = text.indexOf('{', i + 1)) {
    if (text[i + 1] === '{' || text[i + 1] === '%') i++;
    else if (text[i - 1] !== '$') single++;
  }
  const tags = placeholders.filter((p) => p.syntax === 'mustache').length;
  if (single < 3 || single < tags || e.apis.some((a) => TEMPLATE_API.test(a)) || PYTHON_RENDERER.test(e.source)) return false;
  return !variableFormatted(e);
}

/**
 * Whether the `{{…}}` of a Python literal (not an f-string) are `str.format` escapes: the literal's variable is filled with
 * `NAME.format(…)`/`NAME.format_map(…)` in the file, so `{{name}}` is sent as the text `{name}` (`TEMPLATE.format(user=user)`
 * with "Keep the keys {{name}} and {{age}}": a field there would be a KeyError). Not when a template engine could render
 * it (a Jinja block, a renderer or a LangChain template in the file).
 */
function formatEscapes(placeholders: readonly Placeholder[], e: FieldEvidence): boolean {
  if (placeholders.some((p) => p.syntax === 'jinjaBlock' || p.syntax === 'percent')) return false;
  if (e.apis.some((a) => TEMPLATE_API.test(a)) || PYTHON_RENDERER.test(e.source)) return false;
  // MetaGPT engineer2.py: EXTRA_INSTRUCTION = """… "{{project_name}}_{timestamp}" …""".format(timestamp=…).
  if (e.literalEnd !== undefined && /^\s*\)*\s*\.\s*format(?:_map)?\s*\(/.test(e.source.slice(e.literalEnd, e.literalEnd + 200))) return true;
  const bound = e.boundName?.slice(e.boundName.lastIndexOf('.') + 1);
  if (!bound || !/^[A-Za-z_]\w*$/.test(bound)) return false;
  return new RegExp(`(?<![\\w.])${bound}\\s*\\.\\s*format(?:_map)?\\s*\\(`).test(e.source);
}

/** A LangChain or LlamaIndex template built from the literal itself (`PromptTemplate.from_template("…")`, `ChatPromptTemplate.from_messages([("system", "…")])`). */
const FSTRING_TEMPLATE_CALLEE = /(?:^|\.)(?:(?:Chat|System|Human|AI|)(?:Message)?PromptTemplate(?:\.from_template|\.from_messages)?|from_template|from_messages)$/;

/** What lets a Python file's templates be other than LangChain's default f-string format: a `template_format=`, or a template engine. */
const OTHER_TEMPLATE_FORMAT = /\b(?:template_format|jinja2|Jinja\w*|chevron|pystache|render_template\w*)\b|\.render\(\s*[^)\s]/;

/**
 * Whether the `{{…}}` of a Python literal (not an f-string) are escapes of a LangChain f-string template: the literal is
 * handed to the template call itself and has `{name}` fields, in a file that sets no `template_format` and renders no
 * other template, so LangChain's default f-string format sends `{{nt}}` as `{nt}` (khoj's python_code_generation_prompt:
 * `PromptTemplate.from_template("""…{home_dir}…$T = P(1 + r/n)^{{nt}}$…""".strip())`).
 */
function langChainEscapes(placeholders: readonly Placeholder[], e: FieldEvidence): boolean {
  if (placeholders.some((p) => p.syntax === 'jinjaBlock' || p.syntax === 'percent') || !placeholders.some((p) => p.syntax === 'brace' && !p.interpolated)) return false;
  return e.apis.some((a) => FSTRING_TEMPLATE_CALLEE.test(a)) && !OTHER_TEMPLATE_FORMAT.test(e.source);
}

/** The provider SDKs that send a message's text as it is (no template of their own). */
const CHAT_API = /^(?:OpenAI|OpenAI-compatible|Anthropic|Google GenAI|Mistral|Cohere|Groq|Together AI|Ollama|LiteLLM)$/;

/** An f-string passed to a chat API (not a template API), whose variable nothing formats, in a file with no template engine. */
function fStringSent(e: FieldEvidence): boolean {
  const api = e.apis[0];
  if (!api || !CHAT_API.test(api) || e.apis.some((a) => TEMPLATE_API.test(a)) || PYTHON_RENDERER.test(e.source)) return false;
  return !variableFormatted(e);
}

/** A field `str.format` and LangChain's f-string templates accept: `{name}`, `{0}`, `{}`, `{name.attr}`, `{name!r}`, `{n:>4}`. */
const FORMAT_FIELD = /\{(?:[A-Za-z_]\w*|\d*)(?:[.[!:][^{}]*)?\}/g;

/**
 * Whether an f-string's text cannot be a format template, so that its escaped `{name}` can be no field whoever receives it
 * (a function that returns it, break32): once the f-string's own values are out, a brace is left that no `str.format` or
 * LangChain template takes (`Return JSON like {"name": "...", "topic": …}`: `.format` raises KeyError '"name"', and an
 * unpaired brace a ValueError). Not when something in the file formats the variable or renders templates.
 */
function fStringNoTemplate(text: string, e: FieldEvidence): boolean {
  if (e.apis.some((a) => TEMPLATE_API.test(a)) || PYTHON_RENDERER.test(e.source) || variableFormatted(e)) return false;
  let own = text;
  for (const p of e.interpolated ?? []) own = own.slice(0, p.start) + ' '.repeat(p.end - p.start) + own.slice(p.end);
  return /[{}]/.test(own.replace(FORMAT_FIELD, ''));
}

/**
 * The template-literal `{name}` fields of `placeholders` that nothing fills, which are text:
 * `segmentOf(p)` gives the quoting of the literal segment a placeholder lies in.
 */
/** Whether the literal ending at `literalEnd` is formatted where it stands: `'… {} …'.format(x)` (also wrapped in parentheses). */
function positionallyFormatted(e: FieldEvidence): boolean {
  if (e.literalEnd === undefined) return true;
  return /^[ \t\r\n)]*\.\s*format(?:_map)?\s*\(/.test(e.source.slice(e.literalEnd, e.literalEnd + 200));
}

export function textBraces(placeholders: readonly Placeholder[], segmentOf: (p: Placeholder) => LiteralQuoting | undefined, evidence: () => FieldEvidence, text?: string): Set<Placeholder> {
  const out = new Set<Placeholder>();
  let e: FieldEvidence | undefined;
  let codeText: boolean | undefined;
  let fStringText: boolean | undefined;
  for (const p of placeholders) {
    if (p.interpolated) continue;
    // A Jinja template file renders only its tags: `{i}` of example code in it (OpenHands' in_context_learning_example.j2,
    // `f'<tr><td>{i}</td></tr>'`) is sent as written (newuser45).
    if ((p.syntax === 'brace' || p.syntax === 'dollarBrace' || p.syntax === 'percent') && segmentOf(p)?.engine === 'jinja') {
      out.add(p);
      continue;
    }
    if (p.syntax === 'mustache') {
      // `{{NAME}}` in JavaScript beside `${…}` values; a Handlebars triple stash (`{{{prefix}}}`) is always a tag.
      const quoting = segmentOf(p);
      if (quoting?.language === 'python' && !quoting.formatted) {
        codeText ??= text !== undefined && (codeMustaches(placeholders, text, (e ??= evidence())) || formatEscapes(placeholders, e) || langChainEscapes(placeholders, e));
        if (codeText) out.add(p);
        continue;
      }
      if (quoting?.language !== 'javascript' || (text !== undefined && (text[p.start - 1] === '{' || text[p.end] === '}'))) continue;
      e ??= evidence();
      if (e.jsInterpolates && !mustacheIsFilled(p.name, e)) out.add(p);
      continue;
    }
    if (p.syntax === 'dollarBrace') {
      // An escaped `\${HOME}` in a template literal is the text `${HOME}` (the language substitutes only what it parsed as
      // an interpolation): sent as written unless the file fills such markers itself (finder45, h4.ts's `\${not}`).
      const quoting = segmentOf(p);
      if (quoting && bracesAreText(quoting) && !dollarMarkerFilled(p.name, (e ??= evidence()))) out.add(p);
      continue;
    }
    if (p.syntax !== 'brace') continue;
    const quoting = segmentOf(p);
    if (quoting?.language === 'python' && !quoting.formatted && p.name === '') {
      // `{}` in a plain string passed straight to a call (`Field(…, description='… such as {}.')`, graphiti's
      // dedupe_nodes.py, newuser36) is text: only a `.format(` right after the literal could fill it (LangChain's
      // templates take no positional field), and a bound name could be formatted elsewhere, so that keeps it a field.
      e ??= evidence();
      if (e.boundName === undefined && !positionallyFormatted(e)) out.add(p);
      continue;
    }
    if (quoting?.language === 'python' && quoting.formatted) {
      // An f-string's `{{name}}` (decoded `{name}`) handed straight to a chat API is sent as written (nothing formats it after);
      // so it is in a text that nothing can format.
      fStringText ??= fStringSent((e ??= evidence())) || (text !== undefined && fStringNoTemplate(text, e));
      if (fStringText) out.add(p);
      continue;
    }
    if (!quoting || !bracesAreText(quoting)) continue;
    e ??= evidence();
    if (!fieldIsFilled(p.name, e, text)) out.add(p);
  }
  return out;
}

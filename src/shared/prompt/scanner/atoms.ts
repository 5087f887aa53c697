/**
 * Atoms of decoded prompt text — interpolations, format fields, Mustache/Jinja blocks, printf keys,
 * inline code and code fences — found by bounded hand-written scans, and the masking that lets a
 * rewrite move text around them without touching them.
 */
import type { Placeholder } from '../../../protocol/scan';
import { BEFORE_REGEX, regexLiteralClose } from '../interpolations';
import { isSectionTag } from '../text';

const BRACE_FIELD = /^([A-Za-z_][\w.]*(?:\[[^\]{}]*\])?)?(![rsa])?(:[^{}\n]*)?$/;
const PERCENT_FIELD = /^%\(([A-Za-z_]\w*)\)[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGcoa]/;

/**
 * The expression of an f-string replacement field, without its `=` (self-documenting), `!r`
 * conversion and `:format spec`: `{item['name']!r}` and `{width:>{3}}` name `item['name']` and
 * `width`. The marks are found outside brackets and quotes, so `{d['a:b']}` and `{a != b}` stay whole.
 */
export function fieldExpression(inner: string): string {
  // (A field spanning lines, PEP 701, may hold comments: `{\n user.name  # the user's name\n}` names `user.name`.)
  if (inner.includes('#')) inner = withoutComments(inner);
  let depth = 0;
  let quote = '';
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (depth === 0 && (c === ':' || (c === '!' && inner[i + 1] !== '='))) return inner.slice(0, i).trim().replace(/\s*=$/, '') || inner.trim();
  }
  return inner.trim().replace(/(?<![=!<>])=$/, '').trim() || inner.trim();
}

/** A Python expression's text without its `#` comments (to the end of each line), strings skipped. */
function withoutComments(expr: string): string {
  let out = '';
  let quote = '';
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i];
    if (quote) {
      out += c;
      if (c === '\\') out += expr[++i] ?? '';
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '#') {
      const nl = expr.indexOf('\n', i);
      if (nl < 0) break;
      i = nl - 1;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    out += c;
  }
  return out;
}

/**
 * Finds placeholders that are resolved later (format fields, Mustache/Jinja, printf keys)
 * in decoded text. A hand-written scan with bounded look-ahead: linear on any input, and
 * no regular expression ever runs over the whole (possibly huge) text.
 */
// Stryker disable next-line ArrayDeclaration: equivalent, a skip entry without start and end compares false with every offset
export function findTextPlaceholders(text: string, skip: ReadonlyArray<Placeholder> = []): Placeholder[] {
  const found: Placeholder[] = [];
  const skipped = [...skip].sort((a, b) => a.start - b.start);
  let k = 0;
  const push = (name: string, syntax: Placeholder['syntax'], start: number, end: number): void => {
    found.push({ name: name.trim(), syntax, start, end, interpolated: false });
  };
  let i = 0;
  while (i < text.length) {
    while (k < skipped.length && skipped[k].end <= i) k++;
    if (k < skipped.length && skipped[k].start <= i) {
      i = skipped[k].end;
      continue;
    }
    const c = text[i];
    if (c === '{') {
      const next = text[i + 1];
      if (next === '%') {
        const close = text.indexOf('%}', i + 2);
        if (close > 0 && close - i <= 400) {
          push(text.slice(i + 2, close).replace(/^-|-$/g, ''), 'jinjaBlock', i, close + 2);
          i = close + 2;
          continue;
        }
      } else if (next === '{') {
        const close = text.indexOf('}}', i + 2);
        const inner = text.slice(i + 2, close);
        // A JSON member between doubled braces is no tag: `{{ "url": "url_value"}}` is an example object escaped for
        // str.format (browser-use's system prompts), which sends `{ "url": "url_value"}` as written text. So is a bare key
        // and a space after its colon, a TypeScript-like schema (`{{ type: string, … }}`, khoj's diagram prompts, newuser33):
        // no template language opens a tag so (`{{date:YYYY}}`, with no space, stays a tag).
        if (close > 0 && close - i <= 200 && inner.length > 0 && !/[{}]/.test(inner) && !/^\s*(?:(?:"[^"]*"|'[^']*')\s*:|[A-Za-z_$][\w$]*\s*:\s)/.test(inner)) {
          push(inner.replace(/^-|-$/g, ''), 'mustache', i, close + 2);
          i = close + 2;
          continue;
        }
      } else {
        const close = text.indexOf('}', i + 1);
        if (close > 0 && close - i <= 120) {
          const inner = text.slice(i + 1, close);
          const m = inner.includes('{') ? null : BRACE_FIELD.exec(inner);
          if (m) {
            push(m[1] ?? '', 'brace', i, close + 1);
            i = close + 1;
            continue;
          }
        }
      }
    } else if (c === '$' && text[i + 1] === '{') {
      const close = text.indexOf('}', i + 2);
      const inner = text.slice(i + 2, close);
      if (close > 0 && close - i <= 200 && inner.length > 0 && !inner.includes('{')) {
        push(inner, 'dollarBrace', i, close + 1);
        i = close + 1;
        continue;
      }
    } else if (c === '%' && text[i + 1] === '(') {
      const m = PERCENT_FIELD.exec(text.slice(i, i + 100));
      if (m) {
        push(m[1], 'percent', i, i + m[0].length);
        i += m[0].length;
        continue;
      }
    }
    i++;
  }
  return found;
}

/**
 * Atoms: the parts of a prompt's decoded text that a rewrite must keep exactly, in order —
 * interpolations (`${…}` with nested template literals, f-string replacement fields with
 * conversions, format specs and nested quotes or f-strings), `.format`/`%` placeholders,
 * Jinja/Handlebars/Mustache tags (`{{ }}`, `{% %}`, `{# #}`) and code spans (inline and
 * fenced). Rewriters see each atom as an opaque sentinel (`maskAtoms`) and the atoms come
 * back verbatim (`unmaskAtoms`), so no rewrite rule can touch what is inside them.
 */
export type AtomKind = 'interpolation' | 'field' | 'mustache' | 'jinjaBlock' | 'jinjaComment' | 'percent' | 'inlineCode' | 'codeFence';

export interface Atom {
  kind: AtomKind;
  /** Offsets into the decoded text, end exclusive. */
  start: number;
  end: number;
  text: string;
}

/** Longest atom the generic scanners look for (known interpolations may be longer). */
const MAX_ATOM = 4000;

/** `text.indexOf(needle, from)`, looking no further than `limit` (so repeated calls stay linear); -1 when not found before it. */
function indexWithin(text: string, needle: string, from: number, limit: number): number {
  const at = text.slice(from, limit).indexOf(needle);
  return at < 0 ? -1 : from + at;
}

/**
 * Where a Jinja/Handlebars tag's `closing` (`}}`, `}}}`, `%}`) starts: the first one outside the tag's quoted strings,
 * which Jinja's and Handlebars' lexers read as one token (`{{- "}}" }}` in Mistral's tool-calling chat template,
 * `{{ x | replace("}}", "") }}`, `{% set close = "%}" %}`). Read up to the first `closing`, such a tag was cut after the
 * string's `}}` and the rest (`" }}`, `", "") }}`) was prose to the rewriters, which could rewrite the words of a string
 * argument (breaker49). A quote right after a letter or digit is an apostrophe (`{{ user's name }}`), no string; with a
 * string left open (no closing outside strings before `limit`), the first `closing` as before.
 */
function tagCloseWithin(text: string, closing: string, from: number, limit: number): number {
  let quote = '';
  for (let j = from; j < limit; j++) {
    const c = text[j];
    if (quote) {
      if (c === '\\') j++;
      else if (c === quote) quote = '';
    } else if ((c === '"' || c === "'") && !/[\p{L}\p{N}]/u.test(text[j - 1] ?? '')) quote = c;
    else if (text.startsWith(closing, j)) return j;
  }
  return indexWithin(text, closing, from, limit);
}

/**
 * End (exclusive) of a JavaScript expression that starts at `i` inside `${`, at its closing
 * `}`; strings, nested template literals (with their own `${}`), comments, regular expression
 * literals and braces are skipped. -1 when it does not close within `limit`.
 */
function scanJsExpression(text: string, i: number, limit: number): number {
  let depth = 1;
  // The last significant character read ('' at the expression's start): a `/` after an operand divides, elsewhere it
  // opens a regular expression, whose `}`, quote or backtick is no code (`${/[}`]/.test(name) ? "}" : "{"}` was cut at
  // its first `}`, and every rewrite of the prompt refused: the engine's masking and the guard's own reading disagreed).
  let prev = '';
  while (i < limit) {
    const c = text[i];
    if (c === '/' && text[i + 1] !== '/' && text[i + 1] !== '*' && BEFORE_REGEX.has(prev)) {
      const j = regexLiteralClose(text, i, limit);
      if (j >= limit || text[j] !== '/') return -1;
      i = j + 1;
      prev = '/';
      continue;
    }
    if (c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r') prev = /[\w$)\]]/.test(c) ? 'a' : c;
    if (c === "'" || c === '"') {
      i++;
      while (i < limit && text[i] !== c) {
        if (text[i] === '\n') return -1;
        i += text[i] === '\\' ? 2 : 1;
      }
      if (i >= limit) return -1;
      i++;
      continue;
    }
    if (c === '`') {
      i++;
      while (i < limit && text[i] !== '`') {
        if (text[i] === '\\') i += 2;
        else if (text[i] === '$' && text[i + 1] === '{') {
          const end = scanJsExpression(text, i + 2, limit);
          if (end < 0) return -1;
          i = end;
        } else i++;
      }
      if (i >= limit) return -1;
      i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      const nl = indexWithin(text, '\n', i, limit);
      if (nl < 0) return -1;
      i = nl + 1;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const close = indexWithin(text, '*/', i + 2, limit);
      if (close < 0) return -1;
      i = close + 2;
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) return i + 1;
    }
    i++;
  }
  return -1;
}

/**
 * End (exclusive) of a replacement field `{expr!conv:spec}` (f-string or `str.format`)
 * that opens at `i`: quotes in the expression are strings (so `{d['}']}` and Python 3.12's
 * `{f"{a}"}` work), the format spec may hold nested fields (`{x:>{width}}`). -1 when it does
 * not close on the same line (`multiline` lifts that) within `limit`.
 */
function scanField(text: string, i: number, limit: number, multiline: boolean): number {
  let j = i + 1;
  let nesting = 0; // () [] {} inside the expression
  while (j < limit) {
    const c = text[j];
    if (c === '\n' && !multiline) return -1;
    if (c === "'" || c === '"') {
      const triple = text.startsWith(c.repeat(3), j);
      const close = c.repeat(triple ? 3 : 1);
      j += close.length;
      while (j < limit && !text.startsWith(close, j)) {
        if (text[j] === '\n' && !triple) return -1;
        j += text[j] === '\\' ? 2 : 1;
      }
      if (j >= limit) return -1;
      j += close.length;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') nesting++;
    else if (c === ')' || c === ']' || (c === '}' && nesting > 0)) nesting--;
    else if (c === '}') return j + 1;
    else if (nesting === 0 && (c === ':' || c === '!') && text[j + 1] !== '=') {
      // Conversion and format spec: only nested fields and the closing brace matter now.
      if (c === '!' && /[rsa]/.test(text[j + 1] ?? '')) {
        j += 2;
        if (text[j] === '}') return j + 1;
        if (text[j] !== ':') return -1;
      }
      j++;
      while (j < limit) {
        const s = text[j];
        if (s === '\n' && !multiline) return -1;
        if (s === '{') {
          const end = scanField(text, j, limit, multiline);
          if (end < 0) return -1;
          j = end;
        } else if (s === '}') return j + 1;
        else j++;
      }
      return -1;
    }
    j++;
  }
  return -1;
}

/** A quoted key and its colon right after a `{`: a JSON object, not a replacement field. */
const JSON_MEMBER_AFTER_BRACE = /^\s*(?:"[^"\n]*"|'[^'\n]*')\s*:/;

const PRINTF = /^%(?:\([A-Za-z_][\w.-]{0,63}\))?[-#0+]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[sdifrxXeEgGcoa]/;

/**
 * A fence line (``` or ~~~) starting at `i`, which must begin a line. Any indent (spaces or
 * tabs, up to 64): prompts in indented triple-quoted strings carry the code's indentation,
 * so their fences sit four or more columns in (Markdown's three-space limit would miss them).
 */
function fenceAt(text: string, i: number): { marker: string; lineEnd: number } | undefined {
  let j = i;
  while (j < i + 64 && (text[j] === ' ' || text[j] === '\t')) j++;
  const m = /^(`{3,}|~{3,})/.exec(text.slice(j, j + 64));
  if (!m) return undefined;
  const nl = text.indexOf('\n', j);
  const lineEnd = nl < 0 ? text.length : nl;
  if (tildeDelimiter(text.slice(j, lineEnd))) return undefined;
  return { marker: m[1], lineEnd };
}

/** A line holding only a tag that opens or closes a code block (`{{code_block_opening_tag}}`, `{{ code_block_end }}`). */
const PLACEHOLDER_FENCE_OPEN = /^[ \t]{0,64}\{\{-?[ \t]*[A-Za-z_]*code_?block_?(?:open|start|begin)[A-Za-z_]*[ \t]*-?\}\}[ \t]*$/;
const PLACEHOLDER_FENCE_CLOSE = /^[ \t]{0,64}\{\{-?[ \t]*[A-Za-z_]*code_?block_?(?:clos|end)[A-Za-z_]*[ \t]*-?\}\}[ \t]*$/;

/**
 * A code block between two tags that render as its fences, from `i` (a line's start) to the end of the closing tag's line,
 * or -1: smolagents' agents write their examples' code between `{{code_block_opening_tag}}` and `{{code_block_closing_tag}}`
 * (`<code>`…`</code>` or a Markdown fence, chosen at run time). Without its closing tag on a later line (within `limit`)
 * it is none, so that a lone tag never makes the rest of the prompt code. codeBlocks.ts reads it the same way.
 */
function placeholderFenceAt(text: string, i: number, limit: number): number {
  const firstEnd = text.indexOf('\n', i);
  if (firstEnd < 0 || firstEnd - i > 200 || !PLACEHOLDER_FENCE_OPEN.test(text.slice(i, firstEnd))) return -1;
  for (let from = firstEnd + 1; from < limit; ) {
    const nl = text.indexOf('\n', from);
    const end = nl < 0 ? text.length : nl;
    if (end - from <= 200 && PLACEHOLDER_FENCE_CLOSE.test(text.slice(from, end))) return end;
    if (nl < 0) return -1;
    from = nl + 1;
  }
  return -1;
}

/**
 * A line that opens and closes with tildes around a word, `~~~START_OF_CODING_RULES~~~` (gpt-pilot's prompts mark
 * sections so): a delimiter of the prompt's own, not a code fence (CommonMark would open a tilde fence there, and the
 * rest of the prompt was read as code: nothing in it was rewritten). codeBlocks.ts reads it the same way.
 */
export function tildeDelimiter(line: string): boolean {
  return /^~{3,}[^~\s][^\n]*?~{3,}\s*$/.test(line.trim());
}

/**
 * Whether the text between `{{` and `}}` is a tag's: on one line, or over several lines when it reads as a Jinja
 * expression (`{{ user_name\n   | default("the user") }}`: a filter chain set out on lines). A multi-line one holds
 * no brace and is no JSON member, so that the doubled braces of a `str.format` template's JSON example
 * (`{{\n  "answer": "{answer}"\n}}`) stay text; it is short (a Jinja expression, not paragraphs between two braces).
 */
function mustacheInner(inner: string): boolean {
  if (!inner.includes('\n')) return true;
  return inner.length <= 400 && !/[{}]/.test(inner) && !/^\s*(?:"[^"\n]*"|'[^'\n]*')\s*:/.test(inner);
}

/**
 * Finds the atoms of decoded prompt text, left to right without overlaps. `known` are the
 * literal's own interpolations as they appear in the text (from `LiteralQuoting`); they are
 * matched first and exactly, whatever their length. Linear: every scan is bounded, and the
 * total scanning work is capped at a multiple of the text's length.
 */
// Stryker disable next-line ArrayDeclaration: equivalent, a default known text that starts with neither $ nor { is never looked for
export function findAtoms(text: string, known: readonly string[] = []): Atom[] {
  const atoms: Atom[] = [];
  const knownSorted = [...new Set(known)].filter((k) => k.length > 0).sort((a, b) => b.length - a.length);
  let budget = 8 * text.length + 100_000;
  const push = (kind: AtomKind, start: number, end: number): void => {
    atoms.push({ kind, start, end, text: text.slice(start, end) });
  };
  let i = 0;
  let lineStart = true;
  while (i < text.length) {
    const c = text[i];
    const atLineStart = lineStart;
    lineStart = c === '\n';
    if (c !== '$' && c !== '{' && c !== '%' && c !== '`' && c !== '~' && c !== ' ' && c !== '\t') {
      i++;
      continue;
    }
    // Stryker disable next-line ConditionalExpression,EqualityOperator,LogicalOperator: equivalent, known interpolations start with $ or {, so with none known or another character the find below returns nothing
    if (knownSorted.length > 0 && (c === '$' || c === '{')) {
      const k = knownSorted.find((s) => text.startsWith(s, i));
      if (k) {
        push('interpolation', i, i + k.length);
        i += k.length;
        continue;
      }
    }
    if (budget <= 0) {
      i++;
      continue;
    }
    const limit = Math.min(text.length, i + MAX_ATOM);
    let end = -1;
    // The characters an atom that is not found here leaves behind (a run of backticks, read whole).
    let run = 1;
    // Stryker disable next-line StringLiteral: equivalent, every branch that finds an atom sets its kind
    let kind: AtomKind = 'field';
    if (atLineStart && (c === '{' || c === ' ' || c === '\t')) {
      const end = placeholderFenceAt(text, i, Math.min(text.length, i + 20_000));
      if (end > 0) {
        budget -= end - i;
        push('codeFence', i, end);
        i = end;
        continue;
      }
    }
    if (atLineStart && (c === '`' || c === '~' || c === ' ' || c === '\t')) {
      const fence = fenceAt(text, i);
      if (fence) {
        // The block runs to a closing fence of the same marker (or to the end of the text).
        let j = fence.lineEnd;
        end = text.length;
        while (j < text.length) {
          const lineFrom = j + 1;
          // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent, fenceAt at the end of the text finds no fence either
          const close = lineFrom < text.length ? fenceAt(text, lineFrom) : undefined;
          if (close && close.marker[0] === fence.marker[0] && close.marker.length >= fence.marker.length && text.slice(lineFrom, close.lineEnd).trim() === close.marker) {
            end = close.lineEnd;
            break;
          }
          const nl = text.indexOf('\n', lineFrom);
          if (nl < 0) break;
          j = nl;
        }
        budget -= end - i;
        push('codeFence', i, end);
        i = end;
        continue;
      }
    }
    if (c === ' ' || c === '~' || c === '\t') {
      i++;
      continue;
    }
    if (c === '$' && text[i + 1] === '{') {
      end = scanJsExpression(text, i + 2, limit);
      kind = 'interpolation';
    } else if (c === '{') {
      const next = text[i + 1];
      if (next === '%' || next === '#') {
        // (A Jinja comment has no strings: it ends at the first "#}".)
        const close = next === '%' ? tagCloseWithin(text, '%}', i + 2, limit) : indexWithin(text, '#}', i + 2, limit);
        if (close > 0) end = close + 2;
        kind = next === '%' ? 'jinjaBlock' : 'jinjaComment';
      } else if (next === '{') {
        const triple = text[i + 2] === '{';
        const closing = triple ? '}}}' : '}}';
        const close = tagCloseWithin(text, closing, i + closing.length, limit);
        if (close > 0 && mustacheInner(text.slice(i + closing.length, close))) end = close + closing.length;
        kind = 'mustache';
        // `{{` that is not a tag: a field inside a literal brace (`{{x}` as decoded text is `{` + `{x}`).
        if (end < 0) {
          const inner = scanField(text, i + 1, limit, false);
          if (inner > 0) {
            push('field', i + 1, inner);
            i = inner;
            continue;
          }
        }
      } else if (!JSON_MEMBER_AFTER_BRACE.test(text.slice(i + 1, i + 200))) {
        // (An object whose first member is a quoted key, `{"column": "duration_ms", "op": "MAX"}`, is an example's JSON,
        // no field of any template language: as a field it kept Distill from dropping the example that holds it, breaker42.)
        end = scanField(text, i, limit, false);
        kind = 'field';
      }
    } else if (c === '%') {
      const m = PRINTF.exec(text.slice(i, i + 80));
      const before = i > 0 ? text[i - 1] : ' ';
      if (m && (m[0][1] === '(' || !/[\p{L}\p{N}%]/u.test(before))) end = i + m[0].length;
      kind = 'percent';
    } else if (c === '`') {
      // A code span opens with a run of backticks and closes with a run of the same length (CommonMark): "wrap the JSON
      // with ```json and ```" is one span. Read one backtick at a time, its inside was an atom "`json and `" cut out of
      // the middle of the runs (TaskWeaver's image_reader.py: Optimize was refused for moving "`json and `", newuser47).
      while (text[i + run] === '`' && run < 32) run++;
      const ticks = '`'.repeat(run);
      const nl = indexWithin(text, '\n', i + run, limit);
      let close = indexWithin(text, ticks, i + run, limit);
      while (close >= 0 && text[close + run] === '`') {
        let after = close + run;
        while (text[after] === '`') after++;
        close = indexWithin(text, ticks, after, limit);
      }
      if (close > i + run && (nl < 0 || close < nl)) end = close + run;
      kind = 'inlineCode';
    }
    budget -= end > 0 ? end - i : Math.min(limit - i, MAX_ATOM);
    if (end > i) {
      push(kind, i, end);
      i = end;
      continue;
    }
    // (A run of backticks that opens no span is text as a whole: no span starts inside it.)
    i += run;
  }
  return atoms;
}

/** Decoded text with its atoms replaced by sentinels, and what it takes to put them back. */
export interface MaskedText {
  text: string;
  atoms: Atom[];
  /** The sentinel that stands for each atom, in order. */
  sentinels: string[];
  /** The sentinels' common stem: sentinel k holds `${stem}${k}Q`. */
  stem: string;
  /** Where each sentinel starts in the masked text. */
  maskedStarts: number[];
}

function sentinelFor(atom: Atom, id: string): string {
  switch (atom.kind) {
    case 'mustache':
      // A section tag (`{{#if x}}`, `{{else}}`, `{{/if}}`) stands in as a statement, as Jinja's do: the rewriters see
      // where a template's branches meet (templateBoundaries) and never take a sentence of one for a repeat of another's.
      return isSectionTag(atom.text) ? `{%${id}%}` : `{{${id}}}`;
    case 'jinjaBlock':
      return `{%${id}%}`;
    case 'jinjaComment':
      return `{#${id}#}`;
    case 'percent':
      return `%(${id})s`;
    case 'inlineCode':
      return `\`${id}\``;
    case 'codeFence': {
      const firstLine = atom.text.split('\n', 1)[0];
      const marker = /(`{3,}|~{3,})/.exec(firstLine)?.[1];
      // (A block between two tags, `{{code_block_opening_tag}}`…, stands in as one tag, as its tags did: a rule line between
      // two examples next to it fences them, and Compress at medium kept those of smolagents' examples only so.)
      return marker ? `${firstLine}\n${id}\n${marker}` : `{{${id}}}`;
    }
    default:
      return `{${id}}`;
  }
}

/**
 * Replaces every atom with a sentinel rewriters treat as a protected placeholder of the
 * same shape (`{ATOM0}`, `{{ATOM1}}`, `` `ATOM2` ``, a fence around `ATOM3`…), numbered so
 * that no two are alike and none occurs in the text already.
 */
export function maskAtoms(text: string, atoms: readonly Atom[]): MaskedText {
  let stem = 'PPYATOM';
  for (let n = 0; text.includes(stem); n++) stem = `PPY${n}ATOM`;
  const sentinels = atoms.map((atom, k) => sentinelFor(atom, `${stem}${k}Q`));
  const parts: string[] = [];
  const maskedStarts: number[] = [];
  let length = 0;
  let cursor = 0;
  atoms.forEach((atom, k) => {
    const plain = text.slice(cursor, atom.start);
    parts.push(plain, sentinels[k]);
    maskedStarts.push(length + plain.length);
    length += plain.length + sentinels[k].length;
    cursor = atom.end;
  });
  parts.push(text.slice(cursor));
  return { text: parts.join(''), atoms: [...atoms], sentinels, stem, maskedStarts };
}

/** Why a rewritten text cannot take its atoms back. */
export class AtomMismatchError extends Error {
  readonly code = 'atomMismatch';
  constructor(message: string) {
    super(message);
    this.name = 'AtomMismatchError';
  }
}

/** A short quote of an atom for messages. */
export function quoteAtom(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 60 ? `${flat.slice(0, 57)}…` : flat;
}

/** Every sentinel id in `text`, in order, with where its whole sentinel would start. */
function sentinelIds(text: string, mask: MaskedText): Array<{ id: number; at: number; intact: boolean }> {
  const found: Array<{ id: number; at: number; intact: boolean }> = [];
  const re = new RegExp(`${mask.stem}(\\d+)Q`, 'g');
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const id = Number(m[1]);
    const sentinel = mask.sentinels[id];
    const lead = sentinel === undefined ? 0 : sentinel.indexOf(`${mask.stem}${id}Q`);
    const at = m.index - lead;
    found.push({ id, at, intact: sentinel !== undefined && at >= 0 && text.startsWith(sentinel, at) });
  }
  return found;
}

/**
 * Puts the atoms back into rewritten masked text. Every sentinel must occur exactly once,
 * whole, and in the original order; otherwise the rewrite lost, repeated, cut or reordered
 * an atom and `AtomMismatchError` says which. Linear in the text's length.
 */
export function unmaskAtoms(rewritten: string, mask: MaskedText): string {
  const found = sentinelIds(rewritten, mask);
  // Stryker disable next-line OptionalChaining: equivalent, k is always the index of an atom
  const what = (k: number): string => `"${quoteAtom(mask.atoms[k]?.text ?? '')}"`;
  const seen = new Array<number>(mask.atoms.length).fill(0);
  for (const f of found) if (f.id < seen.length) seen[f.id]++;
  const missing = seen.findIndex((n) => n === 0);
  if (missing >= 0) throw new AtomMismatchError(`it would remove ${what(missing)}`);
  const repeated = seen.findIndex((n) => n > 1);
  if (repeated >= 0) throw new AtomMismatchError(`it would repeat ${what(repeated)}`);
  if (found.length !== mask.atoms.length) throw new AtomMismatchError('it would add a placeholder of its own');
  const cut = found.find((f) => !f.intact);
  if (cut) throw new AtomMismatchError(`it would change the delimiters of ${what(cut.id)}`);
  const moved = found.findIndex((f, k) => f.id !== k);
  if (moved >= 0) throw new AtomMismatchError(`it would move ${what(found[moved].id)} out of its place among the placeholders`);
  let out = '';
  let cursor = 0;
  for (const f of found) {
    out += rewritten.slice(cursor, f.at) + mask.atoms[f.id].text;
    cursor = f.at + mask.sentinels[f.id].length;
  }
  return out + rewritten.slice(cursor);
}

/** Maps an offset in masked text to the original text (an offset inside a sentinel maps to its atom's start or end). */
export function unmaskOffset(offset: number, mask: MaskedText): number {
  // Binary search for the last atom whose sentinel starts at or before `offset`.
  let lo = 0;
  let hi = mask.atoms.length - 1;
  let k = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (mask.maskedStarts[mid] <= offset) {
      k = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (k < 0) return offset;
  const maskedEnd = mask.maskedStarts[k] + mask.sentinels[k].length;
  if (offset === mask.maskedStarts[k]) return mask.atoms[k].start;
  if (offset < maskedEnd) return mask.atoms[k].end;
  return offset - (maskedEnd - mask.atoms[k].end);
}

/** Puts atoms back into a piece of masked text (a removed sentence); pieces of sentinels stay as they are. */
export function unmaskFragment(fragment: string, mask: MaskedText): string {
  if (!fragment.includes(mask.stem)) return fragment;
  let out = '';
  let cursor = 0;
  for (const f of sentinelIds(fragment, mask)) {
    if (!f.intact || f.at < cursor) continue;
    out += fragment.slice(cursor, f.at) + mask.atoms[f.id].text;
    cursor = f.at + mask.sentinels[f.id].length;
  }
  return out + fragment.slice(cursor);
}

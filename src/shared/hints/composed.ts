/**
 * The text a composed prompt sends, for counting its tokens. The scanner reports a prompt
 * composed in code (`"a" + x + "b"`, or `` `…${fragment}…` `` where `fragment` holds prompt
 * text) as one location with `pieces`; the editor counts the prompt as it is composed:
 * a fragment's text in place of the interpolation it fills, `+` pieces in source order, and
 * every value known only at run time left out (so the count is a lower bound, and the
 * values are named).
 */
import type { LiteralQuoting, Placeholder, PromptLocation, PromptPiece } from '../../protocol/scan';
import { codeBlocks } from '../prompt/codeBlocks';
import { fieldExpression, findTextPlaceholders } from '../prompt/scanner/atoms';
import { numberText } from '../prompt/scanner/importedConstants';
import { extendedText, extendsTag, includedTemplate, includeKey, MAX_INCLUDE_DEPTH } from '../prompt/scanner/jinjaIncludes';
import { type FieldEvidence, PYTHON_RENDERER, textBraces } from '../prompt/scanner/jsBraceFields';
import { sharedTokenizer } from '../prompt/tokenizer';
import { literalChoice } from './branches';

export interface ComposedPrompt {
  /** What is counted: the composed text with runtime values removed (the whole text when there are none). */
  counted: string;
  /** Runtime values of the composed prompt, in order, without repeats. */
  runtimeValues: string[];
  /** Per piece (in `location.pieces` order): the piece's own fixed text, for its own count. */
  pieces: Array<{ counted: string; fills?: string }>;
  /**
   * Set when an interpolation chooses between literals (`${cond ? `…` : ''}`, `{"…" if cond else ""}`: branches.ts):
   * `counted` holds the shorter branch of each (a lower bound), this the longer, so that both can be said.
   */
  withLongerBranches?: string;
  /** Names of imported constants whose text was counted in place (`composePrompt`'s `imported`), in order of first use. */
  imported?: string[];
  /**
   * Single-brace fields of a Jinja template's prose (outside code blocks and inline code), which Jinja sends as written:
   * smolagents' planning prompts say "Beware that you have {remaining_steps} steps remaining." where `{{remaining_steps}}`
   * would give the number (newuser46). Their names, in order, without repeats.
   */
  sentAsWritten?: string[];
  /**
   * Templates a Jinja `{% include "x.j2" %}` tag names whose text (`composePrompt`'s `imported`, under `include "x.j2"`) was
   * counted in place, in order of first use: each with its own counted text (its `{% if %}`s by their shorter branches).
   */
  included?: Array<{ key: string; counted: string }>;
  /**
   * Include tags whose template was not counted (each is a runtime value too): no text for it (`unresolved`), a template
   * that includes itself (`cycle`), or includes nested deeper than `MAX_INCLUDE_DEPTH`.
   */
  includesNotCounted?: Array<{ key: string; why: 'unresolved' | 'cycle' | 'depth' }>;
}

/**
 * Pieces whose placeholders were read (`piecePlaceholders` calls), for tests (as `branchWork` in branches.ts): a prompt
 * of n pieces read every piece's placeholders again for each piece, each time looking at all n pieces (break39).
 */
export const composeWork = { steps: 0 };

/**
 * Placeholders of a piece's text: its interpolations (as written in the text) and later-resolved fields
 * (a template literal's `{name}` only when `evidence` shows something fills it: jsBraceFields.ts).
 */
export function piecePlaceholders(piece: Pick<PromptPiece, 'text' | 'segments'>, evidence?: FieldEvidence): Placeholder[] {
  composeWork.steps++;
  const interpolated: Placeholder[] = [];
  for (const seg of piece.segments) {
    let from = seg.textStart;
    for (const written of seg.quoting.interpolations ?? []) {
      const at = piece.text.indexOf(written, from);
      if (at < 0) continue;
      const dollar = written.startsWith('${');
      const name = written.slice(dollar ? 2 : 1, -1).trim();
      interpolated.push({ name, syntax: dollar ? 'dollarBrace' : 'brace', start: at, end: at + written.length, interpolated: true });
      from = at + written.length;
    }
  }
  const fields = findTextPlaceholders(piece.text, interpolated);
  const segmentOf = (p: Placeholder): LiteralQuoting | undefined => [...piece.segments].reverse().find((seg) => seg.textStart <= p.start)?.quoting;
  const asText = textBraces(fields, segmentOf, () => evidence ?? { source: '', apis: [] }, piece.text);
  return [...interpolated, ...fields.filter((p) => !asText.has(p))].sort((a, b) => a.start - b.start);
}

/**
 * The primary literal's placeholders in its composition: a `{{NAME}}` the scanner kept as a tag (the literal alone
 * substitutes nothing) is text when the composition fills its values with `${…}` and nothing renders it (continue's hole
 * filler: `SYSTEM_MSG + `…${prefix}{{FILL_HERE}}${suffix}…``).
 */
function primaryPlaceholders(location: Pick<PromptLocation, 'text' | 'placeholders' | 'pieces' | 'range' | 'api'>, source: string): Placeholder[] {
  const mustache = location.placeholders.filter((p) => p.syntax === 'mustache' && !p.interpolated);
  const primary = mustache.length > 0 ? location.pieces?.find((p) => p.range.start.offset === location.range.start.offset && p.range.end.offset === location.range.end.offset) : undefined;
  if (!primary || primary.text !== location.text) return location.placeholders;
  const evidence = pieceEvidence(location, primary, source);
  if (!evidence.jsInterpolates) return location.placeholders;
  const segmentOf = (p: Placeholder): LiteralQuoting | undefined => [...primary.segments].reverse().find((seg) => seg.textStart <= p.start)?.quoting;
  const asText = textBraces(mustache, segmentOf, () => evidence, location.text);
  return asText.size > 0 ? location.placeholders.filter((p) => !asText.has(p)) : location.placeholders;
}

function pieceEvidence(location: Pick<PromptLocation, 'api' | 'placeholders' | 'pieces'>, piece: PromptPiece, source: string, jsInterpolates = interpolatesJs(location)): FieldEvidence {
  return { source, ...(piece.fills ? { boundName: piece.fills } : {}), apis: location.api ? [location.api] : [], jsInterpolates };
}

/** Whether the composition's values are `${…}` substitutions: its primary literal or any piece has one. */
function interpolatesJs(location: Pick<PromptLocation, 'placeholders' | 'pieces'>): boolean {
  return location.placeholders.some((p) => p.syntax === 'dollarBrace') || (location.pieces ?? []).some((p) => p.segments.some((s) => s.quoting.interpolations?.some((w) => w.startsWith('${'))));
}

/** Text with placeholders replaced: `fill(p)` gives the replacement, or undefined to drop it as a runtime value (named in `runtime`). */
/** A private-use character standing for a runtime value while a text is dedented. */
const RUNTIME_MARK = '\uE000';

/** Which branch of a choice between literals `substitute` puts in (composePrompt sets it), and how many it met. */
const branches = { longer: false, met: 0 };

/**
 * The texts of imported constants `substitute` puts in place of an interpolation of their name, and the names it used, and
 * the source, whose integer constants are put in place too (composePrompt sets them).
 */
const importedFill: { texts: ReadonlyMap<string, string> | undefined; used: string[]; source: string | undefined; integers: number } = { texts: undefined, used: [], source: undefined, integers: 0 };

/** The last source's integer constants (`integerConstants`): every prompt of a document is composed with the same source. */
let integerMemo: { source: string; values: Map<string, string> } | undefined;

/**
 * A source's module-level integer constants, by name: `const MAX_ITEMS = 3;` (JavaScript, TypeScript, `export` and a
 * `: number` type allowed) or `MAX_ITEMS = 1_000` at the start of a Python line (an `: int` annotation allowed), with an
 * upper-case name bound once in the file (no second assignment, augmented assignment or `global`). Their decimal text is
 * what an interpolation of the name writes (`${MAX_ITEMS}`, `f"{MAX_ITEMS}"`): anything-llm's observer prompt says
 * "Maximum ${MAX_CANDIDATES_PER_RUN} observations", a 3 the count left out as a runtime value (newuser44). A simple
 * decimal fraction counts the same way (`TEMPERATURE = 0.2`, a `: float` annotation allowed), written as the file's
 * language writes it (`numberText`).
 */
export function integerConstants(source: string): Map<string, string> {
  if (integerMemo?.source === source) return integerMemo.values;
  const values = new Map<string, string>();
  const pattern = /^(?:(?:export[ \t]+)?const[ \t]+([A-Z][A-Z0-9_]*)[ \t]*(?::[ \t]*number[ \t]*)?=[ \t]*(-?\d[\d_]*(?:\.\d[\d_]*)?)[ \t]*;?|([A-Z][A-Z0-9_]*)[ \t]*(?::[ \t]*(?:int|float)[ \t]*)?=[ \t]*(-?\d[\d_]*(?:\.\d[\d_]*)?))[ \t]*(?:(?:\/\/|#).*)?$/gm;
  for (const m of source.matchAll(pattern)) {
    const name = m[1] ?? m[3];
    // (A leading zero is an octal or a syntax error; a value past 2^53 would be written otherwise; a fraction as
    // Python or JavaScript writes it: `TEMPERATURE = 1.0` is "1.0" in an f-string, `const T = 1.0` "1" in a template.)
    const value = numberText(m[2] ?? m[4], m[2] === undefined);
    if (value === undefined) continue;
    // (`MAX: number = 3`, `MAX: int = 3`: the type is written between the name and the `=`.)
    const bindings = source.match(new RegExp(`(?<![\\w$.])${name}[ \\t]*(?::[^=\\n]{0,40})?(?:\\*\\*|\\/\\/|<<|>>|[-+*/%&|^])?=(?!=)`, 'g'))?.length ?? 0;
    if (bindings !== 1 || new RegExp(`\\bglobal[ \\t]+(?:\\w+[ \\t]*,[ \\t]*)*${name}\\b`).test(source)) continue;
    values.set(name, value);
  }
  integerMemo = { source, values };
  return values;
}

/**
 * The text of a value a list or `+` chain names whole: an imported constant's, or an upper-case integer or fraction
 * constant's of the file (`integerConstants`); undefined for any other value.
 */
function constantText(name: string): string | undefined {
  const imported = importedFill.texts?.get(name);
  if (imported !== undefined) {
    if (!importedFill.used.includes(name)) importedFill.used.push(name);
    return imported;
  }
  if (importedFill.source === undefined || !/^[A-Z][A-Z0-9_]*$/.test(name)) return undefined;
  const value = integerConstants(importedFill.source).get(name);
  if (value !== undefined) importedFill.integers++;
  return value;
}

/** The texts of the `+` operands that are imported constants, joined; the other operands go to `runtime` as runtime values. */
function operandsText(operands: readonly string[], runtime: string[]): string {
  let text = '';
  for (const operand of operands) {
    const name = operand.trim();
    const imported = importedFill.texts?.get(name);
    if (imported === undefined) runtime.push(operand);
    else {
      text += imported;
      if (!importedFill.used.includes(name)) importedFill.used.push(name);
    }
  }
  return text;
}

/**
 * The text of the imported constant an interpolation names (`${commonSecurityRules}`, `{SYSTEM_RULES}`), if any; else the
 * value of an integer constant of the source it names bare (no format spec or conversion: `{MAX:,}` stays a runtime value).
 */
function importedText(p: Placeholder): string | undefined {
  if (!p.interpolated || (p.syntax !== 'dollarBrace' && p.syntax !== 'brace')) return undefined;
  const name = (p.syntax === 'brace' ? fieldExpression(p.name) : p.name).trim();
  // (An imported number, `from .config import MAX_ITEMS`, is written as its digits only bare: `{MAX_ITEMS:,}` and
  // `{MAX_ITEMS!r}` write it otherwise, so they stay runtime values, as the file's own constants do.)
  const imported = importedFill.texts?.get(name);
  const text = imported !== undefined && p.name.trim() !== name && /^-?\d+(?:\.\d+)?$/.test(imported) ? undefined : imported;
  if (text !== undefined && !importedFill.used.includes(name)) importedFill.used.push(name);
  if (text !== undefined || importedFill.source === undefined || !/^[A-Z][A-Z0-9_]*$/.test(name) || p.name.trim() !== name) return text;
  const value = integerConstants(importedFill.source).get(name);
  if (value !== undefined) importedFill.integers++;
  return value;
}

/** Private-use characters standing for a Jinja `{% if %}`, `{% elif %}`/`{% else %}` and `{% endif %}` while a text is composed. */
const JINJA_IF = '\uE001';
const JINJA_ELSE = '\uE002';
const JINJA_ENDIF = '\uE003';
/** An `{% else %}`: with it one of the branches is sent; without it (`{% if %}…{% elif %}…{% endif %}`) possibly none. */
const JINJA_ELSE_LAST = '\uE004';

/**
 * `substitute`'s fill for a Jinja template: the mark of an if/elif/else/endif tag, and of a for/else/endfor tag (other tags
 * render as nothing). A `{% for %}` loop sends its body once per item, or its `{% else %}` (or nothing) when there is none:
 * as a choice, the lower bound counts no pass (smolagents' `{%- for agent in managed_agents.values() %}`: an agent with no
 * managed agents gets none of that text) and the count with the longer branches one pass.
 */
function jinjaBranchMark(p: Placeholder): string | undefined {
  if (p.syntax !== 'jinjaBlock') return undefined;
  const word = /^\s*(if|elif|else|endif|for|endfor)\b/.exec(p.name)?.[1];
  return word === 'if' || word === 'for' ? JINJA_IF : word === 'elif' ? JINJA_ELSE : word === 'else' ? JINJA_ELSE_LAST : word === 'endif' || word === 'endfor' ? JINJA_ENDIF : undefined;
}

/** A Jinja tag's opening and closing delimiters with whitespace control (`{%-`, `-%}`, `{{-`, `-}}`, `{#-`, `-#}`). */
const TRIM_BEFORE = /^\{[%{#]-/;
const TRIM_AFTER = /-[%}#]\}$/;
const RAW_OPEN = /\{%-?\s*raw\s*-?%\}/y;
const RAW_CLOSE = /\{%-?\s*endraw\s*-?%\}/g;

/**
 * The placeholders of a Jinja template as Jinja renders them: a comment `{# … #}` renders as nothing (a placeholder of its
 * own, no runtime value, with what it holds: `{# {{ old_field }} #}` is no field), and the body of a `{% raw %}…{% endraw %}`
 * is sent as written (the `{{ name }}` in it is text, counted). Before, a comment's words were counted in "≥ N" and a tag in
 * a raw block was named as a runtime value.
 */
function jinjaPlaceholders(text: string, placeholders: readonly Placeholder[]): Placeholder[] {
  return unsentBlocks(commentsAndRaw(text, placeholders));
}

/**
 * A macro's body and a block `{% set x %}…{% endset %}` send nothing where they stand (a macro's call, `{{ m() }}`, is a
 * runtime value; `{% set x = … %}` is no block): each becomes one placeholder that renders nothing, with what it holds.
 * A `{% call m(…) %}…{% endcall %}` block sends what the macro renders, its body only where the macro calls `caller()`:
 * a runtime value as `{{ m() }}` is, named by its tag (breaker48: its body was counted as sent text, and the count said
 * "exact" while the macro's output was not counted).
 */
function unsentBlocks(placeholders: Placeholder[]): Placeholder[] {
  const sorted = [...placeholders].sort((a, b) => a.start - b.start);
  const blocks: Placeholder[] = [];
  let open: Placeholder | undefined;
  let depth = 0;
  for (const p of sorted) {
    if (p.syntax !== 'jinjaBlock') continue;
    const word = /^\s*(macro|endmacro|set|endset|call|endcall)\b/.exec(p.name)?.[1];
    if (word === 'macro' || word === 'call' || (word === 'set' && !p.name.includes('='))) {
      if (depth++ === 0) open = p;
    } else if ((word === 'endmacro' || word === 'endset' || word === 'endcall') && depth > 0 && --depth === 0 && open) {
      const call = JINJA_CALL.test(open.name) ? open.name.trim().replace(/\s+/g, ' ') : undefined;
      blocks.push({ name: call ?? '#', syntax: 'jinjaBlock', start: open.start, end: p.end, interpolated: false });
    }
  }
  if (blocks.length === 0) return placeholders;
  const inside = (p: Placeholder): boolean => blocks.some((b) => p.start < b.end && p.end > b.start);
  return [...placeholders.filter((p) => !inside(p)), ...blocks];
}

function commentsAndRaw(text: string, placeholders: readonly Placeholder[]): Placeholder[] {
  if (!text.includes('{#') && !/\{%-?\s*raw\b/.test(text)) return [...placeholders];
  const sorted = [...placeholders].sort((a, b) => a.start - b.start);
  const comments: Placeholder[] = [];
  const text_: Array<[number, number]> = [];
  let k = 0;
  for (let i = 0; i < text.length; ) {
    if (text.startsWith('{#', i)) {
      const close = text.indexOf('#}', i + 2);
      if (close < 0) break;
      comments.push({ name: '#', syntax: 'jinjaBlock', start: i, end: close + 2, interpolated: false });
      text_.push([i, close + 2]);
      i = close + 2;
      continue;
    }
    RAW_OPEN.lastIndex = i;
    if (text[i] === '{' && RAW_OPEN.test(text)) {
      RAW_CLOSE.lastIndex = RAW_OPEN.lastIndex;
      const close = RAW_CLOSE.exec(text);
      if (!close) break;
      text_.push([RAW_OPEN.lastIndex, close.index]);
      i = close.index + close[0].length;
      continue;
    }
    // A tag's inside is no comment (`{{ "{#" }}`): skip over it.
    while (k < sorted.length && sorted[k].end <= i) k++;
    if (k < sorted.length && sorted[k].start === i) {
      i = sorted[k].end;
      continue;
    }
    i++;
  }
  const inside = (p: Placeholder): boolean => text_.some(([from, to]) => p.start < to && p.end > from);
  return [...placeholders.filter((p) => !inside(p)), ...comments];
}

/**
 * A Jinja template's `{% if %}` blocks (marked by `jinjaBranchMark`), innermost first, each replaced by one of its branches:
 * the one with fewer tokens, or more in the count with the longer branches (as a choice between literals, `cond ? a : b`).
 * A block without `{% else %}` has an empty branch, so its text is in the longer count only. OpenHands'
 * security_risk_assessment.j2 counted both its `cli_mode` branches (newuser45). Unpaired marks are dropped.
 */
function jinjaBranches(text: string): string {
  if (!text.includes(JINJA_IF)) return text.replace(/[\uE002-\uE004]/g, '');
  const size = (t: string): number => sharedTokenizer().countWithEncoding(t, 'o200k_base');
  const innermost = /\uE001([^\uE001\uE003]*)\uE003/g;
  let out = text;
  for (let guard = 0; out.includes(JINJA_IF) && guard < 1_000; guard++) {
    const next = out.replace(innermost, (_, body: string) => {
      branches.met++;
      const options = body.split(/[\uE002\uE004]/);
      // (No `{% else %}`: nothing at all is sent when no condition holds. An `{% if %}…{% elif %}…{% endif %}` read as a choice
      // between its branches only, Lumen's Planner/main.jinja2 counted 13 tokens more than jinja2 renders with none of them true.)
      if (!body.includes(JINJA_ELSE_LAST)) options.push('');
      return options.reduce((a, b) => (branches.longer ? size(b) > size(a) : size(b) < size(a)) ? b : a);
    });
    if (next === out) break;
    out = next;
  }
  return out.replace(/[\uE001-\uE004]/g, '');
}

/** The opening tag of a Jinja call block (`call m(x)`, `call(user) m()`), as `unsentBlocks` names the block. */
const JINJA_CALL = /^\s*call\b/;

/** The inside of a Jinja tag that brings in another template's text: `include "x.j2"`, `extends 'base.j2'`. */
const JINJA_INCLUDE = /^\s*(?:include|extends)\s/;

/**
 * The includes `substitute` met while a prompt was composed (`composePrompt` resets them): the templates being expanded
 * (innermost last, for cycles and depth), each included template's counted text, those not counted, and how many it spliced.
 */
const includes: { stack: string[]; counted: Map<string, string>; refused: Array<{ key: string; why: 'unresolved' | 'cycle' | 'depth' }>; spliced: number } = { stack: [], counted: new Map(), refused: [], spliced: 0 };

/** An included template's placeholders, by its text: only its tags (`{{ x }}`, `{% … %}`), since Jinja sends single braces as written. */
const templateFields = new Map<string, Placeholder[]>();

function templatePlaceholders(text: string): Placeholder[] {
  let fields = templateFields.get(text);
  if (!fields) {
    fields = findTextPlaceholders(text).filter((p) => p.syntax === 'mustache' || p.syntax === 'jinjaBlock');
    templateFields.set(text, fields);
    if (templateFields.size > 50) templateFields.delete(templateFields.keys().next().value as string);
  }
  return fields;
}

/**
 * The text an include tag sends, when its template's text is known (`importedFill.texts` under `include "x.j2"`): the
 * template composed in place with the including prompt's `fill` (its `{% if %}`s become choices of the same prompt, its
 * fields runtime values of the same prompt, in `runtime`). Jinja's default environment (OpenHands' `PromptManager`)
 * sends a template without its last newline and with its line breaks as `\n`. Undefined when it is not counted
 * (recorded in `includes.refused`): no text, a cycle, or too deep.
 */
function includedText(tag: string, fill: (p: Placeholder) => string | undefined, runtime: string[], hole: string): string | undefined {
  const template = includedTemplate(tag);
  if (!template) return undefined;
  const key = includeKey(template.name);
  const text = importedFill.texts?.get(key);
  const why = text === undefined ? 'unresolved' : includes.stack.includes(key) ? 'cycle' : includes.stack.length >= MAX_INCLUDE_DEPTH ? 'depth' : undefined;
  if (why !== undefined || text === undefined) {
    if (!includes.refused.some((r) => r.key === key)) includes.refused.push({ key, why: why ?? 'unresolved' });
    return undefined;
  }
  const body = text.replace(/\r\n?/g, '\n').replace(/\n$/, '');
  // (Listed in order of first use: an include inside it comes after it.)
  const first = !includes.counted.has(key);
  if (first) includes.counted.set(key, '');
  includes.stack.push(key);
  try {
    const expanded = substitute(body, jinjaPlaceholders(body, templatePlaceholders(body)), fill, runtime, hole, true);
    includes.spliced++;
    if (first) {
      // (Its own count, for the hover: its choices by their shorter branches, without touching the prompt's tally of them.)
      const { met, longer } = branches;
      branches.longer = false;
      includes.counted.set(key, jinjaBranches(expanded).split(RUNTIME_MARK).join(''));
      branches.met = met;
      branches.longer = longer;
    }
    return expanded;
  } finally {
    includes.stack.pop();
  }
}

/**
 * What a Jinja template that `{% extends "base.prompt" %}` another sends, when the templates it extends are known
 * (`importedFill.texts`, under `include "base.prompt"`): the one it extends, its blocks filled by the extending
 * template's (jinjaIncludes.ts `extendedText`), composed like an included template. gpt-pilot's code-monkey/breakdown.prompt
 * (a comment and the tag) read "no text of its own, only runtime values". Undefined when it extends nothing or what it
 * extends is not known (then recorded in `includes.refused`, and its tag stays a runtime value).
 */
function extendingText(text: string, fill: (p: Placeholder) => string | undefined, runtime: string[], hole: string): string | undefined {
  const tag = extendsTag(text);
  if (!tag) return undefined;
  const key = includeKey(tag.name);
  const extended = extendedText(text, (name) => importedFill.texts?.get(includeKey(name)));
  if (!extended) {
    if (!includes.refused.some((r) => r.key === key)) includes.refused.push({ key, why: importedFill.texts?.has(key) ? 'cycle' : 'unresolved' });
    return undefined;
  }
  const body = extended.text.replace(/\n$/, '');
  includes.stack.push(key);
  try {
    const expanded = substitute(body, jinjaPlaceholders(body, templatePlaceholders(body)), fill, runtime, hole, true);
    includes.spliced++;
    const { met, longer } = branches;
    branches.longer = false;
    // (The hover's count of the template it extends: what this template sends, which is that one with its blocks filled.
    // The templates further up are listed with what each sends alone, so that the editor watches their files too.)
    includes.counted.set(key, jinjaBranches(expanded).split(RUNTIME_MARK).join(''));
    for (const name of extended.chain.slice(1)) {
      const upKey = includeKey(name);
      const own = importedFill.texts?.get(upKey);
      if (own === undefined || includes.counted.has(upKey)) continue;
      const alone = (extendedText(own, (n) => importedFill.texts?.get(includeKey(n)))?.text ?? own).replace(/\r\n?/g, '\n').replace(/\n$/, '');
      includes.counted.set(upKey, jinjaBranches(substitute(alone, jinjaPlaceholders(alone, templatePlaceholders(alone)), fill, [], hole, true)).split(RUNTIME_MARK).join(''));
    }
    branches.met = met;
    branches.longer = longer;
    return expanded;
  } finally {
    includes.stack.pop();
  }
}

function substitute(text: string, placeholders: readonly Placeholder[], fill: (p: Placeholder) => string | undefined, runtime: string[], hole = '', jinja = false): string {
  let out = '';
  let at = 0;
  // Jinja's whitespace control: `{%-` takes the whitespace before the tag out of the text, `-%}` the whitespace after it.
  let trimNext = false;
  // A `str.format` (or LangChain) template sends `{{` and `}}` as one brace each: Qwen-Agent's `{{"res": "ans", …}}` JSON
  // examples beside a `{no_response}` field. (Not where `{{ name }}` tags are fields: there the doubled braces are tags.)
  const formatEscapes = placeholders.some((p) => p.syntax === 'brace' && !p.interpolated) && !placeholders.some((p) => p.syntax === 'mustache');
  const fixed = (from: number, to: number): string => (formatEscapes ? text.slice(from, to).replace(/\{\{/g, '{').replace(/\}\}/g, '}') : text.slice(from, to));
  for (const p of [...placeholders].sort((a, b) => a.start - b.start)) {
    if (p.start < at) continue;
    let chunk = fixed(at, p.start);
    if (jinja && trimNext) chunk = chunk.trimStart();
    if (jinja && TRIM_BEFORE.test(text.slice(p.start, p.start + 3))) chunk = chunk.trimEnd();
    out += chunk;
    trimNext = jinja && TRIM_AFTER.test(text.slice(Math.max(p.start, p.end - 3), p.end));
    const value = fill(p) ?? importedText(p);
    // (An interpolation choosing between literals: the chosen branch's text is counted, its own values are the runtime
    // values; the condition inserts no text, so it is not named: `${isRag ? ctx : "none"}` sends `ctx` or "none", never `isRag`.)
    const choice = value === undefined && p.interpolated && (p.syntax === 'dollarBrace' || p.syntax === 'brace') ? literalChoice(p.syntax === 'brace' ? fieldExpression(p.name) : p.name, p.syntax === 'brace') : undefined;
    if (value !== undefined) out += value;
    else if (choice) {
      branches.met++;
      // (By tokens, not characters: `zh ? "请始终使用简体中文回答客户的问题" : "Always answer in plain English."` is 10 tokens
      // against 6, and the shorter string as the lower bound made "≥ N" 4 tokens too many, break38.)
      const size = (b: { text: string }): number => sharedTokenizer().countWithEncoding(b.text, 'o200k_base');
      const pick = choice.branches.reduce((a, b) => (branches.longer ? size(b) > size(a) : size(b) < size(a)) ? b : a);
      runtime.push(...choice.branches.flatMap((b) => b.values));
      out += pick.text;
    }
    // A Jinja `{% include "system_prompt.j2" %}` sends another template's text: counted in place when the engine read it
    // from disk (jinjaIncludes.ts), else named (OpenHands' system_prompt_interactive.j2 opens with it, and its lens read
    // "246 tokens", exact, for a ~2,200-token prompt; newuser45). (`extends` stays named: its blocks replace the includer's.)
    else if (p.syntax === 'jinjaBlock' && JINJA_INCLUDE.test(p.name)) {
      const spliced = includedText(p.name, fill, runtime, hole);
      if (spliced !== undefined) out += spliced;
      else runtime.push(p.name.trim().replace(/\s+/g, ' '));
    }
    // (A call block, `{% call m(x) %}…{% endcall %}`: what the macro renders is a runtime value, named by its tag; unsentBlocks.)
    else if (p.syntax === 'jinjaBlock' && JINJA_CALL.test(p.name)) runtime.push(p.name);
    // (An f-string field is named by its expression: `{item['name']!r}` and `{width:>10}` are `item['name']` and `width`.)
    else if (p.syntax !== 'jinjaBlock') {
      // (A positional field, `'… {} …'.format(x)`, has no name: it is named as written, not as an empty string.)
      runtime.push(p.interpolated && p.syntax === 'brace' ? fieldExpression(p.name) : p.name === '' && p.syntax === 'brace' ? '{}' : p.name);
      out += hole;
    }
    at = p.end;
  }
  const rest = fixed(at, text.length);
  return out + (jinja && trimNext ? rest.trimStart() : rest);
}

/** The code between two `+` pieces, as the runtime value it adds (`x` in `"a" + x + "b"`), or undefined when there is none. */
function gapValue(source: string, from: number, to: number): string | undefined {
  if (to <= from || to - from > 400) return to - from > 400 ? 'code between the pieces' : undefined;
  const gap = source
    .slice(from, to)
    .replace(/^[\s)]*\+[\s(]*/, '')
    .replace(/[\s(]*\+[\s)]*$/, '')
    .trim();
  return gap === '' ? undefined : gap.replace(/\s+/g, ' ');
}

/**
 * The composed text of a prompt (see the module comment). `source` is the document's text,
 * for naming the code between `+` pieces. A prompt without pieces is counted on its own
 * text, placeholders removed when it has any.
 */
export function composePrompt(
  location: Pick<PromptLocation, 'text' | 'placeholders' | 'pieces' | 'range' | 'runtimeOperands' | 'boundName' | 'dedent' | 'strip' | 'joined' | 'api'> & { quoting?: LiteralQuoting },
  source: string,
  imported?: ReadonlyMap<string, string>,
): ComposedPrompt {
  importedFill.texts = imported;
  importedFill.used = [];
  importedFill.source = source;
  importedFill.integers = 0;
  includes.stack = [];
  includes.counted = new Map();
  includes.refused = [];
  includes.spliced = 0;
  try {
    let composed = composeWithBranches(location, source);
    if (importedFill.used.length > 0) composed = { ...composed, imported: importedFill.used };
    if (includes.counted.size > 0) composed = { ...composed, included: [...includes.counted].map(([key, counted]) => ({ key, counted })) };
    if (includes.refused.length > 0) composed = { ...composed, includesNotCounted: includes.refused };
    return composed;
  } finally {
    importedFill.texts = undefined;
    importedFill.used = [];
    importedFill.source = undefined;
    importedFill.integers = 0;
    includes.stack = [];
    includes.counted = new Map();
    includes.refused = [];
    includes.spliced = 0;
  }
}

/**
 * The names of `fields` (single-brace fields of a Jinja template) that stand in its prose: not in a code block (the
 * Python f-strings of smolagents' examples, `{translated_question}`), not in inline code, and a plain name.
 */
function fieldsInProse(text: string, fields: readonly Placeholder[]): string[] {
  if (fields.length === 0) return [];
  const blocks = codeBlocks(text);
  const names: string[] = [];
  for (const f of fields) {
    if (!/^[A-Za-z_]\w*$/.test(f.name) || blocks.some((b) => b.start <= f.start && f.start < b.end)) continue;
    const lineStart = text.lastIndexOf('\n', f.start - 1) + 1;
    if ((text.slice(lineStart, f.start).match(/`/g) ?? []).length % 2 === 1) continue;
    if (!names.includes(f.name)) names.push(f.name);
  }
  return names;
}

function composeWithBranches(location: Parameters<typeof composePrompt>[0], source: string): ComposedPrompt {
  branches.longer = false;
  branches.met = 0;
  const composed = composeOnce(location, source);
  if (branches.met === 0) return composed;
  // Again with the longer branch of each choice between literals: the count the hover gives beside the lower bound.
  branches.longer = true;
  try {
    const longer = composeOnce(location, source).counted;
    return longer === composed.counted ? composed : { ...composed, withLongerBranches: longer };
  } finally {
    branches.longer = false;
  }
}

function composeOnce(location: Pick<PromptLocation, 'text' | 'placeholders' | 'pieces' | 'range' | 'runtimeOperands' | 'boundName' | 'dedent' | 'strip' | 'joined' | 'api'> & { quoting?: LiteralQuoting }, source: string): ComposedPrompt {
  const composed = location.joined ? composeJoined(location, location.joined, source) : composeParts(location, source);
  // Whitespace around runtime values is no text of its own (khoj's `content=f"{prompts.x.format(…)}\n"` read "≥1 token +
  // runtime values" where the same message without the newline had no lens): nothing is counted, as for `f"{x}"`.
  return composed.runtimeValues.length > 0 && composed.counted !== '' && composed.counted.trim() === '' ? { ...composed, counted: '' } : composed;
}

function composeParts(location: Pick<PromptLocation, 'text' | 'placeholders' | 'pieces' | 'range' | 'runtimeOperands' | 'boundName' | 'dedent' | 'strip' | 'api'> & { quoting?: LiteralQuoting }, source: string): ComposedPrompt {
  const runtime: string[] = [];
  const pieces = location.pieces && location.pieces.length > 1 ? location.pieces : undefined;
  if (!pieces) {
    // A literal joined with `+` to runtime values: those before it, its own placeholders, those after it.
    const own: string[] = [];
    const printf = printfFilled(location, source);
    // Formatted with `%` and nothing after: `{topic}` and `{{` are sent as written (`%` reads no braces), `{{name}}` too
    // unless a template engine in the file could render it.
    const tagsAreText = printf?.bracesAreText === true && !PYTHON_RENDERER.test(source);
    // A Jinja template (one with a statement tag, `{%- for tool in tools.values() %}`) renders a single-brace field as written:
    // smolagents' code_agent.yaml shows Python in its examples (`print(f"The translated question is {translated_question}.")`),
    // and the hover named `translated_question`, `answer` and `city` as runtime values, not counted (newuser46).
    const jinja = location.placeholders.some((p) => !p.interpolated && p.syntax === 'jinjaBlock');
    const braces = printf?.bracesAreText || jinja ? location.placeholders.filter((p) => !p.interpolated && (p.syntax === 'brace' || (tagsAreText && p.syntax === 'mustache'))) : [];
    const jinjaFile = location.quoting?.language === 'promptFile' && location.quoting.engine === 'jinja';
    // Rendered by Jinja: a prompt file named so, a text with a statement tag (smolagents' YAML prompts, `{%- if … %}`), or one
    // with `{{ … }}` fields and a Jinja comment (no other template language writes `{# … #}`).
    const jinjaText = jinjaFile || jinja || (location.placeholders.some((p) => !p.interpolated && p.syntax === 'mustache') && /\{#[\s\S]*?#\}/.test(location.text));
    const kept = location.placeholders.filter((p) => !braces.includes(p));
    const placeholders = [...(jinjaText ? jinjaPlaceholders(location.text, kept) : kept), ...(printf?.placeholders ?? [])];
    placeholders.push(...replacedMarkers(location.text, placeholders, source));
    // Dedented, a runtime value stands where it is: a line holding only `{{ticket}}` keeps its
    // indentation relative to the others (it is not a blank line), so each value is a marker
    // while the indentation goes, and is left out after.
    // `.strip()` works on a template's text as written, fields in place (`"""…{x}…""".strip().format(…)`, LangChain's
    // `from_template("""…""".strip())`), but on an f-string's value, the values in (empty, for a lower bound).
    const late = location.strip !== undefined && location.quoting?.formatted === true;
    const reshaped = location.dedent || (location.strip && !late);
    const metBefore = branches.met;
    // A Jinja template's `{% if %}…{% else %}…{% endif %}` sends one branch: marked here, chosen after (`jinjaBranches`). (Only
    // in a Jinja prompt file before: smolagents' toolcalling_agent.yaml system prompt read "≥838 tokens" where Jinja sends 735
    // to an agent without tools or managed agents, counted by js-tiktoken on jinja2's render.)
    const fill = jinjaText ? jinjaBranchMark : () => undefined;
    let counted = (jinjaText ? extendingText(location.text, fill, own, reshaped ? RUNTIME_MARK : '') : undefined) ?? substitute(location.text, placeholders, fill, own, reshaped ? RUNTIME_MARK : '', jinjaText);
    if (jinjaText) counted = jinjaBranches(counted);
    if (location.dedent) counted = stripIndentation(counted, location.dedent);
    if (location.strip && !late) counted = stripEnds(counted, location.strip);
    if (reshaped) counted = counted.split(RUNTIME_MARK).join('');
    if (location.strip && late) counted = stripEnds(counted, location.strip);
    // (A Jinja prompt file's statement tags, `{% if repository_info %}`, render as nothing: they were counted as text whenever
    // the template had no `{{ … }}` field (OpenHands' security_risk_assessment.j2), and left out when it had one; newuser45.)
    // (So do they, and its comments, in a Jinja template anywhere: a YAML value with `{%- if verbose %}` and no field was counted as written.)
    const jinjaTags = jinjaText && placeholders.some((p) => p.syntax === 'jinjaBlock');
    // (A choice between literals with no value of its own, `${formal ? "…" : "…"}`, names no runtime value and is substituted too.)
    const substituted = own.length > 0 || branches.met > metBefore || importedFill.used.length > 0 || importedFill.integers > 0 || includes.spliced > 0 || location.dedent || location.strip || jinjaTags;
    // (`RULES + "…"` with RULES imported from a module of the project: its text, in its place.)
    const before = operandsText(location.runtimeOperands?.before ?? [], runtime);
    runtime.push(...own);
    const after = operandsText(location.runtimeOperands?.after ?? [], runtime);
    const asWritten = jinja ? fieldsInProse(location.text, braces) : [];
    return { counted: before + (substituted ? counted : location.text) + after, runtimeValues: unique(runtime), pieces: [], ...(asWritten.length > 0 ? { sentAsWritten: asWritten } : {}) };
  }
  const isPrimary = (p: PromptPiece): boolean => p.range.start.offset === location.range.start.offset && p.range.end.offset === location.range.end.offset;
  const primaryFields = primaryPlaceholders(location, source);
  // Each piece's placeholders read once (they were read again for each piece and each interpolation: 1,000 pieces took a minute).
  const jsInterpolates = interpolatesJs(location);
  const fieldsOf = new Map<PromptPiece, Placeholder[]>();
  const placeholdersOf = (p: PromptPiece): Placeholder[] => {
    let fields = fieldsOf.get(p);
    if (!fields) fieldsOf.set(p, (fields = isPrimary(p) ? primaryFields : piecePlaceholders(p, pieceEvidence(location, p, source, jsInterpolates))));
    return fields;
  };
  // A fragment fills the first interpolation of its name in another piece; the first fragment of a name wins (the others are alternatives, such as the branches of a conditional).
  const fillers = new Map<string, PromptPiece>();
  for (const p of pieces) if (p.fills && !fillers.has(p.fills)) fillers.set(p.fills, p);
  const used = new Set<PromptPiece>();
  const expand = (p: PromptPiece, depth: number): string =>
    substitute(
      p.text,
      placeholdersOf(p),
      (ph) => {
        const fragment = ph.interpolated ? fillers.get(ph.name) : undefined;
        // (A shared constant fills every interpolation of its name: `{COMMON}` twice sends its text twice.)
        if (!fragment || fragment === p || (used.has(fragment) && !fragment.shared) || depth > 4) return undefined;
        used.add(fragment);
        return expand(fragment, depth + 1);
      },
      runtime,
    );
  // Pieces not substituted into another are joined in source order, with the code between them as runtime values.
  const interpolatedBy = new Map<string, PromptPiece[]>();
  for (const q of pieces) {
    for (const ph of placeholdersOf(q)) {
      if (!ph.interpolated) continue;
      const by = interpolatedBy.get(ph.name);
      if (!by) interpolatedBy.set(ph.name, [q]);
      else if (by[by.length - 1] !== q) by.push(q);
    }
  }
  const top = pieces.filter((p) => !p.fills || !(interpolatedBy.get(p.fills) ?? []).some((q) => q !== p));
  let counted = '';
  let previous: PromptPiece | undefined;
  let trailing: string | undefined;
  const chain = top.filter((p) => !p.fills);
  // A chain whose module constants are pieces names its runtime operands itself (the scanner's spliceChainConstants).
  const named = location.runtimeOperands;
  if (named) runtime.push(...named.before, ...named.after);
  // (Also for one literal after a variable whose literal is a piece: `prompt + "…" + summary`.)
  else if (chain.length > 1 || (chain.length === 1 && top.some((p) => p.fills !== undefined))) {
    // A `+` chain always has a non-literal operand; one before the first or after the last piece is named here.
    const first = chain[0].range.start.offset;
    const last = chain[chain.length - 1].range.end.offset;
    const before = /([\w$.[\]()'"]+)\s*\+\s*$/.exec(source.slice(Math.max(0, first - 200), first));
    const after = /^\s*\+\s*([\w$.[\]()'"]+)/.exec(source.slice(last, last + 200));
    // (A variable whose literal is a piece, `SYSTEM_MSG + `…``, is counted, not a runtime value.)
    if (before && !fillers.has(before[1])) runtime.push(before[1]);
    if (after) trailing = after[1];
  }
  for (const p of top) {
    if (used.has(p)) continue;
    if (!named && previous && !previous.fills && !p.fills) {
      const gap = gapValue(source, previous.range.end.offset, p.range.start.offset);
      if (gap) runtime.push(gap);
    }
    counted += expand(p, 0);
    previous = p;
  }
  if (trailing) runtime.push(trailing);
  const own = pieces.map((p) => {
    const ignored: string[] = [];
    return { counted: substitute(p.text, placeholdersOf(p), () => undefined, ignored), ...(p.fills ? { fills: p.fills } : {}) };
  });
  return { counted, runtimeValues: unique(runtime), pieces: own };
}

/**
 * A list of lines joined into one string: each literal's fixed text, with the separator between
 * every two elements. A runtime element adds its separator but no text; a spread (`*xs`, `...xs`)
 * adds neither, as it may be empty. So the count is a lower bound whenever the list holds values.
 */
function composeJoined(location: Pick<PromptLocation, 'text' | 'placeholders' | 'pieces' | 'range' | 'api'>, joined: NonNullable<PromptLocation['joined']>, source: string): ComposedPrompt {
  const runtime: string[] = [];
  const isPrimary = (p: PromptPiece): boolean => p.range.start.offset === location.range.start.offset && p.range.end.offset === location.range.end.offset;
  const primaryFields = primaryPlaceholders(location, source);
  // A list joined inside a piece's interpolation (`${actionSections.join('\n\n')}`), counted in its place (`joined.splices`).
  const splices = new Map((joined.splices ?? []).map((s) => [s.value.replace(/\s+/g, ''), s]));
  const entered = new Set<string>();
  const spliced = (p: Placeholder, into: string[]): string | undefined => {
    const key = p.interpolated ? p.name.replace(/\s+/g, '') : undefined;
    const splice = key !== undefined ? splices.get(key) : undefined;
    if (!splice || entered.has(key as string)) return undefined;
    entered.add(key as string);
    try {
      return joinLines(splice.elements, into).join(splice.separator);
    } finally {
      entered.delete(key as string);
    }
  };
  const fixed = (i: number, into: string[], dedent?: NonNullable<PromptLocation['dedent']>, whole = true): string => {
    const p = location.pieces?.[i];
    const text = p?.text ?? location.text;
    const fields = p ? (isPrimary(p) ? primaryFields : piecePlaceholders(p, pieceEvidence(location, p, source))) : location.placeholders;
    const fill = whole && splices.size > 0 ? (ph: Placeholder) => spliced(ph, into) : () => undefined;
    // A `` dedent`…` `` piece reaches the model without its code indentation (a runtime value stands where it is meanwhile).
    return dedent ? stripIndentation(substitute(text, fields, fill, into, RUNTIME_MARK), dedent).split(RUNTIME_MARK).join('') : substitute(text, fields, fill, into);
  };
  const dedentOf = new Map([...joined.elements, ...(joined.splices ?? []).flatMap((s) => s.elements)].flatMap((e) => ('piece' in e && e.dedent ? [[e.piece, e.dedent] as const] : [])));
  const joinLines = (elements: NonNullable<PromptLocation['joined']>['elements'], into: string[]): string[] => {
    const lines: string[] = [];
    for (let i = 0; i < elements.length; i++) {
      const e = elements[i];
      if ('piece' in e && e.choice !== undefined) {
        // Alternatives (the branches of an `if`, one of which is sent): the one with fewer tokens in the lower bound, the
        // one with more in the count with the longer branches, as for a choice inside a literal.
        const texts: string[] = [];
        const names: string[][] = [];
        for (let k = i; k < elements.length; k++) {
          const a = elements[k];
          if (!('piece' in a) || a.choice !== e.choice) break;
          names.push([]);
          texts.push(fixed(a.piece, names[names.length - 1], a.dedent));
          i = k;
        }
        branches.met++;
        const size = (t: string): number => sharedTokenizer().countWithEncoding(t, 'o200k_base');
        let pick = 0;
        for (let k = 1; k < texts.length; k++) if (branches.longer ? size(texts[k]) > size(texts[pick]) : size(texts[k]) < size(texts[pick])) pick = k;
        into.push(...names.flat());
        lines.push(texts[pick]);
      } else if ('piece' in e) lines.push(fixed(e.piece, into, e.dedent));
      else {
        // (A constant named whole, `"Give me " + MAX_ITEMS + " answers"` or `"\n".join([RULES, …])`, is its text.)
        const known = e.spread ? undefined : constantText(e.value.trim());
        if (known !== undefined) lines.push(known);
        else {
          into.push(e.value);
          if (!e.spread) lines.push('');
        }
      }
    }
    return lines;
  };
  const lines = joinLines(joined.elements, runtime);
  const pieces = (location.pieces ?? []).map((_, i) => ({ counted: fixed(i, [], dedentOf.get(i), false) }));
  return { counted: lines.join(joined.separator), runtimeValues: unique(runtime), pieces };
}

/** Positional printf conversions (`%s`, `%r`, `%5.2f`…), not `%%`; the named form `%(x)s` is a placeholder of the scanner's. */
const PRINTF_CONVERSION = /%%|%[-+ #0]*\d*(?:\.\d+)?[sdifrx]/g;

/** The code after `%` (`(question, reference)`, `args`), split at its top-level commas. */
function printfArguments(written: string): string[] {
  const inner = written.startsWith('(') && written.endsWith(')') ? written.slice(1, -1) : written;
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i <= inner.length; i++) {
    const c = inner[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if ((c === ',' && depth === 0) || i === inner.length) {
      const arg = inner.slice(start, i).trim();
      if (arg) out.push(arg);
      start = i + 1;
    }
  }
  return out;
}

/**
 * A literal formatted with Python's `%` operator with positional conversions (`"…%s…" % x`, or
 * `JUDGE % (question, reference)` where the literal is bound to `JUDGE`): its conversions are
 * runtime values, named by the arguments after `%` (the conversion itself when they cannot be paired).
 */
function printfFilled(location: Pick<PromptLocation, 'text' | 'placeholders' | 'range' | 'boundName'> & { quoting?: LiteralQuoting }, source: string): { placeholders: Placeholder[]; bracesAreText: boolean } | undefined {
  if (!location.text.includes('%') || source === '' || location.placeholders.some((p) => p.syntax === 'percent')) return undefined;
  const ARGS = String.raw`(\([^()]*(?:\([^()]*\)[^()]*)*\)|[\w.]+(?:\[[^\]]*\])?)`;
  let match = new RegExp(`^\\s*%\\s*${ARGS}`).exec(source.slice(location.range.end.offset, location.range.end.offset + 400));
  let after = location.range.end.offset + (match ? match.index + match[0].length : 0);
  const name = location.boundName;
  if (!match && name && /^[A-Za-z_]\w{0,60}$/.test(name)) {
    match = new RegExp(`(?<![\\w.])${name}\\s*%\\s*${ARGS}`).exec(source);
    after = match ? match.index + match[0].length : after;
  }
  const written = match?.[1];
  if (!written) return undefined;
  const conversions = [...location.text.matchAll(PRINTF_CONVERSION)].filter((m) => m[0] !== '%%');
  if (conversions.length === 0) return undefined;
  const args = printfArguments(written);
  const paired = args.length === conversions.length;
  // (A two-stage template, `("… %s … {topic}" % role).format(topic=t)`, still fills its braces: not an f-string either.)
  const bracesAreText = !location.quoting?.formatted && !/^\s*\)*\s*\.\s*format(?:_map)?\s*\(/.test(source.slice(after, after + 200));
  return {
    bracesAreText,
    placeholders: conversions.map((m, i) => ({ name: paired ? args[i] : m[0], syntax: 'percent' as const, start: m.index, end: m.index + m[0].length, interpolated: false })),
  };
}

/**
 * What a marker that code fills with `str.replace` looks like: `__profile__`, `<<NAME>>`, `[[name]]`, `[QUERY]`,
 * `<QUERY>`, `$name`, `%name%`, `@name@` (not `{name}` or `{{name}}`, which are fields already, and not a plain
 * word: `.replace("json", "")` cleans a reply, it fills nothing).
 */
const MARKER = String.raw`__\w+__|<<\w+>>|\[\[\w+\]\]|\[[A-Z][A-Z0-9_]{2,}\]|<[A-Z][A-Z0-9_]{2,}>|\$\w+|%\w+%|@\w+@`;
/** `.replace("__profile__", profile)` or `.replaceAll('<<NAME>>', …)`, not with an empty string (which removes the marker). */
const REPLACE_CALL = new RegExp(String.raw`\.replace(?:All)?\(\s*(["'\`])(${MARKER})\1\s*,\s*(?!\s|(["'\`])\3\s*\))`, 'g');

/**
 * Markers of a template filled with `str.replace` in the same file (MetaGPT's werewolf `PROMPT_TEMPLATE`:
 * `.replace("__context__", context).replace("__profile__", profile)…`): each occurrence in the text is a
 * runtime value, named by the marker, so the count is the lower bound it is.
 */
/** The markers a file fills with `.replace` (one pass over the file per version, not one per prompt: the typing path). */
function markersReplacedIn(source: string): string[] {
  if (replacedCache?.source !== source) replacedCache = { source, markers: source.includes('.replace') ? [...new Set([...source.matchAll(REPLACE_CALL)].map((m) => m[2]))] : [] };
  return replacedCache.markers;
}
let replacedCache: { source: string; markers: string[] } | undefined;

function replacedMarkers(text: string, placeholders: readonly Placeholder[], source: string): Placeholder[] {
  // (Not the marker's own literal, the argument of `.replace`.)
  if (text.trim().length < 30) return [];
  const found = markersReplacedIn(source);
  if (found.length === 0) return [];
  const markers = new Set(found.filter((m) => text.includes(m)));
  const out: Placeholder[] = [];
  for (const marker of markers) {
    for (let at = text.indexOf(marker); at >= 0; at = text.indexOf(marker, at + marker.length)) {
      const end = at + marker.length;
      if ([...placeholders, ...out].some((p) => p.start < end && at < p.end)) continue;
      out.push({ name: marker, syntax: 'percent', start: at, end, interpolated: false });
    }
  }
  return out;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** Python's whitespace (`str.isspace`), what `str.strip()` takes off: unlike JavaScript's, it holds U+001C–U+001F and U+0085, not U+FEFF. */
const PY_SPACE = '\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const PY_LEADING = new RegExp(`^[${PY_SPACE}]+`);
const PY_TRAILING = new RegExp(`[${PY_SPACE}]+$`);

/** The text a string method that strips its ends returns (`str.strip()`, `String.prototype.trim()` and their one-sided forms). */
export function stripEnds(text: string, how: NonNullable<PromptLocation['strip']>): string {
  if (how === 'trim') return text.trim();
  if (how === 'trimStart') return text.trimStart();
  if (how === 'trimEnd') return text.trimEnd();
  const left = how === 'rstrip' ? text : text.replace(PY_LEADING, '');
  return how === 'lstrip' ? left : left.replace(PY_TRAILING, '');
}

/**
 * The text an indentation stripper returns, so that the count is of what the model gets:
 * - `stripIndents` (common-tags; bolt.new has its own): every line's leading whitespace goes, then the ends are trimmed;
 * - `stripIndent` (common-tags): the smallest indent of the non-blank lines goes from every line, then the ends are trimmed;
 * - `dedent` (the npm package): the smallest indent of the indented lines that hold text goes from every
 *   indented line (a line without indent does not lower it), then the ends are trimmed. (The package reads
 *   the raw template, where a `\n` escape does not start a line; counted here on the cooked text. Continue's
 *   own `dedent` in core/util also lets an unindented line lower the indent and trims only blank lines at the
 *   ends: the two agree on templates whose text lines are all indented, as prompts in code are.)
 * - `textwrap.dedent` (Python): whitespace-only lines become empty, and the longest common leading
 *   whitespace of the other lines goes (tabs and spaces are different characters); nothing is trimmed.
 * - `inspect.cleandoc` (Python, what DSPy sends of a signature's docstring): tabs expand to 8 columns, the first
 *   line loses its leading whitespace, the smallest indent of the other lines that hold text goes from each of
 *   them, and blank lines at both ends go (a line of spaces only is blank once its indent is gone).
 */
export function stripIndentation(text: string, how: NonNullable<PromptLocation['dedent']>): string {
  if (how === 'stripIndents') return text.replace(/^[^\S\n]+/gm, '').trim();
  if (how === 'inspect.cleandoc') return cleandoc(text);
  if (how === 'dedent') {
    const indents = (text.match(/^[ \t]+(?=\S)/gm) ?? []).map((i) => i.length);
    const min = indents.length > 0 ? Math.min(...indents) : 0;
    return (min > 0 ? text.split('\n').map((l) => (l[0] === ' ' || l[0] === '\t' ? l.slice(min) : l)).join('\n') : text).trim();
  }
  if (how === 'stripIndent') {
    const indents = text.match(/^[ \t]*(?=\S)/gm) ?? [];
    const min = indents.length > 0 ? Math.min(...indents.map((i) => i.length)) : 0;
    return (min > 0 ? text.replace(new RegExp(`^[ \\t]{${min}}`, 'gm'), '') : text).trim();
  }
  const lines = text.replace(/^[ \t]+$/gm, '').split('\n');
  let margin: string | undefined;
  for (const line of lines) {
    if (line === '') continue;
    const indent = /^[ \t]*/.exec(line)?.[0] ?? '';
    if (margin === undefined) margin = indent;
    else {
      let i = 0;
      while (i < margin.length && i < indent.length && margin[i] === indent[i]) i++;
      margin = margin.slice(0, i);
    }
  }
  const cut = margin ?? '';
  return cut === '' ? lines.join('\n') : lines.map((l) => (l.startsWith(cut) ? l.slice(cut.length) : l)).join('\n');
}

/** Python's `str.expandtabs()` (tab stops every 8 columns) of one line. */
function expandTabs(line: string): string {
  if (!line.includes('\t')) return line;
  let out = '';
  let column = 0;
  for (const ch of line) {
    const cell = ch === '\t' ? ' '.repeat(8 - (column % 8)) : ch;
    out += cell;
    // (A carriage return starts the columns again, as in Python.)
    column = ch === '\r' ? 0 : column + cell.length;
  }
  return out;
}

/** Python's `inspect.cleandoc`, restated (CPython 3 Lib/inspect.py): see `stripIndentation`. */
function cleandoc(text: string): string {
  const lines = text.split('\n').map(expandTabs);
  let margin = Infinity;
  for (const line of lines.slice(1)) {
    const content = line.replace(/^\s+/, '');
    if (content !== '') margin = Math.min(margin, line.length - content.length);
  }
  lines[0] = lines[0].replace(/^\s+/, '');
  if (margin !== Infinity) for (let i = 1; i < lines.length; i++) lines[i] = lines[i].slice(margin);
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  while (lines.length > 0 && lines[0] === '') lines.shift();
  return lines.join('\n');
}

/**
 * Where a character of a piece's counted text (`counted`, the piece with its indentation stripped or its runtime values
 * left out) stands in the piece's text as written (`written`): the counted text is read as what is left of the written
 * one, character by character. Undefined when it is not (a tab expanded to spaces): the caller then falls back to the
 * piece's start. The Analyze panel's line of a suggestion in a dedented piece (newuser42: every suggestion of a DSPy
 * signature's docstring read "line 34", the line of its opening quotes).
 */
export function writtenOffsetOf(counted: string, written: string, offset: number): number | undefined {
  let j = 0;
  for (let i = 0; i < counted.length && i <= offset; i++) {
    while (j < written.length && written[j] !== counted[i]) j++;
    if (j >= written.length) return undefined;
    if (i === offset) return j;
    j++;
  }
  return offset >= counted.length ? written.length : undefined;
}

/**
 * Jinja `{% include "x.j2" %}` tags: the template each names, and the name its text goes under. A Jinja template sends
 * the text of the templates it includes in place of the tag (OpenHands' system_prompt_interactive.j2 opens with
 * `{% include "system_prompt.j2" %}`, ~1,900 tokens of its ~2,200); the engine reads them (jinjaIncludeReader.ts) and
 * the editor counts them in place (hints/composed.ts). No file access here: the editor's bundle imports it.
 */
import type { ImportedConstant } from '../../../protocol/hints';
import { findTextPlaceholders } from './atoms';

/** How deep includes are followed (a template including one that includes another is depth 2). */
export const MAX_INCLUDE_DEPTH = 6;

/** A file name Jinja's engine claims: `.j2`, `.jinja`, `.jinja2`. */
export const JINJA_FILE_NAME = /\.(?:jinja2?|j2)$/i;

/**
 * The template an include tag names (the tag's inside, as the scanner keeps it: `include "system_prompt.j2"`,
 * `include 'a.j2' ignore missing with context`), when it is one string literal; undefined for a variable or a list.
 */
export function includedTemplate(tag: string): { name: string; ignoreMissing: boolean } | undefined {
  const m = /^\s*include\s+(?:"([^"\\]+)"|'([^'\\]+)')(\s+ignore\s+missing)?(?:\s+(?:with|without)\s+context)?\s*$/.exec(tag);
  if (!m) return undefined;
  return { name: m[1] ?? m[2], ignoreMissing: m[3] !== undefined };
}

/** The name an included template's text goes under in `ImportedConstant` and in `composePrompt`'s map: `include "x.j2"`. */
export function includeKey(name: string): string {
  return `include "${name}"`;
}

/**
 * The texts `composePrompt` puts in place, by name: imported constants, and the templates include tags name (under
 * `include "x.j2"`); a template not found names no text, so its tag stays a runtime value.
 */
export function importedTextMap(constants: readonly ImportedConstant[]): Map<string, string> {
  return new Map(constants.filter((c) => c.include === undefined || c.include === 'found').map((c) => [c.name, c.text]));
}

/** The template names a text's include tags (and its `{% extends %}` tag) name, in order, without repeats. */
export function includeNames(text: string): string[] {
  if (!text.includes('include') && !text.includes('extends')) return [];
  const names: string[] = [];
  for (const p of findTextPlaceholders(text)) {
    if (p.syntax !== 'jinjaBlock') continue;
    const name = includedTemplate(p.name)?.name ?? extendedTemplate(p.name);
    if (name !== undefined && !names.includes(name)) names.push(name);
  }
  return names;
}

/** The template an extends tag names (the tag's inside: `extends "base.j2"`), when it is one string literal. */
export function extendedTemplate(tag: string): string | undefined {
  const m = /^\s*extends\s+(?:"([^"\\]+)"|'([^'\\]+)')\s*$/.exec(tag);
  return m ? (m[1] ?? m[2]) : undefined;
}

/**
 * The template a text extends: its `{% extends "x" %}` tag, when only whitespace and `{# comments #}` come before it
 * (Jinja renders text before the tag too; such a template is left as it is). gpt-pilot's code-monkey/breakdown.prompt is a
 * comment and `{% extends "developer/breakdown.prompt" %}`.
 */
export function extendsTag(text: string): { name: string; end: number } | undefined {
  const m = /^(?:\s|\{#[\s\S]*?#\})*\{%[-+]?\s*extends\s+(?:"([^"\\]+)"|'([^'\\]+)')\s*[-+]?%\}/.exec(text);
  return m ? { name: m[1] ?? m[2], end: m[0].length } : undefined;
}

interface Block {
  name: string;
  /** The open tag `{% block x %}`: where it starts, where it ends (the block's inside starts). */
  openStart: number;
  innerStart: number;
  /** The close tag `{% endblock %}`: where it starts (the inside ends), where it ends. */
  innerEnd: number;
  closeEnd: number;
  depth: number;
}

const BLOCK_TAG = /\{%[-+]?\s*(?:block\s+([A-Za-z_]\w*)(?:\s+scoped)?(?:\s+required)?|endblock(?:\s+[A-Za-z_]\w*)?)\s*[-+]?%\}/g;

/** A template's `{% block %}`s in the order they open (outer ones first); undefined when the tags do not pair up. */
function blocksOf(text: string): Block[] | undefined {
  const open: Array<{ name: string; openStart: number; innerStart: number }> = [];
  const blocks: Block[] = [];
  BLOCK_TAG.lastIndex = 0;
  for (let m = BLOCK_TAG.exec(text); m; m = BLOCK_TAG.exec(text)) {
    if (m[1] !== undefined) open.push({ name: m[1], openStart: m.index, innerStart: m.index + m[0].length });
    else {
      const b = open.pop();
      if (!b) return undefined;
      blocks.push({ ...b, innerEnd: m.index, closeEnd: m.index + m[0].length, depth: open.length });
    }
  }
  return open.length === 0 ? blocks.sort((a, b) => a.openStart - b.openStart) : undefined;
}

/**
 * A block's inside as its own tags' whitespace control leaves it (`{% block x -%}` takes the whitespace after the tag,
 * `{%- endblock %}` the whitespace before it): Jinja applies it in the template the tags are written in, so a child's
 * text put between its parent's tags keeps its own edges, not the parent's.
 */
function trimmedInside(text: string, b: Block): string {
  let inner = text.slice(b.innerStart, b.innerEnd);
  if (/-%\}$/.test(text.slice(b.openStart, b.innerStart))) inner = inner.trimStart();
  if (/^\{%-/.test(text.slice(b.innerEnd, b.closeEnd))) inner = inner.trimEnd();
  return inner;
}

/** A block tag without the whitespace control on its inner side (`-%}` of an open tag, `{%-` of a close tag): its trimming is done. */
function outerTag(tag: string, open: boolean): string {
  return open ? tag.replace(/-%\}$/, '%}') : tag.replace(/^\{%-/, '{%');
}

const SUPER_CALL = /\{\{[-+]?\s*super\(\s*\)\s*[-+]?\}\}/g;

/**
 * The text a template sends when templates that extend it override some of its blocks (`overrides`, by name: the
 * definitions from the most derived template up, each trimmed by its own tags): each block's inside replaced by the most
 * derived one, `{{ super() }}` in a definition by the next one up (the template's own last); blocks no one overrides keep
 * their text (blocks inside them can still be overridden). The block tags stay (they render as nothing), without their
 * inner whitespace control, which is applied here, in the template it belongs to.
 */
function filledBlocks(text: string, overrides: ReadonlyMap<string, readonly string[]>, depth = 0): string {
  const blocks = blocksOf(text);
  if (!blocks || depth > 8) return text;
  let out = '';
  let at = 0;
  for (const b of blocks) {
    if (b.depth !== 0) continue;
    const chain = overrides.get(b.name) ?? [];
    const render = (i: number): string =>
      i >= chain.length ? filledBlocks(trimmedInside(text, b), overrides, depth + 1) : filledBlocks(chain[i], overrides, depth + 1).replace(SUPER_CALL, () => render(i + 1));
    out += text.slice(at, b.openStart) + outerTag(text.slice(b.openStart, b.innerStart), true) + render(0) + outerTag(text.slice(b.innerEnd, b.closeEnd), false);
    at = b.closeEnd;
  }
  return out + text.slice(at);
}

/**
 * What a template that extends another sends, when the texts of the templates it extends are known (`textOf`, by name):
 * the template it extends (and so on up), its blocks filled by the extending ones' (the most derived wins); Jinja renders
 * nothing of an extending template outside its blocks. Undefined when it extends nothing, a name is unknown, the chain
 * loops or is deeper than `MAX_INCLUDE_DEPTH`, or its block tags do not pair up. `chain` lists the names it went through.
 */
export function extendedText(text: string, textOf: (name: string) => string | undefined): { text: string; chain: string[] } | undefined {
  const overrides = new Map<string, string[]>();
  const chain: string[] = [];
  let current = text;
  for (let tag = extendsTag(current); tag; tag = extendsTag(current)) {
    if (chain.includes(tag.name) || chain.length >= MAX_INCLUDE_DEPTH) return undefined;
    const blocks = blocksOf(current);
    const parent = textOf(tag.name);
    if (!blocks || parent === undefined) return undefined;
    for (const b of blocks) {
      const defined = overrides.get(b.name);
      if (defined) defined.push(trimmedInside(current, b));
      else overrides.set(b.name, [trimmedInside(current, b)]);
    }
    chain.push(tag.name);
    current = parent.replace(/\r\n?/g, '\n');
  }
  return chain.length > 0 ? { text: filledBlocks(current, overrides), chain } : undefined;
}


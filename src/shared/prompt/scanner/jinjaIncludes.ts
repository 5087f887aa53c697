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

/** The template names a text's include tags name, in order, without repeats. */
export function includeNames(text: string): string[] {
  if (!text.includes('include')) return [];
  const names: string[] = [];
  for (const p of findTextPlaceholders(text)) {
    if (p.syntax !== 'jinjaBlock') continue;
    const inc = includedTemplate(p.name);
    if (inc && !names.includes(inc.name)) names.push(inc.name);
  }
  return names;
}


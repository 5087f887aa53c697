/**
 * Aggressive-level rules for markdown structure (issue 12, item 7): a section heading written as
 * a label ("# Steps" → "Steps:") and list bullets dropped ("- Read the file" → "Read the file").
 * The line breaks keep the structure: each item stays on its own line with its indentation, and
 * a heading stays a line of its own that now ends with a colon, so a prompt that refers to "the
 * STEPS section" still finds it. Both save one o200k token each ("#" and "-" are tokens of their
 * own). Numbered markers ("1.") stay: the order and "step 3" depend on them. The medium level
 * keeps all markdown that carries structure.
 *
 * Like every planner, these go through the edit plan (compressPlan.ts), which refuses an edit
 * that touches a protected span (a code block, a quote), so a fenced example keeps its bullets.
 */
import type { CompiledPack } from '../../shared/prompt/languages';
import type { PlanView } from './telegraphic';

/** A bullet line: indentation, a bullet marker and the spaces after it, then the item's first character. */
const BULLET_LINE = /^([ \t]*)([-*+•][ \t]+)(\S)/;
/** A numbered line ("1. ", "2) "): part of a list block, its marker stays. */
const NUMBERED_LINE = /^[ \t]*\d{1,3}[.)][ \t]+\S/;
/**
 * What an item may not open with once its bullet is gone: another markdown marker ("- # x", "- > x", "- 1. x" would become a
 * heading, a quote, a numbered item), a checkbox or link ("- [ ] x"), a table, code, emphasis or another bullet.
 */
const MARKDOWN_OPENING = /^(?:[#>|`[*+•_~=-]|\d{1,3}[.)](?:\s|$))/;
/** A placeholder or a slot to fill in an item ("- [Name]: <value>", "- {item}"): the list is a template the model copies. */
const TEMPLATE_SLOT = /\[[^\]\n]{1,80}\]|<[^<>\n]{1,80}>|\{[^{}\n]{1,80}\}/;
/** A markdown heading line: indentation, the marker and its spaces, the text, closing hashes. */
const HEADING = /^([ \t]*)(#{1,6}[ \t]+)([^\n]*?)[ \t]*#*[ \t]*$/gm;

/** A heading that follows at once (blank lines between), matched where the previous heading's line ends. */
const NEXT_HEADING = /\s*#{1,6}[ \t]/y;

/** The lines of `text` with their start offsets. */
function linesOf(text: string): Array<{ start: number; text: string }> {
  const out: Array<{ start: number; text: string }> = [];
  let start = 0;
  for (;;) {
    const end = text.indexOf('\n', start);
    out.push({ start, text: text.slice(start, end === -1 ? text.length : end).replace(/\r$/, '') });
    if (end === -1) return out;
    start = end + 1;
  }
}

/** Whether `line` names a template or an example (`templateWords` of the pack): the list after it is copied, not read. */
function namesTemplate(line: string, pack: CompiledPack): boolean {
  let pattern = templatePatterns.get(pack);
  if (pattern === undefined) {
    const words = pack.templateWords.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+'));
    pattern = words.length === 0 ? null : new RegExp(`(?<![\\p{L}\\p{N}])(?:${words.join('|')})(?![\\p{L}\\p{N}])`, 'u');
    templatePatterns.set(pack, pattern);
  }
  return pattern !== null && pattern.test(line.toLowerCase());
}

/** `templateWords` as one pattern per pack, built once. */
const templatePatterns = new WeakMap<CompiledPack, RegExp | null>();

/**
 * Aggressive level: the bullet markers of a list go ("- Read the file" → "Read the file"); the line break before each item and
 * its indentation stay. A list block is kept whole when it is a template the model copies: introduced by a heading or a line
 * ending in ":" that names a format, a template or an example (`templateWords`: "Use this format:", "# EXAMPLE"), or holding a
 * slot to fill ("- [Name]: …"), and when a bare lower-case key introduces it ("tags:"), a YAML sequence. An item whose text
 * would then open with another markdown marker keeps its bullet.
 */
export function planListMarkers(plan: PlanView, text: string, pack: CompiledPack): void {
  const lines = linesOf(text);
  let i = 0;
  while (i < lines.length) {
    if (!BULLET_LINE.test(lines[i].text) && !NUMBERED_LINE.test(lines[i].text)) {
      i++;
      continue;
    }
    // The block: list lines, blank lines inside it and indented continuation lines, up to the first other line.
    const first = i;
    let last = i;
    let j = i + 1;
    while (j < lines.length) {
      const line = lines[j].text;
      if (BULLET_LINE.test(line) || NUMBERED_LINE.test(line)) last = j;
      else if (!(line.trim() === '' || /^[ \t]+\S/.test(line))) break;
      j++;
    }
    i = last + 1;
    // The line that introduces the block: the nearest non-blank line before it.
    let k = first - 1;
    while (k >= 0 && lines[k].text.trim() === '') k--;
    const intro = k >= 0 ? lines[k].text.trim() : '';
    if ((/^#{1,6}[ \t]/.test(intro) || intro.endsWith(':')) && namesTemplate(intro, pack)) continue;
    // A bare key before it ("tags:", "depends_on:") makes it a YAML sequence, data whose dashes are its syntax.
    if (/^[\p{Ll}\p{N}_.-]+:$/u.test(intro)) continue;
    const block = lines.slice(first, last + 1);
    if (block.some((l) => TEMPLATE_SLOT.test(l.text))) continue;
    for (const line of block) {
      const m = BULLET_LINE.exec(line.text);
      if (!m || MARKDOWN_OPENING.test(line.text.slice(m[1].length + m[2].length))) continue;
      const start = line.start + m[1].length;
      plan.tryExact('markdown', start, start + m[2].length, '', true);
    }
  }
}

/**
 * Aggressive level: a section heading becomes a label ("# Steps" → "Steps:", "## INPUT:" → "INPUT:"): the marker goes and a
 * colon ends the line if none did. Only headings whose words are all section words of the pack (`sectionHeadingWords`:
 * "# IDENTITY and PURPOSE", "# OUTPUT INSTRUCTIONS"), as for the heading case (telegraphic.ts), so the heading of an output
 * template ("# OVERVIEW") stays as the model must copy it; so do a heading that names an example or a template
 * (`templateWords`: "# EXAMPLES") and one followed at once by another heading (a template's list of sections). Both edits
 * or neither.
 */
export function planHeadingLabels(plan: PlanView & { readonly edits: readonly unknown[]; undoSince(count: number): void }, text: string, pack: CompiledPack): void {
  if (pack.sectionHeadingWords.size === 0) return;
  HEADING.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = HEADING.exec(text)) !== null) {
    const body = m[3];
    const words = body.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu) ?? [];
    if (words.length === 0 || !words.every((w) => pack.sectionHeadingWords.has(w.toLowerCase()))) continue;
    if (/[^\p{L}\p{N}\s'’:-]/u.test(body)) continue;
    // "# EXAMPLE" opens an example the model copies; a heading right before another heading ("# OUTPUT\n\n# API STEPS") is a
    // list of sections to write, a template: both keep their markers.
    NEXT_HEADING.lastIndex = m.index + m[0].length;
    if (namesTemplate(body, pack) || NEXT_HEADING.test(text)) continue;
    const markerStart = m.index + m[1].length;
    const bodyStart = markerStart + m[2].length;
    const bodyEnd = bodyStart + body.length;
    const before = plan.edits.length;
    if (!plan.tryExact('markdown', markerStart, bodyStart, '', true)) continue;
    // The closing hashes ("## Steps ##") go with the marker; the colon is written where the words end.
    const lineEnd = m.index + m[0].length;
    const closed = bodyEnd < lineEnd ? plan.tryExact('markdown', bodyEnd, lineEnd, body.endsWith(':') ? '' : ':', true) : body.endsWith(':') || plan.tryExact('markdown', bodyEnd, bodyEnd, ':', true);
    if (!closed) plan.undoSince(before);
  }
  HEADING.lastIndex = 0;
}

/** A heading line (markdown "#", a "//" comment or a label ending in ":") and its words. */
const ROLE_HEADING_LINE = /^[ \t]*(?:(#{1,6}[ \t]+|\/\/[ \t]*)([^\n]*?)[ \t]*#*|([^\n]*?):)[ \t]*$/;

/**
 * The lines at the top of a prompt that only name its role section, with the blank lines after them ("# IDENTITY and
 * PURPOSE\n\n", "# IDENTITY\n\n// Who you are\n\n"), when the role sentence follows at once ("You are an expert at…",
 * "As a creative language assistant…"): every word of each line is one of the pack's `roleHeadingWords`, and the next
 * line opens with a role phrase of the pack (`role`) or the addressee as subject (`subjectPronouns`). The sentence says
 * who the model is; the heading says nothing more. Undefined when the prompt does not open that way.
 */
export function roleHeadingRange(text: string, pack: CompiledPack): { start: number; end: number } | undefined {
  if (pack.roleHeadingWords.size === 0) return undefined;
  const lines = linesOf(text);
  let i = 0;
  while (i < lines.length && lines[i].text.trim() === '') i++;
  const first = i;
  for (; i < lines.length; i++) {
    const line = lines[i].text;
    if (line.trim() === '') continue;
    const m = ROLE_HEADING_LINE.exec(line);
    const words = (m?.[2] ?? m?.[3] ?? '').match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu) ?? [];
    // Words of the list only, one of them more than a conjunction ("AND:" names nothing).
    if (!m || !words.every((w) => pack.roleHeadingWords.has(w.toLowerCase())) || !words.some((w) => !pack.coordinators.has(w.toLowerCase()))) break;
  }
  if (i === first || i >= lines.length) return undefined;
  // A heading the prompt refers to further on ("the GOALS above", "in the identity section") stays.
  const rest = text.slice(lines[i].start);
  const named = text.slice(lines[first].start, lines[i].start).match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu) ?? [];
  if (named.some((w) => !pack.coordinators.has(w.toLowerCase()) && referredTo(rest, w))) return undefined;
  const next = lines[i].text.trimStart().toLowerCase().replace(/’/g, "'");
  const openers = [...pack.pack.role, ...pack.pack.subjectPronouns].map((r) => r.toLowerCase().replace(/’/g, "'"));
  if (!openers.some((r) => next.startsWith(r) && /^[ \t]/.test(next.slice(r.length)))) return undefined;
  return { start: lines[first].start, end: lines[i].start };
}

/** Whether `text` names the heading word `word` as a section: in capitals ("the GOALS above") or next to "section". */
function referredTo(text: string, word: string): boolean {
  const w = word.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const bounded = (source: string, flags: string) => new RegExp(`(?<![\\p{L}\\p{N}])${source}(?![\\p{L}\\p{N}])`, flags);
  return bounded(w.toUpperCase(), 'u').test(text) || bounded(`(?:${w}[ \\t]+sections?|sections?[ \\t]+${w})`, 'iu').test(text);
}

/** Medium level: the role section's heading at the top of the prompt goes when the role sentence follows it (`roleHeadingRange`). */
export function planRoleHeading(plan: PlanView, text: string, pack: CompiledPack): void {
  const range = roleHeadingRange(text, pack);
  if (range) plan.tryExact('markdown', range.start, range.end, '', true);
}

/** A gloss's words, compared without case and with a plain apostrophe. */
const glossKey = (words: string): string => words.toLowerCase().replace(/’/g, "'").replace(/\s+/g, ' ').trim();

/**
 * Medium level: a "//" comment right under a markdown heading whose words are one of the pack's `headingGlosses` ("# GOAL"
 * then "// What we are trying to achieve", "# STEPS" then "// How the task will be approached"), with the blank lines after
 * it. The heading names the section; the gloss says it again. A comment that asks for something ("// Slow down and think"),
 * one under a line that is no heading, and the last line of the prompt stay. Returns the ranges to delete.
 */
export function headingGlossRanges(text: string, pack: CompiledPack): Array<{ start: number; end: number }> {
  const glosses = new Set(pack.pack.headingGlosses.map(glossKey));
  const ranges: Array<{ start: number; end: number }> = [];
  if (glosses.size === 0) return ranges;
  const lines = linesOf(text);
  let underHeading = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].text.trim();
    if (line === '') continue;
    const gloss = /^\/\/[ \t]*([^\n]*?)[ \t]*:?$/.exec(line);
    if (underHeading && gloss && glosses.has(glossKey(gloss[1]))) {
      let next = i + 1;
      while (next < lines.length && lines[next].text.trim() === '') next++;
      // Another gloss of the same heading may follow: the heading still leads.
      if (next < lines.length) ranges.push({ start: lines[i].start, end: lines[next].start });
      continue;
    }
    underHeading = /^#{1,6}[ \t]+\S/.test(line);
  }
  return ranges;
}

/** Medium level: the glosses of a heading go (`headingGlossRanges`); the compressor releases their protection first. */
export function planHeadingGlosses(plan: PlanView, text: string, pack: CompiledPack): void {
  for (const range of headingGlossRanges(text, pack)) plan.tryExact('markdown', range.start, range.end, '', true);
}

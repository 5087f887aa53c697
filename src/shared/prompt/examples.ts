/**
 * Few-shot examples a prompt shows: the input and output the model is to imitate. They are data,
 * as quotes and code are: every compression level keeps them as written (newuser33: medium turned
 * khoj's example query "Could you share a funny … quote" into "share funny … quote", aggressive
 * rewrote an example diagram description; fabric's "EXAMPLE: … END EXAMPLE" bodies lost their
 * articles). The instructions around them stay compressible: only the example's own lines are
 * protected, never the heading or lead sentence that introduces them.
 *
 * What counts as an example, read from real prompts (khoj, fabric, Anthropic's and Google's
 * prompt styles):
 * - a section headed by a line that names examples ("# Examples:", "## EXAMPLE OUTPUT",
 *   "EXAMPLES:", "Example input:", "BEGIN EXAMPLES"): its body up to an "END EXAMPLE…" line, or
 *   else up to the next heading (a Markdown heading's section) or the end of its first paragraph;
 * - a lead line that ends in a colon and says "example" ("Here's an example of a valid
 *   diagram:"): the paragraph after it;
 * - the body of an `<example>` element (`<example>`, `<examples>`, `<example-1>`);
 * - labelled pairs anywhere: `Q:` … `A:`, `Input:` … `Output:` (the text after each label), and a
 *   one-line "Example: …".
 */
import type { RangeIndex } from './spans';

type DataSpan = { start: number; end: number; kind: 'structured'; text: string };

interface Line {
  start: number;
  end: number;
  text: string;
}

/**
 * The words a heading may put before "example(s)": kinds of example ("OUTPUT EXAMPLE", "POSITIVE EXAMPLES", "BEGIN
 * EXAMPLES"). Others name an output section the model is to write: fabric's extract_mcp_servers has "## USAGE EXAMPLES"
 * over "- Extract any code snippets or usage examples", an instruction.
 */
const QUALIFIER_WORDS = 'output|input|positive|negative|good|bad|begin|start|sample|few-shot|response|conversation|dialogue|an|some|more';
const QUALIFIER = `(?:(?:${QUALIFIER_WORDS})[ \\t]+){0,2}`;
const CAPS_QUALIFIER = `(?:(?:${QUALIFIER_WORDS.toUpperCase()})[ \\t]+){0,2}`;
/** A Markdown heading naming examples ("# Examples:", "## OUTPUT EXAMPLE", "### Example Input:"): six words at most. */
const MARKDOWN_HEADING = new RegExp(`^(#{1,6})[ \\t]*${QUALIFIER}examples?\\b(?:[ \\t]*[\\p{L}()-]+){0,4}[ \\t]*:?[ \\t]*$`, 'iu');
/** An upper-case line naming examples ("EXAMPLE:", "EXAMPLE OUTPUT FORMAT", "BEGIN EXAMPLES", "EXAMPLE START"). */
const CAPS_HEADING = new RegExp(`^${CAPS_QUALIFIER}EXAMPLES?\\b(?:[ \\t]*[\\p{Lu}()-]+){0,6}[ \\t]*:?[ \\t]*$`, 'u');
/** A short label line naming examples ("Example:", "Examples:", "Example input:", "Example evaluations:"). */
const LABEL_HEADING = new RegExp(`^${QUALIFIER}examples?(?:[ \\t]+[\\p{L}-]+){0,2}[ \\t]*:[ \\t]*$`, 'iu');
/**
 * A lead sentence that presents an example and ends in a colon ("Here's an example of a valid diagram:", "Below is an
 * example:", "STRICTLY FOLLOW THIS EXAMPLE:"); "Give examples of the following:" asks for examples and leads instructions, not one.
 */
const LEAD = /^[^\n]{0,60}\b(?:follow|copy|imitate|mimic|match)\b[^\n]{0,30}\b(?:this|these|the[ \t]+following)[ \t]+examples?[ \t]*:[ \t]*$|^(?=[^\n]{0,240}:[ \t]*$)[^\n]{0,80}(?:\bhere(?:['’]s|[ \t]+(?:is|are))|\b(?:below|following)[ \t]+(?:is|are)|\bas[ \t]+an)\b[^\n]{0,40}\bexamples?\b|^[^\n]{0,80}\bexamples?\b[^\n]{0,40}\b(?:below|follows)\b[^\n]{0,40}:[ \t]*$/iu;
/** The line that closes an example section ("END EXAMPLE", "END EXAMPLES:", "EXAMPLE END", "END OF EXAMPLE", "End example."). */
const END_LINE = /^(?:#{1,6}[ \t]*)?(?:end(?:[ \t]+of)?[ \t]+(?:[\p{L}-]+[ \t]+){0,2}examples?\b[^\n]{0,60}|examples?[ \t]+end\b[^\n]{0,20})$/iu;
/** Any Markdown heading (its level in group 1). */
const ANY_HEADING = /^(#{1,6})[ \t]+\S/;
/** One-line labelled example: "Example: text" (group 1 the label with its colon). */
const INLINE_EXAMPLE = /^([ \t]*(?:[-*•][ \t]+)?(?:for[ \t]+)?examples?[ \t]*:[ \t]*)\S/iu;
/** Labels of question/answer and input/output pairs (group 1: the label with its colon and spaces). */
const PAIR_LABEL = /^([ \t]*(?:[-*•][ \t]+)?(?:example[ \t]+|sample[ \t]+)?(q|a|question|answer|input|output)[ \t]*:[ \t]*)/iu;
const PAIR_OF: Record<string, string> = { q: 'a', question: 'answer', input: 'output' };

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  for (let at = 0; ; ) {
    const next = text.indexOf('\n', at);
    const end = next < 0 ? text.length : next;
    lines.push({ start: at, end, text: text.slice(at, end).replace(/\r$/, '') });
    if (next < 0) break;
    at = next + 1;
  }
  return lines;
}

const blank = (line: Line) => line.text.trim() === '';

/** Whether a line heads an example section: [kind, Markdown level (0 for other headings)]. */
function headingOf(line: string): { level: number; lead: boolean } | undefined {
  const trimmed = line.trim();
  if (END_LINE.test(trimmed)) return undefined;
  const markdown = MARKDOWN_HEADING.exec(trimmed);
  if (markdown) return { level: markdown[1].length, lead: false };
  if (CAPS_HEADING.test(trimmed) || LABEL_HEADING.test(trimmed)) return { level: 0, lead: false };
  if (!trimmed.startsWith('#') && LEAD.test(trimmed)) return { level: 0, lead: true };
  return undefined;
}

/** Index of the line after the example body that starts at line `from` (exclusive end), for a heading of `level`. */
function bodyEnd(lines: Line[], from: number, heading: { level: number; lead: boolean }): number {
  // An END marker before the next heading closes the section whatever the heading.
  for (let i = from; i < lines.length; i++) {
    const t = lines[i].text.trim();
    if (END_LINE.test(t)) return i;
    if (ANY_HEADING.test(t) || headingOf(t)) break;
  }
  if (heading.level > 0) {
    for (let i = from; i < lines.length; i++) {
      const h = ANY_HEADING.exec(lines[i].text.trim());
      if ((h && h[1].length <= heading.level) || END_LINE.test(lines[i].text.trim())) return i;
      if (headingOf(lines[i].text)) return i;
    }
    return lines.length;
  }
  // Other headings and lead lines: the first paragraph after them, and the paragraphs after it that go on with the
  // example's labelled lines (kotaemon's worked example under "STRICTLY FOLLOW THIS EXAMPLE:": "CITATION LIST",
  // "CITATION【1】", "START_PHRASE: …", then "FINAL ANSWER" over the answer, up to "QUESTION: {question}").
  let i = from;
  while (i < lines.length && blank(lines[i])) i++;
  for (;;) {
    while (i < lines.length && !blank(lines[i]) && !ANY_HEADING.test(lines[i].text.trim())) i++;
    let next = i;
    while (next < lines.length && blank(lines[next])) next++;
    if (next === i || next >= lines.length || !continuesExample(lines, next)) return i;
    i = next;
  }
}

/** A line in capitals ("FINAL ANSWER", "CITATION【2】") or a capitals label with its value ("START_PHRASE: Fixed-size…"). */
const CAPS_LINE = /^(?=[^\n]*\p{Lu})[^\p{Ll}\n]{2,60}$|^[\p{Lu}][\p{Lu}\d_ -]{1,40}:[ \t]*\S/u;
/** A slot the app fills ("{question}", "{{input}}"): where the example ends and the prompt's input begins. */
const SLOT = /\{\{?[\w .-]{1,40}\}\}?/;

/** Whether the paragraph at line `at` goes on with an example: it opens with a capitals line and fills no slot. */
function continuesExample(lines: Line[], at: number): boolean {
  const first = lines[at].text.trim();
  if (!CAPS_LINE.test(first) || END_LINE.test(first) || ANY_HEADING.test(first) || headingOf(first)) return false;
  for (let k = at; k < lines.length && !blank(lines[k]); k++) if (SLOT.test(lines[k].text)) return false;
  return true;
}

function push(spans: DataSpan[], text: string, skip: RangeIndex, start: number, end: number): void {
  while (start < end && /\s/.test(text[start])) start++;
  while (end > start && /\s/.test(text[end - 1])) end--;
  if (end > start && !skip.overlaps(start, end)) spans.push({ start, end, kind: 'structured', text: text.slice(start, end) });
}

/** Spans of example data (each protected line, trimmed), outside `skip` (code and data blocks already found). */
export function exampleSpans(text: string, skip: RangeIndex): DataSpan[] {
  if (!/example|\bq:|input:|<example/i.test(text)) return [];
  const lines = splitLines(text);
  const spans: DataSpan[] = [];
  const inSection = new Uint8Array(lines.length);
  for (let i = 0; i < lines.length; i++) {
    if (inSection[i]) continue;
    const heading = headingOf(lines[i].text);
    if (!heading) continue;
    const end = bodyEnd(lines, i + 1, heading);
    for (let k = i + 1; k < end; k++) {
      inSection[k] = 1;
      if (!blank(lines[k])) push(spans, text, skip, lines[k].start, lines[k].end);
    }
  }
  for (let i = 0; i < lines.length; i++) {
    if (inSection[i]) continue;
    const inline = INLINE_EXAMPLE.exec(lines[i].text);
    if (inline) {
      push(spans, text, skip, lines[i].start + inline[1].length, lines[i].end);
      continue;
    }
    const label = PAIR_LABEL.exec(lines[i].text);
    const partner = label ? PAIR_OF[label[2].toLowerCase()] : undefined;
    if (!label || !partner) continue;
    // The partner label within the next few lines makes it a pair; each label's text (and the lines that continue it) is data.
    let j = i + 1;
    while (j < lines.length && j <= i + 8 && PAIR_LABEL.exec(lines[j].text)?.[2].toLowerCase() !== partner) j++;
    if (j >= lines.length || j > i + 8) continue;
    let k = j + 1;
    while (k < lines.length && !blank(lines[k]) && !PAIR_LABEL.test(lines[k].text) && !ANY_HEADING.test(lines[k].text.trim())) k++;
    push(spans, text, skip, lines[i].start + label[1].length, lines[i].end);
    for (let m = i + 1; m < k; m++) {
      if (m === j) push(spans, text, skip, lines[j].start + (PAIR_LABEL.exec(lines[j].text)?.[1].length ?? 0), lines[j].end);
      else if (!blank(lines[m])) push(spans, text, skip, lines[m].start, lines[m].end);
    }
    i = k - 1;
  }
  // <example>, <examples>, <example-1>: the element's body, line by line.
  // The next closing tag of each name, found once per name and again only when passed: linear in thousands of unclosed tags.
  const closes = new Map<string, number>();
  for (const m of text.matchAll(/<(examples?(?:[-_][\w-]{1,30})?)(?:[ \t][^<>\n]{0,200})?>/gi)) {
    let close = closes.get(m[1]);
    if (close === undefined || (close >= 0 && close < m.index)) {
      close = text.indexOf(`</${m[1]}>`, m.index + m[0].length);
      closes.set(m[1], close);
    }
    if (close < 0 || close - m.index > 200_000) continue;
    const bodyStart = m.index + m[0].length;
    for (let at = bodyStart; at < close; ) {
      const next = text.indexOf('\n', at);
      const end = next < 0 || next > close ? close : next;
      push(spans, text, skip, at, end);
      at = end + 1;
    }
  }
  spans.sort((a, b) => a.start - b.start);
  return spans;
}

/** One example of several shown side by side: an `<example>` element, or a section under a numbered example heading. */
export interface ExampleBlock {
  start: number;
  end: number;
  /** Blocks with the same group are siblings (one `<examples>` list, one run of "## Example N" sections); 0 is the first of its group. */
  group: number;
  position: number;
}

/** An element of one example (`<example>`, `<example-2>`, `<example_name>`), not the list (`<examples>`). */
const EXAMPLE_ELEMENT = /<(example(?:[-_][\w-]{1,30})?)(?:[ \t][^<>\n]{0,200})?>/gi;
/** A Markdown heading of one numbered example ("## Example 2", "### Example 3: refund", "# EXAMPLE A"): group 1 its hashes. */
const NUMBERED_HEADING = /^[ \t]{0,3}(#{1,6})[ \t]+(?:example|exemplo|ejemplo)[ \t]*(?:#[ \t]*)?(?:\d{1,3}|[A-Z])\b[^\n]{0,80}$/iu;

/** Where a line starts and ends, from `at`: the block grows over the blank and indentation around its tags. */
function lineStartOf(text: string, at: number): number {
  let i = at;
  while (i > 0 && (text[i - 1] === ' ' || text[i - 1] === '\t')) i--;
  return i === 0 || text[i - 1] === '\n' ? i : at;
}
function lineEndOf(text: string, at: number): number {
  let i = at;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  return i === text.length || text[i] === '\n' || text[i] === '\r' ? i : at;
}

/**
 * The examples a prompt shows side by side, each as one block (Distill keeps the first of each group and drops the
 * others whole, before any instruction: bolt.new's system prompt shows three `<example>` elements, 809 tokens, and
 * Distill dropped 32 of its instructions and kept all three). Only delimited examples count: `<example>` elements
 * (siblings when only white space lies between one's close and the next's open) and sections under numbered example
 * headings of one Markdown level (each up to the next heading of that level or above).
 */
export function exampleBlocks(text: string): ExampleBlock[] {
  if (!/example|exemplo|ejemplo/i.test(text)) return [];
  const blocks: ExampleBlock[] = [];
  let group = -1;
  let previousEnd = -1;
  let position = 0;
  let scanFrom = 0;
  for (const m of text.matchAll(EXAMPLE_ELEMENT)) {
    if (m.index < scanFrom) continue;
    const name = m[1];
    const close = text.toLowerCase().indexOf(`</${name.toLowerCase()}>`, m.index + m[0].length);
    if (close < 0 || close - m.index > 200_000) continue;
    // A nested element of the same name would close early: then this one is not a clean block.
    if (text.slice(m.index + m[0].length, close).toLowerCase().includes(`<${name.toLowerCase()}`)) continue;
    const start = lineStartOf(text, m.index);
    const end = lineEndOf(text, close + name.length + 3);
    if (previousEnd >= 0 && /^\s*$/.test(text.slice(previousEnd, start))) position++;
    else {
      group++;
      position = 0;
    }
    blocks.push({ start, end, group, position });
    previousEnd = end;
    scanFrom = end;
  }
  const lines = text.split('\n');
  const starts: number[] = [];
  for (let i = 0, at = 0; i < lines.length; i++) {
    starts.push(at);
    at += lines[i].length + 1;
  }
  const headingLevelOf = (line: string) => /^[ \t]{0,3}(#{1,6})[ \t]+\S/.exec(line)?.[1].length ?? 0;
  let runLevel = 0;
  for (let i = 0; i < lines.length; i++) {
    const numbered = NUMBERED_HEADING.exec(lines[i]);
    if (!numbered) {
      const level = headingLevelOf(lines[i]);
      if (level > 0 && level <= runLevel) runLevel = 0;
      continue;
    }
    const level = numbered[1].length;
    let j = i + 1;
    while (j < lines.length && !(headingLevelOf(lines[j]) > 0 && headingLevelOf(lines[j]) <= level) && !END_LINE.test(lines[j].trim())) j++;
    let endLine = j - 1;
    while (endLine > i && lines[endLine].trim() === '') endLine--;
    const start = starts[i];
    const end = starts[endLine] + lines[endLine].replace(/\r$/, '').length;
    if (blocks.some((b) => b.start < end && start < b.end)) continue;
    if (runLevel === level) position++;
    else {
      group++;
      position = 0;
      runLevel = level;
    }
    blocks.push({ start, end, group, position });
    i = endLine;
  }
  return blocks.sort((a, b) => a.start - b.start);
}

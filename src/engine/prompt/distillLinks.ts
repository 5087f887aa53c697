/**
 * What ties the units of a prompt together for distillation (issue 12): a unit that must not stay
 * without another one, because alone it would read as part of something else or hang from nothing.
 *
 * - A later sentence of a list item or a labelled line ("- Extract the takeaway. This should be a
 *   15-word sentence.", "Customer: That's alright. I want to return the item.") needs the item's
 *   first sentence: without it, it is joined to the previous item and reads as part of it.
 * - A list item needs the line it hangs from: the item above it for a nested item ("- shell:"), or
 *   the line that introduces the list ("Guidelines:", "Follow these steps:").
 * - A line right after an intro ("For example:") needs the intro; a block (code, data) in the paragraph an intro opens
 *   needs the intro and the lines between them ("Example:\n\nTopic: …\n```json").
 *
 * - A sentence that refers back ("These values…", "…besides those specified above") needs its referent.
 *
 * - Units that stay together whichever stays: a sentence giving the alternative to the one before it ("Instead …"),
 *   sibling items that are branches of one condition ("- If …"), the alternatives after "either:".
 *
 * Most links point back (to an earlier unit); the last kind goes both ways, so whoever closes them iterates to a fixpoint.
 */
import { type TextUnit, words } from '../../shared/prompt/text';

export interface UnitLinks {
  /** requires[i]: the units that must stay whenever unit i stays. */
  requires: number[][];
  /** Intro lines (ending with ":") and the units they introduce: an intro whose units all go goes too. */
  introduces: Map<number, number[]>;
}

/** A line that ends with a colon, in bold too ("**When to use todoWrite:**", morphic's search prompt). */
export const INTRO = /:[*_]*\s*$/;

export function linkUnits(text: string, units: readonly TextUnit[]): UnitLinks {
  const requires: number[][] = units.map(() => []);
  const introduces = new Map<number, number[]>();
  const link = (from: number, to: number) => {
    if (!requires[from].includes(to)) requires[from].push(to);
    if (!INTRO.test(units[to].text)) return;
    const introduced = introduces.get(to);
    if (introduced) introduced.push(from);
    else introduces.set(to, [from]);
  };
  // The unit's indentation, or -1 when it does not start its line (a second sentence).
  const indentOf = (start: number): number => {
    const lineStart = text.lastIndexOf('\n', start - 1) + 1;
    const lead = text.slice(lineStart, start);
    return /^[ \t]*$/.test(lead) ? lead.length : -1;
  };
  // The item's marker ("-", "*", "1."): under "* For breadth-first queries:" the "- …" items at the same indentation are
  // its children (claude-cookbooks research_lead_agent.md), so an item of another marker ending with ":" is a parent too.
  const markerOf = (unit: TextUnit): string => /^([-*+•]|\d+[.)])\s/.exec(unit.text)?.[1].replace(/^\d+/, '1') ?? '';

  // The first sentence of the list item or labelled line each unit belongs to (-1: none).
  const owner: number[] = units.map(() => -1);
  for (let i = 1; i < units.length; i++) {
    if (units[i].kind !== 'sentence') continue;
    const prev = units[i - 1];
    const first = owner[i - 1] >= 0 ? owner[i - 1] : prev.kind === 'listItem' || prev.kind === 'label' ? i - 1 : -1;
    if (first < 0) continue;
    // Same paragraph: on the same line, or on an indented line under a list item (segmentUnits joins those).
    const gap = text.slice(prev.end, units[i].start);
    if (gap.includes('\n') && !(units[first].kind === 'listItem' && /^[ \t\r]*\n[ \t]{2,}$/.test(gap))) continue;
    owner[i] = first;
    link(i, first);
  }

  // parents[j]: the parent found for list item j. A sibling's walk up would go exactly where j's went, so it takes
  // j's answer: a list of thousands of items at one indentation no longer walks back over all of them (quadratic).
  const parents = new Map<number, number>();
  for (let i = 1; i < units.length; i++) {
    const unit = units[i];
    const indent = indentOf(unit.start);
    if (indent < 0) continue;
    if (unit.kind === 'listItem') {
      const parent = parentOf(i, indent);
      parents.set(i, parent);
      if (parent >= 0) link(i, parent);
    } else if ((unit.kind === 'sentence' || unit.kind === 'label' || dataLine(unit)) && units[i - 1].kind !== 'heading' && INTRO.test(units[i - 1].text) && text.slice(units[i - 1].end, unit.start).includes('\n')) {
      // The line after "For example:" is the example.
      link(i, i - 1);
    } else if (unit.kind === 'code' || unit.kind === 'structured') {
      // A block in the paragraph an intro opens is what it introduces, with the lines between: gemini-fullstack's
      // "Example:\n\nTopic: …\n```json" kept the JSON (always kept) without "Example:" and its topic, so it read as the format.
      const intro = paragraphIntro(i);
      for (let j = intro; j >= 0 && j < i; j++) link(i, j);
    }
  }
  // A capitalised marker line right above its content ("FINAL ANSWER\nAn alternative to semantic chunking is…", the
  // worked example of kotaemon's citation QA prompt, whose code splits the model's output on "FINAL ANSWER"): the content
  // does not stay without it, or the example no longer shows the marker (newuser40).
  for (let i = 1; i < units.length; i++) {
    const marker = units[i - 1];
    if (marker.kind !== 'sentence' || !MARKER_LINE.test(marker.text) || indentOf(marker.start) < 0) continue;
    if (/^[ \t\r]*\n[ \t]*$/.test(text.slice(marker.end, units[i].start))) link(i, i - 1);
  }
  for (let i = 1; i < units.length; i++) {
    const referent = referentOf(i);
    if (referent >= 0) link(i, referent);
  }
  // Units that stay together whichever of them stays (links both ways; newuser41 on nanobrowser's navigator prompt):
  // - a sentence that gives the alternative to the one before it ("NEVER try to fill it by yourself. Instead execute the
  //   Done action…"): without it, the rule forbids and says nothing of what to do;
  // - the branches of one condition, sibling items that each open with a condition ("- If SUFFICIENT → …", "- If
  //   INSUFFICIENT → …"), and the alternatives a list gives after "either:": one alone reads as the only case.
  const bind = (a: number, b: number) => {
    if (!requires[a].includes(b)) requires[a].push(b);
    if (!requires[b].includes(a)) requires[b].push(a);
  };
  for (let i = 1; i < units.length; i++) {
    if (units[i].kind === 'sentence' && ALTERNATIVE_SENTENCE.test(units[i].text) && !text.slice(units[i - 1].end, units[i].start).includes('\n')) bind(i, i - 1);
  }
  const siblings = new Map<number, number[]>();
  for (const [item, parent] of parents) {
    if (parent < 0) continue;
    const list = siblings.get(parent) ?? [];
    list.push(item);
    siblings.set(parent, list);
  }
  for (const [parent, items] of siblings) {
    // Branches: every item under the parent opens with a condition, and there are few (graphiti's 17 "Rules:" hold four
    // "If …"/"When …" rules among others: independent rules, not the branches of one condition).
    const branches = items.length <= 4 && items.every((k) => CONDITION_ITEM.test(units[k].text));
    const group = ALTERNATIVES_INTRO.test(units[parent].text) || branches ? items : [];
    if (group.length < 2 || group.length > 8) continue;
    for (let a = 1; a < group.length; a++) bind(group[0], group[a]);
  }
  return { requires, introduces };

  /**
   * The unit a sentence refers back to (-1: none found). "These custom bracket values are NOT supported." opening a
   * sentence refers to the sentence before it in its paragraph; "…besides those specified above" to the nearest earlier
   * unit that shares a content word with it (llamacoder's "You CANNOT use any other libraries or frameworks besides those
   * specified above (such as React router)" was kept without "…a React + Tailwind CSS + TypeScript app…").
   */
  function referentOf(i: number): number {
    const unit = units[i];
    if (unit.kind === 'heading' || unit.kind === 'code' || unit.kind === 'structured') return -1;
    if (unit.kind === 'sentence' && THIS_OPENER.test(unit.text)) {
      const prev = units[i - 1];
      if ((prev.kind === 'sentence' || prev.kind === 'label' || prev.kind === 'listItem') && !/\n[ \t]*\n/.test(text.slice(prev.end, unit.start))) return i - 1;
    }
    if (!REFERS_ABOVE.test(unit.text)) return -1;
    const own = contentWords(unit.text.replace(new RegExp(REFERS_ABOVE.source, 'gi'), ' '));
    if (own.size === 0) return -1;
    for (let j = i - 1; j >= Math.max(0, i - MAX_REFERENT_DISTANCE); j--) {
      if (units[j].kind === 'heading') continue;
      for (const w of contentWords(units[j].text)) if (own.has(w)) return j;
    }
    return -1;
  }

  /** One line of data (an example's line, a dialogue turn: examples.ts, transcript.ts), no block: read as a line of its paragraph. */
  function dataLine(unit: TextUnit): boolean {
    return unit.kind === 'structured' && !unit.text.includes('\n');
  }

  /**
   * The intro that opens the paragraph of unit i: walking up over the lines of its paragraph, the first line that ends
   * with ":" (a blank line may follow it); -1 at a blank line, a heading, a list item or another block first (a block after
   * a list is not the example of the intro above the list: claude-cookbooks research_lead_agent.md).
   */
  function paragraphIntro(i: number): number {
    for (let j = i - 1; j >= 0; j--) {
      const line = units[j];
      if (line.kind !== 'sentence' && line.kind !== 'label' && !dataLine(line)) return -1;
      const gap = text.slice(line.end, units[j + 1].start);
      if (!gap.includes('\n')) continue;
      if (line.kind !== 'structured' && INTRO.test(line.text)) return j;
      if (/\n[ \t]*\n/.test(gap)) return -1;
    }
    return -1;
  }

  /**
   * The unit a list item hangs from: walks up line by line (a line is its first unit, `j`, and its
   * last, `last`, which is the intro when it ends with ":"). Siblings are passed over; the first
   * less-indented item or intro is the parent, and a top-level item has none unless an intro heads it.
   */
  function parentOf(i: number, indent: number): number {
    const marker = markerOf(units[i]);
    let last = -1;
    for (let j = i - 1; j >= 0; j--) {
      if (last < 0) last = j;
      const lineIndent = indentOf(units[j].start);
      if (lineIndent < 0) continue;
      const line = units[j];
      const tail = last;
      last = -1;
      if (lineIndent > indent) continue;
      // A heading or a block between them: the item hangs from nothing above it.
      if (line.kind === 'heading' || line.kind === 'code' || line.kind === 'structured') return -1;
      if (lineIndent === indent) {
        // A sibling (same marker) is passed over; another line at this indentation is the parent when it introduces a
        // list ("…:"); else a nested item looks further up for its less-indented parent, a top-level one has none.
        if (line.kind === 'listItem' && markerOf(line) === marker) {
          const known = parents.get(j);
          if (known !== undefined) return known;
          continue;
        }
        if (INTRO.test(units[tail].text)) return tail;
        if (indent > 0) continue;
        return -1;
      }
      if (INTRO.test(units[tail].text)) return tail;
      return line.kind === 'listItem' ? j : -1;
    }
    return -1;
  }
}

/** A line of one to four capitalised words and no punctuation: a section marker of an output ("FINAL ANSWER", "CITATION LIST"). */
/** A sentence that gives the alternative to the previous one (en, es, pt). */
const ALTERNATIVE_SENTENCE = /^[*_]*(?:instead|otherwise|rather|else|en su lugar|en cambio|de lo contrario|si no|em vez disso|ao invés disso|caso contrário|senão)\b/iu;
/** An intro of alternatives ("…until either:", "one of the following:"). */
const ALTERNATIVES_INTRO = /\b(?:either|one of(?: the following)?|ya sea|o bien|uma das seguintes|uno de los siguientes)\s*:[*_]*\s*$/iu;
/** A list item that opens with a condition ("- If SUFFICIENT → …", "• Si …", "- Se …", "- When …"). */
const CONDITION_ITEM = /^\s*(?:[-*+•]|\d{1,3}[.)]|[a-z][.)])\s+[*_]*(?:if|when|otherwise|else|si|cuando|se|quando|caso)\b/iu;

const MARKER_LINE = /^(?=(?:.*\p{Lu}){2})[\p{Lu}\p{N}_]+(?: [\p{Lu}\p{N}_]+){0,3}$/u;

/** A sentence opened by a demonstrative that points to the one before it ("These values…", "This means…"). */
const THIS_OPENER = /^[*_]*(?:These|Those|This|That)\s+(?!is\s+(?:how|what|why|where|when)\b)/;

/** A reference to what was written earlier: "those specified above", "the above", "as mentioned above", "above-listed". */
const REFERS_ABOVE = /\b(?:(?:specified|listed|mentioned|named|given|described|defined|stated|outlined|provided|shown|noted|included|indicated)\s+above|above[- ](?:mentioned|listed|named)|the\s+above|as\s+above)\b/i;

/** How far back a referent is looked for (units). */
const MAX_REFERENT_DISTANCE = 200;

/** Words too common to tie a reference to its referent. */
const COMMON_WORDS = new Set(
  'about above after again also always another any because been before being below besides both cannot could does doing each either else every from have here into just like make more most must never only other others should some such than that their them then there these they this those through under until very what when where which while will with would your yours'.split(' '),
);

/**
 * The content words of a text's prose (four letters or more, not common), a plural's "s" dropped. Code and paths
 * (`` `x` ``, `@chakra-ui/react`, `browser/nodejs`) are left out: "Don't use @chakra-ui/react" names what is excluded.
 */
function contentWords(text: string): Set<string> {
  const out = new Set<string>();
  for (const w of words(text.replace(/`[^`]*`|\S*[/@\\]\S*/g, ' '))) {
    if (w.length < 4 || COMMON_WORDS.has(w) || !/\p{L}/u.test(w)) continue;
    out.add(w.replace(/ies$/, 'y').replace(/(?<!s)s$/, ''));
  }
  return out;
}

/** Unit i and every unit it needs, directly or through others. */
export function closure(links: UnitLinks, i: number): number[] {
  const seen = new Set<number>([i]);
  const stack = [i];
  while (stack.length > 0) {
    for (const r of links.requires[stack.pop() ?? 0]) {
      if (seen.has(r)) continue;
      seen.add(r);
      stack.push(r);
    }
  }
  return [...seen];
}

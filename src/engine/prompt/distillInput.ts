/**
 * Input blocks for distillation (issue 12): the data a prompt works on is kept whole or dropped whole, never cut. Kept
 * in part, an article loses sentences the summary is meant to cover, a conversation loses turns, and a delimited slot
 * loses its delimiters while its placeholder stays (mem0's "``\n{retrieved_old_memory_dict}\n``"). Two shapes are
 * recognised, on the compressed text:
 *
 * - A delimited block: a line that is only a delimiter ("``", "\"\"\"", "------------", "<article>") and the next
 *   identical line ("</article>" for a tag), with no heading nor fenced block between them, holding a placeholder
 *   ("{context_str}") or named as an input by its tag ("<context>", "<article>").
 * - A paragraph announced as the input: after a line ending with ":" that names an input ("Provide a TL;DR for this
 *   article:", "Generate a summary of this conversation…:") and not an output format ("…in this format:"), the
 *   paragraph of prose lines that follows; a dialogue (its lines open with a speaker's label: "Customer: …") runs on
 *   over the next paragraphs that open with a label too. A list that follows is not an input block: its items are
 *   left to the budget.
 *
 * `mergeInputBlocks` makes each block of two or more units one unit, of kind 'structured': the distiller keeps data
 * whole, as it keeps code and structured blocks.
 */
import { matchesAny, type CompiledPack } from '../../shared/prompt/languages';
import type { ProtectedSpan } from '../../shared/prompt/protected';
import type { TextUnit } from '../../shared/prompt/text';

/** The indices of a block's first and last units. */
export interface InputBlock {
  first: number;
  last: number;
}

/** A line that is only a delimiter; group 2 is a tag's name. */
// Not "=======": aider's SEARCH/REPLACE marker, which appears once per block.
const DELIMITER = /^(`{2,}|"{3}|'{3}|-{3,}|~{3,}|<([A-Za-z_][\w-]*)>)$/;
/** A line that is only a short label and a colon ("Summary:", "TL;DR:"): where the answer goes, not input. */
const SLOT = /^[\p{L}][\p{L}\p{N} ;'’-]{0,30}:$/u;

export function inputBlocks(text: string, units: readonly TextUnit[], spans: readonly ProtectedSpan[], pack: CompiledPack): InputBlock[] {
  const blocks: InputBlock[] = [];
  // Whether unit i is on a line of its own, and whether a blank line or a line break comes before it.
  const startsLine = (i: number) => /(^|\n)[ \t]*$/.test(text.slice(i === 0 ? 0 : units[i - 1].end, units[i].start));
  const endsLine = (i: number) => i === units.length - 1 || text.slice(units[i].end, units[i + 1].start).includes('\n');
  const afterBlank = (i: number) => i > 0 && /\n[ \t]*\n/.test(text.slice(units[i - 1].end, units[i].start));
  const prose = (u: TextUnit) => u.kind === 'sentence' || u.kind === 'label';
  const ownLine = (i: number) => startsLine(i) && endsLine(i);

  for (let i = 0; i < units.length - 1; i++) {
    const unit = units[i];
    if (!prose(unit) || !ownLine(i)) continue;
    const delimiter = DELIMITER.exec(unit.text.trim());
    if (delimiter) {
      const closing = delimiter[2] ? `</${delimiter[2]}>` : delimiter[1];
      let j = i + 1;
      while (j < units.length && prose(units[j]) && !(units[j].text.trim() === closing && ownLine(j))) j++;
      if (j === units.length || j === i + 1 || units[j].text.trim() !== closing) continue;
      const holdsPlaceholder = spans.some((s) => s.kind === 'placeholder' && s.start >= unit.end && s.end <= units[j].start);
      if (holdsPlaceholder || (delimiter[2] !== undefined && matchesAny(pack.inputLabels, delimiter[2].replace(/[_-]/g, ' ')))) {
        blocks.push({ first: i, last: j });
        i = j;
      }
      continue;
    }
    const intro = unit.text.trim();
    // The input is named after any word of the output's format: "…a short summary in four bullet points for this article:"
    // announces the article, "Answer the question in this format:" a format.
    if (!intro.endsWith(':') || lastMatch(pack.inputLabels, intro) <= lastMatch(pack.outputFormat, intro)) continue;
    const start = i + 1;
    if (!prose(units[start]) || !startsLine(start) || SLOT.test(units[start].text.trim()) || DELIMITER.test(units[start].text.trim())) continue;
    const dialogue = units[start].kind === 'label';
    let last = start;
    for (let k = start + 1; k < units.length && prose(units[k]); k++) {
      // A new paragraph goes on only in a dialogue, and only with another speaker's line.
      if (afterBlank(k) && !(dialogue && units[k].kind === 'label')) break;
      if (ownLine(k) && SLOT.test(units[k].text.trim())) break;
      last = k;
    }
    if (last > start) {
      blocks.push({ first: start, last });
      i = last;
    }
  }
  return blocks;
}

/** Where the last match of `pattern` in `text` starts; -1 when there is none. */
function lastMatch(pattern: RegExp | undefined, text: string): number {
  if (!pattern) return -1;
  let at = -1;
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) at = m.index;
  pattern.lastIndex = 0;
  return at;
}

/** The units with each input block of two or more units made one 'structured' unit. */
export function mergeInputBlocks(text: string, units: readonly TextUnit[], blocks: readonly InputBlock[]): TextUnit[] {
  const merged: TextUnit[] = [];
  let next = 0;
  for (const block of blocks) {
    merged.push(...units.slice(next, block.first));
    const start = units[block.first].start;
    const end = units[block.last].end;
    merged.push({ start, end, kind: 'structured', text: text.slice(start, end) });
    next = block.last + 1;
  }
  merged.push(...units.slice(next));
  return merged;
}

/**
 * A range of a document followed through edits, in offsets (no vscode import: the rule is
 * pure and unit-tested). The analysis panel uses it to find the prompt it shows after the
 * user edits the file.
 */
export interface OffsetRange {
  start: number;
  end: number;
}

/** One edit as VS Code reports it: the replaced range of the text before the event, and the new text. */
export interface OffsetChange {
  rangeOffset: number;
  rangeLength: number;
  text: string;
}

/**
 * Moves `range` through the changes of one change event. The changes of an event do not
 * overlap and each is given in the offsets of the text before the event, so they are applied
 * from the last to the first. An edit before the range moves it; an edit inside grows or
 * shrinks it; an edit across an edge takes the edge to the edit's side (the range keeps
 * covering what replaced its text); a range wholly replaced becomes the new text. An insertion
 * right at the start moves the range (text typed before a literal's quote is not in it).
 */
export function shiftRange(range: OffsetRange, changes: readonly OffsetChange[]): OffsetRange {
  let { start, end } = range;
  const ordered = [...changes].sort((a, b) => b.rangeOffset - a.rangeOffset);
  for (const change of ordered) {
    const from = change.rangeOffset;
    const to = change.rangeOffset + change.rangeLength;
    const delta = change.text.length - change.rangeLength;
    if (to <= start) {
      // Wholly before the range, an insertion at its start included.
      start += delta;
      end += delta;
    } else if (from >= end) {
      // Wholly after: nothing moves.
    } else {
      const newStart = Math.min(start, from);
      const newEnd = Math.max(from + change.text.length, end + delta);
      start = newStart;
      end = Math.max(newStart, newEnd);
    }
  }
  return { start, end };
}

/**
 * A range of a document followed through edits, in offsets (no vscode import: the rule is
 * pure and unit-tested). The analysis panel uses it to find the prompt it shows after the
 * user edits the file.
 */
export interface OffsetRange {
  start: number;
  end: number;
}

/** One edit as VS Code reports it: the replaced range of the text before the event, and the new text (only its length is read). */
export interface OffsetChange {
  rangeOffset: number;
  rangeLength: number;
  text: { readonly length: number };
}

/**
 * Where a code lens or a code action points: an offset into the version of the document its hints were computed for.
 * The user may edit the file before clicking it (breaker48: a lens shown before a line was typed above its prompt kept the
 * old offset, which then lay in the prompt above, and Compress rewrote that one).
 */
export interface VersionedOffset {
  offset: number;
  version: number;
}

export function isVersionedOffset(value: unknown): value is VersionedOffset {
  if (typeof value !== 'object' || value === null) return false;
  const { offset, version } = value as Record<string, unknown>;
  return typeof offset === 'number' && Number.isInteger(offset) && offset >= 0 && typeof version === 'number' && Number.isInteger(version);
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

/** A change as kept by EditHistory: its range and the length of its new text (not the text). */
interface KeptChange {
  rangeOffset: number;
  rangeLength: number;
  text: { length: number };
}

/**
 * The edits of a document's last versions, to carry an offset of an older version into the current one. Each change event
 * is recorded with the version it left the document at; the version before is the one recorded last (VS Code numbers
 * versions upwards, an undo included).
 */
export class EditHistory {
  private readonly steps: Array<{ from: number; to: number; changes: KeptChange[] }> = [];

  constructor(
    private version: number,
    private readonly limit = 200,
  ) {}

  /** The version the last recorded event left the document at. */
  get current(): number {
    return this.version;
  }

  record(version: number, changes: readonly OffsetChange[]): void {
    this.steps.push({ from: this.version, to: version, changes: changes.map((c) => ({ rangeOffset: c.rangeOffset, rangeLength: c.rangeLength, text: { length: c.text.length } })) });
    this.version = version;
    if (this.steps.length > this.limit) this.steps.splice(0, this.steps.length - this.limit);
  }

  /** `offset` of `version` in the current version; undefined when that version is not one the kept history starts from. */
  offsetNow(offset: number, version: number): number | undefined {
    if (version === this.version) return offset;
    const first = this.steps.findIndex((s) => s.from === version);
    if (first < 0) return undefined;
    let at = offset;
    for (let i = first; i < this.steps.length; i++) at = shiftRange({ start: at, end: at }, this.steps[i].changes).start;
    return at;
  }
}

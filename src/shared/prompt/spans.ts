/**
 * Character ranges and the small interval index the prompt modules share. Ranges are
 * UTF-16 offsets into the text, end exclusive, like String.prototype.slice.
 */
export interface Range {
  start: number;
  end: number;
}

/** Merges overlapping or touching ranges; the input need not be sorted. */
export function mergeRanges(ranges: readonly Range[]): Range[] {
  const sorted = [...ranges].filter((r) => r.end > r.start).sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Range[] = [];
  for (const r of sorted) {
    const last = merged[merged.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else merged.push({ start: r.start, end: r.end });
  }
  return merged;
}

/** Answers "does [start, end) touch a protected range?" in O(log n). */
export class RangeIndex {
  private readonly ranges: Range[];

  constructor(ranges: readonly Range[]) {
    this.ranges = mergeRanges(ranges);
  }

  get all(): readonly Range[] {
    return this.ranges;
  }

  /** True when [start, end) shares at least one character with an indexed range. */
  overlaps(start: number, end: number): boolean {
    const i = this.firstEndingAfter(start);
    return i < this.ranges.length && (this.ranges[i]).start < end;
  }

  /** True when the position lies inside an indexed range. */
  contains(position: number): boolean {
    return this.overlaps(position, position + 1);
  }

  /** The indexed range containing `position`, if any. */
  rangeAt(position: number): Range | undefined {
    const i = this.firstEndingAfter(position);
    const r = this.ranges[i];
    return r && r.start <= position ? r : undefined;
  }

  private firstEndingAfter(position: number): number {
    let lo = 0;
    let hi = this.ranges.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.ranges[mid]).end <= position) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** Collapses runs of whitespace to one space and trims: the form protected items are compared in. */
export function normalizeWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

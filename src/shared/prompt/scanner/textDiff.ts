/**
 * Where two versions of a document differ, for the incremental scans (incremental.ts,
 * mentions.ts): the editor sends the full text, so one edit is the span between the common
 * prefix and the common suffix.
 */

/** Characters compared at a time by native string equality before the character loop takes over. */
const BLOCK = 256;

export interface ChangedRange {
  /** Length of the common prefix: the change starts here in both versions. */
  start: number;
  /** Where the change ends in the old version, and in the new one (the common suffix follows). */
  oldEnd: number;
  newEnd: number;
}

/**
 * The changed span of `old` → `text`. The prefix is the longest common one, and the suffix the
 * longest that does not overlap it. Compared a block at a time (two slices compared natively),
 * then character by character inside the first block that differs: a character loop over a
 * 120 KB file took most of an edit's prompt finding.
 */
export function changedRange(old: string, text: string): ChangedRange {
  const max = Math.min(old.length, text.length);
  let start = 0;
  while (start + BLOCK <= max && old.slice(start, start + BLOCK) === text.slice(start, start + BLOCK)) start += BLOCK;
  while (start < max && old.charCodeAt(start) === text.charCodeAt(start)) start++;
  const limit = max - start;
  let suffix = 0;
  while (suffix + BLOCK <= limit && old.slice(old.length - suffix - BLOCK, old.length - suffix) === text.slice(text.length - suffix - BLOCK, text.length - suffix)) suffix += BLOCK;
  while (suffix < limit && old.charCodeAt(old.length - 1 - suffix) === text.charCodeAt(text.length - 1 - suffix)) suffix++;
  return { start, oldEnd: old.length - suffix, newEnd: text.length - suffix };
}

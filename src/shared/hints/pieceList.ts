/**
 * Which pieces of a composed prompt a hover or a lens tooltip lists by name. A prompt built from dozens of literals
 * (vanna's `build_system_prompt`: 47 pieces, 14 of them the `""` of a blank line) listed every one before the price
 * table, which then fell below the fold (newuser38). At most `max` are listed: the hovered piece and its neighbours, or
 * the first ones; the rest are counted.
 */
export interface ListedPieces {
  /** Indices of the pieces to list, in order. */
  indices: number[];
  /** Pieces left out before the listed ones. */
  before: number;
  /** Pieces left out after them. */
  after: number;
}

export const MAX_LISTED_PIECES = 8;

export function listedPieces(count: number, hovered: number | undefined, max = MAX_LISTED_PIECES): ListedPieces {
  const n = Math.max(0, Math.floor(count));
  const size = Math.max(1, Math.floor(max));
  if (n <= size) return { indices: Array.from({ length: n }, (_, i) => i), before: 0, after: 0 };
  // The hovered piece with as many before it as after it (one more after for an even window), kept inside the list.
  const at = hovered !== undefined && hovered >= 0 && hovered < n ? hovered : 0;
  const start = hovered === undefined ? 0 : Math.min(Math.max(0, at - Math.floor((size - 1) / 2)), n - size);
  return { indices: Array.from({ length: size }, (_, i) => start + i), before: start, after: n - start - size };
}

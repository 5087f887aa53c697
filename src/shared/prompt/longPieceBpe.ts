/**
 * Exact token counts for texts with a very long pre-token. The o200k/cl100k pre-tokenizer keeps a
 * run such as `____…`, `aaaa…`, `----…` or a long blank stretch as one piece, and the usual byte-pair
 * merge (gpt-tokenizer's, js-tiktoken's, tiktoken's) scans the whole piece once per merge: quadratic,
 * seconds for a 20,000-character separator line. Here the same merge order (the pair of lowest rank
 * first, the leftmost of equal ranks) is kept with a binary heap of candidate pairs over a linked
 * list of parts; a heap entry whose pair changed since it was pushed is skipped when it comes out.
 * O(n log n) per piece, and the same tokens.
 *
 * Only texts with a long piece take this path, found by a linear scan of character runs
 * ({@link mayHaveLongPiece}); everything else is counted by the caller's tokenizer unchanged.
 *
 * Pieces with U+FEFF (a byte-order mark, or a zero-width no-break space) are merged here too, whatever
 * their length: gpt-tokenizer 4.0.0 decodes byte runs with a TextDecoder that drops a leading BOM, so
 * the BOM-prefixed tokens (`\ufeffusing`, `\ufeff\n`, `\ufeff\ufeff`, ...) are never found and such
 * text is over-counted ("\ufeffusing": 3 tokens for js-tiktoken's 1).
 */

/** A mergeable-rank table as gpt-tokenizer ships it: index = rank, value = the token's text or, when it is not valid UTF-8, its bytes. */
export type RawRanks = readonly (string | readonly number[] | undefined)[];

/** Pieces at least this long (UTF-16 units) are merged here; shorter ones by the caller's tokenizer. */
export const LONG_PIECE = 512;

/**
 * Run length that {@link mayHaveLongPiece} looks for. A piece of either pre-tokenizer is at most one
 * leading character, then a run of non-space characters (letters and marks, or punctuation) or of
 * spaces, then (after punctuation) a run of line breaks or, in o200k, of line breaks and slashes, then
 * at most a 3-character contraction. A piece of LONG_PIECE units therefore holds a run of one class
 * (non-space, space, or [\r\n/]) of at least (LONG_PIECE - 4) / 2 units.
 */
export const LONG_RUN = (LONG_PIECE - 4) >> 1;

/** JavaScript's `\s` (WhiteSpace and LineTerminator), the class both pre-tokenizer patterns use. */
function isSpace(code: number): boolean {
  if (code < 0x80) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  return (
    code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 ||
    code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff
  );
}

/** True when `text` may hold a piece that {@link countWithLongPieces} merges itself: a long one, or one with U+FEFF. */
export function needsOwnMerge(text: string): boolean {
  return text.includes('\ufeff') || mayHaveLongPiece(text);
}

/** Pieces merged here rather than by the caller's tokenizer. */
const ownPiece = (piece: string): boolean => piece.length >= LONG_PIECE || piece.includes('\ufeff');

const isBreak = (code: number): boolean => code === 0x0a || code === 0x0d || code === 0x2f;

/**
 * True when `text` has a run of LONG_RUN characters that are all non-space, all space, or all
 * line breaks and slashes: a necessary condition for a piece of LONG_PIECE units. Any such run
 * covers one of the positions LONG_RUN - 1, 2 * LONG_RUN - 1, ...: only the runs through those
 * positions are measured: ordinary text costs a few character checks per LONG_RUN characters.
 */
export function mayHaveLongPiece(text: string): boolean {
  const n = text.length;
  if (n < LONG_PIECE) return false;
  for (let probe = LONG_RUN - 1; probe < n; probe += LONG_RUN) {
    const code = text.charCodeAt(probe);
    const space = isSpace(code);
    let from = probe;
    while (from > 0 && probe - from < LONG_RUN && isSpace(text.charCodeAt(from - 1)) === space) from--;
    let to = probe + 1;
    while (to < n && to - from < LONG_RUN && isSpace(text.charCodeAt(to)) === space) to++;
    if (to - from >= LONG_RUN) return true;
    if (isBreak(code)) {
      from = probe;
      while (from > 0 && probe - from < LONG_RUN && isBreak(text.charCodeAt(from - 1))) from--;
      to = probe + 1;
      while (to < n && to - from < LONG_RUN && isBreak(text.charCodeAt(to))) to++;
      if (to - from >= LONG_RUN) return true;
    }
  }
  return false;
}

/**
 * Keys of the rank table: a token's text when its bytes are valid UTF-8, else this prefix and its
 * bytes as char codes 0-255. The prefix is a lone surrogate, which no valid token's text contains.
 */
const BYTES = '\ud800';

/** Byte sequence to rank, for the merges. Built once per encoding, on the first text that needs it. */
export class RankTable {
  private readonly ranks = new Map<string, number>();
  /** An upper bound of the longest token, in bytes: no longer pair has a rank. */
  readonly maxTokenBytes: number;

  constructor(raw: RawRanks) {
    // ignoreBOM: a token may start with the bytes of U+FEFF, which belong to its text.
    const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    let longest = 1;
    raw.forEach((value, rank) => {
      if (value === undefined) return;
      let key: string;
      if (typeof value === 'string') {
        key = value;
        longest = Math.max(longest, 3 * value.length);
      } else {
        longest = Math.max(longest, value.length);
        try {
          key = decoder.decode(Uint8Array.from(value));
        } catch {
          key = BYTES + String.fromCharCode(...value);
        }
      }
      this.ranks.set(key, rank);
    });
    this.maxTokenBytes = longest;
  }

  rank(key: string): number {
    return this.ranks.get(key) ?? -1;
  }
}

let encoder: InstanceType<typeof TextEncoder> | undefined;

/** A piece's UTF-8 bytes, and the table key of any run of them. */
class PieceBytes {
  readonly length: number;
  private readonly text: string;
  /** The bytes as char codes 0-255; undefined when the piece is ASCII (then bytes and text are the same). */
  private readonly binary: string | undefined;
  /** For each byte offset (and the end): the UTF-16 index of the character starting there, or -1 inside a character. */
  private readonly charAt: Int32Array | undefined;

  constructor(piece: string) {
    // eslint-disable-next-line no-control-regex -- ASCII check
    if (/^[\x00-\x7f]*$/.test(piece)) {
      this.text = piece;
      this.length = piece.length;
      return;
    }
    // Lone surrogates are encoded as U+FFFD (as TextEncoder, gpt-tokenizer and js-tiktoken do).
    const text = piece.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
    encoder ??= new TextEncoder();
    const bytes = encoder.encode(text);
    let binary = '';
    for (let i = 0; i < bytes.length; i += 8192) binary += String.fromCharCode(...bytes.subarray(i, i + 8192));
    const charAt = new Int32Array(bytes.length + 1).fill(-1);
    let offset = 0;
    for (let i = 0; i < text.length; i++) {
      charAt[offset] = i;
      const code = text.charCodeAt(i);
      if (code < 0x80) offset += 1;
      else if (code < 0x800) offset += 2;
      else if (code >= 0xd800 && code < 0xdc00) {
        offset += 4; // a surrogate pair (well formed here)
        i++;
      } else offset += 3;
    }
    charAt[offset] = text.length;
    this.text = text;
    this.binary = binary;
    this.charAt = charAt;
    this.length = bytes.length;
  }

  /** Table key of the bytes [start, end). */
  key(start: number, end: number): string {
    if (this.charAt === undefined || this.binary === undefined) return this.text.slice(start, end);
    const from = this.charAt[start];
    const to = this.charAt[end];
    return from >= 0 && to >= 0 ? this.text.slice(from, to) : BYTES + this.binary.slice(start, end);
  }
}

// Heap keys: rank * 2^32 + start of the pair's left part (ranks < 2^20, starts < 2^32: exact in a double).
const SHIFT = 2 ** 32;

/**
 * Number of tokens of one pre-token `piece`, by byte-pair merging in tiktoken's order: repeatedly merge
 * the adjacent pair of parts whose concatenation has the lowest rank, the leftmost of equal ranks.
 */
export function countPieceTokens(table: RankTable, piece: string): number {
  const bytes = new PieceBytes(piece);
  const n = bytes.length;
  if (n === 0) return 0;
  if (n === 1 || table.rank(bytes.key(0, n)) >= 0) return 1;
  const rankOf = (start: number, end: number): number => (end - start > table.maxTokenBytes ? -1 : table.rank(bytes.key(start, end)));
  // Parts are identified by their first byte. next[s]: start of the following part (n at the end);
  // prev[s]: start of the preceding one (-1 at the start); pairRank[s]: rank of part s joined with
  // the next one (-1 when none, or when s is no longer the start of a part).
  const next = new Int32Array(n);
  const prev = new Int32Array(n);
  const pairRank = new Int32Array(n);
  const heap: number[] = [];
  for (let i = 0; i < n; i++) {
    next[i] = i + 1;
    prev[i] = i - 1;
    const rank = i + 1 < n ? rankOf(i, i + 2) : -1;
    pairRank[i] = rank;
    if (rank >= 0) heap.push(rank * SHIFT + i);
  }
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) siftDown(heap, i);
  let parts = n;
  while (heap.length > 0) {
    const top = heap[0];
    const last = heap.pop() as number;
    if (heap.length > 0) {
      heap[0] = last;
      siftDown(heap, 0);
    }
    const rank = Math.floor(top / SHIFT);
    const start = top - rank * SHIFT;
    if (pairRank[start] !== rank) continue; // stale: the pair at `start` changed since this entry was pushed
    // Merge part `start` with the next one.
    const removed = next[start];
    const end = next[removed];
    next[start] = end;
    if (end < n) prev[end] = start;
    pairRank[removed] = -1;
    parts--;
    const after = end < n ? rankOf(start, next[end]) : -1;
    pairRank[start] = after;
    if (after >= 0) heapPush(heap, after * SHIFT + start);
    const before = prev[start];
    if (before >= 0) {
      const rankBefore = rankOf(before, end);
      pairRank[before] = rankBefore;
      if (rankBefore >= 0) heapPush(heap, rankBefore * SHIFT + before);
    }
  }
  return parts;
}

function heapPush(heap: number[], key: number): void {
  let i = heap.length;
  heap.push(key);
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (heap[parent] <= key) break;
    heap[i] = heap[parent];
    i = parent;
  }
  heap[i] = key;
}

function siftDown(heap: number[], index: number): void {
  const size = heap.length;
  const key = heap[index];
  let i = index;
  for (;;) {
    let child = 2 * i + 1;
    if (child >= size) break;
    if (child + 1 < size && heap[child + 1] < heap[child]) child++;
    if (heap[child] >= key) break;
    heap[i] = heap[child];
    i = child;
  }
  heap[i] = key;
}

/**
 * Counts a whole text whose pieces may be long: the pieces of LONG_PIECE units or more (and those
 * with U+FEFF) with `countLong` ({@link countPieceTokens}), the text between them with `countShort` (the fast tokenizer).
 *
 * The text between two long pieces is handed over as one segment when that gives the same pieces as
 * the whole text does. Pre-tokenizing has no look-behind, so a segment starting where a piece ends
 * starts the same way; at its end, cutting the text can only change a match through `\s+(?!\S)` or
 * `\s+$`, which end in a space character. So a segment is cut after a piece that ends in a non-space
 * character; pieces after that one that end in a space are counted one by one (a lone piece always
 * pre-tokenizes to itself).
 */
export function countWithLongPieces(text: string, split: RegExp, countLong: (piece: string) => number, countShort: (text: string) => number): number {
  let total = 0;
  let segmentStart = 0;
  let safeEnd = 0;
  let pending: string[] = [];
  let found = false;
  for (const match of text.matchAll(split)) {
    const piece = match[0];
    const start = match.index;
    if (ownPiece(piece)) {
      found = true;
      if (safeEnd > segmentStart) total += countShort(text.slice(segmentStart, safeEnd));
      for (const short of pending) total += countShort(short);
      total += countLong(piece);
      segmentStart = safeEnd = start + piece.length;
      pending = [];
    } else if (isSpace(piece.charCodeAt(piece.length - 1))) {
      pending.push(piece);
    } else {
      safeEnd = start + piece.length;
      pending = [];
    }
  }
  if (!found) return countShort(text);
  if (segmentStart < text.length) total += countShort(text.slice(segmentStart));
  return total;
}

/**
 * Quoted model names in a document (`"claude-sonnet-4-5"`), for the editor's model hovers,
 * found again after an edit by scanning only around the change (issue 12, item 8).
 *
 * `modelMentions` (models.ts) runs one regular expression over the whole text: each match
 * is a quoted word, and the next search starts at the match's closing quote (it may open the
 * next literal). Which words pair up therefore depends on every quote before them, and one
 * inserted quote re-pairs the rest of the file. The scan is still a chain of searches, each
 * fully decided by where it starts and the text it reads, so after an edit:
 *
 * - the matches found before the edit, whose searches read nothing the edit changed, are the
 *   same (a search that finds a match at x reads no further than x + READ_AHEAD);
 * - from the last of those, the new text is scanned until a match lies wholly after the edit
 *   and the old version had the same match at the same place (shifted by the edit's length):
 *   from there both scans search the same text from the same point, so the old version's
 *   remaining matches are the new ones, shifted.
 *
 * The result equals `modelMentions(text, limit)` exactly; test/unit/prompt/scanner/mentions.test.ts
 * checks it on random edits of the real files in test/fixtures/scan.
 */
import { MODEL_NAME_SHAPE, type ModelMention } from './models';
import { changedRange } from './textDiff';

/** The same expression as `modelMentions`: a quote, a name of 2 to 120 characters, the same quote. */
const QUOTED_NAME = /(["'`])([A-Za-z][\w.:/@-]{1,119})\1/g;

/** How far past its start a search position is read: the quote, 120 name characters and the closing quote (one spare). */
const READ_AHEAD = 123;

/**
 * Every match of the expression, in order, up to where the scan stopped (every match moves the
 * scan on, whether or not it names a model), as parallel arrays: a long file has thousands.
 */
interface MentionState {
  text: string;
  starts: number[];
  ends: number[];
  /** The index in `mentions` of the match's mention, or -1 when the word does not look like a model name. */
  mentionOf: number[];
  mentions: ModelMention[];
  /** The scan stopped at `limit` mentions, so the matches do not reach the end of the text. */
  capped: boolean;
}

/** How the last call went, for tests and the editor benchmark: how many quoted words were read again, of how many. */
export interface MentionScanStats {
  mode: 'unchanged' | 'incremental' | 'full';
  /** Matches of the expression in the new version, and how many of them were found by scanning (not kept or shifted). */
  words: number;
  rescanned: number;
}

export class IncrementalModelMentions {
  private readonly states = new Map<string, MentionState>();
  private stats: MentionScanStats = { mode: 'full', words: 0, rescanned: 0 };

  /**
   * @param capacity How many documents to remember (least recently used are forgotten first).
   * @param limit At most this many mentions, as `modelMentions(text, limit)`.
   */
  constructor(
    private readonly capacity = 16,
    private readonly limit = 2000,
  ) {}

  get lastScan(): MentionScanStats {
    return this.stats;
  }

  /** `modelMentions(text, limit)`, computed from the version last seen under `key` (a document URI) when there is one. Callers must not change the result. */
  mentions(key: string, text: string): ModelMention[] {
    const prev = this.states.get(key);
    let state: MentionState;
    if (prev && prev.text === text) {
      state = prev;
      this.stats = { mode: 'unchanged', words: prev.starts.length, rescanned: 0 };
    } else {
      state = prev && !prev.capped ? this.update(prev, text) : this.full(text);
    }
    this.states.delete(key);
    this.states.set(key, state);
    if (this.states.size > this.capacity) this.states.delete(this.states.keys().next().value as string);
    return state.mentions;
  }

  forget(key: string): void {
    this.states.delete(key);
  }

  private full(text: string): MentionState {
    const state = emptyState(text);
    this.scan(state, 0);
    this.stats = { mode: 'full', words: state.starts.length, rescanned: state.starts.length };
    return state;
  }

  private update(prev: MentionState, text: string): MentionState {
    const { start, newEnd } = changedRange(prev.text, text);
    const delta = text.length - prev.text.length;

    // Matches whose search read nothing at or after the change start are kept as they are.
    let kept = 0;
    while (kept < prev.starts.length && prev.starts[kept] + READ_AHEAD <= start) kept++;
    const state: MentionState = { text, starts: prev.starts.slice(0, kept), ends: prev.ends.slice(0, kept), mentionOf: prev.mentionOf.slice(0, kept), mentions: [], capped: false };
    for (const i of state.mentionOf) if (i >= 0) state.mentions.push(prev.mentions[i]);
    const resume = kept > 0 ? prev.ends[kept - 1] - 1 : 0;
    // Scan on until a match lies wholly after the change and the old version had it too.
    const sync = this.scan(state, resume, (wordStart, wordEnd) => {
      if (wordStart < newEnd) return -1;
      const j = indexOfStart(prev.starts, wordStart - delta, kept);
      return j >= 0 && prev.ends[j] === wordEnd - delta ? j : -1;
    });
    const rescanned = state.starts.length - kept;
    if (sync >= 0) {
      // The old version's matches after the synchronising one, moved by the edit.
      for (let j = sync + 1; j < prev.starts.length && !state.capped; j++) {
        state.starts.push(prev.starts[j] + delta);
        state.ends.push(prev.ends[j] + delta);
        const m = prev.mentionOf[j];
        if (m < 0) {
          state.mentionOf.push(-1);
          continue;
        }
        const mention = prev.mentions[m];
        state.mentionOf.push(state.mentions.length);
        state.mentions.push(delta === 0 ? mention : { name: mention.name, start: mention.start + delta, end: mention.end + delta });
        if (state.mentions.length >= this.limit) state.capped = true;
      }
    }
    this.stats = { mode: 'incremental', words: state.starts.length, rescanned };
    return state;
  }

  /**
   * Runs the expression from `from` as `modelMentions` does, appending to `state`. Stops at the
   * end of the text, at `limit` mentions, or when `synced` returns an old match's index (returned).
   */
  private scan(state: MentionState, from: number, synced?: (start: number, end: number) => number): number {
    const text = state.text;
    const re = QUOTED_NAME;
    re.lastIndex = from;
    for (let m = re.exec(text); m && state.mentions.length < this.limit; m = re.exec(text)) {
      const start = m.index;
      const end = start + m[0].length;
      state.starts.push(start);
      state.ends.push(end);
      if (MODEL_NAME_SHAPE.test(m[2])) {
        state.mentionOf.push(state.mentions.length);
        state.mentions.push({ name: m[2], start, end });
      } else state.mentionOf.push(-1);
      if (state.mentions.length >= this.limit) {
        state.capped = true;
        return -1;
      }
      const j = synced ? synced(start, end) : -1;
      if (j >= 0) return j;
      // Closing quotes can open the next literal: step back one character.
      re.lastIndex = end - 1;
    }
    return -1;
  }
}

function emptyState(text: string): MentionState {
  return { text, starts: [], ends: [], mentionOf: [], mentions: [], capped: false };
}

/** The index of the match starting at `start` in `starts` (ascending), searching from `from`; -1 when none does. */
function indexOfStart(starts: readonly number[], start: number, from: number): number {
  let lo = from;
  let hi = starts.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = starts[mid];
    if (s === start) return mid;
    if (s < start) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

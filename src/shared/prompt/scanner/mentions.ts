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

/** The same expression as `modelMentions`: a quote, a name of 2 to 120 characters, the same quote. */
const QUOTED_NAME = /(["'`])([A-Za-z][\w.:/@-]{1,119})\1/g;

/** How far past its start a search position is read: the quote, 120 name characters and the closing quote (one spare). */
const READ_AHEAD = 123;

/** One match of the expression: every match moves the scan on, whether or not it names a model. */
interface QuotedWord {
  start: number;
  end: number;
  /** Set when the word looks like a model name (`MODEL_NAME_SHAPE`). */
  mention?: ModelMention;
}

interface MentionState {
  text: string;
  /** Every match, in order, up to where the scan stopped. */
  words: QuotedWord[];
  mentions: ModelMention[];
  /** The scan stopped at `limit` mentions, so `words` does not reach the end of the text. */
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
      this.stats = { mode: 'unchanged', words: prev.words.length, rescanned: 0 };
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
    const state: MentionState = { text, words: [], mentions: [], capped: false };
    this.scan(state, 0);
    this.stats = { mode: 'full', words: state.words.length, rescanned: state.words.length };
    return state;
  }

  private update(prev: MentionState, text: string): MentionState {
    const old = prev.text;
    const max = Math.min(old.length, text.length);
    let start = 0;
    while (start < max && old.charCodeAt(start) === text.charCodeAt(start)) start++;
    let suffix = 0;
    while (suffix < max - start && old.charCodeAt(old.length - 1 - suffix) === text.charCodeAt(text.length - 1 - suffix)) suffix++;
    const newEnd = text.length - suffix;
    const delta = text.length - old.length;

    // Matches whose search read nothing at or after the change start are kept as they are.
    const state: MentionState = { text, words: [], mentions: [], capped: false };
    let kept = 0;
    while (kept < prev.words.length && prev.words[kept].start + READ_AHEAD <= start) {
      const word = prev.words[kept++];
      state.words.push(word);
      if (word.mention) state.mentions.push(word.mention);
    }
    const resume = kept > 0 ? prev.words[kept - 1].end - 1 : 0;
    // Scan on until a match lies wholly after the change and the old version had it too.
    const sync = this.scan(state, resume, (word) => {
      if (word.start < newEnd) return -1;
      const j = indexOfStart(prev.words, word.start - delta, kept);
      return j >= 0 && prev.words[j].end === word.end - delta ? j : -1;
    });
    const rescanned = state.words.length - kept;
    if (sync >= 0) {
      // The old version's matches after the synchronising one, moved by the edit.
      for (let j = sync + 1; j < prev.words.length && !state.capped; j++) {
        const w = prev.words[j];
        const word: QuotedWord = { start: w.start + delta, end: w.end + delta };
        if (w.mention) {
          word.mention = delta === 0 ? w.mention : { name: w.mention.name, start: w.mention.start + delta, end: w.mention.end + delta };
          state.mentions.push(word.mention);
          if (state.mentions.length >= this.limit) state.capped = true;
        }
        state.words.push(word);
      }
    }
    this.stats = { mode: 'incremental', words: state.words.length, rescanned };
    return state;
  }

  /**
   * Runs the expression from `from` as `modelMentions` does, appending to `state`. Stops at the
   * end of the text, at `limit` mentions, or when `synced` returns an old word's index (returned).
   */
  private scan(state: MentionState, from: number, synced?: (word: QuotedWord) => number): number {
    const text = state.text;
    const re = new RegExp(QUOTED_NAME.source, 'g');
    re.lastIndex = from;
    for (let m = re.exec(text); m && state.mentions.length < this.limit; m = re.exec(text)) {
      const word: QuotedWord = { start: m.index, end: m.index + m[0].length };
      if (MODEL_NAME_SHAPE.test(m[2])) {
        word.mention = { name: m[2], start: word.start, end: word.end };
        state.mentions.push(word.mention);
      }
      state.words.push(word);
      if (state.mentions.length >= this.limit) {
        state.capped = true;
        return -1;
      }
      const j = synced ? synced(word) : -1;
      if (j >= 0) return j;
      re.lastIndex = word.end - 1;
    }
    return -1;
  }
}

/** The index of the word starting at `start` in `words` (sorted by start), searching from `from`; -1 when none does. */
function indexOfStart(words: readonly QuotedWord[], start: number, from: number): number {
  let lo = from;
  let hi = words.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = words[mid].start;
    if (s === start) return mid;
    if (s < start) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

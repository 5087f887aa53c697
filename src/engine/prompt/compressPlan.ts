/**
 * The edit plan: the edits one compression pass proposes, before any is applied. Every rule
 * planner goes through it, and it refuses an edit that touches a protected character (see the
 * mask in compressMask.ts) or overlaps an edit already planned, so no planner decides on its
 * own what is safe. `apply()` then writes the edits into the text in one go, re-casing the
 * letter that comes to open a sentence after a deletion.
 */
import type { Removal, RemovalKind } from '../../protocol/prompt';
import { isLineBreak, type TextUnit } from '../../shared/prompt/text';
import { articleAgreement, EditIndex, endBefore, startAfter, type ArticleRule } from './compressAgreement';
import { isFree, opens, type Mask, type Softness } from './compressMask';

export interface Edit extends Removal {
  rule?: string;
  /** Upper-case the first letter that follows (the deletion left it starting a sentence). */
  capitalizeNext?: boolean;
}

function matchCase(original: string, replacement: string): string {
  if (replacement.length === 0) return replacement;
  const first = original[0];
  return first !== first.toLowerCase() ? (replacement[0]).toUpperCase() + replacement.slice(1) : replacement;
}

/** The rule name of an article re-formed to agree with its new next word. */
const ARTICLE_AGREEMENT = 'articleAgreement';
/** The rule name of a sentence's end mark changed after its courtesy or question lead went ("List the files?" → "List the files."). */
const SENTENCE_END = 'sentenceEnd';

export class EditPlan {
  readonly edits: Edit[] = [];
  /** The rule planning now; stamped on each edit for the removal report. */
  rule = 'whitespace';
  private readonly taken: Uint8Array;
  /** The edits by position (what endBefore/startAfter walk through). */
  private readonly index: EditIndex<Edit>;

  constructor(
    private readonly text: string,
    private readonly mask: Mask,
    private readonly units: readonly TextUnit[] = [],
    /** The language's "a"/"an" rule, if it has one: an edit after such an article must leave it agreeing. */
    private readonly articles?: ArticleRule,
  ) {
    this.taken = new Uint8Array(text.length);
    this.index = new EditIndex<Edit>(text.length, this.edits);
  }

  /** Deletes or replaces [start, end) when it touches nothing protected or already edited. */
  tryEdit(kind: RemovalKind, start: number, end: number, replacement: string, soft: Softness = false): boolean {
    // An article this plan only re-formed ("a" → "an") may still be dropped (aggressive level): the drop replaces the re-forming.
    const there = replacement === '' ? this.index.at(start) : undefined;
    const fixed = there && there.rule === ARTICLE_AGREEMENT && there.start === start && there.end === end ? this.edits.indexOf(there) : -1;
    if (fixed < 0) return this.planEdit(kind, start, end, replacement, soft);
    const [reformed] = this.edits.splice(fixed, 1);
    this.index.dropped([reformed]);
    this.taken.fill(0, start, end);
    if (this.planEdit(kind, start, end, replacement, soft)) return true;
    this.edits.push(reformed);
    this.taken.fill(1, start, end);
    return false;
  }

  private planEdit(kind: RemovalKind, start: number, end: number, replacement: string, soft: Softness): boolean {
    const text = this.text;
    if (!isFree(this.mask, start, end, soft) || !this.isUntaken(start, end)) return false;
    const open = (i: number) => opens(this.mask[i], soft);
    const original = text.slice(start, end);
    const value = matchCase(original, replacement);
    // A phrase that maps to itself ("em vez de", "dentro do possível") only shields its words from shorter phrases: no edit to report.
    if (value === original) {
      this.taken.fill(1, start, end);
      return true;
    }
    let capitalizeNext = false;
    /** The end mark that replaces a courtesy's "!" ("Summarize the text; thanks!" → "Summarize the text."): [from, to) and the mark. */
    let endMark: { from: number; to: number; mark: string } | undefined;
    if (value === '') {
      // Take the punctuation and space that belonged to the phrase ("Please, answer" → "Answer").
      // (A no-break space, U+00A0, from text pasted out of a web page, is a space like any other here.)
      // A line break is "\n" or a Unicode line separator (U+0085, U+2028, U+2029: isLineBreak).
      const lineStart = (at: number) => at === 0 || isLineBreak(text[at - 1]);
      let e = end;
      while (e < text.length && /[,;]/.test(text[e]) && open(e)) e++;
      while (e < text.length && /[ \t\u00a0]/.test(text[e]) && open(e)) e++;
      // Between two commas ("It is, in fact, correct."), the phrase goes with both of them and the space after stays:
      // "It is correct." ("It is, correct." was left).
      const commaAfter = text.slice(end, e).lastIndexOf(',');
      let c = start;
      while (c > 0 && /[ \t\u00a0]/.test(text[c - 1]) && open(c - 1) && this.taken[c - 1] === 0) c--;
      if (commaAfter >= 0 && c < start && text[c - 1] === ',' && open(c - 1) && this.taken[c - 1] === 0 && /[\p{L}\p{N}]/u.test(text[e] ?? '')) {
        start = c - 1;
        e = end + commaAfter + 1;
      } else if (/[,;]/.test(text[end] ?? '') && c < start && /[\p{L}\p{N}]/u.test(text[c - 1] ?? '') && /[\p{L}\p{N}]/u.test(text[e] ?? '')) {
        // After a word of the same clause, the comma or semicolon that follows ends that clause, not the phrase: it stays,
        // with the space before the phrase gone ("Understand it deeply and fully, then summarize it" lost its comma).
        start = c;
        e = end;
      } else if (e === end || e === text.length || /[\r.!?]/.test(text[e]) || isLineBreak(text[e])) {
        // Nothing followed: take the space before instead ("answer, please." → "answer.").
        const phraseStart = start;
        let s = start;
        while (s > 0 && /[ \t\u00a0]/.test(text[s - 1]) && open(s - 1) && this.taken[s - 1] === 0) s--;
        while (s > 0 && /[,;]/.test(text[s - 1]) && open(s - 1) && this.taken[s - 1] === 0 && (e === text.length || /[ \t.!?\r]/.test(text[e]) || isLineBreak(text[e]))) s--;
        if (s < start && this.isUntaken(s, start)) start = s;
        // A whole sentence of politeness ("…the article. Thank you.") takes its own end mark along, and at a line start the space after it.
        // What comes before is looked at through the deletions already planned: "Note: please." lost "Note: " to the filler
        // rule, so "please" is the whole sentence and its "." goes too ("." was left).
        const p = endBefore(text, start, this.index);
        if ((p === 0 || /[.!?]/.test(text[p - 1]) || isLineBreak(text[p - 1])) && /[.!?]/.test(text[e] ?? '')) {
          while (e < text.length && /[.!?]/.test(text[e]) && open(e)) e++;
          if (lineStart(p)) while (e < text.length && /[ \t\u00a0]/.test(text[e]) && open(e)) e++;
        } else if (text[start - 1] === '(' && open(start - 1) && this.taken[start - 1] === 0) {
          // A whole aside of it ("…the text. (Thanks for your help!) Use…") takes its parentheses and the space before
          // them: "(!)" was left.
          let close = e;
          while (close < text.length && /[.!?]/.test(text[close]) && open(close)) close++;
          if (text[close] === ')' && open(close)) {
            e = close + 1;
            start--;
            if (/[ \t\u00a0]/.test(text[start - 1] ?? '') && open(start - 1) && this.taken[start - 1] === 0) start--;
            else if (lineStart(start)) while (e < text.length && /[ \t\u00a0]/.test(text[e]) && open(e)) e++;
          }
        } else if (/[,;]/.test(text.slice(start, phraseStart)) && text[e] === '!') {
          // A courtesy clause after a comma or semicolon ("Summarize the text; thanks for your help!"): its "!" was the
          // courtesy's, so the instruction ends with a period ("Summarize the text!" it was). A "?" stays (a question), and so
          // does a mark the kept part ends with ("Great!, thanks!" → "Great!").
          let f = e;
          while (f < text.length && text[f] === '!' && open(f) && this.taken[f] === 0) f++;
          if (f > e && text[f] !== '?') endMark = { from: e, to: f, mark: /[.!?]/.test(text[start - 1] ?? '') ? '' : '.' };
        }
        // A whole line of it ("…complete.\nThanks for your help!\nAnswer…") takes its line break too: no blank line is left.
        // (A Windows line break is "\r\n": both go, or a blank line is left all the same.)
        if (lineStart(start) && text[e] === '\r' && text[e + 1] === '\n' && open(e) && open(e + 1) && this.taken[e] === 0 && this.taken[e + 1] === 0) e += 2;
        else if (lineStart(start) && isLineBreak(text[e]) && open(e) && this.taken[e] === 0) e++;
      }
      if (!this.isUntaken(end, e)) e = end;
      end = e;
      capitalizeNext = this.atSentenceStart(start);
    }
    if (value === '' && this.wouldDouble(start, end)) return false;
    // A split infinitive keeps its "to": "Make sure to not repeat past mistakes." (gpt-engineer) was "Not repeat past mistakes.".
    if (value === '' && /(?<![\p{L}\p{N}_'’-])to[ \t]*$/iu.test(original) && /^[ \t]*not(?![\p{L}\p{N}_'’-])/iu.test(text.slice(end, end + 8))) return false;
    if (!this.keepArticleAgreeing(start, end, value, soft)) return false;
    this.taken.fill(1, start, end);
    this.edits.push({ kind, rule: this.rule, text: text.slice(start, end), replacement: value, start, end, capitalizeNext });
    if (endMark && end === endMark.from) this.replaceEndMark(endMark.from, endMark.to, endMark.mark, soft);
    return true;
  }

  /**
   * Whether deleting [start, end) would bring two equal words together ("the `id` attribute of
   * the of the opening" in bolt's prompt lost its articles as "of of opening"): that reads as a
   * typo, so the deletion is not made.
   */
  private wouldDouble(start: number, end: number): boolean {
    const p = endBefore(this.text, start, this.index);
    const q = startAfter(this.text, end, this.index);
    const before = /([\p{L}\p{N}'’]+)$/u.exec(this.text.slice(Math.max(0, p - 40), p))?.[1];
    const after = /^[\p{L}\p{N}'’]+/u.exec(this.text.slice(q, q + 40))?.[0];
    return before !== undefined && after !== undefined && before.toLowerCase() === after.toLowerCase();
  }

  /**
   * Before an edit of [start, end) into `value`: an indefinite article just before it ("an
   * absolutely positioned") must agree with the word that will follow it. When the next word's
   * spelling settles the form and the article may be edited, it is corrected ("a really
   * important" → "an important"); when it does not ("an extremely useful": "useful" starts with
   * a vowel letter but not a vowel sound), the edit is refused.
   */
  private keepArticleAgreeing(start: number, end: number, value: string, soft: Softness): boolean {
    if (!this.articles) return true;
    const need = articleAgreement(this.text, start, end, value, this.index, this.articles);
    if (need === 'ok') return true;
    if (need === 'refuse') return false;
    const original = this.text.slice(need.start, need.end);
    const there = this.index.at(need.start);
    const fixed = there && there.rule === ARTICLE_AGREEMENT && there.start === need.start && there.end === need.end ? there : undefined;
    if (fixed) {
      fixed.replacement = matchCase(original, need.form);
      return true;
    }
    if (!isFree(this.mask, need.start, need.end, soft) || !this.isUntaken(need.start, need.end)) return false;
    this.taken.fill(1, need.start, need.end);
    this.edits.push({ kind: 'filler', rule: ARTICLE_AGREEMENT, text: original, replacement: matchCase(original, need.form), start: need.start, end: need.end });
    return true;
  }

  /**
   * A sentence's end mark [start, end) written as `mark` once an edit made the sentence a plain instruction ("Can you
   * please list the files?" → "List the files."): it is reported under its own rule. Made only where the mark is free.
   */
  replaceEndMark(start: number, end: number, mark: string, soft: Softness = true): boolean {
    if (!isFree(this.mask, start, end, soft) || !this.isUntaken(start, end)) return false;
    this.taken.fill(1, start, end);
    this.edits.push({ kind: 'whitespace', rule: SENTENCE_END, text: this.text.slice(start, end), replacement: mark, start, end });
    return true;
  }

  /** Replaces exactly [start, end) (no punctuation or space taken along), under the same conditions as tryEdit. */
  tryExact(kind: RemovalKind, start: number, end: number, replacement: string, soft: Softness = false): boolean {
    if (!isFree(this.mask, start, end, soft) || !this.isUntaken(start, end)) return false;
    this.taken.fill(1, start, end);
    this.edits.push({ kind, rule: this.rule, text: this.text.slice(start, end), replacement, start, end });
    return true;
  }

  /** Deletes exactly [start, end) regardless of protection (a label its heading repeats); the retention check still applies. */
  deleteEcho(start: number, end: number): boolean {
    if (!this.isUntaken(start, end)) return false;
    this.taken.fill(1, start, end);
    this.edits.push({ kind: 'repetition', rule: this.rule, text: this.text.slice(start, end), replacement: '', start, end });
    return true;
  }

  /**
   * Takes back the deletions that would empty a label: "Translate: please, thanks." lost both courtesies as "Translate:.",
   * a colon with nothing after it but the sentence's end. Every deletion between such a colon and the mark (or comma)
   * after it is undone, so the text there stays as written. Run once all rules have planned.
   */
  keepLabelsFilled(): void {
    const text = this.text;
    const deletions = new Map<number, Edit>();
    for (const edit of this.edits) if (edit.replacement === '') deletions.set(edit.start, edit);
    if (deletions.size === 0) return;
    // Where a kept colon ends: a colon of the text no edit covers, or the end of a replacement that ends with one ("My first
    // request is" → "First request:"). Linear in the text and the edits: a 1 MB prompt has thousands of deletions.
    const colonEnds: number[] = [];
    for (let i = text.indexOf(':'); i !== -1; i = text.indexOf(':', i + 1)) if (this.taken[i] === 0) colonEnds.push(i + 1);
    for (const edit of this.edits) if (edit.replacement.endsWith(':')) colonEnds.push(edit.end);
    const emptied = new Set<Edit>();
    for (const from of colonEnds) {
      const crossed: Edit[] = [];
      let q = from;
      for (;;) {
        const deleted = deletions.get(q);
        if (deleted) {
          crossed.push(deleted);
          q = deleted.end;
        } else if (q < text.length && /[ \t]/.test(text[q])) q++;
        else break;
      }
      if (crossed.length > 0 && /[.!?,;]/.test(text[q] ?? '')) for (const edit of crossed) emptied.add(edit);
    }
    if (emptied.size === 0) return;
    for (const edit of emptied) this.taken.fill(0, edit.start, edit.end);
    this.index.at(0);
    const kept = this.edits.filter((e) => !emptied.has(e));
    this.edits.length = 0;
    this.edits.push(...kept);
    this.index.dropped([...emptied]);
  }

  /** Takes back the edits planned after the first `count`. */
  undoSince(count: number): void {
    this.index.at(0);
    const undone = this.edits.splice(count);
    for (const edit of undone) this.taken.fill(0, edit.start, edit.end);
    this.index.dropped(undone);
  }

  /** The unit that holds `position`, if any. */
  unitAt(position: number): TextUnit | undefined {
    let lo = 0;
    let hi = this.units.length - 1;
    let found: TextUnit | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const unit = this.units[mid];
      if (unit.start <= position) {
        found = unit;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: equivalent, every caller passes the position of a word, which always lies inside a unit
    return found && position <= found.end ? found : undefined;
  }

  /** True when `position` begins a unit: only list markers, quotes or spaces lie between. */
  atSentenceStart(position: number): boolean {
    const found = this.unitAt(position);
    if (!found) return false;
    return /^[\s"'“(*>#•\-\d.)]*$/.test(this.text.slice(found.start, position));
  }

  /** Deletes a whole unit (a repeated sentence) regardless of protection: its twin keeps the content. */
  deleteUnit(unit: TextUnit, kind: RemovalKind = 'repetition'): boolean {
    let start = unit.start;
    let end = unit.end;
    while (end < this.text.length && /[ \t]/.test(this.text[end])) end++;
    // A unit alone on its line (an indented list item repeated further down) takes its indentation and line break
    // along: "   - Use imports…\n   - ALWAYS create…\n   - Create…" kept a blank line inside the list (newuser28).
    let lineStart = start;
    while (lineStart > 0 && /[ \t]/.test(this.text[lineStart - 1])) lineStart--;
    // (A caller may have taken the line break into the unit already: then the line is whole and nothing more goes.)
    if (this.text[end - 1] !== '\n' && (lineStart === 0 || this.text[lineStart - 1] === '\n') && this.text[end] === '\n' && this.isUntaken(lineStart, end + 1)) {
      start = lineStart;
      end++;
    }
    if (!this.isUntaken(start, end)) return false;
    this.taken.fill(1, start, end);
    this.edits.push({ kind, rule: this.rule, text: this.text.slice(start, end), replacement: '', start, end });
    return true;
  }

  /** True when no planned edit takes any character of [start, end). */
  untaken(start: number, end: number): boolean {
    return this.isUntaken(start, end);
  }

  private isUntaken(start: number, end: number): boolean {
    for (let i = start; i < end; i++) if (this.taken[i] !== 0) return false;
    return true;
  }

  apply(): string {
    const sorted = [...this.edits].sort((a, b) => a.start - b.start);
    let out = '';
    let cursor = 0;
    let capitalize = false;
    const append = (chunk: string, sourceStart: number | undefined) => {
      if (capitalize && chunk.length > 0) {
        const i = chunk.search(/\S/);
        if (i !== -1) {
          const ch = chunk[i];
          const lockedSource = sourceStart !== undefined && this.mask[sourceStart + i] === 1;
          if (/\p{Ll}/u.test(ch) && !lockedSource) chunk = chunk.slice(0, i) + ch.toUpperCase() + chunk.slice(i + 1);
          capitalize = false;
        }
      }
      out += chunk;
    };
    for (const edit of sorted) {
      append(this.text.slice(cursor, edit.start), cursor);
      append(edit.replacement, undefined);
      if (edit.capitalizeNext) capitalize = true;
      cursor = edit.end;
    }
    append(this.text.slice(cursor), cursor);
    return out;
  }
}

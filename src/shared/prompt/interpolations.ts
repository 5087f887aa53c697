/**
 * `${…}` interpolations found whole, for protected.ts: a template literal's expression holding braces, quotes or a
 * nested template literal is one placeholder, and the other protected patterns read it masked (opaque).
 */
import type { Range } from './spans';

/** The longest `${…}` interpolation looked for, in characters. */
const MAX_INTERPOLATION = 2_000;

/**
 * `${…}` interpolations whose expression holds braces, quotes or a nested template literal (the simple placeholder
 * pattern stops at the first `}` and would leave the rest to the rules: `${isRagWorking ? …}` lost the space before
 * its `?`). The expression is scanned with its strings skipped and its braces counted, a nested template literal's
 * own `${` included; one that does not close within MAX_INTERPOLATION characters is left to the simple pattern.
 */
export function nestedInterpolations(text: string): Range[] {
  const spans: Range[] = [];
  // Linear in all: unclosed "${" by the thousand (each scanned up to MAX_INTERPOLATION characters) stop the search once
  // the characters scanned reach a few times the text's length; the simple pattern still protects the plain ones.
  let budget = 4 * text.length + 4 * MAX_INTERPOLATION;
  for (let at = text.indexOf('${'); at >= 0 && budget > 0; at = text.indexOf('${', at + 2)) {
    const end = interpolationEnd(text, at + 2);
    // Charged what was read: an expression given up at an unclosed quote of its line costs that line, not the most
    // (twenty `${user's name}` in a 5,000-character prompt spent the budget before a real one later on).
    budget -= Math.abs(end) - at;
    if (end < 0) continue;
    const body = text.slice(at + 2, end - 1);
    if (!/[{}"'`]/.test(body)) continue;
    spans.push({ start: at, end });
    at = end - 2;
  }
  return spans;
}

/** `text` with each range's characters replaced by NUL (no pattern matches one, and a quote around a range still closes). */
export function maskRanges(text: string, ranges: readonly Range[]): string {
  let out = '';
  let at = 0;
  for (const r of ranges) {
    out += text.slice(at, r.start) + '\0'.repeat(r.end - r.start);
    at = r.end;
  }
  return out + text.slice(at);
}

/** The characters after which a `/` in an expression opens a regular expression literal rather than dividing. */
export const BEFORE_REGEX: ReadonlySet<string> = new Set(['', '(', ',', '=', ':', '[', '!', '&', '|', '?', '{', '}', ';', '+', '-', '*', '%', '<', '>', '~', '^']);

/**
 * The offset of the `/` that closes a regular expression literal opened by the `/` at `i` (escapes and character
 * classes skipped; it may not span a line), or where the reading stopped (a line break, or `limit`) when none does.
 * The caller tells the two apart by the character there.
 */
export function regexLiteralClose(text: string, i: number, limit: number): number {
  let j = i + 1;
  let inClass = false;
  while (j < limit && text[j] !== '\n' && (inClass || text[j] !== '/')) {
    if (text[j] === '\\') j++;
    else if (text[j] === '[') inClass = true;
    else if (text[j] === ']') inClass = false;
    j++;
  }
  return j;
}

/**
 * The offset just past the `}` that closes an interpolation whose expression starts at `from`; when none does in reach,
 * minus the offset where the search stopped. Strings, comments (`/* } *\/`, `// }` to the line's end) and regular
 * expression literals (`/[{}]/g`, `/'/`) are skipped; a string or regular expression left open on its line, or a block
 * comment left open in reach, stops the search there.
 */
function interpolationEnd(text: string, from: number): number {
  const limit = Math.min(text.length, from + MAX_INTERPOLATION);
  // A stack of what is open: '{' an expression brace, '`' a template literal's text.
  const open: string[] = ['{'];
  // The last significant character of the expression ('' at its start): it tells a regular expression from a division.
  let prev = '';
  for (let i = from; i < limit; i++) {
    const c = text[i];
    const top = open[open.length - 1];
    if (top === '`') {
      if (c === '\\') i++;
      else if (c === '`') {
        open.pop();
        prev = '`';
      } else if (c === '$' && text[i + 1] === '{') {
        open.push('{');
        prev = '';
        i++;
      }
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < limit && text[j] !== c && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      if (j >= limit || text[j] !== c) return -Math.min(j, limit);
      i = j;
      prev = c;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const close = findBefore(text, '*/', i + 2, limit);
      if (close < 0) return -limit;
      i = close + 1;
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      const eol = findBefore(text, '\n', i + 2, limit);
      if (eol < 0) return -limit;
      i = eol;
      continue;
    }
    if (c === '/' && BEFORE_REGEX.has(prev)) {
      const j = regexLiteralClose(text, i, limit);
      if (j >= limit || text[j] !== '/') return -Math.min(j, limit);
      i = j;
      prev = '/';
      continue;
    }
    if (c === '`') {
      open.push('`');
      continue;
    }
    if (c === '{') open.push('{');
    else if (c === '}') {
      open.pop();
      if (open.length === 0) return i + 1;
    }
    if (c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r') prev = /[\w$]/.test(c) ? 'a' : c;
  }
  return -limit;
}

/** `text.indexOf(needle, from)` when the match ends by `limit`, else -1, reading no further than `limit` (bounded work). */
function findBefore(text: string, needle: string, from: number, limit: number): number {
  const at = text.slice(from, limit).indexOf(needle);
  return at < 0 ? -1 : from + at;
}

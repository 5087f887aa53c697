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

/** The offset just past the `}` that closes an interpolation whose expression starts at `from`; when none does in reach, minus the offset where the search stopped. */
function interpolationEnd(text: string, from: number): number {
  const limit = Math.min(text.length, from + MAX_INTERPOLATION);
  // A stack of what is open: '{' an expression brace, '`' a template literal's text.
  const open: string[] = ['{'];
  for (let i = from; i < limit; i++) {
    const c = text[i];
    const top = open[open.length - 1];
    if (top === '`') {
      if (c === '\\') i++;
      else if (c === '`') open.pop();
      else if (c === '$' && text[i + 1] === '{') {
        open.push('{');
        i++;
      }
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < limit && text[j] !== c && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      if (j >= limit || text[j] !== c) return -Math.min(j, limit);
      i = j;
    } else if (c === '`') open.push('`');
    else if (c === '{') open.push('{');
    else if (c === '}') {
      open.pop();
      if (open.length === 0) return i + 1;
    }
  }
  return -limit;
}

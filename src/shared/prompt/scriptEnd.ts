/**
 * Where a script pasted without a fence ends (protected.ts keeps it as a code block). It opens with
 * its shebang line (`#!/bin/bash`) and runs to the first of:
 * - a Markdown heading of two hashes or more, or a fence;
 * - after a blank line, a line that is plainly prose: a capitalised sentence of four words or more,
 *   nothing but words and light punctuation, ending with ".", ":", "?" or "!" (no shell line reads so);
 * - after a blank line, a `# Heading` whose next non-blank line is such prose (`# a comment` over a
 *   command stays in the script: shell comments are `#` lines too);
 * - the end of the text.
 * A here-document's lines are the script's whatever they read like. One pass over the lines: linear.
 */

/** A capitalised sentence of four words or more, words and light punctuation only, ending with . : ? or !. */
const PROSE_LINE = /^[ \t]*[A-Z][\p{L}'’-]*(?:[,;:.]?[ \t]+[\p{L}\p{N}'’-]+){3,}[.:?!][ \t]*$/u;

/** A `# Heading` line (one hash, then text). */
const HASH_LINE = /^#[ \t]+\S/;

/** The opening of a here-document (`cat <<EOF`, `<<-'END'`): its terminator word. */
const HEREDOC = /<<-?[ \t]*(['"]?)([A-Za-z_][\w]*)\1/;

/** The end (exclusive, before trailing whitespace is trimmed by the caller) of the script whose shebang starts at `start`. */
export function scriptEnd(text: string, start: number): number {
  const heading = /\n(?=#{2,6}[ \t]|`{3,}|~{3,})/g;
  heading.lastIndex = start;
  const next = heading.exec(text);
  const limit = next ? next.index : text.length;
  let terminator: string | undefined;
  let afterBlank = false;
  // The shebang line is the script's; each step looks at the line after the newline at `at`.
  for (let at = text.indexOf('\n', start); at >= 0 && at < limit; ) {
    const lineStart = at + 1;
    const found = text.indexOf('\n', lineStart);
    const lineEnd = found < 0 || found > limit ? limit : found;
    const line = text.slice(lineStart, lineEnd);
    if (terminator !== undefined) {
      if (line.trim() === terminator) terminator = undefined;
    } else if (line.trim() === '') {
      afterBlank = true;
    } else {
      if (afterBlank && (PROSE_LINE.test(line) || (HASH_LINE.test(line) && PROSE_LINE.test(nextLine(text, lineEnd, limit))))) return at;
      afterBlank = false;
      terminator = HEREDOC.exec(line)?.[2];
    }
    at = lineEnd < limit ? lineEnd : -1;
  }
  return limit;
}

/** The next non-blank line after offset `from` (a newline or the limit), or ''. */
function nextLine(text: string, from: number, limit: number): string {
  let at = from;
  while (at < limit) {
    const found = text.indexOf('\n', at + 1);
    const end = found < 0 || found > limit ? limit : found;
    const line = text.slice(at + 1, end);
    if (line.trim() !== '') return line;
    at = end;
  }
  return '';
}

/** Code blocks of a prompt (fenced, or a script opened by its shebang line): protected whole (protected.ts). */
import { scriptEnd } from './scriptEnd';
import { tildeDelimiter } from './scanner/atoms';

export type CodeSpan = { start: number; end: number; kind: 'codeBlock'; text: string };

/**
 * Fenced code blocks (an unclosed fence runs to the end of the text). A fence may sit at any
 * indentation (up to 64, as the rewrite guard's atoms in scanner/atoms.ts): a prompt in an
 * indented template literal carries the code's indentation, so Markdown's three-space limit read
 * `` ```${lang} `` four columns in as prose, and the closing fence of the masked block (at
 * column 0) as an unclosed fence that swallowed the rest of the prompt (Continue's edit templates).
 */
export function codeBlocks(text: string): CodeSpan[] {
  const spans: CodeSpan[] = [];
  // A template may hold its fence in a placeholder, as aider's prompts do (`{fence[0]}python` … `{fence[1]}`, the fence
  // chosen at run time): a line that opens with a placeholder named "fence" is a fence too. So is one named for the opening
  // or closing of a code block: smolagents' agents write their examples' code between `{{code_block_opening_tag}}` and
  // `{{code_block_closing_tag}}` (`<code>`…`</code>` or a Markdown fence, chosen at run time; newuser46: Compress took a
  // space out of PEP 8's two before an inline comment of that code). A bare `{{code_block}}` holds a whole block, no fence.
  const fence = /^[ \t]{0,64}(`{3,}|~{3,}|\{\{?\s*(?:[A-Za-z_]*fence[A-Za-z_]*(?:\[\d\])?|[A-Za-z_]*code_?block_?(?:open|start|begin|clos|end)[A-Za-z_]*)\s*\}\}?)[^\n]*/gim;
  let open: { start: number; marker: string } | undefined;
  let m: RegExpExecArray | null;
  while ((m = fence.exec(text)) !== null) {
    // (`~~~START_OF_RULES~~~`: a delimiter, no fence — atoms.ts `tildeDelimiter`.)
    if (tildeDelimiter(m[0])) continue;
    const marker = (m[1])[0];
    if (!open) open = { start: m.index, marker };
    else if (marker === open.marker) {
      const end = m.index + m[0].length;
      spans.push({ start: open.start, end, kind: 'codeBlock', text: text.slice(open.start, end) });
      open = undefined;
    }
  }
  // (A code-block tag without its closing tag makes no code of the rest: atoms.ts `placeholderFenceAt` reads it so.)
  if (open && !/^[ \t]*\{\{?\s*[A-Za-z_]*code_?block/i.test(text.slice(open.start, open.start + 80))) spans.push({ start: open.start, end: text.length, kind: 'codeBlock', text: text.slice(open.start) });
  // A script pasted without a fence, opened by its shebang line (fabric's analyze_email_headers ends with a whole bash
  // script): code up to where prose or a heading resumes (scriptEnd.ts), or the end.
  const shebang = /^#!\/[^\s]*[^\n]*/gm;
  while ((m = shebang.exec(text)) !== null) {
    const start = m.index;
    if (spans.some((s) => s.start <= start && start < s.end)) continue;
    const body = text.slice(start, scriptEnd(text, start)).replace(/\s+$/, '');
    spans.push({ start, end: start + body.length, kind: 'codeBlock', text: body });
    shebang.lastIndex = start + body.length;
  }
  spans.sort((a, b) => a.start - b.start);
  return spans;
}

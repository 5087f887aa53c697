/**
 * Encoding replacement text so it can be written back into the same kind of literal it was
 * read from (Python, JavaScript/TypeScript, YAML): escapes, quotes and interpolations kept as written.
 */
import type { LiteralQuoting } from '../../../protocol/scan';

/** A literal that cannot hold the replacement text in its current form. */
export class LiteralEncodeError extends Error {
  readonly code = 'notRepresentable';
  constructor(message: string) {
    super(message);
    this.name = 'LiteralEncodeError';
  }
}

/**
 * Whether the UTF-16 unit at `i` of `s` is a surrogate without its other half (a high one not followed by a low one,
 * a low one not after a high one): the text of a `"\ud800"` escape. A file saved as UTF-8 cannot hold it as a
 * character (the editor writes U+FFFD in its place), so a string literal writes it as its `\uXXXX` escape.
 */
function loneSurrogateAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff) return !(s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff);
  if (c >= 0xdc00 && c <= 0xdfff) return !(s.charCodeAt(i - 1) >= 0xd800 && s.charCodeAt(i - 1) <= 0xdbff);
  return false;
}

/** A lone surrogate (`loneSurrogateAt`): read by code points (the `u` flag), a whole pair is one character outside the range. */
const LONE_SURROGATE = /[\ud800-\udfff]/gu;

function unicodeEscape(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

const NO_LONE_SURROGATE = 'The text holds a lone surrogate (a \\ud800-\\udfff escape without its pair), which only an escape in a quoted string can hold';

function controlEscape(c: string): string {
  const code = c.charCodeAt(0);
  return `\\x${code.toString(16).padStart(2, '0')}`;
}

/** Splits text at the literal's known interpolations, so they are copied as written and everything else is escaped. */
function splitInterpolations(text: string, interpolations: readonly string[], open: string): Array<{ text: string; live: boolean }> {
  const known = new Set(interpolations);
  const parts: Array<{ text: string; live: boolean }> = [];
  let plain = '';
  let i = 0;
  while (i < text.length) {
    // Stryker disable next-line ConditionalExpression,EqualityOperator,LogicalOperator: equivalent, every known interpolation starts with `open`, so with none known or none starting here the search below finds nothing either way
    if (text.startsWith(open, i) && known.size > 0) {
      // Stryker disable next-line ArithmeticOperator: equivalent, interpolations are balanced brace expressions, so none is a proper prefix of another and at most one matches here
      const match = [...known].filter((k) => text.startsWith(k, i)).sort((a, b) => b.length - a.length)[0];
      if (match) {
        // Stryker disable next-line ConditionalExpression: equivalent, an empty plain part encodes to the empty string
        if (plain) parts.push({ text: plain, live: false });
        plain = '';
        parts.push({ text: match, live: true });
        i += match.length;
        continue;
      }
    }
    plain += text[i++];
  }
  // Stryker disable next-line ConditionalExpression: equivalent, an empty plain part encodes to the empty string
  if (plain) parts.push({ text: plain, live: false });
  return parts;
}

function encodePythonContent(text: string, quoting: LiteralQuoting): string {
  const q = quoting.quote ?? '"';
  const triple = quoting.triple === true;
  const formatted = quoting.formatted === true;
  const parts = formatted ? splitInterpolations(text, quoting.interpolations ?? [], '{') : [{ text, live: false }];
  let out = '';
  for (const [index, part] of parts.entries()) {
    if (part.live) {
      out += part.text;
      continue;
    }
    const s = part.text;
    // Only the last part ends at the literal's closing quotes; a quote before an interpolation (`"{query}"`) stays as written.
    const atClose = index === parts.length - 1;
    if (quoting.raw) {
      if (!triple && /[\r\n]/.test(s)) throw new LiteralEncodeError('A one-line raw string cannot hold a line break.');
      if (s.includes(q) && (!triple || s.includes(q.repeat(3)) || (atClose && s.endsWith(q)))) throw new LiteralEncodeError(`A raw string quoted with ${q} cannot hold that quote character.`);
      if (/(^|[^\\])(\\\\)*\\$/.test(s)) throw new LiteralEncodeError('A raw string cannot end with an odd number of backslashes.');
      if (s.search(LONE_SURROGATE) >= 0) throw new LiteralEncodeError(`${NO_LONE_SURROGATE}.`);
      out += formatted ? s.replace(/[{}]/g, (m) => m + m) : s;
      continue;
    }
    for (let i = 0; i < s.length; i++) {
      const c = s[i];
      if (c === '\\') out += '\\\\';
      else if (formatted && (c === '{' || c === '}')) out += c + c;
      else if (c === q) {
        // Escape a quote that would end a one-line string, or could form a closing triple
        // quote (a run of quotes, or a quote right before the literal's own closing quotes).
        out += !triple || s[i + 1] === q || (atClose && i === s.length - 1) ? `\\${q}` : q;
      } else if (c === '\n') out += triple ? '\n' : '\\n';
      else if (c === '\r') out += '\\r';
      else if (c === '\t') out += triple ? '\t' : '\\t';
      else if (c < ' ' || c === '\x7f') out += controlEscape(c);
      else if (loneSurrogateAt(s, i)) out += unicodeEscape(c);
      else out += c;
    }
  }
  return out;
}

/** Control characters but tab, LF and CR (a template literal keeps the first two as layout; a CR is escaped apart) as escapes. */
function escapeTemplateControls(text: string): string {
  let out = '';
  for (const c of text) out += (c < ' ' && c !== '\t' && c !== '\n' && c !== '\r') || c === '\x7f' ? controlEscape(c) : c;
  return out;
}

/**
 * The source of a `String.raw` template whose raw text is `text`: the text itself, since `String.raw` reads no escape.
 * So it cannot hold what its source cannot write as it is: a backtick or a `${` not paired with a backslash before it (they
 * would end the literal or open an interpolation), a backslash at the end of a piece (it would pair with the closing
 * backtick or a live interpolation), a carriage return (read as LF), a control character or a lone surrogate (no escape
 * can stand for them).
 */
function encodeRawTemplate(parts: ReadonlyArray<{ text: string; live: boolean }>): string {
  const why = (what: string): LiteralEncodeError => new LiteralEncodeError(`String.raw keeps every backslash as written, so its text cannot hold ${what}`);
  let out = '';
  for (const part of parts) {
    if (part.live) {
      out += part.text;
      continue;
    }
    const t = part.text;
    for (let i = 0; i < t.length; i++) {
      // (The character after a backslash is paired with it: a backtick or `${` there is text.)
      const paired = t[i] === '\\';
      if (paired && ++i >= t.length) throw why('a backslash at its end or before an interpolation');
      const c = t[i];
      if (!paired && c === '`') throw why('a backtick without a backslash before it');
      if (!paired && c === '$' && t[i + 1] === '{') throw why('a "${" without a backslash before it');
      if (c === '\r') throw why('a carriage return');
      if ((c < ' ' && c !== '\t' && c !== '\n') || c === '\x7f') throw why('a control character');
      if (loneSurrogateAt(t, i)) throw why('a lone surrogate');
    }
    out += t;
  }
  return out;
}

function encodeJavaScriptContent(text: string, quoting: LiteralQuoting): string {
  const q = quoting.quote ?? "'";
  if (q === '`' && quoting.raw === true) return encodeRawTemplate(splitInterpolations(text, quoting.interpolations ?? [], '${'));
  if (q === '`') {
    let out = '';
    for (const part of splitInterpolations(text, quoting.interpolations ?? [], '${')) {
      if (part.live) {
        out += part.text;
        continue;
      }
      // Control characters but tab and LF as their escapes, as a quoted string writes them (after the backslashes are
      // doubled): a template literal can hold them as they are, but a NUL written into the source makes git take the file
      // for binary, and an ESC or BEL is invisible in the editor (`\0 1` → "\u00001" was written as a raw NUL, breaker45).
      out += escapeTemplateControls(
        part.text
          .replace(/\\/g, '\\\\')
          .replace(/`/g, '\\`')
          .replace(/\$\{/g, '\\${')
          .replace(/\r/g, '\\r')
          .replace(LONE_SURROGATE, unicodeEscape),
      );
    }
    return out;
  }
  // U+2028/U+2029 end a line in older JavaScript, so a one-line string escapes them too.
  return escapeChars(text, { [q]: `\\${q}`, '\u2028': '\\u2028', '\u2029': '\\u2029' });
}

/**
 * A character YAML does not allow written as it is (outside c-printable: the C1 controls but NEL, U+FFFE, U+FFFF, a
 * lone surrogate), or a line break only YAML 1.1 parsers (PyYAML, which CrewAI, promptflow and SWE-agent load their
 * prompts with) take as one: NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR. A double-quoted scalar escapes them.
 */
const YAML_ESCAPED = /[\u0080-\u009f\u2028\u2029\ud800-\udfff\ufffe\uffff]/;
const YAML_NAMED: Readonly<Record<string, string>> = { '\u0085': '\\N', '\u2028': '\\L', '\u2029': '\\P' };

function encodeYamlDouble(text: string): string {
  let out = '';
  for (const c of escapeChars(text, { '"': '\\"' })) {
    // (A character of two code units is a whole surrogate pair: printable.)
    if (c.length > 1 || !YAML_ESCAPED.test(c)) out += c;
    else out += YAML_NAMED[c] ?? (c.charCodeAt(0) <= 0xff ? controlEscape(c) : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  }
  return out;
}

/**
 * A one-line double- or single-quoted string body: a backslash, newline, carriage return
 * and tab become their escapes, `extra` maps the quote (and any other character) to its
 * escape, and the remaining control characters get controlEscape's.
 */
function escapeChars(text: string, extra: Readonly<Record<string, string>>): string {
  let out = '';
  for (const c of text) {
    // One character is never the name of an Object.prototype member, so a plain lookup is safe.
    const escape: string | undefined = BASIC_ESCAPES.get(c) ?? extra[c];
    if (escape !== undefined) out += escape;
    else if (c < ' ' || c === '\x7f') out += controlEscape(c);
    // (A character of two code units is a whole surrogate pair; one unit in the surrogate range is a lone one.)
    else if (c.length === 1 && c >= '\ud800' && c <= '\udfff') out += unicodeEscape(c);
    else out += c;
  }
  return out;
}

const BASIC_ESCAPES: ReadonlyMap<string, string> = new Map([
  ['\\', '\\\\'],
  ['\n', '\\n'],
  ['\r', '\\r'],
  ['\t', '\\t'],
]);

function yamlPlainSafe(text: string): boolean {
  if (text.length === 0 || text !== text.trim()) return false;
  if (/[\n\r\t]/.test(text) || /: |:$| #/.test(text)) return false;
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(text)) return false;
  if (/^(true|false|null|yes|no|on|off|~|[-+.\d][\d._eE+-]*)$/i.test(text)) return false;
  return true;
}

function encodeBlockLines(text: string, indent: string): string {
  return text
    .split('\n')
    .map((line) => (line.length > 0 ? indent + line : ''))
    .join('\n');
}

/**
 * Re-encodes `newText` as the content of a literal written like `quoting`, to replace the
 * literal's `contentRange`. Known f-string and template-literal interpolations stay live;
 * every other brace or `${` is escaped. Throws `LiteralEncodeError` when the literal's form
 * cannot hold the text (a raw string with its own quote, a plain YAML scalar with `: `…);
 * `encodeLiteral` then gives a whole literal in a form that can.
 */
export function encodeLiteralContent(newText: string, quoting: LiteralQuoting): string {
  switch (quoting.style) {
    case 'string':
      return quoting.language === 'python' ? encodePythonContent(newText, quoting) : encodeJavaScriptContent(newText, quoting);
    case 'template':
      return encodeJavaScriptContent(newText, quoting);
    case 'jsonString':
      return JSON.stringify(newText).slice(1, -1);
    case 'yamlDouble':
      return encodeYamlDouble(newText);
    case 'yamlSingle':
      if (/[\r\n]/.test(newText)) throw new LiteralEncodeError('A single-quoted YAML scalar folds line breaks.');
      return newText.replace(/'/g, "''");
    case 'yamlPlain':
      if (!yamlPlainSafe(newText)) throw new LiteralEncodeError('The text needs quoting in YAML.');
      return newText;
    case 'yamlBlockFolded': {
      // A line break between two lines of a folded block is a space; a blank line is a line break. So paragraphs are
      // written one a line with a blank line between them (k line breaks as k blank lines). A line that starts with a
      // space is "more indented" and kept with its breaks, and a break at either end would change the block's chomping:
      // those stay refused.
      const text = newText;
      const spaced = /^\s/.test(text) || /\n[ \t]/.test(text);
      if (spaced || /\n$/.test(text) || text.includes('\r')) {
        const why = spaced ? 'has a line that starts with a space' : text.includes('\r') ? 'holds a carriage return' : 'ends with a line break';
        throw new LiteralEncodeError(`A folded YAML block (>) joins its lines with spaces: it can only be rewritten as paragraphs whose lines do not start with a space, and this text ${why}. Make it a literal block (|) to rewrite it.`);
      }
      const indent = quoting.indent ?? '  ';
      return text
        .split(/(\n+)/)
        .map((part, i) => (i % 2 === 1 ? '\n'.repeat(part.length + 1) : indent + part))
        .join('');
    }
    case 'yamlBlockLiteral': {
      if (newText.trim().length === 0) throw new LiteralEncodeError('A YAML literal block cannot be left with only white space.');
      if (/^[ \t]/.test(newText) && quoting.indentIndicator === undefined) {
        throw new LiteralEncodeError('The text starts with a space, which a YAML literal block (|) reads as its indentation; add an indentation indicator to its header (|2 for two spaces) to keep it.');
      }
      return encodeBlockLines(newText.replace(/\r\n?/g, '\n').replace(/\n+$/, ''), quoting.indent ?? '  ');
    }
    case 'markdownFence': {
      const fence = quoting.fence ?? '```';
      const marker = fence[0];
      const lines = newText.split('\n');
      if (lines.some((l) => l.trimStart().startsWith(marker.repeat(Math.max(3, fence.length))))) throw new LiteralEncodeError('The text contains the code fence that encloses it.');
      return encodeBlockLines(newText, quoting.indent ?? '');
    }
    case 'markdownText':
    case 'file':
      return newText;
  }
}

/**
 * Encodes `newText` as a whole literal (quotes and prefix included) to replace a prompt's
 * `range`. It keeps the form of `quoting` when it can hold the text and otherwise picks the
 * nearest form that can (a raw string becomes a plain one, a plain YAML scalar a
 * double-quoted one).
 */
export function encodeLiteral(newText: string, quoting: LiteralQuoting): string {
  try {
    const content = encodeLiteralContent(newText, quoting);
    switch (quoting.style) {
      case 'string': {
        if (quoting.language === 'python') {
          const q = (quoting.quote ?? '"').repeat(quoting.triple ? 3 : 1);
          return `${quoting.prefix ?? ''}${q}${content}${q}`;
        }
        return `${quoting.quote}${content}${quoting.quote}`;
      }
      case 'template':
        return `\`${content}\``;
      case 'jsonString':
      case 'yamlDouble':
        return `"${content}"`;
      case 'yamlSingle':
        return `'${content}'`;
      case 'yamlBlockLiteral':
        return `|\n${content}`;
      case 'yamlBlockFolded':
        return `>\n${content}`;
      case 'markdownFence': {
        // The whole block, fence lines included, as the prompt's range covers them.
        const indent = quoting.indent ?? '';
        const fence = quoting.fence ?? '```';
        return `${indent}${fence}${quoting.info ?? ''}\n${content}\n${indent}${fence}`;
      }
      default:
        return content;
    }
  } catch (error) {
    // Stryker disable next-line ConditionalExpression: equivalent, nothing in encodeLiteralContent throws anything but LiteralEncodeError
    if (!(error instanceof LiteralEncodeError)) throw error;
    if (quoting.language === 'python') {
      const prefix = (quoting.prefix ?? '').replace(/[rR]/g, '');
      return encodeLiteral(newText, { ...quoting, prefix, raw: false });
    }
    if (quoting.language === 'yaml') return `"${encodeYamlDouble(newText)}"`;
    if (quoting.style === 'markdownFence') {
      const longest = Math.max(3, ...(newText.match(/`{3,}/g) ?? []).map((m) => m.length + 1));
      return encodeLiteral(newText, { ...quoting, fence: '`'.repeat(longest) });
    }
    throw error;
  }
}

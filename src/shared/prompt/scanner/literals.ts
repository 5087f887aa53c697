/**
 * Decoding string literals into the text a program would send (escapes resolved,
 * interpolations kept as placeholders) with a map back to source offsets, and encoding
 * replacement text so it can be written back into the same kind of literal.
 */
import type { LiteralQuoting, Placeholder } from '../../../protocol/scan';

/** A literal decoded: its text, where its content lies in the source, and how text maps to source. */
export interface DecodedLiteral {
  start: number;
  end: number;
  contentStart: number;
  contentEnd: number;
  quoting: LiteralQuoting;
  text: string;
  runs: Array<[number, number, number]>;
  /** Interpolations found by the parser (offsets into `text`). */
  interpolated: Placeholder[];
  /** Set when the literal is not closed in the source (its closing quote or an interpolation's closing brace is missing): the parser then reads the code after it as its text. */
  unterminated?: true;
}

/**
 * Whether the source text of one literal (prefix and quotes included) ends with its closing
 * quote, not escaped: `"abc"` yes, `"abc` or `"abc\"` no; a Python triple-quoted literal
 * needs its three quotes. Says nothing of interpolations (the parser's error nodes do).
 */
export function literalClosed(literal: string, language: 'python' | 'javascript'): boolean {
  const prefix = language === 'python' ? (/^[rRbBuUfFtT]*/.exec(literal)?.[0] ?? '') : '';
  const q = literal[prefix.length] ?? '';
  if (q !== '"' && q !== "'" && q !== '`') return false;
  const close = language === 'python' && literal.startsWith(q.repeat(3), prefix.length) ? q.repeat(3) : q;
  const open = prefix.length + close.length;
  if (literal.length < open + close.length || !literal.endsWith(close)) return false;
  // An odd run of backslashes before the closing quote escapes it: the literal goes on.
  let backslashes = 0;
  for (let i = literal.length - close.length - 1; i >= open && literal[i] === '\\'; i--) backslashes++;
  return backslashes % 2 === 0;
}

/** Builds decoded text and its run map together. */
class TextBuilder {
  text = '';
  runs: Array<[number, number, number]> = [];

  /** Appends characters copied one to one from the source at `sourceOffset`. */
  verbatim(chunk: string, sourceOffset: number): void {
    if (chunk.length === 0) return;
    const last = this.runs[this.runs.length - 1];
    if (last && last[0] + last[2] === this.text.length && last[1] + last[2] === sourceOffset) last[2] += chunk.length;
    else this.runs.push([this.text.length, sourceOffset, chunk.length]);
    this.text += chunk;
  }

  /** Appends text produced by an escape sequence (no one-to-one map). */
  escaped(chunk: string): void {
    this.text += chunk;
  }
}

/** Python escape sequences (https://docs.python.org/3/reference/lexical_analysis.html#escape-sequences). */
const PY_SIMPLE: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };
const JS_SIMPLE: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/**
 * Reads one escape at `i` (the backslash) and returns the decoded text and the escape's
 * length, or undefined when it cannot be decoded: Python keeps such an escape verbatim; in
 * JavaScript it is a syntax error (`\xZ`, `\u{110000}`, an octal escape in a template), so the
 * literal has no value. `template`: a JavaScript template literal.
 */
function readEscape(src: string, i: number, language: 'python' | 'javascript', template: boolean): { value: string; length: number } | undefined {
  // An unterminated Python literal may end in a backslash (next is undefined): nothing below matches it.
  const next = src[i + 1];
  if (next === '\n') return { value: '', length: 2 };
  if (next === '\r') return { value: '', length: src[i + 2] === '\n' ? 3 : 2 };
  const simple = language === 'python' ? PY_SIMPLE[next] : JS_SIMPLE[next];
  if (simple !== undefined) return { value: simple, length: 2 };
  if (language === 'javascript' && next >= '0' && next <= '9') {
    // \0 not before a digit is NUL everywhere. Otherwise a digit starts a legacy octal escape
    // (ECMAScript B.1.2: up to three digits from 0-3, two from 4-7; \8 and \9 are themselves),
    // which only sloppy-mode strings allow: a template literal cannot hold one.
    if (next === '0' && !/[0-9]/.test(src[i + 2] ?? '')) return { value: '\0', length: 2 };
    if (template) return undefined;
    if (next >= '8') return { value: next, length: 2 };
    const digits = (next <= '3' ? /^[0-7]{1,3}/ : /^[0-7]{1,2}/).exec(src.slice(i + 1, i + 4))?.[0] ?? next;
    return { value: String.fromCharCode(parseInt(digits, 8)), length: 1 + digits.length };
  }
  const hex = (digits: number, at: number): { value: string; length: number } | undefined => {
    const h = src.slice(at, at + digits);
    if (h.length !== digits || !/^[0-9a-fA-F]+$/.test(h)) return undefined;
    const code = parseInt(h, 16);
    if (code > 0x10ffff) return undefined;
    return { value: String.fromCodePoint(code), length: at - i + digits };
  };
  if (next === 'x') return hex(2, i + 2);
  if (next === 'u') {
    if (language === 'javascript' && src[i + 2] === '{') {
      // \u{H…}: any number of hex digits (leading zeros included), up to U+10FFFF.
      const braced = /\{([0-9a-fA-F]+)\}/y;
      braced.lastIndex = i + 2;
      const m = braced.exec(src);
      if (!m) return undefined;
      const code = parseInt(m[1], 16);
      if (code > 0x10ffff) return undefined;
      return { value: String.fromCodePoint(code), length: 2 + m[0].length };
    }
    return hex(4, i + 2);
  }
  if (language === 'python') {
    if (next === 'U') return hex(8, i + 2);
    const oct = /^[0-7]{1,3}/.exec(src.slice(i + 1, i + 4));
    if (oct) return { value: String.fromCharCode(parseInt(oct[0], 8)), length: 1 + oct[0].length };
    // Unknown escapes (and \N{NAME}, whose table we do not ship) stay as written, as Python keeps unknown ones.
    return undefined;
  }
  // JavaScript: an unknown escape is the character itself.
  return { value: next, length: 2 };
}

/**
 * True for a literal whose text is its content as written: one quote character on each side,
 * no prefix, not triple-quoted, and no backslash nor carriage return inside (both decode to other text).
 * Most literals in code are such, and the scanner decodes every one of them (often several
 * times, as keys and roles), so `decodePython`/`decodeJavaScript` answer these without the
 * general loop; the result is the same object the loop builds.
 */
function isPlainLiteral(src: string, start: number, end: number, language: 'python' | 'javascript'): boolean {
  if (end - start < 2) return false;
  const q = src.charCodeAt(start);
  // " and ', and in JavaScript also `.
  if (q !== 34 && q !== 39 && (language === 'python' || q !== 96)) return false;
  if (src.charCodeAt(end - 1) !== q) return false;
  // Python: three quotes open a triple-quoted string ("" alone is the empty string).
  if (language === 'python' && end - start >= 3 && src.charCodeAt(start + 1) === q && src.charCodeAt(start + 2) === q) return false;
  for (let i = start + 1; i < end - 1; i++) {
    const c = src.charCodeAt(i);
    if (c === 92 || c === 13) return false;
  }
  return true;
}

/** The decoded text of a literal (`decodePython`/`decodeJavaScript(…)?.text`), without building the run map for plain literals. */
export function literalText(src: string, start: number, end: number, language: 'python' | 'javascript'): string | undefined {
  if (isPlainLiteral(src, start, end, language)) return src.slice(start + 1, end - 1);
  return (language === 'python' ? decodePython(src, start, end) : decodeJavaScript(src, start, end))?.text;
}

export interface PythonPrefix {
  prefix: string;
  raw: boolean;
  bytes: boolean;
  formatted: boolean;
}

export function pythonPrefix(literal: string): PythonPrefix {
  // Stryker disable next-line OptionalChaining,StringLiteral: equivalent, a starred pattern anchored at ^ always matches, so the fallback is never used
  const prefix = /^[rRbBuUfFtT]*/.exec(literal)?.[0] ?? '';
  const lower = prefix.toLowerCase();
  return { prefix, raw: lower.includes('r'), bytes: lower.includes('b'), formatted: lower.includes('f') || lower.includes('t') };
}

/**
 * Decodes a Python string literal spanning `src[start, end)`. `interpolations` are the
 * absolute ranges of an f-string's replacement fields, kept verbatim as placeholders.
 * Returns undefined for bytes literals, which are not text.
 */
// Stryker disable next-line ArrayDeclaration: equivalent, a default of ["Stryker was here"] yields no [from, to] pair inside the content, so the filter drops it
export function decodePython(src: string, start: number, end: number, interpolations: Array<[number, number]> = []): DecodedLiteral | undefined {
  if (interpolations.length === 0 && isPlainLiteral(src, start, end, 'python')) {
    const text = src.slice(start + 1, end - 1);
    const q = src[start];
    return { start, end, contentStart: start + 1, contentEnd: end - 1, quoting: { language: 'python', style: 'string', quote: q, triple: false, prefix: '', raw: false, formatted: false }, text, runs: text.length > 0 ? [[0, start + 1, text.length]] : [], interpolated: [] };
  }
  const literal = src.slice(start, end);
  const p = pythonPrefix(literal);
  if (p.bytes) return undefined;
  const q = literal[p.prefix.length];
  if (q !== '"' && q !== "'") return undefined;
  // Three quotes open a triple-quoted string, even one left unterminated.
  const triple = literal.startsWith(q.repeat(3), p.prefix.length);
  const qlen = triple ? 3 : 1;
  const contentStart = start + p.prefix.length + qlen;
  let contentEnd = end;
  if (literal.endsWith(q.repeat(qlen)) && end - qlen >= contentStart) contentEnd = end - qlen;
  const b = new TextBuilder();
  const interpolated: Placeholder[] = [];
  const sorted = interpolations.filter(([f, t]) => f >= contentStart && t <= contentEnd).sort((x, y) => x[0] - y[0]);
  let next = 0;
  let i = contentStart;
  let plainStart = i;
  const flush = (upTo: number): void => {
    b.verbatim(src.slice(plainStart, upTo), plainStart);
  };
  while (i < contentEnd) {
    if (next < sorted.length && i === sorted[next][0]) {
      flush(i);
      const [f, t] = sorted[next++];
      const textStart = b.text.length;
      b.verbatim(src.slice(f, t), f);
      interpolated.push({ name: src.slice(f + 1, t - 1).trim(), syntax: 'brace', start: textStart, end: b.text.length, interpolated: true });
      i = t;
      plainStart = i;
      continue;
    }
    const c = src[i];
    if (p.formatted && (c === '{' || c === '}') && src[i + 1] === c) {
      flush(i);
      b.escaped(c);
      i += 2;
      plainStart = i;
      continue;
    }
    if (c === '\\' && !p.raw) {
      const esc = readEscape(src, i, 'python', false);
      if (esc) {
        flush(i);
        b.escaped(esc.value);
        i += esc.length;
        plainStart = i;
        continue;
      }
    }
    if (c === '\r') {
      // Python reads source with universal newlines: CR LF (or a lone CR) in a literal is one LF,
      // raw or not. Keeping the CR would make a rewrite write it back as a `\r` escape.
      flush(i);
      b.escaped('\n');
      i += src[i + 1] === '\n' ? 2 : 1;
      plainStart = i;
      continue;
    }
    // A raw string's backslash, or an unknown escape's, is itself; the next character is read
    // on its own (in rf"\{{x}}" the braces are still an escaped brace).
    i++;
  }
  // Stryker disable next-line MethodExpression: equivalent, i passes contentEnd only when the last character is a backslash, i.e. an unterminated literal running to the end of the source, where both slices are the same
  flush(Math.min(i, contentEnd));
  const quoting: LiteralQuoting = { language: 'python', style: 'string', quote: q, triple, prefix: p.prefix, raw: p.raw, formatted: p.formatted };
  if (p.formatted) quoting.interpolations = interpolated.map((ph) => b.text.slice(ph.start, ph.end));
  return { start, end, contentStart, contentEnd, quoting, text: b.text, runs: b.runs, interpolated };
}

/** Decodes a JavaScript/TypeScript string or template literal spanning `src[start, end)`. */
// Stryker disable next-line ArrayDeclaration: equivalent, as in decodePython
export function decodeJavaScript(src: string, start: number, end: number, interpolations: Array<[number, number]> = []): DecodedLiteral | undefined {
  if (interpolations.length === 0 && isPlainLiteral(src, start, end, 'javascript')) {
    const text = src.slice(start + 1, end - 1);
    const q = src[start];
    const quoting: LiteralQuoting = { language: 'javascript', style: q === '`' ? 'template' : 'string', quote: q };
    if (q === '`') quoting.interpolations = [];
    return { start, end, contentStart: start + 1, contentEnd: end - 1, quoting, text, runs: text.length > 0 ? [[0, start + 1, text.length]] : [], interpolated: [] };
  }
  const q = src[start];
  if (q !== '"' && q !== "'" && q !== '`') return undefined;
  const contentStart = start + 1;
  const contentEnd = end - 1 >= contentStart && src[end - 1] === q ? end - 1 : end;
  const b = new TextBuilder();
  const interpolated: Placeholder[] = [];
  const sorted = interpolations.filter(([f, t]) => f >= contentStart && t <= contentEnd).sort((x, y) => x[0] - y[0]);
  let next = 0;
  let i = contentStart;
  let plainStart = i;
  const flush = (upTo: number): void => b.verbatim(src.slice(plainStart, upTo), plainStart);
  while (i < contentEnd) {
    if (next < sorted.length && i === sorted[next][0]) {
      flush(i);
      const [f, t] = sorted[next++];
      const textStart = b.text.length;
      b.verbatim(src.slice(f, t), f);
      interpolated.push({ name: src.slice(f + 2, t - 1).trim(), syntax: 'dollarBrace', start: textStart, end: b.text.length, interpolated: true });
      i = t;
      plainStart = i;
      continue;
    }
    if (src[i] === '\\') {
      // A backslash at the very end of an unterminated literal adds nothing.
      if (i + 1 >= contentEnd) break;
      const esc = readEscape(src, i, 'javascript', q === '`');
      if (!esc) return undefined;
      flush(i);
      b.escaped(esc.value);
      i += esc.length;
      plainStart = i;
      continue;
    }
    if (q === '`' && src[i] === '\r') {
      // Template literals normalise CR and CRLF to LF.
      flush(i);
      b.escaped('\n');
      i += src[i + 1] === '\n' ? 2 : 1;
      plainStart = i;
      continue;
    }
    i++;
  }
  // Stryker disable next-line MethodExpression: equivalent, as in decodePython (i passes contentEnd only after a trailing backslash at the end of the source)
  flush(Math.min(i, contentEnd));
  const quoting: LiteralQuoting = { language: 'javascript', style: q === '`' ? 'template' : 'string', quote: q };
  if (q === '`') quoting.interpolations = interpolated.map((ph) => b.text.slice(ph.start, ph.end));
  return { start, end, contentStart, contentEnd, quoting, text: b.text, runs: b.runs, interpolated };
}

/** A literal that cannot hold the replacement text in its current form. */
export class LiteralEncodeError extends Error {
  readonly code = 'notRepresentable';
  constructor(message: string) {
    super(message);
    this.name = 'LiteralEncodeError';
  }
}

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
  for (const part of parts) {
    if (part.live) {
      out += part.text;
      continue;
    }
    const s = part.text;
    if (quoting.raw) {
      if (!triple && /[\r\n]/.test(s)) throw new LiteralEncodeError('A one-line raw string cannot hold a line break.');
      if (s.includes(q) && (!triple || s.includes(q.repeat(3)) || s.endsWith(q))) throw new LiteralEncodeError(`A raw string quoted with ${q} cannot hold that quote character.`);
      if (/(^|[^\\])(\\\\)*\\$/.test(s)) throw new LiteralEncodeError('A raw string cannot end with an odd number of backslashes.');
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
        out += !triple || s[i + 1] === q || i === s.length - 1 ? `\\${q}` : q;
      } else if (c === '\n') out += triple ? '\n' : '\\n';
      else if (c === '\r') out += '\\r';
      else if (c === '\t') out += triple ? '\t' : '\\t';
      else if (c < ' ' || c === '\x7f') out += controlEscape(c);
      else out += c;
    }
  }
  return out;
}

function encodeJavaScriptContent(text: string, quoting: LiteralQuoting): string {
  const q = quoting.quote ?? "'";
  if (q === '`') {
    let out = '';
    for (const part of splitInterpolations(text, quoting.interpolations ?? [], '${')) {
      if (part.live) {
        out += part.text;
        continue;
      }
      out += part.text.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${').replace(/\r/g, '\\r');
    }
    return out;
  }
  // U+2028/U+2029 end a line in older JavaScript, so a one-line string escapes them too.
  return escapeChars(text, { [q]: `\\${q}`, '\u2028': '\\u2028', '\u2029': '\\u2029' });
}

function encodeYamlDouble(text: string): string {
  return escapeChars(text, { '"': '\\"' });
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
    case 'yamlBlockFolded':
      if (/[\r\n]/.test(newText) || /^\s/.test(newText)) throw new LiteralEncodeError('A folded YAML block joins lines.');
      return (quoting.indent ?? '  ') + newText;
    case 'yamlBlockLiteral': {
      if (/^[ \t]/.test(newText) || newText.trim().length === 0) throw new LiteralEncodeError('The first line of a YAML literal block cannot start with a space.');
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

const BRACE_FIELD = /^([A-Za-z_][\w.]*(?:\[[^\]{}]*\])?)?(![rsa])?(:[^{}\n]*)?$/;
const PERCENT_FIELD = /^%\(([A-Za-z_]\w*)\)[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGcoa]/;

/**
 * Finds placeholders that are resolved later (format fields, Mustache/Jinja, printf keys)
 * in decoded text. A hand-written scan with bounded look-ahead: linear on any input, and
 * no regular expression ever runs over the whole (possibly huge) text.
 */
// Stryker disable next-line ArrayDeclaration: equivalent, a skip entry without start and end compares false with every offset
/**
 * The expression of an f-string replacement field, without its `=` (self-documenting), `!r`
 * conversion and `:format spec`: `{item['name']!r}` and `{width:>{3}}` name `item['name']` and
 * `width`. The marks are found outside brackets and quotes, so `{d['a:b']}` and `{a != b}` stay whole.
 */
export function fieldExpression(inner: string): string {
  let depth = 0;
  let quote = '';
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (depth === 0 && (c === ':' || (c === '!' && inner[i + 1] !== '='))) return inner.slice(0, i).trim().replace(/\s*=$/, '') || inner.trim();
  }
  return inner.trim().replace(/(?<![=!<>])=$/, '').trim() || inner.trim();
}

export function findTextPlaceholders(text: string, skip: ReadonlyArray<Placeholder> = []): Placeholder[] {
  const found: Placeholder[] = [];
  const skipped = [...skip].sort((a, b) => a.start - b.start);
  let k = 0;
  const push = (name: string, syntax: Placeholder['syntax'], start: number, end: number): void => {
    found.push({ name: name.trim(), syntax, start, end, interpolated: false });
  };
  let i = 0;
  while (i < text.length) {
    while (k < skipped.length && skipped[k].end <= i) k++;
    if (k < skipped.length && skipped[k].start <= i) {
      i = skipped[k].end;
      continue;
    }
    const c = text[i];
    if (c === '{') {
      const next = text[i + 1];
      if (next === '%') {
        const close = text.indexOf('%}', i + 2);
        if (close > 0 && close - i <= 400) {
          push(text.slice(i + 2, close).replace(/^-|-$/g, ''), 'jinjaBlock', i, close + 2);
          i = close + 2;
          continue;
        }
      } else if (next === '{') {
        const close = text.indexOf('}}', i + 2);
        const inner = text.slice(i + 2, close);
        if (close > 0 && close - i <= 200 && inner.length > 0 && !/[{}]/.test(inner)) {
          push(inner.replace(/^-|-$/g, ''), 'mustache', i, close + 2);
          i = close + 2;
          continue;
        }
      } else {
        const close = text.indexOf('}', i + 1);
        if (close > 0 && close - i <= 120) {
          const inner = text.slice(i + 1, close);
          const m = inner.includes('{') ? null : BRACE_FIELD.exec(inner);
          if (m) {
            push(m[1] ?? '', 'brace', i, close + 1);
            i = close + 1;
            continue;
          }
        }
      }
    } else if (c === '$' && text[i + 1] === '{') {
      const close = text.indexOf('}', i + 2);
      const inner = text.slice(i + 2, close);
      if (close > 0 && close - i <= 200 && inner.length > 0 && !inner.includes('{')) {
        push(inner, 'dollarBrace', i, close + 1);
        i = close + 1;
        continue;
      }
    } else if (c === '%' && text[i + 1] === '(') {
      const m = PERCENT_FIELD.exec(text.slice(i, i + 100));
      if (m) {
        push(m[1], 'percent', i, i + m[0].length);
        i += m[0].length;
        continue;
      }
    }
    i++;
  }
  return found;
}

/**
 * Atoms: the parts of a prompt's decoded text that a rewrite must keep exactly, in order —
 * interpolations (`${…}` with nested template literals, f-string replacement fields with
 * conversions, format specs and nested quotes or f-strings), `.format`/`%` placeholders,
 * Jinja/Handlebars/Mustache tags (`{{ }}`, `{% %}`, `{# #}`) and code spans (inline and
 * fenced). Rewriters see each atom as an opaque sentinel (`maskAtoms`) and the atoms come
 * back verbatim (`unmaskAtoms`), so no rewrite rule can touch what is inside them.
 */
export type AtomKind = 'interpolation' | 'field' | 'mustache' | 'jinjaBlock' | 'jinjaComment' | 'percent' | 'inlineCode' | 'codeFence';

export interface Atom {
  kind: AtomKind;
  /** Offsets into the decoded text, end exclusive. */
  start: number;
  end: number;
  text: string;
}

/** Longest atom the generic scanners look for (known interpolations may be longer). */
const MAX_ATOM = 4000;

/** `text.indexOf(needle, from)`, looking no further than `limit` (so repeated calls stay linear); -1 when not found before it. */
function indexWithin(text: string, needle: string, from: number, limit: number): number {
  const at = text.slice(from, limit).indexOf(needle);
  return at < 0 ? -1 : from + at;
}

/**
 * End (exclusive) of a JavaScript expression that starts at `i` inside `${`, at its closing
 * `}`; strings, nested template literals (with their own `${}`), comments and braces are
 * skipped. -1 when it does not close within `limit`.
 */
function scanJsExpression(text: string, i: number, limit: number): number {
  let depth = 1;
  while (i < limit) {
    const c = text[i];
    if (c === "'" || c === '"') {
      i++;
      while (i < limit && text[i] !== c) {
        if (text[i] === '\n') return -1;
        i += text[i] === '\\' ? 2 : 1;
      }
      if (i >= limit) return -1;
      i++;
      continue;
    }
    if (c === '`') {
      i++;
      while (i < limit && text[i] !== '`') {
        if (text[i] === '\\') i += 2;
        else if (text[i] === '$' && text[i + 1] === '{') {
          const end = scanJsExpression(text, i + 2, limit);
          if (end < 0) return -1;
          i = end;
        } else i++;
      }
      if (i >= limit) return -1;
      i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      const nl = indexWithin(text, '\n', i, limit);
      if (nl < 0) return -1;
      i = nl + 1;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const close = indexWithin(text, '*/', i + 2, limit);
      if (close < 0) return -1;
      i = close + 2;
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) return i + 1;
    }
    i++;
  }
  return -1;
}

/**
 * End (exclusive) of a replacement field `{expr!conv:spec}` (f-string or `str.format`)
 * that opens at `i`: quotes in the expression are strings (so `{d['}']}` and Python 3.12's
 * `{f"{a}"}` work), the format spec may hold nested fields (`{x:>{width}}`). -1 when it does
 * not close on the same line (`multiline` lifts that) within `limit`.
 */
function scanField(text: string, i: number, limit: number, multiline: boolean): number {
  let j = i + 1;
  let nesting = 0; // () [] {} inside the expression
  while (j < limit) {
    const c = text[j];
    if (c === '\n' && !multiline) return -1;
    if (c === "'" || c === '"') {
      const triple = text.startsWith(c.repeat(3), j);
      const close = c.repeat(triple ? 3 : 1);
      j += close.length;
      while (j < limit && !text.startsWith(close, j)) {
        if (text[j] === '\n' && !triple) return -1;
        j += text[j] === '\\' ? 2 : 1;
      }
      if (j >= limit) return -1;
      j += close.length;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') nesting++;
    else if (c === ')' || c === ']' || (c === '}' && nesting > 0)) nesting--;
    else if (c === '}') return j + 1;
    else if (nesting === 0 && (c === ':' || c === '!') && text[j + 1] !== '=') {
      // Conversion and format spec: only nested fields and the closing brace matter now.
      if (c === '!' && /[rsa]/.test(text[j + 1] ?? '')) {
        j += 2;
        if (text[j] === '}') return j + 1;
        if (text[j] !== ':') return -1;
      }
      j++;
      while (j < limit) {
        const s = text[j];
        if (s === '\n' && !multiline) return -1;
        if (s === '{') {
          const end = scanField(text, j, limit, multiline);
          if (end < 0) return -1;
          j = end;
        } else if (s === '}') return j + 1;
        else j++;
      }
      return -1;
    }
    j++;
  }
  return -1;
}

const PRINTF = /^%(?:\([A-Za-z_][\w.-]{0,63}\))?[-#0+]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[sdifrxXeEgGcoa]/;

/**
 * A fence line (``` or ~~~) starting at `i`, which must begin a line. Any indent (spaces or
 * tabs, up to 64): prompts in indented triple-quoted strings carry the code's indentation,
 * so their fences sit four or more columns in (Markdown's three-space limit would miss them).
 */
function fenceAt(text: string, i: number): { marker: string; lineEnd: number } | undefined {
  let j = i;
  while (j < i + 64 && (text[j] === ' ' || text[j] === '\t')) j++;
  const m = /^(`{3,}|~{3,})/.exec(text.slice(j, j + 64));
  if (!m) return undefined;
  const nl = text.indexOf('\n', j);
  return { marker: m[1], lineEnd: nl < 0 ? text.length : nl };
}

/**
 * Finds the atoms of decoded prompt text, left to right without overlaps. `known` are the
 * literal's own interpolations as they appear in the text (from `LiteralQuoting`); they are
 * matched first and exactly, whatever their length. Linear: every scan is bounded, and the
 * total scanning work is capped at a multiple of the text's length.
 */
// Stryker disable next-line ArrayDeclaration: equivalent, a default known text that starts with neither $ nor { is never looked for
export function findAtoms(text: string, known: readonly string[] = []): Atom[] {
  const atoms: Atom[] = [];
  const knownSorted = [...new Set(known)].filter((k) => k.length > 0).sort((a, b) => b.length - a.length);
  let budget = 8 * text.length + 100_000;
  const push = (kind: AtomKind, start: number, end: number): void => {
    atoms.push({ kind, start, end, text: text.slice(start, end) });
  };
  let i = 0;
  let lineStart = true;
  while (i < text.length) {
    const c = text[i];
    const atLineStart = lineStart;
    lineStart = c === '\n';
    if (c !== '$' && c !== '{' && c !== '%' && c !== '`' && c !== '~' && c !== ' ' && c !== '\t') {
      i++;
      continue;
    }
    // Stryker disable next-line ConditionalExpression,EqualityOperator,LogicalOperator: equivalent, known interpolations start with $ or {, so with none known or another character the find below returns nothing
    if (knownSorted.length > 0 && (c === '$' || c === '{')) {
      const k = knownSorted.find((s) => text.startsWith(s, i));
      if (k) {
        push('interpolation', i, i + k.length);
        i += k.length;
        continue;
      }
    }
    if (budget <= 0) {
      i++;
      continue;
    }
    const limit = Math.min(text.length, i + MAX_ATOM);
    let end = -1;
    // Stryker disable next-line StringLiteral: equivalent, every branch that finds an atom sets its kind
    let kind: AtomKind = 'field';
    if (atLineStart && (c === '`' || c === '~' || c === ' ' || c === '\t')) {
      const fence = fenceAt(text, i);
      if (fence) {
        // The block runs to a closing fence of the same marker (or to the end of the text).
        let j = fence.lineEnd;
        end = text.length;
        while (j < text.length) {
          const lineFrom = j + 1;
          // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent, fenceAt at the end of the text finds no fence either
          const close = lineFrom < text.length ? fenceAt(text, lineFrom) : undefined;
          if (close && close.marker[0] === fence.marker[0] && close.marker.length >= fence.marker.length && text.slice(lineFrom, close.lineEnd).trim() === close.marker) {
            end = close.lineEnd;
            break;
          }
          const nl = text.indexOf('\n', lineFrom);
          if (nl < 0) break;
          j = nl;
        }
        budget -= end - i;
        push('codeFence', i, end);
        i = end;
        continue;
      }
    }
    if (c === ' ' || c === '~' || c === '\t') {
      i++;
      continue;
    }
    if (c === '$' && text[i + 1] === '{') {
      end = scanJsExpression(text, i + 2, limit);
      kind = 'interpolation';
    } else if (c === '{') {
      const next = text[i + 1];
      if (next === '%' || next === '#') {
        const close = indexWithin(text, next + '}', i + 2, limit);
        if (close > 0) end = close + 2;
        kind = next === '%' ? 'jinjaBlock' : 'jinjaComment';
      } else if (next === '{') {
        const triple = text[i + 2] === '{';
        const closing = triple ? '}}}' : '}}';
        const close = indexWithin(text, closing, i + closing.length, limit);
        if (close > 0 && !text.slice(i + closing.length, close).includes('\n')) end = close + closing.length;
        kind = 'mustache';
        // `{{` that is not a tag: a field inside a literal brace (`{{x}` as decoded text is `{` + `{x}`).
        if (end < 0) {
          const inner = scanField(text, i + 1, limit, false);
          if (inner > 0) {
            push('field', i + 1, inner);
            i = inner;
            continue;
          }
        }
      } else {
        end = scanField(text, i, limit, false);
        kind = 'field';
      }
    } else if (c === '%') {
      const m = PRINTF.exec(text.slice(i, i + 80));
      const before = i > 0 ? text[i - 1] : ' ';
      if (m && (m[0][1] === '(' || !/[\p{L}\p{N}%]/u.test(before))) end = i + m[0].length;
      kind = 'percent';
    } else if (c === '`') {
      const nl = indexWithin(text, '\n', i + 1, limit);
      const close = indexWithin(text, '`', i + 1, limit);
      if (close > i + 1 && (nl < 0 || close < nl)) end = close + 1;
      kind = 'inlineCode';
    }
    budget -= end > 0 ? end - i : Math.min(limit - i, MAX_ATOM);
    if (end > i) {
      push(kind, i, end);
      i = end;
      continue;
    }
    i++;
  }
  return atoms;
}

/** Decoded text with its atoms replaced by sentinels, and what it takes to put them back. */
export interface MaskedText {
  text: string;
  atoms: Atom[];
  /** The sentinel that stands for each atom, in order. */
  sentinels: string[];
  /** The sentinels' common stem: sentinel k holds `${stem}${k}Q`. */
  stem: string;
  /** Where each sentinel starts in the masked text. */
  maskedStarts: number[];
}

function sentinelFor(atom: Atom, id: string): string {
  switch (atom.kind) {
    case 'mustache':
      return `{{${id}}}`;
    case 'jinjaBlock':
      return `{%${id}%}`;
    case 'jinjaComment':
      return `{#${id}#}`;
    case 'percent':
      return `%(${id})s`;
    case 'inlineCode':
      return `\`${id}\``;
    case 'codeFence': {
      const firstLine = atom.text.split('\n', 1)[0];
      // Stryker disable next-line OptionalChaining,StringLiteral: equivalent, a codeFence atom's first line always holds its fence, so the fallback is never used
      const marker = /(`{3,}|~{3,})/.exec(firstLine)?.[1] ?? '```';
      return `${firstLine}\n${id}\n${marker}`;
    }
    default:
      return `{${id}}`;
  }
}

/**
 * Replaces every atom with a sentinel rewriters treat as a protected placeholder of the
 * same shape (`{ATOM0}`, `{{ATOM1}}`, `` `ATOM2` ``, a fence around `ATOM3`…), numbered so
 * that no two are alike and none occurs in the text already.
 */
export function maskAtoms(text: string, atoms: readonly Atom[]): MaskedText {
  let stem = 'PPYATOM';
  for (let n = 0; text.includes(stem); n++) stem = `PPY${n}ATOM`;
  const sentinels = atoms.map((atom, k) => sentinelFor(atom, `${stem}${k}Q`));
  const parts: string[] = [];
  const maskedStarts: number[] = [];
  let length = 0;
  let cursor = 0;
  atoms.forEach((atom, k) => {
    const plain = text.slice(cursor, atom.start);
    parts.push(plain, sentinels[k]);
    maskedStarts.push(length + plain.length);
    length += plain.length + sentinels[k].length;
    cursor = atom.end;
  });
  parts.push(text.slice(cursor));
  return { text: parts.join(''), atoms: [...atoms], sentinels, stem, maskedStarts };
}

/** Why a rewritten text cannot take its atoms back. */
export class AtomMismatchError extends Error {
  readonly code = 'atomMismatch';
  constructor(message: string) {
    super(message);
    this.name = 'AtomMismatchError';
  }
}

/** A short quote of an atom for messages. */
export function quoteAtom(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 60 ? `${flat.slice(0, 57)}…` : flat;
}

/** Every sentinel id in `text`, in order, with where its whole sentinel would start. */
function sentinelIds(text: string, mask: MaskedText): Array<{ id: number; at: number; intact: boolean }> {
  const found: Array<{ id: number; at: number; intact: boolean }> = [];
  const re = new RegExp(`${mask.stem}(\\d+)Q`, 'g');
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const id = Number(m[1]);
    const sentinel = mask.sentinels[id];
    const lead = sentinel === undefined ? 0 : sentinel.indexOf(`${mask.stem}${id}Q`);
    const at = m.index - lead;
    found.push({ id, at, intact: sentinel !== undefined && at >= 0 && text.startsWith(sentinel, at) });
  }
  return found;
}

/**
 * Puts the atoms back into rewritten masked text. Every sentinel must occur exactly once,
 * whole, and in the original order; otherwise the rewrite lost, repeated, cut or reordered
 * an atom and `AtomMismatchError` says which. Linear in the text's length.
 */
export function unmaskAtoms(rewritten: string, mask: MaskedText): string {
  const found = sentinelIds(rewritten, mask);
  // Stryker disable next-line OptionalChaining: equivalent, k is always the index of an atom
  const what = (k: number): string => `"${quoteAtom(mask.atoms[k]?.text ?? '')}"`;
  const seen = new Array<number>(mask.atoms.length).fill(0);
  for (const f of found) if (f.id < seen.length) seen[f.id]++;
  const missing = seen.findIndex((n) => n === 0);
  if (missing >= 0) throw new AtomMismatchError(`it would remove ${what(missing)}`);
  const repeated = seen.findIndex((n) => n > 1);
  if (repeated >= 0) throw new AtomMismatchError(`it would repeat ${what(repeated)}`);
  if (found.length !== mask.atoms.length) throw new AtomMismatchError('it would add a placeholder of its own');
  const cut = found.find((f) => !f.intact);
  if (cut) throw new AtomMismatchError(`it would change the delimiters of ${what(cut.id)}`);
  const moved = found.findIndex((f, k) => f.id !== k);
  if (moved >= 0) throw new AtomMismatchError(`it would move ${what(found[moved].id)} out of its place among the placeholders`);
  let out = '';
  let cursor = 0;
  for (const f of found) {
    out += rewritten.slice(cursor, f.at) + mask.atoms[f.id].text;
    cursor = f.at + mask.sentinels[f.id].length;
  }
  return out + rewritten.slice(cursor);
}

/** Maps an offset in masked text to the original text (an offset inside a sentinel maps to its atom's start or end). */
export function unmaskOffset(offset: number, mask: MaskedText): number {
  // Binary search for the last atom whose sentinel starts at or before `offset`.
  let lo = 0;
  let hi = mask.atoms.length - 1;
  let k = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (mask.maskedStarts[mid] <= offset) {
      k = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (k < 0) return offset;
  const maskedEnd = mask.maskedStarts[k] + mask.sentinels[k].length;
  if (offset === mask.maskedStarts[k]) return mask.atoms[k].start;
  if (offset < maskedEnd) return mask.atoms[k].end;
  return offset - (maskedEnd - mask.atoms[k].end);
}

/** Puts atoms back into a piece of masked text (a removed sentence); pieces of sentinels stay as they are. */
export function unmaskFragment(fragment: string, mask: MaskedText): string {
  if (!fragment.includes(mask.stem)) return fragment;
  let out = '';
  let cursor = 0;
  for (const f of sentinelIds(fragment, mask)) {
    if (!f.intact || f.at < cursor) continue;
    out += fragment.slice(cursor, f.at) + mask.atoms[f.id].text;
    cursor = f.at + mask.sentinels[f.id].length;
  }
  return out + fragment.slice(cursor);
}

/**
 * Decoding string literals into the text a program would send (escapes resolved,
 * interpolations kept as placeholders) with a map back to source offsets. Encoding is in
 * literalEncode.ts; the atoms of decoded text and their masking are in atoms.ts.
 */
import type { SyntaxNode } from '@lezer/common';
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

/**
 * Whether a template-literal node is the template of `String.raw`: its value is its text as written (no escape is read,
 * `\\frac` stays a backslash and `frac`), so it is decoded with `raw` and written back with every backslash as it is.
 */
export function isStringRawTemplate(src: string, node: SyntaxNode): boolean {
  const parent = node.parent;
  if (node.name !== 'TemplateString' || parent?.name !== 'TaggedTemplateExpression' || parent.lastChild?.from !== node.from) return false;
  const tag = parent.firstChild;
  return tag !== null && tag.to <= node.from && src.slice(tag.from, tag.to).replace(/\s+/g, '') === 'String.raw';
}

/**
 * Decodes a JavaScript/TypeScript string or template literal spanning `src[start, end)`. `raw`: the template of
 * `String.raw`, whose value is its raw text: every escape kept as written, only CR LF and CR read as LF (ECMAScript's TRV).
 */
// Stryker disable next-line ArrayDeclaration: equivalent, as in decodePython
export function decodeJavaScript(src: string, start: number, end: number, interpolations: Array<[number, number]> = [], raw = false): DecodedLiteral | undefined {
  if (interpolations.length === 0 && isPlainLiteral(src, start, end, 'javascript')) {
    const text = src.slice(start + 1, end - 1);
    const q = src[start];
    const quoting: LiteralQuoting = { language: 'javascript', style: q === '`' ? 'template' : 'string', quote: q };
    if (q === '`') quoting.interpolations = [];
    if (q === '`' && raw) quoting.raw = true;
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
    if (src[i] === '\\' && raw && q === '`') {
      // `String.raw`: the backslash and the character after it are text as written (the pair only keeps a backtick or a
      // `${` from ending the literal or opening an interpolation); a line break after it is still read as LF.
      i += src[i + 1] === '\r' || i + 1 >= contentEnd ? 1 : 2;
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
  if (q === '`' && raw) quoting.raw = true;
  return { start, end, contentStart, contentEnd, quoting, text: b.text, runs: b.runs, interpolated };
}

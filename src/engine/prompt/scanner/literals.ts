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
const JS_SIMPLE: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '0': '\0' };

/** Reads one escape at `i` (the backslash) and returns the decoded text and the escape's length, or undefined to keep it verbatim. */
function readEscape(src: string, i: number, language: 'python' | 'javascript'): { value: string; length: number } | undefined {
  const next = src[i + 1];
  if (next === undefined) return undefined;
  if (next === '\n') return { value: '', length: 2 };
  if (next === '\r') return { value: '', length: src[i + 2] === '\n' ? 3 : 2 };
  const simple = language === 'python' ? PY_SIMPLE[next] : JS_SIMPLE[next];
  if (simple !== undefined && !(language === 'javascript' && next === '0' && /[0-9]/.test(src[i + 2] ?? ''))) return { value: simple, length: 2 };
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
      const close = src.indexOf('}', i + 3);
      if (close < 0 || close - i > 10) return undefined;
      const code = parseInt(src.slice(i + 3, close), 16);
      if (!Number.isFinite(code) || code > 0x10ffff) return undefined;
      return { value: String.fromCodePoint(code), length: close - i + 1 };
    }
    return hex(4, i + 2);
  }
  if (language === 'python') {
    if (next === 'U') return hex(8, i + 2);
    const oct = /^[0-7]{1,3}/.exec(src.slice(i + 1, i + 4));
    if (oct) return { value: String.fromCharCode(parseInt(oct[0], 8) & 0xff), length: 1 + oct[0].length };
    // Unknown escapes (and \N{NAME}, whose table we do not ship) stay as written, as Python keeps unknown ones.
    return undefined;
  }
  // JavaScript: an unknown escape is the character itself.
  return { value: next, length: 2 };
}

export interface PythonPrefix {
  prefix: string;
  raw: boolean;
  bytes: boolean;
  formatted: boolean;
}

export function pythonPrefix(literal: string): PythonPrefix {
  const prefix = /^[rRbBuUfFtT]*/.exec(literal)?.[0] ?? '';
  const lower = prefix.toLowerCase();
  return { prefix, raw: lower.includes('r'), bytes: lower.includes('b'), formatted: lower.includes('f') || lower.includes('t') };
}

/**
 * Decodes a Python string literal spanning `src[start, end)`. `interpolations` are the
 * absolute ranges of an f-string's replacement fields, kept verbatim as placeholders.
 * Returns undefined for bytes literals, which are not text.
 */
export function decodePython(src: string, start: number, end: number, interpolations: Array<[number, number]> = []): DecodedLiteral | undefined {
  const literal = src.slice(start, end);
  const p = pythonPrefix(literal);
  if (p.bytes) return undefined;
  const q = literal[p.prefix.length];
  if (q !== '"' && q !== "'") return undefined;
  const triple = literal.startsWith(q.repeat(3), p.prefix.length) && literal.length >= p.prefix.length + 6;
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
      const esc = readEscape(src, i, 'python');
      if (esc) {
        flush(i);
        b.escaped(esc.value);
        i += esc.length;
        plainStart = i;
        continue;
      }
      i += 2;
      continue;
    }
    if (c === '\\' && p.raw) {
      // In a raw string a backslash still protects the next character from ending the literal.
      i += 2;
      continue;
    }
    i++;
  }
  flush(Math.min(i, contentEnd));
  const quoting: LiteralQuoting = { language: 'python', style: 'string', quote: q, triple, prefix: p.prefix, raw: p.raw, formatted: p.formatted };
  if (p.formatted) quoting.interpolations = interpolated.map((ph) => b.text.slice(ph.start, ph.end));
  return { start, end, contentStart, contentEnd, quoting, text: b.text, runs: b.runs, interpolated };
}

/** Decodes a JavaScript/TypeScript string or template literal spanning `src[start, end)`. */
export function decodeJavaScript(src: string, start: number, end: number, interpolations: Array<[number, number]> = []): DecodedLiteral | undefined {
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
      const esc = readEscape(src, i, 'javascript');
      flush(i);
      if (esc) {
        b.escaped(esc.value);
        i += esc.length;
      } else {
        i += 1;
      }
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
    if (text.startsWith(open, i) && known.size > 0) {
      const match = [...known].filter((k) => text.startsWith(k, i)).sort((a, b) => b.length - a.length)[0];
      if (match) {
        if (plain) parts.push({ text: plain, live: false });
        plain = '';
        parts.push({ text: match, live: true });
        i += match.length;
        continue;
      }
    }
    plain += text[i++];
  }
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
  let out = '';
  for (const c of text) {
    if (c === '\\') out += '\\\\';
    else if (c === q) out += `\\${q}`;
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (c === '\u2028') out += '\\u2028';
    else if (c === '\u2029') out += '\\u2029';
    else if (c < ' ' || c === '\x7f') out += controlEscape(c);
    else out += c;
  }
  return out;
}

function encodeYamlDouble(text: string): string {
  let out = '';
  for (const c of text) {
    if (c === '\\') out += '\\\\';
    else if (c === '"') out += '\\"';
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (c < ' ' || c === '\x7f') out += controlEscape(c);
    else out += c;
  }
  return out;
}

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
      case 'markdownFence':
        return content;
      default:
        return content;
    }
  } catch (error) {
    if (!(error instanceof LiteralEncodeError)) throw error;
    if (quoting.language === 'python') {
      const prefix = (quoting.prefix ?? '').replace(/[rR]/g, '');
      return encodeLiteral(newText, { ...quoting, prefix, raw: false });
    }
    if (quoting.language === 'yaml') return `"${encodeYamlDouble(newText)}"`;
    if (quoting.style === 'markdownFence') {
      const longest = Math.max(3, ...(newText.match(/`{3,}/g) ?? []).map((m) => m.length + 1));
      return encodeLiteralContent(newText, { ...quoting, fence: '`'.repeat(longest) });
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
        const inner = close > 0 ? text.slice(i + 2, close) : '';
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
      const inner = close > 0 ? text.slice(i + 2, close) : '';
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

/**
 * Decoding and re-encoding of string literals, byte for byte, against the language
 * specifications (expected values written by hand from the cited sections, not taken from
 * the implementation):
 *
 * - Python: The Python Language Reference, 2.4.1 "String and Bytes literals" and 2.4.1.1
 *   "Escape sequences" (https://docs.python.org/3/reference/lexical_analysis.html#escape-sequences);
 *   2.4.3 "f-strings" (`{{` and `}}` stand for literal braces).
 * - JavaScript: ECMAScript 2024, 12.9.4 "String Literals" (SingleEscapeCharacter, \0 not
 *   followed by a digit, HexEscapeSequence, UnicodeEscapeSequence, LineContinuation) and
 *   12.9.6 / 13.2.8 "Template Literals" (TV of <CR><LF> and <CR> is <LF>; `\${` and `` \` ``).
 * - JSON: RFC 8259 section 7; YAML 1.2.2, 7.3.1 (double-quoted escapes), 7.3.2 (single
 *   quotes doubled), 7.3.3 (plain scalars), 8.1 (block scalars).
 */
import * as assert from 'node:assert/strict';
import type { LiteralQuoting } from '../../../../src/protocol/scan';
import { AtomMismatchError, findAtoms, findTextPlaceholders, maskAtoms, quoteAtom, unmaskAtoms, unmaskFragment, unmaskOffset } from '../../../../src/shared/prompt/scanner/atoms';
import { encodeLiteral, encodeLiteralContent, LiteralEncodeError } from '../../../../src/shared/prompt/scanner/literalEncode';
import { decodeJavaScript, decodePython, pythonPrefix } from '../../../../src/shared/prompt/scanner/literals';
import { findPrompts } from '../../../../src/shared/prompt/scanner';
import { loadMarkdown } from '../../../../src/shared/prompt/scanner/parsers';
import { encodeEdit } from '../../../../src/shared/prompt/rewriteGuard';

/** Decodes a whole Python literal written as `src`. */
const py = (src: string, interpolations: Array<[number, number]> = []) => decodePython(src, 0, src.length, interpolations);
const pyText = (src: string) => py(src)?.text;
const js = (src: string, interpolations: Array<[number, number]> = []) => decodeJavaScript(src, 0, src.length, interpolations);
const jsText = (src: string) => js(src)?.text;


describe('literals: decoding, exact (Python 2.4.1.1)', () => {
  it('the simple escapes: \\\\ \\\' \\" \\a \\b \\f \\n \\r \\t \\v', () => {
    const cases: Array<[string, string]> = [
      ['\\\\', '\\'],
      ["\\'", "'"],
      ['\\"', '"'],
      ['\\a', '\x07'],
      ['\\b', '\x08'],
      ['\\f', '\x0c'],
      ['\\n', '\x0a'],
      ['\\r', '\x0d'],
      ['\\t', '\x09'],
      ['\\v', '\x0b'],
    ];
    for (const [escape, value] of cases) assert.equal(pyText(`"a${escape}b"`), `a${value}b`, escape);
  });

  it('octal \\ooo (up to three digits), \\xhh, \\uxxxx, \\Uxxxxxxxx', () => {
    assert.equal(pyText('"\\101\\1012"'), 'AA2'); // \101 = 65 = "A"; a fourth digit is plain text
    assert.equal(pyText('"\\0"'), '\x00');
    assert.equal(pyText('"\\7x"'), '\x07x');
    // Octal above 0o377 in a str is U+01FF (2.4.1.1: "value larger than 0o377" is a DeprecationWarning, not a truncation).
    assert.equal(pyText('"\\777"'), '\u01ff');
    assert.equal(pyText('"\\x41\\x7e"'), 'A~');
    assert.equal(pyText('"\\u00e9\\u20AC"'), 'é€');
    assert.equal(pyText('"\\U0001F600"'), '\u{1F600}');
  });

  it('malformed or unknown escapes stay as written; \\N{…} too (no name table)', () => {
    assert.equal(pyText('"\\d\\8"'), '\\d\\8');
    assert.equal(pyText('"\\x4"'), '\\x4');
    assert.equal(pyText('"\\xg1"'), '\\xg1');
    assert.equal(pyText('"\\u12"'), '\\u12');
    assert.equal(pyText('"\\U00110000"'), '\\U00110000'); // above U+10FFFF
    assert.equal(pyText('"\\N{BULLET}"'), '\\N{BULLET}');
  });

  it('backslash-newline is a line continuation (LF, CR and CRLF)', () => {
    assert.equal(pyText('"""a\\\nb"""'), 'ab');
    assert.equal(pyText('"""a\\\r\nb"""'), 'ab');
    assert.equal(pyText('"""a\\\rb"""'), 'ab');
  });

  it('raw strings keep every backslash, and \\" does not end them', () => {
    assert.equal(pyText('r"a\\nb"'), 'a\\nb');
    assert.equal(pyText('R"a\\"b"'), 'a\\"b');
    assert.equal(pyText('rb"x"'), undefined); // bytes are not text
    assert.equal(pyText('b"x"'), undefined);
  });

  it('f-strings: {{ and }} are single braces; fields are kept as placeholders', () => {
    const src = 'f"{{a}} {name!r} }}"';
    // Field {name!r}: from offset 8 to 16 in the source.
    const d = py(src, [[8, 16]]);
    assert.ok(d);
    assert.equal(d.text, '{a} {name!r} }');
    assert.deepEqual(d.interpolated, [{ name: 'name!r', syntax: 'brace', start: 4, end: 12, interpolated: true }]);
    assert.deepEqual(d.quoting, { language: 'python', style: 'string', quote: '"', triple: false, prefix: 'f', raw: false, formatted: true, interpolations: ['{name!r}'] });
    // Outside an f-string, doubled braces are two braces.
    assert.equal(pyText('"{{a}}"'), '{{a}}');
    // A raw f-string doubles braces too, and keeps backslashes.
    assert.equal(pyText('rf"{{\\n}}"'), '{\\n}');
  });

  it('quotes, triple quotes, prefixes, offsets and the run map', () => {
    const src = 'x = u\'\'\'it\\tis\'\'\' + 1';
    // u'''it\tis''' spans 4..17; content 8..14.
    const d = decodePython(src, 4, 17);
    assert.ok(d);
    assert.deepEqual({ start: d.start, end: d.end, contentStart: d.contentStart, contentEnd: d.contentEnd, text: d.text }, { start: 4, end: 17, contentStart: 8, contentEnd: 14, text: 'it\tis' });
    // "it" maps to source 8, "is" (text offset 3) to source 12; the tab has no one-to-one run.
    assert.deepEqual(d.runs, [[0, 8, 2], [3, 12, 2]]);
    assert.deepEqual(d.quoting, { language: 'python', style: 'string', quote: "'", triple: true, prefix: 'u', raw: false, formatted: false });
    // '' is an empty one-quote string, not the start of a triple quote.
    const empty = py("''");
    assert.deepEqual([empty?.text, empty?.contentStart, empty?.contentEnd, empty?.quoting.triple], ['', 1, 1, false]);
    // An unterminated literal runs to the end.
    assert.deepEqual([py('"abc')?.text, py('"abc')?.contentEnd], ['abc', 4]);
    // Not a string literal at all.
    assert.equal(py('abc'), undefined);
  });

  it('run map: an escape that yields nothing splits the runs; a leading escape adds no empty run', () => {
    // Triple-quoted a, backslash, LF, b: "a" at source 3, "b" at source 6, contiguous in the text but not in the source.
    assert.deepEqual(py('"""a\\\nb"""')?.runs, [[0, 3, 1], [1, 6, 1]]);
    assert.deepEqual(py('"\\tb"')?.runs, [[1, 3, 1]]);
  });

  it('boundaries: the empty triple-quoted string, \\U0010FFFF, a truncated \\x at the end', () => {
    const empty = py('""""""');
    assert.deepEqual([empty?.text, empty?.contentStart, empty?.contentEnd, empty?.quoting.triple], ['', 3, 3, true]);
    assert.equal(pyText('"\\U0010FFFF"'), '\u{10FFFF}');
    assert.equal(pyText('"\\x4'), '\\x4');
  });

  it('f-string fields are taken in source order, and only those inside the content', () => {
    const src = 'f"{a} {b} x"';
    const d = py(src, [[6, 9], [2, 5], [0, 12]]);
    assert.equal(d?.text, '{a} {b} x');
    assert.deepEqual(d?.interpolated.map((p) => [p.name, p.start, p.end]), [['a', 0, 3], ['b', 4, 7]]);
    assert.deepEqual(d?.runs, [[0, 2, 9]]);
  });

  it('pythonPrefix', () => {
    assert.deepEqual(pythonPrefix('Rb"x"'), { prefix: 'Rb', raw: true, bytes: true, formatted: false });
    assert.deepEqual(pythonPrefix('F"x"'), { prefix: 'F', raw: false, bytes: false, formatted: true });
    assert.deepEqual(pythonPrefix('t"x"'), { prefix: 't', raw: false, bytes: false, formatted: true });
    assert.deepEqual(pythonPrefix('"x"'), { prefix: '', raw: false, bytes: false, formatted: false });
    assert.deepEqual(pythonPrefix('Br"x"'), { prefix: 'Br', raw: true, bytes: true, formatted: false });
    assert.deepEqual(pythonPrefix('U"x"'), { prefix: 'U', raw: false, bytes: false, formatted: false });
    assert.deepEqual(pythonPrefix('fT"x"'), { prefix: 'fT', raw: false, bytes: false, formatted: true });
  });
});

describe('literals: decoding, exact (ECMAScript 12.9.4, 12.9.6)', () => {
  it('SingleEscapeCharacter: \\\' \\" \\\\ \\b \\f \\n \\r \\t \\v, and \\0 not before a digit', () => {
    const cases: Array<[string, string]> = [
      ["\\'", "'"],
      ['\\"', '"'],
      ['\\\\', '\\'],
      ['\\b', '\b'],
      ['\\f', '\f'],
      ['\\n', '\n'],
      ['\\r', '\r'],
      ['\\t', '\t'],
      ['\\v', '\v'],
      ['\\0', '\0'],
    ];
    for (const [escape, value] of cases) assert.equal(jsText(`'a${escape}b'`), `a${value}b`, escape);
  });

  it('\\xHH, \\uHHHH, \\u{H…}; a NonEscapeCharacter is itself; \\a is "a" in JavaScript', () => {
    assert.equal(jsText('"\\x41\\u00e9\\u{1F600}\\u{41}"'), 'Aé\u{1F600}A');
    assert.equal(jsText('"\\q\\a\\$"'), 'qa$');
    // Any number of hex digits between \u{ and } (0000041 = "A").
    assert.equal(jsText('"\\u{0000041}"'), 'A');
    // A backslash that ends an unterminated literal adds nothing.
    assert.equal(jsText('"a\\'), 'a');
    assert.equal(jsText('""'), '');
  });

  it('LineContinuation: backslash before LF, CR or CRLF is nothing', () => {
    assert.equal(jsText('"a\\\nb"'), 'ab');
    assert.equal(jsText('"a\\\r\nb"'), 'ab');
    assert.equal(jsText('"a\\\rb"'), 'ab');
  });

  it('template literals: CR and CRLF become LF; escapes as in strings; ${} kept as placeholders', () => {
    assert.equal(jsText('`a\r\nb\rc\nd`'), 'a\nb\nc\nd');
    // In a string literal a raw CR is not normalized (it cannot occur in valid source; kept as written).
    assert.equal(jsText('"a\rb"'), 'a\rb');
    const src = '`Hi ${user.name}!\\n`';
    const d = js(src, [[4, 16]]);
    assert.ok(d);
    assert.equal(d.text, 'Hi ${user.name}!\n');
    assert.deepEqual(d.interpolated, [{ name: 'user.name', syntax: 'dollarBrace', start: 3, end: 15, interpolated: true }]);
    assert.deepEqual(d.quoting, { language: 'javascript', style: 'template', quote: '`', interpolations: ['${user.name}'] });
    assert.deepEqual(d.runs, [[0, 1, 16]]);
    assert.deepEqual([d.contentStart, d.contentEnd], [1, 19]);
  });

  it('string quoting, offsets, unterminated and non-literals', () => {
    const d = js("'x'");
    assert.deepEqual(d?.quoting, { language: 'javascript', style: 'string', quote: "'" });
    assert.deepEqual([js('"ab')?.text, js('"ab')?.contentEnd], ['ab', 3]);
    assert.equal(js('ab'), undefined);
    assert.deepEqual(js('"a\\tb"')?.runs, [[0, 1, 1], [2, 4, 1]]);
  });
});

describe('literals: encoding, exact', () => {
  const pyq = (extra: Partial<LiteralQuoting> = {}): LiteralQuoting => ({ language: 'python', style: 'string', quote: '"', triple: false, prefix: '', raw: false, formatted: false, ...extra });
  const jsq = (quote: string): LiteralQuoting => ({ language: 'javascript', style: quote === '`' ? 'template' : 'string', quote });

  it('Python one-line "…": backslash, own quote, LF, CR, TAB and controls escaped; the other quote is not', () => {
    assert.equal(encodeLiteralContent(`a\\b"c'd\ne\rf\tg\x01h\x7fi`, pyq()), `a\\\\b\\"c'd\\ne\\rf\\tg\\x01h\\x7fi`);
    assert.equal(encodeLiteralContent(`it's "ok"`, pyq({ quote: "'" })), `it\\'s "ok"`);
    assert.equal(encodeLiteralContent('\x1f \x20', pyq()), '\\x1f  ');
    // Without a recorded quote, Python strings are double-quoted and JavaScript ones single-quoted.
    assert.equal(encodeLiteralContent('a"b\'c', { language: 'python', style: 'string' }), 'a\\"b\'c');
    assert.equal(encodeLiteralContent('a"b\'c', { language: 'javascript', style: 'string' }), 'a"b\\\'c');
  });

  it('Python triple-quoted: LF and TAB kept; a quote escaped only where it could close the literal', () => {
    const t = pyq({ triple: true });
    assert.equal(encodeLiteralContent('a\nb\tc\rd', t), 'a\nb\tc\\rd');
    assert.equal(encodeLiteralContent('say "hi" now', t), 'say "hi" now');
    assert.equal(encodeLiteralContent('say ""', t), 'say \\"\\"');
    assert.equal(encodeLiteralContent('end"', t), 'end\\"');
  });

  it('Python f-strings double braces that are not known fields', () => {
    const f = pyq({ prefix: 'f', formatted: true, interpolations: ['{name}', '{n:>{w}}'] });
    assert.equal(encodeLiteralContent('{name} {x} {n:>{w}} }', f), '{name} {{x}} {n:>{w}} }}');
    // Without known fields every brace is doubled.
    assert.equal(encodeLiteralContent('{name}', pyq({ prefix: 'f', formatted: true })), '{{name}}');
    // Outside an f-string braces are plain.
    assert.equal(encodeLiteralContent('{name}', pyq()), '{name}');
  });

  it('Python raw strings: kept as is, or refused when they cannot hold the text', () => {
    const r = pyq({ prefix: 'r', raw: true });
    assert.equal(encodeLiteralContent('a\\d+', r), 'a\\d+');
    assert.equal(encodeLiteralContent('a\\\\', r), 'a\\\\'); // an even run of trailing backslashes is fine
    assert.throws(() => encodeLiteralContent('a\nb', r), LiteralEncodeError);
    assert.throws(() => encodeLiteralContent('a\rb', r), LiteralEncodeError);
    assert.throws(() => encodeLiteralContent('say "x', r), LiteralEncodeError);
    assert.throws(() => encodeLiteralContent('a\\', r), LiteralEncodeError);
    assert.throws(() => encodeLiteralContent('\\', r), LiteralEncodeError);
    assert.throws(() => encodeLiteralContent('a\\\\\\', r), LiteralEncodeError);
    const rt = pyq({ prefix: 'r', raw: true, triple: true });
    assert.equal(encodeLiteralContent('a\nb "c" d', rt), 'a\nb "c" d');
    assert.throws(() => encodeLiteralContent('a """ b', rt), LiteralEncodeError);
    assert.throws(() => encodeLiteralContent('ends "', rt), LiteralEncodeError);
    assert.equal(encodeLiteralContent('{x}', pyq({ prefix: 'rf', raw: true, formatted: true })), '{{x}}');
    // encodeLiteral falls back to a non-raw literal with the other prefix letters kept.
    assert.equal(encodeLiteral('a\nb', pyq({ prefix: 'Rf', raw: true, formatted: true })), 'f"a\\nb"');
    assert.equal(encodeLiteral('a\\d', pyq({ prefix: 'r', raw: true })), 'r"a\\d"');
  });

  it('JavaScript strings: backslash, own quote, LF, CR, TAB, U+2028/2029 and controls', () => {
    assert.equal(encodeLiteralContent(`a\\b'c"d\ne\rf\tg\u2028h\u2029i\x00j\x7f`, jsq("'")), `a\\\\b\\'c"d\\ne\\rf\\tg\\u2028h\\u2029i\\x00j\\x7f`);
    assert.equal(encodeLiteralContent(`'"`, jsq('"')), `'\\"`);
    assert.equal(encodeLiteralContent('{x} ${y}', jsq('"')), '{x} ${y}');
  });

  it('template literals: backslash, backtick, ${ and CR escaped; LF and known ${} kept', () => {
    const t: LiteralQuoting = { ...jsq('`'), interpolations: ['${name}'] };
    assert.equal(encodeLiteralContent('a\\b `c` ${name} ${x} $y\nz\r', t), 'a\\\\b \\`c\\` ${name} \\${x} $y\nz\\r');
    assert.equal(encodeLiteral('${name}', { ...jsq('`') }), '`\\${name}`');
  });

  it('JSON strings (RFC 8259 section 7)', () => {
    const j: LiteralQuoting = { language: 'json', style: 'jsonString' };
    assert.equal(encodeLiteralContent('a"b\\c\nd\u0001', j), 'a\\"b\\\\c\\nd\\u0001');
    assert.equal(encodeLiteral('x"', j), '"x\\""');
  });

  it('YAML double-quoted (7.3.1) and single-quoted (7.3.2) scalars', () => {
    const d: LiteralQuoting = { language: 'yaml', style: 'yamlDouble' };
    assert.equal(encodeLiteralContent('a"b\\c\nd\re\tf\x02g\x7f', d), 'a\\"b\\\\c\\nd\\re\\tf\\x02g\\x7f');
    const s: LiteralQuoting = { language: 'yaml', style: 'yamlSingle' };
    assert.equal(encodeLiteralContent("it's", s), "it''s");
    assert.equal(encodeLiteral("it's", s), "'it''s'");
    assert.throws(() => encodeLiteralContent('a\nb', s), LiteralEncodeError);
    assert.throws(() => encodeLiteralContent('a\rb', s), LiteralEncodeError);
    // encodeLiteral falls back to double quotes.
    assert.equal(encodeLiteral('a\nb', s), '"a\\nb"');
  });

  it('YAML plain scalars (7.3.3): what needs quoting is refused', () => {
    const p: LiteralQuoting = { language: 'yaml', style: 'yamlPlain' };
    assert.equal(encodeLiteralContent('Answer in English.', p), 'Answer in English.');
    assert.equal(encodeLiteralContent('a:b c#d', p), 'a:b c#d');
    for (const bad of ['', ' lead', 'trail ', 'a\nb', 'a\tb', 'key: value', 'ends:', 'a #comment', '- item', '?q', ':x', ',x', '[x', ']x', '{x', '}x', '#x', '&a', '*a', '!t', '|x', '>x', "'x", '"x', '%x', '@x', '`x', 'true', 'False', 'null', 'yes', 'NO', 'on', 'off', '~', '12', '-1.5e3', '.5', '+3']) {
      assert.throws(() => encodeLiteralContent(bad, p), LiteralEncodeError, JSON.stringify(bad));
    }
    assert.equal(encodeLiteral('key: value', p), '"key: value"');
    assert.equal(encodeLiteral('truest', p), 'truest');
  });

  it('YAML block scalars (8.1)', () => {
    const lit: LiteralQuoting = { language: 'yaml', style: 'yamlBlockLiteral', indent: '    ' };
    assert.equal(encodeLiteralContent('a\n\nb\r\nc\n\n', lit), '    a\n\n    b\n    c');
    assert.equal(encodeLiteral('a\nb', lit), '|\n    a\n    b');
    assert.equal(encodeLiteralContent('a', { language: 'yaml', style: 'yamlBlockLiteral' }), '  a');
    assert.equal(encodeLiteralContent('a\rb', { language: 'yaml', style: 'yamlBlockLiteral' }), '  a\n  b');
    assert.throws(() => encodeLiteralContent(' a', lit), LiteralEncodeError);
    assert.throws(() => encodeLiteralContent('\ta', lit), LiteralEncodeError);
    assert.throws(() => encodeLiteralContent('\n\n', lit), LiteralEncodeError);
    const fold: LiteralQuoting = { language: 'yaml', style: 'yamlBlockFolded', indent: ' ' };
    assert.equal(encodeLiteralContent('one line', fold), ' one line');
    assert.equal(encodeLiteral('one line', fold), '>\n one line');
    assert.equal(encodeLiteralContent('x', { language: 'yaml', style: 'yamlBlockFolded' }), '  x');
    // Paragraphs (breaker42): a line break is a blank line, two breaks two blank lines.
    assert.equal(encodeLiteralContent('a b\nc\n\nd', { language: 'yaml', style: 'yamlBlockFolded', indent: '    ' }), '    a b\n\n    c\n\n\n    d');
    assert.equal(encodeLiteralContent('a\nb', fold), ' a\n\n b');
    assert.throws(() => encodeLiteralContent('a\rb', fold), LiteralEncodeError);
    assert.throws(() => encodeLiteralContent(' a', fold), LiteralEncodeError);
    assert.throws(() => encodeLiteralContent('a\n b', fold), LiteralEncodeError);
    assert.equal(encodeLiteral('a\nb', fold), '>\n a\n\n b');
    assert.equal(encodeLiteral('a\n b', fold), '"a\\n b"');
  });

  it('Markdown fences, Markdown text and prompt files', () => {
    const f: LiteralQuoting = { language: 'markdown', style: 'markdownFence', fence: '```', indent: '  ' };
    assert.equal(encodeLiteralContent('a\n\nb', f), '  a\n\n  b');
    // encodeLiteral gives the whole block, fence lines included (a prompt's range covers them).
    assert.equal(encodeLiteral('a', f), '  ```\n  a\n  ```');
    assert.equal(encodeLiteralContent('x', { language: 'markdown', style: 'markdownFence' }), 'x');
    assert.throws(() => encodeLiteralContent('a\n  ```js\nb', f), LiteralEncodeError);
    // Two backticks or a ~~~ line do not close a ``` fence.
    assert.equal(encodeLiteralContent('``\n~~~', f), '  ``\n  ~~~');
    const tilde: LiteralQuoting = { language: 'markdown', style: 'markdownFence', fence: '~~~~' };
    assert.equal(encodeLiteralContent('~~~', tilde), '~~~');
    // A ~~~~ line inside a ~~~~ fence: the block is written again with a ``` fence.
    assert.equal(encodeLiteral('~~~~', tilde), '```\n~~~~\n```');
    assert.throws(() => encodeLiteralContent('~~~~', tilde), LiteralEncodeError);
    // encodeLiteral lengthens the fence when the text holds it (the content itself is unchanged): 4 + 1 backticks.
    assert.equal(encodeLiteral('````', { language: 'markdown', style: 'markdownFence', fence: '````', indent: ' ' }), ' `````\n ````\n `````');
    assert.equal(encodeLiteralContent('a *b*\n', { language: 'markdown', style: 'markdownText' }), 'a *b*\n');
    assert.equal(encodeLiteral('raw "x"\\', { language: 'promptFile', style: 'file' }), 'raw "x"\\');
  });

  it('encodeLiteral wraps the content in the quotes and prefix of its form', () => {
    assert.equal(encodeLiteral('a"b', pyq({ prefix: 'u' })), 'u"a\\"b"');
    assert.equal(encodeLiteral('a\nb', pyq({ quote: "'", triple: true })), "'''a\nb'''");
    assert.equal(encodeLiteral('x', { language: 'python', style: 'string' }), '"x"');
    assert.equal(encodeLiteral("a'b", jsq("'")), "'a\\'b'");
    assert.equal(encodeLiteral('a`b', jsq('`')), '`a\\`b`');
    assert.equal(encodeLiteral('a"b', { language: 'yaml', style: 'yamlDouble' }), '"a\\"b"');
    assert.equal(encodeLiteral('x', { language: 'markdown', style: 'markdownText' }), 'x');
  });
});

describe('literals: placeholders in decoded text, exact', () => {
  const ph = (text: string) => findTextPlaceholders(text).map((p) => `${p.syntax} ${p.start} ${p.end} ${p.name}`);

  it('each syntax, with its name', () => {
    assert.deepEqual(ph('{a} {b.c[0]!r:>10} {} {%- if x -%} {{ y }} ${z} %(k)s %(w)-5.2f'), [
      'brace 0 3 a',
      'brace 4 18 b.c[0]',
      'brace 19 21 ',
      'jinjaBlock 22 34 if x',
      'mustache 35 42 y',
      'dollarBrace 43 47 z',
      'percent 48 53 k',
      'percent 54 63 w',
    ]);
  });

  // browser-use's system_prompt_flash.md (loaded with str.format): its JSON example's doubled braces are escapes, not a tag.
  it('a JSON member between doubled braces is written text, not a Mustache tag', () => {
    assert.deepEqual(ph('use {max_actions} actions: "action":[{{"navigate": {{ "url": "url_value"}}}}]'), ['brace 4 17 max_actions']);
    assert.deepEqual(ph("{{ 'k': 1 }} {{ name }} {{ \"quoted\" | upper }}"), ['mustache 13 23 name', 'mustache 24 46 "quoted" | upper']);
  });

  it('Mustache whitespace control, underscores, the s and a conversions, and every printf flag and conversion', () => {
    assert.deepEqual(ph('{{-y-}} {{a{b}} {_x!s} {y!a}'), ['mustache 0 7 y', 'brace 11 14 b', 'brace 16 22 _x', 'brace 23 28 y']);
    assert.deepEqual(ph('%(a)#x %(b)05d %(c) d %(d)+d'), ['percent 0 6 a', 'percent 7 14 b', 'percent 15 21 c', 'percent 22 28 d']);
    for (const conversion of 'sdifrxXeEgGcoa') assert.deepEqual(ph(`%(k)${conversion}`), [`percent 0 5 k`], conversion);
    assert.deepEqual(ph('%(k)z'), []);
  });

  it('what is not a placeholder', () => {
    assert.deepEqual(ph('{a b} {"k": 1} %(1)s %(k) %d {x'), []);
    // An empty {} is an automatic field, also inside {{}} or ${}.
    assert.deepEqual(ph('{{}} ${}'), ['brace 1 3 ', 'brace 6 8 ']);
    assert.deepEqual(ph('{{a}b}}'), ['brace 1 4 a']);
    assert.deepEqual(ph('${a{b}}'), ['brace 3 6 b']);
  });

  it('bounded look-ahead: 120 characters for {…}, 200 for {{…}} and ${…}, 400 for {%…%}', () => {
    assert.equal(ph(`{${'a'.repeat(118)}}`).length, 1); // close - start = 119
    assert.equal(ph(`{${'a'.repeat(119)}}`).length, 1); // 120
    assert.equal(ph(`{${'a'.repeat(120)}}`).length, 0); // 121
    assert.equal(ph(`{{${'a'.repeat(198)}}}`).length, 1); // close - start = 200
    assert.equal(ph(`{{${'a'.repeat(199)}}}`).length, 0);
    assert.equal(ph(`\${${'a'.repeat(198)}}`).length, 1); // 200
    assert.equal(ph(`\${${'a'.repeat(199)}}`).length, 0);
    assert.equal(ph(`{%${'a'.repeat(398)}%}`).length, 1); // 400
    assert.equal(ph(`{%${'a'.repeat(399)}%}`).length, 0);
  });

  it('skips the given ranges (the literal\'s own interpolations)', () => {
    const text = '{a} {b} {c}';
    const skip = [{ name: 'b', syntax: 'brace' as const, start: 4, end: 7, interpolated: true }];
    assert.deepEqual(findTextPlaceholders(text, skip).map((p) => p.name), ['a', 'c']);
    const skipAll = [{ name: 'c', syntax: 'brace' as const, start: 8, end: 11, interpolated: true }, { name: 'a', syntax: 'brace' as const, start: 0, end: 3, interpolated: true }];
    assert.deepEqual(findTextPlaceholders(text, skipAll).map((p) => p.name), ['b']);
    assert.deepEqual(findTextPlaceholders('{a}')[0], { name: 'a', syntax: 'brace', start: 0, end: 3, interpolated: false });
  });
});

describe('literals: atoms, exact', () => {
  const atoms = (text: string, known: string[] = []) => findAtoms(text, known).map((a) => `${a.kind} ${a.start} ${a.end} ${a.text}`);

  it('one of each kind', () => {
    assert.deepEqual(atoms('a {x} ${y} {{z}} {% b %} {# c #} %s %(k)d `c` 5%d x'), [
      'field 2 5 {x}',
      'interpolation 6 10 ${y}',
      'mustache 11 16 {{z}}',
      'jinjaBlock 17 24 {% b %}',
      'jinjaComment 25 32 {# c #}',
      'percent 33 35 %s',
      'percent 36 41 %(k)d',
      'inlineCode 42 45 `c`',
    ]);
  });

  it('${…} with strings, nested templates, comments and braces', () => {
    const text = "${a ? `${b}` : '}'} ${f({x: 1})} ${/* } */ c} ${d // }\n} ${\"}\"}";
    assert.deepEqual(atoms(text).map((a) => a.split(' ')[0]), ['interpolation', 'interpolation', 'interpolation', 'interpolation', 'interpolation']);
    assert.deepEqual(findAtoms(text).map((a) => a.text), ["${a ? `${b}` : '}'}", '${f({x: 1})}', '${/* } */ c}', '${d // }\n}', '${"}"}']);
  });

  it('unterminated ${…} are not atoms', () => {
    for (const text of ['${a', "${'a\n'}", '${`a', '${/* a', '${// a', "${'a"]) assert.deepEqual(atoms(text), [], text);
  });

  it('f-string fields: conversions, specs with nested fields, quotes, nesting', () => {
    const text = "{a!r} {b:>{w}} {c['}']} {d[0](1)} {e!s:x} {f == 1} {g!=h}";
    assert.deepEqual(findAtoms(text).map((a) => a.text), ['{a!r}', '{b:>{w}}', "{c['}']}", '{d[0](1)}', '{e!s:x}', '{f == 1}', '{g!=h}']);
    assert.deepEqual(findAtoms('{b!r {c\nd} {e:\n} {f:{g\n}} {h[\'x\n\']}').map((a) => a.text), []);
    // An unknown conversion reads as a format spec; a triple-quoted string may span lines.
    assert.deepEqual(findAtoms('{a!x} {"""x\ny"""}').map((a) => a.text), ['{a!x}', '{"""x\ny"""}']);
    assert.deepEqual(findAtoms('{"""a"""}').map((a) => a.text), ['{"""a"""}']);
  });

  it('{{ that is not a Mustache tag is a literal brace and a field; {{{x}}} is one tag', () => {
    assert.deepEqual(atoms('{{x} y'), ['field 1 4 {x}']);
    assert.deepEqual(atoms('{{{x}}}'), ['mustache 0 7 {{{x}}}']);
    // Over lines, a tag is a Jinja expression set out on lines (break30); a JSON member between doubled braces is text.
    assert.deepEqual(atoms('{{a\nb}}'), ['mustache 0 7 {{a\nb}}']);
    assert.deepEqual(atoms('{{\n"a": 1\n}}'), []);
    assert.deepEqual(atoms('{% x'), []);
  });

  it('% only after a non-word character, unless it names a key', () => {
    assert.deepEqual(atoms('5%d %%s a%(k)s (%-5.2f) %*d'), ['percent 9 14 %(k)s', 'percent 16 22 %-5.2f', 'percent 24 27 %*d']);
    assert.deepEqual(atoms('%s'), ['percent 0 2 %s']);
  });

  it('printf flags, widths, precisions and every conversion', () => {
    assert.deepEqual(atoms('%#x %05d %+d %-d %.3f %.*f %*d %10s'), ['percent 0 3 %#x', 'percent 4 8 %05d', 'percent 9 12 %+d', 'percent 13 16 %-d', 'percent 17 21 %.3f', 'percent 22 26 %.*f', 'percent 27 30 %*d', 'percent 31 35 %10s']);
    for (const conversion of 'sdifrxXeEgGcoa') assert.deepEqual(atoms(`%${conversion}`), [`percent 0 2 %${conversion}`], conversion);
    assert.deepEqual(atoms('%z %(k)z'), []);
  });

  it('the scanning budget (8 × length + 100,000): n unclosed braces before " {x}" cost (length - i) each', () => {
    // Length T = n + 4; cost = n·T − n(n−1)/2. n = 450: 103,275 < 103,632, so {x} is still scanned;
    // n = 451: 103,730 ≥ 103,640, so the budget is spent and {x} is left alone.
    assert.deepEqual(atoms(`${'{'.repeat(450)} {x}`), ['field 451 454 {x}']);
    assert.deepEqual(atoms(`${'{'.repeat(451)} {x}`), []);
    // Known interpolations are matched whatever the budget.
    assert.deepEqual(atoms(`${'{'.repeat(451)} {x}`, ['{x}']), ['interpolation 452 455 {x}']);
  });

  it('inline code ends on its line', () => {
    assert.deepEqual(atoms('`a\nb'), []);
    assert.deepEqual(atoms('``'), []);
    assert.deepEqual(atoms('x `a` `b\n`c`'), ['inlineCode 2 5 `a`', 'inlineCode 9 12 `c`']);
  });

  it('code fences: closed, unclosed, indented (any amount: prompts carry their code\'s indentation), only at a line start, closed by a fence as long', () => {
    const closed = 'See:\n```js\nlet a = {x};\n```\nafter {y}';
    assert.deepEqual(atoms(closed), ['codeFence 5 27 ```js\nlet a = {x};\n```', 'field 34 37 {y}']);
    assert.deepEqual(atoms('```\n{x}'), ['codeFence 0 7 ```\n{x}']);
    assert.deepEqual(atoms('   ~~~\na\n   ~~~\n{z}'), ['codeFence 0 15    ~~~\na\n   ~~~', 'field 16 19 {z}']);
    assert.deepEqual(atoms('    ```\n{x}'), ['codeFence 0 11     ```\n{x}']);
    assert.deepEqual(atoms('x\n\t\t```\n\t\t{x}\n\t\t```\n{y}'), ['codeFence 2 19 \t\t```\n\t\t{x}\n\t\t```', 'field 20 23 {y}']);
    assert.deepEqual(atoms('a ```\n{x}'), ['field 6 9 {x}']);
    // A shorter fence, another marker, or a fence line with text after it does not close the block.
    assert.deepEqual(atoms('````\na\n```\n~~~~\n```` x\n````\nb'), ['codeFence 0 27 ````\na\n```\n~~~~\n```` x\n````']);
  });

  it('known interpolations first and whole, whatever their length', () => {
    const long = `\${${'x'.repeat(5000)}}`;
    assert.deepEqual(findAtoms(`a ${long} b`, [long]).map((a) => [a.kind, a.start, a.end]), [['interpolation', 2, 2 + long.length]]);
    assert.deepEqual(atoms('{name} {other}', ['{name}', '']), ['interpolation 0 6 {name}', 'field 7 14 {other}']);
    // The longest known one wins where two start at the same place.
    assert.deepEqual(atoms('${a}b}', ['${a}', '${a}b}']), ['interpolation 0 6 ${a}b}']);
  });

  it('a field longer than 4000 characters is not looked for', () => {
    assert.deepEqual(atoms(`{${'a'.repeat(3997)}}`).length, 1);
    assert.deepEqual(atoms(`{${'a'.repeat(4000)}}`).length, 0);
  });
});

describe('literals: masking atoms, exact', () => {
  it('sentinels per kind, positions and the stem', () => {
    const text = 'A {x} {{y}} {% b %} {# c #} %s `d` ${e}\n```py\ncode\n```';
    const mask = maskAtoms(text, findAtoms(text));
    assert.equal(mask.stem, 'PPYATOM');
    assert.deepEqual(mask.sentinels, ['{PPYATOM0Q}', '{{PPYATOM1Q}}', '{%PPYATOM2Q%}', '{#PPYATOM3Q#}', '%(PPYATOM4Q)s', '`PPYATOM5Q`', '{PPYATOM6Q}', '```py\nPPYATOM7Q\n```']);
    assert.equal(mask.text, 'A {PPYATOM0Q} {{PPYATOM1Q}} {%PPYATOM2Q%} {#PPYATOM3Q#} %(PPYATOM4Q)s `PPYATOM5Q` {PPYATOM6Q}\n```py\nPPYATOM7Q\n```');
    assert.deepEqual(mask.maskedStarts, [2, 14, 28, 42, 56, 70, 82, 94]);
    assert.equal(unmaskAtoms(mask.text, mask), text);
    const tilde = maskAtoms('~~~~\nx', findAtoms('~~~~\nx'));
    assert.deepEqual(tilde.sentinels, ['~~~~\nPPYATOM0Q\n~~~~']);
  });

  it('a stem that occurs in the text is replaced by the first numbered one that does not', () => {
    assert.equal(maskAtoms('PPYATOM PPY0ATOM {x}', findAtoms('PPYATOM PPY0ATOM {x}')).stem, 'PPY1ATOM');
    assert.deepEqual(maskAtoms('plain', []), { text: 'plain', atoms: [], sentinels: [], stem: 'PPYATOM', maskedStarts: [] });
  });

  it('unmaskAtoms: each way of losing an atom is an AtomMismatchError with its reason', () => {
    const text = 'Use {a} and {b} and {c}.';
    const mask = maskAtoms(text, findAtoms(text));
    const err = (rewritten: string) => {
      try {
        unmaskAtoms(rewritten, mask);
      } catch (e) {
        assert.ok(e instanceof AtomMismatchError);
        assert.equal(e.code, 'atomMismatch');
        assert.equal(e.name, 'AtomMismatchError');
        return e.message;
      }
      return 'no error';
    };
    assert.equal(err('{PPYATOM0Q} {PPYATOM2Q}'), 'it would remove "{b}"');
    assert.equal(err('{PPYATOM0Q} {PPYATOM1Q} {PPYATOM1Q} {PPYATOM2Q}'), 'it would repeat "{b}"');
    assert.equal(err('{PPYATOM0Q} {PPYATOM1Q} {PPYATOM2Q} {PPYATOM3Q}'), 'it would add a placeholder of its own');
    assert.equal(err('{PPYATOM0Q} PPYATOM1Q} {PPYATOM2Q}'), 'it would change the delimiters of "{b}"');
    assert.equal(err('{PPYATOM0Q} {PPYATOM2Q} {PPYATOM1Q}'), 'it would move "{c}" out of its place among the placeholders');
    assert.equal(unmaskAtoms('Take {PPYATOM0Q}, {PPYATOM1Q}, {PPYATOM2Q}!', mask), 'Take {a}, {b}, {c}!');
  });

  it('unmaskOffset maps masked offsets back', () => {
    const text = 'ab {x} cd {yy} e';
    const mask = maskAtoms(text, findAtoms(text));
    // masked: 'ab {PPYATOM0Q} cd {PPYATOM1Q} e'; sentinels 11 long, at 3 and 18.
    assert.equal(mask.text, 'ab {PPYATOM0Q} cd {PPYATOM1Q} e');
    const expected: Array<[number, number]> = [[0, 0], [2, 2], [3, 3], [4, 6], [13, 6], [14, 6], [15, 7], [17, 9], [18, 10], [19, 14], [28, 14], [29, 14], [31, 16]];
    for (const [masked, original] of expected) assert.equal(unmaskOffset(masked, mask), original, `offset ${masked}`);
  });

  it('unmaskFragment restores whole sentinels and leaves pieces', () => {
    const text = 'ab {x} cd {yy} e';
    const mask = maskAtoms(text, findAtoms(text));
    assert.equal(unmaskFragment('cd {PPYATOM1Q} e', mask), 'cd {yy} e');
    assert.equal(unmaskFragment('PPYATOM0Q} cd', mask), 'PPYATOM0Q} cd');
    assert.equal(unmaskFragment('{PPYATOM0Q}{PPYATOM1Q}', mask), '{x}{yy}');
    assert.equal(unmaskFragment('no sentinel', mask), 'no sentinel');
    assert.equal(unmaskFragment('{PPYATOM7Q}', mask), '{PPYATOM7Q}');
  });

  it('quoteAtom flattens whitespace and clips at 60 characters', () => {
    assert.equal(quoteAtom('a\n\t b'), 'a b');
    assert.equal(quoteAtom('x'.repeat(60)), 'x'.repeat(60));
    assert.equal(quoteAtom('x'.repeat(61)), `${'x'.repeat(57)}…`);
  });
});


describe('literals: decisive cases (each fails when one condition, bound or escape changes)', () => {
  const ph = (text: string) => findTextPlaceholders(text).map((p) => `${p.syntax} ${p.start} ${p.end} ${p.name}`);
  const atoms = (text: string) => findAtoms(text).map((a) => `${a.kind} ${a.start} ${a.end} ${a.text}`);

  it('JavaScript legacy octal escapes in strings (ECMAScript B.1.2, what node evaluates in sloppy mode)', () => {
    // Expected values from node -e "'\01'" and so on: up to three digits from 0-3, two from 4-7.
    const cases: Array<[string, string]> = [
      ['\\01', '\x01'],
      ['\\1', '\x01'],
      ['\\7', '\x07'],
      ['\\12', '\n'],
      ['\\123', 'S'],
      ['\\0123', '\n3'],
      ['\\377', '\xff'],
      ['\\400', ' 0'],
      ['\\477', "'7"],
      ['\\78', '\x078'],
      ['\\08', '\x008'],
      ['\\09', '\x009'],
      ['\\0a', '\x00a'],
      ['\\8', '8'],
      ['\\9', '9'],
    ];
    for (const [escape, value] of cases) assert.equal(jsText(`'${escape}'`), value, escape);
    assert.deepEqual(js("'a\\12b'")?.runs, [[0, 1, 1], [2, 5, 1]]);
  });

  it('a template literal cannot hold an octal escape, \\8 or \\9 (SyntaxError), but \\0 before a non-digit is NUL', () => {
    for (const src of ['`\\01`', '`\\1`', '`\\8`', '`\\9`', '`\\00`']) assert.equal(js(src), undefined, src);
    assert.equal(jsText('`\\0`'), '\0');
    assert.equal(jsText('`\\0a`'), '\0a');
  });

  it('\\u{…}: any number of digits up to 10FFFF; above it, or malformed \\x and \\u, the literal has no value (SyntaxError)', () => {
    assert.equal(jsText('"\\u{0000000041}b"'), 'Ab');
    assert.equal(jsText('"\\u{10FFFF}"'), '\u{10FFFF}');
    assert.deepEqual(js('"\\u{0041}b"')?.runs, [[1, 9, 1]]);
    for (const src of ['"\\u{110000}"', '"\\u{}"', '"\\u{41"', '"\\u{4G}"', '"\\xZZ"', '"\\x4"', '"\\u00G0"', '"\\u{FFFFFFFFFFFFFFFFFFFF}"']) assert.equal(js(src), undefined, src);
  });

  it('Python: a backslash in a raw f-string, or an unknown escape, leaves the next character to be read on its own', () => {
    // python3 -c 'x=1; print(repr(rf"\{{x}}"), repr(f"\{{x}}"), repr("\8a1"))' prints '\\{x}' '\\{x}' '\\8a1'.
    assert.equal(pyText('rf"\\{{x}}"'), '\\{x}');
    assert.equal(pyText('f"\\{{x}}"'), '\\{x}');
    assert.equal(pyText('"\\8a1"'), '\\8a1');
    // r0 f1 "2 \3 {4 x5 }6 "7: the field {x} is 4..7 and starts right after the backslash.
    const d = py('rf"\\{x}"', [[4, 7]]);
    assert.equal(d?.text, '\\{x}');
    assert.deepEqual(d?.interpolated, [{ name: 'x', syntax: 'brace', start: 1, end: 4, interpolated: true }]);
  });

  it('Python has no \\u{…} escape: it stays as written (a SyntaxError in Python, like \\xg1)', () => {
    assert.equal(pyText('"\\u{41}"'), '\\u{41}');
    assert.equal(pyText('"a\\'), 'a\\');
  });

  it('fields that run past the content are dropped; a single brace with no field given is kept', () => {
    assert.deepEqual([py('f"{a}"', [[2, 6]])?.text, py('f"{a}"', [[2, 6]])?.interpolated], ['{a}', []]);
    assert.deepEqual([js('`${a}`', [[1, 6]])?.text, js('`${a}`', [[1, 6]])?.interpolated], ['${a}', []]);
    assert.equal(pyText('f"{a}"'), '{a}');
  });

  it('content bounds: a lone quote, an unterminated triple quote, and a source that goes on past the literal', () => {
    assert.deepEqual([py('"')?.contentStart, py('"')?.contentEnd, py('"')?.text], [1, 1, '']);
    assert.deepEqual([js('"')?.contentStart, js('"')?.contentEnd, js('"')?.text], [1, 1, '']);
    assert.deepEqual([py('"""ab')?.quoting.triple, py('"""ab')?.text], [true, 'ab']);
    assert.equal(decodePython('"ab\\n', 0, 3)?.text, 'ab');
    assert.equal(decodeJavaScript('"ab\\n', 0, 3)?.text, 'ab');
  });

  it('f-strings: only {{ and }} are doubled characters; fields at the very end, with spaces, out of order or outside', () => {
    assert.equal(pyText('f"aa}}"'), 'aa}');
    assert.deepEqual(py('f"{a}"', [[2, 5]])?.interpolated, [{ name: 'a', syntax: 'brace', start: 0, end: 3, interpolated: true }]);
    assert.deepEqual(py('f"{ a }"', [[2, 7]])?.interpolated.map((p) => p.name), ['a']);
    assert.deepEqual(py('f"{a}"', [[0, 1], [2, 5]])?.interpolated.map((p) => p.name), ['a']);
    assert.deepEqual(py('f"{a}{b}"', [[5, 8], [2, 5]])?.interpolated.map((p) => p.name), ['a', 'b']);
  });

  it('template literals: ${} at the very end, with spaces, out of order or outside the content', () => {
    assert.deepEqual(js('`${a}`', [[1, 5]])?.interpolated, [{ name: 'a', syntax: 'dollarBrace', start: 0, end: 4, interpolated: true }]);
    assert.deepEqual(js('`${ a }`', [[1, 7]])?.interpolated.map((p) => p.name), ['a']);
    assert.deepEqual(js('`${a}${b}`', [[5, 9], [1, 5]])?.interpolated.map((p) => p.name), ['a', 'b']);
    assert.deepEqual(js('`${a}`', [[0, 2], [1, 5]])?.interpolated.map((p) => p.name), ['a']);
  });

  it('LiteralEncodeError: its code, name and message for each form that refuses', () => {
    const py: LiteralQuoting = { language: 'python', style: 'string', quote: '"', triple: false, prefix: 'r', raw: true, formatted: false };
    const cases: Array<[string, LiteralQuoting, string]> = [
      ['a\nb', py, 'A one-line raw string cannot hold a line break.'],
      ['a"b', py, 'A raw string quoted with " cannot hold that quote character.'],
      ['a\\', py, 'A raw string cannot end with an odd number of backslashes.'],
      ['a\nb', { language: 'yaml', style: 'yamlSingle', quote: "'" }, 'A single-quoted YAML scalar folds line breaks.'],
      ['a: b', { language: 'yaml', style: 'yamlPlain' }, 'The text needs quoting in YAML.'],
      ['a\n b', { language: 'yaml', style: 'yamlBlockFolded' }, 'A folded YAML block (>) joins its lines with spaces: it can only be rewritten as paragraphs whose lines do not start with a space, and this text has a line that starts with a space. Make it a literal block (|) to rewrite it.'],
      [' a', { language: 'yaml', style: 'yamlBlockFolded' }, 'A folded YAML block (>) joins its lines with spaces: it can only be rewritten as paragraphs whose lines do not start with a space, and this text has a line that starts with a space. Make it a literal block (|) to rewrite it.'],
      ['a\n', { language: 'yaml', style: 'yamlBlockFolded' }, 'A folded YAML block (>) joins its lines with spaces: it can only be rewritten as paragraphs whose lines do not start with a space, and this text ends with a line break. Make it a literal block (|) to rewrite it.'],
      [' a', { language: 'yaml', style: 'yamlBlockLiteral' }, 'The text starts with a space, which a YAML literal block (|) reads as its indentation; add an indentation indicator to its header (|2 for two spaces) to keep it.'],
      [' \n ', { language: 'yaml', style: 'yamlBlockLiteral' }, 'A YAML literal block cannot be left with only white space.'],
      ['a \ud800', { ...py, raw: true }, 'The text holds a lone surrogate (a \\ud800-\\udfff escape without its pair), which only an escape in a quoted string can hold.'],
      ['```', { language: 'markdown', style: 'markdownFence', fence: '```' }, 'The text contains the code fence that encloses it.'],
    ];
    for (const [text, quoting, message] of cases) {
      assert.throws(() => encodeLiteralContent(text, quoting), (e: unknown) => e instanceof LiteralEncodeError && e.code === 'notRepresentable' && e.name === 'LiteralEncodeError' && e.message === message, message);
    }
  });

  it('YAML plain scalars: a number of any length needs quoting (YAML 1.2.2 core schema)', () => {
    for (const text of ['12', '123', '1.5e10', '-0.25']) assert.throws(() => encodeLiteralContent(text, { language: 'yaml', style: 'yamlPlain' }), LiteralEncodeError, text);
  });

  it('a raw Python string without a prefix falls back to a plain one', () => {
    // Python reads "a\"" as a": the quote is escaped in the plain string.
    assert.equal(encodeLiteral('a"', { language: 'python', style: 'string', quote: '"', raw: true }), '"a\\""');
  });

  it('Markdown fences: the whole block with its info string; a fence inside the text lengthens it', () => {
    assert.equal(encodeLiteral('Be brief.', { language: 'markdown', style: 'markdownFence', fence: '```', info: 'prompt' }), '```prompt\nBe brief.\n```');
    assert.equal(encodeLiteral('x', { language: 'markdown', style: 'markdownFence' }), '```\nx\n```');
    // The text holds a ``` run: the fence becomes 3 + 1 backticks.
    assert.equal(encodeLiteral('a\n```\nb', { language: 'markdown', style: 'markdownFence', fence: '```', info: 'prompt' }), '````prompt\na\n```\nb\n````');
  });

  it('Markdown fences: a rewrite that holds the fence reads back whole (markdown-it as the oracle)', () => {
    const src = '## System prompt\n\n```prompt\nYou are a helpful assistant for the docs.\n```\n\nAfter.\n';
    const found = findPrompts(src, 'markdown');
    assert.equal(found.length, 1);
    const next = 'Answer with a code block:\n```\nx\n```\nand nothing else.';
    const edit = encodeEdit(found[0], next);
    const edited = src.slice(0, edit.start) + edit.text + src.slice(edit.end);
    // markdown-it (the reference CommonMark parser the scanner loads) reads the edited document.
    const fences = loadMarkdown().parse(edited, {}).filter((t) => t.type === 'fence');
    assert.deepEqual(fences.map((t) => [t.info, t.content]), [['prompt', `${next}\n`]]);
    assert.ok(edited.endsWith('\n\nAfter.\n'));
  });

  it('findTextPlaceholders: index fields, keys of several letters, precision digits, and no match later in the look-ahead', () => {
    assert.deepEqual(ph('{a[10]}'), ['brace 0 7 a[10]']);
    assert.deepEqual(ph('%(1)s %(k)s'), ['percent 6 11 k']);
    assert.deepEqual(ph('%(key)s'), ['percent 0 7 key']);
    assert.deepEqual(ph('%(w).25f'), ['percent 0 8 w']);
  });

  it('findTextPlaceholders: the closing delimiter is looked for after the opening one only', () => {
    assert.deepEqual(ph('%}{%x%}'), ['jinjaBlock 2 7 x']);
    assert.deepEqual(ph('}{a}'), ['brace 1 4 a']);
    assert.deepEqual(ph('}}{{a}}'), ['mustache 2 7 a']);
    assert.deepEqual(ph('{%${%}x}'), ['jinjaBlock 0 6 ${']);
    assert.deepEqual(ph('$ab}'), []);
    assert.deepEqual(ph('{{ab'), []);
    assert.deepEqual(ph('{% a'), []);
    assert.deepEqual(ph('${ab'), []);
  });

  it('findTextPlaceholders: look-ahead bounds are relative to where the placeholder starts', () => {
    const pre = 'x'.repeat(300);
    assert.deepEqual(ph(`${pre}{% a %} {{b}} {c} \${d}`), ['jinjaBlock 300 307 a', 'mustache 308 313 b', 'brace 314 317 c', 'dollarBrace 318 322 d']);
  });

  it('findTextPlaceholders: whitespace control strips one dash at each end only', () => {
    assert.deepEqual(ph('{%- a-b -%}'), ['jinjaBlock 0 11 a-b']);
    assert.deepEqual(ph('{{-a-b-}}'), ['mustache 0 9 a-b']);
  });

  it('${…}: template literals inside (with text, escapes and nested ${}), escaped quotes, division and multiplication', () => {
    for (const text of ['${`}`}', '${`{`}', '${`$`}', '${`a{`}', '${`ab`}', '${`\\``}', "${`${'`'}`}", "${'\\''}", '${a/2}', '${a*b}', '${/*  } */c}', '${/**/a}']) {
      assert.deepEqual(atoms(text), [`interpolation 0 ${text.length} ${text}`], text);
    }
    assert.deepEqual(atoms('${`${'), []);
  });

  it('4000 characters: an atom whose closing brace is at offset 4000 from its start is not found; at 3999 it is', () => {
    const dollar = (n: number) => `\${${'a'.repeat(n)}} x`;
    assert.deepEqual(findAtoms(dollar(3997)).map((a) => [a.start, a.end]), [[0, 4000]]);
    // Not an interpolation from 0; its { at 1 then opens a field whose } is 3999 further on.
    assert.deepEqual(findAtoms(dollar(3998)).map((a) => [a.kind, a.start, a.end]), [['field', 1, 4001]]);
    const field = (n: number) => `{${'a'.repeat(n)}} x`;
    assert.deepEqual(findAtoms(field(3998)).map((a) => [a.start, a.end]), [[0, 4000]]);
    assert.deepEqual(findAtoms(field(3999)), []);
    const spec = (n: number) => `{a:${'x'.repeat(n)}} y`;
    assert.deepEqual(findAtoms(spec(3996)).map((a) => [a.start, a.end]), [[0, 4000]]);
    assert.deepEqual(findAtoms(spec(3997)), []);
  });

  it('replacement fields: strings at the top level, nesting of (), [] and {}, specs that hold quotes, != and conversions', () => {
    // {a:r>5} is fill "r", align ">", width 5 (a spec, not a conversion).
    const whole = ['{a:r>5}', "{a + '}'}", "{'\\''}", '{f(x!r)}', '{d[x!r]}', '{ {1:2}[1] }', "{x:'^10}", "{a!='}'}", '{:>{w}}'];
    for (const text of whole) assert.deepEqual(atoms(text), [`field 0 ${text.length} ${text}`], text);
    // Not fields: a line break in a string or a spec, an unterminated string, spec or nested field, a conversion followed by neither : nor }.
    for (const text of ["{'x\ny'}", "{'abc", '{a:{b', '{a:b\nc}', '{a:bc', '{a!rx}', '{x!rx}']) assert.deepEqual(atoms(text), [], JSON.stringify(text));
  });

  it('printf keys of several characters and precisions of several digits', () => {
    assert.deepEqual(atoms('%(ab)s %.25f'), ['percent 0 6 %(ab)s', 'percent 7 12 %.25f']);
  });

  it('a fence closes only at a line start; a lone $ or the text between a $ and a backtick is no atom', () => {
    assert.deepEqual(atoms('```\nx ```\ny'), ['codeFence 0 11 ```\nx ```\ny']);
    assert.deepEqual(atoms('$a}'), []);
    assert.deepEqual(atoms('$a`b`'), ['inlineCode 2 5 `b`']);
  });

  it('Jinja: the closing %} is searched from after {%, and {%%} is a tag; {{ before a non-tag is a brace and a field', () => {
    assert.deepEqual(atoms('{%a%b%}'), ['jinjaBlock 0 7 {%a%b%}']);
    assert.deepEqual(atoms('%}{%x%}'), ['jinjaBlock 2 7 {%x%}']);
    assert.deepEqual(atoms('{%%}'), ['jinjaBlock 0 4 {%%}']);
    assert.deepEqual(atoms('{{%x}'), ['field 1 5 {%x}']);
  });

  it('the budget: plain text, spaces and tildes cost nothing; found atoms cost their length', () => {
    assert.deepEqual(atoms(`${'a'.repeat(1000)}{x}`), ['field 1000 1003 {x}']);
    assert.deepEqual(atoms(`${' '.repeat(1000)}{x}`), ['field 1000 1003 {x}']);
    assert.deepEqual(atoms(`${'a~'.repeat(500)}{x}`), ['field 1000 1003 {x}']);
    // 10,000 fields cost 30,000, far under 8 × 30,000 + 100,000.
    assert.equal(findAtoms('{x}'.repeat(10_000)).length, 10_000);
  });

  it('unmaskAtoms: the first atom removed, repeated or moved', () => {
    const text = 'A {x} B {y}';
    const mask = maskAtoms(text, findAtoms(text));
    const err = (rewritten: string) => {
      try {
        return unmaskAtoms(rewritten, mask);
      } catch (e) {
        assert.ok(e instanceof AtomMismatchError);
        return e.message;
      }
    };
    assert.equal(err('A B {PPYATOM1Q}'), 'it would remove "{x}"');
    assert.equal(err('A {PPYATOM0Q} {PPYATOM0Q} B {PPYATOM1Q}'), 'it would repeat "{x}"');
    assert.equal(err('A {PPYATOM1Q} B {PPYATOM0Q}'), 'it would move "{y}" out of its place among the placeholders');
  });
});

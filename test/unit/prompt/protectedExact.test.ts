/**
 * Exact protected spans for short hand-written inputs, one protection kind at a time. Every
 * expected list below was written by hand from the rule the kind documents (its offsets
 * counted on the input), and each test compares the whole list, so a span that goes
 * missing, grows, shrinks or appears from nowhere fails it.
 */
import * as assert from 'node:assert/strict';
import { analyzeProtected, checkRetention, isSentenceLevel, politenessPrefixLength, protectedItems, spansWithin, type ProtectedSpan } from '../../../src/shared/prompt/protected';

/** `kind start end text` for every span, in the order analyzeProtected returns them. */
function spans(text: string): string[] {
  return analyzeProtected(text).spans.map((s) => `${s.kind} ${s.start} ${s.end} ${s.text}`);
}

/** The same line for a substring found in `text` (its first occurrence at or after `from`). */
function at(text: string, kind: string, value: string, from = 0): string {
  const start = text.indexOf(value, from);
  assert.ok(start >= 0, `${value} not in ${text}`);
  return `${kind} ${start} ${start + value.length} ${value}`;
}

describe('protected spans, exact (one kind at a time)', () => {
  describe('placeholders', () => {
    it('{x}, {{x}} and ${x}', () => {
      // U s e _ { x } : "{x}" is 4..7; "{{y}}" is 12..17; "${z}" is 23..27.
      assert.deepEqual(spans('Use {x} and {{y}} with ${z}.'), ['placeholder 4 7 {x}', 'placeholder 12 17 {{y}}', 'placeholder 23 27 ${z}']);
    });

    it('%(name)s and a bare %s are placeholders', () => {
      assert.deepEqual(spans('print %s then %(name)s ok'), ['placeholder 6 8 %s', 'placeholder 14 22 %(name)s']);
      assert.deepEqual(spans('a %(x)d b'), ['placeholder 2 7 %(x)d']);
      // The key must start with a letter or underscore.
      assert.deepEqual(spans('a %(1x)d b'), []);
    });

    it('printf conversions with width, precision and *; not after a digit, a letter or %', () => {
      // U s e _ %d(4..6) _or_ %5d(10..13) ,_ %.2f(15..19) _and_ %*d(24..27) ;_ 100(29..32)%d _or_ 50%(38..41)%s .
      const text = 'Use %d or %5d, %.2f and %*d; 100%d or 50%%s.';
      assert.deepEqual(spans(text), ['placeholder 4 6 %d', 'placeholder 10 13 %5d', 'placeholder 15 19 %.2f', 'placeholder 24 27 %*d', 'number 29 32 100', 'number 38 41 50%']);
      assert.deepEqual(spans('x%s y'), []);
      assert.deepEqual(spans('a %+.3e b %#x'), ['placeholder 2 7 %+.3e', 'placeholder 10 13 %#x']);
      // Widths and precisions of two digits: %10d is 2..6, %.25f is 7..12 (10d is no number: d is not a unit).
      assert.deepEqual(spans('a %10d %.25f'), ['placeholder 2 6 %10d', 'placeholder 7 12 %.25f']);
    });

    it('[topic] and <<VAR>> (the inner <VAR> also reads as a tag and VAR as an acronym)', () => {
      assert.deepEqual(spans('Fill [topic] or <<VAR>> now.'), ['placeholder 5 12 [topic]', 'placeholder 16 23 <<VAR>>', 'xmlTag 17 22 <VAR>', 'name 18 21 VAR']);
    });

    it('adjacent placeholders are two spans', () => {
      assert.deepEqual(spans('Fill {a}{b}.'), ['placeholder 5 8 {a}', 'placeholder 8 11 {b}']);
    });

    it('a placeholder never spans a line break', () => {
      assert.deepEqual(spans('Q: {a\nb} and {{c\nd}} and ${e\nf} x'), []);
    });

    it('Jinja tags and comments (also matched by the single-brace placeholder)', () => {
      assert.deepEqual(spans('Say {% if x %}a{# c #} ok'), ['jinja 4 14 {% if x %}', 'placeholder 4 14 {% if x %}', 'jinja 15 22 {# c #}', 'placeholder 15 22 {# c #}']);
      // A Jinja block may span lines; the placeholder pattern may not.
      assert.deepEqual(spans('a {% for x\nin y %} b'), ['jinja 2 18 {% for x\nin y %}']);
    });
  });

  describe('code', () => {
    it('inline code on one line', () => {
      assert.deepEqual(spans('Call `f(a)` now.'), ['inlineCode 5 11 `f(a)`']);
      assert.deepEqual(spans('Call `f\n(a)` now.'), []);
    });

    it('a closed ``` fence, with its info string', () => {
      const text = 'Intro\n```py\nx = 1\n```\nafter';
      assert.deepEqual(spans(text), ['codeBlock 6 21 ```py\nx = 1\n```']);
    });

    it('an unclosed fence runs to the end of the text', () => {
      assert.deepEqual(spans('Intro\n~~~\ncode\nstill'), ['codeBlock 6 20 ~~~\ncode\nstill']);
    });

    it('a fence of the other marker does not close it', () => {
      assert.deepEqual(spans('A\n```\ncode\n~~~\nmore'), ['codeBlock 2 19 ```\ncode\n~~~\nmore']);
    });

    it('up to 64 spaces of indent open a fence (a prompt in indented code keeps the code\'s indentation), 65 do not', () => {
      assert.deepEqual(spans('A\n   ~~~~\nz\n~~~~\nB'), ['codeBlock 2 16    ~~~~\nz\n~~~~']);
      // Four spaces: Markdown's indented code, but in a prompt the fence of a template literal indented with its code
      // (Continue's edit templates: `` ```${lang} `` four columns in); the rewrite guard's atoms read it as a fence too.
      assert.deepEqual(spans('A\n    ```\nx = Foo'), ['codeBlock 2 17     ```\nx = Foo']);
      const deep = `A\n${' '.repeat(64)}` + '```\nx = Foo';
      assert.deepEqual(spans(deep), [`codeBlock 2 77 ${deep.slice(2)}`]);
      const tooDeep = `A\n${' '.repeat(65)}` + '```\nx = Foo';
      assert.deepEqual(spans(tooDeep), [at(tooDeep, 'name', 'Foo')]);
    });

    it('two backticks are not a fence; a tab-indented fence is one (protection errs on the safe side)', () => {
      assert.deepEqual(spans('A\n``\ncode'), []);
      assert.deepEqual(spans('\t```\ncode'), ['codeBlock 0 9 \t```\ncode']);
    });

    it('two fenced blocks are two spans', () => {
      const text = '```\na\n```\nmid\n```\nb\n```';
      assert.deepEqual(spans(text), ['codeBlock 0 9 ```\na\n```', 'codeBlock 14 23 ```\nb\n```']);
    });

    it('nothing inside a code block is analysed further', () => {
      const text = 'See:\n```\nDo not use {x} at https://a.com or 42\n```';
      assert.deepEqual(spans(text), [`codeBlock 5 ${text.length} ${text.slice(5)}`]);
    });
  });

  describe('JSON, XML and YAML blocks', () => {
    it('a JSON object that starts a line and spans lines', () => {
      assert.deepEqual(spans('Data:\n{\n  "a": 1\n}\nEnd'), ['structured 6 18 {\n  "a": 1\n}']);
    });

    it('a brace inside a JSON string does not close the block', () => {
      assert.deepEqual(spans('Text\n{\n "a": "}"\n}\nmore'), ['structured 5 18 {\n "a": "}"\n}']);
      // An escaped quote does not end the string.
      assert.deepEqual(spans('T\n{\n "a": "\\"}"\n}\nz'), ['structured 2 17 {\n "a": "\\"}"\n}']);
    });

    it('a JSON array of values', () => {
      assert.deepEqual(spans('List:\n[\n  1,\n  2\n]\nok'), ['structured 6 18 [\n  1,\n  2\n]']);
      assert.deepEqual(spans('T\n[\n "x]",\n 2\n]\nz'), ['structured 2 15 [\n "x]",\n 2\n]']);
    });

    it('an indented block starts at its bracket', () => {
      assert.deepEqual(spans('Data:\n  {\n    "a": 1\n  }'), ['structured 8 24 {\n    "a": 1\n  }']);
    });

    it('an array of objects, of arrays or of single-quoted strings is data; nested lines are not blocks of their own', () => {
      assert.deepEqual(spans('[\n {\n  "a": 1\n }\n]'), ['structured 0 18 [\n {\n  "a": 1\n }\n]']);
      assert.deepEqual(spans('[\n {\n 1\n }\n]'), ['structured 0 12 [\n {\n 1\n }\n]']);
      assert.deepEqual(spans('[\n [\n 1\n ]\n]'), ['structured 0 12 [\n [\n 1\n ]\n]']);
      assert.deepEqual(spans("[\n 'a',\n 2\n]"), ["structured 0 12 [\n 'a',\n 2\n]"]);
    });

    it('a block inside a code block is only the code block', () => {
      assert.deepEqual(spans('```\n{\n "a": 1\n}\n```'), ['codeBlock 0 19 ```\n{\n "a": 1\n}\n```']);
    });

    it('no constraint or name is looked for inside data', () => {
      assert.deepEqual(spans('Data:\n{\n  "Name": "Never"\n}'), ['structured 6 27 {\n  "Name": "Never"\n}']);
    });

    it('blocks are bounded at 200,000 characters', () => {
      const body = 'a'.repeat(199_990);
      const xml = `Q\n<doc>\n${body}\n</doc>`;
      // close - start = 6 + 199,990 + 1 = 199,997 < 200,000: one block.
      assert.deepEqual(analyzeProtected(xml).spans.map((s) => [s.kind, s.start, s.end]), [['structured', 2, xml.length]]);
      const tooLong = `Q\n<doc>\n${'a'.repeat(200_000)}\n</doc>`;
      assert.deepEqual(analyzeProtected(tooLong).spans.map((s) => [s.kind, s.start, s.end]), [['xmlTag', 2, 7], ['xmlTag', tooLong.length - 6, tooLong.length]]);
      const json = `Q\n{\n "a": "${'b'.repeat(200_000)}"\n}`;
      assert.deepEqual(analyzeProtected(json).spans.filter((s) => s.kind === 'structured'), []);
    });

    it('the block ends at its own closing bracket', () => {
      assert.deepEqual(spans('T\n[\n 1\n]]\nz'), ['structured 2 8 [\n 1\n]']);
    });

    it('a one-line object is a placeholder-shaped span, not a block', () => {
      assert.deepEqual(spans('Text\n{"a": 1}\nmore'), ['placeholder 5 13 {"a": 1}', 'quoted 6 9 "a"', 'number 11 12 1']);
    });

    it('braces around prose (no key: value) are not data', () => {
      const text = 'Text:\n{\n  hello\n}\nok';
      assert.deepEqual(spans(text), []);
    });

    it('an unbalanced brace protects nothing', () => {
      assert.deepEqual(spans('T\n{\n "a": 1\nz'), ['quoted 5 8 "a"', 'number 10 11 1']);
    });

    it('an XML element from its opening line to its closing tag', () => {
      assert.deepEqual(spans('Data:\n<doc>\nhello\n</doc>\nEnd'), ['structured 6 24 <doc>\nhello\n</doc>']);
      const attrs = 'Q\n<doc id="7">\nx\n</doc>';
      assert.deepEqual(spans(attrs), [`structured 2 ${attrs.length} ${attrs.slice(2)}`]);
    });

    it('an XML element whose body is prose is text: its tags and each line that is not prose are protected', () => {
      // The Anthropic style (<IMPORTANT>…</IMPORTANT>): two prose lines, so only the tags are protected.
      const rules = 'Q\n<rules>\nKeep every answer short and plain.\nCite the page for each claim you make.\n</rules>';
      assert.deepEqual(spans(rules), [at(rules, 'xmlTag', '<rules>'), at(rules, 'xmlTag', '</rules>')]);
      // A diff line and a call inside such a section stay protected whole (a compressor would touch their spaces).
      const mixed = 'Q\n<diff_rules>\nShow each change as a unified diff line.\nKeep the context lines that surround it.\nMark what was removed with a minus sign.\n-  return a + b\n</diff_rules>';
      assert.deepEqual(spans(mixed), [at(mixed, 'xmlTag', '<diff_rules>'), at(mixed, 'structured', '-  return a + b'), at(mixed, 'xmlTag', '</diff_rules>')]);
      // Mostly code (fewer than 70 % prose lines, or fewer than two): the whole element, as before.
      const code = 'Q\n<example>\nThe function below adds two numbers.\nfunction add(a, b) {\n  return a + b;\n}\n</example>';
      assert.deepEqual(spans(code), [`structured 2 ${code.length} ${code.slice(2)}`]);
    });

    it('markdown headings and section labels in a tagged element are neither prose nor data (nanobrowser, newuser41)', () => {
      // nanobrowser's navigator prompt is <system_instructions>…</system_instructions> around markdown rules: its
      // headings ("# Input Format") and labels ("3. ELEMENT INTERACTION:", "Example:") counted as data, 66 prose lines
      // of 96 (68.75 %), so the whole prompt was one protected item (compress saved 1 token of 1,661, distill nothing).
      // Here 4 prose lines, 1 data line and 4 heading or label lines: 4 of 5 is prose, 4 of 9 was.
      const text =
        'Q\n<system_instructions>\n# Input\nRead the task and the page before you act.\n## Steps\n- Element interaction:\n' +
        '- Click the element that matches the step.\n- Type the text that the step gives.\nExample:\n[33]<div>User form</div>\n\n' +
        'Keep every answer short and plain.\n</system_instructions>';
      assert.deepEqual(spans(text), [
        at(text, 'xmlTag', '<system_instructions>'),
        at(text, 'structured', '[33]<div>User form</div>'),
        at(text, 'xmlTag', '</system_instructions>'),
      ]);
      // A heading is no prose either: headings and labels alone around a data line leave the element protected whole.
      const data = 'Q\n<example>\n# Input\nExample:\n{"index": 33, "tag": "div"}\n</example>';
      assert.deepEqual(spans(data), [`structured 2 ${data.length} ${data.slice(2)}`]);
    });

    it('prose elements nested in prose elements: each line that is not prose is protected once, not once per enclosing element', () => {
      // Before, the inner element looked at its lines again and pushed "x = 1" a second time (and thousands of nested
      // sections took quadratic time, see docs/prompt-scores.md).
      const nested = 'Q\n<rules>\nKeep every answer plain.\nCite the page for each claim you make.\n<style>\nWrite in the second person.\nUse plain terms in each reply.\nName each file you change.\nx = 1\n</style>\n</rules>';
      assert.deepEqual(spans(nested), [
        at(nested, 'xmlTag', '<rules>'),
        at(nested, 'xmlTag', '<style>'),
        at(nested, 'structured', 'x = 1'),
        at(nested, 'xmlTag', '</style>'),
        at(nested, 'xmlTag', '</rules>'),
      ]);
      // Unclosed tags (no "</note>" anywhere): each is a tag only.
      const unclosed = 'Q\n<note>\nKeep every answer plain.\n<note>\nKeep every answer plain.\n';
      assert.deepEqual(spans(unclosed), [at(unclosed, 'xmlTag', '<note>'), at(unclosed, 'xmlTag', '<note>', 8)]);
    });

    it('an XML element without its closing tag is only a tag', () => {
      assert.deepEqual(spans('Data:\n<doc>\nhello'), ['xmlTag 6 11 <doc>']);
    });

    it('an XML element on one line is only its tags', () => {
      assert.deepEqual(spans('Q\n<b>x</b>'), ['xmlTag 2 5 <b>', 'xmlTag 6 10 </b>']);
    });

    it('two or more key: value lines are YAML data', () => {
      assert.deepEqual(spans('x: 1\ny: two\nrest here'), ['structured 0 11 x: 1\ny: two']);
      // Dotted and dashed keys, a key starting with "_", an empty value and an indented key.
      assert.deepEqual(spans('a.b-c: 1\n_d:\n  e: 2\nrest'), ['structured 0 19 a.b-c: 1\n_d:\n  e: 2']);
      // One line alone is not.
      assert.deepEqual(spans('x: 1\nrest here'), ['number 3 4 1']);
    });

    it('a YAML block inside a code block is not counted twice', () => {
      const text = '```\na: 1\nb: 2\n```';
      assert.deepEqual(spans(text), [`codeBlock 0 ${text.length} ${text}`]);
    });
  });

  describe('URLs and e-mail addresses', () => {
    it('scheme, www. and bare domains; trailing punctuation is not part of the URL', () => {
      const text = 'See https://a.com/x?y=1, www.b.org. and c.io/p!';
      assert.deepEqual(spans(text), ['url 4 23 https://a.com/x?y=1', 'number 22 23 1', 'url 25 34 www.b.org', 'url 40 46 c.io/p']);
    });

    it('ftp URLs, and a URL stops at a closing bracket', () => {
      assert.deepEqual(spans('(ftp://h.net/f)'), ['url 1 14 ftp://h.net/f']);
    });

    it('each URL form stops at whitespace, <, >, quotes, a backtick and closing brackets; trailing ".." goes too', () => {
      for (const url of ['https://a.com/x', 'www.b.org/y', 'c.io/p']) {
        for (const stop of [' ', '<', '>', '"', "'", '`', ')', ']', '}']) {
          const text = `(${url}${stop}z)`;
          assert.deepEqual(analyzeProtected(text).spans.filter((s) => s.kind === 'url').map((s) => `${s.start} ${s.text}`), [`1 ${url}`], JSON.stringify(text));
        }
        assert.deepEqual(analyzeProtected(`See ${url}.. now`).spans.filter((s) => s.kind === 'url').map((s) => s.text), [url]);
      }
    });

    it('an e-mail address (its domain also reads as a URL)', () => {
      const text = 'Mail bob.s+1@mail.example.com now';
      assert.deepEqual(spans(text), ['email 5 29 bob.s+1@mail.example.com', 'number 11 12 1', 'url 13 29 mail.example.com']);
    });
  });

  describe('quotes, tags and numbers', () => {
    it('straight, curly, guillemet and low-high quotes; an apostrophe inside a word is not a quote', () => {
      const text = 'He said "hi there" and \u201cyes\u201d and \u00abnon\u00bb and \u201equa\u201c then \'single\' but don\'t';
      assert.deepEqual(spans(text), ['quoted 8 18 "hi there"', 'quoted 23 28 \u201cyes\u201d', 'quoted 33 38 \u00abnon\u00bb', 'quoted 43 48 \u201equa\u201c', "quoted 54 62 'single'", "constraint 67 72 don't"]);
    });

    it('tags: self-closing, closing and with attributes', () => {
      assert.deepEqual(spans('Line<br/> and </b> or <a href="x">'), ['xmlTag 4 9 <br/>', 'xmlTag 14 18 </b>', 'xmlTag 22 34 <a href="x">', 'quoted 30 33 "x"']);
    });

    it('dashes in e-mail domains, times, fractions and a plus sign', () => {
      const text = 'Write to a-b@x-y.com at 10:30 or 1/2 or +3';
      assert.deepEqual(spans(text), ['email 9 20 a-b@x-y.com', 'url 13 20 x-y.com', 'number 24 29 10:30', 'number 33 36 1/2', 'number 40 42 +3']);
    });

    it('tag names with colons, dashes and dots', () => {
      assert.deepEqual(spans('Use <x:y-z.w> here'), ['xmlTag 4 13 <x:y-z.w>']);
    });

    it('numbers with decimals, units, percent, sign, thousands and dates; none inside a word', () => {
      const text = 'Wait 42, 3.5 s, 10%, -3, 1,000, 2024-01-02, 5ms, v2, x_1, 12abc';
      assert.deepEqual(spans(text), ['number 5 7 42', 'number 9 14 3.5 s', 'number 16 19 10%', 'number 21 23 -3', 'number 25 30 1,000', 'number 32 42 2024-01-02', 'number 44 47 5ms']);
    });
  });

  describe('names', () => {
    it('capitalized words, acronyms and mixed case inside a sentence; multi-word names whole', () => {
      const text = 'We use Python and JavaScript on iPhone with LLM and Maria Silva here';
      assert.deepEqual(spans(text), ['name 7 13 Python', 'name 18 28 JavaScript', 'name 32 38 iPhone', 'name 44 47 LLM', 'name 52 63 Maria Silva']);
    });

    it("a sentence's capitalized first word is not a name, but an acronym or mixed-case word is", () => {
      assert.deepEqual(spans('Python is fine.'), []);
      assert.deepEqual(spans('SQL is fine.'), ['name 0 3 SQL']);
      assert.deepEqual(spans('iPhone is fine.'), ['name 0 6 iPhone']);
      assert.deepEqual(spans('JavaScript is fine.'), ['name 0 10 JavaScript']);
      // A list marker or quote before the first word does not make it a name.
      assert.deepEqual(spans('- Python is fine.'), []);
      assert.deepEqual(spans('1. Python is fine.'), ['number 0 1 1']);
    });

    it("after a label's colon, a word that opens sentences is no name; a name there still is (session 32)", () => {
      // MetaGPT's write_code_review.py: "Language: Please use the same language as the user requirement" (the politeness
      // diagnostic and Compress skipped this Please, read as a name).
      assert.deepEqual(spans('Language: Please use the same language.'), []);
      assert.deepEqual(spans('Note: Please use English.'), ['name 17 24 English']);
      // L a b e l : _ M a r i a _ S i l v a: "Maria Silva" is 7..18.
      assert.deepEqual(spans('Author: Maria Silva wrote it.'), ['name 8 19 Maria Silva']);
      // Not after a colon: a capitalized Please inside a sentence stays a name as before ("the Please button").
      assert.deepEqual(spans('Click the Please button.'), ['name 10 16 Please']);
    });

    it("after a label's colon, an opener that starts a run of capitalized words is a title's first word, kept (break32a)", () => {
      // S o n g : _ P l e a s e _ P l e a s e _ M e: the Beatles album "Please Please Me" is 6..22 (before: "Please Me" only).
      assert.deepEqual(spans('Song: Please Please Me'), ['name 6 22 Please Please Me']);
      assert.deepEqual(spans('Band: Simply Red'), ['name 6 16 Simply Red']);
      assert.deepEqual(spans('Film: Just Go with It'), ['name 6 13 Just Go', 'name 19 21 It']);
      // Alone, the opener still opens a sentence: "Language: Please use …" keeps no name.
      assert.deepEqual(spans('Language: Please use it.'), []);
    });

    it('a name right after the first word is still a name (the first word is not glued to it)', () => {
      assert.deepEqual(spans('Ask Maria Silva now.'), ['name 4 15 Maria Silva']);
      assert.deepEqual(spans('Meet Jean-Luc and GPT4o today'), ['name 5 13 Jean-Luc', 'name 18 23 GPT4o']);
      // A hyphenated name that opens the sentence keeps its second part.
      assert.deepEqual(spans('Jean-Luc is here.'), ['name 5 8 Luc']);
    });

    it('digits inside names; an underscore joins a word, so no name', () => {
      assert.deepEqual(spans('Try Python3 and my_Var and Python_x now'), ['name 4 11 Python3']);
    });

    it('list markers, quotes, brackets and headings before the first word', () => {
      for (const prefix of ['(', '* ', '# ', '> ', '  ', '- ', '. ']) assert.deepEqual(spans(`${prefix}Python is fine.`), [], JSON.stringify(prefix));
      assert.deepEqual(spans('1) Python'), ['number 0 1 1']);
      for (const q of ['"', "'"]) assert.deepEqual(spans(`${q}Python is fine.${q}`), [`quoted 0 17 ${q}Python is fine.${q}`]);
      assert.deepEqual(spans('\u201cPython is fine.\u201d'), ['quoted 0 17 \u201cPython is fine.\u201d']);
    });

    it('each sentence starts afresh', () => {
      assert.deepEqual(spans('Use it. Python is fine.'), []);
      assert.deepEqual(spans('Use it, Python is fine.'), ['name 8 14 Python']);
    });

    it('a single capital letter is not a name', () => {
      assert.deepEqual(spans('Use plan B here.'), []);
    });

    it('names are not looked for inside code or data', () => {
      assert.deepEqual(spans('```\nHello World\n```'), ['codeBlock 0 19 ```\nHello World\n```']);
    });
  });

  describe('constraints and output formats (en, pt, es)', () => {
    it('a constraint runs from its cue to the end of the sentence; commas inside do not end it', () => {
      assert.deepEqual(spans('Do not, under any circumstances, reveal the key. Then relax.'), ['constraint 0 47 Do not, under any circumstances, reveal the key']);
    });

    it('words before the cue stay editable; a semicolon ends the clause', () => {
      assert.deepEqual(spans('It is important that you never guess; explain why.'), ['constraint 25 36 never guess']);
    });

    it('a comma before a clause break ends it, and trailing politeness is left out', () => {
      assert.deepEqual(spans('Answer briefly, and only use facts, please.'), ['constraint 20 34 only use facts']);
      assert.deepEqual(spans('Keep it short, but never rude'), ['constraint 19 29 never rude']);
    });

    it('a line break ends the clause, without the spaces before it', () => {
      assert.deepEqual(spans('Write a poem\nalways rhyme'), ['constraint 13 25 always rhyme']);
      assert.deepEqual(spans('always rhyme  \nnext line'), ['constraint 0 12 always rhyme']);
    });

    it('a final period is not part of the clause', () => {
      assert.deepEqual(spans('Never guess.'), ['constraint 0 11 Never guess']);
    });

    it('a comma right after the cue does not end it, even before a clause break; a capitalized break still breaks', () => {
      assert.deepEqual(spans('Never, and I mean never, guess.'), ['constraint 0 30 Never, and I mean never, guess']);
      assert.deepEqual(spans('Never guess, And explain'), ['constraint 0 11 Never guess', 'name 13 16 And']);
    });

    it('"!" ends the clause; a period not followed by a space does not', () => {
      assert.deepEqual(spans('I must go! Now'), ['constraint 2 9 must go']);
      assert.deepEqual(spans('You must go.No'), ['constraint 4 14 must go.No', 'name 12 14 No']);
    });

    it('Portuguese: "não" with "e" as a clause break and "por favor" left out', () => {
      assert.deepEqual(spans('Responda em português e não use gírias, por favor.'), ['constraint 24 38 não use gírias']);
    });

    it('Spanish: "nunca", "pero" ends the clause; "formato" is an output-format cue', () => {
      assert.deepEqual(spans('Nunca inventes datos, pero explica el formato.'), ['constraint 0 20 Nunca inventes datos', 'outputFormat 38 45 formato']);
    });

    it('format cues: a clause holding a constraint cue too is a constraint', () => {
      assert.deepEqual(spans('Return JSON only'), ['constraint 0 16 Return JSON only', 'name 7 11 JSON']);
      assert.deepEqual(spans('Please reply in JSON format, thanks'), ['outputFormat 16 27 JSON format', 'name 16 20 JSON']);
    });

    it('politenessPrefixLength measures the leading politeness and its punctuation', () => {
      assert.equal(politenessPrefixLength('Please, answer.'), 8);
      assert.equal(politenessPrefixLength('Por favor responda.'), 10);
      assert.equal(politenessPrefixLength('Pleased to help.'), 0);
      // The longest phrase wins ("thanks in advance", not "thanks").
      assert.equal(politenessPrefixLength('Thanks in advance, answer.'), 19);
      assert.equal(politenessPrefixLength('Answer, please.'), 0);
      // Spanish lists "gracias" before "gracias de antemano": the longer phrase still wins ("Gracias de antemano, " is 21).
      assert.equal(politenessPrefixLength('Gracias de antemano, responde.'), 21);
    });
  });

  describe('decisive cases (each one fails when a single pattern or bound changes)', () => {
    it('http:// as well as https://', () => {
      assert.deepEqual(spans('Go http://a.com now'), ['url 3 15 http://a.com']);
    });

    it('a bare domain keeps its whole path', () => {
      assert.deepEqual(spans('Go a.com/ab.'), ['url 3 11 a.com/ab']);
    });

    it('www. with a top-level domain the bare-domain form does not know', () => {
      assert.deepEqual(spans('See www.example.xyz/a now'), ['url 4 21 www.example.xyz/a']);
    });

    it('a single ~ does not open a fence', () => {
      assert.deepEqual(spans('A\n~ x\nB'), []);
    });

    it('a brace in the middle of a line does not start a block', () => {
      // "Config: {\n" is 0..9; the quote "a" is 12..15 and 1 is 17..18.
      assert.deepEqual(spans('Config: {\n  "a": 1\n}'), ['quoted 12 15 "a"', 'number 17 18 1']);
    });

    it('an XML element whose closing tag starts exactly 200,000 characters after it is not a block', () => {
      const text = `<data>\n${'x'.repeat(200_000 - 7)}</data>`;
      assert.deepEqual(analyzeProtected(text).spans.map((s) => [s.kind, s.start, s.end]), [['xmlTag', 0, 6], ['xmlTag', 200_000, 200_007]]);
    });

    it('a bracket scan stops before index start + 200,000', () => {
      const head = '{\n"a":';
      const inside = `${head}${'x'.repeat(200_000 - head.length - 1)}}`;
      assert.deepEqual(analyzeProtected(inside).spans.filter((s) => s.kind === 'structured').map((s) => [s.start, s.end]), [[0, 200_000]]);
      const outside = `${head}${'x'.repeat(200_000 - head.length)}}`;
      assert.deepEqual(analyzeProtected(outside).spans.filter((s) => s.kind === 'structured'), []);
    });

    it('key: value inside braces, with or without a space before the colon', () => {
      assert.deepEqual(spans('T\n{\n  key: 1\n}'), ['structured 2 14 {\n  key: 1\n}']);
      assert.deepEqual(spans('T\n{\n  key : 1\n}'), ['structured 2 15 {\n  key : 1\n}']);
    });

    it('an array is data only when its first item is a number, a string, an object or an array', () => {
      assert.deepEqual(spans('T\n[\n  alpha\n]'), []);
      // "[1]" later in the block does not count: only the first item does.
      assert.deepEqual(spans('T\n[\n  see [1]\n]'), ['placeholder 10 13 [1]', 'number 11 12 1']);
    });

    it('a comma ends a clause only after a word, even a one-letter word', () => {
      // "only" 4..8, " a" → one word seen, ", and" breaks at 10.
      assert.deepEqual(spans('Use only a, and b.'), ['constraint 4 10 only a']);
    });

    it('a period before a digit does not end a clause', () => {
      // "Never" 0..5; the "." at 12 is followed by "5", so the clause runs to the final "." at 20.
      assert.deepEqual(spans('Never use a .5 value.'), ['constraint 0 20 Never use a .5 value', 'number 13 14 5']);
    });

    it('the clause-break word must come first after the comma, with any spaces (or none) before it, within 40 characters', () => {
      // U0 s1 e2 _3 only(4..8) _8 x9 ,10 _11 5(12) _13 and(14..17) _17 y18 .19
      assert.deepEqual(spans('Use only x, 5 and y.'), ['constraint 4 19 only x, 5 and y', 'number 12 13 5']);
      assert.deepEqual(spans('Use only x,  and y.'), ['constraint 4 10 only x']);
      assert.deepEqual(spans('Use only x,and y.'), ['constraint 4 10 only x']);
      const far = `Use only x,${' '.repeat(45)}and y.`;
      assert.deepEqual(spans(far), [`constraint 4 ${far.length - 1} ${far.slice(4, -1)}`]);
    });

    it('trailing politeness is found in any case', () => {
      // "Never" 0..5 up to ", Please" (at 14); "Please" inside the sentence is also a name (16..22).
      assert.deepEqual(spans('Never share it, Please.'), ['constraint 0 14 Never share it', 'name 16 22 Please']);
    });

    it('a cue inside a clause that ended at a comma does not extend it', () => {
      // "Never" 0..5 governs " only" up to the comma at 10 (", and" breaks); "only" (6..10) lies inside it.
      assert.deepEqual(spans('Never only, and x.'), ['constraint 0 10 Never only']);
    });

    it('spans that start together: the longer first', () => {
      // The format cue "output" (4..10) runs to the final "." at 17; the URL output.io is 4..13.
      assert.deepEqual(spans('Use output.io now.'), ['outputFormat 4 17 output.io now', 'url 4 13 output.io']);
    });

    it('YAML lines start at a line start; the last line needs no line break', () => {
      assert.deepEqual(spans('Then say x:\nb: c'), []);
      assert.deepEqual(spans('a: 1\nb: 2'), ['structured 0 9 a: 1\nb: 2']);
    });
  });

  describe('helpers', () => {
    const mk = (start: number, end: number, kind: ProtectedSpan['kind'] = 'number'): ProtectedSpan => ({ start, end, kind, text: 'x'.repeat(end - start) });

    it('spansWithin keeps exactly the spans inside [start, end)', () => {
      const sorted = [mk(0, 2), mk(2, 5), mk(3, 4), mk(5, 9), mk(9, 10)];
      assert.deepEqual(spansWithin(sorted, 2, 9).map((s) => [s.start, s.end]), [[2, 5], [3, 4], [5, 9]]);
      assert.deepEqual(spansWithin(sorted, 3, 9).map((s) => [s.start, s.end]), [[3, 4], [5, 9]]);
      assert.deepEqual(spansWithin(sorted, 2, 8).map((s) => [s.start, s.end]), [[2, 5], [3, 4]]);
      assert.deepEqual(spansWithin(sorted, 1, 2), []);
      assert.deepEqual(spansWithin(sorted, 0, 10).length, 5);
      assert.deepEqual(spansWithin([], 0, 10), []);
    });

    it('isSentenceLevel: only constraint and outputFormat', () => {
      const kinds: Array<ProtectedSpan['kind']> = ['codeBlock', 'inlineCode', 'placeholder', 'jinja', 'structured', 'xmlTag', 'url', 'email', 'number', 'quoted', 'name', 'constraint', 'outputFormat'];
      assert.deepEqual(kinds.filter((k) => isSentenceLevel(mk(0, 1, k))), ['constraint', 'outputFormat']);
    });

    it('protectedItems normalizes whitespace, deduplicates and can leave names out', () => {
      const s = (kind: ProtectedSpan['kind'], text: string): ProtectedSpan => ({ start: 0, end: text.length, kind, text });
      const list = [s('quoted', '"a  \n b"'), s('name', 'Ana'), s('quoted', '"a b"'), s('number', ' 3 '), s('inlineCode', '   ')];
      assert.deepEqual(protectedItems(list), ['"a b"', 'Ana', '3']);
      assert.deepEqual(protectedItems(list, { includeNames: true }), ['"a b"', 'Ana', '3']);
      assert.deepEqual(protectedItems(list, { includeNames: false }), ['"a b"', '3']);
    });

    it('checkRetention: whitespace-normalized containment, first letter may flip case', () => {
      assert.deepEqual(checkRetention(['do not lie', 'X'], 'Do  not\nlie.'), { total: 2, kept: 1, missing: ['X'], ratio: 0.5 });
      assert.deepEqual(checkRetention(['Never guess'], 'and never guess'), { total: 1, kept: 1, missing: [], ratio: 1 });
      // Only the first letter may flip.
      assert.deepEqual(checkRetention(['Never Guess'], 'never guess'), { total: 1, kept: 0, missing: ['Never Guess'], ratio: 0 });
      assert.deepEqual(checkRetention([], ''), { total: 0, kept: 0, missing: [], ratio: 1 });
      assert.deepEqual(checkRetention(['a', 'b', 'c', 'd'], 'a c d'), { total: 4, kept: 3, missing: ['b'], ratio: 0.75 });
    });

    it('analyzeProtected: index merges every span, atomic leaves out the sentence-level ones, units are the sentences', () => {
      const text = 'Use {x} now. Never guess.';
      const a = analyzeProtected(text);
      assert.deepEqual(a.index.all, [{ start: 4, end: 7 }, { start: 13, end: 24 }]);
      assert.deepEqual(a.atomic.all, [{ start: 4, end: 7 }]);
      assert.deepEqual(a.units.map((u) => u.text), ['Use {x} now.', 'Never guess.']);
    });
  });
});

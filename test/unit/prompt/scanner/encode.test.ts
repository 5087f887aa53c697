import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { encodeLiteral, encodeLiteralContent, findPrompts, LiteralEncodeError } from '../../../../src/shared/prompt/scanner';
import type { PromptLocation } from '../../../../src/protocol/scan';
import { pythonParses, splice, typescriptParses } from './helpers';

const NASTY = [
  'plain text',
  'Say "hi" and it\'s fine',
  'back\\slash and \\n literal',
  'line one\nline two\n\nline four',
  'tabs\tand\rreturns',
  'JSON example: {"answer": 42} and {not a placeholder}',
  'ends with a quote"',
  "ends with a quote'",
  'three quotes """ and \'\'\' inside',
  'template `backtick` and ${notLive} and $ alone',
  'unicode: café, 日本語, emoji 🎉, \u2028 separator',
  'control \x01 char',
];

/** Keeps the rewritten literal a prompt by evidence, so the round trip finds it again. */
const PREFIX = 'You are a helpful assistant. ';

/** Rewrites a prompt's content with `text` and returns the new source. */
function rewrite(src: string, p: PromptLocation, text: string): string {
  return splice(src, p.contentRange.start.offset, p.contentRange.end.offset, encodeLiteralContent(text, p.quoting));
}

function only(src: string, languageId: string, fileName?: string): PromptLocation {
  const found = findPrompts(src, languageId, fileName ? { fileName } : {});
  assert.equal(found.length, 1, `expected one prompt in ${JSON.stringify(src)}`);
  return found[0];
}

describe('encodeLiteralContent: round trips', () => {
  const pythonCases: Array<[string, string]> = [
    ['double', 'SYSTEM_PROMPT = "You are a helpful assistant for the docs."\n'],
    ['single', "SYSTEM_PROMPT = 'You are a helpful assistant for the docs.'\n"],
    ['triple', 'SYSTEM_PROMPT = """You are a helpful assistant for the docs."""\n'],
    ['triple single', "SYSTEM_PROMPT = '''You are a helpful assistant for the docs.'''\n"],
  ];
  for (const [name, src] of pythonCases) {
    it(`Python ${name} strings keep every text and still parse`, () => {
      const p = only(src, 'python');
      for (const nasty of NASTY) {
        const text = PREFIX + nasty;
        const next = rewrite(src, p, text);
        assert.ok(pythonParses(next), `does not parse: ${next}`);
        assert.equal(only(next, 'python').text, text, `round trip of ${JSON.stringify(text)} through ${next}`);
      }
    });
  }

  it('Python f-strings keep known interpolations live and double other braces', () => {
    const src = 'PROMPT = f"You are {persona}. Answer {question} in one sentence."\n';
    const p = only(src, 'python');
    const text = 'You are {persona}. Reply as JSON {"a": 1} to {question} and {unknown}.';
    const next = rewrite(src, p, text);
    assert.equal(next, 'PROMPT = f"You are {persona}. Reply as JSON {{\\"a\\": 1}} to {question} and {{unknown}}."\n');
    assert.ok(pythonParses(next));
    const q = only(next, 'python');
    assert.equal(q.text, text);
    assert.deepEqual(q.placeholders.filter((x) => x.interpolated).map((x) => x.name), ['persona', 'question']);
  });

  it('Python raw strings refuse what they cannot hold, and encodeLiteral drops the r prefix', () => {
    const src = 'PROMPT = r"Match \\d+ digits in the user text and explain."\n';
    const p = only(src, 'python');
    assert.equal(p.text, 'Match \\d+ digits in the user text and explain.');
    assert.equal(encodeLiteralContent('a \\w b', p.quoting), 'a \\w b');
    assert.throws(() => encodeLiteralContent('say "x"', p.quoting), LiteralEncodeError);
    const whole = encodeLiteral('say "x"\n', p.quoting);
    assert.equal(whole, '"say \\"x\\"\\n"');
    const next = splice(src, p.range.start.offset, p.range.end.offset, whole);
    assert.ok(pythonParses(next));
  });

  for (const quote of ["'", '"', '`']) {
    it(`TypeScript ${quote} literals keep every text and still parse`, () => {
      const src = `const SYSTEM_PROMPT = ${quote}You are a helpful assistant for the docs.${quote};\n`;
      const p = only(src, 'typescript');
      for (const nasty of NASTY) {
        const text = PREFIX + nasty;
        const next = rewrite(src, p, text);
        assert.ok(typescriptParses(next), `does not parse: ${next}`);
        assert.equal(only(next, 'typescript').text, text, `round trip through ${next}`);
      }
    });
  }

  it('template literals keep known interpolations live and escape new ones', () => {
    const src = 'const prompt = `You are ${persona}. Answer ${question} briefly.`;\n';
    const p = only(src, 'typescript');
    const next = rewrite(src, p, 'Answer ${question} as ${persona}; cost is ${price} `now`.');
    assert.equal(next, 'const prompt = `Answer ${question} as ${persona}; cost is \\${price} \\`now\\`.`;\n');
    assert.equal(only(next, 'typescript').text, 'Answer ${question} as ${persona}; cost is ${price} `now`.');
  });

  it('JSON strings round-trip', () => {
    const src = '{"system_prompt": "You are a helpful assistant for the docs."}';
    const p = only(src, 'json');
    for (const text of NASTY) {
      const next = rewrite(src, p, text);
      assert.deepEqual(JSON.parse(next), { system_prompt: text });
    }
  });

  it('YAML double-quoted, single-quoted and block scalars round-trip', () => {
    const cases = [
      'system_prompt: "You are a helpful assistant for the docs."\n',
      "system_prompt: 'You are a helpful assistant for the docs.'\n",
      'system_prompt: |\n  You are a helpful assistant\n  for the docs.\nother: 1\n',
      'system_prompt: You are a helpful assistant for the docs.\n',
    ];
    for (const src of cases) {
      const p = only(src, 'yaml');
      for (const text of NASTY) {
        let next: string;
        try {
          next = rewrite(src, p, text);
        } catch (error) {
          assert.ok(error instanceof LiteralEncodeError);
          next = splice(src, p.range.start.offset, p.range.end.offset, encodeLiteral(text, p.quoting));
        }
        const doc = parseDocument(next);
        assert.equal(doc.errors.length, 0, `YAML errors in ${next}`);
        const value = doc.get('system_prompt') as string;
        const expected = p.quoting.style === 'yamlBlockLiteral' && !/^[ \t]/.test(text) ? text.replace(/\r\n?/g, '\n').replace(/\n+$/, '') : text;
        assert.equal(p.quoting.style === 'yamlBlockLiteral' ? value.replace(/\n$/, '') : value, expected, `round trip through ${JSON.stringify(next)}`);
      }
    }
  });

  it('Markdown fences refuse their own fence, and encodeLiteral lengthens it', () => {
    const src = '## System prompt\n\n```\nYou are a helpful assistant for the docs.\n```\n';
    const p = only(src, 'markdown');
    assert.throws(() => encodeLiteralContent('a\n```\nb', p.quoting), LiteralEncodeError);
    assert.equal(rewrite(src, p, 'Be brief.\nBe kind.'), '## System prompt\n\n```\nBe brief.\nBe kind.\n```\n');
  });

  it('a quote before an interpolation in a triple-quoted f-string stays as written; one before the closing quotes is escaped (newuser29)', () => {
    // gpt-researcher's MCP research prompt (test/fixtures/hints-real/gptr_prompts.py): compressing one sentence
    // rewrote the untouched line `RESEARCH QUERY: "{query}"` as `RESEARCH QUERY: \\"{query}"`.
    const src = readFileSync(resolve(__dirname, '../../../../../test/fixtures/hints-real/gptr_prompts.py'), 'utf8');
    const p = findPrompts(src, 'python', { fileName: 'gptr_prompts.py' }).find((x) => x.text.startsWith('You are a research assistant with access'));
    assert.ok(p);
    const text = p.text.replace('Please conduct thorough research', 'Conduct thorough research');
    assert.equal(rewrite(src, p, text), src.replace('Please conduct thorough research', 'Conduct thorough research'));
    // The same text ending in `"{question}"` right before the closing quotes: that last quote must be escaped.
    const end = 'PROMPT = f"""You are a helpful assistant. Answer "{question}\\""""\n';
    const q = only(end, 'python');
    const next = rewrite(end, q, 'You are an assistant. Answer "{question}"');
    assert.equal(next, 'PROMPT = f"""You are an assistant. Answer "{question}\\""""\n');
    assert.ok(pythonParses(next));
  });

  it('maps decoded offsets back to source offsets across escapes', async () => {
    const { sourceOffsetOf } = await import('../../../../src/shared/prompt/scanner/index.js');
    const src = 'PROMPT = "You are \\"Bob\\".\\nAnswer briefly and politely."\n';
    const p = only(src, 'python');
    const at = p.text.indexOf('Answer');
    assert.equal(src.slice(sourceOffsetOf(p, at), sourceOffsetOf(p, at) + 6), 'Answer');
    const bob = p.text.indexOf('Bob');
    assert.equal(src.slice(sourceOffsetOf(p, bob), sourceOffsetOf(p, bob) + 3), 'Bob');
  });
});

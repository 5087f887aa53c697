// Perplexica's LangChain prompts before 9ac2da3 (ItzCrazyKns/Perplexica at 55cf888, MIT; test/fixtures/perplexica,
// SOURCES.md), the rest of what a new user saw (newuser32, fixed by nufix32). The oracle is the file read by hand.
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from '../../../../src/engine/cli/framework';
import { scanCommand } from '../../../../src/engine/cli/scanCommand';
import { findPrompts } from '../../../../src/shared/prompt/scanner';
import { count } from '../../../helpers/tiktokenOracle';

const ROOT = resolve(__dirname, '..', '..', '..', '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'perplexica');
const read = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');

/** [first line, last line, kind] of each prompt found, 1-based. */
function found(src: string, fileName: string): Array<[number, number, string]> {
  return findPrompts(src, undefined, { fileName }).map((p) => [p.range.start.line + 1, p.range.end.line + 1, p.kind]);
}

/** The lines `prompt scan` prints for the given fixture files, each copied under its own name (`[fixture, name]`). */
async function scanLines(files: Array<[string, string]>): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'pepperpy-nufix32-'));
  for (const [from, name] of files) copyFileSync(from, join(dir, name));
  let out = '';
  const code = await runCli(['prompt', 'scan', dir], [scanCommand], { stdout: (t) => (out += t), stderr: () => undefined, readStdin: () => Promise.resolve('') });
  assert.equal(code, 0);
  return out.split('\n');
}

describe('Perplexica legacy LangChain prompts (nufix32)', function () {
  this.timeout(60_000);

  it("a message whose whole text is one placeholder has nothing to count: metaSearchAgent.ts:300 ['user', '{query}']", async () => {
    const lines = await scanLines([[join(FIXTURES, 'legacy-metaSearchAgent.ts.txt'), 'metaSearchAgent.ts']]);
    const at = (l: string): string | undefined => lines.find((x) => x.includes(`metaSearchAgent.ts:${l} `));
    // Before: "metaSearchAgent.ts:300  user  ≥0 tokens + runtime values (query) · ≥$0 per call (gpt-5.4) …".
    assert.equal(at('300')?.replace(/^.*metaSearchAgent\.ts:/, ''), '300  user      no text of its own, only runtime values (query) [LangChain] "{query}"');
    // Near miss: the user message at 72-80 has text besides {chat_history} and {query}; it keeps its lower bound.
    assert.match(at('72-80') ?? '', /user +≥20 tokens \+ runtime values \(chat_history, query\) · ≥\$/);
  });

  it('the same in Python LangChain: ("human", "{question}") and ("ai", "{existing_answer}") (langchain refine_prompts.py)', async () => {
    const lines = await scanLines([[join(ROOT, 'test', 'fixtures', 'scan', 'python', 'langchain_refine_prompts.py'), 'refine_prompts.py']]);
    const line = (l: number): string[] => lines.filter((x) => x.includes(`refine_prompts.py:${l} `)).map((x) => x.replace(/^.*refine_prompts\.py:\d+ +/, ''));
    assert.deepEqual(line(36), [
      'user      no text of its own, only runtime values (question) [LangChain] "{question}"',
      'assistant no text of its own, only runtime values (existing_answer) [LangChain] "{existing_answer}"',
    ]);
    assert.deepEqual(line(63), ['user      no text of its own, only runtime values (question) [LangChain] "{question}"']);
    // Near miss: a template with text besides its fields keeps its lower bound.
    assert.ok(lines.some((x) => /refine_prompts\.py:45-50 +template +≥23 tokens \+ runtime values \(context_str, question\) · ≥\$/.test(x)), lines.join('\n'));
  });

  it("every ['user', `…`] / ['assistant', `…`] pair of webSearchRetrieverFewShots is a few-shot turn (webSearch.ts:13-88)", () => {
    // The text of each pair is a template literal; before, only the pairs whose text said "Summarize" (74-87) were found.
    assert.deepEqual(found(read('legacy-webSearch.ts.txt'), 'lib/prompts/webSearch.ts'), [
      [3, 10, 'system'],
      [15, 19, 'fewShot'],
      [23, 25, 'fewShot'],
      [29, 33, 'fewShot'],
      [37, 39, 'fewShot'],
      [43, 47, 'fewShot'],
      [51, 53, 'fewShot'],
      [57, 61, 'fewShot'],
      [65, 70, 'fewShot'],
      [74, 78, 'fewShot'],
      [82, 87, 'fewShot'],
      [91, 137, 'system'],
    ]);
  });

  it('near miss: a pair whose first item is no role is no message', () => {
    const src = [
      'export const labels = [',
      "  ['title', `The search results for your question`],",
      "  ['footer', `Powered by the web search of the app`],",
      '];',
    ].join('\n');
    assert.deepEqual(found(src, 'labels.ts'), []);
  });
  describe('{name} of a prompt exported by a file that imports LangChain is a template field', () => {
    /** The fields (not `${…}`) of the prompt found at `line`. */
    const fieldsAt = (src: string, fileName: string, line: number): string[] =>
      (findPrompts(src, undefined, { fileName }).find((p) => p.range.start.line + 1 === line)?.placeholders ?? []).filter((p) => !p.interpolated).map((p) => p.name);

    it('webSearch.ts:91-137 webSearchResponsePrompt: {systemInstructions}, {context}, {date}, filled by ChatPromptTemplate in metaSearchAgent.ts', async () => {
      // webSearch.ts imports @langchain/core/messages; before, the three were text and the prompt "846 tokens" exact.
      const src = read('legacy-webSearch.ts.txt');
      assert.deepEqual(fieldsAt(src, 'lib/prompts/webSearch.ts', 91), ['systemInstructions', 'context', 'date']);
      // The oracle: the literal as written (without the whitespace at its ends, as every literal is counted), less its
      // three fields, counted with o200k_base (gpt-5.4's encoding). Whole, it is the 846 the user saw.
      const literal = (/webSearchResponsePrompt = `([\s\S]*?)`;/.exec(src)?.[1] ?? '').trim();
      assert.equal(count(literal), 846);
      const fixed = count(literal.replace(/\{(systemInstructions|context|date)\}/g, '').trim());
      const lines = await scanLines([[join(FIXTURES, 'legacy-webSearch.ts.txt'), 'webSearch.ts']]);
      const line = lines.find((l) => l.includes('webSearch.ts:91-137 '));
      assert.ok(line?.includes(`system      ≥${fixed} tokens + runtime values (systemInstructions, context, date) · ≥$`), line);
    });

    it('writingAssistant.ts has the same fields and imports nothing: a module of prompts, its fields filled where it is imported', () => {
      // Its prompt reaches ChatPromptTemplate through prompts/index.ts and search/index.ts. Until newuser35 (open-canvas's
      // prompts.ts files, filled by `.replace` in the files that import them) a file that imported nothing said nothing,
      // and the fields were counted as text.
      assert.deepEqual(fieldsAt(read('legacy-writingAssistant.ts.txt'), 'lib/prompts/writingAssistant.ts', 1), ['systemInstructions', 'context']);
    });

    it('near miss: a JSON example with single braces says the text is no LangChain template (it would not parse)', () => {
      const src = [
        "import { ChatPromptTemplate } from '@langchain/core/prompts';",
        '',
        'export const answerPrompt = `You are a helpful assistant. Answer from the context below and reply as JSON like {"answer": "your answer"}.',
        '<context>',
        '{context}',
        '</context>`;',
      ].join('\n');
      assert.deepEqual(fieldsAt(src, 'answer.ts', 3), []);
      // Doubled, the example is LangChain's escape and {context} is a field; a prompt the file does not export is left as it was.
      assert.deepEqual(fieldsAt(src.replace('{"answer": "your answer"}', '{{"answer": "your answer"}}'), 'answer.ts', 3), ['context']);
      assert.deepEqual(fieldsAt(src.replace('{"answer": "your answer"}', 'a short answer').replace('export const', 'const'), 'answer.ts', 3), []);
    });

    it('Python LangChain: a plain string is a str.format template already ({context} a field)', () => {
      const src = ['from langchain_core.prompts import ChatPromptTemplate', '', 'WRITER_PROMPT = """You are a writing assistant. Answer the question from the context below.', '', '<context>', '{context}', '</context>', '"""'].join('\n');
      assert.deepEqual(fieldsAt(src, 'writer.py', 3), ['context']);
    });
  });
});

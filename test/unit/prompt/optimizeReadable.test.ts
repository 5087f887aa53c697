// Local Optimize on real prompts (test/fixtures/prompts: f/awesome-chatgpt-prompts and
// microsoft/generative-ai-for-beginners; test/fixtures/scan: prompt literals of open-source
// apps): nothing but the compressor's own edits changes the wording, sentences inside a
// paragraph never move, examples stay with their labels, and a target that finds nothing safe
// to do says so. The expected texts are derived from the compressor's output (its own tests
// pin it) plus the structure written out by hand.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { corpusPrompts } from '../../../bench/diagnostics';
import { PromptCompressor } from '../../../src/engine/prompt/compressor';
import { PromptOptimizer } from '../../../src/engine/prompt/optimizer';
import { findPrompts } from '../../../src/shared/prompt/scanner';
import { words } from '../../../src/shared/prompt/text';
import { loadCorpus } from '../../fixtures/prompts/corpus';

const optimizer = new PromptOptimizer();
const compressor = new PromptCompressor();
const corpus = loadCorpus();
const real = (id: string) => {
  const p = corpus.find((x) => x.id === id);
  assert.ok(p, `${id} is in the corpus`);
  return p.text;
};
const literal = (source: string) => {
  const p = corpusPrompts().find((x) => x.source === source);
  assert.ok(p, `${source} is in the scan corpus`);
  return p.text;
};
const medium = (text: string) => compressor.compress(text, { level: 'medium' }).text;
/** Words the optimizer adds itself: section headings and input tags. */
const ADDED = /^(?:##? ?)?(?:Role|Task|Examples|Input|Papel|Tarefa|Exemplos|Entrada|Rol|Tarea|Ejemplos)(?::)?$|^<\/?input>$/;
const wordsOf = (text: string) => words(text.split('\n').filter((line) => !ADDED.test(line.trim())).join('\n'));

describe('local Optimize that reads well (real prompts)', () => {
  it('efficiency keeps the articles and the order of one paragraph (Linux Terminal): the text is the compressed text, nothing moved', () => {
    const text = real('acp:Linux Terminal');
    const result = optimizer.optimize(text, { target: 'efficiency' });
    assert.equal(result.text, medium(text));
    assert.ok(result.text.startsWith('Act as a linux terminal. '), result.text);
    assert.ok(result.text.endsWith('my first command is pwd'), result.text);
    assert.equal(result.declined, undefined);
  });

  it('quality splits role, task and input in their own order (Stand-up Comedian), each part verbatim', () => {
    const text = real('acp:Stand-up Comedian');
    const c = medium(text);
    const roleEnd = c.indexOf('. ') + 1;
    const inputStart = c.indexOf('My first request is');
    const result = optimizer.optimize(text, { target: 'quality' });
    assert.equal(result.text, `## Role\n${c.slice(0, roleEnd)}\n\n## Task\n${c.slice(roleEnd + 1, inputStart - 1)}\n\n## Input\n<input>\n${c.slice(inputStart)}\n</input>`);
    assert.deepEqual(result.sections.map((s) => s.name), ['role', 'task', 'input']);
  });

  it('keeps the lines of a template: placeholders are not merged onto one line (generative-ai-for-beginners insurance template)', () => {
    const text = real('gai:template-insurance');
    for (const target of ['efficiency', 'balanced'] as const) {
      const result = optimizer.optimize(text, { target });
      assert.deepEqual(result.text.split('\n').slice(0, 3), ['{{company}}: {{company_name}}', '{{products}}:', '{{products_list}}'], target);
      assert.ok(result.text.includes('requirements:\nBudget: {{budget}}\nRequirements: {{requirements}}'), result.text);
    }
  });

  it('keeps a price list and the request that follows it in place (insurance, filled in)', () => {
    const text = real('gai:insurance-filled');
    const list = text.slice(text.indexOf('Insurance products'), text.indexOf('\n\n'));
    for (const target of ['efficiency', 'balanced', 'quality'] as const) {
      const result = optimizer.optimize(text, { target });
      assert.ok(result.text.includes(list), `${target}: the list is whole`);
      assert.ok(result.text.endsWith('requirements:\nBudget: $1000 restrict choice to types: Car, Home'), `${target}: ${result.text}`);
    }
  });

  it('examples stay right after their label (Vercel ai-chatbot prompts)', () => {
    const snippets = literal('scan:ts/ai_chatbot_prompts.ts:79');
    const titles = literal('scan:ts/ai_chatbot_prompts.ts:126');
    for (const target of ['efficiency', 'balanced', 'quality'] as const) {
      const a = optimizer.optimize(snippets, { target }).text;
      assert.match(a, /Examples of good snippets:\n\n# Calculate factorial iteratively\n/, target);
      assert.ok(a.indexOf('Examples of good snippets:') < a.indexOf('print(f"Factorial of 5 is: {factorial(5)}")'), `${target}: the example's last line stays after its label`);
      const b = optimizer.optimize(titles, { target }).text;
      assert.ok(b.includes('Examples:\n- "what\'s the weather in nyc" → Weather in NYC\n- "help me write an essay about space" → Space Essay Help'), `${target}: ${b}`);
      assert.ok(b.indexOf('Examples:') < b.indexOf('Bad outputs (never do this):'), target);
    }
  });

  it('the nested-ternary prompt of the issue (anthropic-quickstarts) keeps its two examples under one heading', () => {
    const text = literal('scan:ts/aq_customer_support_route.ts:135');
    const result = optimizer.optimize(text, { target: 'quality' });
    const examples = result.text.indexOf('## Examples');
    assert.ok(examples > 0, result.text);
    assert.ok(result.text.indexOf('Here are a few examples') > examples, 'the introduction moves with its examples');
    assert.ok(result.text.indexOf('Example of a response without redirection') > examples);
    assert.ok(result.text.includes('${isRagWorking? `${retrievedContext}`: "No information found for this query."}') || result.text.includes('${isRagWorking ? `${retrievedContext}` : "No information found for this query."}'));
  });

  it('an indented block keeps its indentation (gpt-researcher generate_subtopic_report_prompt, newuser29)', () => {
    // test/fixtures/hints-real/gptr_prompts.py: the example under "### Section Header" came out with the header indented
    // and its text not ("This is a sample text", "While the previous section discussed…" lost their four spaces).
    const source = readFileSync(resolve(__dirname, '../../../../test/fixtures/hints-real/gptr_prompts.py'), 'utf8');
    const prompt = findPrompts(source, 'python', { fileName: 'gptr_prompts.py' }).find((p) => p.text.startsWith('\nContext:'));
    assert.ok(prompt);
    const indented = prompt.text.split('\n').filter((line) => /^ {4}\S/.test(line));
    assert.deepEqual(indented, ['    {existing_headers}', '    {relevant_written_contents}', '    ### Section Header', '    This is a sample text ([in-text citation](url)).', '    ### New header (similar to existing header)', '    While the previous section discussed [topic A], this section will explore [topic B]."']);
    for (const target of ['balanced', 'quality', 'efficiency'] as const) {
      const out = optimizer.optimize(prompt.text, { target }).text.split('\n');
      for (const line of indented) assert.ok(out.includes(medium(line)) || out.includes(line), `${target}: ${JSON.stringify(line)} lost its place or indentation:\n${out.join('\n')}`);
    }
  });

  it('a list of examples with the same labels stays under Examples, none under Input (gpt-researcher auto_agent_instructions, newuser29)', () => {
    // test/fixtures/hints-real/gptr_prompts.py: "examples:" then three `task: … response: {…}` examples with no blank line;
    // the second and third came out under "Input:", as if they were the text to work on.
    const source = readFileSync(resolve(__dirname, '../../../../test/fixtures/hints-real/gptr_prompts.py'), 'utf8');
    const prompt = findPrompts(source, 'python', { fileName: 'gptr_prompts.py' }).find((p) => p.text.startsWith('\nThis task involves researching'));
    assert.ok(prompt);
    assert.equal(prompt.text.match(/^task: /gm)?.length, 3);
    for (const target of ['balanced', 'quality'] as const) {
      const out: string = optimizer.optimize(prompt.text, { target }).text;
      assert.doesNotMatch(out, /^(?:## )?Input:?$/m, `${target}:\n${out}`);
      assert.equal(out.match(/^task: /gm)?.length, 3, `${target}:\n${out}`);
    }
  });

  it('says so when it cannot improve a prompt safely, and returns it unchanged', () => {
    const text = real('gai:pt-geografia');
    const result = optimizer.optimize(text, { target: 'quality' });
    assert.equal(result.text, text);
    assert.equal(result.declined, 'No safe improvement for quality: found no change toward clearer structure that keeps the wording and order intact. The prompt is returned unchanged.');
    assert.ok(result.changes.includes(result.declined));
  });

  it('on every real prompt and target: no word dropped or added beyond the compressor, and no word moved unless a whole block was', () => {
    let checked = 0;
    let reordered = 0;
    for (const p of corpusPrompts()) {
      const expected = wordsOf(medium(p.text));
      for (const target of ['efficiency', 'balanced', 'quality'] as const) {
        const result = optimizer.optimize(p.text, { target });
        const got = wordsOf(result.text);
        if (result.changes.some((c) => c.startsWith('Reordered'))) {
          reordered++;
          assert.deepEqual([...got].sort(), [...expected].sort(), `${p.source} (${target})`);
        } else if (result.declined === undefined) {
          assert.deepEqual(got, expected, `${p.source} (${target})`);
        } else {
          assert.equal(result.text, p.text);
        }
        checked++;
      }
    }
    process.stdout.write(`      ${checked} optimizations of real prompts checked word by word (${reordered} with whole blocks moved)\n`);
    assert.ok(checked >= 3 * 130);
  });
});

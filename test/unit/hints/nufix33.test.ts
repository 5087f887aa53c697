// Fixes of what newuser33 left as found on khoj-ai/khoj (ae229ca8, AGPL-3.0). The app's code is not copied here: each
// case is a minimal equivalent written for this test, with the same shape (test/fixtures/hints-real/SOURCES.md,
// "nufix33"). Oracles: the title a reader would write by hand, and CPython's value of the literal as the code sends it,
// counted with js-tiktoken's o200k_base.
import * as assert from 'node:assert/strict';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { PromptHintService } from '../../../src/shared/hints/hints';
import { onlyRuntimeValues } from '../../../src/protocol/format';
import { count } from '../../helpers/tiktokenOracle';

describe('hints: nufix33 (newuser33 on khoj, part 2)', function () {
  this.timeout(60_000);
  const service = new PromptHintService(() => PriceCatalog.bundled());
  const hints = async (lines: string[], languageId = 'python') =>
    (await service.compute({ text: lines.join('\n'), languageId, fileName: languageId === 'python' ? 'prompts.py' : 'prompts.ts', defaultModel: 'gpt-5.4', compareModels: [], callsPerDay: 1000, withSuggestions: false })).prompts;

  // khoj prompts.py holds 43 `name = PromptTemplate.from_template("""…""".strip())`: the Analyze picker listed them as
  // "template prompt · line N", the panel title read "template prompt in prompts.py:206", `prompt scan` printed no name.
  describe('a LangChain template is named by the variable it is bound to', () => {
    it('from_template, with and without .strip(), PromptTemplate(template=…), a message template, LangChain.js fromTemplate', async () => {
      const py = await hints([
        'from langchain_core.prompts import PromptTemplate, SystemMessagePromptTemplate',
        '',
        'diagram_request = PromptTemplate.from_template(',
        '    """',
        'Draw a diagram of the process the user describes, with one box per step.',
        'Request: {query}',
        '""".strip()',
        ')',
        '',
        'recap = PromptTemplate.from_template("Write a two-line recap of this conversation for the user: {history}")',
        '',
        'grader = PromptTemplate(input_variables=["answer"], template="Grade the following answer from 1 to 5 and say why: {answer}")',
        '',
        'def build():',
        '    persona = SystemMessagePromptTemplate.from_template("You are a patient tutor who explains each step of a proof.")',
        '    return persona',
        '',
      ]);
      assert.deepEqual(
        py.map((p) => p.title),
        ['template prompt `diagram_request`', 'template prompt `recap`', 'template prompt `grader`', 'system prompt `persona`'],
      );
      const ts = await hints(['import { PromptTemplate } from "@langchain/core/prompts";', '', 'export const summaryRequest = PromptTemplate.fromTemplate(`Summarize the text below in three bullet points for a busy reader.\n\n{text}`);', ''], 'typescript');
      assert.deepEqual(
        ts.map((p) => p.title),
        ['template prompt `summaryRequest`'],
      );
    });

    it('near misses: a message of from_messages, a template passed on to another call keep no variable name', async () => {
      const prompts = await hints([
        'from langchain_core.prompts import ChatPromptTemplate, PromptTemplate',
        '',
        'chat = ChatPromptTemplate.from_messages([("system", "You are a patient tutor who explains each step of a proof.")])',
        '',
        'wrapped = register(PromptTemplate.from_template("Write a two-line recap of this conversation for the user: {history}"))',
        '',
        'answer = PromptTemplate(input_variables=["question"], template="Answer the question in one short paragraph: {question}")',
        '',
      ]);
      const titled = prompts.map((p) => [p.location.text.slice(0, 20), p.title]);
      assert.deepEqual(titled, [
        ['You are a patient tu', 'system prompt'],
        ['Write a two-line rec', 'template prompt'],
        ['Answer the question ', 'template prompt `answer`'],
      ]);
    });
  });

  // khoj conversation/utils.py:773 sends `ChatMessage(content=f"{prompts.generated_assets_context.format(…)}\n", role="user")`:
  // its lens read "≥1 token + runtime values" (the newline), while the same message without `\n` had none.
  describe('whitespace around runtime values is no text of its own', () => {
    const message = (content: string) => [
      'from langchain_core.messages import ChatMessage',
      'import prompts',
      '',
      '',
      'def assets_message(assets):',
      `    return ChatMessage(content=${content}, role="user")`,
      '',
    ];
    const shown = (p: { cost: { tokens: { count: number } }; runtimeValues: string[] }) => (onlyRuntimeValues(p.cost.tokens.count, p.runtimeValues) ? 'no lens' : `${p.cost.tokens.count} + ${p.runtimeValues.join(', ')}`);

    it('a newline (or spaces and a tab) after the value: no lens, as without it', async () => {
      for (const content of ['f"{prompts.assets_context.format(assets=assets)}\\n"', 'f"{prompts.assets_context.format(assets=assets)}"', 'f"\\n  {prompts.assets_context.format(assets=assets)} \\t"']) {
        const prompts = await hints(message(content));
        assert.deepEqual(prompts.map(shown), ['no lens'], content);
      }
    });

    it('near miss: a word beside the value is text, counted with its newline', async () => {
      const prompts = await hints(message('f"{prompts.assets_context.format(assets=assets)}\\nThanks."'));
      assert.deepEqual(prompts.map(shown), [`${count('\nThanks.')} + prompts.assets_context.format(assets=assets)`]);
    });
  });

  // khoj prompts.py `personality = PromptTemplate.from_template("""\n    You are Khoj…\n    """.strip())`: the lens counted the
  // literal as written (≥308), its first newline and the last line's indentation included; CPython sends 307.
  describe('a stripped literal is counted as the code sends it', () => {
    const tokens = async (lines: string[], languageId = 'python') => (await hints(lines, languageId)).map((p) => p.cost.tokens.count);

    it('.strip() on a template, a bare constant, an f-string, textwrap.dedent(…), and a TypeScript .trim()', async () => {
      const counts = await tokens([
        'import textwrap',
        'from langchain_core.prompts import PromptTemplate',
        '',
        'persona = PromptTemplate.from_template(',
        '    """',
        '    You are Ada, a patient tutor. Explain every step of a proof before the next one.',
        '    Today is {current_date}.',
        '    """.strip()',
        ')',
        '',
        'SANDBOX_NOTE_PROMPT = """',
        '- The sandbox has only the standard library and numpy. Network access is off.',
        '""".strip()',
        '',
        'def answer_prompt(name):',
        '    return f"""',
        '      {name}, answer the question below in two sentences and cite one source.',
        '    """.strip()',
        '',
        'REVIEW_PROMPT = textwrap.dedent("""',
        '    Review the diff below for bugs.',
        '      Report each bug with its line number.',
        '    """).strip()',
        '',
      ]);
      // CPython's values (fields empty): str.strip() takes the first newline and the last line's indent, not the inner lines'.
      assert.deepEqual(counts, [
        count('You are Ada, a patient tutor. Explain every step of a proof before the next one.\n    Today is .'),
        count('- The sandbox has only the standard library and numpy. Network access is off.'),
        count(', answer the question below in two sentences and cite one source.'),
        count('Review the diff below for bugs.\n  Report each bug with its line number.'),
      ]);
      const ts = await tokens(['import OpenAI from "openai";', '', 'export const SYSTEM_PROMPT = `', '  You are a careful code reviewer. Point out every bug you find.', '`.trim();', ''], 'typescript');
      assert.deepEqual(ts, [count('You are a careful code reviewer. Point out every bug you find.')]);
    });

    it('near misses: rstrip keeps the first newline, no strip keeps both ends, strip("-") takes no whitespace', async () => {
      const counts = await tokens([
        'SANDBOX_NOTE_PROMPT = """',
        '- The sandbox has only the standard library and numpy. Network access is off.',
        '""".rstrip()',
        '',
        'PLAIN_NOTE_PROMPT = """',
        '- The sandbox has only the standard library and numpy. Network access is off.',
        '"""',
        '',
        'DASH_NOTE_PROMPT = """',
        '- The sandbox has only the standard library and numpy. Network access is off.',
        '""".strip("-")',
        '',
      ]);
      // (CPython: `.strip("-")` of a text that begins and ends with a newline returns it whole.)
      const text = '- The sandbox has only the standard library and numpy. Network access is off.';
      assert.deepEqual(counts, [count(`\n${text}`), count(`\n${text}\n`), count(`\n${text}\n`)]);
    });
  });
});

// Runtime values and composed prompts counted right on real MetaGPT code (issue 12, item 5/6; session 32).
// Sources: test/fixtures/hints-real/SOURCES.md (MetaGPT at ba28689, MIT). The oracles: CPython's own reading of
// each literal (`DIRECTORY_PROMPT.format(topic="", language="")` run on the fixture; `ast.parse` for the class
// attributes, with every replaced marker removed) and js-tiktoken's o200k_base encoder. The counts below were
// computed that way; the texts the test can restate by hand are counted in the test with js-tiktoken.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { PromptHintService } from '../../../src/shared/hints/hints';
import { promptSpan } from '../../../src/protocol/scan';
import { count } from '../../helpers/tiktokenOracle';

const root = path.resolve(__dirname, '../../../..');
const fixture = (rel: string): string => readFileSync(path.join(root, 'test/fixtures/hints-real', rel), 'utf8');

describe('runtime values on real MetaGPT code (vals32)', function () {
  this.timeout(60_000);
  const service = new PromptHintService(() => PriceCatalog.bundled());
  const compute = (text: string, fileName = 'case.py') => service.compute({ text, languageId: fileName.endsWith('.ts') ? 'typescript' : 'python', fileName, defaultModel: 'gpt-4o', compareModels: [], callsPerDay: 1000, withSuggestions: false });
  const at = async (text: string, line: number) => {
    const result = await compute(text);
    const prompt = result.prompts.find((p) => p.location.range.start.line + 1 === line);
    assert.ok(prompt, `a prompt at line ${line}`);
    return prompt;
  };

  describe('a module constant at the head of a `+` chain is text of the chain', () => {
    const source = fixture('metagpt_tutorial_assistant_prompts.py');

    it('tutorial_assistant.py DIRECTORY_PROMPT = COMMON_PROMPT + """…""": 162 tokens with COMMON_PROMPT\'s 29, `topic` and `language` as runtime values', async () => {
      const prompt = await at(source, 17);
      assert.equal(prompt.location.boundName, 'DIRECTORY_PROMPT');
      // CPython: DIRECTORY_PROMPT.format(topic="", language="") is 162 tokens; COMMON_PROMPT.format(topic="") 29.
      assert.equal(prompt.cost.tokens.count, 162);
      assert.deepEqual(prompt.runtimeValues, ['topic', 'language']);
      assert.deepEqual(
        prompt.pieces?.map((p) => [p.range.start.line + 1, p.tokens, p.fills, p.shared]),
        [
          [10, 29, 'COMMON_PROMPT', true],
          [17, 134, undefined, undefined],
        ],
      );
      // The lens stays on the chain's own literal (line 17), not on the constant's (line 10), which has a lens of its own.
      assert.equal(promptSpan(prompt.location).start.line + 1, 17);
      const common = await at(source, 10);
      assert.equal(common.location.boundName, 'COMMON_PROMPT');
      assert.equal(common.cost.tokens.count, 29);
    });

    it('CONTENT_PROMPT, the second chain on the same constant: 175 tokens, `topic` named once', async () => {
      const prompt = await at(source, 29);
      assert.equal(prompt.cost.tokens.count, 175);
      assert.deepEqual(prompt.runtimeValues, ['topic', 'directory', 'language']);
    });

    it('near miss: a constant assigned twice, or changed with `+=`, or a parameter at the head, stays a runtime value', async () => {
      const literal = '"""\nPlease provide the table of contents for this tutorial, one line per chapter, in {language}.\n"""';
      const expected = count('\nPlease provide the table of contents for this tutorial, one line per chapter, in .\n');
      for (const text of [
        source.replace('DIRECTORY_PROMPT = (', 'COMMON_PROMPT = "You write tutorials."\nDIRECTORY_PROMPT = ('),
        source.replace('DIRECTORY_PROMPT = (', 'def tweak():\n    global COMMON_PROMPT\n    COMMON_PROMPT = ""\n\n\nDIRECTORY_PROMPT = ('),
      ]) {
        const prompt = (await compute(text)).prompts.find((p) => p.location.boundName === 'DIRECTORY_PROMPT');
        assert.ok(prompt);
        assert.equal(prompt.pieces, undefined);
        assert.equal(prompt.cost.tokens.count, 134);
        assert.deepEqual(prompt.runtimeValues, ['COMMON_PROMPT', 'language']);
      }
      const param = `def directory(common):\n    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": common + ${literal}}])\n`;
      const prompt = await at(`from openai import OpenAI\nclient = OpenAI()\n\n${param}`, 5);
      assert.equal(prompt.cost.tokens.count, expected);
      assert.deepEqual(prompt.runtimeValues, ['common', 'language']);
    });
  });

  describe('markers a template is filled with by `str.replace`', () => {
    const source = fixture('metagpt_werewolf_common_actions.py');

    it('werewolf common_actions.py:25 Speak.PROMPT_TEMPLATE: 451 tokens (not 476 "exact"), the seven replaced markers named', async () => {
      const prompt = await at(source, 25);
      // ast.parse: the attribute's text with every replaced marker removed is 451 tokens.
      assert.equal(prompt.cost.tokens.count, 451);
      assert.deepEqual(prompt.runtimeValues, ['__profile__', '__context__', '__reflection__', '__strategy__', '__experiences__', '__latest_instruction__', '__name__']);
      // NighttimeWhispers (line 121, filled key by key) and Reflect (line 199) the same way.
      assert.equal((await at(source, 121)).cost.tokens.count, 404);
      assert.deepEqual((await at(source, 121)).runtimeValues, ['__profile__', '__context__', '__action__', '__reflection__', '__strategy__', '__experiences__', '__name__']);
      assert.equal((await at(source, 199)).cost.tokens.count, 533);
    });

    it('near miss: a marker removed with "" or never replaced, and a plain word or "\\n" replaced, are text', async () => {
      const text = [
        'from openai import OpenAI',
        '',
        'SYSTEM_PROMPT = """You are __profile__, a careful reviewer of Python code. Answer in json, with __notes__ kept.',
        'Use one line per finding and name the file and the line of each."""',
        '',
        '',
        'def review(client: OpenAI, profile, rsp):',
        '    rsp = rsp.replace("\\n", " ").replace("json", "").replace("__notes__", "")',
        '    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": SYSTEM_PROMPT.replace("__profile__", profile)}])',
        '',
      ].join('\n');
      const prompt = await at(text, 3);
      assert.equal(prompt.cost.tokens.count, count('You are , a careful reviewer of Python code. Answer in json, with __notes__ kept.\nUse one line per finding and name the file and the line of each.'));
      assert.deepEqual(prompt.runtimeValues, ['__profile__']);
      const unfilled = await at(text.replace('SYSTEM_PROMPT.replace("__profile__", profile)', 'SYSTEM_PROMPT'), 3);
      assert.deepEqual(unfilled.runtimeValues, []);
      assert.equal(unfilled.cost.tokens.count, count('You are __profile__, a careful reviewer of Python code. Answer in json, with __notes__ kept.\nUse one line per finding and name the file and the line of each.'));
    });
  });

  describe('`{{ }}` in an example of code that nothing renders', () => {
    const source = fixture('metagpt_write_code_an_draft.py');

    it('write_code_an_draft.py:97 CODE_REVIEW_CONTEXT: the Vue mustaches are text; 2285 tokens, no runtime values', async () => {
      const prompt = await at(source, 97);
      assert.equal(prompt.location.boundName, 'CODE_REVIEW_CONTEXT');
      assert.match(prompt.location.text, /<div>\{\{ score \}\}<\/div>[\s\S]*\{\{ cell !== 0 \? cell : '' \}\}/);
      // ast.parse: the literal's whole text is 2285 tokens.
      assert.equal(prompt.cost.tokens.count, 2285);
      assert.deepEqual(prompt.runtimeValues, []);
      assert.deepEqual(prompt.location.placeholders, []);
    });

    it('near miss: the same literal rendered with jinja2, or with few single braces, keeps its tags as runtime values', async () => {
      const rendered = `from jinja2 import Template\n${source}\nTemplate(CODE_REVIEW_CONTEXT).render(score=1)\n`;
      assert.deepEqual((await at(rendered, 98)).runtimeValues, ['score', 'bestScore', "cell !== 0 ? cell : ''"]);
      const few = 'from openai import OpenAI\n\nclient = OpenAI()\nclient.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": "You greet {{ name }} by name in one short sentence, then ask about {{ topic }} and wait."}])\n';
      const prompt = await at(few, 4);
      assert.deepEqual(prompt.runtimeValues, ['name', 'topic']);
    });
  });

  describe('`prompt += …` named by what it appends', () => {
    it('talk_action.py:35: each append as written, not "prompt += …"', async () => {
      // (As written, the prompt is one composed prompt since comp32 (composed32.test.ts). Kept in a history as well
      // as returned, it is used twice: read as before, the appends named as runtime values of the first literal.)
      const prompt = await at(fixture('metagpt_talk_action.py').replace('logger.debug(f"PROMPT: {prompt}")', 'self.history.append(prompt)'), 35);
      assert.deepEqual(prompt.runtimeValues, [
        'self.agent_description',
        'prompt += f"Knowledge:\\n{self.knowledge}\\n\\n" if self.knowledge els…',
        'self.history_summary' /* session 36: an append that only joins a value is named by it */,
        // (Cut to 57 characters and an ellipsis; the parentheses that only wrap the lines are left out.)
        'prompt += "If the information is insufficient, you can search in th…',
        'prompt += f"Answer the following questions strictly in {language}, …',
      ]);
    });

    it('near miss: an append to another variable is not listed', async () => {
      const text = 'from openai import OpenAI\n\n\ndef ask(client: OpenAI, q):\n    prompt = "You are a careful assistant. Answer the question below in one sentence."\n    log = ""\n    log += q\n    return client.responses.create(model="gpt-4o", instructions=prompt, input=q)\n';
      const prompt = await at(text, 5);
      assert.deepEqual(prompt.runtimeValues, []);
    });
  });

  describe('break31b leftovers: module lists changed anywhere, and `%` templates', () => {
    const rules = ['const RULES = [', '  "Your response should be a code block containing a rewritten version of the file.",', '  "Leave existing comments in place unless changes require modifying them.",', '];', ''];
    const ask = [
      'export async function ask(code: string) {',
      '  const userContent = `Apply the NEW CODE to the ORIGINAL CODE and show the entire file after it is applied.',
      '- ${RULES.join("\\n- ")}',
      '${code}`;',
      '  return client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: userContent }] });',
      '}',
      '',
    ];
    const head = ['import OpenAI from "openai";', 'const client = new OpenAI();', ''];
    const file = (...parts: string[][]): string => [...head, ...parts.flat()].join('\n');
    const lists = async (text: string) => (await compute(text, 'case.ts')).prompts.filter((p) => p.location.boundName === 'RULES').map((p) => [p.location.range.start.line + 1, p.cost.tokens.count]);
    // The two rules joined with "\n" (the list's own separator is the join's, here "\n- ").
    const joined = count('Your response should be a code block containing a rewritten version of the file.\n- Leave existing comments in place unless changes require modifying them.');

    it('a module list joined once, in a function written above it, is one composed prompt (it was not seen)', async () => {
      assert.equal(joined, 27);
      // (The lens stands on the first rule: line 5, or line 12 below the function.)
      assert.deepEqual(await lists(file(rules, ask)), [[5, 27]]);
      assert.deepEqual(await lists(file(ask, rules)), [[12, 27]]);
    });

    it('cleared (`RULES.length = 0`), pushed to through an alias, or pushed to in a function above it: not one constant prompt', async () => {
      for (const change of [['export function reset() {', '  RULES.length = 0;', '}', ''], ['export function addRule(rule: string) {', '  const alias = RULES;', '  alias.push(rule);', '}', ''], ['export function addRule(rule: string) {', '  RULES.push(rule);', '}', '']]) {
        assert.deepEqual(await lists(file(change, rules, ask)), [], change.join(' '));
        assert.deepEqual(await lists(file(rules, change, ask)), [], change.join(' '));
        // The join is then a runtime value of the message that holds it.
        const user = (await compute(file(change, rules, ask), 'case.ts')).prompts.find((p) => p.location.boundName === 'userContent');
        assert.deepEqual(user?.runtimeValues, ['RULES.join("\\n- ")', 'code']);
      }
    });

    it('Python: RULES.clear() or `del RULES[0]` in a function above the list makes it no constant prompt either', async () => {
      const py = (change: string): string =>
        ['from openai import OpenAI', '', 'client = OpenAI()', '', change, 'RULES = [', '    "Your response should be a code block containing a rewritten version of the file.",', '    "Leave existing comments in place unless changes require modifying them.",', ']', 'SYSTEM = "\\n- ".join(RULES)', '', 'client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": SYSTEM}])', ''].join('\n');
      const systems = async (text: string) => (await compute(text)).prompts.filter((p) => p.location.joined).map((p) => p.cost.tokens.count);
      assert.deepEqual(await systems(py('')), [27]);
      assert.deepEqual(await systems(py('def reset():\n    RULES.clear()\n\n')), []);
      assert.deepEqual(await systems(py('def drop():\n    del RULES[0]\n\n')), []);
    });

    it('Python: a module list joined into a local that an f-string interpolates is a composed prompt of its own (its lines were found nowhere)', async () => {
      const py = [
        'from openai import OpenAI',
        '',
        'client = OpenAI()',
        '',
        'RULES = [',
        '    "Your response should be a code block containing a rewritten version of the file.",',
        '    "Leave existing comments in place unless changes require modifying them.",',
        ']',
        '',
        '',
        'def ask(code):',
        '    rules = "\\n- ".join(RULES)',
        '    prompt = f"Apply the NEW CODE to the ORIGINAL CODE and show the entire file after it is applied.\\n- {rules}\\n{code}"',
        '    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": prompt}])',
        '',
      ].join('\n');
      const found = (await compute(py)).prompts.map((p) => [p.location.range.start.line + 1, p.location.kind, p.location.boundName, p.cost.tokens.count, p.runtimeValues]);
      assert.deepEqual(found, [
        [6, 'template', 'rules', joined, []],
        [13, 'user', 'prompt', count('Apply the NEW CODE to the ORIGINAL CODE and show the entire file after it is applied.\n- \n'), ['rules', 'code']],
      ]);
      // Near miss: the prompt interpolates another name, or the list is joined in another function than the prompt's.
      assert.deepEqual((await compute(py.replace('- {rules}', '- {style}'))).prompts.map((p) => p.location.boundName), ['prompt']);
      const apart = py.replace('    rules = "\\n- ".join(RULES)\n', '').replace('def ask(code):', 'def rules_text():\n    rules = "\\n- ".join(RULES)\n    return rules\n\n\ndef ask(code):\n    rules = rules_text()');
      assert.deepEqual((await compute(apart)).prompts.map((p) => p.location.boundName), ['prompt']);
    });

    it('a `%`-formatted string sends `{{` and `{topic}` as written: counted so, `role` the only runtime value', async () => {
      const literal = 'You are %s. Reply only with JSON such as {{\\"answer\\": \\"...\\"}} and nothing else, about {topic}.';
      const text = `from openai import OpenAI\n\nclient = OpenAI()\n\n\ndef ask(role):\n    prompt = "${literal}" % role\n    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": prompt}])\n`;
      const prompt = await at(text, 7);
      // Python: ("…" % "") is the text below, braces untouched.
      assert.equal(prompt.cost.tokens.count, count('You are . Reply only with JSON such as {{"answer": "..."}} and nothing else, about {topic}.'));
      assert.deepEqual(prompt.runtimeValues, ['role']);
      // Near miss: formatted again with .format after the `%`, the braces are a template's: `{{` is one brace, `{topic}` a value.
      const twice = await at(text.replace(`"${literal}" % role`, `("${literal}" % role).format(topic="maths")`), 7);
      assert.deepEqual(twice.runtimeValues, ['role', 'topic']);
      assert.equal(twice.cost.tokens.count, count('You are . Reply only with JSON such as {"answer": "..."} and nothing else, about .'));
    });
  });
});

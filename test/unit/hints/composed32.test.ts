// Constants spliced into f-strings and template literals, and prompts grown with `+=`, counted as one prompt
// (comp32, session 32). Sources: test/fixtures/hints-real/SOURCES.md (MetaGPT at ba28689, MIT; continue at d0a3c0b,
// Apache-2.0). The oracles: the text CPython builds (`runpy.run_path` on the fixture) or Node builds (the file's
// `const`s evaluated) and js-tiktoken's o200k_base encoder; the short texts below are counted here with js-tiktoken.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { PromptHintService } from '../../../src/shared/hints/hints';
import { promptSpan } from '../../../src/protocol/scan';
import { count } from '../../helpers/tiktokenOracle';

const root = path.resolve(__dirname, '../../../..');
const fixture = (rel: string): string => readFileSync(path.join(root, 'test/fixtures/hints-real', rel), 'utf8');

describe('constants spliced in and prompts grown with += (comp32)', function () {
  this.timeout(60_000);
  const service = new PromptHintService(() => PriceCatalog.bundled());
  const compute = (text: string, fileName = 'case.py') => service.compute({ text, languageId: fileName.endsWith('.ts') ? 'typescript' : 'python', fileName, defaultModel: 'gpt-4o', compareModels: [], callsPerDay: 1000, withSuggestions: false });
  const at = async (text: string, line: number, fileName?: string) => {
    const result = await compute(text, fileName);
    const prompt = result.prompts.find((p) => p.location.range.start.line + 1 === line);
    assert.ok(prompt, `a prompt at line ${line}: ${result.prompts.map((p) => p.location.range.start.line + 1).join(', ')}`);
    return prompt;
  };
  const pieceRows = (p: Awaited<ReturnType<typeof at>>) => p.pieces?.map((q) => [q.range.start.line + 1, q.tokens, q.fills, q.shared]);

  describe('a same-file constant interpolated bare is text counted in place', () => {
    it('MetaGPT swe_agent.py NEXT_STEP_TEMPLATE = f"""…{MINIMAL_EXAMPLE}…{IMPORTANT_TIPS}…""": 2982 tokens exact (was 734 with both as runtime values)', async () => {
      const source = fixture('metagpt_swe_agent_prompts.py');
      const prompt = await at(source, 189);
      assert.equal(prompt.location.boundName, 'NEXT_STEP_TEMPLATE');
      // CPython: len(o200k(NEXT_STEP_TEMPLATE)) = 2982; MINIMAL_EXAMPLE 990, IMPORTANT_TIPS 1260.
      assert.equal(prompt.cost.tokens.count, 2982);
      assert.deepEqual(prompt.runtimeValues, []);
      assert.deepEqual(pieceRows(prompt), [
        [7, 990, 'MINIMAL_EXAMPLE', true],
        [116, 1260, 'IMPORTANT_TIPS', true],
        [189, 734, undefined, undefined],
      ]);
      // The lens stays on the f-string; each constant keeps its own lens and count.
      assert.equal(promptSpan(prompt.location).start.line + 1, 189);
      assert.equal((await at(source, 7)).cost.tokens.count, 990);
      assert.equal((await at(source, 116)).cost.tokens.count, 1260);
    });

    it('continue defaultSystemMessages.ts: `${CODEBLOCK_FORMATTING_INSTRUCTIONS}` and the other `const`s in the three modes, 342/136/196 exact', async () => {
      const source = fixture('continue_default_system_messages.ts');
      // Node, the file's consts evaluated: DEFAULT_CHAT_SYSTEM_MESSAGE 342, DEFAULT_AGENT_SYSTEM_MESSAGE 136, DEFAULT_PLAN_SYSTEM_MESSAGE 196.
      const chat = await at(source, 51, 'defaultSystemMessages.ts');
      assert.equal(chat.cost.tokens.count, 342);
      assert.deepEqual(chat.runtimeValues, []);
      assert.deepEqual(pieceRows(chat), [
        [4, 44, 'CODEBLOCK_FORMATTING_INSTRUCTIONS', true],
        [9, 221, 'EDIT_CODE_INSTRUCTIONS', true],
        [51, 77, undefined, undefined],
      ]);
      const agent = await at(source, 62, 'defaultSystemMessages.ts');
      assert.equal(agent.cost.tokens.count, 136);
      assert.deepEqual(agent.runtimeValues, []);
      assert.deepEqual(pieceRows(agent), [
        [4, 44, 'CODEBLOCK_FORMATTING_INSTRUCTIONS', true],
        [49, 28, 'BRIEF_LAZY_INSTRUCTIONS', true],
        [62, 64, undefined, undefined],
      ]);
      assert.equal((await at(source, 78, 'defaultSystemMessages.ts')).cost.tokens.count, 196);
    });

    const common = 'You are a careful assistant who answers questions about tutorials in plain English.';
    const task = 'Answer the question below in three short sentences or fewer, citing the tutorial section.';
    const py = (constant: string, field: string, extra = '') =>
      `from openai import OpenAI\n${extra}\nclient = OpenAI()\n\n${constant}\n\n\ndef ask(question):\n    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": f"${field}\\n${task}"}, {"role": "user", "content": question}])\n`;
    const line = 9;

    it('the same constant written twice in the f-string is sent twice: counted twice', async () => {
      const prompt = await at(py(`COMMON = "${common}"`, '{COMMON}\\n{COMMON}'), line);
      assert.equal(prompt.cost.tokens.count, count(`${common}\n${common}\n${task}`));
      assert.deepEqual(prompt.runtimeValues, []);
    });

    it('near misses: a format spec, a conversion, an attribute, an imported name, a reassigned/`+=`/`global` constant, a value not the literal', async () => {
      const own = count(`\n${task}`);
      const cases: Array<[string, string, string, string, string?]> = [
        ['format spec', `COMMON = "${common}"`, '{COMMON:>10}', 'COMMON'],
        ['conversion', `COMMON = "${common}"`, '{COMMON!r}', 'COMMON'],
        ['attribute', `COMMON = "${common}"`, '{self.COMMON}', 'self.COMMON'],
        ['imported', `OTHER = "${common}"`, '{COMMON}', 'COMMON', 'from prompts import COMMON'],
        ['reassigned', `COMMON = "${common}"\nCOMMON = "Be brief and polite in every answer you give."`, '{COMMON}', 'COMMON'],
        ['appended', `COMMON = "${common}"\nCOMMON += " Be brief."`, '{COMMON}', 'COMMON'],
        ['global', `COMMON = "${common}"\n\n\ndef reset():\n    global COMMON\n    COMMON = ""`, '{COMMON}', 'COMMON'],
        ['stripped', `COMMON = """${common}""".strip()`, '{COMMON}', 'COMMON'],
        // (camel's eigent.py `WORKING_DIRECTORY = os.environ.get("CAMEL_WORKDIR") or "working_dir/"`; excel_toolkit's `new_row = ['David', 40, …]`.)
        ['a fallback', `COMMON = os.environ.get("COMMON") or "${common}"`, '{COMMON}', 'COMMON', 'import os'],
        ['a list item', `COMMON = ["${common}", 40]`, '{COMMON}', 'COMMON'],
      ];
      for (const [label, constant, field, value, extra] of cases) {
        const prompt = (await compute(py(constant, field, extra))).prompts.find((p) => p.location.text.includes('three short sentences'));
        assert.ok(prompt, label);
        assert.equal(prompt.cost.tokens.count, own, label);
        assert.deepEqual(prompt.runtimeValues, [value], label);
        assert.equal(prompt.pieces, undefined, label);
      }
      // (Session 44: an integer constant is no piece either, but its digits are counted in place: integerConstants.test.ts.)
      const number = (await compute(py('COMMON = 5', '{COMMON}'))).prompts.find((p) => p.location.text.includes('three short sentences'));
      assert.deepEqual([number?.cost.tokens.count, number?.runtimeValues, number?.pieces], [count(`5\n${task}`), [], undefined]);
    });

    it('near miss, TypeScript: a `let` interpolated, or a `const` declared inside another function, stays a runtime value', async () => {
      const body = (decl: string) => `import OpenAI from "openai";\nconst client = new OpenAI();\n${decl}\nexport async function ask(question: string) {\n  return client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "system", content: \`\${BASE}\\n${task}\` }, { role: "user", content: question }] });\n}\n`;
      for (const decl of [`let BASE = \`${common}\`;`, `function other() {\n  const BASE = \`${common}\`;\n  return BASE;\n}`]) {
        const prompt = (await compute(body(decl), 'ask.ts')).prompts.find((p) => p.location.text.includes('three short sentences'));
        assert.ok(prompt, decl);
        assert.equal(prompt.cost.tokens.count, count(`\n${task}`), decl);
        assert.deepEqual(prompt.runtimeValues, ['BASE'], decl);
      }
      const prompt = (await compute(body(`const BASE = \`${common}\`;`), 'ask.ts')).prompts.find((p) => p.location.text.includes('three short sentences'));
      assert.ok(prompt);
      assert.equal(prompt.cost.tokens.count, count(`${common}\n${task}`));
      assert.deepEqual(prompt.runtimeValues, []);
    });
  });

  describe('a prompt grown with `+=` in one function and used once is one composed prompt', () => {
    const lines = (r: Awaited<ReturnType<typeof compute>>) => r.prompts.map((p) => p.location.range.start.line + 1);

    it('MetaGPT talk_action.py: `prompt = ""`, an optional first piece under `if`, four appends, logged then returned: one prompt of 81 tokens (was 3 prompts)', async () => {
      const result = await compute(fixture('metagpt_talk_action.py'));
      // Before: separate prompts at 35, 42 and 46, each naming the appends after it as runtime values.
      assert.deepEqual(
        lines(result).filter((l) => l < 60),
        [35],
      );
      const prompt = result.prompts[0];
      // CPython (ast): the literals of every assignment and append, every branch taken, each field left out: 81 tokens.
      assert.equal(prompt.cost.tokens.count, 81);
      assert.deepEqual(prompt.runtimeValues, ['self.agent_description', 'self.knowledge', 'self.history_summary', 'language', 'self.i_context']);
      assert.deepEqual(pieceRows(prompt), [
        [35, 44, undefined, undefined],
        [39, 2, undefined, undefined],
        [40, 1, undefined, undefined],
        [42, 17, undefined, undefined],
        [46, 17, undefined, undefined],
      ]);
      // The piece ranges, as CPython's ast places each literal (col_offset / end_col_offset): the ternary's text branch only.
      assert.deepEqual(
        prompt.pieces?.map((q) => [q.range.start.line + 1, q.range.start.character, q.range.end.line + 1, q.range.end.character]),
        [
          [35, 16, 37, 108],
          [39, 18, 39, 53],
          [40, 18, 40, 47],
          [42, 12, 42, 117],
          [46, 12, 47, 31],
        ],
      );
    });

    it('MetaGPT stanford_town st_plan.py revise_identity: `plan_prompt = statements + "\\n"` then four `+=`: 53 tokens with `statements` a runtime value (was 3 prompts)', async () => {
      const result = await compute(fixture('metagpt_st_plan.py'));
      const inside = result.prompts.filter((p) => promptSpan(p.location).start.line + 1 >= 672 && promptSpan(p.location).start.line + 1 <= 683);
      assert.deepEqual(
        inside.map((p) => [promptSpan(p.location).start.line + 1, p.location.boundName]),
        [
          [672, 'plan_prompt'],
          [679, 'thought_prompt'],
        ],
      );
      const [plan, thought] = inside;
      // CPython (ast): "\n" + the four appended literals, fields left out: 53; thought_prompt 28.
      assert.equal(plan.cost.tokens.count, 53);
      assert.deepEqual(plan.runtimeValues, ['statements', 'p_name', "role.scratch.curr_time.strftime('%A %B %d')"]);
      assert.deepEqual(pieceRows(plan), [
        [672, 1, undefined, undefined],
        [673, 16, undefined, undefined],
        [674, 3, undefined, undefined],
        [675, 26, undefined, undefined],
        [676, 8, undefined, undefined],
      ]);
      assert.equal(thought.cost.tokens.count, 28);
      assert.deepEqual(thought.runtimeValues, ['statements', 'p_name']);
    });

    it('continue CLI systemMessage.ts: `let systemMessage = baseSystemMessage` and eight appends under `if`s: one prompt, baseSystemMessage (a const of the file) counted in place (was 4 prompts)', async () => {
      const source = fixture('continue_cli_system_message.ts');
      const result = await compute(source, 'systemMessage.ts');
      const inside = result.prompts.filter((p) => promptSpan(p.location).start.line + 1 >= 215);
      assert.equal(inside.length, 1);
      const prompt = inside[0];
      // Node: the const's template and the eight appended literals, each evaluated with every `${…}` empty, every branch
      // taken (the appends alone are 279 tokens, the const 163; js-tiktoken on the joined text).
      const lines = source.split('\n');
      const literalAt = (line: number): string => {
        const from = lines.slice(0, line - 1).join('\n').length + 1;
        const rest = source.slice(from);
        // The literal's opening quote: the first on the line, after its `=` or `+=` when the line has one before it.
        const start = /^[^`'"]*?=\s*/.exec(rest)?.[0].length ?? rest.search(/[`'"]/);
        const quote = rest[start];
        let end = start + 1;
        while (rest[end] !== quote) end += rest[end] === '\\' ? 2 : 1;
        // Every `${…}` empty, then the escapes the fixture uses (\n, \t, an escaped quote or backslash) read as JavaScript does.
        return rest
          .slice(start + 1, end)
          .replace(/\$\{[^}]*\}/g, '')
          .replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
      };
      const appended = [220, 224, 234, 241, 253, 256, 262, 265].map(literalAt).join('');
      assert.equal(count(appended), 279);
      assert.equal(prompt.cost.tokens.count, count(literalAt(43) + appended));
      assert.deepEqual(prompt.runtimeValues, ['process.cwd()', 'isGitRepo()', 'process.platform', 'new Date().toISOString().split("T")[0]', 'getGitStatus()', 'agentContent', 'separator', 'processedRules.join("\\n\\n")']);
      assert.deepEqual(
        prompt.pieces?.map((q) => [q.range.start.line + 1, q.shared]),
        [[43, true], [220, undefined], [224, undefined], [234, undefined], [241, undefined], [253, undefined], [256, undefined], [262, undefined], [265, undefined]],
      );
    });

    const head = 'from openai import OpenAI\nclient = OpenAI()\n\n\ndef ask(question, notes):\n';
    const grown = 'You are a careful assistant who answers questions about tutorials in plain English.';
    const more = 'Answer the question below in three short sentences or fewer, citing the tutorial section.';

    it('a `+=` prompt in a function: one prompt summed; near misses (used twice, grown in a loop, SQL/HTML/log lines) stay as before', async () => {
      const body = (uses: string) => `${head}    prompt = "${grown}"\n    prompt += "\\n${more}"\n    prompt += "\\nQuestion: " + question\n${uses}`;
      const one = await compute(body('    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": prompt}])\n'));
      assert.equal(one.prompts.length, 1);
      assert.equal(one.prompts[0].cost.tokens.count, count(`${grown}\n${more}\nQuestion: `));
      assert.deepEqual(one.prompts[0].runtimeValues, ['question']);
      // Used twice (sent, then kept in a history): not one prompt; the two literals are read one by one, as before.
      const twice = await compute(body('    history.append(prompt)\n    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": prompt}])\n'));
      assert.notEqual(twice.prompts.length, 1);
      assert.ok(twice.prompts.every((p) => p.pieces === undefined));
      // Lines of HTML grown in a loop, and log lines: not a prompt.
      const html = await compute(`def table(rows, log):\n    html = "<table>"\n    for row in rows:\n        html += f"<tr><td>{row.name}</td><td>{row.value}</td></tr>"\n    html += "</table>"\n    return html\n\n\ndef report(items):\n    text = ""\n    for item in items:\n        text += f"{item.when} processed {item.count} rows in {item.seconds} s\\n"\n    logger.info(text)\n`);
      assert.deepEqual(html.prompts, []);
      const sql = await compute(`def query(db, name):\n    sql = "SELECT id, name FROM users"\n    sql += " WHERE name = ? AND active = 1"\n    sql += " ORDER BY created_at DESC LIMIT 10"\n    return db.execute(sql, (name,))\n`);
      assert.deepEqual(sql.prompts, []);
    });
  });
});


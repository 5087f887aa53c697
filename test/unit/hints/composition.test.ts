// Composition gaps found on real code (issue 12, item 6): a prompt written as a list of lines
// joined into one string, a local variable's literal followed by `+ "…"`, Continue's
// `systemMessageDescription.prefix` and the `dedent` template tag. Sources:
// test/fixtures/hints-real/SOURCES.md and test/fixtures/scale/SOURCES.md. The oracles are the
// TypeScript compiler's parser (the cooked text of each literal, not the scanner's Lezer reading),
// Continue's own `dedent` (core/util/index.ts, restated below), the source read by hand for the
// Python file, and js-tiktoken's o200k_base encoder.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { composePrompt } from '../../../src/shared/hints/composed';
import { PromptHintService } from '../../../src/shared/hints/hints';
import { findPrompts } from '../../../src/shared/prompt/scanner';
import { count } from '../../helpers/tiktokenOracle';

const root = path.resolve(__dirname, '../../../..');
const fixture = (rel: string): string => readFileSync(path.join(root, 'test/fixtures', rel), 'utf8');

const parse = (source: string, kind = ts.ScriptKind.TS): ts.SourceFile => ts.createSourceFile('case.ts', source, ts.ScriptTarget.Latest, true, kind);
const lineOf = (sf: ts.SourceFile, n: ts.Node): number => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;

/** A literal's cooked text with every `${…}` left out (a runtime value), and the code of each `${…}`. */
function cooked(sf: ts.SourceFile, n: ts.Node): { text: string; values: string[] } {
  if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) return { text: n.text, values: [] };
  if (ts.isTemplateExpression(n)) {
    // A span choosing between two string literals (`${allowFallback ? '…' : '…'}`, fix38) puts in the shorter one; its
    // condition inserts no text and is no value (leftovers46).
    const choice = (e: ts.Expression): { cond: string; text: string } | undefined => {
      if (!ts.isConditionalExpression(e) || !ts.isStringLiteralLike(e.whenTrue) || !ts.isStringLiteralLike(e.whenFalse)) return undefined;
      return { cond: e.condition.getText(sf), text: e.whenFalse.text.length < e.whenTrue.text.length ? e.whenFalse.text : e.whenTrue.text };
    };
    return {
      text: [n.head.text, ...n.templateSpans.map((s) => (choice(s.expression)?.text ?? '') + s.literal.text)].join(''),
      values: n.templateSpans.flatMap((s) => (choice(s.expression) ? [] : [s.expression.getText(sf)])),
    };
  }
  throw new Error(`not a literal: ${n.getText(sf)}`);
}

/** The first node of the file that `pick` accepts. */
function find<T extends ts.Node>(sf: ts.Node, pick: (n: ts.Node) => n is T): T {
  let found: T | undefined;
  const visit = (n: ts.Node): void => {
    if (!found && pick(n)) found = n;
    if (!found) ts.forEachChild(n, visit);
  };
  visit(sf);
  assert.ok(found, 'the oracle finds the node');
  return found;
}

const declaration = (name: string) => (n: ts.Node): n is ts.VariableDeclaration => ts.isVariableDeclaration(n) && n.name.getText() === name;

/**
 * Continue's `dedent` (core/util/index.ts at d0a3c0b), restated for text whose runtime values are
 * already left out: blank lines at the ends go, then the smallest indent of the lines with text.
 */
function continueDedent(raw: string): string {
  const lines = raw.replace(/^\n/, '').replace(/\n\s*$/, '').split('\n');
  while (lines.length > 0 && lines[0].trim() === '') lines.shift();
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^\s*/.exec(l)?.[0].length ?? 0);
  const min = indents.length > 0 ? Math.min(...indents) : 0;
  return (min > 0 ? lines.map((l) => l.slice(min)) : lines).join('\n');
}

describe('composition on real code: joined lists, a local head of a `+` chain, tool prefixes, dedent', function () {
  this.timeout(60_000);
  const service = new PromptHintService(() => PriceCatalog.bundled());
  const compute = (rel: string, languageId: string) => service.compute({ text: fixture(rel), languageId, fileName: rel, defaultModel: 'gpt-4o', compareModels: [], callsPerDay: 1000, withSuggestions: false });

  describe('a list of lines joined into one prompt', () => {
    it("Continue's PR review prompt (`promptSections = [ … ]`, `promptSections.join(\"\\n\")`): one prompt of 38 pieces, separators counted", async () => {
      const rel = 'hints-real/continue_build_prompt.js';
      const sf = parse(fixture(rel), ts.ScriptKind.JS);
      const list = find(sf, declaration('promptSections')).initializer;
      assert.ok(list && ts.isArrayLiteralExpression(list));
      const literals = list.elements.filter((e) => !ts.isCallExpression(e));
      assert.equal(list.elements.length, 39);
      assert.deepEqual(
        list.elements.filter((e) => ts.isCallExpression(e)).map((e) => e.getText(sf)),
        ['diff.trimEnd()'],
      );
      // The joined text with every runtime value left out: `diff.trimEnd()` adds its line but no text.
      const joined = list.elements.map((e) => (ts.isCallExpression(e) ? '' : cooked(sf, e).text)).join('\n');
      const result = await compute(rel, 'javascript');
      assert.equal(result.prompts.length, 1, 'one lens, not one per line');
      const [prompt] = result.prompts;
      assert.equal(prompt.location.kind, 'system');
      assert.equal(prompt.location.boundName, 'prompt');
      assert.deepEqual(
        prompt.pieces?.map((p) => p.range.start.line + 1),
        literals.map((e) => lineOf(sf, e)),
      );
      assert.deepEqual(
        prompt.pieces?.map((p) => p.tokens),
        literals.map((e) => count(cooked(sf, e).text)),
      );
      assert.equal(prompt.cost.tokens.count, count(joined));
      assert.equal(prompt.cost.tokens.count, 260);
      assert.deepEqual(prompt.runtimeValues, [...literals.flatMap((e) => cooked(sf, e).values), 'diff.trimEnd()']);
    });

    it('openai-agents-python sandbox skills: `return "\\n".join([...])` from instructions() is one prompt; spreads add no line', async () => {
      const rel = 'hints-real/oaa_sandbox_skills.py';
      const source = fixture(rel);
      // Lines 859-884, read by hand: the list holds "## Skills" (861), _SKILLS_SECTION_INTRO, "### Available skills" (863),
      // three spreads (`*available_skill_lines` and two conditional lists) and how_to_use_section.
      assert.match(source.split('\n').slice(858, 864).join('\n'), /^ {8}return "\\n"\.join\(\n {12}\[\n {16}"## Skills",\n {16}_SKILLS_SECTION_INTRO,\n {16}"### Available skills",\n {16}\*available_skill_lines,$/);
      const result = await compute(rel, 'python');
      const prompt = result.prompts.find((p) => p.location.boundName === 'instructions');
      assert.ok(prompt, 'the joined prompt is found');
      assert.equal(prompt.location.kind, 'system');
      // _SKILLS_SECTION_INTRO is a module constant assigned once (lines 28-32): its text is the prompt's, counted in place,
      // and a template fragment of its own (session 34); the rest are runtime values.
      const intro =
        'A skill is a set of local instructions to follow that is stored in a `SKILL.md` file. ' +
        'Below is the list of skills that can be used. Each entry includes a name, description, ' +
        'and file path so you can open the source for full instructions when using a specific skill.';
      assert.deepEqual(
        prompt.location.pieces?.map((p) => [p.range.start.line + 1, p.text, p.shared]),
        [
          [861, '## Skills', undefined],
          [29, intro, true],
          [863, '### Available skills', undefined],
        ],
      );
      // "## Skills", the intro's line, "### Available skills", the spreads (maybe empty: no line), how_to_use_section's line.
      assert.equal(prompt.cost.tokens.count, count(`## Skills\n${intro}\n### Available skills\n`));
      assert.deepEqual(prompt.runtimeValues, [
        'available_skill_lines',
        // (Code longer than 60 characters is cut to 57 and an ellipsis.)
        '( ["### Run-scoped skill paths", *_SKILL_PATH_GUIDANCE] i…',
        '( [ "### Lazy loading", "- These skills are indexed for p…',
        'how_to_use_section',
      ]);
      // The module's other literals are as before: nothing else in the file is a prompt but the intro, a template.
      assert.deepEqual(
        result.prompts.map((p) => [p.location.range.start.line + 1, p.location.kind]),
        [
          [29, 'template'],
          [863, 'system'],
        ],
      );
    });

    it('a list joined in a function is not a prompt when nothing says it goes to a model (a shell script); one that grows by append before the join is one prompt with the appended value as a runtime value', () => {
      const script = 'def script(sha):\n    return "\\n".join(\n        [\n            "set -eu",\n            \'tmp_dir="$(mktemp -d)"\',\n            f"expected_sha256=\'{sha}\'",\n        ]\n    )\n';
      assert.deepEqual(findPrompts(script, 'python'), []);
      const grown = 'from openai import OpenAI\n\ndef ask(client: OpenAI, q):\n    parts = ["You are a careful assistant. Answer the question below in one sentence.", "Question:"]\n    parts.append(q)\n    return client.responses.create(model="gpt-4o", input="\\n".join(parts))\n';
      const found = findPrompts(grown, 'python');
      assert.deepEqual(
        found.map((p) => [p.range.start.line + 1, p.pieces?.length, p.joined]),
        // Held-out round 4 (session 29): a list grown with append in the function that joins it is one prompt; `q`, appended, is a runtime value.
        [[4, 2, { separator: '\n', elements: [{ piece: 0 }, { piece: 1 }, { value: 'q' }] }]],
      );
      // The same list not added to: `"\n".join(parts)` is one prompt of two pieces.
      const kept = findPrompts(grown.replace('    parts.append(q)\n', ''), 'python');
      assert.deepEqual(
        kept.map((p) => [p.range.start.line + 1, p.pieces?.map((q) => q.text), p.joined]),
        [[4, ['You are a careful assistant. Answer the question below in one sentence.', 'Question:'], { separator: '\n', elements: [{ piece: 0 }, { piece: 1 }] }]],
      );
      // `"".join(parts)`: the pieces back to back.
      const empty = 'from openai import OpenAI\n\ndef ask(client: OpenAI, q):\n    parts = ["You are a careful assistant. Answer the question below in one sentence. ", "Question: "]\n    return client.responses.create(model="gpt-4o", input="".join(parts))\n';
      const [together] = findPrompts(empty, 'python');
      assert.deepEqual(together.joined, { separator: '', elements: [{ piece: 0 }, { piece: 1 }] });
      assert.equal(composePrompt(together, empty).counted, 'You are a careful assistant. Answer the question below in one sentence. Question: ');
      // A parenthesized element (`("…" "…")` over two lines) is one piece, not also a prompt of its own.
      const parenthesized = 'from openai import OpenAI\n\ndef ask(client: OpenAI, q):\n    instructions = "\\n".join(\n        [\n            ("You are a careful assistant. "\n             "Answer the question below in one sentence."),\n            "Cite one source.",\n            q,\n        ]\n    )\n    return client.responses.create(model="gpt-4o", instructions=instructions, input=q)\n';
      assert.deepEqual(
        findPrompts(parenthesized, 'python').map((p) => [p.range.start.line + 1, p.kind, p.pieces?.map((q) => q.text), p.joined?.elements]),
        [[6, 'system', ['You are a careful assistant. Answer the question below in one sentence.', 'Cite one source.'], [{ piece: 0 }, { piece: 1 }, { value: 'q' }]]],
      );
      // JavaScript's `[…].join(sep)` written in place.
      const inline = 'import OpenAI from "openai";\nconst openai = new OpenAI();\nexport async function ask(q: string) {\n  const prompt = ["You are a terse assistant. Answer in one line.", `Question: ${q}`].join("\\n\\n");\n  return openai.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: prompt }] });\n}\n';
      assert.deepEqual(
        findPrompts(inline, 'typescript').map((p) => [p.range.start.line + 1, p.kind, p.pieces?.length, p.joined?.separator]),
        [[4, 'user', 2, '\n\n']],
      );
    });
  });

  it("a local variable's literal followed by `+ `…``: one composed prompt (Continue's hole filler, SYSTEM_MSG + the query)", async () => {
    const rel = 'hints-real/continue_autocomplete_template.ts';
    const sf = parse(fixture(rel));
    const system = find(sf, declaration('SYSTEM_MSG')).initializer;
    const full = find(sf, declaration('fullPrompt')).initializer;
    assert.ok(system && full && ts.isBinaryExpression(full) && full.left.getText(sf) === 'SYSTEM_MSG');
    const head = cooked(sf, system);
    const query = cooked(sf, full.right);
    assert.deepEqual(head.values, []);
    const result = await compute(rel, 'typescript');
    // Before: SYSTEM_MSG (line 423) and the query (line 509, "SYSTEM_MSG + …") were two prompts. Now one, on its longest piece.
    assert.deepEqual(
      result.prompts.map((p) => [p.location.range.start.line + 1, p.pieces?.map((q) => q.range.start.line + 1)]),
      [
        [349, undefined],
        [412, undefined],
        [423, [423, 509]],
      ],
    );
    const prompt = result.prompts[2];
    assert.equal(prompt.location.boundName, 'fullPrompt');
    assert.equal(prompt.location.kind, 'system');
    // `{{HOLE_NAME}}` and `{{FILL_HERE}}` are markers the model gets as written: the composition fills its values with
    // `${…}` and nothing in the file renders a `{{…}}` tag, so they are counted text (until session 30 they were runtime
    // values left out of the count: 499 tokens).
    assert.equal(prompt.cost.tokens.count, count(head.text + query.text));
    assert.equal(prompt.cost.tokens.count, 550);
    assert.deepEqual(query.values, ['prefix', 'suffix']);
    assert.deepEqual(prompt.runtimeValues, [...query.values]);
  });

  it("Continue's systemMessageDescription.prefix is a tool instruction (its exampleArgs are values, not prompts)", () => {
    const source = fixture('scale/continue_ls_tool.ts');
    const sf = parse(source);
    const prefix = find(sf, (n): n is ts.PropertyAssignment => ts.isPropertyAssignment(n) && n.name.getText(sf) === 'prefix');
    const found = findPrompts(source, 'typescript').find((p) => p.range.start.line + 1 === lineOf(sf, prefix));
    assert.ok(found, 'the prefix is found');
    assert.equal(lineOf(sf, prefix), 38);
    assert.equal(found.kind, 'tool');
    const { text, values } = cooked(sf, prefix.initializer);
    assert.deepEqual(values, ['BuiltInToolNames.LSTool']);
    assert.equal(found.text.replace('${BuiltInToolNames.LSTool}', ''), text);
  });

  describe('the `dedent` template tag is a transparent wrapper, counted dedented', () => {
    const dedented = (sf: ts.SourceFile, name: string): { text: string; values: string[]; line: number } => {
      const init = find(sf, declaration(name)).initializer;
      assert.ok(init && ts.isTaggedTemplateExpression(init) && init.tag.getText(sf) === 'dedent');
      const { text, values } = cooked(sf, init.template);
      return { text: continueDedent(text), values, line: lineOf(sf, init.template) };
    };

    it("Continue's lazy-apply prompts: the user message built with dedent`…` is found, counted as Continue dedents it", async () => {
      const rel = 'scan/ts/continue_lazy_apply_prompts.ts';
      const sf = parse(fixture(rel));
      const user = dedented(sf, 'userContent');
      const result = await compute(rel, 'typescript');
      const prompt = result.prompts.find((p) => p.location.boundName === 'userContent');
      assert.ok(prompt, 'the user message is found');
      assert.equal(prompt.location.range.start.line + 1, user.line);
      assert.equal(prompt.location.kind, 'user');
      assert.equal(prompt.location.dedent, 'dedent');
      assert.equal(prompt.cost.tokens.count, count(user.text));
      assert.equal(prompt.cost.tokens.count, 81);
      assert.deepEqual(prompt.runtimeValues, user.values);
    });

    it("Continue's GPT edit templates: returned dedent`…` templates are counted dedented", async () => {
      const rel = 'scan/ts/continue_edit_gpt.ts';
      const sf = parse(fixture(rel));
      const result = await compute(rel, 'typescript');
      const fullFile = result.prompts.find((p) => p.location.boundName === 'gptFullFileEditPrompt');
      assert.ok(fullFile, 'the full-file edit prompt is found');
      const fn = find(sf, declaration('gptFullFileEditPrompt')).initializer;
      assert.ok(fn && ts.isArrowFunction(fn));
      const tagged = find(fn, (n): n is ts.TaggedTemplateExpression => ts.isTaggedTemplateExpression(n));
      const { text, values } = cooked(sf, tagged.template);
      assert.equal(fullFile.location.dedent, 'dedent');
      assert.equal(fullFile.cost.tokens.count, count(continueDedent(text)));
      assert.deepEqual(fullFile.runtimeValues, values);
    });
  });

  // newuser25 on a Vercel AI SDK route: a SYSTEM_PROMPT whose own text is one word ("Rules:") between two local
  // fragments was judged on that word and missed; PERSONA alone was reported (27 of the 50 tokens sent).
  it('a shell with little text of its own, bound to a prompt name, is the prompt its local fragments compose', async () => {
    const persona = "You are Morphic Helper, a research assistant for a small team.\nAnswer in the user's language and keep answers under 200 words.";
    const rules = '- Cite every fact with a [number](#toolCallId) link.\n- Never invent URLs.';
    const text = [
      "import { streamText } from 'ai'",
      'export async function POST(req: Request) {',
      '  const { messages } = await req.json()',
      `  const PERSONA = \`${persona}\``,
      `  const RULES = \`${rules}\``,
      '  const SYSTEM_PROMPT = `${PERSONA}\n\nRules:\n${RULES}`',
      "  return streamText({ model: 'gpt-4o-mini', system: SYSTEM_PROMPT, messages })",
      '}',
      '',
    ].join('\n');
    const result = await service.compute({ text, languageId: 'typescript', fileName: 'route.ts', defaultModel: 'gpt-4o', compareModels: [], callsPerDay: 1, withSuggestions: false });
    assert.deepEqual(result.prompts.map((p) => [p.title, p.cost.tokens.count, p.pieces?.length]), [['system prompt `SYSTEM_PROMPT`', count(`${persona}\n\nRules:\n${rules}`), 3]]);
    assert.equal(count(`${persona}\n\nRules:\n${rules}`), 50);
    // The same shell under a name that says nothing (`const text = …`) stays below the threshold: PERSONA is the prompt.
    const plain = await service.compute({ text: text.replace(/SYSTEM_PROMPT/g, 'body'), languageId: 'typescript', fileName: 'route.ts', defaultModel: 'gpt-4o', compareModels: [], callsPerDay: 1, withSuggestions: false });
    assert.deepEqual(plain.prompts.map((p) => p.title), ['system prompt `PERSONA`']);
  });

  // miurla/morphic ccdb89d (test/fixtures/scan/SOURCES.md): the adaptive prompt splices sections returned by functions
  // (`${getApproachStrategy()}`); two of 190 and 759 tokens were missed (newuser25): their names say nothing of prompts.
  it('a function whose returned text a prompt splices in by calling it is a template section of its own', async () => {
    const rel = 'scan/ts/morphic_search_mode_prompts.ts';
    const source = fixture(rel);
    const sf = parse(source);
    const returned = (name: string) => {
      const fn = find(sf, (n): n is ts.FunctionDeclaration => ts.isFunctionDeclaration(n) && n.name?.text === name);
      const ret = find(fn, (n): n is ts.ReturnStatement => ts.isReturnStatement(n));
      assert.ok(ret.expression);
      return { line: lineOf(sf, ret.expression), ...cooked(sf, ret.expression) };
    };
    const result = await compute(rel, 'typescript');
    for (const name of ['getApproachStrategy', 'getSourceDirectionGuidance']) {
      const oracle = returned(name);
      const hint = result.prompts.find((p) => p.location.range.start.line + 1 === oracle.line);
      assert.ok(hint, `${name} is found`);
      assert.equal(hint.location.kind, 'template');
      assert.equal(hint.cost.tokens.count, count(oracle.text));
      assert.deepEqual(hint.runtimeValues, oracle.values);
    }
    assert.equal(count(returned('getApproachStrategy').text), 759);
    // Not called by any prompt of the file, the same function's text is not a prompt: the call is the evidence.
    const uncalled = source.replace('${getApproachStrategy()}', '');
    const without = await service.compute({ text: uncalled, languageId: 'typescript', fileName: rel, defaultModel: 'gpt-4o', compareModels: [], callsPerDay: 1000, withSuggestions: false });
    assert.equal(without.prompts.some((p) => p.location.range.start.line + 1 === returned('getApproachStrategy').line), false);
  });

  it("a joined list's `` dedent`…` `` pieces are counted without their code indentation (continue's gptEditPrompt)", async () => {
    // test/fixtures/scan/ts/continue_edit_gpt.ts:40-72 (continuedev/continue, Apache-2.0): three `paragraphs.push(dedent`…`)`
    // pieces, indented 8 spaces in the code; the dedent package sends them without it. Before, the lens counted the
    // indentation of every line (round4's leftover). Oracle: the pieces dedented by hand, values left out, joined by "\n\n".
    const result = await compute('scan/ts/continue_edit_gpt.ts', 'typescript');
    const prompt = result.prompts.find((p) => p.location.joined && p.location.range.start.line + 1 === 60);
    assert.ok(prompt);
    const fence = '```\n\n```';
    const expected = [
      'The user has requested a section of code in a file to be rewritten.',
      `This is the prefix of the file:\n${fence}`,
      `This is the suffix of the file:\n${fence}`,
      `This is the code to rewrite:\n${fence}\n\nThe user's request is: ""\n\nDO NOT output any natural language, only output the code changes.\n\nHere is the rewritten code:`,
    ].join('\n\n');
    assert.equal(composePrompt(prompt.location, fixture('scan/ts/continue_edit_gpt.ts')).counted, expected);
    assert.equal(prompt.cost.tokens.count, count(expected));
    assert.deepEqual(prompt.runtimeValues, ['otherData.language', 'otherData.prefix', 'otherData.suffix', 'otherData.codeToEdit', 'otherData.userInput']);
  });
});

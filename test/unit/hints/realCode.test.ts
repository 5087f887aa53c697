// Model, runtime values and composition on real code we did not write (issue 12, items 5 and 6):
// claude-cookbooks' text-to-SQL prompts (three functions, each with its own local `examples`
// spliced into its own f-string) and its summary judge with a second judge added the way such
// files grow (a local `prompt` of the same name, sent from another function to another model, and
// a user message built as `prompt + "…" + summary`). Sources: test/fixtures/hints-real/SOURCES.md.
// The oracle is the source read by hand (line numbers, literal bodies cut out by string search)
// and js-tiktoken's o200k_base encoder, not the scanner.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { PromptHintService } from '../../../src/shared/hints/hints';
import { count } from '../../helpers/tiktokenOracle';

const root = path.resolve(__dirname, '../../../..');
const fixture = (rel: string): string => readFileSync(path.join(root, 'test/fixtures/hints-real', rel), 'utf8');

/** The body of the triple-quoted literal that opens right after `opener` (searched from `from`). */
function tripleQuoted(source: string, opener: string, from = 0): string {
  const start = source.indexOf(opener, from);
  assert.ok(start >= 0, `${opener} is in the file`);
  const body = start + opener.length;
  return source.slice(body, source.indexOf('"""', body));
}

describe('hints on real code: fragments, models and runtime values stay in their function', function () {
  this.timeout(60_000);
  const service = new PromptHintService(() => PriceCatalog.bundled());
  const compute = (rel: string) => service.compute({ text: fixture(rel), languageId: 'python', fileName: rel, defaultModel: 'gpt-4o', compareModels: [], callsPerDay: 1000, withSuggestions: false });

  describe('claude-cookbooks text_to_sql prompts.py: a local `examples` in each of three functions', () => {
    const rel = 'cc_text_to_sql_prompts.py';
    const source = fixture(rel);
    // Each function's own `examples = """…"""` and the f-string it returns (no escapes, no `{{` in any of them).
    const fn = (name: string): number => source.indexOf(`def ${name}(`);
    const examples = (name: string): string => tripleQuoted(source, 'examples = """', fn(name));
    const returned = (name: string): string => tripleQuoted(source, 'return f"""', fn(name));
    /** The composed text: the function's examples in place of `{examples}`, the other fields left out. */
    const composed = (name: string): string => returned(name).replace('{examples}', examples(name)).replace(/\{[a-z_]+\}/g, '');

    it('the oracle reads what it should', () => {
      assert.ok(examples('generate_prompt_with_examples').includes('Example 1:'));
      assert.ok(examples('generate_prompt_with_cot').includes('<thought_process>'));
      assert.ok(returned('generate_prompt_with_rag').includes('{schema_info}'));
      assert.ok(!composed('generate_prompt_with_cot').includes('{'));
    });

    it('each prompt is composed with the `examples` of its own function, counted once', async () => {
      const result = await compute(rel);
      const byLine = new Map(result.prompts.map((p) => [p.location.range.start.line + 1, p]));
      // Lines read off the file: the three returned f-strings and the `examples` literal of each function.
      const cases: Array<[number, number, string]> = [
        [61, 45, 'generate_prompt_with_examples'],
        [110, 86, 'generate_prompt_with_cot'],
        [181, 157, 'generate_prompt_with_rag'],
      ];
      for (const [line, fragmentLine, name] of cases) {
        const prompt = byLine.get(line);
        assert.ok(prompt, `the prompt of ${name} is found`);
        assert.deepEqual(
          prompt.pieces?.map((p) => [p.range.start.line + 1, p.fills]),
          [
            [fragmentLine, 'examples'],
            [line, undefined],
          ],
          name,
        );
        assert.equal(prompt.cost.tokens.encoding, 'o200k_base');
        assert.equal(prompt.cost.tokens.count, count(composed(name)), name);
        assert.ok(!prompt.runtimeValues.includes('examples'), `${name}: its examples are counted, not a runtime value`);
      }
    });

    it('a fragment assigned again before the prompt is replaced, not a piece: the value in force is counted', async () => {
      // generate_prompt_with_cot with its examples cut down by a second assignment just before the return (line 110 becomes 111).
      const short = '<example><query>How many employees are there?</query><sql>SELECT COUNT(*) FROM employees;</sql></example>';
      const at = source.indexOf('    return f"""', fn('generate_prompt_with_cot'));
      const text = `${source.slice(0, at)}    examples = """${short}"""\n${source.slice(at)}`;
      const result = await service.compute({ text, languageId: 'python', fileName: 'reassigned.py', defaultModel: 'gpt-4o', compareModels: [], callsPerDay: 1000, withSuggestions: false });
      const prompt = result.prompts.find((p) => p.location.range.start.line + 1 === 111);
      assert.ok(prompt, 'the prompt is found');
      assert.deepEqual(
        prompt.pieces?.map((p) => [p.range.start.line + 1, p.fills]),
        [
          [110, 'examples'],
          [111, undefined],
        ],
      );
      assert.equal(prompt.cost.tokens.count, count(returned('generate_prompt_with_cot').replace('{examples}', short).replace(/\{[a-z_]+\}/g, '')));
    });
  });

  describe('claude-cookbooks llm_eval.py with a second judge function', () => {
    const rel = 'cc_llm_eval_two_judges.py';

    it('a local `prompt` is priced with the model of the call in its own function', async () => {
      const result = await compute(rel);
      const at = (line: number) => result.prompts.find((p) => p.location.range.start.line + 1 === line);
      // Line 20: llm_eval's prompt, sent at line 56 with claude-3-5-sonnet-20241022; line 102: quick_eval's, sent at line 106 with claude-haiku-4-5.
      assert.equal(at(20)?.model, 'claude-3-5-sonnet-20241022');
      // quick_eval's prompt is the head of the message sent at line 109 (`prompt + "…" + summary`): the model is that call's.
      assert.equal(at(102)?.model, 'claude-haiku-4-5');
      assert.equal(at(102)?.provider, 'anthropic');
    });

    it('`prompt + "…" + summary` with a local `prompt`: one composed prompt, a lower bound that names summary', async () => {
      const result = await compute(rel);
      const source = fixture(rel);
      // Not two lenses (the literal bound to prompt, and the `+` chain naming prompt as a runtime value).
      assert.equal(result.prompts.find((p) => p.location.range.start.line + 1 === 109), undefined);
      const prompt = result.prompts.find((p) => p.location.range.start.line + 1 === 102);
      assert.ok(prompt, 'the composed prompt is found');
      // Lines 102-103 read by hand: an f-string without fields or escapes.
      const head = source.slice(source.indexOf('prompt = f"""Rate') + 'prompt = f"""'.length, source.indexOf('number only."""') + 'number only.'.length);
      assert.match(head, /^Rate the clarity .* Answer with the number only\.$/s);
      assert.deepEqual(
        prompt.pieces?.map((p) => [p.range.start.line + 1, p.tokens]),
        [
          [102, count(head)],
          [109, count('\n\nSummary to Evaluate: ')],
        ],
      );
      assert.equal(prompt.location.kind, 'user');
      assert.equal(prompt.cost.tokens.count, count(`${head}\n\nSummary to Evaluate: `));
      assert.deepEqual(prompt.runtimeValues, ['summary']);
    });
  });

  describe('LiteLLM/OpenRouter names and Bedrock ids', () => {
    const judge = fixture('cc_llm_eval_two_judges.py');
    // llm_eval's call (lines 55-69 of the file), as it reads before the edits below.
    const call = judge.slice(judge.indexOf('    response = client.messages.create('), judge.indexOf('    evaluation = '));
    const judgeWith = (newCall: string, imports: string): string => judge.replace(call, newCall).replace('import anthropic\n', imports);

    it('a Bedrock model id in an attribute has a hover with its catalog price (inference_adapter.py, line 13)', async () => {
      const rel = 'cc_inference_adapter.py';
      const result = await compute(rel);
      const catalog = await PriceCatalog.bundled();
      const hover = result.models.find((m) => m.range.start.line + 1 === 13);
      assert.ok(hover, 'a hover on the model id');
      assert.equal(hover.name, 'anthropic.claude-3-haiku-20240307-v1:0');
      assert.equal(hover.price?.inputPerMTok, catalog.lookup('anthropic.claude-3-haiku-20240307-v1:0').inputPerMTok);
    });

    it('litellm.completion(model="openrouter/anthropic/…"): Anthropic\'s model at OpenRouter\'s price', async () => {
      const text = judgeWith('    response = litellm.completion(\n        model="openrouter/anthropic/claude-3.5-sonnet",\n        messages=[{"role": "user", "content": prompt}],\n    )\n', 'import anthropic\nimport litellm\n');
      const result = await service.compute({ text, languageId: 'python', fileName: 'openrouter.py', defaultModel: 'gpt-4o', compareModels: [], callsPerDay: 1000, withSuggestions: false });
      const prompt = result.prompts.find((p) => p.location.range.start.line + 1 === 21);
      const catalog = await PriceCatalog.bundled();
      assert.ok(prompt, 'the judge prompt is found');
      assert.equal(prompt.model, 'openrouter/anthropic/claude-3.5-sonnet');
      assert.equal(prompt.provider, 'anthropic');
      assert.equal(prompt.cost.error, undefined);
      assert.equal(prompt.cost.inputPerMTok, catalog.lookup('openrouter:anthropic/claude-3.5-sonnet').inputPerMTok);
    });

    it('boto3 converse(modelId="anthropic.claude-…-v1:0"): the request goes to AWS Bedrock, at its price', async () => {
      // llm_eval alone (quick_eval, which uses the anthropic SDK, cut off), calling Bedrock through boto3: no Anthropic import to tell the provider.
      const text = judgeWith('    response = bedrock.converse(\n        modelId="anthropic.claude-3-5-sonnet-20240620-v1:0",\n        messages=[{"role": "user", "content": [{"text": prompt}]}],\n    )\n', 'import boto3\n\nbedrock = boto3.client("bedrock-runtime")\n')
        .slice(0, -(judge.length - judge.indexOf('\n\ndef quick_eval')))
        .replace('    client = anthropic.Anthropic(api_key=os.getenv("ANTHROPIC_API_KEY"))\n', '');
      const result = await service.compute({ text, languageId: 'python', fileName: 'bedrock.py', defaultModel: 'gpt-4o', compareModels: [], callsPerDay: 1000, withSuggestions: false });
      const prompt = result.prompts.find((p) => p.location.text.startsWith('Evaluate the following summary'));
      const catalog = await PriceCatalog.bundled();
      assert.ok(prompt, 'the judge prompt is found');
      assert.equal(prompt.model, 'anthropic.claude-3-5-sonnet-20240620-v1:0');
      // (Anthropic's before model40: Bedrock is the host the call goes to, and its price list the one priced.)
      assert.equal(prompt.provider, 'bedrock');
      assert.equal(prompt.cost.host, 'AWS Bedrock');
      assert.equal(prompt.cost.inputPerMTok, catalog.lookup('aws:anthropic.claude-3-5-sonnet-20240620-v1:0').inputPerMTok);
    });
  });

  describe('claude-cookbooks classification prompts.py: prompts wrapped in textwrap.dedent(…) and filled with .replace(…)', () => {
    const rel = 'cc_classification_prompts.py';
    const source = fixture(rel);
    const run = (text: string) => service.compute({ text, languageId: 'python', fileName: rel, defaultModel: 'gpt-4o', compareModels: [], callsPerDay: 1000, withSuggestions: false });
    // The first prompt's body (simple_classify), its `{{categories}}` and `{{ticket}}` fields left out.
    const first = tripleQuoted(source, 'prompt = textwrap.dedent("""');
    // CPython's textwrap.dedent: whitespace-only lines become empty, then the longest common leading whitespace goes.
    const pyDedent = (text: string): string => {
      const lines = text.split('\n').map((l) => (l.trim() === '' ? '' : l));
      const indents = lines.filter((l) => l !== '').map((l) => /^[ \t]*/.exec(l)![0]);
      const common = indents.reduce((a, b) => { let i = 0; while (i < a.length && a[i] === b[i]) i++; return a.slice(0, i); }, indents[0] ?? '');
      return lines.map((l) => l.slice(common.length)).join('\n');
    };
    const expected = (result: Awaited<ReturnType<typeof run>>, sent: (text: string) => string = pyDedent): void => {
      // Lines read off the file: the three `prompt = textwrap.dedent("""` of simple_classify, rag_classify and rag_chain_of_thought_classify.
      assert.deepEqual(
        result.prompts.map((p) => [p.location.range.start.line + 1, p.location.boundName, p.runtimeValues]),
        [
          [61, 'prompt', ['categories', 'ticket']],
          [93, 'prompt', ['categories', 'ticket', 'examples']],
          [129, 'prompt', ['categories', 'ticket', 'examples']],
        ],
      );
      // Counted as sent: dedented when the file calls textwrap.dedent (the placeholders then left out).
      assert.equal(result.prompts[0].cost.tokens.count, count(sent(first).replace('{{categories}}', '').replace('{{ticket}}', '')));
    };

    it('each of the three prompts is found, a lower bound naming its fields', async () => {
      expected(await run(source));
    });

    it('the same with `"""…""".strip()` in place of textwrap.dedent', async () => {
      const stripped = source.split('textwrap.dedent("""').join('"""').split('""").replace(').join('""".strip().replace(');
      assert.equal(stripped.split('\n').length, source.split('\n').length);
      // Counted as CPython sends it: `.strip()` takes the first newline and the last line's indent (the text is ASCII, so
      // str.strip and trim agree), then `.replace` fills the fields. (Before nufix33 the literal was counted as written.)
      expected(await run(stripped), (text) => text.trim());
    });
  });

  it('"…and return only the number.\\n\\nSummary: {summary}" is prose, not code (a judge added to llm_eval.py)', async () => {
    const judge = fixture('cc_llm_eval_two_judges.py').split('\n\ndef quick_eval')[0];
    const text = `${judge}\n\nfrom openai import OpenAI\n\n\ndef clarity_eval(summary):\n    prompt = f"""Grade this summary from 1 to 5 for clarity and return only the number.\n\nSummary: {summary}"""\n    out = OpenAI().chat.completions.create(model="gpt-4.1", messages=[{"role": "user", "content": prompt}])\n    return out.choices[0].message.content\n`;
    const result = await service.compute({ text, languageId: 'python', fileName: 'clarity.py', defaultModel: 'gpt-4o', compareModels: [], callsPerDay: 1000, withSuggestions: false });
    const prompt = result.prompts.find((p) => p.location.text.startsWith('Grade this summary'));
    assert.ok(prompt, 'the prompt is found');
    assert.deepEqual(prompt.runtimeValues, ['summary']);
    assert.equal(prompt.model, 'gpt-4.1');
    assert.equal(prompt.cost.tokens.count, count('Grade this summary from 1 to 5 for clarity and return only the number.\n\nSummary: '));
  });

  describe('anthropic-sdk-typescript examples/tools.ts', () => {
    const rel = 'ats_tools.ts';
    const source = fixture(rel);
    const run = (text: string) => service.compute({ text, languageId: 'typescript', fileName: rel, defaultModel: 'gpt-4o', compareModels: [], callsPerDay: 1000, withSuggestions: false });

    it('the tool_result content (line 52, what the tool returned) is not a prompt; the user message and the tool description are', async () => {
      const result = await run(source);
      assert.deepEqual(
        result.prompts.map((p) => [p.location.range.start.line + 1, p.location.text]),
        [
          [11, 'What is the weather in SF?'],
          [16, 'Get the weather for a specific location'],
        ],
      );
    });

    it('a model from a zod schema default (`z.string().default(…)`) is resolved', async () => {
      const text = source
        .replace("import assert from 'node:assert';", "import assert from 'node:assert'; import { z } from 'zod';")
        .replace('const client = new Anthropic();', "const client = new Anthropic(); const env = z.object({ MODEL: z.string().default('claude-haiku-4-5') }).parse(process.env);")
        .split("model: 'claude-sonnet-5'")
        .join('model: env.MODEL');
      const result = await run(text);
      const user = result.prompts.find((p) => p.location.range.start.line + 1 === 11);
      assert.equal(user?.model, 'claude-haiku-4-5');
      assert.equal(user?.modelSource, 'resolved');
    });

    it('a system prompt appended to with += in branches is a lower bound, not "exact"', async () => {
      const system = 'You are a weather assistant for a travel app. Answer in one short sentence.';
      const text = source.replace(
        "  const message = await client.messages.create({\n    model: 'claude-sonnet-5',\n",
        `  let system = \`${system}\`;\n  if (process.env.UNITS === 'celsius') {\n    system += \`\\nAlways give temperatures in degrees Celsius.\`;\n  } else {\n    system += \`\\nAlways give temperatures in degrees Fahrenheit.\`;\n  }\n  const message = await client.messages.create({\n    model: 'claude-sonnet-5',\n    system,\n`,
      );
      assert.notEqual(text, source);
      const result = await run(text);
      const prompt = result.prompts.find((p) => p.location.boundName === 'system');
      assert.ok(prompt, 'the system prompt is found');
      assert.equal(prompt.location.text, system);
      assert.equal(prompt.cost.tokens.count, count(system));
      // (Each append named by what it appends: vals32.)
      assert.deepEqual(prompt.runtimeValues, ['system += `\\nAlways give temperatures in degrees Celsius.`', 'system += `\\nAlways give temperatures in degrees Fahrenheit.`']);
    });
  });

  it('a prompt formatted with % and positional %s is a lower bound naming the arguments (llm_eval.py written with %)', async () => {
    const judge = fixture('cc_llm_eval_two_judges.py');
    const start = judge.indexOf('prompt = f"""') + 'prompt = f"""'.length;
    const end = judge.indexOf('"""', start);
    // The f-string as a %-template: {{ }} become single braces, the two fields become %s.
    const body = judge.slice(start, end).split('{{').join('{').split('}}').join('}').replace('{input}', '%s').replace('{summary}', '%s');
    const text = `${judge.slice(0, start - 4)}"""${body}""" % (input, summary)${judge.slice(end + 3)}`;
    const result = await service.compute({ text, languageId: 'python', fileName: 'percent.py', defaultModel: 'gpt-4o', compareModels: [], callsPerDay: 1000, withSuggestions: false });
    const prompt = result.prompts.find((p) => p.location.text.startsWith('Evaluate the following summary'));
    assert.ok(prompt, 'the prompt is found');
    assert.deepEqual(prompt.runtimeValues, ['input', 'summary']);
    assert.equal(prompt.cost.tokens.count, count(body.split('%s').join('')));
  });

  it('f-string fields with a conversion or a format spec are named by their expression ({input!r}, {summary:.2000})', async () => {
    const judge = fixture('cc_llm_eval_two_judges.py');
    const text = judge.replace('Original Text: {input}', 'Original Text: {input!r}').replace('Summary to Evaluate: {summary}', 'Summary to Evaluate: {summary:.2000}');
    assert.notEqual(text, judge);
    const result = await service.compute({ text, languageId: 'python', fileName: 'spec.py', defaultModel: 'gpt-4o', compareModels: [], callsPerDay: 1000, withSuggestions: false });
    const prompt = result.prompts.find((p) => p.location.text.startsWith('Evaluate the following summary'));
    assert.deepEqual(prompt?.runtimeValues, ['input', 'summary']);
  });
});

describe('hints on real code: a system prompt held in a variable named `system`', function () {
  this.timeout(60_000);
  it('"You are…" bound to system and sent as system=system is found (llm_eval.py with a system prompt)', async () => {
    const service = new PromptHintService(() => PriceCatalog.bundled());
    const source = fixture('cc_llm_eval_two_judges.py');
    const system = 'You are a strict grader of legal summaries who never rounds scores up.';
    const text = source
      .replace('    response = client.messages.create(\n        model="claude-3-5-sonnet-20241022",\n', `    system = "${system}"\n    response = client.messages.create(\n        model="claude-3-5-sonnet-20241022",\n        system=system,\n`);
    assert.notEqual(text, source);
    const result = await service.compute({ text, languageId: 'python', fileName: 'system.py', defaultModel: 'gpt-4o', compareModels: [], callsPerDay: 1000, withSuggestions: false });
    const prompt = result.prompts.find((p) => p.location.text === system);
    assert.ok(prompt, 'the system prompt is found');
    assert.equal(prompt.location.kind, 'system');
    assert.equal(prompt.model, 'claude-3-5-sonnet-20241022');
  });

  it('a prompt held in a variable with no prompt-like name is found when the variable is the content of a role message (llm_eval.py with `prompt` renamed `grading`)', async () => {
    const source = fixture('cc_llm_eval_two_judges.py').split('\n\ndef quick_eval')[0];
    assert.match(source, /"role": "user",\n\s+"content": prompt\n/);
    const text = source.replace(/\bprompt\b/g, 'grading');
    const result = await new PromptHintService(() => PriceCatalog.bundled()).compute({ text, languageId: 'python', fileName: 'llm_eval.py', defaultModel: 'gpt-4o', compareModels: [], callsPerDay: 1000, withSuggestions: false });
    const found = result.prompts.find((p) => p.location.text.startsWith('Evaluate the following summary'));
    assert.ok(found, 'the prompt is found');
    assert.equal(found.location.kind, 'user');
    assert.equal(found.model, 'claude-3-5-sonnet-20241022');
  });

  describe('getzep/graphiti summarize_sagas.py: a fragment set only under an `if` is a runtime value, not a piece', () => {
    // test/fixtures/scan/python/graphiti_summarize_sagas.py (Apache-2.0): `existing_summary_section = ''`, then
    // `if existing_summary: existing_summary_section = f"""…"""`, spliced into the user prompt. A call with no
    // existing summary sends none of it, so counting it in made "≥807" no lower bound (newuser24: 740 are sent then).
    const file = path.join(root, 'test/fixtures/scan/python/graphiti_summarize_sagas.py');
    const source = readFileSync(file, 'utf8');
    const service = new PromptHintService(() => PriceCatalog.bundled());
    it('the user prompt counts its fixed text only and names the section as a runtime value', async () => {
      const result = await service.compute({ text: source, languageId: 'python', fileName: 'graphiti_summarize_sagas.py', defaultModel: 'gpt-4o', compareModels: [], callsPerDay: 1000, withSuggestions: false });
      const user = result.prompts.find((p) => p.location.kind === 'user');
      assert.ok(user);
      assert.equal(user.pieces, undefined);
      assert.ok(user.runtimeValues.includes('existing_summary_section'), user.runtimeValues.join(', '));
      // The oracle: the literal's body decoded as Python does (a backslash-newline joins lines, `\\\\` is one backslash),
      // every {field} left out.
      const body = tripleQuoted(source, 'content=f"""').replace(/(?<!\\)\\\n/g, '').replace(/\\\\/g, '\\').replace(/\{[^{}]*\}/g, '');
      assert.equal(user.cost.tokens.count, count(body));
    });
    it('the same fragment assigned in the branch that sends the prompt is still a piece', async () => {
      const text = ['def build(existing):', '    if existing:', '        section = f"Known facts to merge with the new ones: {existing}"', '        prompt = f"Summarize the messages below for the user.\\n{section}"', '        return client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": prompt}])', ''].join('\n');
      const result = await service.compute({ text, languageId: 'python', fileName: 'branch.py', defaultModel: 'gpt-4o', compareModels: [], callsPerDay: 1000, withSuggestions: false });
      const prompt = result.prompts.find((p) => p.location.text.startsWith('Summarize'));
      assert.ok(prompt);
      assert.equal(prompt.pieces?.length, 2);
      assert.ok(!prompt.runtimeValues.includes('section'), prompt.runtimeValues.join(', '));
    });
  });
});


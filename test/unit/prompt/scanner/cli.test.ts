import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from '../../../../src/engine/cli/framework';
import { scanCommand } from '../../../../src/engine/cli/scanCommand';
import { TokenizerService } from '../../../../src/shared/prompt/tokenizer';
import { createDispatcher } from '../../../../src/engine/handlers';
import type { RequestScope } from '../../../../src/engine/rpc';
import type { PromptScanResult } from '../../../../src/protocol/scan';
import { scoreCorpus } from '../../../../bench/prompt-scan';

const FIXTURES = resolve(__dirname, '..', '..', '..', '..', '..', 'test', 'fixtures', 'scan');

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, [scanCommand], { stdout: (t) => (out += t), stderr: (t) => (err += t), readStdin: () => Promise.resolve('') });
  return { code, out, err };
}

describe('prompt scan (CLI and prompt/scan)', () => {
  it('prints every prompt of a folder with lines, kind and tokens as JSON', async () => {
    const { code, out } = await cli(['prompt', 'scan', FIXTURES, '--json']);
    assert.equal(code, 0);
    const json = JSON.parse(out) as { prompts: Array<{ file: string; startLine: number; kind: string; tokens: number }>; promptCount: number };
    // The corpus grows (issue 12): the CLI reports exactly what the library finds in the annotated files.
    assert.equal(json.promptCount, scoreCorpus().predicted);
    const demo = json.prompts.filter((p) => p.file.endsWith('openai_demo.py'));
    assert.deepEqual(demo.map((p) => [p.startLine, p.kind, p.tokens]), [[11, 'user', 5], [18, 'user', 5]]);
  });

  it('prints a readable line per prompt and fails clearly on a missing path', async () => {
    const ok = await cli(['prompt', 'scan', resolve(FIXTURES, 'prompts/prompt2.txt')]);
    // "Write 4 words about {{topic}}": the fixed text, a lower bound, as the lens in the editor counts it.
    const fixed = new TokenizerService('js-tiktoken').countWithEncoding('Write 4 words about ', 'o200k_base');
    // Priced as the lens prices it: the default model's input price (genai-prices 0.1.8: gpt-5.4 $2.50 per million), a lower bound too.
    assert.equal(fixed, 6);
    assert.match(ok.out, new RegExp(`prompt2\\.txt:1 +template +≥6 tokens \\+ runtime values \\(topic\\) · ≥\\$0\\.000015 per call \\(gpt-5\\.4\\) "Write 4 words`));
    const missing = await cli(['prompt', 'scan', resolve(FIXTURES, 'nope')]);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /No such file or folder/);
    assert.equal((await cli(['prompt', 'scan'])).code, 2);
  });

  it('counts a prompt with runtime values as the lens in the editor does: the fixed text, as a lower bound, naming the values', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scan-runtime-'));
    const file = join(dir, 'shell.py');
    writeFileSync(file, [
      'from openai import OpenAI',
      'client = OpenAI()',
      'def ask(shell, os_name, question):',
      '    prompt = f"You are a shell expert on {os_name}. Answer only with a {shell} command, no prose, for: {question}"',
      '    return client.chat.completions.create(model="gpt-5.4-mini", messages=[{"role": "system", "content": prompt}])',
      '',
    ].join('\n'));
    // The oracle: js-tiktoken on the literal's text with its three replacement fields cut out by hand.
    const expected = new TokenizerService('js-tiktoken').countWithEncoding('You are a shell expert on . Answer only with a  command, no prose, for: ', 'o200k_base');
    const json = JSON.parse((await cli(['prompt', 'scan', file, '--json'])).out) as { prompts: Array<{ tokens: number; tokensAtLeast?: boolean; runtimeValues?: string[]; model: string }> };
    assert.deepEqual(json.prompts.map((p) => [p.tokens, p.tokensAtLeast, p.runtimeValues, p.model]), [[expected, true, ['os_name', 'shell', 'question'], 'gpt-5.4-mini']]);
    // gpt-5.4-mini's input price in genai-prices 0.1.8: $0.75 per million; 20 tokens cost at least $0.000015.
    assert.equal(expected, 20);
    assert.match((await cli(['prompt', 'scan', file])).out, new RegExp(`shell\\.py:4 +system +≥20 tokens \\+ runtime values \\(os_name, shell, question\\) · ≥\\$0\\.000015 per call \\(gpt-5\\.4-mini\\) prompt: "You are`));
  });

  it("names a composed prompt's lines from its first piece, the line the editor's lens stands on (not its longest piece's)", async () => {
    // Real files (test/fixtures/hints-real/SOURCES.md), lines read off them by string search: openai-agents-python's
    // `return "\n".join([ "## Skills", _SKILLS_SECTION_INTRO, "### Available skills", … ])`, whose longest piece is
    // its third element, and Continue's `promptSections = [ … ]` joined with "\n", whose longest line is far down the list.
    const lineOf = (text: string, needle: string, from = 0): number => {
      const at = text.indexOf(needle, from);
      assert.ok(at >= 0, needle);
      return text.slice(0, at).split('\n').length;
    };
    const skills = resolve(FIXTURES, '..', 'hints-real', 'oaa_sandbox_skills.py');
    const skillsText = readFileSync(skills, 'utf8');
    const join = skillsText.indexOf('return "\\n".join(\n            [\n                "## Skills",');
    assert.ok(join >= 0);
    const [first, last] = [lineOf(skillsText, '"## Skills"', join), lineOf(skillsText, '"### Available skills"', join)];
    assert.deepEqual([first, last], [861, 863]);
    const text = await cli(['prompt', 'scan', skills]);
    assert.match(text.out, new RegExp(`oaa_sandbox_skills\\.py:${first}-${last} +system `));
    const review = resolve(FIXTURES, '..', 'hints-real', 'continue_build_prompt.js');
    const reviewText = readFileSync(review, 'utf8');
    const list = reviewText.indexOf('const promptSections = [');
    const json = JSON.parse((await cli(['prompt', 'scan', review, '--json'])).out) as { prompts: Array<{ startLine: number; endLine: number }> };
    // From the list's first element to its last (both literals).
    assert.deepEqual(
      json.prompts.map((p) => [p.startLine, p.endLine]),
      [[lineOf(reviewText, '"You are reviewing a pull request.', list), lineOf(reviewText, '"If the code looks good overall', list)]],
    );
  });

  it('answers prompt/scan for a document and for paths', async () => {
    const rpc = createDispatcher();
    assert.ok(rpc.has('prompt/scan'));
    const ctx: RequestScope = { token: { isCancellationRequested: false, onCancellationRequested: () => ({ dispose: () => undefined }) }, progress: () => undefined, log: () => undefined };
    const handler = (params: unknown) => rpc.dispatch('prompt/scan', params, ctx);
    const doc = (await handler({ text: 'SYSTEM_PROMPT = "You are a helpful assistant for the docs."\n', languageId: 'python' })) as PromptScanResult;
    assert.equal(doc.promptCount, 1);
    assert.equal(doc.files[0].prompts[0].kind, 'system');
    const disk = (await handler({ paths: [resolve(FIXTURES, 'yaml')] })) as PromptScanResult;
    // The folder also holds the issue-12 YAML corpus; the two promptfoo configs hold one prompt each.
    assert.equal(disk.files.filter((f) => /promptfoo_(json_output|multiple_turn)\.yaml$/.test(f.file)).reduce((n, f) => n + f.prompts.length, 0), 2);
    await assert.rejects(() => handler({ languageId: 'python' }), /Invalid parameters/);
  });
});

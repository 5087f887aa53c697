// Token counts of Chinese prompts in the lenses and hovers (issue 12 item 3; session 31, helper cjk31): the hint of a
// prompt found in NextChat's app/masks/cn.ts and app/locales/cn.ts and in Qwen-Agent's doc-QA member (test/fixtures/scan,
// SOURCES.md) must count what js-tiktoken counts for the literal's text, in the encoding of the prompt's model: each
// NextChat mask names gpt-3.5-turbo in its modelConfig (cl100k_base); the others fall back to the default gpt-5.4
// (o200k_base). The oracle decodes each literal independently: JSON.parse of a double-quoted JavaScript string with only
// JSON escapes, and the lines between a Python triple-quoted string's quotes (no backslash in it), its `{name}` fields
// (filled at run time by str.format) left out.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { PromptHintService } from '../../../src/shared/hints/hints';
import { count } from '../../helpers/tiktokenOracle';

// js-tiktoken's cl100k_base encoder, for the masks' gpt-3.5-turbo (CommonJS build, hence require(), as in tiktokenOracle).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Tiktoken } = require('js-tiktoken/lite') as { Tiktoken: new (ranks: unknown) => { encode(text: string): number[] } };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const cl100k = new Tiktoken(require('js-tiktoken/ranks/cl100k_base') as unknown);
const countCl100k = (text: string): number => cl100k.encode(text).length;

const root = path.resolve(__dirname, '../../../..');
const fixture = (rel: string): string => readFileSync(path.join(root, 'test/fixtures/scan', rel), 'utf8');

/** The text of the double-quoted JavaScript string on line `n` (1-based) of `src` (after `content: `, before a comma). */
const jsStringAt = (src: string, n: number): string => JSON.parse(src.split('\n')[n - 1].trim().replace(/^content: /, '').replace(/,$/, '')) as string;

describe('Chinese prompts: token counts in the lenses and hovers equal js-tiktoken', function () {
  this.timeout(60_000);
  const service = new PromptHintService(() => PriceCatalog.bundled());
  const hintsOf = (rel: string, languageId: string) => service.compute({ text: fixture(rel), languageId, fileName: rel, defaultModel: 'gpt-5.4', compareModels: [], callsPerDay: 1000, withSuggestions: false });

  it('NextChat masks: the text-to-picture system prompt, the 心灵导师 instruction and a short assistant turn', async () => {
    const src = fixture('ts/nextchat_masks_cn.ts');
    const result = await hintsOf('ts/nextchat_masks_cn.ts', 'typescript');
    for (const line of [31, 363, 369]) {
      const text = jsStringAt(src, line);
      const hint = result.prompts.find((p) => p.location.range.start.line + 1 === line);
      assert.ok(hint, `line ${line}`);
      assert.equal(hint.location.text, text);
      assert.equal(hint.model, 'gpt-3.5-turbo');
      assert.equal(hint.cost.tokens.method, 'exact');
      assert.equal(hint.cost.tokens.count, countCl100k(text), `line ${line}`);
    }
  });

  it("NextChat cn.ts: Store.Prompt.Topic, found since this session, is counted as sent", async () => {
    const src = fixture('ts/nextchat_locales_cn.ts');
    const result = await hintsOf('ts/nextchat_locales_cn.ts', 'typescript');
    const hint = result.prompts.find((p) => p.location.range.start.line + 1 === 640);
    assert.ok(hint);
    assert.equal(hint.cost.tokens.count, count(jsStringAt(src, 640)));
  });

  it('Qwen-Agent: PROMPT_TEMPLATE_ZH, its two str.format fields left out as runtime values', async () => {
    const lines = fixture('python/qwen_agent_parallel_doc_qa_member.py').split('\n');
    // Lines 94-100: `PROMPT_TEMPLATE_ZH = """# 文档：` to `请根据回答规则，给出你的回答："""`.
    const text = [lines[93].slice(lines[93].indexOf('"""') + 3), ...lines.slice(94, 99), lines[99].slice(0, lines[99].lastIndexOf('"""'))].join('\n');
    assert.equal(text, '# 文档：\n{ref_doc}\n\n# 问题：\n{instruction}\n\n请根据回答规则，给出你的回答：');
    const result = await hintsOf('python/qwen_agent_parallel_doc_qa_member.py', 'python');
    const hint = result.prompts.find((p) => p.location.boundName === 'PROMPT_TEMPLATE_ZH');
    assert.ok(hint);
    assert.equal(hint.location.text, text);
    assert.deepEqual(hint.runtimeValues, ['ref_doc', 'instruction']);
    assert.equal(hint.cost.tokens.count, count(text.replace('{ref_doc}', '').replace('{instruction}', '')));
  });

  it('Qwen-Agent: SYSTEM_PROMPT_TEMPLATE_ZH is counted as str.format sends it, each doubled brace of its JSON examples one brace', async () => {
    const src = fixture('python/qwen_agent_parallel_doc_qa_member.py');
    const head = 'SYSTEM_PROMPT_TEMPLATE_ZH = """';
    const open = src.indexOf(head) + head.length;
    const written = src.slice(open, src.indexOf('"""', open));
    assert.equal((written.match(/\{\{/g) ?? []).length, 3);
    // What `.format(no_response=…)` sends, less the runtime value: `{{"res": "none", …}}` arrives as `{"res": "none", …}`.
    const sent = written.replace('{no_response}', '').split('{{').join('{').split('}}').join('}');
    const result = await hintsOf('python/qwen_agent_parallel_doc_qa_member.py', 'python');
    const hint = result.prompts.find((p) => p.location.boundName === 'SYSTEM_PROMPT_TEMPLATE_ZH');
    assert.ok(hint);
    assert.deepEqual(hint.runtimeValues, ['no_response']);
    assert.equal(hint.cost.tokens.count, count(sent));
    assert.notEqual(count(sent), count(written.replace('{no_response}', '')));
  });
});

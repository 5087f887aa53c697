import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { findPrompts } from '../../../../src/shared/prompt/scanner';

// newuser35 on langchain-ai/open-canvas (MIT, commit 0310cecd51f31b3d37a52d6d1060137da3405280;
// test/fixtures/open-canvas/SOURCES.md): packages/evals/src/agent.int.test.ts names its langsmith/vitest suites with
// `ls.describe("query routing", () => …)` and `ls.describe("codegen", …)`, and both were found as 2-token tool prompts
// (read as zod's `.describe()`), priced in Plan Cost Reduction at 1,000 calls a day.
const FIXTURES = join(resolve(__dirname, '..', '..', '..', '..', '..'), 'test', 'fixtures', 'open-canvas');
const found = (src: string, fileName: string) => findPrompts(src, undefined, { fileName }).map((p) => `${p.range.start.line + 1} ${p.kind} ${p.text.slice(0, 30)}`);

describe('findPrompts: a describe(name, callback) test suite is no zod description (newuser35)', () => {
  it('open-canvas agent.int.test.ts: the zod field descriptions and the judge prompt, not the suite names', () => {
    const source = readFileSync(join(FIXTURES, 'agent.int.test.ts.txt'), 'utf8');
    // Before: '10 tool query routing' and '66 tool codegen' too.
    assert.deepEqual(found(source, 'agent.int.test.ts'), [
      '38 tool reasoning for why you are assi',
      '42 tool quality score for how well the',
      '52 template where a 1 would be completely ',
    ]);
  });

  it('near miss: a zod .describe() with its one string argument is still a tool description', () => {
    const src = [
      'import { z } from "zod";',
      'const schema = z.object({',
      '  query: z.string().describe("The search query to run against the index of product manuals."),',
      '});',
      'describe("search schema", () => {});',
      'ls.describe("search suite", async () => {});',
    ].join('\n');
    assert.deepEqual(found(src, 'schema.ts'), ['3 tool The search query to run agains']);
  });
});

// open-canvas apps/web/src/components/artifacts/actions_toolbar/custom/NewCustomQuickActionDialog.tsx:31-32 holds the text
// of two tooltips in `CUSTOM_INSTRUCTIONS_TOOLTIP_TEXT` and `FULL_PROMPT_TOOLTIP_TEXT`, rendered as `{…}` in JSX; both were a
// system and a user prompt. The snippet below is written for this test in that shape.
describe('findPrompts: a constant named as a tooltip, label or placeholder is UI text (newuser35)', () => {
  const dialog = (a: string, b: string) =>
    [
      'import { Label } from "@/components/ui/label";',
      '',
      `const ${a} = \`These are the rules you write for the model, which it then follows when it rewrites the selected document.\`;`,
      `const ${b} = \`This is the whole prompt sent to the LLM when you run this action, with your instructions and the default context.\`;`,
      '',
      'export function Dialog() {',
      `  return <div><Label>{${a}}</Label><Label>{${b}}</Label></div>;`,
      '}',
    ].join('\n');

  it('CUSTOM_INSTRUCTIONS_TOOLTIP_TEXT, FULL_PROMPT_TOOLTIP_TEXT, promptPlaceholder, instructionsLabel: none', () => {
    // Before: ['3 system These are the rules you write ', '4 user This is the whole prompt sent '].
    assert.deepEqual(found(dialog('CUSTOM_INSTRUCTIONS_TOOLTIP_TEXT', 'FULL_PROMPT_TOOLTIP_TEXT'), 'Dialog.tsx'), []);
    assert.deepEqual(found(dialog('instructionsLabel', 'promptPlaceholder'), 'Dialog.tsx'), []);
  });

  it('near miss: the same text under prompt names is still found', () => {
    assert.deepEqual(found(dialog('CUSTOM_INSTRUCTIONS', 'FULL_PROMPT'), 'Dialog.tsx'), ['3 system These are the rules you write ', '4 user This is the whole prompt sent ']);
  });
});

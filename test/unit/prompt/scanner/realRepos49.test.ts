/**
 * Session 49, on langfuse/langfuse (MIT outside ee/, commit 62751446149b702b419a9292ddfc2280cdf74b8c): `prompt scan` of
 * the repository ran 33 minutes and one file never finished. Sources in test/fixtures/real-extra/SOURCES.md.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { findPrompts, isStoryFile } from '../../../../src/shared/prompt/scanner';
import { IncrementalPromptScanner } from '../../../../src/shared/prompt/scanner/incremental';
import { splicedNames } from '../../../../src/shared/prompt/scanner/fileNames';

const REAL = resolve(__dirname, '..', '..', '..', '..', '..', 'test', 'fixtures', 'real-extra');

describe('real repositories, session 49 (langfuse)', () => {
  it("web/src/__tests__/json-utils.clienttest.ts, a one-line template literal of JSON with every quote escaped, is scanned (it hung)", () => {
    // The file's USER_DEFINED_TEST_OBJECT.largeOutput1 is a 1.2 MB one-line template literal of escaped JSON
    // (`[{\"timestamp\":\"2025-11-04T…`). The fixture is its first 60 KB; here it is grown to 700 KB by repeating the literal's
    // records. The `+`-chain expression of fileNames.ts tried a string literal from each `\"` to the end of the line:
    // 100,000 tries of up to a million characters (3.8 s on the 60 KB excerpt, ~9 minutes at this size, hours at the
    // real size; now 4 s for the real file, most of it the parse).
    const excerpt = readFileSync(resolve(REAL, 'langfuse_json_utils_excerpt.ts.txt'), 'utf8');
    const open = excerpt.indexOf('largeOutput1: `[') + 'largeOutput1: `['.length;
    const close = excerpt.lastIndexOf(']`');
    const records = excerpt.slice(open, close);
    const grown = `${excerpt.slice(0, open)}${Array(12).fill(records).join(',')}${excerpt.slice(close)}`;
    assert.ok(grown.length > 700_000);
    // Test data of a JSON parser: no prompt in it (nothing is sent to a model).
    assert.deepEqual(findPrompts(grown, undefined, { fileName: 'json-utils.clienttest.ts' }).map((p) => p.text.slice(0, 40)), []);
  });

  it('a string operand of a + chain opens at a quote with no backslash before it', () => {
    // (An escaped quote never opens a literal now; a real chain reads as before.)
    assert.deepEqual([...splicedNames('system_prompt = base_prompt + "\\n\\n" + RULES_SECTION\n')], [['RULES_SECTION', 'base_prompt']]);
  });

  it("an OpenAPI document's components (request and response schemas) are a web API's documentation, not tool prompts", () => {
    // web/public/generated/api/openapi.yml, the public API's spec (an excerpt: its head, 3 paths and 20 of its component
    // schemas): 619 of the repository's 2,634 prompts were "tool" prompts from `components.schemas.*.description`
    // ("Defaults to PENDING for new queue items", "File format for exported data…"); its paths were already no prompts.
    const src = readFileSync(resolve(REAL, 'langfuse_openapi_excerpt.yml.txt'), 'utf8');
    assert.deepEqual(findPrompts(src, 'yaml', { fileName: 'openapi.yml' }).map((p) => p.boundName), []);
  });

  it('a tool schema that merely has a components key inside is still a tool schema', () => {
    const src = JSON.stringify({ tools: [{ type: 'function', function: { name: 'lookup', description: 'Look up the order status for the customer.', parameters: { type: 'object', properties: { components: { type: 'string', description: 'Which components of the order to report on.' } } } } }] }, null, 2);
    assert.deepEqual(findPrompts(src, 'json', { fileName: 'tools.json' }).map((p) => p.text), ['Look up the order status for the customer.', 'Which components of the order to report on.']);
  });

  it("a Storybook story's demonstration messages are no prompts; the same code in a component file still is", () => {
    // web/src/features/evals/v2/components/VariableMapping/VariableMapping.stories.tsx: `messages: [{ role: "user", content:
    // "Where is my order?" }, { role: "assistant", … }]`, the props of a component shown in the UI catalog. The repository's 27
    // story files gave 112 prompts.
    const src = readFileSync(resolve(REAL, 'langfuse_variable_mapping_stories.tsx.txt'), 'utf8');
    assert.deepEqual(findPrompts(src, 'typescriptreact', { fileName: 'VariableMapping.stories.tsx' }), []);
    assert.deepEqual(new IncrementalPromptScanner().scan('story', src, 'typescriptreact', { fileName: 'VariableMapping.stories.tsx' }), []);
    assert.deepEqual(findPrompts(src, 'typescriptreact', { fileName: 'VariableMapping.tsx' }).map((p) => `${p.kind}: ${p.text}`), ['user: Where is my order?', 'assistant: Your order arrives tomorrow.']);
    assert.equal(isStoryFile('Chat.story.ts'), true);
    assert.equal(isStoryFile('history.ts'), false);
  });
});

import * as assert from 'node:assert/strict';
import { findPrompts } from '../../../../src/shared/prompt/scanner';

// newuser41 ran the extension on nanobrowser/nanobrowser (Apache-2.0, commit 322384f8b4d48d8614343e51efca68c85e64f90b).
// The snippets below are written for these tests in the shape of the code met there; no nanobrowser text is copied.
const found = (src: string, fileName: string) => findPrompts(src, undefined, { fileName }).map((p) => `${p.range.start.line + 1} ${p.kind}`);

describe("findPrompts: a Chrome extension locale's placeholder examples are no few-shot prompts (newuser41, nanobrowser messages.json)", () => {
  // Chrome's i18n format (`_locales/<lang>/messages.json`; nanobrowser keeps them in packages/i18n/locales/): each message may
  // name placeholders, each with its `content` ("$1") and an `example` value shown to translators. 26 such examples in
  // three locales were "fewShot" lenses and three tasks of Plan Cost Reduction.
  const src = [
    '{',
    '  "status_replay_started": {',
    '    "message": "Replaying the saved task: $TASK$",',
    '    "description": "Shown when a saved task is replayed",',
    '    "placeholders": {',
    '      "task": {',
    '        "content": "$1",',
    '        "example": "Open the weather page for Lisbon"',
    '      }',
    '    }',
    '  }',
    '}',
    '',
  ].join('\n');

  it("a placeholder's example beside its content is a sample for translators", () => {
    // Before: ['8 fewShot'] ("an example in status_replay_started.placeholders.task.example").
    assert.deepEqual(found(src, 'messages.json'), []);
  });

  it('an example in a list of examples, or beside a content outside a placeholders map, is still one', () => {
    const examples = ['{', '  "examples": [', '    { "example": "Open the weather page for Lisbon and tell me the forecast" }', '  ]', '}', ''].join('\n');
    assert.deepEqual(found(examples, 'fewshot.json'), ['3 fewShot']);
    const task = ['{', '  "task": {', '    "content": "$1",', '    "example": "Open the weather page for Lisbon"', '  }', '}', ''].join('\n');
    assert.deepEqual(found(task, 'task.json'), ['4 fewShot']);
  });
});

describe("findPrompts: a rewrite rule's description is no tool schema (newuser41, nanobrowser guardrails/patterns.ts)", () => {
  // nanobrowser's sanitizer keeps a table of `{ pattern: /…/gi, type: ThreatType.X, description: '…', replacement: '…' }`:
  // the description names the threat in logs. 17 of them were "tool prompt" lenses (the `type` key read as a parameter
  // schema's).
  const src = [
    "import { RuleKind } from './kinds';",
    '',
    'export const REDACTIONS = [',
    '  {',
    '    pattern: /\\b(drop|delete)\\s+every\\s+record\\b/gi,',
    '    type: RuleKind.DESTRUCTIVE,',
    "    description: 'Request to delete every stored record',",
    "    replacement: '[REMOVED_DESTRUCTIVE_REQUEST]',",
    '  },',
    '];',
    '',
  ].join('\n');

  it('the description beside a pattern and its replacement is a label of the rule', () => {
    // Before: ['7 tool'] ("the description in a tool or parameter schema").
    assert.deepEqual(found(src, 'patterns.ts'), []);
  });

  it('a parameter schema with an enum type and a description is still a tool schema', () => {
    const schema = [
      "import { SchemaType } from '@google/generative-ai';",
      '',
      'export const searchParameters = {',
      '  type: SchemaType.OBJECT,',
      "  description: 'Search the stored records for the words of the question',",
      '  properties: { query: { type: SchemaType.STRING } },',
      '};',
      '',
    ].join('\n');
    assert.deepEqual(found(schema, 'tools.ts'), ['5 tool']);
  });
});

describe('findPrompts: an action with a name, a description and a zod schema is a tool (newuser41, nanobrowser actions/schemas.ts)', () => {
  // nanobrowser's navigator reads its actions from `{ name, description, schema: z.object({…}) }` records: the scan found
  // the `.describe()` of each parameter (3 to 7 tokens) but none of the 21 action descriptions (up to ~40 tokens).
  const src = [
    "import { z } from 'zod';",
    '',
    'export const searchDocsAction = {',
    "  name: 'search_docs',",
    "  description: 'Search the documentation in the current tab for the passages that answer the question',",
    "  schema: z.object({ query: z.string().describe('the words to search for') }),",
    '};',
    '',
  ].join('\n');

  it('the description is a tool prompt beside the parameter descriptions', () => {
    // Before: ['6 tool'] (the parameter's description only).
    assert.deepEqual(found(src, 'schemas.ts'), ['5 tool', '6 tool']);
  });

  it('without zod, a record with a name, a description and a schema is not read as a tool', () => {
    const table = ['export const usersTable = {', "  name: 'users',", "  description: 'Everyone who signed up for the newsletter this year',", "  schema: 'public',", '};', ''].join('\n');
    assert.deepEqual(found(table, 'tables.ts'), []);
  });
});

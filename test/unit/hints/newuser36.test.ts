// newuser36 on getzep/graphiti (Apache-2.0, commit 993e081a6d7948a0d8851c12a5fbdbeb49fed862):
// graphiti_core/prompts/dedupe_nodes.py:27-30 describes a pydantic field with a plain string that ends "… Do not include any
// JSON formatting in the Entity name such as {}." The lens said "≥30 tokens + runtime values" and `prompt scan` "runtime
// values ()": the `{}` was read as a positional str.format field, with an empty name. Nothing formats the literal: it is
// passed straight to Field(…) and goes into the JSON schema as written. The class below is the file's, lines 25-30.
import * as assert from 'node:assert/strict';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { PromptHintService } from '../../../src/shared/hints/hints';

describe('hints: `{}` in a plain Python string is text unless formatted where it stands (newuser36)', function () {
  this.timeout(60_000);
  const service = new PromptHintService(() => PriceCatalog.bundled());
  const hints = async (lines: string[]) =>
    (await service.compute({ text: lines.join('\n'), languageId: 'python', fileName: 'dedupe_nodes.py', defaultModel: 'gpt-5.4', compareModels: [], callsPerDay: 1000, withSuggestions: false })).prompts.map((h) => `${h.location.range.start.line + 1} ${h.runtimeValues.join(',') || '-'} ${h.runtimeValues.length > 0 ? '≥' : ''}${h.cost.tokens.count}`);
  const nodeDuplicate = [
    'from pydantic import BaseModel, Field',
    '',
    '',
    'class NodeDuplicate(BaseModel):',
    "    id: int = Field(..., description='integer id of the entity')",
    '    name: str = Field(',
    '        ...,',
    "        description='Name of the entity. Should be the most complete and descriptive name of the entity. Do not include any JSON formatting in the Entity name such as {}.',",
    '    )',
  ];

  it('graphiti NodeDuplicate.name: 31 tokens, exact (the braces counted as text)', async () => {
    // Before: ['5 - 5', '8 - ≥30'] (one runtime value, an empty string; a lower bound).
    assert.deepEqual(await hints(nodeDuplicate), ['5 - 5', '8 - 31']);
  });

  it("near miss: '… {}'.format(x) is a field, named {} (it was named with an empty string)", async () => {
    const formatted = ['def summarize(llm, text):', "    return llm.invoke('Summarize the text below in one sentence and say nothing else: {}'.format(text))"];
    // Before: ['2 - ≥15'] (the runtime value was an empty string).
    assert.deepEqual(await hints(formatted), ['2 {} ≥15']);
  });
});

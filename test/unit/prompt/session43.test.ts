// Session 43 (issue 12): findings left by breaker42, each checked on the real prompt it was found on.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { distillKeepingAtoms } from '../../../src/engine/prompt/handlers';
import { findAtoms } from '../../../src/shared/prompt/scanner/atoms';

const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures');

function collection(file: string): Map<string, string> {
  const data = JSON.parse(readFileSync(path.join(FIXTURES, 'prompts', file), 'utf8')) as { prompts: Array<{ id: string; text: string }> };
  return new Map(data.prompts.map((p) => [p.id, p.text]));
}

describe('session 43: an example\'s JSON object is no replacement field (breaker42: Distill refused at every budget)', () => {
  it('findAtoms: `{"column": "duration_ms"}` and `{\'op\': 1}` are text; `{name}`, `{x:>10}` and `{d["k"]}` stay fields', () => {
    const text = 'A {"column": "duration_ms", "op": "MAX"} B {\'op\': 1} C {name} D {x:>10} E {d["k"]}';
    assert.deepEqual(findAtoms(text).map((a) => a.text), ['{name}', '{x:>10}', '{d["k"]}']);
  });

  it("fabric judge_output (Honeycomb query critic): Distill drops the second example whole, JSON and all, and keeps the template's tags", () => {
    const text = collection('fabric-patterns-rest.json').get('judge_output')!;
    const result = distillKeepingAtoms(text, { model: 'gpt-4o', maxTokens: 400 });
    assert.ok(!result.text.includes('show me slowest trace'), 'the second example was kept');
    assert.ok(result.text.includes('<example-1>') && result.text.includes('<example-3>'));
    assert.ok(result.text.includes('<nlq>{{user_input}}</nlq>') && result.text.includes('{{generated_query}}'));
    assert.ok(result.tokensAfter < result.tokensBefore, `${result.tokensBefore} → ${result.tokensAfter}`);
    assert.deepEqual(result.dropped.map((d) => d.reason), ['example']);
  });
});

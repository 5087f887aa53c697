// The Cost Dashboard's setup JSON (typed in the webview, or built from the workspace's prompts) reaches `cost/optimize`
// with the Python module's snake_case keys made camelCase. break35: a task named `constructor`, `toString` or
// `hasOwnProperty` read the key table's inherited method and was renamed "function Object() { [native code] }".
import * as assert from 'node:assert/strict';
import { camelCaseKeys } from '../../../src/extension/cost/setupKeys';

describe('Cost Dashboard setup keys', () => {
  it('snake_case keys become camelCase, task names stay as written', () => {
    const setup: unknown = JSON.parse('{"models": {"rag answer": "gpt-4o"}, "avg_usage": {"rag answer": {"queries_per_day": 10, "avg_input_tokens": 500, "avg_output_tokens": 200}}}');
    assert.deepEqual(camelCaseKeys(setup), { models: { 'rag answer': 'gpt-4o' }, avgUsage: { 'rag answer': { queriesPerDay: 10, avgInputTokens: 500, avgOutputTokens: 200 } } });
  });

  it('a task named constructor, toString, hasOwnProperty or __proto__ keeps its name', () => {
    const setup: unknown = JSON.parse('{"models": {"constructor": "gpt-4o", "toString": "gpt-4o-mini", "hasOwnProperty": "o3", "__proto__": "gpt-4o"}, "avg_usage": {"constructor": {"avg_tokens": 300, "queries_per_day": 5}}}');
    const out = camelCaseKeys(setup) as { models: Record<string, string>; avgUsage: Record<string, unknown> };
    assert.deepEqual(Object.keys(out.models), ['constructor', 'toString', 'hasOwnProperty', '__proto__']);
    assert.equal(out.models.constructor, 'gpt-4o');
    assert.deepEqual(Object.keys(out.avgUsage), ['constructor']);
    assert.deepEqual(out.avgUsage.constructor, { avgTokens: 300, queriesPerDay: 5 });
  });
});

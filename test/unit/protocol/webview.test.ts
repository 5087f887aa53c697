import * as assert from 'node:assert/strict';
import { parseWebviewMessage } from '../../../src/protocol/webview';

describe('webview message validation', () => {
  it('accepts well-formed messages', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { ok: true, message: { type: 'ready' } });
    assert.equal(parseWebviewMessage({ type: 'analysis/reanalyze', model: 'gpt-4o-mini' }).ok, true);
  });

  const bad: Array<[string, unknown, RegExp]> = [
    ['null', null, /expected object|Invalid input/i],
    ['a string', 'ready', /expected object|Invalid input/i],
    ['an unknown type', { type: 'run/shell', cmd: 'rm -rf /' }, /type|Invalid/i],
    ['a missing field', { type: 'analysis/reanalyze' }, /model/],
    ['a wrong field type', { type: 'analysis/reanalyze', model: 7 }, /model/],
    ['an extra field', { type: 'ready', html: '<img onerror=alert(1)>' }, /html|Unrecognized/i],
    ['an oversized field', { type: 'didRender', summary: 'x'.repeat(20_000) }, /summary|too big/i],
    ['an empty model', { type: 'analysis/reanalyze', model: '' }, /model/],
  ];
  for (const [what, raw, reason] of bad) {
    it(`rejects ${what} with a reason`, () => {
      const result = parseWebviewMessage(raw);
      assert.equal(result.ok, false);
      if (!result.ok) assert.match(result.reason, reason);
    });
  }
});

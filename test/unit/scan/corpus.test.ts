import * as assert from 'node:assert/strict';
import { scoreCorpus } from '../../../bench/prompt-scan';

describe('findPrompts: annotated corpus', () => {
  it('reaches precision >= 0.95 and recall >= 0.90 on test/fixtures/scan', () => {
    const s = scoreCorpus();
    assert.ok(s.annotated >= 20);
    assert.ok(s.matched / s.predicted >= 0.95, `precision ${s.matched}/${s.predicted}; extra: ${s.extras.join('; ')}`);
    assert.ok(s.matched / s.annotated >= 0.9, `recall ${s.matched}/${s.annotated}; missed: ${s.misses.join('; ')}`);
  });
});

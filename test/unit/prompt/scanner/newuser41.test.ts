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

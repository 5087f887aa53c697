/**
 * Source code written out by a tool is no prompt (session 35, the lead's real-repo-check of browserbase/stagehand):
 * the scaffold command's `CORE_TEMPLATE`, `BENCH_TEMPLATE` and `AGENT_BENCH_TEMPLATE` return TypeScript modules in
 * template literals; all three were found as prompts (kind template, confidence 0.83–0.85), and Compress offered to edit them.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { findPrompts } from '../../../../src/shared/prompt/scanner';

const fixture = resolve(__dirname, '../../../../../test/fixtures/real-extra/stagehand_evals_new.ts.txt');

describe('findPrompts: source code written out is no prompt (session 35)', () => {
  it("finds none of stagehand's three module templates", () => {
    const prompts = findPrompts(readFileSync(fixture, 'utf8'), 'typescript', { fileName: 'packages/evals/tui/commands/new.ts' });
    assert.deepEqual(prompts.map((p) => [p.range.start.line + 1, p.boundName]), []);
  });

  it('a Python module written out goes too', () => {
    const src = [
      'MODULE_TEMPLATE = """import os',
      'from pathlib import Path',
      '',
      'def main(root: str) -> None:',
      '    for path in Path(root).iterdir():',
      '        print(path.name, path.stat().st_size)',
      '',
      'class Runner:',
      '    def run(self, name):',
      '        return main(name)',
      '"""',
    ].join('\n');
    assert.deepEqual(findPrompts(src, 'python'), []);
  });

  it('still finds prompts that hold code: a fenced example, a JSON answer format, instructions around code, code sent to a model', () => {
    const fenced = 'REVIEW_PROMPT = """Review this module and list its bugs.\n```python\nimport os\nfrom x import y\ndef main():\n    return 1\n```\n"""\n';
    assert.equal(findPrompts(fenced, 'python').length, 1);
    const json = 'EXTRACT_PROMPT = """Extract the person from the text and answer in this JSON format:\n{\n  "name": "...",\n  "age": 0,\n  "city": "..."\n}\nText: {text}\n"""\n';
    assert.equal(findPrompts(json, 'python').length, 1);
    const completion = [
      'from openai import OpenAI',
      'client = OpenAI()',
      'def complete(name):',
      '    prompt = f"""import math',
      'from typing import List',
      '',
      'def {name}(numbers: List[float]) -> float:',
      '    """',
      '    return client.completions.create(model="gpt-3.5-turbo-instruct", prompt=prompt)',
    ].join('\n');
    // Sent to a completions API: the call says it is a prompt, whatever it reads like.
    assert.equal(findPrompts(completion, 'python').length, 1);
  });
});

describe('findPrompts: a prompt joined with a `*_PLACEHOLDER` constant (session 35)', () => {
  it("finds livekit/agents-js's expressive TTS template: the placeholder constant is a template field's marker", () => {
    // livekit/agents-js (Apache-2.0, 8c88e3b3a) livekit/agents-js/agents/src/voice/agent_session.ts lines 404-411.
    const src = [
      "export const TTS_INSTRUCTIONS_PLACEHOLDER = '{tts.markup.llm_instructions}';",
      '',
      'export const DEFAULT_EXPRESSIVE_OPTIONS: ExpressiveOptions = {',
      '  ttsInstructionsTemplate:',
      "    'You can control how you speak using the following formatting tags. ' +",
      "    'Use them when appropriate to make your speech more expressive and natural:\\n\\n' +",
      '    TTS_INSTRUCTIONS_PLACEHOLDER,',
      '  speechSteering: DEFAULT_SPEECH_STEERING_OPTIONS,',
      '};',
    ].join('\n');
    const found = findPrompts(src, 'typescript');
    assert.equal(found.length, 1);
    assert.ok(found[0].text.startsWith('You can control how you speak'), found[0].text);
  });
});

// Leftovers of issue 12 that break32a found (session 33, helper left33): a `handoff_description` is a tool description
// only in the OpenAI Agents SDK's own agents, and a question bound to a name and then asked with `input(name)` is no
// prompt. Real files in test/fixtures/real-extra (SOURCES.md); each rule has a near miss that keeps today's result.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { foundIn } from '../../../helpers/scanCorpus';

const FIXTURES = join(resolve(__dirname, '..', '..', '..', '..', '..'), 'test', 'fixtures', 'real-extra');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

describe('findPrompts: handoff descriptions of the Agents SDK only (left33)', () => {
  it("openai-agents-python's customer service: each Agent[AirlineAgentContext]'s handoff_description is a tool description", () => {
    assert.deepEqual(foundIn(fixture('customer_service_main.py.txt'), 'main.py'), [
      [64, 70, 'tool'],
      [91, 91, 'tool'],
      [92, 98, 'system'],
      [104, 104, 'tool'],
      [105, 112, 'system'],
      [118, 118, 'tool'],
      [120, 121, 'system'],
    ]);
  });

  it("a class of the project's own that takes the same keyword is not the SDK's agent (break32a)", () => {
    const src = [
      'from dataclasses import dataclass',
      '',
      '@dataclass',
      'class SupportAgent:',
      '    name: str',
      '    handoff_description: str',
      '',
      'billing = SupportAgent(name="billing", handoff_description="Routes the ticket to the billing queue for refunds")',
    ].join('\n');
    assert.deepEqual(foundIn(src, 'routing.py'), []);
  });

  it('near miss: the SDK\'s Agent, imported from agents, keeps its handoff description', () => {
    const src = ['from agents import Agent', '', 'tutor = Agent(', '    name="History Tutor",', '    handoff_description="Specialist agent for historical questions",', ')'].join('\n');
    assert.deepEqual(foundIn(src, 'agents_demo.py'), [[5, 5, 'tool']]);
    // The same keyword on an Agent of no known SDK (nothing imported from agents) is left alone.
    assert.deepEqual(foundIn(src.replace('from agents import Agent', 'from .base import Agent'), 'agents_demo.py'), []);
  });
});

describe('findPrompts: a question asked with input(name) is no prompt (left33)', () => {
  it("aider's report.py: `prompt = \"Open a GitHub Issue …? (Y/n) \"` then `input(prompt)`", () => {
    assert.deepEqual(foundIn(fixture('aider_report.py.txt'), 'report.py'), []);
  });

  it('a question built with += and asked after is none either; one asked directly stays silent', () => {
    const src = ['def confirm():', '    prompt_text = ""', '    prompt_text += "Press Enter to continue or Ctrl-C to quit"', '    input(prompt_text)'].join('\n');
    assert.deepEqual(foundIn(src, 'cli.py'), []);
  });

  it('near miss: the same name bound again to a prompt sent to a model is still that prompt', () => {
    const src = [
      'import openai',
      '',
      'def ask():',
      '    prompt = "Do you want to continue with the upload? (y/n) "',
      '    if input(prompt) != "y":',
      '        return None',
      '    prompt = "Summarize the uploaded report in three bullet points for the project manager."',
      '    return openai.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": prompt}])',
    ].join('\n');
    assert.deepEqual(foundIn(src, 'upload.py'), [[7, 7, 'user']]);
  });
});

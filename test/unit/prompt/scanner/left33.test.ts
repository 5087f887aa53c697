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
      // faq_lookup_tool's `@function_tool(description_override="Lookup frequently asked questions.")` (left34).
      [40, 40, 'tool'],
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

  it("crewAI devtools' create_or_reset_branch: a question bound in each branch of an if, then asked with Confirm.ask(prompt) (break33b)", () => {
    // crewAIInc/crewAI f4731f5 lib/devtools/src/crewai_devtools/cli.py, lines 225-244 (MIT). The first binding's next
    // use was taken to be the else branch's binding, so 'Close the PR, …?' was a user prompt.
    const src = [
      'def create_or_reset_branch(branch, open_pr, local_exists, remote_exists):',
      '    if local_exists or remote_exists:',
      '        if open_pr:',
      '            console.print(',
      '                f"\\n[yellow]![/yellow] Branch [bold]{branch}[/bold] already has an open PR: {open_pr}"',
      '            )',
      '            prompt = "Close the PR, reset the branch, and continue?"',
      '        else:',
      '            where = []',
      '            if local_exists:',
      '                where.append("local")',
      '            if remote_exists:',
      '                where.append("remote")',
      '            console.print(',
      '                f"\\n[yellow]![/yellow] Branch [bold]{branch}[/bold] already exists ({\', \'.join(where)}) with no open PR"',
      '            )',
      '            prompt = "Delete it and recreate?"',
      '',
      '        if not Confirm.ask(prompt, default=False):',
      '            console.print("[red]Aborted.[/red]")',
      '            sys.exit(1)',
    ].join('\n');
    assert.deepEqual(foundIn(src, 'cli.py'), []);
  });

  it('near miss: a binding read in between (`prompt = prompt + …`) is a use, and what it sends is still a prompt', () => {
    const src = [
      'import openai',
      '',
      'def ask(report):',
      '    prompt = "Summarize the uploaded report in three bullet points for the project manager."',
      '    prompt = prompt + "\\n\\n" + report',
      '    reply = openai.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": prompt}])',
      '    prompt = "Send the summary to the team? (y/n) "',
      '    if input(prompt) == "y":',
      '        return reply',
    ].join('\n');
    assert.deepEqual(foundIn(src, 'upload.py'), [[4, 4, 'user']]);
  });
});

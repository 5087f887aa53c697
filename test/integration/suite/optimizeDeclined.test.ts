// Optimize Prompt that changes nothing says why, as the engine does (newuser34 on bytedance/deer-flow, commit
// f1f4af99bbf1cffb83a80744bf6e4a44ee8f24be: app/gateway/github/prompts.py's pull request prompt under Optimize → balanced →
// Local rules gave "the prompt is already as short as this operation makes it", though Optimize is about structure and the
// engine had answered "No safe improvement for balanced: …"). The prompt below is written for this test in that shape.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

describe('Optimize Prompt that declines to change a prompt', function () {
  this.timeout(60_000);

  it("shows the engine's reason, not \"already as short\"", async () => {
    const content = [
      'def issue_prompt(action, repo, number, title, author, body):',
      '    return (',
      '        f"An issue was {action} in {repo}:\\n\\n"',
      '        f"  #{number} {title}\\n"',
      '        f"  Opened by: {author}\\n\\n"',
      '        f"Body:\\n{body}\\n\\n"',
      '        f"Work out what to do about this issue, if anything, and do it. Your last message goes to the run log only — "',
      '        f"nobody on GitHub will see it. To answer on the issue, run `gh issue comment` yourself while you work."',
      '    )',
      '',
    ].join('\n');
    const document = await vscode.workspace.openTextDocument({ language: 'python', content });
    await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    const offset = content.indexOf('Work out what') + 3;
    const outcome = await vscode.commands.executeCommand<{ applied: boolean; reason?: string; message?: string }>('pepperpy.optimizePrompt', document.uri, offset, 'balanced');
    assert.equal(outcome?.applied, false, outcome?.reason);
    assert.equal(outcome?.reason, 'unchanged');
    // Before: 'PepperPy: the prompt is already as short as this operation makes it; nothing to change.'
    assert.equal(outcome?.message, 'PepperPy: No safe improvement for balanced: found no change toward fewer tokens or clearer structure that keeps the wording and order intact. The prompt is returned unchanged.');
    assert.equal(document.getText(), content);
  });
});

// Session 36, from newuser35 on langchain-ai/open-canvas (MIT, commit 0310cecd, test/fixtures/open-canvas/SOURCES.md):
// apps/agents/src/reflection/prompts.ts names no model; reflection/index.ts imports REFLECT_SYSTEM_PROMPT from it and
// sends it with `new ChatAnthropic({ model: "claude-3-5-sonnet-20240620" })`. The lens of prompts.ts priced it with
// pepperpy.defaultModel; it now says the model of the file that sends it, and follows that file when it changes on disk.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, waitFor } from '../helpers';

const repo = path.resolve(__dirname, '../../../..');
const fixture = (name: string): string => fs.readFileSync(path.join(repo, 'test/fixtures/open-canvas', name), 'utf8');

function hoverText(hovers: vscode.Hover[] | undefined): string {
  return (hovers ?? []).flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
}

describe('A prompt module priced with the model of the file that imports and sends it', function () {
  this.timeout(120_000);
  let dir: string;
  let document: vscode.TextDocument;
  const promptsText = fixture('reflection-prompts.ts.txt');
  const indexText = fixture('reflection-index.ts.txt');

  before(async () => {
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(root, 'no workspace folder');
    dir = path.join(root, 's36-open-canvas');
    const reflection = path.join(dir, 'apps', 'agents', 'src', 'reflection');
    fs.mkdirSync(reflection, { recursive: true });
    fs.writeFileSync(path.join(reflection, 'index.ts'), indexText);
    fs.writeFileSync(path.join(reflection, 'prompts.ts'), promptsText);
    await api();
    document = await vscode.workspace.openTextDocument(path.join(reflection, 'prompts.ts'));
    await vscode.window.showTextDocument(document);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function lensWith(model: string): Promise<string> {
    let titles: string[] = [];
    await waitFor(() => `a lens priced for ${model} (last: ${titles.join(' | ') || 'none'})`, async () => {
      const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri)) ?? [];
      titles = lenses.map((l) => l.command?.title ?? '').filter((t) => t.includes(' per call '));
      return titles.some((t) => t.endsWith(`(${model})`));
    }, 60_000, 250);
    return titles.find((t) => t.endsWith(`(${model})`)) ?? '';
  }

  it('the lens and hover of REFLECT_SYSTEM_PROMPT say claude-3-5-sonnet-20240620, the only model set in reflection/index.ts', async () => {
    const title = await lensWith('claude-3-5-sonnet-20240620');
    assert.match(title, /^≥[\d,]+ tokens \+ runtime values · ≥\$[\d.]+ per call \(claude-3-5-sonnet-20240620\)$/);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, document.positionAt(promptsText.indexOf('You are an expert assistant') + 5));
    const text = hoverText(hovers);
    assert.ok(text.includes('**claude-3-5-sonnet-20240620** (of the file that sends it)'), text);
    assert.ok(text.includes('Model: claude-3-5-sonnet-20240620, the only model set in s36-open-canvas/apps/agents/src/reflection/index.ts (line 51), which imports it.'), text);
  });

  it('the sending file changed on disk: the lens follows it', async () => {
    fs.writeFileSync(path.join(dir, 'apps', 'agents', 'src', 'reflection', 'index.ts'), indexText.replace('"claude-3-5-sonnet-20240620"', '"claude-3-haiku-20240307"'));
    await lensWith('claude-3-haiku-20240307');
  });
});

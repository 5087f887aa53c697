// Checks the test harness itself: that the suite runs inside a real VS Code extension
// host with our extension loaded as the development extension. If these fail, every other
// integration failure is suspect, so they are kept deliberately small.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'pepperpy.pepperpy-optimization';

describe('Test harness', () => {
  it('runs inside a VS Code extension host that satisfies engines.vscode', () => {
    const [major, minor] = vscode.version.split('.').map(Number);
    assert.ok(major === 1 && minor >= 95, `expected VS Code >= 1.95, got ${vscode.version}`);
  });

  it('has the extension under development loaded', () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not installed in this host`);
    const manifest = extension.packageJSON as { publisher?: string; name?: string };
    assert.equal(`${manifest.publisher}.${manifest.name}`, EXTENSION_ID);
  });

  it('activates the extension', async function () {
    this.timeout(60_000);
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  it('registers the Analyze Prompt command', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('pepperpy.analyzePrompt'), 'pepperpy.analyzePrompt is not registered');
  });

  it('opens the fixture workspace', () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.equal(folders.length, 1, 'expected exactly one workspace folder');
    assert.ok(folders[0].uri.path.endsWith('/workspace'), `unexpected workspace folder ${folders[0].uri.toString()}`);
  });
});

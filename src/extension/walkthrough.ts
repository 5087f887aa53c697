/**
 * The getting-started walkthrough (`contributes.walkthroughs` in package.json, its pages in
 * media/walkthrough/). Each step's button runs the product's own command; this file only
 * adds the first step's "open the sample app", which the others build on: the sample's
 * system prompt is what "Compress Prompt" then rewrites.
 */
import * as vscode from 'vscode';
import type { Log } from './common/log';
import { errorMessage } from '../protocol/errors';

export const WALKTHROUGH_ID = 'pepperpy.pepperpy-optimization#pepperpy.gettingStarted';
const SAMPLE = ['media', 'walkthrough', 'support_bot.py'];
/** Where the cursor goes: inside the system prompt, so the status bar and Compress Prompt act on it. */
const CURSOR_AT = 'friendly and very helpful';

/**
 * Opens the walkthrough's sample app as a new untitled Python file (nothing is written to
 * the workspace) with the cursor in its system prompt, beside the walkthrough.
 */
export function openWalkthroughSample(context: vscode.ExtensionContext, log: Log): () => Promise<vscode.TextEditor | undefined> {
  return async () => {
    const uri = vscode.Uri.joinPath(context.extensionUri, ...SAMPLE);
    let content: string;
    try {
      content = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch (error) {
      log.error(`The walkthrough sample ${uri.fsPath} could not be read: ${errorMessage(error)}`);
      void vscode.window.showErrorMessage(vscode.l10n.t("PepperPy: the walkthrough's sample app is missing from the extension ({0}). Reinstall the extension, or open any file of yours that calls an LLM.", errorMessage(error)));
      return undefined;
    }
    const document = await vscode.workspace.openTextDocument({ language: 'python', content });
    const editor = await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: false });
    const at = document.positionAt(Math.max(0, content.indexOf(CURSOR_AT)));
    editor.selection = new vscode.Selection(at, at);
    editor.revealRange(new vscode.Range(at, at), vscode.TextEditorRevealType.InCenter);
    return editor;
  };
}

/** `PepperPy: Get Started`: opens the walkthrough in the Welcome page. */
export async function openWalkthrough(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, false);
}

import * as path from 'node:path';
import * as vscode from 'vscode';
import { MAX_PROMPT_CHARS } from '../../protocol/prompt';
import { config } from '../config';
import type { AnalysisPanel } from '../panels/analysisPanel';

/** "PepperPy: Analyze Prompt": the selection, or the whole file when nothing is selected. */
export function analyzePrompt(panel: AnalysisPanel) {
  return async (uri?: vscode.Uri): Promise<void> => {
    let document: vscode.TextDocument | undefined;
    let selection: vscode.Selection | undefined;
    if (uri instanceof vscode.Uri) {
      document = await vscode.workspace.openTextDocument(uri);
    } else {
      const editor = vscode.window.activeTextEditor;
      document = editor?.document;
      selection = editor?.selection;
    }
    if (!document) {
      void vscode.window.showWarningMessage('PepperPy: open a file or select the prompt text to analyze first.');
      return;
    }
    const useSelection = selection !== undefined && !selection.isEmpty;
    const text = useSelection ? document.getText(selection) : document.getText();
    if (text.trim().length === 0) {
      void vscode.window.showWarningMessage(`PepperPy: ${useSelection ? 'the selection' : 'the file'} is empty: there is no prompt to analyze.`);
      return;
    }
    if (text.length > MAX_PROMPT_CHARS) {
      void vscode.window.showWarningMessage(`PepperPy: the text has ${text.length.toLocaleString()} characters; the limit for one prompt is ${MAX_PROMPT_CHARS.toLocaleString()}. Select the prompt itself.`);
      return;
    }
    const name = document.isUntitled ? document.uri.path : path.basename(document.fileName);
    const source = useSelection ? `selection in ${name}` : name;
    await panel.analyze(text, source, config.defaultModel());
  };
}

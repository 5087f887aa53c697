import * as vscode from 'vscode';
import { encodeLiteralContent } from '../../engine/prompt/scanner';
import { DIAGNOSTIC_SOURCE } from './diagnostics';
import type { PromptIndex } from './promptIndex';
import { PROMPT_DOCUMENT_SELECTOR } from './promptIndex';

/** Quick fixes for PepperPy diagnostics, and the rewrite actions for the prompt under the cursor. */
export class PromptCodeActionProvider implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix, vscode.CodeActionKind.RefactorRewrite];

  constructor(
    private readonly index: PromptIndex,
    private readonly trusted: () => boolean,
  ) {}

  async provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    const prompt = await this.index.promptAt(document, range.start);
    if (!prompt) return [];
    const actions: vscode.CodeAction[] = [];
    const uri = document.uri;
    const offset = prompt.location.range.start.offset;

    // Mechanical fixes of single suggestions (a filler word, a repeated sentence).
    if (prompt.location.segments.length <= 1) {
      for (const diagnostic of context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE)) {
        const suggestion = prompt.suggestions.find((s) => s.documentRange && s.replacement !== undefined && s.kind === diagnostic.code && document.offsetAt(diagnostic.range.start) === s.documentRange.start.offset);
        if (!suggestion || !suggestion.documentRange || suggestion.replacement === undefined) continue;
        let text: string;
        try {
          text = encodeLiteralContent(suggestion.replacement, prompt.location.quoting);
        } catch {
          continue;
        }
        const fix = new vscode.CodeAction(suggestion.replacement === '' ? `Remove ${suggestion.kind === 'repetition' ? 'the repetition' : `"${document.getText(diagnostic.range).slice(0, 40)}"`}` : `Replace with "${suggestion.replacement.slice(0, 40)}"`, vscode.CodeActionKind.QuickFix);
        fix.diagnostics = [diagnostic];
        fix.edit = new vscode.WorkspaceEdit();
        fix.edit.replace(uri, new vscode.Range(document.positionAt(suggestion.documentRange.start.offset), document.positionAt(suggestion.documentRange.end.offset)), text);
        actions.push(fix);
      }
    }
    if (!this.trusted()) return actions;
    const command = (title: string, id: string, args: unknown[], kind: vscode.CodeActionKind) => {
      const action = new vscode.CodeAction(title, kind);
      action.command = { title, command: id, arguments: [uri, offset, ...args] };
      return action;
    };
    const hasDiagnostics = context.diagnostics.some((d) => d.source === DIAGNOSTIC_SOURCE);
    const kind = hasDiagnostics ? vscode.CodeActionKind.QuickFix : vscode.CodeActionKind.RefactorRewrite;
    actions.push(
      command('Compress prompt', 'pepperpy.compressPrompt', [], kind),
      command('Distill prompt to N tokens…', 'pepperpy.distillPrompt', [], kind),
      command('Optimize prompt (quality)', 'pepperpy.optimizePrompt', ['quality'], kind),
      command('Optimize prompt (efficiency)', 'pepperpy.optimizePrompt', ['efficiency'], kind),
      command('Optimize prompt (balanced)', 'pepperpy.optimizePrompt', ['balanced'], kind),
    );
    return actions;
  }
}

export function registerCodeActions(index: PromptIndex, trusted: () => boolean): vscode.Disposable {
  return vscode.languages.registerCodeActionsProvider(PROMPT_DOCUMENT_SELECTOR, new PromptCodeActionProvider(index, trusted), { providedCodeActionKinds: PromptCodeActionProvider.kinds });
}

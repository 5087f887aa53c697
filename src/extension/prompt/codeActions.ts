import * as vscode from 'vscode';
import { planLiteralEdit } from '../../shared/prompt/rewriteGuard';
import { DIAGNOSTIC_SOURCE, sameDiagnostic, type DiagnosedDocuments, type PlacedDiagnostic } from './diagnostics';
import type { PromptIndex } from './promptIndex';
import { PROMPT_DOCUMENT_SELECTOR } from './promptIndex';
import type { VersionedOffset } from './trackedRange';

/** The fix's title in the words of its diagnostic: `Remove "basically"`, `Replace "in order to" with "to"`. */
function fixTitle(kind: string, message: string, marked: string, replacement: string): string {
  if (kind === 'repetition') return vscode.l10n.t('Remove the repeated sentence');
  // Spaces quoted read as nothing: 'Remove ""' (newuser29, gpt-researcher's trailing space).
  if (kind === 'whitespace') return vscode.l10n.t('Remove the extra whitespace');
  const remove = /remove "([^"]{1,60})"/.exec(message);
  if (remove) return vscode.l10n.t('Remove "{0}"', remove[1]);
  const replace = /replace "([^"]{1,60})" with "([^"]{0,60})"/.exec(message);
  if (replace) return vscode.l10n.t('Replace "{0}" with "{1}"', replace[1], replace[2]);
  return replacement.trim() === '' ? vscode.l10n.t('Remove "{0}"', marked.slice(0, 40)) : vscode.l10n.t('Replace with "{0}"', replacement.slice(0, 40));
}

/** Quick fixes for PepperPy diagnostics, and the rewrite actions for the prompt under the cursor. */
export class PromptCodeActionProvider implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix, vscode.CodeActionKind.RefactorRewrite];

  constructor(
    private readonly index: PromptIndex,
    private readonly trusted: () => boolean,
    /** The diagnostics set and their versions (none: the context's diagnostics are read as placed in the current text). */
    private readonly diagnosed?: DiagnosedDocuments,
  ) {}

  async provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    const version = document.version;
    const prompt = await this.index.promptAt(document, range.start);
    // (The document changed while the hints were computed: the prompt's offsets are those of the version before.)
    if (!prompt || document.version !== version) return [];
    const actions: vscode.CodeAction[] = [];
    const uri = document.uri;
    // (With the version: the user may edit the file before choosing the action.)
    const offset: VersionedOffset = { offset: prompt.location.range.start.offset, version };

    // Mechanical fixes of single suggestions (a filler word, a repeated sentence). Each goes
    // through the rewrite guard like any rewrite: the literal is re-encoded, the file parsed
    // again, and a fix that would break an interpolation or the code is offered disabled, with why.
    const source = document.getText();
    for (const { diagnostic, start } of this.diagnosticsAt(document, range, context)) {
      const suggestion = prompt.suggestions.find((s) => s.documentRange && s.range && s.replacement !== undefined && s.kind === diagnostic.code && start === s.documentRange.start.offset);
      if (!suggestion?.range || suggestion.replacement === undefined) continue;
      const decoded = prompt.location.text;
      const edit = suggestion.fix ?? { start: suggestion.range.start, end: suggestion.range.end, replacement: suggestion.replacement };
      const newText = decoded.slice(0, edit.start) + edit.replacement + decoded.slice(edit.end);
      const title = fixTitle(suggestion.kind, suggestion.message, decoded.slice(suggestion.range.start, suggestion.range.end).trim(), suggestion.replacement);
      const fix = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
      fix.diagnostics = [diagnostic];
      const verdict = planLiteralEdit(source, prompt.location, newText, { languageId: document.languageId, fileName: document.uri.fsPath || document.uri.path });
      if (!verdict.ok) {
        // (Not "The rewrite was not applied": nothing was asked for yet, breaker42.)
        fix.disabled = { reason: vscode.l10n.t('This fix would break the prompt or the code around it: {0}.', verdict.why) };
      } else {
        fix.edit = new vscode.WorkspaceEdit();
        fix.edit.replace(uri, new vscode.Range(document.positionAt(verdict.edit.start), document.positionAt(verdict.edit.end)), verdict.edit.text);
        fix.isPreferred = true;
      }
      actions.push(fix);
    }
    if (!this.trusted()) return actions;
    const command = (title: string, id: string, args: unknown[], kind: vscode.CodeActionKind) => {
      const action = new vscode.CodeAction(title, kind);
      action.command = { title, command: id, arguments: [uri, offset, ...args] };
      return action;
    };
    const hasDiagnostics = actions.length > 0 || context.diagnostics.some((d) => d.source === DIAGNOSTIC_SOURCE);
    const kind = hasDiagnostics ? vscode.CodeActionKind.QuickFix : vscode.CodeActionKind.RefactorRewrite;
    actions.push(
      command(vscode.l10n.t('Compress prompt'), 'pepperpy.compressPrompt', [], kind),
      command(vscode.l10n.t('Distill prompt to N tokens…'), 'pepperpy.distillPrompt', [], kind),
      command(vscode.l10n.t('Optimize prompt (quality)'), 'pepperpy.optimizePrompt', ['quality'], kind),
      command(vscode.l10n.t('Optimize prompt (efficiency)'), 'pepperpy.optimizePrompt', ['efficiency'], kind),
      command(vscode.l10n.t('Optimize prompt (balanced)'), 'pepperpy.optimizePrompt', ['balanced'], kind),
    );
    return actions;
  }

  /**
   * PepperPy's diagnostics at `range`, each with its start offset in the current text. VS Code hands the provider the
   * diagnostics as they were set, at their ranges in the text of that version; after an edit (a quick fix applied, a word
   * typed) the squiggles move with the text but those ranges do not, until the hints of the new text are in. Each one set
   * is carried into the current text through the edits since, and those now under `range` are the ones fixed.
   */
  private diagnosticsAt(document: vscode.TextDocument, range: vscode.Range, context: vscode.CodeActionContext): PlacedDiagnostic[] {
    const given = context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
    if (!this.diagnosed) return given.map((diagnostic) => ({ diagnostic, start: document.offsetAt(diagnostic.range.start), end: document.offsetAt(diagnostic.range.end) }));
    const placed = this.diagnosed.current(document, (offset, version) => this.index.offsetNow(document, offset, version));
    const from = document.offsetAt(range.start);
    const to = document.offsetAt(range.end);
    const out = placed.filter((p) => p.start <= to && p.end >= from);
    // (A diagnostic handed over that is not among those set, a copy of one VS Code kept: read where it says it is.)
    for (const diagnostic of given) {
      if (!placed.some((p) => sameDiagnostic(p.diagnostic, diagnostic))) out.push({ diagnostic, start: document.offsetAt(diagnostic.range.start), end: document.offsetAt(diagnostic.range.end) });
    }
    return out;
  }
}

export function registerCodeActions(index: PromptIndex, trusted: () => boolean, diagnosed?: DiagnosedDocuments): vscode.Disposable {
  return vscode.languages.registerCodeActionsProvider(PROMPT_DOCUMENT_SELECTOR, new PromptCodeActionProvider(index, trusted, diagnosed), { providedCodeActionKinds: PromptCodeActionProvider.kinds });
}

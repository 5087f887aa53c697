import * as vscode from 'vscode';
import type { PromptHintsResult } from '../../protocol/hints';
import { isTokenizerModelArgument } from '../../shared/prompt/modelUse';
import { config } from '../common/config';
import type { PromptIndex } from './promptIndex';
import { lifecycleMessage } from './hover';
import { PREVIEW_SCHEME } from './previewScheme';

export const DIAGNOSTIC_SOURCE = 'PepperPy';

function severity(): vscode.DiagnosticSeverity | undefined {
  switch (config.diagnosticsSeverity()) {
    case 'error':
      return vscode.DiagnosticSeverity.Error;
    case 'warning':
      return vscode.DiagnosticSeverity.Warning;
    case 'hint':
      return vscode.DiagnosticSeverity.Hint;
    case 'off':
      return undefined;
    default:
      return vscode.DiagnosticSeverity.Information;
  }
}

export function diagnosticsFor(document: vscode.TextDocument, hints: PromptHintsResult): vscode.Diagnostic[] {
  const level = severity();
  if (level === undefined) return [];
  const diagnostics: vscode.Diagnostic[] = [];
  for (const prompt of hints.prompts) {
    for (const s of prompt.suggestions) {
      // Without a range of its own a finding is about the whole prompt: mark the start of the prompt, not all of it.
      const r = s.documentRange ?? { start: prompt.location.contentRange.start, end: prompt.location.contentRange.start };
      let range = new vscode.Range(document.positionAt(r.start.offset), document.positionAt(Math.max(r.start.offset, r.end.offset)));
      if (range.isEmpty) range = document.getWordRangeAtPosition(range.start, /\S{1,40}/) ?? range;
      const saves = s.tokensSaved === 1 ? vscode.l10n.t('(saves ~1 token)') : vscode.l10n.t('(saves ~{0} tokens)', s.tokensSaved);
      const d = new vscode.Diagnostic(range, s.tokensSaved > 0 ? `${s.message} ${saves}` : s.message, level);
      d.source = DIAGNOSTIC_SOURCE;
      d.code = s.kind;
      diagnostics.push(d);
    }
  }
  // A retired model fails every call: a warning whatever the level; a deprecated one gets the chosen level.
  // A model name that is a key of a table (`KnowledgeCutOffDate = { "gpt-4-0613": "2021-09", … }`, NextChat) calls nothing:
  // a hint there, not thirty warnings (newuser30).
  const text = hints.models.some((m) => m.lifecycle) ? document.getText() : '';
  for (const model of hints.models) {
    if (!model.lifecycle) continue;
    const range = new vscode.Range(document.positionAt(model.range.start.offset), document.positionAt(model.range.end.offset));
    // So does a tokenizer lookup (`tiktoken.encoding_for_model("gpt-3.5-turbo")`, kotaemon's text splitters: seven warnings, newuser40).
    const key = /^[ \t]*:(?!:)/.test(text.slice(model.range.end.offset, model.range.end.offset + 40)) || isTokenizerModelArgument(text, model.range.start.offset);
    const d = new vscode.Diagnostic(range, lifecycleMessage(model, false), key ? vscode.DiagnosticSeverity.Hint : model.lifecycle.status === 'retired' ? vscode.DiagnosticSeverity.Warning : level);
    d.source = DIAGNOSTIC_SOURCE;
    d.code = model.lifecycle.source ? { value: model.lifecycle.status === 'retired' ? 'modelRetired' : 'modelDeprecated', target: vscode.Uri.parse(model.lifecycle.source) } : model.lifecycle.status === 'retired' ? 'modelRetired' : 'modelDeprecated';
    diagnostics.push(d);
  }
  return diagnostics;
}

/** Keeps the "PepperPy" diagnostics of each document in step with its hints. */
export function registerDiagnostics(index: PromptIndex): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection('pepperpy');
  const refresh = async (document: vscode.TextDocument) => {
    // A rewrite's preview is a copy of a file the collection already covers: its findings would show twice (newuser33:
    // Problems went from 24 to 41 while Optimize's diff was open).
    if (!index.applies(document) || document.uri.scheme === PREVIEW_SCHEME) return;
    const version = document.version;
    const hints = await index.get(document);
    if (document.isClosed || document.version !== version) return;
    collection.set(document.uri, hints ? diagnosticsFor(document, hints) : []);
  };
  const subs = [
    collection,
    index.onDidChange((uri) => {
      const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      if (document) void refresh(document);
    }),
    vscode.workspace.onDidCloseTextDocument((d) => collection.delete(d.uri)),
  ];
  for (const d of vscode.workspace.textDocuments) void refresh(d);
  return vscode.Disposable.from(...subs);
}

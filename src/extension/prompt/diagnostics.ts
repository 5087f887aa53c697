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

/** A diagnostic PepperPy set, with its start and end offsets (in the version it was set for, or carried into the current one). */
export interface PlacedDiagnostic {
  diagnostic: vscode.Diagnostic;
  start: number;
  end: number;
}

/** Whether two diagnostics are the same finding (the ones VS Code hands a code action provider may be copies). */
export function sameDiagnostic(a: vscode.Diagnostic, b: vscode.Diagnostic): boolean {
  return a.range.isEqual(b.range) && a.message === b.message && String(typeof a.code === 'object' ? a.code.value : a.code) === String(typeof b.code === 'object' ? b.code.value : b.code);
}

/**
 * The diagnostics set on each document and the version they were set for. They stay where they were set until the hints
 * of the text typed since are in (the squiggles move with the text, the diagnostics VS Code hands the quick fixes do
 * not): the quick fixes carry them into the current text (breaker48: right after one quick fix, the next one on the same
 * line was not offered, and the first action under the cursor was Compress prompt).
 */
export class DiagnosedDocuments {
  private readonly byUri = new Map<string, { document: vscode.TextDocument; version: number; placed: PlacedDiagnostic[] }>();

  record(document: vscode.TextDocument, diagnostics: readonly vscode.Diagnostic[]): void {
    const placed = diagnostics.map((diagnostic) => ({ diagnostic, start: document.offsetAt(diagnostic.range.start), end: document.offsetAt(diagnostic.range.end) }));
    this.byUri.set(document.uri.toString(), { document, version: document.version, placed });
  }

  forget(uri: vscode.Uri): void {
    this.byUri.delete(uri.toString());
  }

  /** The document's diagnostics with their offsets in its current text; none when the edits since they were set are not known. */
  current(document: vscode.TextDocument, offsetNow: (offset: number, version: number) => number | undefined): PlacedDiagnostic[] {
    const set = this.byUri.get(document.uri.toString());
    if (!set || set.document !== document) return [];
    if (set.version === document.version) return set.placed;
    const out: PlacedDiagnostic[] = [];
    for (const p of set.placed) {
      const start = offsetNow(p.start, set.version);
      const end = offsetNow(p.end, set.version);
      if (start !== undefined && end !== undefined) out.push({ diagnostic: p.diagnostic, start, end: Math.max(start, end) });
    }
    return out;
  }
}

/** Keeps the "PepperPy" diagnostics of each document in step with its hints. */
export function registerDiagnostics(index: PromptIndex, diagnosed: DiagnosedDocuments): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection('pepperpy');
  const refresh = async (document: vscode.TextDocument) => {
    // A rewrite's preview is a copy of a file the collection already covers: its findings would show twice (newuser33:
    // Problems went from 24 to 41 while Optimize's diff was open).
    if (!index.applies(document) || document.uri.scheme === PREVIEW_SCHEME) return;
    const version = document.version;
    const hints = await index.get(document);
    if (document.isClosed || document.version !== version) return;
    const diagnostics = hints ? diagnosticsFor(document, hints) : [];
    collection.set(document.uri, diagnostics);
    diagnosed.record(document, diagnostics);
  };
  const subs = [
    collection,
    index.onDidChange((uri) => {
      const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      if (document) void refresh(document);
    }),
    vscode.workspace.onDidCloseTextDocument((d) => {
      collection.delete(d.uri);
      diagnosed.forget(d.uri);
    }),
  ];
  for (const d of vscode.workspace.textDocuments) void refresh(d);
  return vscode.Disposable.from(...subs);
}

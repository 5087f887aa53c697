/**
 * Shows which literals make up one prompt composed in code (`PromptHint.pieces`): each piece
 * has a thin bar in the margin of its lines and a faint label on its first line
 * (`piece 1 of 2 · system prompt `systemPrompt``), and with the cursor in one piece, all the
 * pieces are document highlights (as VS Code highlights the occurrences of a symbol).
 */
import * as vscode from 'vscode';
import type { PieceHint, PromptHint } from '../../protocol/hints';
import type { PromptIndex } from './promptIndex';
import { PROMPT_DOCUMENT_SELECTOR } from './promptIndex';

/** The piece of a composed prompt that contains `offset`, with its index; undefined for a prompt without pieces. */
export function pieceAt(hint: PromptHint, offset: number): { index: number; piece: PieceHint } | undefined {
  const pieces = hint.pieces && hint.pieces.length > 1 ? hint.pieces : [];
  const index = pieces.findIndex((p) => offset >= p.range.start.offset && offset <= p.range.end.offset);
  return index >= 0 ? { index, piece: pieces[index] } : undefined;
}

/** The prompt whose literal, or one of whose pieces, contains `offset`. */
export function promptAtOffset(prompts: readonly PromptHint[], offset: number): PromptHint | undefined {
  return prompts.find((p) => offset >= p.location.range.start.offset && offset <= p.location.range.end.offset) ?? prompts.find((p) => pieceAt(p, offset) !== undefined);
}

/** The label on a piece's first line. */
export function pieceLabel(hint: PromptHint, index: number): string {
  const pieces = hint.pieces ?? [];
  return `piece ${index + 1} of ${pieces.length} · ${hint.title.replace(/`/g, '')}`;
}

/** With the cursor in a piece of a composed prompt: every piece of that prompt. */
export class PieceHighlightProvider implements vscode.DocumentHighlightProvider {
  constructor(private readonly index: PromptIndex) {}

  async provideDocumentHighlights(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.DocumentHighlight[] | undefined> {
    const hints = await this.index.get(document);
    if (!hints || token.isCancellationRequested) return undefined;
    const offset = document.offsetAt(position);
    const prompt = hints.prompts.find((p) => pieceAt(p, offset) !== undefined);
    if (!prompt?.pieces) return undefined;
    return prompt.pieces.map((p) => new vscode.DocumentHighlight(new vscode.Range(document.positionAt(p.range.start.offset), document.positionAt(p.range.end.offset)), vscode.DocumentHighlightKind.Text));
  }
}

/** The margin bars and labels in the visible editors. */
class PieceDecorations implements vscode.Disposable {
  private readonly bar = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    borderStyle: 'solid',
    borderWidth: '0 0 0 2px',
    borderColor: new vscode.ThemeColor('editorCodeLens.foreground'),
    overviewRulerColor: new vscode.ThemeColor('editorCodeLens.foreground'),
    overviewRulerLane: vscode.OverviewRulerLane.Left,
  });
  private readonly label = vscode.window.createTextEditorDecorationType({
    after: { color: new vscode.ThemeColor('editorCodeLens.foreground'), margin: '0 0 0 2em', fontStyle: 'italic' },
  });
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly index: PromptIndex) {
    this.disposables.push(
      this.bar,
      this.label,
      index.onDidChange((uri) => {
        for (const editor of vscode.window.visibleTextEditors) if (editor.document.uri.toString() === uri.toString()) void this.update(editor);
      }),
      vscode.window.onDidChangeVisibleTextEditors((editors) => {
        for (const editor of editors) void this.update(editor);
      }),
    );
    for (const editor of vscode.window.visibleTextEditors) void this.update(editor);
  }

  private async update(editor: vscode.TextEditor): Promise<void> {
    if (!this.index.applies(editor.document)) return;
    const version = editor.document.version;
    const hints = await this.index.get(editor.document);
    if (!hints || editor.document.version !== version) return;
    const bars: vscode.Range[] = [];
    const labels: vscode.DecorationOptions[] = [];
    const document = editor.document;
    for (const prompt of hints.prompts) {
      const pieces = prompt.pieces && prompt.pieces.length > 1 ? prompt.pieces : [];
      pieces.forEach((p, i) => {
        const start = document.positionAt(p.range.start.offset);
        const end = document.positionAt(p.range.end.offset);
        bars.push(new vscode.Range(start.line, 0, end.line, 0));
        // (A shared constant starts several prompts and has its own lens: one label per prompt would pile up on its line.)
        if (p.shared) return;
        const eol = document.lineAt(start.line).range.end;
        labels.push({ range: new vscode.Range(eol, eol), renderOptions: { after: { contentText: pieceLabel(prompt, i) } } });
      });
    }
    editor.setDecorations(this.bar, bars);
    editor.setDecorations(this.label, labels);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

export function registerPieceHighlights(index: PromptIndex): vscode.Disposable {
  return vscode.Disposable.from(new PieceDecorations(index), vscode.languages.registerDocumentHighlightProvider(PROMPT_DOCUMENT_SELECTOR, new PieceHighlightProvider(index)));
}

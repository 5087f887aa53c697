/**
 * Compress, distill and optimize a prompt in place. The engine rewrites the decoded text;
 * the edit re-encodes it for the literal it came from (quotes, escapes, f-string and
 * template-literal interpolations, YAML and Markdown forms), replaces the literal's content
 * in one WorkspaceEdit (so one undo reverts it), and refuses when the document changed
 * while the engine worked. Optimize shows a diff first.
 */
import * as vscode from 'vscode';
import { PromptCompressRequest, PromptDistillRequest, PromptOptimizeRequest } from '../../protocol/engine';
import { errorMessage } from '../../protocol/errors';
import type { PromptHint } from '../../protocol/hints';
import type { CompressionResult, OptimizationTarget, OptimizedPrompt } from '../../protocol/prompt';
import type { PromptLocation, PromptPiece } from '../../protocol/scan';
import { piecePlaceholders } from '../../shared/hints/composed';
import { literalCore, liveInterpolations, planLiteralEdit, rewriteForLiteral } from '../../shared/prompt/rewriteGuard';
import type { EngineService } from '../client/engineService';
import { editorPlanLabel as planLabel } from '../client/editorModels';
import { editorLmModelOf } from '../../protocol/editorLm';
import { joinSentences, lensCountsLess, runtimeValueList } from '../../protocol/format';
import type { LlmProviderConfig } from '../../protocol/prompt';
import { isLocalModelName, LOCAL_COST_LABEL } from '../../shared/localModels';
import { readApiKey } from '../common/apiKeys';
import type { Log } from '../common/log';
import { ModelPicker } from '../common/modelPicker';
import type { PromptIndex } from './promptIndex';
import { PREVIEW_SCHEME } from './previewScheme';
import { shiftRange } from './trackedRange';
import { askTargetRatio, compressionReportMarkdown } from './compressionReport';
import { sourceOf } from './analyzePrompt';
import { detectLanguage, supportedLanguages } from '../../shared/prompt/languages';
import { isOtherLatinLanguage } from '../../shared/prompt/otherLanguages';
import { nonLatinScript, type ScriptName } from '../../shared/prompt/scripts';

/**
 * `llm`: the model that rewrites the prompt (LLM mode) instead of the local rules: an editor
 * model (`vscode:<id>`), a local server model (`ollama:llama3.2`) or a key-based one
 * (`openai:<model>`, `anthropic:<model>`, key from SecretStorage); `local` means the rules.
 */
export type RewriteOperation = { kind: 'compress'; targetRatio?: number | 'ask' } | { kind: 'distill'; maxTokens?: number } | { kind: 'optimize'; target?: OptimizationTarget; preview?: boolean; llm?: string };

export interface RewriteOutcome {
  applied: boolean;
  reason?: string;
  /** The message shown when nothing changed ("already as short…", or the script no rule covers). */
  message?: string;
  newText?: string;
  /** LLM mode: the forecast, the status and the model's own token counts. */
  llm?: OptimizedPrompt['llm'];
  /** What the status bar said about an applied edit ("120 → 104 tokens (13% fewer)."). */
  summary?: string;
}


/** Closes every editor tab that shows `previewUri` (the diff's right side). */
async function closePreviewTabs(previewUri: vscode.Uri): Promise<void> {
  const key = previewUri.toString();
  const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => {
    const input = tab.input;
    if (input instanceof vscode.TabInputTextDiff) return input.modified.toString() === key || input.original.toString() === key;
    return input instanceof vscode.TabInputText && input.uri.toString() === key;
  });
  if (tabs.length > 0) await vscode.window.tabGroups.close(tabs, true);
}

/** The largest budget Distill takes (the engine's limit on `maxTokens`). */
export const MAX_DISTILL_BUDGET = 1_000_000;

/** How many times a command asks for the hints of a document the user keeps editing before it gives up. */
const MAX_PROMPT_LOOKUPS = 5;

export class PromptRewriter implements vscode.Disposable {
  private readonly previews = new Map<string, string>();
  private readonly previewEmitter = new vscode.EventEmitter<vscode.Uri>();
  private readonly registration: vscode.Disposable;
  private previewCounter = 0;
  /** Asks the user to confirm an optimization shown as a diff; replaceable by tests. */
  confirm: (summary: string) => Promise<boolean> = async (summary) =>
    (await vscode.window.showInformationMessage(vscode.l10n.t('PepperPy: apply the optimized prompt? {0}', summary), vscode.l10n.t('Apply'), vscode.l10n.t('Discard'))) === vscode.l10n.t('Apply');
  /** The preview URI of the last diff shown, for tests. */
  lastPreview: vscode.Uri | undefined;
  /** The title of the last diff shown, for tests. */
  lastPreviewTitle: string | undefined;
  /** The Markdown report of the last compression (to a target or at the level setting), for tests. */
  lastReport: string | undefined;
  /** The document of the last report opened ("Show What Was Removed"), for tests. */
  lastReportUri: vscode.Uri | undefined;
  /** The command that shows the report rendered; replaceable by tests (a missing command falls back to the Markdown text). */
  reportPreviewCommand = 'markdown.showPreviewToSide';
  /** Answers the "what was removed" message after a compression; replaceable by tests. */
  showReport: (message: string, reached: boolean) => Thenable<boolean> = async (message, reached) => {
    const show = vscode.l10n.t('Show What Was Removed');
    const answer = reached ? await vscode.window.showInformationMessage(message, show) : await vscode.window.showWarningMessage(message, show);
    return answer === show;
  };
  /** Who rewrites, asked when Optimize runs without a target (the tests read its QuickPick). */
  readonly modelPicker: ModelPicker;
  /** Asks the user to approve a paid rewrite's forecast cost; replaceable by tests. */
  approveCost: (forecast: string) => Promise<boolean> = async (forecast) =>
    (await vscode.window.showWarningMessage(vscode.l10n.t('PepperPy: {0} Run the rewrite?', forecast), { modal: true }, vscode.l10n.t('Run'))) !== undefined;

  constructor(
    private readonly index: PromptIndex,
    private readonly engine: EngineService,
    private readonly log: Log,
    private readonly secrets: vscode.SecretStorage,
  ) {
    this.modelPicker = new ModelPicker(engine, secrets, log);
    this.registration = vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, {
      onDidChange: this.previewEmitter.event,
      provideTextDocumentContent: (uri) => this.previews.get(uri.toString()) ?? '',
    });
  }

  /** The rewrite commands refuse an untrusted workspace before this runs (commands.ts); the engine refuses it too. */
  async run(uri: vscode.Uri, offset: number, operation: RewriteOperation, offsetVersion?: number): Promise<RewriteOutcome> {
    // The prompt comes from the hints of one version, and the edit is checked against that version (break40): the hints
    // of the version the command was run on are awaited, and if the user typed meanwhile they belonged to an older text.
    // The edit was then planned on the newer text with the older offsets: the guard refused it as "not complete", or,
    // when the older request had been replaced by the newer one, the command said "There is no prompt at this position".
    // The offset moves with the edits made meanwhile, and the hints are asked again for the version typed since.
    // A lens or an action gives its offset with the version it was computed for (`offsetVersion`), and the user may have typed
    // since (breaker48: a lens clicked after a line was typed above its prompt compressed the prompt above): the offset is
    // carried into the current text through the edits made since. (Without a version, the offset is of the text as it is now.)
    const asked = offset;
    const key = uri.toString();
    const moved = vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document.uri.toString() === key && e.contentChanges.length > 0) offset = shiftRange({ start: offset, end: offset }, e.contentChanges).start;
    });
    let document: vscode.TextDocument;
    let found: PromptHint | undefined;
    let version: number;
    try {
      document = await vscode.workspace.openTextDocument(uri);
      if (offsetVersion !== undefined) {
        // (Replaces what `moved` did meanwhile: the history holds those edits too.)
        const now = this.index.offsetNow(document, asked, offsetVersion);
        if (now === undefined) {
          const reason = staleTargetMessage();
          void vscode.window.showWarningMessage(`PepperPy: ${reason}`);
          return { applied: false, reason };
        }
        offset = now;
      }
      for (let attempt = 1; ; attempt++) {
        version = document.version;
        found = await this.index.promptAt(document, document.positionAt(offset));
        if (document.version === version) break;
        if (attempt >= MAX_PROMPT_LOOKUPS) {
          const reason = vscode.l10n.t('The file kept changing while PepperPy looked for the prompt in it; run the command again once the edits stop.');
          void vscode.window.showWarningMessage(`PepperPy: ${reason}`);
          return { applied: false, reason };
        }
      }
    } finally {
      moved.dispose();
    }
    // Closed while the hints were looked up (its hints are then none): said as such, not "There is no prompt at this position" (breaker48).
    const closed = document.isClosed ? changedSince(document, version) : undefined;
    if (closed) {
      void vscode.window.showWarningMessage(`PepperPy: ${closed}`);
      return { applied: false, reason: closed };
    }
    if (!found) {
      const reason = vscode.l10n.t('There is no prompt at this position (PepperPy finds prompts passed to LLM APIs, bound to prompt-like names, or in prompt files).');
      void vscode.window.showWarningMessage(`PepperPy: ${reason}`);
      return { applied: false, reason };
    }
    if (found.location.unterminated) {
      // Its text runs into the code after it: rewriting it would rewrite code (the rewrite guard refuses it too).
      const reason = vscode.l10n.t('The prompt at line {0} is not closed yet (a closing quote or an interpolation\'s closing brace is missing). Close the literal and run the command again.', found.location.range.start.line + 1);
      void vscode.window.showWarningMessage(`PepperPy: ${reason}`);
      return { applied: false, reason };
    }
    // A prompt composed in code from several literals (newuser38: vanna's 47-piece system prompt, whose Compress rewrote
    // one literal, not the one under the cursor, and said nothing): Compress compresses every literal piece, each checked
    // by the rewrite guard, in one edit; Distill and Optimize, which rewrite a text as a whole, work on the piece under
    // the cursor (from the lens: the piece it stands on), and say so.
    const composed = found.location.pieces && found.location.pieces.length > 1 ? found.location.pieces : undefined;
    if (composed && operation.kind === 'compress' && operation.targetRatio === undefined) return this.compressPieces(document, found, composed, version);
    const piece = composed ? pieceUnder(found, composed, offset) : undefined;
    const prompt = piece ? piece.hint : found;
    const pieceNote = piece ? vscode.l10n.t('Piece {0} of {1} (line {2}) of a prompt composed in code: the other pieces are separate literals, left as they are.', piece.index + 1, composed?.length ?? 0, piece.hint.location.range.start.line + 1) : undefined;
    const text = prompt.location.text;
    // The literal's interpolations as written: the engine keeps them whole, also a Python 3.12 field spanning lines (PEP 701).
    const interpolations = liveInterpolations(prompt.location);
    let newText: string | undefined;
    let llm: OptimizedPrompt['llm'];
    let summary = '';
    let chosenTarget: OptimizationTarget | undefined;
    let missedBudget: { budget: number; engineAfter: number } | undefined;
    let declined: string | undefined;
    let compressed: CompressionResult | undefined;
    if (operation.kind === 'compress') {
      const level = compressionLevelSetting();
      // With runtime values the lens's count is of the fixed text, and the target is measured on the literal as written: no number is quoted then.
      const targetRatio = operation.targetRatio === 'ask' ? await askTargetRatio(lensCountsLess(prompt) ? undefined : prompt.cost.tokens.count, prompt.model) : operation.targetRatio;
      if (operation.targetRatio === 'ask' && targetRatio === undefined) return { applied: false, reason: 'cancelled' };
      // At a level, the literal's edge whitespace (kept by rewriteForLiteral) is left out, so the report's figures and removals
      // are the edit's. (A target is measured on the literal as written, as its message and report say.)
      const input = targetRatio !== undefined ? text : literalCore(prompt.location);
      const result = await this.engine.runJob(vscode.l10n.t('PepperPy: compressing the prompt'), PromptCompressRequest.type, { text: input, interpolations, model: prompt.model, ...(targetRatio !== undefined ? { targetRatio } : { level }) });
      if (!result) return { applied: false, reason: 'cancelled or failed' };
      newText = result.text;
      compressed = result;
      // With a target, one decimal, as the target's own message gives it ("3.5 %", not "4%").
      summary = `${result.tokensBefore} → ${result.tokensAfter} tokens (${result.reductionPercent.toFixed(result.target ? 1 : 0)}% fewer).`;
      // Plain Compress gets the report too (newuser25: a 60-line prompt changed with only a 5-second status-bar message).
      const name = uri.path.split('/').pop() ?? 'document';
      this.lastReport = compressionReportMarkdown(result, sourceOf(prompt, name), prompt.model, lensCountsLess(prompt) ? prompt.cost.tokens.count : undefined);
    } else if (operation.kind === 'distill') {
      const maxTokens = operation.maxTokens ?? (await this.askBudget(prompt));
      if (maxTokens === undefined) return { applied: false, reason: 'cancelled' };
      const title = vscode.l10n.t('PepperPy: distilling the prompt to {0} tokens', maxTokens);
      let result = await this.engine.runJob(title, PromptDistillRequest.type, { text, interpolations, model: prompt.model, maxTokens });
      // The budget box quotes the lens's count, which leaves runtime values out; the engine counts the literal as written
      // (`{x}` included). Give the engine the budget in its own count, so that the budget the user typed is the lens's
      // (newuser25: the box said 673, the result "distilled to 590", the lens then ≥585).
      const extra = result && lensCountsLess(prompt) ? result.tokensBefore - prompt.cost.tokens.count : 0;
      if (result && extra > 0) result = await this.engine.runJob(title, PromptDistillRequest.type, { text, interpolations, model: prompt.model, maxTokens: maxTokens + extra });
      if (!result) return { applied: false, reason: 'cancelled or failed' };
      newText = result.text;
      summary = `${result.tokensBefore} → ${result.tokensAfter} tokens.`;
      // Said in a message, not only in the status bar: the user asked for a budget and did not get it.
      if (!result.fitsBudget) missedBudget = { budget: maxTokens, engineAfter: result.tokensAfter };
    } else {
      const asked = operation.target === undefined;
      const target = operation.target ?? (await this.askTarget());
      if (!target) return { applied: false, reason: 'cancelled' };
      chosenTarget = target;
      // Asked interactively, the user also picks who rewrites: the local rules or a model of the picker's three groups.
      const rewriter = operation.llm ?? (asked ? await this.askRewriter() : 'local');
      if (rewriter === undefined) return { applied: false, reason: 'cancelled' };
      const config = rewriter === 'local' ? undefined : await this.llmConfig(rewriter);
      if (typeof config === 'string') {
        void vscode.window.showWarningMessage(`PepperPy: ${config}`);
        return { applied: false, reason: config };
      }
      const title = config ? vscode.l10n.t('PepperPy: optimizing the prompt for {0} with {1}', target, rewriter) : vscode.l10n.t('PepperPy: optimizing the prompt for {0}', target);
      let result = await this.engine.runJob(title, PromptOptimizeRequest.type, { text, interpolations, model: prompt.model, target, ...(config ? { llm: config } : {}) });
      // A paid model first returns its forecast: the user approves that cost, then it runs.
      if (config && result?.llm?.status === 'needsApproval' && result.llm.forecast.maxTotalCostUsd !== undefined) {
        const f = result.llm.forecast;
        const forecast = vscode.l10n.t('{0} costs up to ${1} for this rewrite ({2} input + up to {3} output tokens; {4}).', rewriter, f.maxTotalCostUsd?.toFixed(6) ?? '?', f.inputTokens, f.maxOutputTokens, f.priceNote);
        if (!(await this.approveCost(forecast))) return { applied: false, reason: 'cost not approved', llm: result.llm };
        result = await this.engine.runJob(title, PromptOptimizeRequest.type, { text, interpolations, model: prompt.model, target, llm: { ...config, approvedCostUsd: f.maxTotalCostUsd ?? 0 } });
      }
      if (!result) return { applied: false, reason: 'cancelled or failed' };
      if (result.llm && result.llm.status !== 'accepted') {
        const reason = vscode.l10n.t('The LLM rewrite was not used ({0}): {1}', result.llm.status, result.llm.reason ?? vscode.l10n.t('no reason given'));
        void vscode.window.showWarningMessage(`PepperPy: ${reason}`);
        return { applied: false, reason, llm: result.llm };
      }
      newText = result.text;
      llm = result.llm;
      declined = result.declined;
      const basis = result.llm?.forecast.provider === 'local'
        ? LOCAL_COST_LABEL
        : result.llm?.forecast.priced
          ? vscode.l10n.t('{0} at most', `$${(result.llm.forecast.maxTotalCostUsd ?? 0).toFixed(6)}`)
          : planLabel();
      const timing = result.llm?.latencyMs !== undefined ? `, ${Math.round(result.llm.latencyMs)} ms` : '';
      const usage = result.llm?.usage ? ` (${vscode.l10n.t('{0} + {1} model tokens, {2}', result.llm.usage.inputTokens, result.llm.usage.outputTokens, `${basis}${timing}`)})` : '';
      // With runtime values the engine counts the literal as written ({query} included) and the lens its fixed text only; the
      // confirmation comes before the edit, so it says which count it quotes (newuser29: "711 → 697" beside a lens of ≥644).
      const counts = lensCountsLess(prompt)
        ? vscode.l10n.t('{0} → {1} tokens counting the literal as written, placeholders included (the lens counts its fixed text: ≥{2}).', result.tokensBefore, result.tokensAfter, prompt.cost.tokens.count)
        : `${result.tokensBefore} → ${result.tokensAfter} tokens.`;
      summary = joinSentences([counts, ...result.changes.slice(0, 3)]) + usage;
    }
    // A literal's edge whitespace in code is the code's layout, not prompt text: it stays as it was.
    newText = rewriteForLiteral(prompt.location, newText);
    // (The preview's question names the piece; the applied edit's message adds it below.)
    const confirmText = pieceNote ? joinSentences([summary, pieceNote]) : summary;
    if (newText === text) {
      // The rules are written for Latin-script languages: a Chinese prompt is not "already as short" (NextChat's masks, newuser30).
      const script = nonLatinScript(text);
      // Optimize is about structure, not only length: when it declines, the engine says why (newuser34: deer-flow's pull
      // request prompt got "already as short as this operation makes it" while the engine had "kept the text as one piece…").
      // Nor is a French, Italian, German… prompt "already as short": no pack is written for it, so the engine keeps its wording (break34).
      const language = script ? undefined : detectLanguage(text).language;
      const message = script
        ? vscode.l10n.t('PepperPy: nothing to change: the rewrite rules are written for {0}, and this prompt is mostly in {1}. It is left as it is.', supportedLanguages().join(', '), scriptLabel(script))
        : language !== undefined && isOtherLatinLanguage(language)
          ? vscode.l10n.t('PepperPy: nothing to change: the rewrite rules are written for {0}, and this prompt is in {1}. It is left as it is.', supportedLanguages().join(', '), languageLabel(language))
          : declined
            ? `PepperPy: ${declined}`
            : vscode.l10n.t('PepperPy: the prompt is already as short as this operation makes it; nothing to change.');
      void vscode.window.showInformationMessage(message);
      return { applied: false, reason: 'unchanged', newText, message };
    }
    const changed = changedSince(document, version);
    if (changed) {
      void vscode.window.showWarningMessage(`PepperPy: ${changed}`);
      return { applied: false, reason: changed };
    }
    // The rewrite guard (src/shared/prompt/rewriteGuard.ts): the literal is encoded, spliced
    // into the document's text and the file parsed again; interpolations, placeholders and
    // the code around the literal must come through unchanged, or nothing is applied.
    const verdict = planLiteralEdit(document.getText(), prompt.location, newText, { languageId: document.languageId, fileName: document.fileName });
    if (!verdict.ok) {
      void vscode.window.showErrorMessage(`PepperPy: ${verdict.reason}`);
      this.log.warn(`${operation.kind} refused for a prompt in ${uri.toString()}: ${verdict.reason}`);
      return { applied: false, reason: verdict.reason, newText };
    }
    const edit = verdict.edit;
    const range = new vscode.Range(document.positionAt(edit.start), document.positionAt(edit.end));
    if (operation.kind === 'optimize' && operation.preview !== false) {
      const proposed = document.getText(new vscode.Range(document.positionAt(0), range.start)) + edit.text + document.getText(new vscode.Range(range.end, document.positionAt(document.getText().length)));
      const n = ++this.previewCounter;
      const fileName = uri.path.split('/').pop() || 'prompt';
      const previewUri = vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: `/${n}/${fileName}` });
      this.previews.set(previewUri.toString(), proposed);
      this.lastPreview = previewUri;
      // Each diff has its own title (the file, the target and a number), so a second
      // optimization never looks like the tab of an earlier one.
      const title = `${fileName}: current ↔ optimized for ${chosenTarget ?? 'balanced'} (#${n})`;
      this.lastPreviewTitle = title;
      let ok = false;
      try {
        await vscode.commands.executeCommand('vscode.diff', uri, previewUri, title);
        ok = await this.confirm(confirmText);
      } finally {
        // Apply and Discard both end the preview: its tab closes and its text is dropped.
        await closePreviewTabs(previewUri);
        this.previews.delete(previewUri.toString());
      }
      if (!ok) return { applied: false, reason: 'discarded', newText };
      // (Said, not only returned: break40.)
      const changedMeanwhile = document.isClosed || document.version !== version ? vscode.l10n.t('The file changed during the preview; run the command again.') : undefined;
      if (changedMeanwhile) {
        void vscode.window.showWarningMessage(`PepperPy: ${changedMeanwhile}`);
        return { applied: false, reason: changedMeanwhile };
      }
    }
    const workspaceEdit = new vscode.WorkspaceEdit();
    workspaceEdit.replace(uri, range, edit.text, { label: `PepperPy: ${operation.kind} prompt`, needsConfirmation: false });
    const applied = await vscode.workspace.applyEdit(workspaceEdit);
    // With runtime values the engine counted the literal as written (`${x}` text included); the lens counts its fixed text.
    // Say the change in the lens's figures, so the two never disagree.
    // (A compression to a target keeps the engine's figures: its target was measured on them, and its report says so.)
    const lensFigures = operation.kind === 'distill' || (operation.kind === 'compress' && operation.targetRatio === undefined);
    // Without runtime values too: the engine counts the rewrite before the literal's edge whitespace is put back, so its
    // "after" could be a token off the lens's (newuser25: "1033 → 994" while the lens showed 995).
    const lensAfter = applied && lensFigures && !piece ? await this.index.promptAt(document, document.positionAt(prompt.location.range.start.offset)) : undefined;
    if (lensAfter) summary = lensSummary(prompt, lensAfter) ?? summary;
    if (pieceNote) summary = joinSentences([summary, pieceNote]);
    if (applied) this.log.info(`${operation.kind} applied to a prompt in ${uri.toString()}: ${summary}`);
    if (applied && operation.kind === 'distill') void vscode.window.setStatusBarMessage(`PepperPy: ${summary}`, 5000);
    if (applied && compressed && !compressed.target && this.lastReport !== undefined) void this.offerReport(true, `PepperPy: ${summary}`, this.lastReport);
    if (applied && missedBudget) {
      // In the lens's count when the prompt is found again (the figure the budget box quoted), else the engine's.
      const after = lensAfter && lensAfter.runtimeValues.length === prompt.runtimeValues.length ? lensAfter.cost.tokens.count : missedBudget.engineAfter;
      void vscode.window.showWarningMessage(`PepperPy: ${vscode.l10n.t('distilled to {0} tokens, over the budget of {1}: the main instruction, the role sentence, the input (an article, a conversation, a delimited block) and the sentences that hold protected items (constraints, negations, output format, code, placeholders, numbers, quoted text) are always kept, and alone they exceed it. Undo reverts the edit.', after, missedBudget.budget)}`);
    }
    if (applied && compressed?.target && this.lastReport !== undefined) void this.offerReport(compressed.target.reached, `PepperPy: ${summary} ${compressed.target.message}`, this.lastReport);
    return { applied, newText, ...(llm ? { llm } : {}), ...(applied ? { summary } : { reason: this.refusedEdit(document, version) }) };
  }

  /**
   * Compress on a prompt composed in code: each literal piece compressed at the configured level, written back with the
   * rewrite guard's check of that literal (interpolations, placeholders and the code around it unchanged), all in one
   * WorkspaceEdit so that one undo reverts them. A piece the guard refuses is left as it is and named in the message.
   */
  private async compressPieces(document: vscode.TextDocument, prompt: PromptHint, allPieces: readonly PromptPiece[], version: number): Promise<RewriteOutcome> {
    // (A literal the prompt concatenates twice, `INTRO + PART + " … " + PART`, is one literal to rewrite: two edits of its
    // range made the editor refuse the whole edit, break38.)
    const seen = new Set<number>();
    const pieces = allPieces.filter((p) => !seen.has(p.range.start.offset) && seen.add(p.range.start.offset) !== undefined);
    const level = compressionLevelSetting();
    const source = document.getText();
    const edits: Array<{ start: number; end: number; text: string }> = [];
    const refused: string[] = [];
    let before = 0;
    let after = 0;
    const located = pieces.map((p) => pieceLocation(prompt.location, p)).filter((l) => literalCore(l).trim() !== '');
    const results = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('PepperPy: compressing the prompt'), cancellable: true }, async (progress, token) => {
      const out: Array<{ location: PromptLocation; result: CompressionResult | undefined }> = [];
      for (const location of located) {
        if (token.isCancellationRequested) return undefined;
        progress.report({ increment: 100 / located.length });
        try {
          out.push({ location, result: await this.engine.request(PromptCompressRequest.type, { text: literalCore(location), interpolations: liveInterpolations(location), model: prompt.model, level }, { timeoutMs: 30_000 }) });
        } catch (error) {
          // One piece the engine could not compress is left as it is; the others still are.
          this.log.warn(`compress failed for a piece at line ${location.range.start.line + 1} of ${document.uri.toString()}: ${errorMessage(error)}`);
          out.push({ location, result: undefined });
        }
      }
      return out;
    });
    if (!results) return { applied: false, reason: 'cancelled' };
    for (const { location, result } of results) {
      if (!result) {
        // (Its failure is in the log; the message names the line, so that "already as short" is never said of it.)
        refused.push(vscode.l10n.t('line {0}: {1}', location.range.start.line + 1, vscode.l10n.t('the engine could not compress it (see the PepperPy log).')));
        continue;
      }
      before += result.tokensBefore;
      const newText = rewriteForLiteral(location, result.text);
      if (newText === location.text) {
        after += result.tokensBefore;
        continue;
      }
      const verdict = planLiteralEdit(source, location, newText, { languageId: document.languageId, fileName: document.fileName });
      if (!verdict.ok) {
        after += result.tokensBefore;
        refused.push(vscode.l10n.t('line {0}: {1}', location.range.start.line + 1, verdict.reason));
        continue;
      }
      after += result.tokensAfter;
      edits.push({ start: verdict.edit.start, end: verdict.edit.end, text: verdict.edit.text });
    }
    for (const r of refused) this.log.warn(`compress refused for a piece of a composed prompt in ${document.uri.toString()}: ${r}`);
    if (edits.length === 0) {
      const message = refused.length > 0
        ? `PepperPy: ${vscode.l10n.t('none of the {0} pieces of this composed prompt was changed; refused: {1}', pieces.length, refused.join(' '))}`
        : vscode.l10n.t('PepperPy: each of the {0} pieces of this composed prompt is already as short as this operation makes it; nothing to change.', pieces.length);
      void vscode.window.showInformationMessage(message);
      return { applied: false, reason: 'unchanged', message };
    }
    const changed = changedSince(document, version);
    if (changed) {
      void vscode.window.showWarningMessage(`PepperPy: ${changed}`);
      return { applied: false, reason: changed };
    }
    const workspaceEdit = new vscode.WorkspaceEdit();
    for (const e of edits) workspaceEdit.replace(document.uri, new vscode.Range(document.positionAt(e.start), document.positionAt(e.end)), e.text, { label: 'PepperPy: compress prompt', needsConfirmation: false });
    const applied = await vscode.workspace.applyEdit(workspaceEdit);
    const percent = before === 0 ? 0 : Math.round((100 * (before - after)) / before);
    const summary = joinSentences([
      vscode.l10n.t('{0} of {1} pieces of this composed prompt compressed: {2} → {3} tokens ({4}% fewer, counting each literal as written).', edits.length, pieces.length, before, after, percent),
      ...(refused.length > 0 ? [vscode.l10n.t('Left as they were: {0}', refused.join(' '))] : []),
    ]);
    if (applied) {
      this.log.info(`compress applied to ${edits.length} pieces of a prompt in ${document.uri.toString()}: ${summary}`);
      void vscode.window.showInformationMessage(`PepperPy: ${summary}`);
    }
    return applied ? { applied, summary } : { applied, reason: this.refusedEdit(document, version) };
  }

  /**
   * Why the editor did not apply an edit, said to the user (break40: two rewrites of one prompt at once both passed the
   * version check, the editor refused the second edit because the first had changed the file, and nothing was said).
   */
  private refusedEdit(document: vscode.TextDocument, version: number): string {
    const reason = changedSince(document, version) !== undefined
      ? vscode.l10n.t('The file changed while the edit was applied (an edit, a reload from disk or another rewrite came first), so nothing was changed; run the command again.')
      : vscode.l10n.t('The editor refused the edit, so nothing was changed.');
    void vscode.window.showWarningMessage(`PepperPy: ${reason}`);
    this.log.warn(`A rewrite of ${document.uri.toString()} was not applied: ${reason}`);
    return reason;
  }

  /**
   * After a compression: says what changed (and whether a target was reached), and opens the
   * report of what was removed when asked, rendered: the built-in Markdown preview beside the
   * file (VS Code and code-server ship it), or the Markdown text when that command is missing.
   */
  private async offerReport(reached: boolean, message: string, report: string): Promise<void> {
    if (!(await this.showReport(message, reached))) return;
    const uri = vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: `/report-${++this.previewCounter}/compression-report.md` });
    this.previews.set(uri.toString(), report);
    const document = await vscode.workspace.openTextDocument(uri);
    this.lastReportUri = uri;
    try {
      await vscode.commands.executeCommand(this.reportPreviewCommand, uri);
      return;
    } catch (error) {
      this.log.warn(`The Markdown preview of the compression report did not open (${errorMessage(error)}); showing its text.`);
    }
    await vscode.window.showTextDocument(document, { preview: true, viewColumn: vscode.ViewColumn.Beside });
  }

  /** The distill budget box; replaceable by tests. */
  askBudgetBox: (options: vscode.InputBoxOptions) => Thenable<string | undefined> = (options) => vscode.window.showInputBox(options);

  /**
   * Proposes 70 % of the prompt's tokens, or the least the distiller reaches when that is more: it always keeps the
   * sentences with protected items, and a prompt of such lines only cannot go lower (newuser34: deer-flow's
   * input_polish.py, 122 proposed, 171 reached of 175). The least is the engine's distillation to a budget of 1.
   */
  private async askBudget(prompt: PromptHint): Promise<number | undefined> {
    const current = prompt.cost.tokens.count;
    const proposed = Math.max(1, Math.round(current * 0.7));
    const least = await this.leastDistilled(prompt);
    const unreachable = least !== undefined && least > proposed;
    const value = await this.askBudgetBox({
      title: vscode.l10n.t('PepperPy: distill prompt'),
      prompt: unreachable
        ? vscode.l10n.t('Token budget (the prompt has {0} tokens for {1}; the sentences distilling always keeps come to {2}, so it cannot go lower)', current, prompt.model, least)
        : vscode.l10n.t('Token budget (the prompt has {0} tokens for {1})', current, prompt.model),
      value: String(unreachable ? Math.min(current, least) : proposed),
      validateInput: (v) => (/^\d+$/.test(v.trim()) && Number(v) >= 1 && Number(v) <= MAX_DISTILL_BUDGET ? undefined : vscode.l10n.t('Enter a whole number of tokens between 1 and 1,000,000.')),
    });
    return value === undefined ? undefined : Number(value.trim());
  }

  /** The fewest tokens distilling reaches on the prompt, in the lens's count (runtime values left out); undefined if the engine failed. */
  private async leastDistilled(prompt: PromptHint): Promise<number | undefined> {
    try {
      const result = await this.engine.request(PromptDistillRequest.type, { text: prompt.location.text, interpolations: liveInterpolations(prompt.location), model: prompt.model, maxTokens: 1 }, { timeoutMs: 30_000 });
      const extra = lensCountsLess(prompt) ? Math.max(0, result.tokensBefore - prompt.cost.tokens.count) : 0;
      return Math.max(1, result.tokensAfter - extra);
    } catch (error) {
      this.log.warn(`Distill: the least reachable budget was not computed: ${errorMessage(error)}`);
      return undefined;
    }
  }

  /** `local` (the rules), a model name from the picker, or undefined when dismissed. */
  private async askRewriter(): Promise<string | undefined> {
    const picked = await this.modelPicker.pick({ title: vscode.l10n.t('PepperPy: who rewrites the prompt?'), localRules: true });
    if (!picked) return undefined;
    return picked.kind === 'rules' ? 'local' : picked.name;
  }

  /** The engine's `llm` configuration for a model name, or why it cannot rewrite (a sentence to show). */
  private async llmConfig(name: string): Promise<LlmProviderConfig | string> {
    const editorModel = editorLmModelOf(name);
    if (editorModel !== undefined) return editorModel === '' ? vscode.l10n.t('"{0}" names no editor model: pass vscode:<id> (the model picker lists them).', name) : { provider: 'vscode', model: editorModel };
    if (isLocalModelName(name)) return { provider: 'local', model: name };
    const m = /^(openai|anthropic):(.+)$/.exec(name.trim());
    if (m) {
      const provider = m[1] as 'openai' | 'anthropic';
      const apiKey = await readApiKey(this.secrets, provider);
      if (apiKey === undefined) return vscode.l10n.t('No {0} API key is stored: run "PepperPy: Set API Key" first, or choose an editor or local server model.', provider);
      return { provider, model: m[2].trim(), apiKey };
    }
    return vscode.l10n.t('"{0}" is not a model the rewrite takes: pass local (the rules), vscode:<id>, a local server model such as ollama:llama3.2, or openai:<model> / anthropic:<model> with a stored key.', name);
  }

  private async askTarget(): Promise<OptimizationTarget | undefined> {
    const pick = await vscode.window.showQuickPick(
      [
        { label: 'balanced', description: vscode.l10n.t('clear structure, fewer tokens') },
        { label: 'quality', description: vscode.l10n.t('clearest structure; may add sections') },
        { label: 'efficiency', description: vscode.l10n.t('fewest tokens') },
      ],
      { title: vscode.l10n.t('PepperPy: optimize prompt for…') },
    );
    return pick?.label as OptimizationTarget | undefined;
  }

  dispose(): void {
    this.registration.dispose();
    this.previewEmitter.dispose();
  }
}

/**
 * Why an edit planned on `version` of the document must not be applied now, if it must not: the file was edited, or closed
 * (break40: a file renamed or closed while the engine worked kept its old text and version here, and an edit planned on
 * that text would have been applied to whatever the file holds now).
 */
function changedSince(document: vscode.TextDocument, version: number): string | undefined {
  if (document.isClosed) return vscode.l10n.t('The file was closed or renamed while the engine worked, so nothing was changed; open it and run the command again.');
  if (document.version !== version) return vscode.l10n.t('The file changed while the engine worked; run the command again.');
  return undefined;
}

/** Said when a lens or an action was clicked after edits whose effect on its offset is not known (see PromptIndex.offsetNow). */
export function staleTargetMessage(): string {
  return vscode.l10n.t('The file changed since this lens or action was shown, and PepperPy cannot tell where its prompt is now; run the command again from the prompt.');
}

/** `pepperpy.compressionLevel`, or medium when it is missing or not one of the levels (a hand-edited settings.json). */
export function compressionLevelSetting(): 'light' | 'medium' | 'aggressive' {
  const value = vscode.workspace.getConfiguration('pepperpy').get<unknown>('compressionLevel', 'medium');
  return value === 'light' || value === 'aggressive' ? value : 'medium';
}

/**
 * The lens's count of the prompt before and after the edit ("1,033 → 995 tokens (4% fewer)."; with runtime values
 * "≥2,890 → ≥2,741 tokens (…), counting the fixed text as the lens does; …"); undefined when the
 * runtime values changed (the prompt found again is not the same prompt).
 */
function lensSummary(before: PromptHint, after: PromptHint): string | undefined {
  if (after.runtimeValues.length !== before.runtimeValues.length) return undefined;
  const from = before.cost.tokens.count;
  const to = after.cost.tokens.count;
  const percent = from === 0 ? 0 : Math.round((100 * (from - to)) / from);
  if (after.runtimeValues.length === 0) return `${from} → ${to} tokens (${percent}% fewer).`;
  return vscode.l10n.t('≥{0} → ≥{1} tokens ({2}% fewer), counting the fixed text as the lens does; runtime values not counted: {3}.', from, to, percent, runtimeValueList(after.runtimeValues));
}

/** A language of otherLanguages.ts by name, in the user's language; each case is a literal for the l10n export. */
function languageLabel(code: string): string {
  switch (code) {
    case 'fr': return vscode.l10n.t('French');
    case 'it': return vscode.l10n.t('Italian');
    case 'de': return vscode.l10n.t('German');
    case 'nl': return vscode.l10n.t('Dutch');
    case 'ca': return vscode.l10n.t('Catalan');
    case 'id': return vscode.l10n.t('Indonesian');
    case 'gl': return vscode.l10n.t('Galician');
    default: return code;
  }
}

/**
 * The script's name in the user's language: nonLatinScript names it in English, and the pt-BR message read "este prompt
 * está principalmente em Chinese characters (Han)" (break30b). Each case is a literal for the l10n export.
 */
function scriptLabel(script: ScriptName): string {
  switch (script) {
    case 'Japanese (kana and kanji)': return vscode.l10n.t('Japanese (kana and kanji)');
    case 'Chinese characters (Han)': return vscode.l10n.t('Chinese characters (Han)');
    case 'Hangul': return vscode.l10n.t('Hangul');
    case 'Cyrillic': return vscode.l10n.t('Cyrillic');
    case 'Arabic': return vscode.l10n.t('Arabic');
    case 'Hebrew': return vscode.l10n.t('Hebrew');
    case 'Greek': return vscode.l10n.t('Greek');
    case 'Devanagari': return vscode.l10n.t('Devanagari');
    case 'Thai': return vscode.l10n.t('Thai');
    case 'a non-Latin script': return vscode.l10n.t('a non-Latin script');
  }
}

/**
 * A piece of a composed prompt as a prompt location of its own: its literal's range, quoting and decoded text, so that
 * the rewrite guard checks an edit of that literal exactly as it checks a prompt's (the composition is left out).
 */
function pieceLocation(location: PromptLocation, piece: PromptPiece): PromptLocation {
  const { pieces: _pieces, joined: _joined, runtimeOperands: _operands, dedent: _dedent, strip: _strip, ...rest } = location;
  // (The prompt's placeholders are offsets into the whole prompt's text: the piece's own, as the hints read them.)
  return { ...rest, range: piece.range, contentRange: piece.contentRange, text: piece.text, quoting: piece.quoting, segments: piece.segments, placeholders: piecePlaceholders(piece) };
}

/**
 * The piece of a composed prompt under `offset` (from the lens: the piece the lens's offset is in, the prompt's own
 * literal), as a hint of its own: its location, and its own token count in place of the whole prompt's.
 */
function pieceUnder(prompt: PromptHint, pieces: readonly PromptPiece[], offset: number): { index: number; hint: PromptHint } | undefined {
  let index = pieces.findIndex((p) => offset >= p.range.start.offset && offset <= p.range.end.offset);
  if (index < 0) index = pieces.findIndex((p) => p.range.start.offset === prompt.location.range.start.offset);
  if (index < 0) return undefined;
  const location = pieceLocation(prompt.location, pieces[index]);
  const tokens = prompt.pieces?.[index]?.tokens ?? prompt.cost.tokens.count;
  const runtimeValues = location.segments.flatMap((s) => s.quoting.interpolations ?? []);
  const { pieces: _pieces, ...rest } = prompt;
  return { index, hint: { ...rest, location, runtimeValues, cost: { ...prompt.cost, tokens: { ...prompt.cost.tokens, count: tokens } } } };
}

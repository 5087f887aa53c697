/**
 * The prompts of the open workspace as the editor sees them, for "PepperPy: Plan Cost
 * Reduction": the engine's `prompt/scan` finds the files that hold prompts, then each such
 * file's text is priced by the prompt index, the same hints the lens shows (the model the lens
 * resolves: the call's, the file's, the project config's, the provider's default; the token
 * count for that model), without opening it as a document.
 */
import * as vscode from 'vscode';
import { errorMessage } from '../../protocol/errors';
import { PromptScanRequest } from '../../protocol/engine';
import type { EngineService } from '../client/engineService';
import { formatCount } from '../common/format';
import type { Log } from '../common/log';
import type { PromptIndex } from '../prompt/promptIndex';
import { splicedPieces, type FoundPrompt } from './workspaceSetup';

/** The files the scan is offered (the scanner's languages; `prompt/scan` skips what it cannot read). */
const SCAN_GLOB = '**/*.{py,pyi,ts,mts,cts,tsx,js,mjs,cjs,jsx,yaml,yml,json,jsonc,md,markdown,prompt,prompty,jinja,jinja2,j2,txt,mustache,hbs,handlebars,liquid}';
/** The folders the CLI's scan skips (SKIPPED_DIRS), and VS Code's own test downloads. */
const EXCLUDE_GLOB = '**/{node_modules,.git,dist,out,build,.venv,venv,__pycache__,.tox,.mypy_cache,.next,.vscode-test,coverage,site-packages}/**';
/** Files offered to the scan, at most (more: the plan says so). */
export const MAX_SCANNED_FILES = 5000;
/** `prompt/scan` takes at most 1000 paths a request. */
const CHUNK = 1000;
/** Files with prompts read through the index, at most. */
export const MAX_PROMPT_FILES = 300;

export interface WorkspacePrompts {
  prompts: FoundPrompt[];
  /** The workspace's name, for people. */
  name: string;
  /** True when more files held prompts than were read (MAX_PROMPT_FILES). */
  truncated: boolean;
  /** Prompts left out as pieces of another prompt of their file, counted in it (`splicedPieces`). */
  spliced: number;
  /** True when the workspace has more files the scan reads than MAX_SCANNED_FILES: only that many were scanned. */
  scanCapped: boolean;
}

/** The workspace's prompts, or undefined without a workspace folder or in an untrusted workspace (no engine there). */
export async function workspacePrompts(prompts: PromptIndex, engine: EngineService, log: Log, token?: vscode.CancellationToken, progress?: (message: string) => void): Promise<WorkspacePrompts | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0 || !vscode.workspace.isTrusted) return undefined;
  // One more than scanned: a workspace with more is told that only part of it was read (it was capped without a word; breakidx37).
  const matched = (await vscode.workspace.findFiles(SCAN_GLOB, EXCLUDE_GLOB, MAX_SCANNED_FILES + 1, token)).filter((u) => u.scheme === 'file');
  const scanCapped = matched.length > MAX_SCANNED_FILES;
  matched.sort((a, b) => (a.fsPath < b.fsPath ? -1 : a.fsPath > b.fsPath ? 1 : 0));
  const uris = matched.slice(0, MAX_SCANNED_FILES);
  if (scanCapped) log.info(`Plan Cost Reduction: the workspace has more than ${MAX_SCANNED_FILES} files to scan; scanning ${MAX_SCANNED_FILES}.`);
  const withPrompts: string[] = [];
  for (let i = 0; i < uris.length; i += CHUNK) {
    if (token?.isCancellationRequested) return undefined;
    progress?.(vscode.l10n.t('{0} of {1} files scanned', formatCount(i), formatCount(uris.length)));
    const result = await engine.request(PromptScanRequest.type, { paths: uris.slice(i, i + CHUNK).map((u) => u.fsPath) }, { timeoutMs: 120_000 });
    for (const f of result.files) if (!f.skipped && f.prompts.length > 0) withPrompts.push(f.file);
  }
  const found: FoundPrompt[] = [];
  let spliced = 0;
  const read = withPrompts.slice(0, MAX_PROMPT_FILES);
  for (const [n, file] of read.entries()) {
    if (token?.isCancellationRequested) return undefined;
    if (n % 20 === 0) progress?.(vscode.l10n.t('{0} of {1} files with prompts read', formatCount(n), formatCount(read.length)));
    try {
      const uri = vscode.Uri.file(file);
      // An open document is read as the editor has it (unsaved edits included); any other file from disk, never opened
      // as a document: an opened one gets its findings in the Problems panel, for files the user never opened (newuser34).
      const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      if (open && !prompts.applies(open)) continue;
      const hints = open ? await prompts.get(open) : await prompts.hintsForFile(uri, languageIdOfFile(file), textOf(await vscode.workspace.fs.readFile(uri)));
      const relative = vscode.workspace.asRelativePath(uri, folders.length > 1);
      const all = hints?.prompts ?? [];
      const pieces = splicedPieces(all);
      spliced += pieces.size;
      for (const [i, p] of all.entries()) {
        if (p.location.unterminated || pieces.has(i)) continue;
        found.push({ file: relative, model: p.model, tokens: p.cost.tokens.count, atLeast: p.runtimeValues.length > 0, ...(p.cost.inputCostUsd === undefined ? { unpriced: true } : {}) });
      }
    } catch (error) {
      log.warn(`Plan Cost Reduction: could not read the prompts of ${file}: ${errorMessage(error)}`);
    }
  }
  return { prompts: found, name: vscode.workspace.name ?? folders[0].name, truncated: withPrompts.length > MAX_PROMPT_FILES, spliced, scanCapped };
}

/** The language id VS Code gives a file of this name with no language extension installed (the scan's languages). */
const LANGUAGE_IDS: Record<string, string> = {
  py: 'python',
  pyi: 'python',
  ts: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  tsx: 'typescriptreact',
  js: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  jsx: 'javascriptreact',
  yaml: 'yaml',
  yml: 'yaml',
  json: 'json',
  jsonc: 'jsonc',
  md: 'markdown',
  markdown: 'markdown',
};

export function languageIdOfFile(file: string): string {
  const ext = /\.([^./\\]+)$/.exec(file)?.[1]?.toLowerCase();
  return (ext && LANGUAGE_IDS[ext]) || 'plaintext';
}

/** A file's bytes as the editor reads them: UTF-8, without a byte order mark. */
function textOf(bytes: Uint8Array): string {
  const text = new TextDecoder('utf-8').decode(bytes);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

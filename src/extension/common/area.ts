import * as vscode from 'vscode';
import type { EngineService } from '../client/engineService';
import type { Log } from './log';

/** What every area gets from activate(): the extension context, the log channel and the engine. */
export interface AreaContext {
  readonly context: vscode.ExtensionContext;
  readonly log: Log;
  readonly engine: EngineService;
}

/**
 * What an area's register() returns: the disposables activate() hands to
 * `context.subscriptions`, and the objects the command table (commands.ts) and the tests'
 * API (api.ts) use. The commands themselves are registered from the one table, not here.
 */
export interface Registered<Api> {
  readonly api: Api;
  readonly disposables: vscode.Disposable[];
}

/** Whether the workspace is trusted: the one place the command table and the editor features ask. */
export function workspaceTrusted(): boolean {
  return vscode.workspace.isTrusted;
}

/**
 * The engine as VS Code shows it: progress in a notification with a Cancel button that
 * really cancels, errors with "Show Logs" / "Restart Engine" buttons, and the state in
 * the log. Wraps the vscode-free EngineClient.
 */
import { serveEditorModels } from './editorModels';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RequestType } from 'vscode-jsonrpc/node';
import { EngineError, errorMessage } from '../../protocol/errors';
import { config } from '../common/config';
import type { Log } from '../common/log';
import { EngineClient, type RequestOptions } from './engineClient';

export class EngineService implements vscode.Disposable {
  readonly client: EngineClient;
  private readonly editorModels: vscode.Disposable;

  constructor(
    context: vscode.ExtensionContext,
    private readonly log: Log,
  ) {
    this.client = new EngineClient({
      serverPath: path.join(context.extensionPath, 'dist', 'engine.js'),
      logger: log,
      requestTimeoutMs: config.requestTimeoutMs(),
      maxRestarts: config.maxRestarts(),
      onStateChange: (state) => log.info(`Engine state: ${state}.`),
    });
    // The engine asks the editor's models (`vscode:` names) through reverse requests.
    this.editorModels = serveEditorModels(this.client, log);
  }

  /** A quick request with no UI of its own (errors are the caller's to show). */
  async request<P, R>(type: RequestType<P, R, void>, params: P, options?: RequestOptions): Promise<R> {
    this.assertTrusted(type.method);
    return this.client.request(type, params, options);
  }

  /**
   * The engine runs code on the workspace's files (models, datasets, configs), so it never
   * starts in an untrusted workspace: every request through the extension is refused here.
   */
  private assertTrusted(method: string): void {
    if (!vscode.workspace.isTrusted) {
      throw new EngineError('engineUnavailable', `PepperPy does not run its engine (${method}) in an untrusted workspace.`, 'Trust the workspace (Manage Workspace Trust) to use this; token counts and prompt hints stay available read-only.');
    }
  }

  /**
   * A job the user waits for: progress in a notification with Cancel. Resolves to
   * undefined when the user cancelled; shows the error and resolves undefined on failure
   * unless `rethrow` is set.
   */
  async runJob<P, R>(title: string, type: RequestType<P, R, void>, params: P, options: { rethrow?: boolean } = {}): Promise<R | undefined> {
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      async (progress, token) => {
        const abort = new AbortController();
        const sub = token.onCancellationRequested(() => abort.abort());
        let lastPercent = 0;
        try {
          this.assertTrusted(type.method);
          return await this.client.request(type, params, {
            signal: abort.signal,
            onProgress: (p) => {
              const increment = p.percent !== undefined ? Math.max(0, p.percent - lastPercent) : undefined;
              if (p.percent !== undefined) lastPercent = p.percent;
              progress.report({ ...(p.message ? { message: p.message } : {}), ...(increment !== undefined ? { increment } : {}) });
            },
          });
        } catch (error) {
          if (error instanceof EngineError && error.code === 'cancelled') {
            this.log.info(`${title}: cancelled by the user.`);
            return undefined;
          }
          if (options.rethrow) throw error;
          void this.showError(error);
          return undefined;
        } finally {
          sub.dispose();
        }
      },
    );
  }

  /** Shows an engine error with buttons that lead somewhere. */
  async showError(error: unknown): Promise<void> {
    const engineError = error instanceof EngineError ? error : new EngineError('internal', errorMessage(error));
    this.log.error(`${engineError.code}: ${engineError.message}`);
    const more = engineError.code === 'engineUnavailable' || engineError.code === 'timeout' ? ['Restart Engine'] : [];
    const choice = await this.log.showErrorWithLogs(`PepperPy: ${engineError.fullMessage}`, ...more);
    if (choice === 'Restart Engine') await vscode.commands.executeCommand('pepperpy.restartEngine');
  }

  dispose(): void {
    this.editorModels.dispose();
    this.client.dispose();
  }
}

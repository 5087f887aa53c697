/**
 * Activation only wires things together: every feature lives in its own file and every
 * disposable goes to `context.subscriptions`.
 */
import * as vscode from 'vscode';
import { analyzePrompt } from './commands/analyzePrompt';
import { EngineService } from './engine/engineService';
import { SelectionTokenStatus } from './features/statusBar';
import { Log } from './log';
import { ANALYSIS_VIEW_TYPE, AnalysisPanel } from './panels/analysisPanel';
import type { PepperpyApi } from './api';

export function activate(context: vscode.ExtensionContext): PepperpyApi {
  const started = performance.now();
  const log = new Log();
  const engine = new EngineService(context, log);
  const analysisPanel = new AnalysisPanel(context, log, engine);
  const status = new SelectionTokenStatus(engine, log);

  context.subscriptions.push(
    log,
    engine,
    analysisPanel,
    status,
    vscode.commands.registerCommand('pepperpy.analyzePrompt', analyzePrompt(analysisPanel)),
    vscode.commands.registerCommand('pepperpy.showLogs', () => log.channel.show()),
    vscode.commands.registerCommand('pepperpy.restartEngine', async () => {
      try {
        await engine.client.restart();
        void vscode.window.showInformationMessage(`PepperPy: engine restarted (pid ${engine.client.pid ?? '?'}).`);
      } catch (error) {
        await engine.showError(error);
      }
    }),
    vscode.window.registerWebviewPanelSerializer(ANALYSIS_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state: unknown) => analysisPanel.host.restore(panel, state),
    }),
  );

  const activationMs = performance.now() - started;
  log.info(`PepperPy Optimization activated in ${activationMs.toFixed(1)} ms.`);
  return { activationMs, engine: engine.client, statusBar: status, analysisPanel };
}

export function deactivate(): void {
  // Disposables in context.subscriptions stop the engine process.
}

/** "PepperPy: Restart Engine" and "PepperPy: Show Logs". */
import * as vscode from 'vscode';
import type { Log } from '../common/log';
import type { EngineService } from './engineService';

/** Restarts the engine process now (commands.ts refuses it in an untrusted workspace). */
export function restartEngine(engine: EngineService) {
  return async (): Promise<void> => {
    try {
      await engine.client.restart();
      void vscode.window.showInformationMessage(vscode.l10n.t('PepperPy: engine restarted (pid {0}).', engine.client.pid ?? '?'));
    } catch (error) {
      await engine.showError(error);
    }
  };
}

export function showLogs(log: Log) {
  return () => log.channel.show();
}

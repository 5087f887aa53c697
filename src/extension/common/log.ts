import * as vscode from 'vscode';
import type { LogLevel } from '../../protocol/engine';
import type { EngineLogger } from '../client/engineClient';

/** The one "PepperPy" log channel; the engine's logs arrive here too. */
export class Log implements EngineLogger, vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;

  constructor() {
    this.channel = vscode.window.createOutputChannel('PepperPy', { log: true });
  }

  log(level: LogLevel, message: string): void {
    switch (level) {
      case 'trace':
        this.channel.trace(message);
        break;
      case 'debug':
        this.channel.debug(message);
        break;
      case 'info':
        this.channel.info(message);
        break;
      case 'warn':
        this.channel.warn(message);
        break;
      case 'error':
        this.channel.error(message);
        break;
    }
  }

  info(message: string): void {
    this.channel.info(message);
  }

  warn(message: string): void {
    this.channel.warn(message);
  }

  error(message: string): void {
    this.channel.error(message);
  }

  /** An error message with a "Show Logs" button (then `more` buttons); opens this log when picked. Resolves to the button picked. */
  async showErrorWithLogs(message: string, ...more: string[]): Promise<string | undefined> {
    const showLogs = vscode.l10n.t('Show Logs');
    const choice = await vscode.window.showErrorMessage(message, showLogs, ...more);
    if (choice === showLogs) this.channel.show(true);
    return choice;
  }

  dispose(): void {
    this.channel.dispose();
  }
}

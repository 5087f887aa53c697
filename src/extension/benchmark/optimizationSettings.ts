/**
 * `pepperpy.optimization.*` settings → a validated OptimizationConfig. The mapping is the
 * engine's `settingsMapping()` (package.json's contributions are generated from the same
 * list), so the two cannot drift. An invalid value falls back to the defaults with a
 * warning that names the setting, instead of failing the run.
 */
import * as vscode from 'vscode';
import { configFromSettings, OptimizationConfig } from '../../shared/config';
import type { Log } from '../common/log';
import { errorMessage } from '../../protocol/errors';

export function optimizationConfig(log: Log): OptimizationConfig {
  const settings = vscode.workspace.getConfiguration();
  try {
    return configFromSettings((key) => settings.get(key));
  } catch (error) {
    const message = errorMessage(error);
    log.warn(`Ignoring the pepperpy.optimization.* settings: ${message}`);
    void vscode.window.showWarningMessage(`PepperPy: the optimization settings are invalid (${message}); using the defaults.`, 'Open Settings').then((choice) => {
      if (choice === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'pepperpy.optimization');
    });
    return OptimizationConfig({});
  }
}


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
    const open = vscode.l10n.t('Open Settings');
    void vscode.window.showWarningMessage(vscode.l10n.t('PepperPy: the optimization settings are invalid ({0}); using the defaults.', message), open).then((choice) => {
      if (choice === open) void vscode.commands.executeCommand('workbench.action.openSettings', 'pepperpy.optimization');
    });
    return OptimizationConfig({});
  }
}


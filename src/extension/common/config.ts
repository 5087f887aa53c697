import * as vscode from 'vscode';
import { DEFAULT_MODEL } from '../../shared/prompt/defaults';
import { SUGGESTED_MODELS } from '../../shared/modelChoices';

/** Typed getters for the `pepperpy.*` settings; the engine never reads settings itself. */
function section(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('pepperpy');
}

/** A number setting; `fallback` when it is unset, not a finite number, or out of range (`valid` says no). */
function numberSetting(key: string, fallback: number, valid: (n: number) => boolean): number {
  const value = section().get<unknown>(key, fallback);
  return typeof value === 'number' && Number.isFinite(value) && valid(value) ? value : fallback;
}

export const config = {
  defaultModel(): string {
    // The user's own setting wins; only an unset or blank one falls back to the built-in default.
    const value = section().get<string>('defaultModel', DEFAULT_MODEL);
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : DEFAULT_MODEL;
  },
  statusBarEnabled(): boolean {
    return section().get<boolean>('statusBar.enabled', true) !== false;
  },
  requestTimeoutMs(): number {
    return numberSetting('engine.requestTimeoutMs', 30_000, (n) => n >= 1000);
  },
  codeLensEnabled(): boolean {
    return section().get<boolean>('codeLens.enabled', true) !== false;
  },
  diagnosticsSeverity(): 'error' | 'warning' | 'information' | 'hint' | 'off' {
    const value = section().get<string>('diagnostics.severity', 'information');
    return value === 'error' || value === 'warning' || value === 'hint' || value === 'off' ? value : 'information';
  },
  compareModels(): string[] {
    const value = section().get<unknown>('compareModels', []);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim()).slice(0, 20) : [];
  },
  callsPerDay(): number {
    return numberSetting('callsPerDay', 1000, (n) => n >= 0);
  },
  hintsMaxFileChars(): number {
    return numberSetting('hints.maxFileSizeKb', 1024, (kb) => kb > 0) * 1024;
  },
  hintsDebounceMs(): number {
    return 300;
  },
  maxRestarts(): number {
    return Math.floor(numberSetting('engine.maxRestarts', 5, (n) => n >= 0));
  },
};

/** Models offered in the panels' model lists: the default first, then the compared models (both the user's), then current models (SUGGESTED_MODELS). */
export function modelChoices(): string[] {
  return [...new Set([config.defaultModel(), ...config.compareModels(), ...SUGGESTED_MODELS])];
}

import * as vscode from 'vscode';
import { DEFAULT_MODEL } from '../../shared/prompt/defaults';

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

/** Models offered in pickers: the default first, then common ones. */
export function modelChoices(): string[] {
  const common = ['gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'gpt-4.1-mini', 'gpt-5', 'gpt-5-mini', 'o3', 'o4-mini', 'gpt-4', 'gpt-3.5-turbo', 'claude-sonnet-4-5', 'claude-3-5-haiku', 'gemini-2.5-pro', 'llama-3.1-70b'];
  const first = config.defaultModel();
  return [first, ...common.filter((m) => m !== first)];
}

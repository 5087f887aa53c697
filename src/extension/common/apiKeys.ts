/**
 * Where the API keys live: VS Code SecretStorage (the OS keychain), one secret per provider,
 * written only by "PepperPy: Set API Key". The pickers and the runs read them here; nothing
 * puts a key in settings, logs or a webview.
 */
import type * as vscode from 'vscode';
import { KEY_PROVIDERS, type KeyProvider } from '../../shared/modelChoices';

export function apiKeySecret(provider: KeyProvider): string {
  return `pepperpy.apiKey.${provider}`;
}

export async function readApiKey(secrets: vscode.SecretStorage, provider: KeyProvider): Promise<string | undefined> {
  return secrets.get(apiKeySecret(provider));
}

/** The providers with a stored key, in KEY_PROVIDERS order. */
export async function providersWithKey(secrets: vscode.SecretStorage): Promise<KeyProvider[]> {
  const out: KeyProvider[] = [];
  for (const p of KEY_PROVIDERS) if ((await readApiKey(secrets, p)) !== undefined) out.push(p);
  return out;
}

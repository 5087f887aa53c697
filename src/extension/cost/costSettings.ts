import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

/** Typed getters for the `pepperpy.cost.*` settings. Secrets (webhook URL, SMTP password) live in SecretStorage, not here. */
function section(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('pepperpy.cost');
}

function text(key: string): string {
  const value = section().get<unknown>(key, '');
  return typeof value === 'string' ? value.trim() : '';
}

function integer(key: string, fallback: number, min: number, max: number): number {
  const value = section().get<unknown>(key, fallback);
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? value : fallback;
}

export const SECRET_WEBHOOK = 'pepperpy.cost.alertWebhook';
export const SECRET_SMTP_PASSWORD = 'pepperpy.cost.smtpPassword';

export const costSettings = {
  port(): number {
    return integer('port', 8787, 0, 65535);
  },
  alertThreshold(): number | undefined {
    const value = section().get<unknown>('alertThreshold', null);
    return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
  },
  alertEmail(): string {
    return text('alertEmail');
  },
  smtp(): { host: string; port: number; user: string; from: string } {
    return { host: text('smtp.host'), port: integer('smtp.port', 587, 1, 65535), user: text('smtp.user'), from: text('smtp.from') };
  },
  redisUrl(): string {
    return text('redisUrl');
  },
  upstreamOpenAi(): string {
    return text('upstreamOpenAi');
  },
  upstreamAnthropic(): string {
    return text('upstreamAnthropic');
  },
  historyDays(): number {
    return integer('historyDays', 14, 1, 366);
  },
};

/** Where the ledger is: Redis when a URL is set, else the configured file, else the extension's global storage. */
export function ledgerLocation(context: vscode.ExtensionContext): { ledgerFile: string } | { redisUrl: string } {
  const redisUrl = costSettings.redisUrl();
  if (redisUrl) return { redisUrl };
  const configured = text('ledger');
  return { ledgerFile: configured ? path.resolve(configured.replace(/^~(?=$|\/)/, process.env.HOME ?? '~')) : path.join(context.globalStorageUri.fsPath, 'cost-ledger.jsonl') };
}

/** For messages: the file path, or the Redis URL without its password. */
export function describeLedger(location: { ledgerFile: string } | { redisUrl: string }): string {
  if ('ledgerFile' in location) return location.ledgerFile;
  try {
    const url = new URL(location.redisUrl);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return 'redis (URL not shown)';
  }
}

/** True when the ledger may hold data: always for Redis (unknown until asked), for a file when it is not empty. */
export function ledgerMayHaveData(location: { ledgerFile: string } | { redisUrl: string }): boolean {
  if (!('ledgerFile' in location)) return true;
  try {
    return fs.statSync(location.ledgerFile).size > 0;
  } catch {
    return false;
  }
}

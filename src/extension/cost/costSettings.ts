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
  /** Host header values the proxy accepts besides its loopback address (the engine checks each and refuses to start on a bad one). */
  allowedHosts(): string[] | undefined {
    return list('allowedHosts');
  },
  /** Browser origins allowed to use the proxy (`*`: any). */
  allowedOrigins(): string[] | undefined {
    return list('allowedOrigins');
  },
  /** The proxy's client time-outs in ms; a setting left at its default (null) is not sent. */
  clientTimeouts(): { headersMs?: number; bodyMs?: number } | undefined {
    const headersMs = optionalNumber('clientTimeouts.headersMs');
    const bodyMs = optionalNumber('clientTimeouts.bodyMs');
    if (headersMs === undefined && bodyMs === undefined) return undefined;
    return { ...(headersMs !== undefined ? { headersMs } : {}), ...(bodyMs !== undefined ? { bodyMs } : {}) };
  },
};

/**
 * A list setting as written (entries trimmed, empty ones dropped); undefined when unset or
 * empty. The entries are not filtered here: a wrong one reaches the engine, which refuses to
 * start the monitor and says which, rather than the proxy quietly running without it.
 */
function list(key: string): string[] | undefined {
  const value = section().get<unknown>(key, []);
  if (!Array.isArray(value)) return undefined;
  const items = value.map((v) => (typeof v === 'string' ? v.trim() : String(v))).filter((v) => v !== '');
  return items.length > 0 ? items : undefined;
}

/** A number setting, or undefined when unset (null); a value that is not a number is passed on for the engine to refuse. */
function optionalNumber(key: string): number | undefined {
  const value = section().get<unknown>(key, null);
  if (value === null || value === undefined || value === '') return undefined;
  return typeof value === 'number' ? value : Number.NaN;
}

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

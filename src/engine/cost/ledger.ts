/**
 * The monitor's append-only usage ledger. By default a JSONL file: each completed request
 * is written and fsync'd before the proxy ends its answer to the client, so a request the
 * client saw complete is on disk even if the proxy is killed the next instant. Appends that
 * arrive together share one write and one fsync (group commit). With a `redis://` URL the
 * ledger is a Redis list per UTC day, so a team shares one.
 */
import { open, readFile, type FileHandle } from 'node:fs/promises';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CurrentCosts, LedgerEntry, ModelSpend } from '../../protocol/cost';
import { EngineError } from '../../protocol/errors';

export interface Ledger {
  append(entry: LedgerEntry): Promise<void>;
  /** Entries of one UTC day (YYYY-MM-DD), in append order. */
  readDay(day: string): Promise<LedgerEntry[]>;
  close(): Promise<void>;
  /** Checks that appends will work (the monitor refuses to start rather than run unmetered). */
  prepare?(): Promise<void>;
  /** Where it writes, for messages (never a password). */
  readonly description: string;
}

function looksLikeEntry(value: unknown): value is LedgerEntry {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return typeof v.ts === 'string' && typeof v.api === 'string' && typeof v.status === 'number';
}

export function utcDay(date: Date = new Date()): string {
  return date.toISOString().slice(0, 10);
}

interface Pending {
  line: string;
  resolve(): void;
  reject(error: unknown): void;
}

export class JsonlLedger implements Ledger {
  readonly description: string;
  private handle: Promise<FileHandle> | undefined;
  private queue: Pending[] = [];
  private flushing = false;
  /** Lines in the file that could not be parsed when it was last read (a torn last line after a crash). */
  skippedLines = 0;

  constructor(private readonly path: string) {
    this.description = path;
  }

  append(entry: LedgerEntry): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ line: `${JSON.stringify(entry)}\n`, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue;
        this.queue = [];
        try {
          const handle = await this.file();
          await handle.write(batch.map((p) => p.line).join(''));
          await handle.sync();
          batch.forEach((p) => p.resolve());
        } catch (error) {
          batch.forEach((p) => p.reject(error));
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  private file(): Promise<FileHandle> {
    this.handle ??= (async () => {
      try {
        mkdirSync(dirname(this.path), { recursive: true });
        return await open(this.path, 'a');
      } catch (error) {
        this.handle = undefined;
        const code = (error as NodeJS.ErrnoException).code ?? '';
        const why = code === 'EISDIR' ? 'it is a folder' : code === 'ENOTDIR' || code === 'EEXIST' ? 'a part of its path is a file, not a folder' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EROFS' ? 'the file system is read-only' : (error as Error).message;
        throw new EngineError('badRequest', `Cannot write the cost ledger ${this.path}: ${why}.`, 'Choose a ledger file in a writable folder (--ledger FILE, or the pepperpy.cost.ledger setting).');
      }
    })();
    return this.handle;
  }

  /** Opens the file for appending now, so a ledger that cannot be written is an error before any request. */
  async prepare(): Promise<void> {
    await this.file();
  }

  async readDay(day: string): Promise<LedgerEntry[]> {
    return (await this.readAll()).filter((e) => e.ts.startsWith(day));
  }

  async readAll(): Promise<LedgerEntry[]> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // No file yet: nothing was recorded there.
      if (code === 'ENOENT') return [];
      if (code === 'EISDIR') throw new EngineError('badRequest', `The cost ledger ${this.path} is a folder, not a JSONL file.`, 'Pass the ledger file itself (for example cost-ledger.jsonl inside that folder).');
      throw new EngineError('badRequest', `Cannot read the cost ledger ${this.path}: ${(error as Error).message}.`, 'Check the path and its permissions.');
    }
    if (text.includes('\u0000')) throw new EngineError('badRequest', `${this.path} is a binary file, not a cost ledger.`, 'Pass the JSONL ledger the cost monitor writes (--ledger of `pepperpy-opt cost monitor`).');
    const entries: LedgerEntry[] = [];
    this.skippedLines = 0;
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        value = undefined;
      }
      if (looksLikeEntry(value)) entries.push(value);
      else this.skippedLines++;
    }
    // A torn last line after a crash is tolerated; a file with no entry at all is not a ledger.
    if (entries.length === 0 && this.skippedLines > 0) throw new EngineError('badRequest', `${this.path} is not a cost ledger: none of its ${this.skippedLines} line(s) is a ledger entry.`, 'Pass the JSONL ledger the cost monitor writes (--ledger of `pepperpy-opt cost monitor`).');
    return entries;
  }

  async close(): Promise<void> {
    while (this.flushing || this.queue.length > 0) await new Promise((r) => setTimeout(r, 5));
    const handle = this.handle;
    this.handle = undefined;
    if (handle) await (await handle).close();
  }
}

/** The subset of node-redis' client the ledger uses. */
interface RedisLike {
  connect(): Promise<unknown>;
  rPush(key: string, value: string): Promise<number>;
  lRange(key: string, start: number, stop: number): Promise<string[]>;
  expire(key: string, seconds: number): Promise<unknown>;
  quit(): Promise<unknown>;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

export class RedisLedger implements Ledger {
  readonly description: string;
  private client: RedisLike | undefined;
  private lastError: Error | undefined;

  constructor(
    private readonly url: string,
    private readonly options: { keyPrefix?: string; retentionDays?: number } = {},
  ) {
    this.description = redactUrl(url);
  }

  key(day: string): string {
    return `${this.options.keyPrefix ?? 'pepperpy:cost:ledger'}:${day}`;
  }

  /** Connects now, so a wrong URL fails at start rather than at the first request. */
  async connect(): Promise<void> {
    if (this.client) return;
    const { createClient } = await import('redis');
    let connected = false;
    // Before the first connection, fail at once (a wrong URL); after it, ride out short outages.
    const reconnectStrategy = (retries: number): number | Error => (!connected ? new Error('connection refused') : retries > 20 ? new Error('gave up reconnecting') : Math.min(retries * 100, 2000));
    const client = createClient({ url: this.url, socket: { connectTimeout: 5000, reconnectStrategy } }) as unknown as RedisLike;
    client.on('error', (error) => {
      this.lastError = error;
    });
    try {
      await client.connect();
      connected = true;
    } catch (error) {
      throw new EngineError('engineUnavailable', `Cannot connect to the Redis ledger at ${this.description}: ${error instanceof Error ? error.message : String(error)}.`, 'Check that redis-server runs and the URL is right.');
    }
    this.client = client;
  }

  async append(entry: LedgerEntry): Promise<void> {
    await this.connect();
    const key = this.key(entry.ts.slice(0, 10));
    await this.client!.rPush(key, JSON.stringify(entry));
    if (this.options.retentionDays) await this.client!.expire(key, this.options.retentionDays * 86_400);
  }

  async readDay(day: string): Promise<LedgerEntry[]> {
    await this.connect();
    const entries: LedgerEntry[] = [];
    for (const line of await this.client!.lRange(this.key(day), 0, -1)) {
      try {
        entries.push(JSON.parse(line) as LedgerEntry);
      } catch {
        // Someone else's value under our key: skip it rather than fail the whole day.
      }
    }
    return entries;
  }

  get error(): Error | undefined {
    return this.lastError;
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) await client.quit().catch(() => undefined);
  }
}

/** Hides the password in a URL for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//***@');
  }
}

export function openLedger(options: { ledgerFile?: string; redisUrl?: string }): Ledger {
  if (options.redisUrl && options.ledgerFile) throw new EngineError('badRequest', 'Give either a ledger file or a Redis URL, not both.');
  if (options.redisUrl) return new RedisLedger(options.redisUrl);
  if (options.ledgerFile) return new JsonlLedger(options.ledgerFile);
  throw new EngineError('badRequest', 'No ledger configured: give a ledger file or a Redis URL.');
}

/**
 * Per-model totals of a day's entries: the seed's `get_current_costs`. Model names come
 * from requests (any string, `__proto__` and `constructor` included), so they are collected
 * in a Map and turned into an object with own properties only: a name is never assigned
 * on a plain object, where `__proto__` would change its prototype (and `Object.prototype`
 * through it). Requests whose cost is unknown (no price, a cut answer, an unmetered
 * endpoint) are counted apart, never as $0.
 */
export function summarize(day: string, entries: LedgerEntry[], ledger: string): CurrentCosts {
  const byModel = new Map<string, ModelSpend>();
  let totalCost = 0;
  let unknownCostRequests = 0;
  for (const e of entries) {
    let spend = byModel.get(e.model);
    if (!spend) {
      spend = { cost: 0, requests: 0, inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, reasoningTokens: 0, unpriced: 0, avgLatencyMs: 0 };
      byModel.set(e.model, spend);
    }
    spend.avgLatencyMs = (spend.avgLatencyMs * spend.requests + e.latencyMs) / (spend.requests + 1);
    spend.requests++;
    spend.inputTokens += e.inputTokens;
    spend.outputTokens += e.outputTokens;
    spend.cachedInputTokens += e.cachedInputTokens;
    spend.reasoningTokens += e.reasoningTokens;
    if (e.cost === null) {
      spend.unpriced++;
      unknownCostRequests++;
    } else {
      spend.cost += e.cost;
      totalCost += e.cost;
    }
  }
  return { day, byModel: ownRecord(byModel), totalCost, requests: entries.length, unknownCostRequests, ledger };
}

/** A Map as an object of own properties (Object.fromEntries defines them; it never calls the `__proto__` setter). */
export function ownRecord<T>(map: ReadonlyMap<string, T>): Record<string, T> {
  return Object.fromEntries(map);
}

/**
 * The monitor's append-only usage ledger. By default a JSONL file: each completed request
 * is written and fsync'd before the proxy ends its answer to the client, so a request the
 * client saw complete is on disk even if the proxy is killed the next instant. Appends that
 * arrive together share one write and one fsync (group commit). With a `redis://` URL the
 * ledger is a Redis list per UTC day, so a team shares one.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { constants, mkdirSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { dirname } from 'node:path';
import type { CurrentCosts, LedgerEntry, ModelSpend } from '../../protocol/cost';
import { EngineError, errorMessage } from '../../protocol/errors';

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

const COUNTS = ['latencyMs', 'inputTokens', 'outputTokens', 'cachedInputTokens', 'cacheWriteTokens', 'reasoningTokens'] as const;

/** A ledger line's entry; undefined for a line that is not JSON or not an entry. */
function entryOfLine(line: string): LedgerEntry | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    value = undefined;
  }
  return ledgerEntryOf(value);
}

/**
 * A ledger line as an entry the totals can add up, or undefined. A ledger is a plain file (or
 * a shared Redis list) that anyone may edit: a line whose `cost` is the string "7" would
 * otherwise be concatenated into the day's total ("0.57"), and one whose `latencyMs` is not a
 * number broke `cost today` as "a bug in PepperPy". What the monitor writes always passes:
 * `ts` an ISO time, `model` a string, `status` an HTTP status, `cost` a non-negative number or
 * null (unknown), and each count a non-negative number (absent counts, from older ledgers, are 0).
 */
export function ledgerEntryOf(value: unknown): LedgerEntry | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.ts !== 'string' || !/^\d{4}-\d{2}-\d{2}T/.test(v.ts) || typeof v.api !== 'string' || typeof v.model !== 'string') return undefined;
  if (typeof v.status !== 'number' || !Number.isInteger(v.status) || v.status < 100 || v.status > 999) return undefined;
  const cost = v.cost === undefined ? null : v.cost;
  if (cost !== null && !(typeof cost === 'number' && Number.isFinite(cost) && cost >= 0)) return undefined;
  const counts: Partial<Record<(typeof COUNTS)[number], number>> = {};
  for (const name of COUNTS) {
    const n = v[name] ?? 0;
    if (!(typeof n === 'number' && Number.isFinite(n) && n >= 0)) return undefined;
    counts[name] = n;
  }
  const entry: LedgerEntry = { ...(v as unknown as LedgerEntry), ...counts, cost, stream: v.stream === true };
  // An edited line's pricedAs that is not a name is dropped, not shown.
  if (entry.pricedAs !== undefined && typeof entry.pricedAs !== 'string') delete entry.pricedAs;
  return entry;
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

  /**
   * @param readChunkBytes how much of the file is read at a time (tests make it small so that
   *   lines and UTF-8 characters straddle reads).
   */
  constructor(
    private readonly path: string,
    private readonly readChunkBytes = 1 << 20,
  ) {
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
        // O_NONBLOCK: opening a FIFO for writing would otherwise wait for a reader forever, holding
        // one of libuv's four file-system threads (four such ledgers and every file read of the
        // engine waits). A FIFO without a reader fails at once (ENXIO); the type is checked below.
        const handle = await open(this.path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NONBLOCK, 0o644);
        await regularOrClose(handle, this.path);
        return handle;
      } catch (error) {
        this.handle = undefined;
        if (error instanceof EngineError) throw error;
        const code = (error as NodeJS.ErrnoException).code ?? '';
        const why = code === 'EISDIR' ? 'it is a folder' : code === 'ENOTDIR' || code === 'EEXIST' ? 'a part of its path is a file, not a folder' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EROFS' ? 'the file system is read-only' : code === 'ENXIO' ? 'it is a named pipe (FIFO) or a device, not a file' : (error as Error).message;
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
    return this.readWhere((e) => e.ts.startsWith(day));
  }

  async readAll(): Promise<LedgerEntry[]> {
    return this.readWhere(() => true);
  }

  /**
   * The entries `keep` accepts, in file order. The file is read a chunk at a time and line by
   * line: it was read whole into one string, and a ledger past V8's largest string (about
   * 512 MB, some 1.3 million requests) could no longer be read at all ("Invalid string length"),
   * nor could the monitor start on it. A FIFO or a device is refused before any read (a FIFO
   * without a writer would block a file-system thread forever, /dev/zero would fill memory).
   */
  async readWhere(keep: (entry: LedgerEntry) => boolean): Promise<LedgerEntry[]> {
    let handle: FileHandle;
    try {
      handle = await open(this.path, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // No file yet: nothing was recorded there.
      if (code === 'ENOENT') return [];
      throw new EngineError('badRequest', `Cannot read the cost ledger ${this.path}: ${(error as Error).message}.`, 'Check the path and its permissions.');
    }
    const entries: LedgerEntry[] = [];
    let skipped = 0;
    let seen = 0;
    const take = (line: string): void => {
      if (line.trim() === '') return;
      const entry = entryOfLine(line);
      if (!entry) skipped++;
      else {
        seen++;
        if (keep(entry)) entries.push(entry);
      }
    };
    try {
      if ((await handle.stat()).isDirectory()) throw new EngineError('badRequest', `The cost ledger ${this.path} is a folder, not a JSONL file.`, 'Pass the ledger file itself (for example cost-ledger.jsonl inside that folder).');
      await regularOrClose(handle, this.path, false);
      const decoder = new StringDecoder('utf8');
      const buffer = Buffer.alloc(this.readChunkBytes);
      let rest = '';
      for (;;) {
        let bytesRead: number;
        try {
          ({ bytesRead } = await handle.read(buffer, 0, buffer.length, null));
        } catch (error) {
          throw new EngineError('badRequest', `Cannot read the cost ledger ${this.path}: ${(error as Error).message}.`, 'Check the path and its permissions.');
        }
        if (bytesRead === 0) break;
        const chunk = buffer.subarray(0, bytesRead);
        if (chunk.includes(0)) throw new EngineError('badRequest', `${this.path} is a binary file, not a cost ledger.`, 'Pass the JSONL ledger the cost monitor writes (--ledger of `pepperpy-opt cost monitor`).');
        const lines = (rest + decoder.write(chunk)).split('\n');
        rest = lines.pop() ?? '';
        for (const line of lines) take(line);
      }
      take(rest + decoder.end());
    } finally {
      await handle.close();
    }
    this.skippedLines = skipped;
    // A torn last line after a crash is tolerated; a file with no entry at all is not a ledger.
    if (seen === 0 && skipped > 0) throw new EngineError('badRequest', `${this.path} is not a cost ledger: none of its ${skipped} line(s) is a ledger entry.`, 'Pass the JSONL ledger the cost monitor writes (--ledger of `pepperpy-opt cost monitor`).');
    return entries;
  }

  async close(): Promise<void> {
    while (this.flushing || this.queue.length > 0) await new Promise((r) => setTimeout(r, 5));
    const handle = this.handle;
    this.handle = undefined;
    if (handle) await (await handle).close();
  }
}

/** Refuses (and closes) a handle that is not a regular file: a FIFO, a device or a socket. */
async function regularOrClose(handle: FileHandle, path: string, close = true): Promise<void> {
  const stat = await handle.stat();
  if (stat.isFile()) return;
  if (close) await handle.close();
  const kind = stat.isFIFO() ? 'a named pipe (FIFO)' : stat.isCharacterDevice() || stat.isBlockDevice() ? 'a device' : stat.isSocket() ? 'a socket' : stat.isDirectory() ? 'a folder' : 'not a regular file';
  throw new EngineError('badRequest', `The cost ledger ${path} is ${kind}, not a file.`, 'Choose a regular file for the ledger (--ledger FILE, or the pepperpy.cost.ledger setting).');
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
      throw new EngineError('engineUnavailable', `Cannot connect to the Redis ledger at ${this.description}: ${errorMessage(error)}.`, 'Check that redis-server runs and the URL is right.');
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
      // Someone else's value under our key (not JSON, or not an entry): skip it rather than fail the whole day.
      const entry = entryOfLine(line);
      if (entry) entries.push(entry);
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
 * Per-model totals of a day's entries: the seed's `get_current_costs` (the Python PepperPy
 * `optimization` module's CostMonitor call that lists the spend so far per model). Model names come
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
      // Entries are in time order: the latest priced request's note (the catalog may have changed between them).
      if (e.pricedAs) spend.pricedAs = e.pricedAs;
      else delete spend.pricedAs;
    }
  }
  return { day, byModel: ownRecord(byModel), totalCost, requests: entries.length, unknownCostRequests, ledger };
}

/** A Map as an object of own properties (Object.fromEntries defines them; it never calls the `__proto__` setter). */
export function ownRecord<T>(map: ReadonlyMap<string, T>): Record<string, T> {
  return Object.fromEntries(map);
}

/**
 * PipelineCache: answers keyed by question, in memory, in a file, or in Redis.
 *
 * - Exact matching on the normalised question (lower case, collapsed spaces), then
 *   semantic matching: the stored question with the highest cosine similarity of the
 *   embedded-default embeddings, if it reaches `similarityThreshold`.
 * - Eviction: least recently written entries go first once the stored bytes (JSON of
 *   each entry) pass `maxSizeMb`; entries expire after `ttl` seconds.
 * - Statistics: hits (exact/semantic), misses, hit rate, and a measured false-hit rate:
 *   callers that know which question a stored answer belongs to (benchmarks do) report
 *   each semantic hit's truth with `recordHitOutcome`, and the rate is false/judged.
 * - Redis down: every operation degrades to a miss, `available` turns false, and the
 *   reason is logged once; the pipeline keeps answering without the cache.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createClient } from 'redis';
import { EngineError } from '../../protocol/errors';
import { writeFileAtomicSync } from '../../shared/files';
import { cosine, embed } from './embedding';

/**
 * A folder this run will create or write into: refused up front when the path, or a part of
 * it, is a file (otherwise mkdir fails with EEXIST/ENOTDIR after the work is done).
 */
export function checkFolderPath(folder: string, what: string, option: string): void {
  let current = folder;
  for (;;) {
    let isDirectory: boolean | undefined;
    try {
      isDirectory = statSync(current).isDirectory();
    } catch {
      isDirectory = undefined;
    }
    if (isDirectory === false) throw new EngineError('badRequest', current === folder ? `${what} ${folder} is a file, not a folder.` : `${what} ${folder} cannot be created: ${current} is a file.`, `Choose a folder for ${option}.`);
    if (isDirectory === true) return;
    const parent = dirname(current);
    if (parent === current) return;
    current = parent;
  }
}

export type CacheType = 'memory' | 'file' | 'redis';

export interface PipelineCacheOptions {
  cacheType: CacheType;
  /** redis://host:port/db for Redis; a folder for the file cache. */
  connectionString?: string;
  /** Seconds (default 3600). */
  ttl?: number;
  /** Default 100. */
  maxSizeMb?: number;
  /** Default 0.9; 1 disables semantic matching. */
  similarityThreshold?: number;
  namespace?: string;
  /** Redis connection time-out in ms (default 1000). */
  connectTimeoutMs?: number;
  log?: (level: 'info' | 'warn', message: string) => void;
}

export interface CacheEntry<T> {
  query: string;
  value: T;
  /** Who the answer belongs to (a query id), for measuring false hits. */
  tag?: string;
  embedding: number[];
  storedAt: number;
  expiresAt: number;
  bytes: number;
}

export interface CacheLookup<T> {
  value: T;
  match: 'exact' | 'semantic';
  similarity: number;
  matchedQuery: string;
  tag?: string;
}

export interface CacheStats {
  cacheType: CacheType;
  available: boolean;
  unavailableReason?: string;
  hits: number;
  exactHits: number;
  semanticHits: number;
  misses: number;
  hitRate: number;
  /** Semantic hits whose truth was reported. */
  judgedHits: number;
  falseHits: number;
  falseHitRate: number;
  entries: number;
  sizeBytes: number;
  maxSizeBytes: number;
  evictions: number;
  similarityThreshold: number;
}

export function normalizeQuery(query: string): string {
  return query.toLowerCase().replace(/\s+/g, ' ').trim();
}

function keyOf(query: string): string {
  return createHash('sha256').update(normalizeQuery(query)).digest('hex').slice(0, 32);
}

/** Hides the password of a connection string in messages. */
export function redactConnection(url: string): string {
  return url.replace(/\/\/([^:@/]*):([^@/]*)@/, '//$1:***@');
}

interface Backend<T> {
  get(key: string): Promise<CacheEntry<T> | undefined>;
  /** All live entries' keys with their embeddings, for semantic search. */
  index(): Promise<{ key: string; embedding: number[]; query: string }[]>;
  set(key: string, entry: CacheEntry<T>): Promise<number>;
  count(): Promise<{ entries: number; bytes: number }>;
  clear(): Promise<void>;
  close(): Promise<void>;
}

class MemoryBackend<T> implements Backend<T> {
  protected readonly map = new Map<string, CacheEntry<T>>();
  protected bytes = 0;
  constructor(protected readonly maxBytes: number) {}

  async get(key: string): Promise<CacheEntry<T> | undefined> {
    const e = this.map.get(key);
    if (e && e.expiresAt <= Date.now()) {
      this.delete(key);
      return undefined;
    }
    return e;
  }

  protected delete(key: string): void {
    const e = this.map.get(key);
    if (e) {
      this.bytes -= e.bytes;
      this.map.delete(key);
    }
  }

  async index(): Promise<{ key: string; embedding: number[]; query: string }[]> {
    const now = Date.now();
    const out: { key: string; embedding: number[]; query: string }[] = [];
    for (const [key, e] of this.map) {
      if (e.expiresAt <= now) this.delete(key);
      else out.push({ key, embedding: e.embedding, query: e.query });
    }
    return out;
  }

  async set(key: string, entry: CacheEntry<T>): Promise<number> {
    this.delete(key);
    this.map.set(key, entry);
    this.bytes += entry.bytes;
    let evicted = 0;
    // Map iteration order is insertion order: the oldest write goes first.
    for (const k of this.map.keys()) {
      if (this.bytes <= this.maxBytes || k === key) break;
      this.delete(k);
      evicted++;
    }
    return evicted;
  }

  async count(): Promise<{ entries: number; bytes: number }> {
    return { entries: this.map.size, bytes: this.bytes };
  }

  async clear(): Promise<void> {
    this.map.clear();
    this.bytes = 0;
  }

  async close(): Promise<void> {}
}

/** The memory backend, loaded from and written through to one JSON file per namespace. */
class FileBackend<T> extends MemoryBackend<T> {
  private readonly path: string;
  constructor(maxBytes: number, dir: string, namespace: string) {
    super(maxBytes);
    mkdirSync(dir, { recursive: true });
    this.path = join(dir, `${namespace}.cache.json`);
    if (existsSync(this.path)) {
      try {
        const stored = JSON.parse(readFileSync(this.path, 'utf8')) as { entries: [string, CacheEntry<T>][] };
        for (const [k, e] of stored.entries) {
          this.map.set(k, e);
          this.bytes += e.bytes;
        }
      } catch {
        // A damaged cache file is treated as empty and rewritten on the next write.
      }
    }
  }

  private flush(): void {
    writeFileAtomicSync(this.path, JSON.stringify({ entries: [...this.map.entries()] }));
  }

  override async set(key: string, entry: CacheEntry<T>): Promise<number> {
    const evicted = await super.set(key, entry);
    this.flush();
    return evicted;
  }

  override async clear(): Promise<void> {
    await super.clear();
    this.flush();
  }
}

function makeRedisClient(url: string, timeoutMs: number) {
  return createClient({ url, socket: { connectTimeout: timeoutMs, reconnectStrategy: false } });
}
type Redis = ReturnType<typeof makeRedisClient>;

/**
 * Redis layout under `<ns>:`: `e:<key>` the entry JSON (with PX expiry), `idx` a hash
 * key → {query, embedding} for semantic search, `lru` a sorted set by write time, `sz` a
 * hash key → bytes, `bytes` the running total used for eviction.
 */
class RedisBackend<T> implements Backend<T> {
  private constructor(private readonly client: Redis, private readonly ns: string, private readonly maxBytes: number, private readonly ttlMs: number) {}

  static async connect<T>(url: string, ns: string, maxBytes: number, ttlMs: number, timeoutMs: number, onError: (e: Error) => void): Promise<RedisBackend<T>> {
    const client = makeRedisClient(url, timeoutMs);
    client.on('error', (e: Error) => onError(e));
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        client.connect(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no connection within ${timeoutMs} ms`)), timeoutMs + 200);
        }),
      ]);
    } catch (error) {
      clearTimeout(timer);
      client.destroy();
      throw error;
    }
    clearTimeout(timer);
    return new RedisBackend<T>(client, ns, maxBytes, ttlMs);
  }

  async get(key: string): Promise<CacheEntry<T> | undefined> {
    const raw = await this.client.get(`${this.ns}:e:${key}`);
    if (raw === null) return undefined;
    return JSON.parse(raw) as CacheEntry<T>;
  }

  async index(): Promise<{ key: string; embedding: number[]; query: string }[]> {
    const all = await this.client.hGetAll(`${this.ns}:idx`);
    const out: { key: string; embedding: number[]; query: string }[] = [];
    for (const [key, raw] of Object.entries(all)) {
      const parsed = JSON.parse(raw) as { q: string; e: number[]; x: number };
      if (parsed.x <= Date.now()) await this.remove(key);
      else out.push({ key, embedding: parsed.e, query: parsed.q });
    }
    return out;
  }

  private async remove(key: string): Promise<void> {
    const size = Number((await this.client.hGet(`${this.ns}:sz`, key)) ?? 0);
    await this.client.multi().del(`${this.ns}:e:${key}`).hDel(`${this.ns}:idx`, key).hDel(`${this.ns}:sz`, key).zRem(`${this.ns}:lru`, key).decrBy(`${this.ns}:bytes`, size).exec();
  }

  async set(key: string, entry: CacheEntry<T>): Promise<number> {
    if (await this.client.hExists(`${this.ns}:sz`, key)) await this.remove(key);
    await this.client
      .multi()
      .set(`${this.ns}:e:${key}`, JSON.stringify(entry), { expiration: { type: 'PX', value: this.ttlMs } })
      .hSet(`${this.ns}:idx`, key, JSON.stringify({ q: entry.query, e: entry.embedding.map((x) => Math.round(x * 1e5) / 1e5), x: entry.expiresAt }))
      .hSet(`${this.ns}:sz`, key, String(entry.bytes))
      .zAdd(`${this.ns}:lru`, { score: entry.storedAt, value: key })
      .incrBy(`${this.ns}:bytes`, entry.bytes)
      .exec();
    let evicted = 0;
    for (;;) {
      const total = Number((await this.client.get(`${this.ns}:bytes`)) ?? 0);
      if (total <= this.maxBytes) break;
      const oldest = await this.client.zRange(`${this.ns}:lru`, 0, 0);
      if (oldest.length === 0 || oldest[0] === key) break;
      await this.remove(oldest[0]);
      evicted++;
    }
    return evicted;
  }

  async count(): Promise<{ entries: number; bytes: number }> {
    return { entries: await this.client.hLen(`${this.ns}:idx`), bytes: Number((await this.client.get(`${this.ns}:bytes`)) ?? 0) };
  }

  async clear(): Promise<void> {
    const keys = await this.client.keys(`${this.ns}:*`);
    if (keys.length > 0) await this.client.del(keys);
  }

  async close(): Promise<void> {
    try {
      await this.client.close();
    } catch {
      this.client.destroy();
    }
  }
}

export class PipelineCache<T = unknown> {
  readonly cacheType: CacheType;
  readonly ttlSeconds: number;
  readonly maxSizeBytes: number;
  readonly similarityThreshold: number;
  readonly namespace: string;
  private backend: Promise<Backend<T> | undefined> | undefined;
  private unavailableReason: string | undefined;
  private counters = { hits: 0, exactHits: 0, semanticHits: 0, misses: 0, judgedHits: 0, falseHits: 0, evictions: 0 };

  constructor(private readonly options: PipelineCacheOptions) {
    this.cacheType = options.cacheType;
    this.ttlSeconds = options.ttl ?? 3600;
    this.maxSizeBytes = Math.floor((options.maxSizeMb ?? 100) * 1024 * 1024);
    this.similarityThreshold = options.similarityThreshold ?? 0.9;
    this.namespace = options.namespace ?? 'rag_cache';
    if (options.cacheType === 'redis' && !options.connectionString) throw new EngineError('badRequest', 'A Redis cache needs a connection string (redis://host:6379/0).');
    if (options.cacheType === 'file' && !options.connectionString) throw new EngineError('badRequest', 'A file cache needs a folder as its connection string.');
    if (options.cacheType === 'file') checkFolderPath(options.connectionString as string, 'The file cache folder', '--cache-url (connection_string)');
  }

  private open(): Promise<Backend<T> | undefined> {
    this.backend ??= (async () => {
      switch (this.cacheType) {
        case 'memory':
          return new MemoryBackend<T>(this.maxSizeBytes);
        case 'file':
          return new FileBackend<T>(this.maxSizeBytes, this.options.connectionString as string, this.namespace);
        case 'redis': {
          const url = this.options.connectionString as string;
          try {
            return await RedisBackend.connect<T>(url, `pepperpy:${this.namespace}`, this.maxSizeBytes, this.ttlSeconds * 1000, this.options.connectTimeoutMs ?? 1000, (e) => this.markUnavailable(e));
          } catch (error) {
            this.markUnavailable(error);
            return undefined;
          }
        }
      }
    })();
    return this.backend;
  }

  private markUnavailable(error: unknown): void {
    const first = this.unavailableReason === undefined;
    this.unavailableReason = `Redis at ${redactConnection(this.options.connectionString ?? '')} is unavailable (${error instanceof Error ? error.message || error.name : String(error)}); running without the cache.`;
    if (first) this.options.log?.('warn', this.unavailableReason);
  }

  /** False once the backend failed; the cache then answers every lookup with a miss. */
  get available(): boolean {
    return this.unavailableReason === undefined;
  }

  get unavailable(): string | undefined {
    return this.unavailableReason;
  }

  private async guarded<R>(fallback: R, op: (b: Backend<T>) => Promise<R>): Promise<R> {
    if (!this.available) return fallback;
    const backend = await this.open();
    if (!backend || !this.available) return fallback;
    try {
      return await op(backend);
    } catch (error) {
      if (this.cacheType !== 'redis') throw error;
      this.markUnavailable(error);
      return fallback;
    }
  }

  /** Looks a question up: exact first, then the most similar stored question above the threshold. */
  async get(query: string): Promise<CacheLookup<T> | undefined> {
    const found = await this.guarded<CacheLookup<T> | undefined>(undefined, async (b) => {
      const exact = await b.get(keyOf(query));
      if (exact) return { value: exact.value, match: 'exact', similarity: 1, matchedQuery: exact.query, ...(exact.tag !== undefined ? { tag: exact.tag } : {}) };
      if (this.similarityThreshold >= 1) return undefined;
      const vector = embed(query);
      let best: { key: string; similarity: number } | undefined;
      for (const item of await b.index()) {
        const similarity = cosine(vector, item.embedding);
        if (similarity >= this.similarityThreshold && (!best || similarity > best.similarity)) best = { key: item.key, similarity };
      }
      if (!best) return undefined;
      const entry = await b.get(best.key);
      if (!entry) return undefined;
      return { value: entry.value, match: 'semantic', similarity: best.similarity, matchedQuery: entry.query, ...(entry.tag !== undefined ? { tag: entry.tag } : {}) };
    });
    if (!found) this.counters.misses++;
    else {
      this.counters.hits++;
      if (found.match === 'exact') this.counters.exactHits++;
      else this.counters.semanticHits++;
    }
    return found;
  }

  async set(query: string, value: T, tag?: string): Promise<void> {
    const now = Date.now();
    const partial = { query, value, ...(tag !== undefined ? { tag } : {}), embedding: embed(query), storedAt: now, expiresAt: now + this.ttlSeconds * 1000, bytes: 0 };
    partial.bytes = Buffer.byteLength(JSON.stringify(partial));
    const evicted = await this.guarded(0, (b) => b.set(keyOf(query), partial));
    this.counters.evictions += evicted;
  }

  /** Reports whether a hit answered the question it was asked for (feeds the false-hit rate). */
  recordHitOutcome(correct: boolean): void {
    this.counters.judgedHits++;
    if (!correct) this.counters.falseHits++;
  }

  resetStats(): void {
    this.counters = { hits: 0, exactHits: 0, semanticHits: 0, misses: 0, judgedHits: 0, falseHits: 0, evictions: 0 };
  }

  async stats(): Promise<CacheStats> {
    const size = await this.guarded({ entries: 0, bytes: 0 }, (b) => b.count());
    const lookups = this.counters.hits + this.counters.misses;
    return {
      cacheType: this.cacheType,
      available: this.available,
      ...(this.unavailableReason ? { unavailableReason: this.unavailableReason } : {}),
      ...this.counters,
      hitRate: lookups === 0 ? 0 : this.counters.hits / lookups,
      falseHitRate: this.counters.judgedHits === 0 ? 0 : this.counters.falseHits / this.counters.judgedHits,
      entries: size.entries,
      sizeBytes: size.bytes,
      maxSizeBytes: this.maxSizeBytes,
      similarityThreshold: this.similarityThreshold,
    };
  }

  async clear(): Promise<void> {
    await this.guarded(undefined, (b) => b.clear());
    this.resetStats();
  }

  async close(): Promise<void> {
    const backend = this.backend ? await this.backend : undefined;
    this.backend = undefined;
    await backend?.close();
  }
}

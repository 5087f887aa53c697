/**
 * The seed's `CostMonitor`: a local proxy on 127.0.0.1 for the OpenAI-compatible API
 * (chat completions, responses, embeddings) and Anthropic's messages API. Each request is
 * forwarded to the real upstream with the caller's headers (and so its key) untouched;
 * answers flow back chunk by chunk as they arrive, a copy is read for the usage, and the
 * request is written to the ledger before the client's answer is ended. Other paths
 * (`/v1/models`, ...) are forwarded without being recorded.
 */
import { EventEmitter } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import { randomUUID } from 'node:crypto';
import { EngineError } from '../../protocol/errors';
import type { CurrentCosts, LedgerEntry } from '../../protocol/cost';
import { sendEmail, sendWebhook, type CostAlert, type SmtpConfig } from './alerts';
import { summarize, utcDay, type Ledger } from './ledger';
import { sharedPriceCatalog, type PriceCatalog } from './pricing';
import { SseSplitter, StreamUsageTracker, usageFromBody, type ApiKind, type ParsedUsage } from './usage';

export const DEFAULT_OPENAI_UPSTREAM = 'https://api.openai.com';
export const DEFAULT_ANTHROPIC_UPSTREAM = 'https://api.anthropic.com';
/** Largest request body the proxy reads (it must read it to see the model and the stream flag). */
const MAX_REQUEST_BYTES = 64 * 1024 * 1024;
/** Largest non-streamed answer the proxy keeps a copy of for its usage. */
const MAX_COPY_BYTES = 32 * 1024 * 1024;

const ROUTES: ReadonlyArray<[string, ApiKind]> = [
  ['/v1/chat/completions', 'openai.chat'],
  ['/v1/responses', 'openai.responses'],
  ['/v1/embeddings', 'openai.embeddings'],
  ['/v1/messages', 'anthropic.messages'],
];

/** Headers that belong to one connection and are not forwarded. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host', 'content-length', 'accept-encoding']);

export type LogFn = (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;

export interface CostMonitorOptions {
  ledger: Ledger;
  /** 0 picks a free port. Default 8787. */
  port?: number;
  host?: string;
  upstreamOpenAi?: string;
  upstreamAnthropic?: string;
  /** USD per UTC day; crossing it fires `alert` once that day. */
  alertThreshold?: number;
  alertWebhook?: string;
  alertEmail?: SmtpConfig;
  catalog?: PriceCatalog;
  log?: LogFn;
  /**
   * Ask OpenAI chat streams for their usage (`stream_options.include_usage`) when the
   * client did not, and hold back the extra usage-only chunk so the client sees the stream
   * it asked for. Default true.
   */
  injectStreamUsage?: boolean;
  /**
   * Upstream time-outs (ms): connecting, the first byte of the answer (a non-streamed
   * answer arrives whole, so this bounds generation time), and silence between chunks.
   * A request that runs past one is answered 504 (or cut, mid-stream) and recorded.
   */
  timeouts?: { connectMs?: number; firstByteMs?: number; idleMs?: number };
  /** On stop, how long requests in flight may finish before they are cut (ms, default 5,000). */
  shutdownGraceMs?: number;
}

const DEFAULT_TIMEOUTS = { connectMs: 10_000, firstByteMs: 300_000, idleMs: 120_000 };

function seconds(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s` : `${ms} ms`;
}

export interface CostMonitorEvents {
  recorded: [LedgerEntry];
  alert: [CostAlert];
  alertFailed: [{ channel: 'webhook' | 'email'; error: string }];
  ledgerFailed: [{ entry: LedgerEntry; error: string }];
}

export class CostMonitor extends EventEmitter<CostMonitorEvents> {
  private server: http.Server | undefined;
  private catalog: PriceCatalog | undefined;
  private readonly agents = { http: new http.Agent({ keepAlive: true, maxSockets: 256 }), https: new https.Agent({ keepAlive: true, maxSockets: 256 }) };
  private day = utcDay();
  private todayEntries: LedgerEntry[] = [];
  private alerted = false;
  private inFlight = new Set<Promise<void>>();
  /** Cuts each upstream request in flight (used when a stop outlives its grace period). */
  private readonly cutters = new Set<(why: string) => void>();
  private readonly log: LogFn;
  readonly options: CostMonitorOptions;

  constructor(options: CostMonitorOptions) {
    super();
    this.options = options;
    this.log = options.log ?? (() => undefined);
    for (const [name, url] of [['upstreamOpenAi', options.upstreamOpenAi], ['upstreamAnthropic', options.upstreamAnthropic], ['alertWebhook', options.alertWebhook]] as const) {
      if (url !== undefined && !/^https?:\/\/[^\s]+$/.test(url)) throw new EngineError('badRequest', `${name} must be an http(s) URL, got "${url}".`);
    }
    if (options.alertThreshold !== undefined && !(Number.isFinite(options.alertThreshold) && options.alertThreshold >= 0)) {
      throw new EngineError('badRequest', `The alert threshold must be a non-negative number of dollars, got ${options.alertThreshold}.`);
    }
  }

  /** Starts listening; resolves with the address. Today's spend is read back from the ledger first. */
  async start(): Promise<{ host: string; port: number; url: string }> {
    if (this.server) throw new EngineError('badRequest', 'The cost monitor is already running.');
    this.catalog = this.options.catalog ?? (await sharedPriceCatalog());
    // A ledger that cannot be written would let every request through unmetered: refuse to start.
    await this.options.ledger.prepare?.();
    this.day = utcDay();
    this.todayEntries = await this.options.ledger.readDay(this.day);
    // Spend already over the threshold when the monitor starts was alerted (or seen) by the run that recorded it.
    this.alerted = this.options.alertThreshold !== undefined && this.total(this.todayEntries) >= this.options.alertThreshold;
    const host = this.options.host ?? '127.0.0.1';
    const port = this.options.port ?? 8787;
    const server = http.createServer((req, res) => {
      const work = this.handle(req, res).catch((error: unknown) => {
        this.log('error', `cost proxy: ${error instanceof Error ? error.message : String(error)}`);
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
        res.end();
      });
      this.inFlight.add(work);
      void work.finally(() => this.inFlight.delete(work));
    });
    server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'EADDRINUSE') reject(new EngineError('badRequest', `Port ${port} on ${host} is already in use.`, 'Choose another port (--port), or 0 for any free port.'));
        else reject(error);
      });
      server.listen(port, host, () => resolve());
    });
    this.server = server;
    const address = server.address() as { port: number };
    this.log('info', `cost proxy listening on http://${host}:${address.port}, ledger ${this.options.ledger.description}`);
    return { host, port: address.port, url: `http://${host}:${address.port}` };
  }

  /**
   * Stops accepting requests, lets those in flight finish for `shutdownGraceMs`, then cuts
   * the rest (each is recorded as cut), and closes the ledger.
   */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    const closed = server ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
    server?.closeIdleConnections();
    const drained = Promise.allSettled([...this.inFlight]).then(() => true);
    const grace = this.options.shutdownGraceMs ?? 5_000;
    let timer: NodeJS.Timeout | undefined;
    const inTime = await Promise.race([drained, new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), grace)))]);
    clearTimeout(timer);
    if (!inTime) {
      this.log('warn', `cost proxy: ${this.cutters.size} request(s) still running ${seconds(grace)} after stop; cutting them (each is recorded).`);
      for (const cut of [...this.cutters]) cut(`the cost monitor stopped while waiting for the upstream`);
      await drained;
    }
    server?.closeAllConnections();
    await closed;
    this.agents.http.destroy();
    this.agents.https.destroy();
    await this.options.ledger.close();
  }

  /** Today's (UTC) spend per model, from this run and what the ledger held when it started. */
  getCurrentCosts(): CurrentCosts {
    this.rollDay();
    return summarize(this.day, this.todayEntries, this.options.ledger.description);
  }

  private total(entries: LedgerEntry[]): number {
    return entries.reduce((sum, e) => sum + (e.cost ?? 0), 0);
  }

  private rollDay(): void {
    const now = utcDay();
    if (now !== this.day) {
      this.day = now;
      this.todayEntries = [];
      this.alerted = false;
    }
  }

  private upstreamFor(api: ApiKind | undefined, path: string): string {
    if (api === 'anthropic.messages' || (api === undefined && path.startsWith('/v1/messages'))) return this.options.upstreamAnthropic ?? DEFAULT_ANTHROPIC_UPSTREAM;
    return this.options.upstreamOpenAi ?? DEFAULT_OPENAI_UPSTREAM;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const started = performance.now();
    const requested = normalizeTarget(req.url ?? '/');
    const path = typeof requested === 'string' ? '' : requested.pathname;
    const api = req.method === 'POST' ? ROUTES.find(([route]) => path === route)?.[1] : undefined;
    let body = await readBody(req);
    if (body === undefined) {
      res.writeHead(413, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `Request body above ${MAX_REQUEST_BYTES} bytes.`, type: 'pepperpy_proxy_error' } }));
      return;
    }

    let requestModel = 'unknown';
    let stream = false;
    let strippedUsageChunk = false;
    if (api) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch {
        parsed = undefined;
      }
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
        const request = parsed as Record<string, unknown>;
        if (typeof request.model === 'string') requestModel = request.model;
        stream = request.stream === true;
        const streamOptions = request.stream_options as Record<string, unknown> | undefined;
        if (api === 'openai.chat' && stream && this.options.injectStreamUsage !== false && streamOptions?.include_usage !== true) {
          request.stream_options = { ...(streamOptions ?? {}), include_usage: true };
          body = Buffer.from(JSON.stringify(request));
          strippedUsageChunk = true;
        }
      }
    }

    if (typeof requested === 'string') {
      // Never forward (and so never hand the caller's key) anywhere but the configured upstreams.
      // Recorded before answering, so the ledger line exists when the client sees the refusal.
      await this.record({ api: 'proxy.refused', requestModel, stream, status: 400, started, usage: undefined, error: requested });
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `PepperPy cost proxy refused the request: ${requested}`, type: 'pepperpy_proxy_error' } }));
      return;
    }
    const upstream = new URL(this.upstreamFor(api, path));
    const target = new URL(upstream.origin);
    target.pathname = `${upstream.pathname.replace(/\/$/, '')}${requested.pathname}`;
    target.search = requested.search;
    const headers: http.OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
    }
    headers.host = target.host;
    // The proxy reads the answer, so it asks for it uncompressed.
    headers['accept-encoding'] = 'identity';
    if (body.length > 0 || req.method === 'POST') headers['content-length'] = String(body.length);

    const client = target.protocol === 'https:' ? https : http;
    const limits = { ...DEFAULT_TIMEOUTS, ...this.options.timeouts };
    /** Set when a time-out (or a stop) cut the upstream request: the answer is then 504. */
    let cutReason: string | undefined;
    let cut: (why: string) => void = () => undefined;
    const upstreamRes = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const upstreamReq = client.request(target, { method: req.method, headers, agent: target.protocol === 'https:' ? this.agents.https : this.agents.http }, (r) => {
        clearTimeout(firstByte);
        resolve(r);
      });
      cut = (why: string) => {
        cutReason ??= why;
        upstreamReq.destroy(new Error(why));
      };
      this.cutters.add(cut);
      const firstByte = setTimeout(() => cut(`${target.origin} sent no answer within ${seconds(limits.firstByteMs)}`), limits.firstByteMs);
      upstreamReq.on('socket', (socket) => {
        if (!socket.connecting) return;
        const connect = setTimeout(() => cut(`could not connect to ${target.origin} within ${seconds(limits.connectMs)}`), limits.connectMs);
        socket.once('connect', () => clearTimeout(connect));
        socket.once('close', () => clearTimeout(connect));
      });
      // Socket silence, before and during the answer.
      upstreamReq.setTimeout(limits.idleMs, () => cut(`${target.origin} sent nothing for ${seconds(limits.idleMs)}`));
      upstreamReq.on('error', (error) => {
        clearTimeout(firstByte);
        reject(error);
      });
      req.on('close', () => {
        if (!res.writableFinished) upstreamReq.destroy();
      });
      upstreamReq.end(body);
    }).catch((error: unknown) => {
      const message = cutReason ?? (error instanceof Error ? error.message : String(error));
      res.writeHead(cutReason ? 504 : 502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: cutReason ? `PepperPy cost proxy: ${cutReason}.` : `PepperPy cost proxy could not reach ${target.origin}: ${message}`, type: 'pepperpy_proxy_error' } }));
      return message;
    });
    if (typeof upstreamRes === 'string') {
      this.cutters.delete(cut);
      if (api) await this.record({ api, requestModel, stream, status: cutReason ? 504 : 502, started, usage: undefined, error: cutReason ? `upstream time-out: ${cutReason}` : `upstream unreachable: ${upstreamRes}` });
      return;
    }
    const ttfb = performance.now() - started;

    const responseHeaders: http.OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(upstreamRes.headers)) {
      if (value !== undefined && !HOP_BY_HOP.has(name)) responseHeaders[name] = value;
    }
    if (upstreamRes.headers['content-length'] !== undefined && !strippedUsageChunk) responseHeaders['content-length'] = upstreamRes.headers['content-length'];
    res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.statusMessage, responseHeaders);
    res.flushHeaders();

    const isEventStream = /text\/event-stream/i.test(String(upstreamRes.headers['content-type'] ?? ''));
    const tracker = api && isEventStream ? new StreamUsageTracker(api) : undefined;
    const splitter = tracker ? new SseSplitter() : undefined;
    const copy: Buffer[] = [];
    let copied = 0;
    let failed: string | undefined;

    await new Promise<void>((resolve) => {
      upstreamRes.on('data', (chunk: Buffer) => {
        if (splitter && tracker) {
          const events = splitter.push(chunk);
          if (strippedUsageChunk) {
            // Forward whole events only, minus the usage-only chunk the proxy asked for.
            const out = events.filter((event) => !tracker.observe(event)).map((event) => event.raw).join('');
            if (out) res.write(out);
          } else {
            for (const event of events) tracker.observe(event);
            res.write(chunk);
          }
        } else {
          res.write(chunk);
          if (api && copied < MAX_COPY_BYTES) {
            copy.push(chunk);
            copied += chunk.length;
          }
        }
      });
      upstreamRes.on('end', resolve);
      upstreamRes.on('error', (error) => {
        failed = error.message;
        resolve();
      });
      upstreamRes.on('aborted', () => {
        failed = 'upstream closed the connection mid-answer';
        resolve();
      });
    });
    if (splitter && tracker) {
      for (const event of splitter.flush()) {
        const isUsageChunk = tracker.observe(event);
        // Without stripping, the raw bytes were already forwarded as they came.
        if (strippedUsageChunk && !isUsageChunk) res.write(event.raw);
      }
    }

    if (api) {
      let usage: ParsedUsage | undefined;
      let error = failed;
      if (tracker) {
        usage = tracker.result();
        if (!usage && !error) error = tracker.malformedEvents > 0 ? `stream had ${tracker.malformedEvents} malformed events and no usage` : 'stream carried no usage';
      } else if (copied < MAX_COPY_BYTES) {
        const text = Buffer.concat(copy).toString('utf8');
        try {
          usage = usageFromBody(api, JSON.parse(text));
          if (!usage && !error && (upstreamRes.statusCode ?? 500) < 400) error = 'answer carried no usage';
        } catch {
          error ??= `answer is not JSON (${text.length} bytes)`;
        }
      } else {
        error ??= 'answer too large to read usage from';
      }
      if (cutReason) error = `upstream time-out mid-answer: ${cutReason}`;
      await this.record({ api, requestModel, stream, status: cutReason ? 504 : (upstreamRes.statusCode ?? 502), started, ttfb, usage, error });
    }
    this.cutters.delete(cut);
    if (failed) res.destroy();
    else res.end();
  }

  private async record(r: { api: LedgerEntry['api']; requestModel: string; stream: boolean; status: number; started: number; ttfb?: number; usage: ParsedUsage | undefined; error?: string }): Promise<void> {
    const usage = r.usage;
    const model = usage?.model ?? r.requestModel;
    const entry: LedgerEntry = {
      ts: new Date().toISOString(),
      id: randomUUID(),
      api: r.api,
      model,
      status: r.status,
      stream: r.stream,
      latencyMs: Math.round((performance.now() - r.started) * 100) / 100,
      ...(r.ttfb !== undefined ? { ttfbMs: Math.round(r.ttfb * 100) / 100 } : {}),
      inputTokens: usage?.inputTokens ?? 0,
      outputTokens: usage?.outputTokens ?? 0,
      cachedInputTokens: usage?.cachedInputTokens ?? 0,
      cacheWriteTokens: usage?.cacheWriteTokens ?? 0,
      reasoningTokens: usage?.reasoningTokens ?? 0,
      cost: null,
      ...(usage ? {} : { usageMissing: true }),
      ...(r.error ? { error: r.error } : {}),
    };
    if (usage && r.api !== 'proxy.refused') {
      try {
        const priced = this.price(r.api, model, usage);
        entry.cost = priced.cost;
        entry.priceSource = priced.source;
      } catch (error) {
        entry.costNote = error instanceof EngineError ? error.message : String(error);
      }
    } else if (r.status >= 400) {
      entry.cost = 0;
      entry.costNote = 'error answer without usage: not billed';
    } else {
      entry.costNote = 'no usage in the answer: cost unknown';
    }
    try {
      await this.options.ledger.append(entry);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.log('error', `cost ledger ${this.options.ledger.description}: could not record a ${model} request: ${message}`);
      this.emit('ledgerFailed', { entry, error: message });
    }
    this.rollDay();
    this.todayEntries.push(entry);
    this.emit('recorded', entry);
    this.checkThreshold();
  }

  private price(api: ApiKind, model: string, usage: ParsedUsage): { cost: number; source: LedgerEntry['priceSource'] } {
    const catalog = this.catalog!;
    const tokens = { inputTokens: usage.inputTokens, outputTokens: usage.outputTokens, cachedInputTokens: usage.cachedInputTokens, cacheWriteTokens: usage.cacheWriteTokens, reasoningTokens: Math.min(usage.reasoningTokens, usage.outputTokens) };
    const hint = api === 'anthropic.messages' ? 'anthropic' : 'openai';
    let result;
    try {
      result = catalog.cost(model, tokens, api === 'anthropic.messages' ? { providerId: hint } : {});
    } catch (error) {
      if (api === 'anthropic.messages' || !(error instanceof EngineError) || error.code !== 'notFound') throw error;
      result = catalog.cost(model, tokens, { providerId: hint });
    }
    return { cost: result.totalCost, source: result.price.source };
  }

  private checkThreshold(): void {
    const threshold = this.options.alertThreshold;
    if (threshold === undefined || this.alerted) return;
    const costs = summarize(this.day, this.todayEntries, this.options.ledger.description);
    if (costs.totalCost < threshold) return;
    this.alerted = true;
    const alert: CostAlert = { day: this.day, threshold, totalCost: costs.totalCost, costs };
    this.log('warn', `daily spend $${costs.totalCost.toFixed(4)} is above the alert threshold of $${threshold}`);
    this.emit('alert', alert);
    if (this.options.alertWebhook) {
      sendWebhook(this.options.alertWebhook, alert).catch((error: unknown) => this.alertFailed('webhook', error));
    }
    if (this.options.alertEmail) {
      sendEmail(this.options.alertEmail, alert).catch((error: unknown) => this.alertFailed('email', error));
    }
  }

  private alertFailed(channel: 'webhook' | 'email', error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.log('error', `cost alert by ${channel} failed: ${message}`);
    this.emit('alertFailed', { channel, error: message });
  }
}

function readBody(req: http.IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const PLACEHOLDER_ORIGIN = 'http://pepperpy-proxy.invalid';

/**
 * The request target as a path with its dot segments resolved (also percent-encoded ones),
 * or why it is refused. Only origin-form targets (`/path?query`) are forwarded: an
 * absolute-form target (`http://host/…`), a scheme-relative one (`//host/…`) or a
 * backslash form would send the caller's API key to a host the user never configured.
 * Routing (which API is metered) uses the resolved path, so `/v1/x/../chat/completions`
 * is metered as the chat completion it is.
 */
export function normalizeTarget(requestTarget: string): URL | string {
  const shown = JSON.stringify(requestTarget.length > 200 ? `${requestTarget.slice(0, 200)}…` : requestTarget);
  if (!requestTarget.startsWith('/') || requestTarget.startsWith('//') || requestTarget.includes('\\')) {
    return `the request target ${shown} is not a path; the proxy forwards only /paths to its configured upstreams.`;
  }
  let resolved: URL;
  try {
    resolved = new URL(requestTarget, PLACEHOLDER_ORIGIN);
  } catch {
    return `the request target ${shown} is not a valid path.`;
  }
  if (resolved.origin !== PLACEHOLDER_ORIGIN) return `the request target ${shown} names another host.`;
  return resolved;
}

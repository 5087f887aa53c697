/**
 * The seed's `CostMonitor` (the Python PepperPy `optimization` module's live spend monitor
 * with a daily alert threshold): a local proxy on 127.0.0.1 for the OpenAI-compatible API
 * (chat completions, responses, embeddings) and Anthropic's messages API. Each request is
 * forwarded to the real upstream with the caller's headers (and so its key) untouched;
 * answers flow back chunk by chunk as they arrive, a copy is read for the usage, and the
 * request is written to the ledger before the client's answer is ended.
 *
 * Every request gets one ledger line, whatever happens to it. The request target is
 * normalised first (one rule, `normalizeTarget`): unreserved percent-escapes decoded, dot
 * segments resolved, duplicate and trailing slashes dropped; encoded `/`, `\`, control
 * characters, matrix parameters (`;`) and non-path targets are refused (400). The
 * normalised path is what is forwarded and what is matched, case-insensitively, against the
 * metered endpoints; any other path (`/v1/models`, `/v1/audio/...`) is forwarded and
 * recorded as `proxy.unmetered`, its cost unknown unless the method is not billed. A request
 * from a browser (an `Origin` header) or for another host name (DNS rebinding) is refused
 * (403), and so are requests that do not arrive in time (408).
 */
import { EventEmitter } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import { randomUUID } from 'node:crypto';
import { EngineError, errorMessage } from '../../protocol/errors';
import type { CurrentCosts, LedgerEntry } from '../../protocol/cost';
import { sendEmail, sendWebhook, type CostAlert, type SmtpConfig } from './alerts';
import { summarize, utcDay, type Ledger } from './ledger';
import { redactSecrets } from './redact';
import { sharedPriceCatalog, type PriceCatalog } from '../../shared/cost/pricing';
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
  /**
   * Client time-outs (ms, default 30,000 each): the request's headers must arrive within
   * `headersMs` of the connection (or of the previous request on it), and its body within
   * `bodyMs` of the headers. A request past either is answered 408 and recorded.
   */
  clientTimeouts?: { headersMs?: number; bodyMs?: number };
  /**
   * Host header values accepted besides the proxy's own address (127.0.0.1, localhost or
   * [::1] with its port), as `name` or `name:port`. Any other Host is refused (403): a web
   * page that reaches the proxy through DNS rebinding sends its own host name.
   */
  allowedHosts?: string[];
  /**
   * Origin header values accepted (exact, e.g. `http://localhost:3000`; `*` for any).
   * Default none: API clients send no Origin, browsers always do on a POST, so a request
   * with an Origin is a web page's and is refused (403).
   */
  allowedOrigins?: string[];
}

const DEFAULT_TIMEOUTS = { connectMs: 10_000, firstByteMs: 300_000, idleMs: 120_000 };
const DEFAULT_CLIENT_TIMEOUTS = { headersMs: 30_000, bodyMs: 30_000 };
/** Model names longer than this (they come from the request) are cut in the ledger. */
const MAX_MODEL_CHARS = 200;
/** HTTP methods the providers never bill (reads). */
const UNBILLED_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** How a ledger line's cost is decided. */
type Billing =
  /** Priced from the usage in the answer (an error answer without usage is not billed). */
  | { kind: 'answered' }
  /** A cost fixed by what happened: 0 when it cannot have been billed, null when it may have been. */
  | { kind: 'fixed'; cost: 0 | null; note: string };

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
  /** The port it listens on, once started (the Host check needs it). */
  private port = 0;
  readonly options: CostMonitorOptions;

  constructor(options: CostMonitorOptions) {
    super();
    this.options = options;
    const log = options.log ?? (() => undefined);
    // A message may quote a request target or header a client sent: keys in it are hidden.
    this.log = (level, message) => log(level, redactSecrets(message));
    for (const [name, url] of [['upstreamOpenAi', options.upstreamOpenAi], ['upstreamAnthropic', options.upstreamAnthropic], ['alertWebhook', options.alertWebhook]] as const) {
      if (url !== undefined && !/^https?:\/\/[^\s]+$/.test(url)) throw new EngineError('badRequest', `${name} must be an http(s) URL, got "${url}".`);
    }
    if (options.alertThreshold !== undefined && !(Number.isFinite(options.alertThreshold) && options.alertThreshold >= 0)) {
      throw new EngineError('badRequest', `The alert threshold must be a non-negative number of dollars, got ${options.alertThreshold}.`);
    }
    for (const [name, ms] of Object.entries(options.clientTimeouts ?? {})) {
      if (ms !== undefined && !(Number.isInteger(ms) && ms >= 1 && ms <= 3_600_000)) throw new EngineError('badRequest', `clientTimeouts.${name} must be a whole number of milliseconds from 1 to 3,600,000, got ${ms}.`);
    }
  }

  private clientLimits(): { headersMs: number; bodyMs: number } {
    return { ...DEFAULT_CLIENT_TIMEOUTS, ...this.options.clientTimeouts };
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
    const client = this.clientLimits();
    const serverOptions: http.ServerOptions = {
      headersTimeout: client.headersMs,
      // A backstop only: the body's own deadline (bodyMs) answers 408 and records first.
      requestTimeout: client.headersMs + client.bodyMs + 5_000,
      // How often Node checks those deadlines (its default, 30 s, would let a slow client stay up to 30 s longer).
      connectionsCheckingInterval: Math.max(25, Math.min(1_000, Math.floor(client.headersMs / 4))),
    };
    const server = http.createServer(serverOptions, (req, res) => {
      const work = this.handle(req, res).catch((error: unknown) => {
        this.log('error', `cost proxy: ${errorMessage(error)}`);
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
        res.end();
      });
      this.inFlight.add(work);
      void work.finally(() => this.inFlight.delete(work));
    });
    server.keepAliveTimeout = 30_000;
    server.on('clientError', (error: NodeJS.ErrnoException, socket) => this.clientError(error, socket));
    // Without a listener Node drops a CONNECT silently: answer it (a tunnel would carry the key anywhere) and record it.
    server.on('connect', (req: http.IncomingMessage, socket: import('node:stream').Duplex) => void this.refuseConnect(req, socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'EADDRINUSE') reject(new EngineError('badRequest', `Port ${port} on ${host} is already in use.`, 'Choose another port (--port), or 0 for any free port.'));
        else reject(error);
      });
      server.listen(port, host, () => resolve());
    });
    this.server = server;
    const address = server.address() as { port: number };
    this.port = address.port;
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
    if (api === 'anthropic.messages' || (api === undefined && path.toLowerCase().startsWith('/v1/messages'))) return this.options.upstreamAnthropic ?? DEFAULT_ANTHROPIC_UPSTREAM;
    return this.options.upstreamOpenAi ?? DEFAULT_OPENAI_UPSTREAM;
  }

  /**
   * Why a request is refused before anything else (a browser page, or a Host that is not
   * this proxy), or undefined. API clients send neither an Origin nor a foreign Host.
   */
  private callerRefusal(req: http.IncomingMessage): string | undefined {
    const origin = req.headers.origin;
    if (origin !== undefined) {
      const allowed = this.options.allowedOrigins ?? [];
      if (!allowed.includes('*') && !allowed.includes(origin)) {
        return `a request from a web page (Origin ${quote(origin)}) may not use the proxy: pages in a browser could spend through it. Allow the origin in the monitor's settings (allowedOrigins) if that is meant.`;
      }
    }
    const host = req.headers.host;
    if (host !== undefined && !this.hostAllowed(host)) {
      return `the Host ${quote(host)} is not this proxy's address (${this.ownHosts()[0]}); a web page that reached it under another name (DNS rebinding) is refused. Use the proxy's own address, or allow that host name (allowedHosts).`;
    }
    return undefined;
  }

  private ownHosts(): string[] {
    const bound = (this.options.host ?? '127.0.0.1').toLowerCase();
    const names = new Set([bound.includes(':') && !bound.startsWith('[') ? `[${bound}]` : bound]);
    if (['127.0.0.1', 'localhost', '::1', '[::1]'].includes(bound)) for (const name of ['127.0.0.1', 'localhost', '[::1]']) names.add(name);
    return [...names].map((name) => `${name}:${this.port}`);
  }

  private hostAllowed(raw: string): boolean {
    const host = raw.trim().toLowerCase();
    const own = this.ownHosts();
    // Without a port the Host means port 80.
    const candidates = this.port === 80 ? [...own, ...own.map((h) => h.slice(0, h.lastIndexOf(':')))] : own;
    if (candidates.includes(host)) return true;
    return (this.options.allowedHosts ?? []).some((allowed) => {
      const a = allowed.trim().toLowerCase();
      return a === host || `${a}:${this.port}` === host;
    });
  }

  /** Answers a request the proxy will not forward, after recording it. */
  private async refuse(res: http.ServerResponse, status: number, why: string, r: { requestModel: string; stream: boolean; started: number }): Promise<void> {
    await this.record({ api: 'proxy.refused', requestModel: r.requestModel, stream: r.stream, status, started: r.started, usage: undefined, error: why, billing: { kind: 'fixed', cost: 0, note: 'refused by the proxy: never forwarded, not billed' } });
    if (res.destroyed) return;
    const body = JSON.stringify({ error: { message: redactSecrets(`PepperPy cost proxy refused the request: ${why}`), type: 'pepperpy_proxy_error' } });
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), connection: 'close' });
    res.end(body);
  }

  /** A CONNECT request (a tunnel to `host:port`): never opened; answered 405 and recorded. */
  private async refuseConnect(req: http.IncomingMessage, socket: import('node:stream').Duplex): Promise<void> {
    socket.on('error', () => socket.destroy());
    const why = `CONNECT ${quote(redactSecrets(req.url ?? ''))} asks for a tunnel; the proxy only forwards requests to its configured upstreams.`;
    // Recorded before the answer, as every refusal: the line exists when the client sees the 405.
    await this.record({ api: 'proxy.refused', requestModel: 'unknown', stream: false, status: 405, started: performance.now(), usage: undefined, error: why, billing: { kind: 'fixed', cost: 0, note: 'refused by the proxy: never forwarded, not billed' } });
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const body = JSON.stringify({ error: { message: `PepperPy cost proxy refused the request: ${why}`, type: 'pepperpy_proxy_error' } });
    socket.end(`HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, HEAD, POST, OPTIONS\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`, () => socket.destroy());
  }

  /** Errors on a connection before a request reached the handler: a header time-out is answered 408 and recorded. */
  private clientError(error: NodeJS.ErrnoException, socket: import('node:stream').Duplex): void {
    if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
      const headersMs = this.clientLimits().headersMs;
      const why = `the request headers did not arrive within ${seconds(headersMs)}`;
      // Node measures the time-out from the connection (or the end of the previous answer on it).
      void this.record({ api: 'proxy.refused', requestModel: 'unknown', stream: false, status: 408, started: performance.now() - headersMs, usage: undefined, error: why, billing: { kind: 'fixed', cost: 0, note: 'refused by the proxy: never forwarded, not billed' } });
      if (!socket.writable) {
        socket.destroy();
        return;
      }
      const body = JSON.stringify({ error: { message: `PepperPy cost proxy: ${why}.`, type: 'pepperpy_proxy_error' } });
      socket.end(`HTTP/1.1 408 Request Timeout\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`, () => socket.destroy());
      return;
    }
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    socket.end(`HTTP/1.1 ${error.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request'}\r\nConnection: close\r\n\r\n`);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const started = performance.now();
    // The client may go away at any point (while its body arrives, while the upstream thinks,
    // mid-stream): `res` closes before it finished, and whatever runs for it is cancelled.
    const clientGone = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) clientGone.abort();
    });

    const limits = this.clientLimits();
    const read = await readBody(req, limits.bodyMs, clientGone.signal);
    if (read.kind === 'gone') {
      // Nothing was forwarded, so nothing can have been billed.
      this.log('debug', 'cost proxy: a client closed its connection before its request had arrived; nothing was forwarded.');
      return;
    }
    let body = read.kind === 'ok' ? read.body : Buffer.alloc(0);

    let requestModel = 'unknown';
    let stream = false;
    let parsed: unknown;
    if (body.length > 0 && /^\s*\{/.test(body.subarray(0, 64).toString('utf8'))) {
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch {
        parsed = undefined;
      }
    }
    const request = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
    if (request) {
      if (typeof request.model === 'string') requestModel = request.model.length > MAX_MODEL_CHARS ? `${request.model.slice(0, MAX_MODEL_CHARS)}…` : request.model;
      stream = request.stream === true;
    }
    const who = { requestModel, stream, started };

    if (read.kind === 'timeout') {
      await this.refuse(res, 408, `the request body did not arrive within ${seconds(limits.bodyMs)}`, who);
      return;
    }
    if (read.kind === 'tooLarge') {
      await this.refuse(res, 413, `the request body is above ${MAX_REQUEST_BYTES} bytes`, who);
      return;
    }
    // RFC 9112 §3.2: a request with more than one Host is answered 400. Node keeps the first,
    // so `Host: 127.0.0.1:port` then `Host: evil.example` would pass the Host check below.
    const hostLines = req.rawHeaders.filter((name, i) => i % 2 === 0 && name.toLowerCase() === 'host').length;
    if (hostLines > 1) {
      await this.refuse(res, 400, `the request has ${hostLines} Host headers; a request names one host.`, who);
      return;
    }
    const callerRefusal = this.callerRefusal(req);
    if (callerRefusal) {
      await this.refuse(res, 403, callerRefusal, who);
      return;
    }
    const requested = normalizeTarget(req.url ?? '/');
    if (typeof requested === 'string') {
      // Never forward (and so never hand the caller's key) anywhere but the configured upstreams.
      // Recorded before answering, so the ledger line exists when the client sees the refusal.
      await this.refuse(res, 400, requested, who);
      return;
    }
    const path = requested.path;
    const method = (req.method ?? 'GET').toUpperCase();
    const api = method === 'POST' ? ROUTES.find(([route]) => path.toLowerCase() === route)?.[1] : undefined;

    let strippedUsageChunk = false;
    if (api === 'openai.chat' && request && stream && this.options.injectStreamUsage !== false) {
      const streamOptions = request.stream_options as Record<string, unknown> | undefined | null;
      // Only an absent (or null) or object `stream_options` is completed: `"x"` or `[1]` were spread into
      // `{"0":"x","include_usage":true}`, turning a request the upstream refuses into one it runs.
      const completable = streamOptions === undefined || streamOptions === null || (typeof streamOptions === 'object' && !Array.isArray(streamOptions));
      if (completable && streamOptions?.include_usage !== true) {
        request.stream_options = { ...(streamOptions ?? {}), include_usage: true };
        body = Buffer.from(JSON.stringify(request));
        strippedUsageChunk = true;
      }
    }

    const upstream = new URL(this.upstreamFor(api, path));
    const target = new URL(upstream.origin);
    target.pathname = `${upstream.pathname.replace(/\/$/, '')}${path}`;
    target.search = requested.search;
    const headers: http.OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
    }
    headers.host = target.host;
    // The proxy reads the answer, so it asks for it uncompressed.
    headers['accept-encoding'] = 'identity';
    if (body.length > 0 || method === 'POST') headers['content-length'] = String(body.length);

    const recordAs: LedgerEntry['api'] = api ?? 'proxy.unmetered';
    const unmeteredBilling = (status: number): Billing =>
      UNBILLED_METHODS.has(method)
        ? { kind: 'fixed', cost: 0, note: `unmetered endpoint ${method} ${path}: a ${method} request is not billed` }
        : status >= 400
          ? { kind: 'fixed', cost: 0, note: `unmetered endpoint ${method} ${path}: error answer, not billed` }
          : { kind: 'fixed', cost: null, note: `unmetered endpoint ${method} ${path}: the proxy does not read its usage, so its cost is unknown` };

    const client = target.protocol === 'https:' ? https : http;
    const upstreamLimits = { ...DEFAULT_TIMEOUTS, ...this.options.timeouts };
    /** Set when a time-out or a stop cut the upstream request: the answer is then 504. */
    let cutReason: string | undefined;
    /** Set when the client went away and the upstream request was cancelled for it. */
    let abandoned = false;
    /** True once the request was on a connected socket: from then on the upstream may have billed it. */
    let sent = false;
    let upstreamReq: http.ClientRequest | undefined;
    const cut = (why: string): void => {
      cutReason ??= why;
      upstreamReq?.destroy(new Error(why));
    };
    const abandon = (): void => {
      if (cutReason) return;
      abandoned = true;
      upstreamReq?.destroy(new Error('the client closed the connection'));
    };
    this.cutters.add(cut);
    clientGone.signal.addEventListener('abort', abandon, { once: true });
    const finish = (): void => {
      this.cutters.delete(cut);
      clientGone.signal.removeEventListener('abort', abandon);
    };
    if (clientGone.signal.aborted) abandon();

    const upstreamRes = await new Promise<http.IncomingMessage>((resolve, reject) => {
      if (abandoned) {
        reject(new Error('the client closed the connection'));
        return;
      }
      const outgoing = client.request(target, { method, headers, agent: target.protocol === 'https:' ? this.agents.https : this.agents.http }, (r) => {
        clearTimeout(firstByte);
        resolve(r);
      });
      upstreamReq = outgoing;
      const firstByte = setTimeout(() => cut(`${target.origin} sent no answer within ${seconds(upstreamLimits.firstByteMs)}`), upstreamLimits.firstByteMs);
      outgoing.on('socket', (socket) => {
        if (!socket.connecting) {
          sent = true;
          return;
        }
        const connect = setTimeout(() => cut(`could not connect to ${target.origin} within ${seconds(upstreamLimits.connectMs)}`), upstreamLimits.connectMs);
        socket.once('connect', () => {
          sent = true;
          clearTimeout(connect);
        });
        socket.once('close', () => clearTimeout(connect));
      });
      // Socket silence, before and during the answer.
      outgoing.setTimeout(upstreamLimits.idleMs, () => cut(`${target.origin} sent nothing for ${seconds(upstreamLimits.idleMs)}`));
      outgoing.on('error', (error) => {
        clearTimeout(firstByte);
        reject(error);
      });
      outgoing.end(body);
    }).catch((error: unknown) => (errorMessage(error)));

    if (typeof upstreamRes === 'string') {
      finish();
      let status: number;
      let error: string;
      let billing: Billing;
      if (cutReason) {
        status = 504;
        error = `upstream time-out: ${cutReason}`;
        billing = { kind: 'fixed', cost: null, note: `cut before the answer (${cutReason}): the upstream may have billed the request, so its cost is unknown` };
      } else if (abandoned) {
        // 499: nginx's "client closed request".
        status = 499;
        error = 'the client closed the connection before the answer; the upstream request was cancelled';
        billing = sent ? { kind: 'fixed', cost: null, note: 'cancelled after it was sent: the upstream may have billed the request, so its cost is unknown' } : { kind: 'fixed', cost: 0, note: 'cancelled before it was sent: not billed' };
      } else {
        status = 502;
        error = `upstream unreachable: ${upstreamRes}`;
        billing = sent ? { kind: 'fixed', cost: null, note: 'the connection failed after the request was sent: the upstream may have billed it, so its cost is unknown' } : { kind: 'fixed', cost: 0, note: 'never reached the upstream: not billed' };
      }
      if (!res.destroyed && !res.headersSent) {
        res.writeHead(status === 499 ? 502 : status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: redactSecrets(cutReason ? `PepperPy cost proxy: ${cutReason}.` : `PepperPy cost proxy could not reach ${target.origin}: ${upstreamRes}`), type: 'pepperpy_proxy_error' } }));
      }
      await this.record({ api: recordAs, requestModel, stream, status, started, usage: undefined, error, billing });
      return;
    }
    const answer = upstreamRes;
    const ttfb = performance.now() - started;

    const responseHeaders: http.OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(answer.headers)) {
      if (value !== undefined && !HOP_BY_HOP.has(name)) responseHeaders[name] = value;
    }
    const statusCode = answer.statusCode ?? 502;
    let redirectedTo: string | undefined;
    if (statusCode >= 300 && statusCode < 400 && typeof answer.headers.location === 'string') {
      // A client follows a redirect by itself (the OpenAI and Anthropic SDKs do, body and all):
      // one to another host would carry the request there, past the proxy and unmetered.
      const local = proxyLocation(answer.headers.location, target, upstream);
      if (local === undefined) {
        finish();
        answer.resume();
        const why = `the upstream ${target.origin} redirected the request (${statusCode}) to ${quote(redactSecrets(answer.headers.location))}, outside the configured upstream; the proxy does not pass on a redirect that would send the request elsewhere, unmetered`;
        await this.record({ api: recordAs, requestModel, stream, status: 502, started, ttfb, usage: undefined, error: why, billing: { kind: 'fixed', cost: 0, note: 'the upstream answered with a redirect, not an answer: not billed' } });
        if (!res.destroyed && !res.headersSent) {
          const message = JSON.stringify({ error: { message: redactSecrets(`PepperPy cost proxy: ${why}. Point the proxy at the redirect's host (upstream settings) if it is meant.`), type: 'pepperpy_proxy_error' } });
          res.writeHead(502, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(message) });
          res.end(message);
        }
        return;
      }
      // A redirect within the upstream comes back through the proxy, so it is metered too.
      responseHeaders.location = local;
      redirectedTo = local;
    }
    if (answer.headers['content-length'] !== undefined && !strippedUsageChunk) responseHeaders['content-length'] = answer.headers['content-length'];
    if (!res.destroyed) {
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, responseHeaders);
      res.flushHeaders();
    }
    const write = (data: string | Buffer): void => {
      if (!res.destroyed) res.write(data);
    };

    const isEventStream = /text\/event-stream/i.test(String(answer.headers['content-type'] ?? ''));
    const tracker = api && isEventStream ? new StreamUsageTracker(api) : undefined;
    const splitter = tracker ? new SseSplitter() : undefined;
    const copy: Buffer[] = [];
    let copied = 0;
    let failed: string | undefined;

    await new Promise<void>((resolve) => {
      let done = false;
      const settle = (why?: string): void => {
        if (done) return;
        done = true;
        if (why) failed = why;
        resolve();
      };
      answer.on('data', (chunk: Buffer) => {
        if (splitter && tracker) {
          const events = splitter.push(chunk);
          if (strippedUsageChunk) {
            // Forward whole events only, minus the usage-only chunk the proxy asked for.
            const out = events.filter((event) => !tracker.observe(event)).map((event) => event.raw).join('');
            if (out) write(out);
          } else {
            for (const event of events) tracker.observe(event);
            write(chunk);
          }
        } else {
          write(chunk);
          if (api && copied < MAX_COPY_BYTES) {
            copy.push(chunk);
            copied += chunk.length;
          }
        }
      });
      answer.on('end', () => settle());
      answer.on('error', (error) => settle(error.message));
      answer.on('aborted', () => settle('upstream closed the connection mid-answer'));
      answer.on('close', () => settle(answer.complete ? undefined : 'the answer was cut off'));
    });
    finish();
    if (splitter && tracker) {
      for (const event of splitter.flush()) {
        const isUsageChunk = tracker.observe(event);
        // Without stripping, the raw bytes were already forwarded as they came.
        if (strippedUsageChunk && !isUsageChunk) write(event.raw);
      }
    }

    const status = cutReason ? 504 : (answer.statusCode ?? 502);
    let usage: ParsedUsage | undefined;
    let error = failed;
    if (api) {
      if (tracker) {
        usage = tracker.result();
        if (!usage && !error) error = tracker.malformedEvents > 0 ? `stream had ${tracker.malformedEvents} malformed events and no usage` : 'stream carried no usage';
      } else if (copied < MAX_COPY_BYTES) {
        const text = Buffer.concat(copy).toString('utf8');
        try {
          usage = usageFromBody(api, JSON.parse(text));
          if (!usage && !error && (answer.statusCode ?? 500) < 400) error = 'answer carried no usage';
        } catch {
          error ??= `answer is not JSON (${text.length} bytes)`;
        }
      } else {
        error ??= 'answer too large to read usage from';
      }
    }
    let billing: Billing = api ? { kind: 'answered' } : unmeteredBilling(status);
    if (cutReason) {
      error = `upstream time-out mid-answer: ${cutReason}`;
      billing = { kind: 'fixed', cost: null, note: `cut mid-answer (${cutReason}): the upstream may bill more than the answer carried, so the cost is unknown` };
    } else if (abandoned) {
      error = 'the client closed the connection mid-answer; the upstream request was cancelled';
      billing = { kind: 'fixed', cost: null, note: 'cancelled mid-answer: the upstream may have billed the request, so its cost is unknown' };
    } else if (failed) {
      billing = { kind: 'fixed', cost: null, note: `the answer broke off (${failed}): the upstream may have billed the request, so its cost is unknown` };
    } else if (redirectedTo !== undefined) {
      error = undefined;
      billing = { kind: 'fixed', cost: 0, note: `redirected to ${redirectedTo} on the same upstream: a redirect is not billed; the request it points to is recorded when the client follows it` };
    }
    await this.record({ api: recordAs, requestModel, stream, status, started, ttfb, usage, error, billing });
    if (failed || abandoned || cutReason) res.destroy();
    else res.end();
  }

  private async record(r: { api: LedgerEntry['api']; requestModel: string; stream: boolean; status: number; started: number; ttfb?: number; usage: ParsedUsage | undefined; error?: string; billing: Billing }): Promise<void> {
    const usage = r.usage;
    // The model name comes from the request (or the answer): a key pasted into the model field
    // (`model: "sk-proj-…"`) would otherwise be written to the shared ledger and sent in alerts.
    // The answer's model name is cut like the request's: an upstream (a local OpenAI-compatible
    // server) that names a 10,000-character model would otherwise make every ledger line that long.
    const named = usage?.model ?? r.requestModel;
    const model = redactSecrets(named.length > MAX_MODEL_CHARS ? `${named.slice(0, MAX_MODEL_CHARS)}…` : named);
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
      // A refused target may carry a key in its query (?key=sk-…): never written.
      ...(r.error ? { error: redactSecrets(r.error) } : {}),
    };
    if (r.billing.kind === 'fixed') {
      entry.cost = r.billing.cost;
      entry.costNote = redactSecrets(r.billing.note);
    } else if (usage && r.api !== 'proxy.refused' && r.api !== 'proxy.unmetered') {
      try {
        const priced = this.price(r.api, model, usage);
        entry.cost = priced.cost;
        entry.priceSource = priced.source;
        if (priced.pricedAs) entry.pricedAs = priced.pricedAs;
      } catch (error) {
        entry.costNote = redactSecrets(error instanceof EngineError ? error.message : String(error));
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
      const message = errorMessage(error);
      this.log('error', `cost ledger ${this.options.ledger.description}: could not record a ${model} request: ${message}`);
      this.emit('ledgerFailed', { entry, error: message });
    }
    this.rollDay();
    this.todayEntries.push(entry);
    this.emit('recorded', entry);
    this.checkThreshold();
  }

  private price(api: ApiKind, model: string, usage: ParsedUsage): { cost: number; source: LedgerEntry['priceSource']; pricedAs?: string } {
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
    return { cost: result.totalCost, source: result.price.source, ...(result.price.pricedAs ? { pricedAs: result.price.pricedAs } : {}) };
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
    const message = errorMessage(error);
    this.log('error', `cost alert by ${channel} failed: ${message}`);
    this.emit('alertFailed', { channel, error: message });
  }
}

type BodyRead = { kind: 'ok'; body: Buffer } | { kind: 'tooLarge' } | { kind: 'timeout' } | { kind: 'gone' };

/**
 * Reads the request body, within `deadlineMs` of the headers (a client that trickles its
 * body, slowloris-style, is answered 408), up to MAX_REQUEST_BYTES (past it the rest is
 * read and dropped, then 413), and stops when the client goes away.
 */
function readBody(req: http.IncomingMessage, deadlineMs: number, gone: AbortSignal): Promise<BodyRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    let settled = false;
    const settle = (result: BodyRead): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      gone.removeEventListener('abort', onGone);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) tooLarge = true;
      else chunks.push(chunk);
    };
    const onEnd = (): void => settle(tooLarge ? { kind: 'tooLarge' } : { kind: 'ok', body: Buffer.concat(chunks) });
    const onError = (): void => settle({ kind: 'gone' });
    const onGone = (): void => settle({ kind: 'gone' });
    const timer = setTimeout(() => {
      // Stop taking the body; the 408 closes the connection.
      req.pause();
      settle({ kind: 'timeout' });
    }, deadlineMs);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    if (gone.aborted) onGone();
    else gone.addEventListener('abort', onGone, { once: true });
  });
}

/**
 * A redirect's `Location` as a path on this proxy, when it stays on the upstream (same origin,
 * under the upstream's base path); undefined when it leaves it, or is not a URL.
 */
export function proxyLocation(location: string, target: URL, upstream: URL): string | undefined {
  let url: URL;
  try {
    url = new URL(location, target);
  } catch {
    return undefined;
  }
  if (url.origin !== upstream.origin) return undefined;
  const base = upstream.pathname.replace(/\/$/, '');
  if (base !== '' && url.pathname !== base && !url.pathname.startsWith(`${base}/`)) return undefined;
  return `${url.pathname.slice(base.length) || '/'}${url.search}`;
}

function quote(text: string): string {
  return JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text);
}

const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

/**
 * The one rule for request targets. Only origin-form targets (`/path?query`) are forwarded:
 * an absolute-form target (`http://host/…`), a scheme-relative one (`//host/…`) or a
 * backslash form would send the caller's API key to a host the user never configured. The
 * path is then normalised so that what is forwarded is exactly what is metered:
 *   - percent-escapes of unreserved characters are decoded (`%63ompletions` is `completions`);
 *     other escapes are kept, in upper case; an encoded `/` or `\`, a control character
 *     (`%00`...) or a malformed escape is refused, since upstreams differ in decoding them;
 *   - matrix parameters (`;x=1`) and fragments are refused;
 *   - duplicate slashes are collapsed, a trailing slash dropped, and dot segments (`.`,
 *     `..`, also encoded) resolved, never above the root.
 * Routing compares the result with the metered endpoints case-insensitively (`/V1/...`).
 * The query is forwarded as it came.
 */
export function normalizeTarget(requestTarget: string): { path: string; search: string } | string {
  const shown = quote(requestTarget);
  if (!requestTarget.startsWith('/') || requestTarget.startsWith('//') || requestTarget.includes('\\')) {
    return `the request target ${shown} is not a path; the proxy forwards only /paths to its configured upstreams.`;
  }
  const queryAt = requestTarget.indexOf('?');
  const rawPath = queryAt < 0 ? requestTarget : requestTarget.slice(0, queryAt);
  const search = queryAt < 0 ? '' : requestTarget.slice(queryAt);
  if (rawPath.includes('#') || search.includes('#')) return `the request target ${shown} has a fragment (#).`;
  if (rawPath.includes(';')) return `the request target ${shown} has matrix parameters (;); the proxy does not forward them.`;
  // Control characters, raw or (below) encoded, never belong in a path.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\s]/.test(requestTarget)) return `the request target ${shown} holds control characters or spaces.`;
  let decoded = '';
  for (let i = 0; i < rawPath.length; i++) {
    const c = rawPath[i];
    if (c !== '%') {
      decoded += c;
      continue;
    }
    const hex = rawPath.slice(i + 1, i + 3);
    if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return `the request target ${shown} has a malformed percent-escape.`;
    const code = Number.parseInt(hex, 16);
    const char = String.fromCharCode(code);
    if (char === '/' || char === '\\' || char === '?' || char === '#' || char === ';') return `the request target ${shown} has an encoded "${char}" (%${hex}); the proxy does not forward it, since upstreams disagree on what it means.`;
    if (code < 0x20 || code === 0x7f) return `the request target ${shown} has an encoded control character (%${hex}).`;
    decoded += UNRESERVED.test(char) ? char : `%${hex.toUpperCase()}`;
    i += 2;
  }
  const segments: string[] = [];
  for (const segment of decoded.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  return { path: `/${segments.join('/')}`, search };
}

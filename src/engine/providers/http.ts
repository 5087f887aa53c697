/**
 * HTTP plumbing shared by the OpenAI-compatible and Anthropic clients: a fetch with a
 * time-out and retries on transient failures, an SSE reader (over sse.ts), and errors that say what the
 * server did without ever repeating the API key.
 */
import { EngineError, errorMessage, throwIfCancelled } from '../../protocol/errors';
import { parseSseEvent, SseSplitter, type SseEvent } from './sse';

export interface HttpOptions {
  /** Per-attempt time-out in ms (default 60 000). For streams it bounds the wait for each chunk. */
  timeoutMs?: number;
  /** Retries after the first attempt on 429, 5xx and network errors (default 2). */
  retries?: number;
  /** First back-off in ms, doubled each retry (default 250). */
  retryDelayMs?: number;
  fetchImpl?: typeof fetch;
}

const RETRYABLE_STATUS = new Set([408, 409, 425, 429, 500, 502, 503, 504, 529]);

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new EngineError('cancelled', 'The request was cancelled.'));
    }, { once: true });
  });
}

/**
 * One request attempt's abort: follows the caller's `signal` and fires by itself after
 * `timeoutMs` (then `timedOut()` is true). `clearTimer()` once the answer is in; `release()`
 * when done, so the caller's signal stops holding it.
 */
export function attemptAbort(timeoutMs: number, signal?: AbortSignal): { controller: AbortController; timedOut: () => boolean; clearTimer: () => void; release: () => void } {
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  return {
    controller,
    timedOut: () => timedOut,
    clearTimer: () => clearTimeout(timer),
    release: () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    },
  };
}

/** Removes anything that looks like a key from a message before it is shown or logged. */
export function redactSecrets(text: string, secrets: (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('[redacted]');
  return out.replace(/(sk-[A-Za-z0-9_-]{6})[A-Za-z0-9_-]+/g, '$1…');
}

export interface PostResult {
  response: Response;
  /** Aborts the request (used to enforce chunk time-outs while streaming). */
  abort: () => void;
  /** Clears the first-byte timer; the caller arms its own timers for the body. */
  timeoutMs: number;
}

/** POSTs JSON and returns the response once headers arrive, retrying transient failures. */
export async function postJson(url: string, body: unknown, headers: Record<string, string>, options: HttpOptions & { signal?: AbortSignal; label: string; secrets: (string | undefined)[] }): Promise<PostResult> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const retries = options.retries ?? 2;
  const fetchImpl = options.fetchImpl ?? fetch;
  let delay = options.retryDelayMs ?? 250;
  let lastError: EngineError | undefined;
  for (let attempt = 0; attempt <= retries; attempt++) {
    throwIfCancelled(options.signal, `${options.label}: the request`);
    const guard = attemptAbort(timeoutMs, options.signal);
    const { controller } = guard;
    try {
      // Never follow a redirect: fetch would re-send a 307/308 with the body and every header but
      // Authorization (so Anthropic's x-api-key too) to whatever host the Location names.
      const response = await fetchImpl(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body), signal: controller.signal, redirect: 'manual' });
      guard.clearTimer();
      if (response.ok) return { response, abort: () => controller.abort(), timeoutMs };
      if (isRedirect(response.status)) {
        await response.body?.cancel().catch(() => undefined);
        throw new EngineError('badRequest', `${options.label}: the server answered with a redirect (HTTP ${response.status}) to ${redirectTarget(response, options.secrets)}; PepperPy does not follow redirects, so the prompt and any key go only to the URL you set.`, 'If that target is meant, set it as the base URL.');
      }
      const text = await response.text().catch(() => '');
      const detail = redactSecrets(errorDetail(text), options.secrets);
      lastError = statusError(response.status, options.label, detail);
      if (!RETRYABLE_STATUS.has(response.status) || attempt === retries) throw lastError;
      const retryAfter = Number(response.headers.get('retry-after'));
      await sleep(Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter * 1000, 10_000) : delay, options.signal);
    } catch (error) {
      guard.clearTimer();
      if (error instanceof EngineError) throw error;
      throwIfCancelled(options.signal, `${options.label}: the request`);
      lastError = guard.timedOut()
        ? new EngineError('timeout', `${options.label}: no response within ${timeoutMs} ms.`, 'Check that the server is up, or raise the time-out.')
        : new EngineError('engineUnavailable', `${options.label}: could not connect (${redactSecrets(errorMessage(error), options.secrets)}).`, 'Check the base URL and that the server is running.');
      if (attempt === retries) throw lastError;
      await sleep(delay, options.signal);
    } finally {
      guard.release();
    }
    delay *= 2;
  }
  throw lastError ?? new EngineError('internal', `${options.label}: request failed.`);
}

/** 3xx with a Location: what fetch would have followed. */
export function isRedirect(status: number): boolean {
  return status >= 300 && status < 400;
}

/** The redirect's Location as shown to the user (secrets removed, length bounded). */
export function redirectTarget(response: Response, secrets: (string | undefined)[] = []): string {
  const location = response.headers.get('location');
  return location ? JSON.stringify(redactSecrets(location.slice(0, 200), secrets)).slice(1, -1) : '(no Location header)';
}

function errorDetail(text: string): string {
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    if (typeof parsed.error === 'string') return parsed.error;
    if (parsed.error && typeof parsed.error.message === 'string') return parsed.error.message;
    if (typeof parsed.message === 'string') return parsed.message;
  } catch {
    // Not JSON: show the start of the body.
  }
  return text.slice(0, 300);
}

function statusError(status: number, label: string, detail: string): EngineError {
  const suffix = detail ? `: ${detail}` : '';
  if (status === 401 || status === 403) return new EngineError('badRequest', `${label}: the server refused the API key (HTTP ${status})${suffix}.`, 'Check the API key setting for this provider.');
  if (status === 404) return new EngineError('notFound', `${label}: not found (HTTP 404)${suffix}.`, 'Check the base URL and the model name.');
  if (status === 429) return new EngineError('engineUnavailable', `${label}: rate limited (HTTP 429)${suffix}.`, 'Wait and retry, or lower the concurrency.');
  if (status >= 500) return new EngineError('engineUnavailable', `${label}: server error (HTTP ${status})${suffix}.`, 'The provider is having trouble; retry later.');
  return new EngineError('badRequest', `${label}: HTTP ${status}${suffix}.`, 'Check the request parameters and the model name.');
}

/** Parses a JSON body, failing with a clear error on garbage. */
export async function readJson(response: Response, label: string): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw garbage(label, `the body is not JSON (starts with ${JSON.stringify(text.slice(0, 80))})`);
  }
}

export function garbage(label: string, what: string): EngineError {
  return new EngineError('badRequest', `${label}: the server's response is malformed: ${what}.`, 'Check that the base URL points at a compatible API.');
}

/**
 * Reads a server-sent-event body event by event. Each wait for the next bytes is bounded by
 * `chunkTimeoutMs`; on expiry the request is aborted and a `timeout` error thrown.
 */
export async function* readSse(post: PostResult, label: string, chunkTimeoutMs = post.timeoutMs): AsyncGenerator<SseEvent> {
  const body = post.response.body;
  if (!body) throw garbage(label, 'the stream has no body');
  const reader = body.getReader();
  const splitter = new SseSplitter();
  try {
    for (;;) {
      let timer: NodeJS.Timeout | undefined;
      const next = await Promise.race([
        reader.read(),
        new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), chunkTimeoutMs);
        }),
      ]).finally(() => clearTimeout(timer));
      if (next === 'timeout') {
        post.abort();
        throw new EngineError('timeout', `${label}: the stream stalled (no data for ${chunkTimeoutMs} ms).`, 'Retry, or raise the time-out.');
      }
      if (next.done) break;
      for (const raw of splitter.pushRaw(next.value as Uint8Array)) {
        const event = parseSseEvent(raw);
        if (event) yield event;
      }
    }
    const last = parseSseEvent(splitter.flushRaw());
    if (last) yield last;
  } finally {
    reader.releaseLock();
  }
}

export function parseEventJson(event: SseEvent, label: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(event.data);
  } catch {
    throw garbage(label, `a stream event is not JSON (${JSON.stringify(event.data.slice(0, 80))})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw garbage(label, 'a stream event is not a JSON object');
  return parsed as Record<string, unknown>;
}

export function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0;
}

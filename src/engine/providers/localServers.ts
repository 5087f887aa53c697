/**
 * OpenAI-compatible model servers on this machine: Ollama, LM Studio, the llama.cpp server
 * and vLLM each answer `GET /v1/models` in OpenAI's shape (`{ object: "list", data: [{ id }] }`)
 * and `POST /v1/chat/completions`, so one client serves them all. Detection asks every
 * known port at once with a short time-out and never throws: a server that is not running,
 * hangs or answers garbage is reported as such, with the reason.
 *
 * Model names: `ollama:llama3.2`, `lmstudio:<id>`, `llamacpp:<id>`, `vllm:<id>`, or any
 * server as `openai-compatible@http://host:port/v1:<model>` (the URL must include its path).
 * Calls to them cost nothing ("local, $0"); their latency is measured like any other call.
 */
import { EngineError, errorMessage } from '../../protocol/errors';
import { GENERIC_PREFIX, KNOWN_LOCAL_SERVERS, isLocalBaseUrl, knownServerBaseUrl } from '../../shared/localModels';
import { attemptAbort, garbage, isRedirect, redirectTarget } from './http';

export interface LocalServerProbe {
  /** A known server's id, or `openai-compatible` for a URL given by the user. */
  id: string;
  name: string;
  baseUrl: string;
  status: 'up' | 'down' | 'timeout' | 'invalid';
  /** Model ids the server listed (empty unless up). */
  models: string[];
  /** Time from the request to the parsed answer, in ms (measured; absent when down). */
  latencyMs?: number;
  /** Why the server is not usable (down, time-out, malformed answer). */
  error?: string;
  /** For a server that is up: what its list had that was left out (unusable ids, past the cap). */
  note?: string;
}

export interface DetectOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Per-server time-out in ms (default 1500). */
  timeoutMs?: number;
  /** Servers to ask (default KNOWN_LOCAL_SERVERS on `host`); tests give ports of their fakes. */
  servers?: Array<{ id: string; name: string; baseUrl: string }>;
  fetchImpl?: typeof fetch;
  signal?: AbortSignal;
}

/**
 * The servers detection asks: each known server on `host` at its default port, or, without a
 * host, at its environment override (`PEPPERPY_OLLAMA_URL`, `OLLAMA_HOST`…; the tests point
 * these at their fakes) when that URL is on this machine. An override naming another host is
 * not probed: detection only ever looks at localhost.
 */
export function defaultServers(host?: string, env: NodeJS.ProcessEnv = process.env): Array<{ id: string; name: string; baseUrl: string }> {
  return KNOWN_LOCAL_SERVERS.map((s) => {
    const fallback = `http://${host ?? '127.0.0.1'}:${s.port}/v1`;
    if (host !== undefined) return { id: s.id, name: s.name, baseUrl: fallback };
    const configured = knownServerBaseUrl(s, env);
    return { id: s.id, name: s.name, baseUrl: isLocalBaseUrl(configured) ? configured : fallback };
  });
}

/** The most models one server's list keeps: more than a real server serves, few enough for a picker. */
export const MAX_LISTED_MODELS = 1000;
/** The longest model id kept: `lmstudio:` plus it still fits the 200-character model fields. */
export const MAX_MODEL_ID_CHARS = 190;
/** The largest GET /models body read; a real list is a few kilobytes. */
export const MAX_MODELS_BODY_BYTES = 4 * 1024 * 1024;

/**
 * Parses a `/v1/models` body; throws a clear `badRequest` naming the server when it is not
 * OpenAI's shape. Ids no model field can take (not text, empty, repeated, too long, spaces at
 * either end, control characters, which the CLI would print raw to the terminal) are left out
 * and counted in `note`, as is anything past the first MAX_LISTED_MODELS.
 */
export function parseModelList(body: unknown, label: string): { models: string[]; note?: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw garbage(label, 'the /models body is not a JSON object');
  const data = (body as { data?: unknown }).data;
  if (!Array.isArray(data)) throw garbage(label, 'the /models body has no `data` array');
  const ids: string[] = [];
  const seen = new Set<string>();
  let unusable = 0;
  for (const entry of data) {
    const id = typeof entry === 'object' && entry !== null ? (entry as { id?: unknown }).id : undefined;
    // eslint-disable-next-line no-control-regex -- control characters are what is refused
    if (typeof id !== 'string' || id === '' || id.length > MAX_MODEL_ID_CHARS || id.trim() !== id || /[\u0000-\u001f\u007f-\u009f]/.test(id) || seen.has(id)) {
      unusable++;
      continue;
    }
    seen.add(id);
    ids.push(id);
  }
  const notes: string[] = [];
  if (unusable > 0) notes.push(`left out ${unusable} of ${data.length} model ids that no model field takes (not text, empty, repeated, over ${MAX_MODEL_ID_CHARS} characters, spaces at either end or control characters)`);
  if (ids.length > MAX_LISTED_MODELS) notes.push(`listed the first ${MAX_LISTED_MODELS} of ${ids.length} models`);
  if (unusable > 0 && ids.length === 0) throw garbage(label, notes[0]);
  return { models: ids.slice(0, MAX_LISTED_MODELS), ...(notes.length > 0 ? { note: `${label}: ${notes.join('; ')}.` } : {}) };
}

/** The body as text, or undefined once it passes `maxBytes` (the rest is not read). */
async function readCapped(response: Response, maxBytes: number): Promise<string | undefined> {
  if (Number(response.headers.get('content-length')) > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    return undefined;
  }
  if (!response.body) return '';
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Asks one server for its models. Never throws: the probe says what went wrong. */
export async function probeServer(server: { id: string; name: string; baseUrl: string }, options: Omit<DetectOptions, 'servers'> = {}): Promise<LocalServerProbe> {
  const timeoutMs = options.timeoutMs ?? 1500;
  const fetchImpl = options.fetchImpl ?? fetch;
  const url = `${server.baseUrl.replace(/\/+$/, '')}/models`;
  const label = `${server.name} at ${server.baseUrl}`;
  const attempt = attemptAbort(timeoutMs, options.signal);
  const started = performance.now();
  const base = { id: server.id, name: server.name, baseUrl: server.baseUrl, models: [] as string[] };
  try {
    // redirect: 'manual', so a server on a local port cannot send detection to another host.
    const response = await fetchImpl(url, { method: 'GET', headers: { accept: 'application/json' }, signal: attempt.controller.signal, redirect: 'manual' });
    if (isRedirect(response.status)) {
      await response.body?.cancel().catch(() => undefined);
      return { ...base, status: 'invalid', error: `${label}: GET /models answered with a redirect (HTTP ${response.status}) to ${redirectTarget(response)}; detection does not follow redirects, it only asks this machine.` };
    }
    const text = await readCapped(response, MAX_MODELS_BODY_BYTES);
    if (text === undefined) return { ...base, status: 'invalid', error: `${label}: the GET /models body is over ${MAX_MODELS_BODY_BYTES / 1024 / 1024} MiB; a model list is a few kilobytes, so this is not one.` };
    if (!response.ok) return { ...base, status: 'invalid', error: `${label}: GET /models answered HTTP ${response.status}.` };
    let json: unknown;
    try {
      json = JSON.parse(text) as unknown;
    } catch {
      return { ...base, status: 'invalid', error: garbage(label, `the /models body is not JSON (starts with ${JSON.stringify(text.slice(0, 60))})`).message };
    }
    const { models, note } = parseModelList(json, label);
    return { ...base, status: 'up', models, latencyMs: performance.now() - started, ...(note ? { note } : {}) };
  } catch (error) {
    if (attempt.timedOut()) return { ...base, status: 'timeout', error: `${label}: no answer to GET /models within ${timeoutMs} ms.` };
    if (error instanceof EngineError) return { ...base, status: 'invalid', error: error.message };
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { ...base, status: 'down', error: `${label}: not running (${cause ?? (errorMessage(error))}).` };
  } finally {
    attempt.release();
  }
}

/** Asks every server at once; resolves within about `timeoutMs` whatever they do. */
export async function detectLocalServers(options: DetectOptions = {}): Promise<LocalServerProbe[]> {
  const servers = options.servers ?? defaultServers(options.host);
  return Promise.all(servers.map((s) => probeServer(s, options)));
}

let background: { probes: Promise<LocalServerProbe[]>; startedAt: number } | undefined;
/**
 * One detection shared by every caller of the process; later callers get its result.
 * `refresh` asks again; `maxAgeMs` asks again when the last detection started longer ago than
 * that (a server started after it is then found). Never give it a caller's `signal`: another
 * caller may be waiting on the same probes; a caller that is cancelled stops waiting instead.
 */
export function sharedLocalServerDetection(options: { refresh?: boolean; maxAgeMs?: number } & DetectOptions = {}): Promise<LocalServerProbe[]> {
  const stale = background !== undefined && options.maxAgeMs !== undefined && performance.now() - background.startedAt > options.maxAgeMs;
  if (!background || options.refresh || stale) background = { probes: detectLocalServers(options), startedAt: performance.now() };
  return background.probes;
}

/** Every detected model as the name the CLI and benchmarks take (`ollama:llama3.2`). */
export function localModelNames(probes: LocalServerProbe[]): Array<{ name: string; server: string; baseUrl: string; latencyMs?: number }> {
  const out: Array<{ name: string; server: string; baseUrl: string; latencyMs?: number }> = [];
  for (const p of probes) {
    if (p.status !== 'up') continue;
    const known = KNOWN_LOCAL_SERVERS.some((s) => s.id === p.id);
    for (const m of p.models) out.push({ name: known ? `${p.id}:${m}` : `${GENERIC_PREFIX}${p.baseUrl}:${m}`, server: p.name, baseUrl: p.baseUrl, ...(p.latencyMs !== undefined ? { latencyMs: p.latencyMs } : {}) });
  }
  return out;
}

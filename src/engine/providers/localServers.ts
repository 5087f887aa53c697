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

/** Parses a `/v1/models` body; throws a clear `badRequest` naming the server when it is not OpenAI's shape. */
export function parseModelList(body: unknown, label: string): string[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw garbage(label, 'the /models body is not a JSON object');
  const data = (body as { data?: unknown }).data;
  if (!Array.isArray(data)) throw garbage(label, 'the /models body has no `data` array');
  const ids: string[] = [];
  for (const entry of data) {
    const id = typeof entry === 'object' && entry !== null ? (entry as { id?: unknown }).id : undefined;
    if (typeof id !== 'string' || id.trim() === '') throw garbage(label, 'a /models entry has no string `id`');
    ids.push(id);
  }
  return ids;
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
    const text = await response.text();
    if (!response.ok) return { ...base, status: 'invalid', error: `${label}: GET /models answered HTTP ${response.status}.` };
    let json: unknown;
    try {
      json = JSON.parse(text) as unknown;
    } catch {
      return { ...base, status: 'invalid', error: garbage(label, `the /models body is not JSON (starts with ${JSON.stringify(text.slice(0, 60))})`).message };
    }
    const models = parseModelList(json, label);
    return { ...base, status: 'up', models, latencyMs: performance.now() - started };
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

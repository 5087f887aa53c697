/**
 * Local model names, shared by the engine and the extension: `ollama:llama3.2`,
 * `lmstudio:<id>`, `llamacpp:<id>`, `vllm:<id>`, or any OpenAI-compatible server as
 * `openai-compatible@http://host:port/v1:<model>` (the URL must include its path). Calls to
 * them cost nothing ("local, $0"). Probing the servers is the engine's work
 * (`src/engine/providers/localServers.ts`); this file only reads names.
 */
import { EngineError } from '../protocol/errors';
import { isLoopbackUrl } from '../protocol/prompt';

export interface KnownLocalServer {
  /** The prefix of model names served by it (`ollama:llama3.2`). */
  id: 'ollama' | 'lmstudio' | 'llamacpp' | 'vllm';
  name: string;
  /** The port it listens on by default. */
  port: number;
}

export const KNOWN_LOCAL_SERVERS: readonly KnownLocalServer[] = [
  { id: 'ollama', name: 'Ollama', port: 11434 },
  { id: 'lmstudio', name: 'LM Studio', port: 1234 },
  { id: 'llamacpp', name: 'llama.cpp server', port: 8080 },
  { id: 'vllm', name: 'vLLM', port: 8000 },
];

export const GENERIC_PREFIX = 'openai-compatible@';

/** What a price or cost line says for a local model. */
export const LOCAL_COST_LABEL = 'local, $0';

export interface LocalModelRef {
  /** `ollama`, `lmstudio`, `llamacpp`, `vllm` or `openai-compatible`. */
  server: string;
  serverName: string;
  baseUrl: string;
  model: string;
}

/** The base URL of a known server: an environment override (`PEPPERPY_OLLAMA_URL`, `OLLAMA_HOST` for Ollama) or its default port on 127.0.0.1. */
export function knownServerBaseUrl(server: KnownLocalServer, env: NodeJS.ProcessEnv = process.env): string {
  const override = env[`PEPPERPY_${server.id.toUpperCase()}_URL`];
  if (override && override.trim() !== '') return override.trim().replace(/\/+$/, '');
  if (server.id === 'ollama' && env.OLLAMA_HOST && env.OLLAMA_HOST.trim() !== '') return ollamaHostBaseUrl(env.OLLAMA_HOST, server.port);
  return `http://127.0.0.1:${server.port}/v1`;
}

/**
 * OLLAMA_HOST read the way Ollama reads it (envconfig's getOllamaHost): quotes and spaces
 * trimmed; no scheme means http on port 11434, `http://` 80, `https://` 443; a host without a
 * (valid) port keeps that default. The variable is usually set for `ollama serve`, and its
 * documented value "0.0.0.0" (or "::", or an empty host) means "listen everywhere", i.e. this
 * machine, so it is asked at 127.0.0.1 (or [::1]). Any other host is kept as written, and
 * callers refuse it when it is not local.
 */
export function ollamaHostBaseUrl(value: string, defaultPort = 11434): string {
  const raw = value.trim().replace(/^["']+|["']+$/g, '').trim();
  const cut = raw.indexOf('://');
  const scheme = cut < 0 ? 'http' : raw.slice(0, cut).toLowerCase();
  let port = cut < 0 ? String(defaultPort) : scheme === 'https' ? '443' : '80';
  const hostport = (cut < 0 ? raw : raw.slice(cut + 3)).replace(/\/.*$/, '');
  let host = hostport;
  const split = /^(\[[^\]]*\]|[^:]*):([^:]*)$/.exec(hostport);
  if (split) {
    host = split[1];
    if (/^\d{1,5}$/.test(split[2]) && Number(split[2]) <= 65535) port = split[2];
  }
  host = host.replace(/^\[|\]$/g, '');
  if (host === '' || host === '0.0.0.0') host = '127.0.0.1';
  else if (host === '::') host = '::1';
  return `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}/v1`;
}

/**
 * True for an http(s) URL on this machine (localhost, 127.0.0.1 or ::1). Prompt rewrites on a
 * local server send the prompt only to such a URL, never to another host; detection asks only them.
 */
export function isLocalBaseUrl(baseUrl: string): boolean {
  return isLoopbackUrl(baseUrl);
}

/** `localhost:11434` for `http://127.0.0.1:11434/v1`: where a local model runs, for cost lines. */
export function localHostPort(baseUrl: string): string {
  try {
    const url = new URL(baseUrl);
    const host = url.hostname === '127.0.0.1' || url.hostname === '[::1]' ? 'localhost' : url.hostname;
    return `${host}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`;
  } catch {
    return baseUrl;
  }
}

/**
 * Reads a local model name. Returns undefined when the name is not a local one (so other
 * providers can be tried); throws a clear `badRequest` when it is one but malformed.
 */
export function parseLocalModelName(name: string, env: NodeJS.ProcessEnv = process.env): LocalModelRef | undefined {
  const trimmed = name.trim();
  if (trimmed.toLowerCase().startsWith(GENERIC_PREFIX)) {
    const rest = trimmed.slice(GENERIC_PREFIX.length);
    const m = /^(https?:\/\/[^/\s]+\/[^:\s]*):(.+)$/.exec(rest);
    if (!m || m[2].trim() === '') {
      throw new EngineError('badRequest', `"${name}" is not a valid OpenAI-compatible model name.`, `Write ${GENERIC_PREFIX}http://HOST:PORT/v1:MODEL (the URL with its path, then a colon and the model id).`);
    }
    let url: URL;
    try {
      url = new URL(m[1]);
    } catch {
      throw new EngineError('badRequest', `"${m[1]}" in "${name}" is not a URL.`, `Write ${GENERIC_PREFIX}http://HOST:PORT/v1:MODEL.`);
    }
    return { server: 'openai-compatible', serverName: `OpenAI-compatible server ${url.host}`, baseUrl: m[1].replace(/\/+$/, ''), model: m[2].trim() };
  }
  const colon = trimmed.indexOf(':');
  if (colon <= 0) return undefined;
  const head = trimmed.slice(0, colon).toLowerCase();
  const server = KNOWN_LOCAL_SERVERS.find((s) => s.id === head);
  if (!server) return undefined;
  const model = trimmed.slice(colon + 1).trim();
  if (model === '') throw new EngineError('badRequest', `"${name}" names no model after "${head}:".`, `Write ${head}:MODEL; \`pepperpy-opt engine models\` lists what ${server.name} serves.`);
  return { server: server.id, serverName: server.name, baseUrl: knownServerBaseUrl(server, env), model };
}

/** True for a name `parseLocalModelName` accepts (without throwing on malformed ones). */
export function isLocalModelName(name: string): boolean {
  try {
    return parseLocalModelName(name) !== undefined;
  } catch {
    return true;
  }
}

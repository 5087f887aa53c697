// A stand-in for Ollama & co on 127.0.0.1: GET /v1/models and POST /v1/chat/completions in
// OpenAI's shapes (checked against the official openai client in
// test/unit/providers/localServers.test.ts). Shared by the unit tests, the code-server suite
// and, compiled, the model-picker UI script. `hang` never answers; `garbage` answers HTML.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeMode = 'ok' | 'hang' | 'garbage';

export interface FakeChatBody {
  model: string;
  messages: Array<{ role: string; content: string }>;
  max_tokens?: number;
  temperature?: number;
}

export interface FakeLocalServer {
  server: Server;
  port: number;
  /** `http://127.0.0.1:PORT/v1` */
  baseUrl: string;
  /** Every chat request received, parsed. */
  requests: FakeChatBody[];
  /** The headers of each chat request (a local server gets no key). */
  headers: IncomingHttpHeaders[];
  /** How many GET /v1/models it answered. */
  modelListings(): number;
  close(): Promise<void>;
}

export interface FakeOptions {
  /** Model ids GET /v1/models lists (default llama3.2 and qwen2.5:0.5b). */
  models?: string[];
  /** The assistant's answer to a chat request (default "Paris."). */
  reply?: (body: FakeChatBody) => string;
  /** The usage the fake reports (default 12 prompt, 2 completion tokens). */
  usage?: { prompt_tokens: number; completion_tokens: number };
  /** Listen on this port (default: any free one). */
  port?: number;
}

export const FAKE_MODELS = ['llama3.2', 'qwen2.5:0.5b'];

/** The prompt an LLM-mode rewrite sent (between `<<<` and `>>>`), for fakes that answer with it. */
export function promptOf(body: FakeChatBody): string {
  const last = body.messages[body.messages.length - 1]?.content ?? '';
  return /\nPROMPT:\n<<<\n([\s\S]*)\n>>>$/.exec(last)?.[1] ?? '';
}

export function startFakeLocalServer(mode: FakeMode = 'ok', options: FakeOptions = {}): Promise<FakeLocalServer> {
  const requests: FakeChatBody[] = [];
  const headers: IncomingHttpHeaders[] = [];
  let listings = 0;
  const models = options.models ?? FAKE_MODELS;
  const usage = options.usage ?? { prompt_tokens: 12, completion_tokens: 2 };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (mode === 'hang') return; // never answers
      if (mode === 'garbage') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html>not an API</html>');
        return;
      }
      if (req.method === 'GET' && req.url === '/v1/models') {
        listings++;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ object: 'list', data: models.map((id) => ({ id, object: 'model', created: 1, owned_by: 'library' })) }));
        return;
      }
      if (req.method === 'POST' && req.url === '/v1/chat/completions') {
        const parsed = JSON.parse(body) as FakeChatBody;
        requests.push(parsed);
        headers.push(req.headers);
        const content = options.reply ? options.reply(parsed) : 'Paris.';
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: parsed.model, choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }], usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } }));
        return;
      }
      res.writeHead(404).end();
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port;
      resolve({
        server,
        port,
        baseUrl: `http://127.0.0.1:${port}/v1`,
        requests,
        headers,
        modelListings: () => listings,
        close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
      });
    });
  });
}

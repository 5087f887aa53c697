/**
 * A local stand-in for api.openai.com and api.anthropic.com that speaks their wire
 * formats (JSON and server-sent events, shapes from the public API references) and
 * reports usage derived from the request, so tests know exactly what the ledger must say.
 * The first user message's text, when it is a number N, sets the input token count to N.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
}

export interface FakeUpstream {
  url: string;
  seen: SeenRequest[];
  close(): Promise<void>;
}

/** Usage the fake reports for a request, by API. */
export function expectedUsage(inputTokens: number) {
  return { inputTokens, outputTokens: 7, cachedInputTokens: Math.floor(inputTokens / 4), reasoningTokens: 2 };
}

function firstText(body: Record<string, unknown>): string {
  const messages = body.messages as Array<{ content: unknown }> | undefined;
  const content = messages?.[0]?.content ?? body.input;
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return String((content[0] as { text?: string })?.text ?? '');
  return '';
}

function inputTokensOf(body: Record<string, unknown>): number {
  const n = Number.parseInt(firstText(body), 10);
  return Number.isFinite(n) ? n : 11;
}

function sse(res: http.ServerResponse, events: Array<{ event?: string; data: unknown }>, delayMs: number): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  return (async () => {
    for (const e of events) {
      res.write(`${e.event ? `event: ${e.event}\n` : ''}data: ${typeof e.data === 'string' ? e.data : JSON.stringify(e.data)}\n\n`);
      if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
    }
    res.end();
  })();
}

export async function startFakeUpstream(options: { delayMs?: number } = {}): Promise<FakeUpstream> {
  const seen: SeenRequest[] = [];
  const delay = options.delayMs ?? 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const body = (chunks.length > 0 ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {}) as Record<string, unknown>;
        const path = (req.url ?? '').split('?')[0];
        seen.push({ path, headers: req.headers, body });
        const model = typeof body.model === 'string' ? body.model : 'unknown';
        const input = inputTokensOf(body);
        const u = expectedUsage(input);
        if (delay > 0) await new Promise((r) => setTimeout(r, delay));
        if (model === 'malformed') {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end('{"id": "x", "usage": {"prompt_tokens": ');
          return;
        }
        if (model === 'no-usage') {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion', created: 1, model, choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }] }));
          return;
        }
        if (model === 'server-error') {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { message: 'boom', type: 'server_error' } }));
          return;
        }
        if (path === '/v1/chat/completions') {
          const usage = { prompt_tokens: u.inputTokens, completion_tokens: u.outputTokens, total_tokens: u.inputTokens + u.outputTokens, prompt_tokens_details: { cached_tokens: u.cachedInputTokens }, completion_tokens_details: { reasoning_tokens: u.reasoningTokens } };
          if (body.stream === true) {
            const includeUsage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
            const base = { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model, system_fingerprint: 'fp' };
            const events: Array<{ data: unknown }> = [
              { data: { ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }], ...(includeUsage ? { usage: null } : {}) } },
              ...['Hel', 'lo', '!'].map((t) => ({ data: { ...base, choices: [{ index: 0, delta: { content: t }, finish_reason: null }], ...(includeUsage ? { usage: null } : {}) } })),
              { data: { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], ...(includeUsage ? { usage: null } : {}) } },
              ...(includeUsage ? [{ data: { ...base, choices: [], usage } }] : []),
              { data: '[DONE]' },
            ];
            await sse(res, events, delay > 0 ? 1 : 0);
            return;
          }
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion', created: 1, model, choices: [{ index: 0, message: { role: 'assistant', content: 'Hello!', refusal: null }, logprobs: null, finish_reason: 'stop' }], usage }));
          return;
        }
        if (path === '/v1/responses') {
          const usage = { input_tokens: u.inputTokens, input_tokens_details: { cached_tokens: u.cachedInputTokens }, output_tokens: u.outputTokens, output_tokens_details: { reasoning_tokens: u.reasoningTokens }, total_tokens: u.inputTokens + u.outputTokens };
          const response = { id: 'resp_1', object: 'response', created_at: 1, status: 'completed', model, output: [{ type: 'message', id: 'msg_1', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'Hello!', annotations: [] }] }], usage };
          if (body.stream === true) {
            await sse(res, [
              { event: 'response.created', data: { type: 'response.created', sequence_number: 0, response: { ...response, status: 'in_progress', output: [], usage: null } } },
              { event: 'response.output_text.delta', data: { type: 'response.output_text.delta', sequence_number: 1, item_id: 'msg_1', output_index: 0, content_index: 0, delta: 'Hello!' } },
              { event: 'response.completed', data: { type: 'response.completed', sequence_number: 2, response } },
            ], 0);
            return;
          }
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(response));
          return;
        }
        if (path === '/v1/embeddings') {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ object: 'list', data: [{ object: 'embedding', index: 0, embedding: [0.1, 0.2] }], model, usage: { prompt_tokens: u.inputTokens, total_tokens: u.inputTokens } }));
          return;
        }
        if (path === '/v1/messages') {
          // Anthropic reports cache reads apart from input_tokens.
          const usage = { input_tokens: u.inputTokens - u.cachedInputTokens, cache_read_input_tokens: u.cachedInputTokens, cache_creation_input_tokens: 0, output_tokens: u.outputTokens };
          const message = { id: 'msg_1', type: 'message', role: 'assistant', model, content: [{ type: 'text', text: 'Hello!' }], stop_reason: 'end_turn', stop_sequence: null, usage };
          if (body.stream === true) {
            await sse(res, [
              { event: 'message_start', data: { type: 'message_start', message: { ...message, content: [], stop_reason: null, usage: { ...usage, output_tokens: 1 } } } },
              { event: 'content_block_start', data: { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } } },
              { event: 'ping', data: { type: 'ping' } },
              { event: 'content_block_delta', data: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hello!' } } },
              { event: 'content_block_stop', data: { type: 'content_block_stop', index: 0 } },
              { event: 'message_delta', data: { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: u.outputTokens } } },
              { event: 'message_stop', data: { type: 'message_stop' } },
            ], delay > 0 ? 1 : 0);
            return;
          }
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(message));
          return;
        }
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `no route ${path}` } }));
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

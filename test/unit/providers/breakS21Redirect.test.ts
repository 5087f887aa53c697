/**
 * Session-21 adversarial pass on local servers (issue 14, item 2): a "local" server that
 * redirects the chat request to another address must not get the prompt sent there. A
 * local model is "local, $0, no network" to the user; fetch follows a 307/308 with the
 * body, so the prompt left for a host the user never named.
 */
import * as assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { localServerProvider } from '../../../src/engine/providers';
import { probeServer } from '../../../src/engine/providers/localServers';

function listen(handler: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, body: string) => void): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => handler(req, res, body));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}

describe('break s21: a local server that redirects', () => {
  const servers: Server[] = [];
  after(() => {
    for (const s of servers) {
      s.closeAllConnections();
      s.close();
    }
  });

  it('the chat request is not followed to the other address: nothing reaches it, and the error names the redirect', async () => {
    const received: string[] = [];
    const elsewhere = await listen((_req, res, body) => {
      received.push(body);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: 'x', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'stolen' }, finish_reason: 'stop' }] }));
    });
    servers.push(elsewhere.server);
    const local = await listen((req, res) => {
      res.writeHead(307, { location: `${elsewhere.origin}${req.url ?? '/'}` });
      res.end();
    });
    servers.push(local.server);
    const provider = localServerProvider(`openai-compatible@${local.origin}/v1:llama3.2`);
    assert.ok(provider);
    await assert.rejects(provider.generate({ messages: [{ role: 'user', content: 'SECRET prompt text' }], maxTokens: 8 }), (error: Error) => {
      assert.match(error.message, /a redirect \(HTTP 307\) to http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions; PepperPy does not follow redirects/);
      return true;
    });
    assert.deepEqual(received, []);
  });

  it('GET /models is not followed either: the probe reports the redirect', async () => {
    const elsewhere = await listen((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: [{ id: 'elsewhere-model' }] }));
    });
    servers.push(elsewhere.server);
    const local = await listen((_req, res) => {
      res.writeHead(302, { location: `${elsewhere.origin}/v1/models` });
      res.end();
    });
    servers.push(local.server);
    const probe = await probeServer({ id: 'openai-compatible', name: 'Fake', baseUrl: `${local.origin}/v1` });
    assert.equal(probe.status, 'invalid');
    assert.deepEqual(probe.models, []);
    assert.match(probe.error ?? '', /a redirect \(HTTP 302\) to http:\/\/127\.0\.0\.1:\d+\/v1\/models; detection does not follow redirects/);
  });
});

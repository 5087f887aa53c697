/**
 * Issue 11 (hostile review h-break11, findings 9 and 10), against the real engine process over
 * its stdio: every invalid JSON-RPC 2.0 request gets an answer (§5: -32600 Invalid Request,
 * with `id: null` when the request's id is unusable; by-position params -32602), and a frame
 * cut short (`Content-Length: 50`, then 16 bytes and silence) makes the engine exit with a
 * stderr line, so the client restarts it, instead of leaving it alive and deaf.
 */
import * as assert from 'node:assert/strict';
import { FrameGuard, messageProblem } from '../../src/engine/framing';
import { frame, startEngine, waitFor, type Engine } from '../helpers/rawEngine';

const errorsOnly = (e: Engine) => e.messages.filter((m) => 'error' in m && !('method' in m)) as { id: unknown; error: { code: number; message: string } }[];

describe('engine: invalid requests get an answer (real engine process)', function () {
  this.timeout(30_000);
  let engine: Engine | undefined;
  afterEach(() => {
    engine?.child.kill('SIGKILL');
    engine = undefined;
  });

  it('answers each invalid request of the review with -32600/-32602 and the right id, then still answers', async () => {
    const e = (engine = startEngine());
    // The reviewer's cases (proto1.js), in order, each answered before the next is sent.
    const cases: [string, number, string | number | null, RegExp][] = [
      ['{"jsonrpc":"2.0","id":101}', -32600, 101, /no "method"/],
      ['{"jsonrpc":"2.0","id":102,"method":5}', -32600, 102, /"method" must be a string, got a number/],
      ['{"jsonrpc":"2.0","id":{"a":1},"method":"engine/info"}', -32600, null, /"id" must be a string or a number, got an object/],
      ['{"jsonrpc":"2.0","id":null,"method":"engine/info"}', -32600, null, /"id" must be a string or a number, got null/],
      ['{"jsonrpc":"2.0","id":105,"method":"prompt/analyze","params":["x"]}', -32602, 105, /expected an object, got an array/],
      ['{"jsonrpc":"2.0","id":106,"method":"prompt/analyze","params":"x"}', -32600, 106, /"params" must be an object \(or an array\), got a string/],
    ];
    for (const [index, [body, code, id, message]] of cases.entries()) {
      e.child.stdin.write(frame(body));
      const answer = await waitFor(`the answer to ${body}`, () => errorsOnly(e)[index]);
      assert.equal(answer.error.code, code, body);
      assert.equal(answer.id, id, body);
      assert.match(answer.error.message, message, body);
    }
    e.child.stdin.write(frame('{"jsonrpc":"2.0","id":7,"method":"engine/info","params":{}}'));
    const info = await waitFor('engine/info', () => e.messages.find((m) => m.id === 7));
    assert.ok('result' in info, JSON.stringify(info));
    assert.equal(e.child.exitCode, null);
  });

  it('a request without params is validated as {} (never as the cancellation token), and an unknown method is -32601', async () => {
    // Break pass of issue 13 (F1): vscode-jsonrpc calls a per-method handler with the
    // cancellation token in the params' place when a request has none, so the schema reported
    // 'Unrecognized key: "_isCancelled"' and the handler had no token.
    const e = (engine = startEngine());
    e.child.stdin.write(frame('{"jsonrpc":"2.0","id":201,"method":"prompt/countTokens"}'));
    const count = await waitFor('prompt/countTokens without params', () => e.messages.find((m) => m.id === 201)) as { error?: { code: number; message: string } };
    assert.equal(count.error?.code, -32602, JSON.stringify(count));
    assert.match(count.error.message, /text/);
    assert.doesNotMatch(count.error.message, /_isCancelled/);
    e.child.stdin.write(frame('{"jsonrpc":"2.0","id":202,"method":"engine/info"}'));
    const info = await waitFor('engine/info without params', () => e.messages.find((m) => m.id === 202));
    assert.ok('result' in info, JSON.stringify(info));
    e.child.stdin.write(frame('{"jsonrpc":"2.0","id":203,"method":"nope/nothing","params":{}}'));
    const unknown = await waitFor('an unknown method', () => e.messages.find((m) => m.id === 203)) as { error?: { code: number; message: string } };
    assert.deepEqual(unknown.error, { code: -32601, message: 'Unhandled method nope/nothing' });
  });

  it('editor/promptSends: what a file sends its imports with; hostile params are -32602 with the field named', async () => {
    engine = startEngine();
    const e = engine;
    const text = 'import { SYSTEM } from "./prompts.js";\nimport OpenAI from "openai";\nconst c = new OpenAI();\nc.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "system", content: SYSTEM }] });';
    e.child.stdin.write(frame(JSON.stringify({ jsonrpc: '2.0', id: 301, method: 'editor/promptSends', params: { text, languageId: 'typescript', fileName: 'a.ts' } })));
    const ok = (await waitFor('the sends', () => e.messages.find((m) => m.id === 301))) as { result?: unknown };
    assert.deepEqual(ok.result, { sends: [{ module: './prompts.js', name: 'SYSTEM', line: 4, model: { name: 'gpt-4o-mini', line: 4, how: 'call' }, provider: 'openai' }] });
    e.child.stdin.write(frame(JSON.stringify({ jsonrpc: '2.0', id: 302, method: 'editor/promptSends', params: { text: 5, languageId: 'typescript' } })));
    const bad = (await waitFor('the error', () => e.messages.find((m) => m.id === 302))) as { error?: { code: number; message: string } };
    assert.equal(bad.error?.code, -32602);
    assert.match(bad.error?.message ?? '', /text/);
    e.child.stdin.write(frame(JSON.stringify({ jsonrpc: '2.0', id: 303, method: 'editor/promptHints', params: { text: 'x = 1', languageId: 'python', defaultModel: 'gpt-4o', importedSends: [{ name: 'a b', file: 'x.py', line: 0 }] } })));
    const hostile = (await waitFor('the error', () => e.messages.find((m) => m.id === 303))) as { error?: { code: number; message: string } };
    assert.equal(hostile.error?.code, -32602);
    assert.match(hostile.error?.message ?? '', /importedSends/);
    // projectProvider names one provider or says several, never neither nor both (session 37).
    for (const [id, projectProvider] of [[304, { from: 'x in package.json' }], [305, { provider: 'openai', from: 'x', several: true }], [306, { from: 'x', several: false }]] as const) {
      e.child.stdin.write(frame(JSON.stringify({ jsonrpc: '2.0', id, method: 'editor/promptHints', params: { text: 'x = 1', languageId: 'python', defaultModel: 'gpt-4o', projectProvider } })));
      const answer = (await waitFor('the error', () => e.messages.find((m) => m.id === id))) as { error?: { code: number; message: string } };
      assert.equal(answer.error?.code, -32602, JSON.stringify(projectProvider));
      assert.match(answer.error?.message ?? '', /projectProvider/);
    }
    e.child.stdin.write(frame(JSON.stringify({ jsonrpc: '2.0', id: 307, method: 'editor/promptHints', params: { text: 'x = 1', languageId: 'python', defaultModel: 'gpt-4o', projectProvider: { from: 'openai, anthropic in requirements.txt', several: true } } })));
    const several = (await waitFor('the hints', () => e.messages.find((m) => m.id === 307))) as { result?: unknown };
    assert.ok(several.result, JSON.stringify(several));
  });

  it('exits with a stderr line when a frame is cut short (Content-Length 50, 16 bytes, then nothing)', async () => {
    const e = (engine = startEngine());
    e.child.stdin.write(frame('{"jsonrpc":"2.0","id":1,"method":"engine/info","params":{}}'));
    await waitFor('the first answer', () => e.messages.find((m) => m.id === 1));
    e.child.stdin.write('Content-Length: 50\r\n\r\n{"jsonrpc":"2.0"');
    // The engine's partial-frame time-out is 5 s; the test's own limit (30 s) only bounds a hang.
    assert.equal(await e.exited, 3);
    assert.match(e.stderr(), /protocol stream is broken \(a message declared Content-Length 50 but only 16 bytes of it arrived, then nothing for 5 s\.\) Exiting so that the client restarts the engine/);
  });
});

describe('FrameGuard: partial frames and message shapes', () => {
  it('a partial frame is fatal after its idle time-out; every chunk restarts the wait; a whole frame passes', async () => {
    const fatal: string[] = [];
    const passed: Buffer[] = [];
    const guard = new FrameGuard({ maxContentLength: 1000, partialFrameTimeoutMs: 50, onRejected: () => undefined, onFatal: (m) => fatal.push(m) });
    guard.on('data', (c: Buffer) => passed.push(c));
    const whole = frame('{"jsonrpc":"2.0","id":1,"method":"m"}');
    // Sent in pieces 20 ms apart (less than the time-out): it arrives whole and nothing is fatal.
    for (let i = 0; i < whole.length; i += 8) {
      guard.write(whole.subarray(i, i + 8));
      await new Promise((r) => setTimeout(r, 20));
    }
    await new Promise((r) => setTimeout(r, 120));
    assert.deepEqual(fatal, []);
    assert.equal(Buffer.concat(passed).toString('utf8'), whole.toString('utf8'));
    guard.write(Buffer.from('Content-Length: 50\r\n\r\n{"jsonrpc":"2.0"'));
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(fatal, ['a message declared Content-Length 50 but only 16 bytes of it arrived, then nothing for 0.05 s.']);
  });

  it('a header begun and never finished is fatal too; an idle stream between frames is not', async () => {
    const fatal: string[] = [];
    const guard = new FrameGuard({ maxContentLength: 1000, partialFrameTimeoutMs: 50, onRejected: () => undefined, onFatal: (m) => fatal.push(m) });
    guard.resume();
    guard.write(frame('{"jsonrpc":"2.0","method":"n"}'));
    await new Promise((r) => setTimeout(r, 150));
    assert.deepEqual(fatal, []);
    guard.write(Buffer.from('Content-Len'));
    await new Promise((r) => setTimeout(r, 150));
    assert.deepEqual(fatal, ['11 bytes of a message header arrived, then nothing for 0.05 s.']);
  });

  it('messageProblem follows JSON-RPC 2.0 §4-5: requests, notifications and responses pass; the rest is named', () => {
    assert.equal(messageProblem({ jsonrpc: '2.0', id: 1, method: 'engine/info', params: {} }), undefined);
    assert.equal(messageProblem({ jsonrpc: '2.0', id: 'a', method: 'engine/info' }), undefined);
    assert.equal(messageProblem({ jsonrpc: '2.0', method: '$/cancelRequest', params: { id: 3 } }), undefined);
    assert.equal(messageProblem({ jsonrpc: '2.0', id: 4, result: null }), undefined);
    assert.equal(messageProblem({ jsonrpc: '2.0', id: 4, error: { code: 1, message: 'x' } }), undefined);
    assert.deepEqual(messageProblem({ jsonrpc: '2.0', id: true, method: 'm' }), { code: -32600, message: 'Invalid Request: "id" must be a string or a number, got a boolean.', id: null });
    assert.deepEqual(messageProblem({ jsonrpc: '2.0', id: 9, method: ['m'] }), { code: -32600, message: 'Invalid Request: "method" must be a string, got an array.', id: 9 });
    assert.deepEqual(messageProblem({ jsonrpc: '2.0', id: 9, method: 'm', params: 5 }), { code: -32600, message: 'Invalid Request: "params" must be an object (or an array), got a number.', id: 9 });
    assert.equal(messageProblem({ jsonrpc: '2.0', id: 9, method: 'm', params: ['x'] })?.code, -32602);
    assert.equal(messageProblem({ jsonrpc: '2.0', method: 'm', params: ['x'] }), undefined, 'a notification gets no answer');
  });
});
